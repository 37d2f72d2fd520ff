/* mamori-takeout-request-dialog.c — 新しい申請: the new take-out request form
 *
 * The register is read into a MamoriRegisterTable in the session's thread, as the page
 * reads it (the form says so meanwhile and searches what was typed once it has read);
 * its filter normalises what is typed (ＵＳＢ finds USB), the first matches are offered,
 * and a click adds one, read from the vault once no job has it, as the user's own staff
 * record and blanket grants are.  Whenever the items or the medium change, what the
 * policy says of the request is shown (mamori-takeout-request-dialog-verdict.c), with the
 * measures of the level that decides as check boxes: "request.file" waits for every one
 * of them, for the required fields and for dates in order.  The records check everything
 * again when the request is signed, and what they refuse is shown above the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-level.h"
#include "mamori-session-register.h"
#include "mamori-takeout-request-dialog-private.h"

/* How many matches of the search are offered at once. */
#define MAX_RESULTS 6

G_DEFINE_FINAL_TYPE (MamoriTakeoutRequestDialog, mamori_takeout_request_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_FILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- helpers ------------------------------------------------------------------------ */

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
mark (GtkWidget *widget, gboolean error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

static void
say_problem (MamoriTakeoutRequestDialog *self, const char *problem)
{
  if (problem != NULL)
    gtk_label_set_label (self->problem_label, problem);
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
}

/* --- the items ---------------------------------------------------------------------- */

static gboolean
has_asset (MamoriTakeoutRequestDialog *self, const char *id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->asset, id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
fill_items (MamoriTakeoutRequestDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_list))) != NULL)
    gtk_list_box_remove (self->items_list, child);
  for (guint i = 0; i < self->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (self->items, i);
      MamoriLevel *level = mamori_policy_lookup_level (self->policy, item->level);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *label = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
      if (item->asset == NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _ ("Not in the register"));
      if (level != NULL)
        {
          GtkWidget *badge = mamori_level_badge_new (level);

          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), badge);
        }
      label = g_strdup_printf (_ ("Remove “%s”"), item->name);
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "request.remove-item");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->items_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->items_list), self->items->len > 0);
}

static void
fill_results (MamoriTakeoutRequestDialog *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *words = g_strstrip (g_strdup (query));
  GListModel *model = G_LIST_MODEL (self->table);
  guint n = g_list_model_get_n_items (model);
  guint shown = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results_label), self->reading);
  if (self->reading)
    {
      gtk_label_set_label (self->results_label, _ ("Reading the register…"));
      gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
      return;
    }
  if (*words == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
      return;
    }
  for (guint i = 0; i < n && shown < MAX_RESULTS; i++)
    {
      g_autoptr (MamoriRegisterRow) entry = g_list_model_get_item (model, i);
      const char *id = mamori_register_row_get_id (entry);
      const char *location = mamori_register_row_get_text (entry, MAMORI_REGISTER_FIELD_LOCATION);
      GtkWidget *row;
      GtkWidget *add;
      g_autofree char *subtitle = NULL;

      if (has_asset (self, id))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (
          ADW_PREFERENCES_ROW (row),
          mamori_register_row_get_text (entry, MAMORI_REGISTER_FIELD_NAME));
      subtitle
          = *location != '\0'
                ? g_strdup_printf (
                    "%s · %s", mamori_register_row_get_text (entry, MAMORI_REGISTER_FIELD_LEVEL),
                    location)
                : g_strdup (mamori_register_row_get_text (entry, MAMORI_REGISTER_FIELD_LEVEL));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      add = gtk_image_new_from_icon_name ("list-add-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "asset", g_strdup (id), g_free);
      gtk_list_box_append (self->results_list, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), shown > 0);
  if (shown == 0)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Nothing else in the register matches “%s”."), query);

      gtk_label_set_label (self->results_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->results_label), TRUE);
    }
  else if (n > MAX_RESULTS)
    {
      g_autofree char *count = g_strdup_printf ("%'u", n);
      /* TRANSLATORS: %s is the number of entries, grouped (14,286). */
      g_autofree char *text
          = g_strdup_printf (ngettext ("%s entry matches: type more to narrow the search.",
                                       "%s entries match: type more to narrow the search.", n),
                             count);

      gtk_label_set_label (self->results_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->results_label), TRUE);
    }
}

