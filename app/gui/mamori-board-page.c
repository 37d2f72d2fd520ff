/* mamori-board-page.c — 学校: the board of education's view of its schools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-board-page.h"
#include "mamori-level-mapping-dialog.h"
#include "mamori-session-board.h"

struct _MamoriBoardPage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkLabel *summary_label;
  GtkColumnView *column_view;
  GtkLabel *detail_title;
  GtkLabel *detail_subtitle;
  GtkListBox *lowered_list;

  /* Owned references */
  MamoriSession *session;
  GSignalGroup *session_signals;
  GListStore *schools; /* MamoriBoardSchool */
  GtkSingleSelection *selection;
  MamoriPolicy *to_publish; /* chosen: waiting for the confirmation, the board or a mapping */

  gboolean refresh_pending; /* asked for while the session was busy */
  gboolean mapped;          /* the publication under way carries a mapping */
  gboolean publish_pending; /* confirmed while the session was busy */
  char *pending_map;
  gboolean fetching;
};

G_DEFINE_FINAL_TYPE (MamoriBoardPage, mamori_board_page, ADW_TYPE_BIN)

/* The columns: a school's name, then its counts. */
typedef enum
{
  COLUMN_NAME,
  COLUMN_PENDING,
  COLUMN_OVERDUE,
  COLUMN_DECLINED,
  COLUMN_LOWERED,
} Column;

static gboolean
is_available (MamoriBoardPage *self)
{
  return self->session != NULL && mamori_session_is_board (self->session);
}

static void
update_actions (MamoriBoardPage *self)
{
  gboolean free = is_available (self) && !mamori_session_get_busy (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.refresh", free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.publish", free);
}

/* --- the selected school ------------------------------------------------------------------ */

static GtkWidget *
lowered_row (const MamoriBoardLowered *lowered)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL, *levels = NULL, *subtitle = NULL;

  title = lowered->qualifier != NULL
              ? g_strdup_printf ("%s（%s）", lowered->name, lowered->qualifier)
              : g_strdup (lowered->name);
  /* TRANSLATORS: the level the policy's template gives an asset → the school's level. */
  levels = g_strdup_printf (_ ("%s → %s"),
                            lowered->template_level != NULL ? lowered->template_level : "?",
                            lowered->level);
  if (lowered->by != NULL && lowered->at != NULL)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (lowered->at, NULL);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when
          = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (lowered->at);

      MamoriRole role;
      g_autofree char *who = NULL;

      /* The person and their role in the user's language, when the board names them. */
      if (lowered->by_name != NULL && mamori_role_from_string (lowered->by_role, &role))
        /* TRANSLATORS: a person's name and their role. */
        who = g_strdup_printf (_ ("%s (%s)"), lowered->by_name, mamori_role_get_label (role));
      else
        who = g_strdup (lowered->by);
      /* TRANSLATORS: the reason for a lowered level; who set it, and when. */
      subtitle = g_strdup_printf (_ ("%s — %s, %s"), lowered->reason != NULL ? lowered->reason : "",
                                  who, when);
    }
  else
    subtitle = g_strdup (lowered->reason != NULL ? lowered->reason : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (levels));
  return row;
}

static void
show_school (MamoriBoardPage *self)
{
  MamoriBoardSchool *school = gtk_single_selection_get_selected_item (self->selection);
  GtkWidget *child;
  GPtrArray *lowered;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lowered_list))) != NULL)
    gtk_list_box_remove (self->lowered_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_subtitle), school != NULL);
  if (school == NULL)
    {
      gtk_label_set_label (self->detail_title, _ ("No School Selected"));
      return;
    }
  gtk_label_set_label (self->detail_title, mamori_board_school_get_name (school));
  if (mamori_board_school_get_joined (school))
    {
      g_autofree char *staff = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u person on the staff", "%u people on the staff",
                       mamori_board_school_get_staff (school)),
          mamori_board_school_get_staff (school));

      gtk_label_set_label (self->detail_subtitle, staff);
    }
  else
    gtk_label_set_label (self->detail_subtitle, _ ("Has not sent its records yet"));
  lowered = mamori_board_school_get_lowered (school);
  for (guint i = 0; i < lowered->len; i++)
    gtk_list_box_append (self->lowered_list, lowered_row (lowered->pdata[i]));
}

static void
selection_changed_cb (MamoriBoardPage *self)
{
  show_school (self);
}

