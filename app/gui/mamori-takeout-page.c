/* mamori-takeout-page.c — 持ち出し: take-out requests, and the approvers' queue
 *
 * The rows are read from the vault whenever the session unlocks, the view changes or an
 * action has signed something.  The actions only offer what the records would allow
 * (an approver's decision on someone else's request in the right state); the core
 * refuses anything else, and what it refuses is shown in a dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-roster.h"
#include "mamori-takeout-decision-dialog.h"
#include "mamori-takeout-grant-dialog.h"
#include "mamori-takeout-grant-form.h"
#include "mamori-takeout-page-print-private.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-takeout-row.h"

#define DUE_SOON_DAYS 3

struct _MamoriTakeoutPage
{
  AdwBin parent_instance;

  GtkDropDown *view_dropdown;
  GtkLabel *count_label;
  GtkStack *content_stack;
  GtkColumnView *column_view;
  GtkColumnViewColumn *reason_column; /* shown for the declined requests only */

  GListStore *rows;
  GtkSingleSelection *selection;
  MamoriSession *session;
  GSignalGroup *session_signals;
  guint queue_count;
  GFileMonitor *monitor; /* the vault's file, while unlocked: another window's changes */
  guint reload_source;
  GHashTable *my_states; /* the unlocked user's requests: id → state, to tell of decisions */
  /* Read with the rows, for the actions: the selection changes while a job may have the
   * vault, which the main thread does not touch then (mamori-session-free.c). */
  MamoriStaff *me;
  MamoriPolicy *policy;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutPage, mamori_takeout_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_QUEUE_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static MamoriVault *
unlocked_vault (MamoriTakeoutPage *self)
{
  if (self->session == NULL
      || mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    return NULL;
  return mamori_session_get_vault (self->session);
}

/* The selected request, when it is someone else's and the unlocked user's role may
 * decide its level. */
/* The policy in force: the session's (it follows what sync brings); not read from the
 * vault, which a job may have. */
static MamoriPolicy *
load_policy (MamoriTakeoutPage *self)
{
  MamoriLookup *lookup = mamori_session_get_lookup (self->session);

  return lookup != NULL ? g_object_ref (mamori_lookup_get_policy (lookup)) : NULL;
}

static const MamoriTakeoutRequest *
decidable_request (MamoriTakeoutPage *self)
{
  MamoriTakeoutRow *row = gtk_single_selection_get_selected_item (self->selection);
  const MamoriTakeoutRequest *request;
  MamoriLevel *level;

  if (unlocked_vault (self) == NULL || row == NULL || self->me == NULL || self->policy == NULL)
    return NULL;
  request = mamori_takeout_row_get_request (row);
  level = mamori_policy_lookup_level (self->policy, request->level);
  if (level == NULL || g_strcmp0 (self->me->id, request->requester) == 0
      || !mamori_takeout_level_can_approve (level, self->me->role))
    return NULL;
  return request;
}

/* Whether the unlocked user may sign the next approval step of @request: a role the
 * policy names for it, and no earlier step of theirs. */
static gboolean
may_sign_next_step (MamoriTakeoutPage *self, const MamoriTakeoutRequest *request)
{
  MamoriLevel *level;

  /* decidable_request() gave @request: the user and the policy are known. */
  if (request == NULL || request->state != MAMORI_TAKEOUT_STATE_PENDING)
    return FALSE;
  level = mamori_policy_lookup_level (self->policy, request->level);
  return level != NULL
         && mamori_takeout_level_step_allows (level, g_strv_length (request->steps) + 1,
                                              self->me->role)
         && !g_strv_contains ((const char *const *)request->steps, self->me->id);
}

static void
update_actions (MamoriTakeoutPage *self)
{
  const MamoriTakeoutRequest *request = decidable_request (self);
  gboolean pending = request != NULL && request->state == MAMORI_TAKEOUT_STATE_PENDING;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.new-request",
                                 unlocked_vault (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.grants",
                                 unlocked_vault (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.approve-blanket",
                                 may_sign_next_step (self, request)
                                     && request->rule == MAMORI_TAKEOUT_APPROVAL_BLANKET);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.approve",
                                 may_sign_next_step (self, request));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.reject", pending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.confirm",
                                 request != NULL
                                     && request->state == MAMORI_TAKEOUT_STATE_RETURNED);
  _mamori_takeout_page_print_update (self);
}