static void
search_changed_cb (MamoriTakeoutRequestDialog *self)
{
  mamori_register_table_set_filter (
      self->table, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), NULL, NULL);
  fill_results (self);
}

static void
items_changed (MamoriTakeoutRequestDialog *self)
{
  fill_items (self);
  fill_results (self);
  _mamori_takeout_request_dialog_update (self);
}

/* The entries picked, read from the vault once no job has it (mostly at once). */
static void
picks_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutRequestDialog *self = user_data;
  g_autoptr (GPtrArray) ids = g_steal_pointer (&self->picks_waiting);

  if (free_error != NULL)
    {
      say_problem (self, free_error->message);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (GError) error = NULL;
      MamoriTakeoutItem *item = NULL;

      if (!has_asset (self, ids->pdata[i]))
        item = mamori_takeout_item_from_register (mamori_vault_get_store (self->vault),
                                                  ids->pdata[i], &error);
      if (item != NULL)
        g_ptr_array_add (self->items, item);
      else if (error != NULL)
        say_problem (self, error->message);
    }
  items_changed (self);
}

static void
result_activated_cb (MamoriTakeoutRequestDialog *self, GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "asset");

  gboolean first = self->picks_waiting == NULL;

  if (id == NULL || has_asset (self, id))
    return;
  if (first)
    self->picks_waiting = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->picks_waiting, g_strdup (id));
  if (first)
    mamori_session_when_free (self->session, self->cancellable, picks_free_cb, self);
}

static MamoriLevel *
free_level (MamoriTakeoutRequestDialog *self)
{
  GListModel *levels = mamori_policy_get_levels (self->policy);
  guint selected = adw_combo_row_get_selected (self->free_level_row);

  return selected < g_list_model_get_n_items (levels) ? g_list_model_get_item (levels, selected)
                                                      : NULL;
}

static void
free_changed_cb (MamoriTakeoutRequestDialog *self)
{
  g_autofree char *name = row_text (self->free_name_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.add-item", *name != '\0');
}

static void
add_item_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutRequestDialog *self = MAMORI_TAKEOUT_REQUEST_DIALOG (widget);
  g_autofree char *name = row_text (self->free_name_row);
  g_autoptr (MamoriLevel) level = free_level (self);

  if (*name == '\0' || level == NULL)
    return;
  g_ptr_array_add (self->items,
                   mamori_takeout_item_new (NULL, name, mamori_level_get_id (level), NULL));
  gtk_editable_set_text (GTK_EDITABLE (self->free_name_row), "");
  items_changed (self);
}

static void
free_activated_cb (MamoriTakeoutRequestDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "request.add-item", NULL);
}

static void
remove_item_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutRequestDialog *self = MAMORI_TAKEOUT_REQUEST_DIALOG (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index >= self->items->len)
    return;
  g_ptr_array_remove_index (self->items, index);
  items_changed (self);
}

/* --- the outcome and the measures --------------------------------------------------- */

/* --- the verdict (mamori-takeout-request-dialog-verdict.c) --------------------------- */

/* --- the form ----------------------------------------------------------------------- */

/* What is wrong with the details, or NULL; marks the rows in error. */
static const char *
check_details (MamoriTakeoutRequestDialog *self, const char *from, const char *until)
{
  g_autofree char *destination = row_text (self->destination_row);
  g_autofree char *purpose = row_text (self->purpose_row);
  gboolean from_ok = mamori_takeout_date_is_valid (from);
  gboolean until_ok = mamori_takeout_date_is_valid (until);
  gboolean order_ok = !from_ok || !until_ok || g_strcmp0 (from, until) <= 0;
  gboolean destination_missing = *destination == '\0';
  gboolean purpose_missing = *purpose == '\0';

  mark (GTK_WIDGET (self->destination_row), destination_missing && self->destination_touched);
  mark (GTK_WIDGET (self->purpose_row), purpose_missing && self->purpose_touched);
  mark (GTK_WIDGET (self->from_row), !from_ok);
  mark (GTK_WIDGET (self->until_row), !until_ok || !order_ok);
  if (!from_ok || !until_ok)
    return _ ("Write the dates as YYYY-MM-DD, for example 2026-06-01.");
  if (!order_ok)
    return _ ("The period ends before it starts.");
  if (destination_missing && self->destination_touched)
    return _ ("Say where the items are taken.");
  if (purpose_missing && self->purpose_touched)
    return _ ("Say what the items are taken out for.");
  if (destination_missing || purpose_missing)
    return "";
  return NULL;
}