/* --- the schools ---------------------------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_NAME ? 0.0 : 1.0);
  if (column == COLUMN_NAME)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  MamoriBoardSchool *school = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;
  guint count = 0;

  switch ((Column)GPOINTER_TO_INT (data))
    {
    case COLUMN_NAME:
      gtk_label_set_label (label, mamori_board_school_get_name (school));
      return;
    case COLUMN_PENDING:
      count = mamori_board_school_get_pending (school);
      break;
    case COLUMN_OVERDUE:
      count = mamori_board_school_get_overdue (school);
      break;
    case COLUMN_DECLINED:
      count = mamori_board_school_get_declined (school);
      break;
    case COLUMN_LOWERED:
      count = mamori_board_school_get_lowered (school)->len;
      break;
    default:
      g_assert_not_reached ();
    }
  text = g_strdup_printf ("%u", count);
  gtk_label_set_label (label, text);
  /* What needs the board's attention stands out. */
  if (count > 0 && (Column)GPOINTER_TO_INT (data) == COLUMN_OVERDUE)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static void
add_column (MamoriBoardPage *self, const char *title, Column column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, column == COLUMN_NAME);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
set_state (MamoriBoardPage *self, const char *state)
{
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
show_schools (MamoriBoardPage *self, GListModel *schools)
{
  guint n = g_list_model_get_n_items (schools);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;
  guint pending = 0, overdue = 0;

  for (guint i = 0; i < n; i++)
    {
      MamoriBoardSchool *school = g_list_model_get_item (schools, i);

      pending += mamori_board_school_get_pending (school);
      overdue += mamori_board_school_get_overdue (school);
      g_ptr_array_add (items, school);
    }
  g_list_store_splice (self->schools, 0, g_list_model_get_n_items (G_LIST_MODEL (self->schools)),
                       items->pdata, items->len);
  /* TRANSLATORS: the board's summary: schools, requests waiting, requests overdue. */
  summary = g_strdup_printf (_ ("%u schools · %u waiting for approval · %u overdue"), n, pending,
                             overdue);
  gtk_label_set_label (self->summary_label, summary);
  set_state (self, n > 0 ? "schools" : "empty");
  show_school (self);
}

static void
fetch_schools_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriBoardPage) self = user_data;
  g_autoptr (GListModel) schools = NULL;
  g_autoptr (GError) error = NULL;

  schools = mamori_session_fetch_schools_finish (MAMORI_SESSION (source), result, &error);
  self->fetching = FALSE;
  if (!is_available (self))
    return;
  if (schools != NULL)
    {
      show_schools (self, schools);
      return;
    }
  if (g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE))
    {
      adw_status_page_set_title (self->error_page, _ ("The Board’s Server Cannot Be Reached"));
      adw_status_page_set_description (
          self->error_page, _ ("Check this computer’s network connection, then try again."));
    }
  else
    {
      adw_status_page_set_title (self->error_page, _ ("The Board Did Not Answer"));
      adw_status_page_set_description (self->error_page, error->message);
    }
  set_state (self, "error");
}