/* How many of @queue the unlocked user may decide: the badge is for approvers. */
static guint
count_decidable (MamoriStaff *me, MamoriPolicy *policy, GPtrArray *queue)
{
  guint n = 0;

  for (guint i = 0; me != NULL && policy != NULL && i < queue->len; i++)
    {
      const MamoriTakeoutRequest *request = g_ptr_array_index (queue, i);
      MamoriLevel *level = mamori_policy_lookup_level (policy, request->level);

      /* A request waiting for an approval step counts for those who may sign that step. */
      if (level != NULL && g_strcmp0 (me->id, request->requester) != 0
          && mamori_takeout_level_can_approve (level, me->role)
          && (request->state != MAMORI_TAKEOUT_STATE_PENDING
              || (mamori_takeout_level_step_allows (level, g_strv_length (request->steps) + 1,
                                                    me->role)
                  && !g_strv_contains ((const char *const *)request->steps, me->id))))
        n++;
    }
  return n;
}

static GPtrArray *
read_view (MamoriTakeoutPage *self, MamoriVault *vault, const char *today, GError **error)
{
  MamoriDb *db = mamori_vault_get_store (vault);
  MamoriTakeoutFilter filter = { -1, NULL };
  g_autoptr (MamoriStaff) me = NULL;
  GPtrArray *requests;

  switch ((MamoriTakeoutView)gtk_drop_down_get_selected (self->view_dropdown))
    {
    case MAMORI_TAKEOUT_VIEW_QUEUE:
      return mamori_takeout_list_queue (db, error);
    case MAMORI_TAKEOUT_VIEW_MINE:
      me = mamori_roster_find_by_name (db, mamori_vault_get_user (vault), error);
      if (me == NULL)
        return NULL;
      filter.requester = me->id;
      return mamori_takeout_list (db, &filter, error);
    case MAMORI_TAKEOUT_VIEW_DUE:
      requests = mamori_takeout_list_overdue (db, today, error);
      if (requests != NULL)
        {
          GPtrArray *soon = mamori_takeout_list_due_soon (db, today, DUE_SOON_DAYS, error);

          if (soon == NULL)
            g_clear_pointer (&requests, g_ptr_array_unref);
          else
            g_ptr_array_extend_and_steal (requests, soon);
        }
      return requests;
    case MAMORI_TAKEOUT_VIEW_DECLINED:
      filter.state = MAMORI_TAKEOUT_STATE_REJECTED;
      return mamori_takeout_list (db, &filter, error);
    case MAMORI_TAKEOUT_VIEW_ALL:
    default:
      return mamori_takeout_list (db, &filter, error);
    }
}

static void
notify (const char *id, const char *title, const char *body)
{
  GApplication *application = g_application_get_default ();
  g_autoptr (GNotification) notification = NULL;

  if (application == NULL)
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (application, id, notification);
}

/* Tells the user what changed while Mamori ran: requests newly waiting for their
 * decision, and decisions on their own requests (made in another window, or on another
 * computer once the records travel). */
static void
tell_changes (MamoriTakeoutPage *self, MamoriVault *vault, guint queue_count)
{
  MamoriTakeoutFilter filter = { -1, NULL };
  g_autoptr (GPtrArray) mine = NULL;
  gboolean first = self->my_states == NULL;

  if (!first && queue_count > self->queue_count)
    {
      g_autofree char *body
          = g_strdup_printf (ngettext ("%u take-out request waits for your decision",
                                       "%u take-out requests wait for your decision", queue_count),
                             queue_count);

      notify ("takeout-queue", _ ("New Take-out Request"), body);
    }
  if (self->me == NULL)
    return;
  filter.requester = self->me->id;
  mine = mamori_takeout_list (mamori_vault_get_store (vault), &filter, NULL);
  if (first)
    self->my_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; mine != NULL && i < mine->len; i++)
    {
      const MamoriTakeoutRequest *request = g_ptr_array_index (mine, i);
      gpointer old;
      gboolean known = g_hash_table_lookup_extended (self->my_states, request->id, NULL, &old);

      if (!first && known && GPOINTER_TO_INT (old) == MAMORI_TAKEOUT_STATE_PENDING
          && (request->state == MAMORI_TAKEOUT_STATE_APPROVED
              || request->state == MAMORI_TAKEOUT_STATE_REJECTED))
        {
          g_autofree char *items = mamori_takeout_items_describe (request);

          notify (request->id,
                  request->state == MAMORI_TAKEOUT_STATE_APPROVED ? _ ("Take-out Request Approved")
                                                                  : _ ("Take-out Request Declined"),
                  request->state == MAMORI_TAKEOUT_STATE_REJECTED && request->reason != NULL
                      ? request->reason
                      : items);
        }
      g_hash_table_insert (self->my_states, g_strdup (request->id),
                           GINT_TO_POINTER (request->state));
    }
}