void
_mamori_takeout_request_dialog_update (MamoriTakeoutRequestDialog *self)
{
  g_autofree char *from = row_text (ADW_ENTRY_ROW (self->from_row));
  g_autofree char *until = row_text (ADW_ENTRY_ROW (self->until_row));
  const char *problem = check_details (self, from, until);
  gboolean allowed = _mamori_takeout_request_dialog_judge (self, until);

  gtk_label_set_label (self->details_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), problem != NULL && *problem != '\0');
  gtk_widget_action_set_enabled (
      GTK_WIDGET (self), "request.file",
      self->draft == NULL && allowed && problem == NULL
          && _mamori_takeout_request_dialog_measures_acknowledged (self));
}

static void
form_changed_cb (MamoriTakeoutRequestDialog *self)
{
  /* Not while the template is being built. */
  if (self->items == NULL)
    return;
  _mamori_takeout_request_dialog_update (self);
}

static void
destination_changed_cb (MamoriTakeoutRequestDialog *self)
{
  self->destination_touched = TRUE;
  form_changed_cb (self);
}

static void
purpose_changed_cb (MamoriTakeoutRequestDialog *self)
{
  self->purpose_touched = TRUE;
  form_changed_cb (self);
}

/* The session's job is done, or none had the vault: the request goes in now. */
static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutRequestDialog *self = user_data;
  g_autoptr (MamoriTakeoutDraft) draft = g_steal_pointer (&self->draft);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  if (free_error == NULL)
    request = mamori_takeout_file (self->vault, draft, &error);
  if (request == NULL)
    {
      say_problem (self, free_error != NULL ? free_error->message : error->message);
      _mamori_takeout_request_dialog_update (self);
      return;
    }
  say_problem (self, NULL);
  g_signal_emit (self, signals[SIGNAL_FILED], 0, request->id);
  gtk_window_close (GTK_WINDOW (self));
}

/* The form as it is now is filed as soon as no job of the session has the vault (a sync
 * round may): 申請 stays insensitive meanwhile. */
static void
file_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutRequestDialog *self = MAMORI_TAKEOUT_REQUEST_DIALOG (widget);
  MamoriTakeoutDraft *draft;

  if (self->draft != NULL)
    return;
  draft = mamori_takeout_draft_new ();
  for (guint i = 0; i < self->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (self->items, i);

      g_ptr_array_add (draft->items,
                       mamori_takeout_item_new (item->asset, item->name, item->level, item->rule));
    }
  draft->medium = adw_combo_row_get_selected (self->medium_row);
  draft->destination = row_text (self->destination_row);
  draft->purpose = row_text (self->purpose_row);
  draft->date_from = row_text (ADW_ENTRY_ROW (self->from_row));
  draft->date_until = row_text (ADW_ENTRY_ROW (self->until_row));
  self->draft = draft;
  gtk_widget_action_set_enabled (widget, "request.file", FALSE);
  mamori_session_when_free (self->session, self->cancellable, vault_free_cb, self);
}

/* The register was read in the session's thread: what was typed meanwhile is searched;
 * nothing if the dialog went (@user_data is a weak reference: the reading keeps nothing). */
static void
table_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr (MamoriTakeoutRequestDialog) self = g_weak_ref_get (weak);
  g_autoptr (MamoriRegisterSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  snapshot = mamori_session_register_read_finish (MAMORI_SESSION (source), result, &error);
  if (self == NULL || self->table == NULL)
    return;
  self->reading = FALSE;
  if (snapshot != NULL)
    mamori_register_table_take_snapshot (self->table, g_steal_pointer (&snapshot));
  else
    say_problem (self, error->message);
  fill_results (self);
}