void
mamori_board_page_refresh (MamoriBoardPage *self)
{
  g_return_if_fail (MAMORI_IS_BOARD_PAGE (self));

  if (!is_available (self) || self->fetching)
    return;
  if (mamori_session_get_busy (self->session))
    {
      self->refresh_pending = TRUE;
      return;
    }
  self->refresh_pending = FALSE;
  self->fetching = TRUE;
  /* The first time, a spinner; afterwards the schools stay while the new answer comes. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->schools)) == 0)
    set_state (self, "loading");
  mamori_session_fetch_schools_async (self->session, NULL, fetch_schools_done_cb,
                                      g_object_ref (self));
}

/* --- publishing a policy ------------------------------------------------------------------ */

static void
show_message (MamoriBoardPage *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
publish (MamoriBoardPage *self, const char *level_map);

static void
mapping_response_cb (MamoriLevelMappingDialog *dialog, const char *response, gpointer user_data)
{
  MamoriBoardPage *self = user_data;
  g_autofree char *spec = NULL;

  if (!g_str_equal (response, "install"))
    {
      g_clear_object (&self->to_publish);
      return;
    }
  spec = mamori_level_mapping_dialog_get_spec (dialog);
  publish (self, spec);
}

typedef struct
{
  MamoriBoardPage *page; /* a reference */
  char *refusal;
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_object_unref (refusal->page);
  g_free (refusal->refusal);
  g_free (refusal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refusal, refusal_free)

/* No job of the session has the vault: the policy in force is read, and the dialog asks
 * where each of its levels goes. */
static void
mapping_vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  g_autoptr (Refusal) refusal = user_data;
  MamoriBoardPage *self = refusal->page;
  g_autoptr (MamoriPolicy) in_force = NULL;
  g_autoptr (GError) error = NULL;
  MamoriLevelMappingDialog *dialog;

  if (free_error == NULL)
    in_force = mamori_vault_load_policy (mamori_session_get_vault (session), &error);
  if (in_force == NULL || self->to_publish == NULL)
    {
      g_clear_object (&self->to_publish);
      if (free_error != NULL || error != NULL)
        show_message (self, _ ("The Policy Was Not Published"),
                      free_error != NULL ? free_error->message : error->message);
      return;
    }
  dialog = mamori_level_mapping_dialog_new_for_board (
      GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), in_force, self->to_publish,
      refusal->refusal);
  g_signal_connect_object (dialog, "response", G_CALLBACK (mapping_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The board refused @refusal's policy for the levels: where each level of the policy in
 * force goes, then the same policy again with that mapping.  The policy in force is read
 * once no job of the session has the vault (a sync round or the page's refresh may have
 * started as the publication ended). */
static void
ask_mapping (MamoriBoardPage *self, const char *refusal)
{
  Refusal *waiting = g_new0 (Refusal, 1);

  waiting->page = g_object_ref (self);
  waiting->refusal = g_strdup (refusal);
  /* Without a cancellable it is called once, whatever happens: it holds the page. */
  mamori_session_when_free (self->session, NULL, mapping_vault_free_cb, waiting);
}

static void
publish_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriBoardPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  guint schools = 0;

  if (!mamori_session_publish_policy_finish (MAMORI_SESSION (source), result, &schools, &error))
    {
      update_actions (self);
      /* Asked once: a mapping the board refuses again is told as it is. */
      if (g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_LEVELS) && !self->mapped
          && self->to_publish != NULL && is_available (self))
        {
          ask_mapping (self, error->message);
          return;
        }
      g_clear_object (&self->to_publish);
      show_message (self, _ ("The Policy Was Not Published"), error->message);
      return;
    }
  g_clear_object (&self->to_publish);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Policy published to %u school",
                                          "Policy published to %u schools", schools),
                             schools);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  mamori_board_page_refresh (self);
}

/* Sends the chosen policy (self->to_publish) to the board, with @level_map or none; once
 * the session is free when a sync round has it now. */
static void
publish (MamoriBoardPage *self, const char *level_map)
{
  if (self->to_publish == NULL || !is_available (self))
    {
      g_clear_object (&self->to_publish);
      return;
    }
  if (mamori_session_get_busy (self->session))
    {
      self->publish_pending = TRUE;
      g_free (self->pending_map);
      self->pending_map = g_strdup (level_map);
      return;
    }
  self->publish_pending = FALSE;
  g_clear_pointer (&self->pending_map, g_free);
  self->mapped = level_map != NULL;
  mamori_session_publish_policy_async (self->session, self->to_publish, level_map, NULL,
                                       publish_done_cb, g_object_ref (self));
}

static void
confirm_response_cb (MamoriBoardPage *self, const char *response)
{
  if (!g_str_equal (response, "publish"))
    {
      g_clear_object (&self->to_publish);
      return;
    }
  publish (self, NULL);
}

/* Asks before the board signs @policy in every school. */
static void
confirm_publish (MamoriBoardPage *self, MamoriPolicy *policy)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->schools));
  g_autofree char *heading = NULL, *body = NULL;
  AdwMessageDialog *dialog;

  g_set_object (&self->to_publish, policy);
  heading = g_strdup_printf (_ ("Publish “%s”?"), mamori_policy_get_title (policy));
  body = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "The board signs it in every school (%u now, and each school that joins "
                   "later); their computers put it in force at their next sync.",
                   "The board signs it in every school (%u now, and each school that joins "
                   "later); their computers put it in force at their next sync.",
                   n),
      n);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "publish", _ ("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "publish", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
file_chosen_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (MamoriBoardPage) self = user_data;
  g_autoptr (GFile) file = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file == NULL)
    return;
  policy = mamori_policy_new_from_file (file, &error);
  if (policy == NULL)
    show_message (self, _ ("Not a Policy File"), error->message);
  else
    confirm_publish (self, policy);
}