static gboolean
reload_cb (gpointer data)
{
  MamoriTakeoutPage *self = data;

  /* A thread has the vault (a sync round writing what it brought): read once it is
   * done; "records-changed" follows a round that brought anything. */
  if (self->session != NULL && mamori_session_get_busy (self->session))
    return G_SOURCE_CONTINUE;
  self->reload_source = 0;
  mamori_takeout_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* Events came by sync: what waits for this person, and what was decided on their
 * requests, may have changed. */
static void
records_changed_cb (MamoriTakeoutPage *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);
  mamori_takeout_page_reload (self);
}

/* The vault's file changed: read again once the writes settle. */
static void
file_changed_cb (MamoriTakeoutPage *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (250, reload_cb, self);
}

static void
watch_vault (MamoriTakeoutPage *self, gboolean watch)
{
  g_autoptr (GFile) file = NULL;

  if (!watch)
    {
      if (self->monitor != NULL)
        g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
      g_clear_handle_id (&self->reload_source, g_source_remove);
      g_clear_pointer (&self->my_states, g_hash_table_unref);
      return;
    }
  if (self->monitor != NULL)
    return;
  file = g_file_new_for_path (mamori_session_get_path (self->session));
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect_swapped (self->monitor, "changed", G_CALLBACK (file_changed_cb), self);
}

void
mamori_takeout_page_reload (MamoriTakeoutPage *self)
{
  MamoriVault *vault = unlocked_vault (self);
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *today = mamori_takeout_today ();
  g_autofree char *count = NULL;
  guint queue_count = 0;
  MamoriTakeoutRow *selected_row = NULL;
  g_autofree char *selected = NULL;

  g_return_if_fail (MAMORI_IS_TAKEOUT_PAGE (self));

  /* The selected request stays selected when the rows are read again (after a decision
   * here, or a change the vault's file monitor saw), so that a menu or a button acts on
   * what the user chose. */
  selected_row = gtk_single_selection_get_selected_item (self->selection);
  if (selected_row != NULL)
    selected = g_strdup (mamori_takeout_row_get_request (selected_row)->id);
  /* A job has the vault: read once it is done, as reload_cb() does. */
  if (vault != NULL && mamori_session_get_busy (self->session))
    {
      if (self->reload_source == 0)
        self->reload_source = g_timeout_add (250, reload_cb, self);
      return;
    }
  g_list_store_remove_all (self->rows);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->me, mamori_staff_free);
  if (vault != NULL)
    {
      self->policy = load_policy (self);
      self->me = mamori_roster_find_by_name (mamori_vault_get_store (vault),
                                             mamori_vault_get_user (vault), NULL);
      requests = read_view (self, vault, today, &error);
      queue = mamori_takeout_list_queue (mamori_vault_get_store (vault), NULL);
      if (requests == NULL)
        g_warning ("Cannot read the take-out requests: %s", error->message);
    }
  for (guint i = 0; requests != NULL && i < requests->len; i++)
    {
      g_autoptr (MamoriTakeoutRow) row
          = mamori_takeout_row_new (g_ptr_array_steal_index (requests, i--), self->policy, today);

      g_list_store_append (self->rows, row);
      if (g_strcmp0 (selected, mamori_takeout_row_get_request (row)->id) == 0)
        gtk_single_selection_set_selected (
            self->selection, g_list_model_get_n_items (G_LIST_MODEL (self->rows)) - 1);
    }
  count = g_strdup_printf (
      ngettext ("%u request", "%u requests", g_list_model_get_n_items (G_LIST_MODEL (self->rows))),
      g_list_model_get_n_items (G_LIST_MODEL (self->rows)));
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (
      self->content_stack,
      g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0 ? "list" : "empty");
  queue_count = queue != NULL ? count_decidable (self->me, self->policy, queue) : 0;
  watch_vault (self, vault != NULL);
  if (vault != NULL)
    tell_changes (self, vault, queue_count);
  if (queue_count != self->queue_count)
    {
      self->queue_count = queue_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_COUNT]);
    }
  update_actions (self);
}

static void
view_changed_cb (MamoriTakeoutPage *self)
{
  if (self->reason_column != NULL)
    gtk_column_view_column_set_visible (self->reason_column,
                                        gtk_drop_down_get_selected (self->view_dropdown)
                                            == MAMORI_TAKEOUT_VIEW_DECLINED);
  mamori_takeout_page_reload (self);
}