/* No job has the vault: who the user is, and the blanket grants they may use today. */
static void
me_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutRequestDialog *self = user_data;
  MamoriDb *db = mamori_vault_get_store (self->vault);
  g_autofree char *today = mamori_takeout_today ();
  g_autoptr (GError) error = NULL;

  if (free_error != NULL)
    return;
  self->me = mamori_roster_find_by_name (db, mamori_vault_get_user (self->vault), &error);
  if (self->me != NULL)
    self->grants = mamori_takeout_list_usable_grants (db, self->me->id, today, &error);
  if (error != NULL)
    say_problem (self, error->message);
  /* Not while the form is still being made. */
  if (self->items != NULL)
    _mamori_takeout_request_dialog_update (self);
}

static void
fill_choices (MamoriTakeoutRequestDialog *self)
{
  GListModel *levels = mamori_policy_get_levels (self->policy);
  g_autoptr (GtkStringList) level_labels = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) media = gtk_string_list_new (NULL);
  g_autofree char *today = mamori_takeout_today ();

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      gtk_string_list_append (level_labels, mamori_level_get_label (level));
    }
  adw_combo_row_set_model (self->free_level_row, G_LIST_MODEL (level_labels));
  /* The enumeration's order: the row's position is the medium. */
  for (guint i = MAMORI_TAKEOUT_MEDIUM_PAPER; i <= MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB; i++)
    gtk_string_list_append (media, mamori_takeout_medium_get_label (i));
  adw_combo_row_set_model (self->medium_row, G_LIST_MODEL (media));
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), today);
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), today);
}

static void
mamori_takeout_request_dialog_dispose (GObject *object)
{
  MamoriTakeoutRequestDialog *self = MAMORI_TAKEOUT_REQUEST_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->draft, mamori_takeout_draft_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG);
  g_clear_object (&self->table);
  g_clear_object (&self->session);
  g_clear_object (&self->policy);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->me, mamori_staff_free);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->picks_waiting, g_ptr_array_unref);
  g_clear_pointer (&self->measure_rows, g_ptr_array_unref);
  g_clear_pointer (&self->measure_texts, g_ptr_array_unref);
  G_OBJECT_CLASS (mamori_takeout_request_dialog_parent_class)->dispose (object);
}

static void
mamori_takeout_request_dialog_class_init (MamoriTakeoutRequestDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_takeout_request_dialog_dispose;

  signals[SIGNAL_FILED] = g_signal_new ("filed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MAMORI_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-request-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, results_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, results_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, items_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, free_name_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, free_level_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, medium_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, until_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, details_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, outcome_detail);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutRequestDialog, measures_group);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, free_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, free_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, destination_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, purpose_changed_cb);

  gtk_widget_class_install_action (widget_class, "request.file", NULL, file_activated);
  gtk_widget_class_install_action (widget_class, "request.add-item", NULL, add_item_activated);
  gtk_widget_class_install_action (widget_class, "request.remove-item", "u", remove_item_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_takeout_request_dialog_init (MamoriTakeoutRequestDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

MamoriTakeoutRequestDialog *
mamori_takeout_request_dialog_new (MamoriSession *session, MamoriPolicy *policy)
{
  MamoriTakeoutRequestDialog *self;
  GWeakRef *weak;
  MamoriVault *vault;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);
  vault = mamori_session_get_vault (session);
  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);

  self = g_object_new (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->vault = g_object_ref (vault);
  self->policy = g_object_ref (policy);
  mamori_session_when_free (session, self->cancellable, me_free_cb, self);
  self->table = mamori_register_table_new ();
  self->reading = TRUE;
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  mamori_session_register_read_async (session, policy, self->cancellable, table_read_cb, weak);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_item_free);
  self->measure_rows = g_ptr_array_new ();
  self->measure_texts = g_ptr_array_new_with_free_func (g_free);
  fill_choices (self);
  fill_items (self);
  free_changed_cb (self);
  _mamori_takeout_request_dialog_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}