/* GTK 4.8 has no GtkFileDialog: the one place a file is chosen here. */
static void
choose_file (MamoriBoardPage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Publish a Policy File"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Policy files (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  MamoriBoardPage *self = user_data;
  GtkDropDown *presets = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  const char *const *ids = mamori_policy_list_presets ();
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;

  if (g_str_equal (response, "file"))
    {
      choose_file (self);
      return;
    }
  if (!g_str_equal (response, "preset"))
    return;
  policy = mamori_policy_new_from_preset (ids[gtk_drop_down_get_selected (presets)], &error);
  if (policy == NULL)
    show_message (self, _ ("The Policy Was Not Published"), error->message);
  else
    confirm_publish (self, policy);
}

static void
mamori_board_page_publish_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriBoardPage *self = MAMORI_BOARD_PAGE (widget);
  const char *const *ids = mamori_policy_list_presets ();
  g_autoptr (GtkStringList) titles = gtk_string_list_new (NULL);
  AdwMessageDialog *dialog;
  GtkWidget *presets;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (ids[i], NULL);

      gtk_string_list_append (titles, policy != NULL ? mamori_policy_get_title (policy) : ids[i]);
    }
  presets = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&titles)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (presets), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Preset"), -1);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (gtk_widget_get_root (widget)), _ ("Publish a Policy"),
      _ ("Choose one of Mamori’s presets, or a policy file the board made. Every school "
         "receives it.")));
  adw_message_dialog_set_extra_child (dialog, presets);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "file", _ ("Choose a _File…"),
                                    "preset", _ ("_Next"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "preset", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "preset");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (choose_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
mamori_board_page_refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  mamori_board_page_refresh (MAMORI_BOARD_PAGE (widget));
}

/* --- the session ------------------------------------------------------------------------------ */

static void
session_changed_cb (MamoriBoardPage *self)
{
  update_actions (self);
  if (!is_available (self))
    {
      /* Locked: nothing of the schools stays behind, nor a publication not yet sent. */
      g_list_store_remove_all (self->schools);
      self->publish_pending = FALSE;
      g_clear_pointer (&self->pending_map, g_free);
      g_clear_object (&self->to_publish);
      set_state (self, "loading");
      return;
    }
  if (!self->fetching && g_list_model_get_n_items (G_LIST_MODEL (self->schools)) == 0
      && g_str_equal (gtk_stack_get_visible_child_name (self->stack), "loading"))
    self->refresh_pending = TRUE;
  if (self->publish_pending && !mamori_session_get_busy (self->session))
    {
      g_autofree char *level_map = g_steal_pointer (&self->pending_map);

      publish (self, level_map);
      return;
    }
  if (self->refresh_pending && !mamori_session_get_busy (self->session))
    mamori_board_page_refresh (self);
}

void
mamori_board_page_set_session (MamoriBoardPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_BOARD_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  session_changed_cb (self);
}

const char *
mamori_board_page_get_state (MamoriBoardPage *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkSingleSelection *
mamori_board_page_get_selection (MamoriBoardPage *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_PAGE (self), NULL);

  return self->selection;
}

static void
mamori_board_page_dispose (GObject *object)
{
  MamoriBoardPage *self = MAMORI_BOARD_PAGE (object);

  g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->to_publish);
  g_clear_pointer (&self->pending_map, g_free);

  G_OBJECT_CLASS (mamori_board_page_parent_class)->dispose (object);
}

static void
mamori_board_page_finalize (GObject *object)
{
  MamoriBoardPage *self = MAMORI_BOARD_PAGE (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->selection);
  g_clear_object (&self->schools);

  G_OBJECT_CLASS (mamori_board_page_parent_class)->finalize (object);
}

static void
mamori_board_page_class_init (MamoriBoardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_board_page_dispose;
  object_class->finalize = mamori_board_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-board-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardPage, lowered_list);

  gtk_widget_class_install_action (widget_class, "page.refresh", NULL,
                                   mamori_board_page_refresh_action);
  gtk_widget_class_install_action (widget_class, "page.publish", NULL,
                                   mamori_board_page_publish_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "page.refresh", NULL);
}

static void
mamori_board_page_init (MamoriBoardPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->schools = g_list_store_new (MAMORI_TYPE_BOARD_SCHOOL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->schools)));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_column (self, _ ("School"), COLUMN_NAME);
  add_column (self, _ ("Waiting"), COLUMN_PENDING);
  add_column (self, _ ("Overdue"), COLUMN_OVERDUE);
  add_column (self, _ ("Declined"), COLUMN_DECLINED);
  add_column (self, _ ("Lowered Assets"), COLUMN_LOWERED);

  placeholder = gtk_label_new (_ ("None: every asset is at its template’s level or above"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->lowered_list, placeholder);

  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy",
                                  G_CALLBACK (session_changed_cb), self);
  update_actions (self);
  show_school (self);
}