/* Shows what the records refused, in the words of the core. */
static void
show_error (MamoriTakeoutPage *self, const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Not Done"), error->message));

  adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
decided_cb (MamoriTakeoutPage *self)
{
  mamori_takeout_page_reload (self);
}

/* The decision's dialog, which asks for the passphrase again (mamori-takeout.h). */
static void
open_decision (MamoriTakeoutPage *self, MamoriTakeoutDecision decision)
{
  const MamoriTakeoutRequest *request = decidable_request (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  MamoriTakeoutDecisionDialog *dialog;

  if (request == NULL)
    return;
  dialog = mamori_takeout_decision_dialog_new (self->session, decision, request);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "decided", G_CALLBACK (decided_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
approve_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_decision (MAMORI_TAKEOUT_PAGE (widget), MAMORI_TAKEOUT_DECISION_APPROVE);
}

static void
reject_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_decision (MAMORI_TAKEOUT_PAGE (widget), MAMORI_TAKEOUT_DECISION_REJECT);
}

static void
confirm_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_decision (MAMORI_TAKEOUT_PAGE (widget), MAMORI_TAKEOUT_DECISION_CONFIRM_RETURN);
}

/* What an event did, for the timeline: an approval names its step and the signer's role
 * (「審査済み（副校長）」, 「承認（校長）」). */
static char *
event_title (MamoriDb *db, const MamoriTakeoutRequest *request, const MamoriEvent *event)
{
  g_autoptr (MamoriStaff) signer = NULL;
  JsonNode *step;

  if (!g_str_equal (event->type, MAMORI_EVENT_TAKEOUT_APPROVED))
    return g_strdup (mamori_takeout_event_get_label (event->type));
  signer = mamori_roster_find_signer (db, event->author, NULL);
  step = json_object_get_member (json_node_get_object (event->body), "step");
  /* Translators: what an approval step did, then the signer's role: 「承認（校長）」. */
  return g_strdup_printf (_ ("%s (%s)"),
                          mamori_takeout_step_get_label (
                              step != NULL ? (guint)json_node_get_int (step) : 1, request->n_steps),
                          signer != NULL ? mamori_role_get_label (signer->role) : "?");
}

/* The event's time in the local time zone, and who signed it. */
static char *
describe_event (MamoriDb *db, const MamoriEvent *event)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (event->created_at, NULL);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when
      = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (event->created_at);
  g_autofree char *who = mamori_roster_describe_key (db, event->author);

  /* Translators: when an event was signed, and by whom. */
  return g_strdup_printf (_ ("%s — %s"), when, who);
}

/* The request and its timeline, in a dialog. */
static void
row_activated_cb (MamoriTakeoutPage *self, guint position)
{
  MamoriVault *vault = unlocked_vault (self);
  g_autoptr (MamoriTakeoutRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  const MamoriTakeoutRequest *request;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *items = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *list;

  if (vault == NULL || row == NULL)
    return;
  request = mamori_takeout_row_get_request (row);
  history = mamori_takeout_history (mamori_vault_get_store (vault), request->id, &error);
  if (history == NULL)
    {
      show_error (self, error);
      return;
    }
  items = mamori_takeout_items_describe (request);
  g_string_append_printf (body, _ ("%s, to %s, for %s: %s to %s."),
                          mamori_takeout_medium_get_label (request->medium), request->destination,
                          request->purpose, request->date_from, request->date_until);
  if (request->state == MAMORI_TAKEOUT_STATE_REJECTED && request->reason != NULL)
    g_string_append_printf (body, "\n%s", request->reason);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, items, body->str));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("History of the Request"), -1);
  for (guint i = 0; i < history->len; i++)
    {
      MamoriEvent *event = g_ptr_array_index (history, i);
      GtkWidget *event_row = adw_action_row_new ();
      g_autofree char *subtitle = describe_event (mamori_vault_get_store (vault), event);
      g_autofree char *title = event_title (mamori_vault_get_store (vault), request, event);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (event_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (event_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (event_row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (list), event_row);
    }
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
present (MamoriTakeoutPage *self, GtkWindow *window)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (window, GTK_WINDOW (root));
  gtk_window_present (window);
}

static void
filed_cb (MamoriTakeoutPage *self)
{
  mamori_takeout_page_set_view (self, MAMORI_TAKEOUT_VIEW_MINE);
  mamori_takeout_page_reload (self);
}

static void
new_request_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  g_autoptr (MamoriPolicy) policy = NULL;
  MamoriTakeoutRequestDialog *dialog;

  if (unlocked_vault (self) == NULL || (policy = load_policy (self)) == NULL)
    return;
  dialog = mamori_takeout_request_dialog_new (self->session, policy);
  g_signal_connect_object (dialog, "filed", G_CALLBACK (filed_cb), self, G_CONNECT_SWAPPED);
  present (self, GTK_WINDOW (dialog));
}

static void
grants_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  g_autoptr (MamoriPolicy) policy = NULL;

  if (unlocked_vault (self) == NULL || (policy = load_policy (self)) == NULL)
    return;
  present (self, GTK_WINDOW (mamori_takeout_grant_dialog_new (self->session, policy)));
}

static void
approve_blanket_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  const MamoriTakeoutRequest *request = decidable_request (self);
  g_autoptr (MamoriPolicy) policy = NULL;
  MamoriTakeoutGrantForm *form;

  if (request == NULL || (policy = load_policy (self)) == NULL)
    return;
  form = mamori_takeout_grant_form_new (self->session, policy, request);
  g_signal_connect_object (form, "granted", G_CALLBACK (mamori_takeout_page_reload), self,
                           G_CONNECT_SWAPPED);
  present (self, GTK_WINDOW (form));
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, const char *property)
{
  g_autofree char *text = NULL;

  g_object_get (gtk_list_item_get_item (item), property, &text, NULL);
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_columns (MamoriTakeoutPage *self)
{
  static const struct
  {
    const char *title; /* N_() */
    const char *property;
    gboolean expand;
  } columns[] = {
    { N_ ("State"), "state", FALSE },
    { N_ ("Requester"), "requester", FALSE },
    { N_ ("Information assets"), "items", TRUE },
    { N_ ("Level"), "level", FALSE },
    { N_ ("Period"), "period", FALSE },
    { N_ ("Purpose"), "purpose", TRUE },
    { N_ ("Reason for Declining"), "reason", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), (gpointer)columns[i].property);
      column = gtk_column_view_column_new (_ (columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      if (g_str_equal (columns[i].property, "reason"))
        self->reason_column = column;
    }
  gtk_column_view_column_set_visible (self->reason_column, FALSE);
}

static void
session_changed_cb (MamoriTakeoutPage *self)
{
  mamori_takeout_page_reload (self);
}

static void
mamori_takeout_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (object);

  switch (prop_id)
    {
    case PROP_QUEUE_COUNT:
      g_value_set_uint (value, self->queue_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_takeout_page_dispose (GObject *object)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  watch_vault (self, FALSE);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->me, mamori_staff_free);
  G_OBJECT_CLASS (mamori_takeout_page_parent_class)->dispose (object);
}

static void
mamori_takeout_page_class_init (MamoriTakeoutPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_takeout_page_dispose;
  object_class->get_property = mamori_takeout_page_get_property;

  properties[PROP_QUEUE_COUNT] = g_param_spec_uint ("queue-count", NULL, NULL, 0, G_MAXUINT, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-takeout-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutPage, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "takeout.new-request", NULL,
                                   new_request_activated);
  gtk_widget_class_install_action (widget_class, "takeout.grants", NULL, grants_activated);
  gtk_widget_class_install_action (widget_class, "takeout.approve-blanket", NULL,
                                   approve_blanket_activated);
  gtk_widget_class_install_action (widget_class, "takeout.approve", NULL, approve_activated);
  gtk_widget_class_install_action (widget_class, "takeout.reject", NULL, reject_activated);
  gtk_widget_class_install_action (widget_class, "takeout.confirm", NULL, confirm_activated);
  _mamori_takeout_page_print_class_init (widget_class);
}

static void
mamori_takeout_page_init (MamoriTakeoutPage *self)
{
  self->rows = g_list_store_new (MAMORI_TYPE_TAKEOUT_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (update_actions), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);

  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "records-changed",
                                  G_CALLBACK (records_changed_cb), self);
  update_actions (self);
}

void
mamori_takeout_page_set_session (MamoriTakeoutPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_TAKEOUT_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  mamori_takeout_page_reload (self);
}

void
mamori_takeout_page_set_view (MamoriTakeoutPage *self, MamoriTakeoutView view)
{
  g_return_if_fail (MAMORI_IS_TAKEOUT_PAGE (self));
  gtk_drop_down_set_selected (self->view_dropdown, view);
}

GtkSingleSelection *
mamori_takeout_page_get_selection (MamoriTakeoutPage *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_PAGE (self), NULL);
  return self->selection;
}

guint
mamori_takeout_page_get_queue_count (MamoriTakeoutPage *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_PAGE (self), 0);
  return self->queue_count;
}

MamoriVault *
mamori_takeout_page_get_vault (MamoriTakeoutPage *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_PAGE (self), NULL);
  return unlocked_vault (self);
}

MamoriSession *
_mamori_takeout_page_get_session (MamoriTakeoutPage *self)
{
  return self->session;
}
