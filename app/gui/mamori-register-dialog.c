/* mamori-register-dialog.c — adding, editing or reading one entry of the register
 *
 * The form is checked as it is filled in, with the same rules core applies before
 * signing (mamori_register_entry_check()): the rows in error are marked, the first
 * problem is said above the form, and Save waits until there is none.  An entry below
 * its template's level asks for a reason.  An existing entry shows its history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-policy-axis.h"
#include "mamori-register-dialog.h"
#include "mamori-register-history.h"

struct _MamoriRegisterDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *cancel_button;
  GtkButton *save_button;
  GtkRevealer *problem_revealer;
  GtkLabel *problem_label;
  AdwEntryRow *name_row;
  AdwEntryRow *qualifier_row;
  AdwComboRow *category_row;
  AdwComboRow *level_row;
  AdwComboRow *medium_row;
  AdwPreferencesGroup *reason_group;
  AdwEntryRow *reason_row;
  AdwPreferencesGroup *axes_group;
  AdwEntryRow *location_row;
  AdwEntryRow *custodian_row;
  AdwComboRow *takeout_row;
  AdwEntryRow *retention_row;
  AdwEntryRow *notes_row;
  AdwPreferencesGroup *history_group;

  /* Owned references */
  MamoriSession *session;
  MamoriVault *vault;
  MamoriPolicy *policy;
  MamoriRegisterEntry *entry;  /* as it was; its id is NULL for a new one */
  GPtrArray *axis_rows;        /* AdwComboRow, one per further axis (borrowed) */
  GArray *takeout_rules;       /* MamoriTakeoutRule offered after “the level's rule” */
  MamoriRegisterEntry *saving; /* saved when the vault is free: Save was pressed */
  GCancellable *cancellable;   /* the wait for the vault, cancelled when the dialog goes */
  gboolean editable;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (MamoriRegisterDialog, mamori_register_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- the form and the entry ---------------------------------------------------------------- */

static GtkStringList *
string_list (void)
{
  return gtk_string_list_new (NULL);
}

static MamoriLevel *
selected_level (MamoriRegisterDialog *self)
{
  GListModel *levels = mamori_policy_get_levels (self->policy);
  guint selected = adw_combo_row_get_selected (self->level_row);

  return selected < g_list_model_get_n_items (levels) ? g_list_model_get_item (levels, selected)
                                                      : NULL;
}

/* The take-out choices: the level's own rule, then each stricter one. */
static void
fill_takeout (MamoriRegisterDialog *self, const char *current)
{
  g_autoptr (MamoriLevel) level = selected_level (self);
  g_autoptr (GtkStringList) list = string_list ();
  MamoriTakeoutRule level_rule
      = level != NULL ? mamori_level_get_takeout_rule (level) : MAMORI_TAKEOUT_FORBIDDEN;
  g_autofree char *level_text
      = g_strdup_printf (_ ("The level’s rule: %s"), mamori_takeout_rule_get_label (level_rule));
  guint selected = 0;

  /* The level's rule in full below the title: the choice itself stays short. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->takeout_row), level_text);
  g_array_set_size (self->takeout_rules, 0);
  gtk_string_list_append (list, _ ("As the level says"));
  for (MamoriTakeoutRule rule = MAMORI_TAKEOUT_FORBIDDEN; rule < level_rule; rule++)
    {
      g_array_append_val (self->takeout_rules, rule);
      gtk_string_list_append (list, mamori_takeout_rule_get_label (rule));
      if (g_strcmp0 (current, mamori_takeout_rule_to_string (rule)) == 0)
        selected = self->takeout_rules->len;
    }
  adw_combo_row_set_model (self->takeout_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->takeout_row, selected);
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
}

/* The entry as the form has it. */
static MamoriRegisterEntry *
read_form (MamoriRegisterDialog *self)
{
  MamoriRegisterEntry *entry = mamori_register_entry_copy (self->entry);
  const char *const *categories = mamori_policy_get_category_ids (self->policy);
  guint category = adw_combo_row_get_selected (self->category_row);
  guint takeout = adw_combo_row_get_selected (self->takeout_row);
  g_autoptr (MamoriLevel) level = selected_level (self);
  GListModel *axes = mamori_policy_get_axes (self->policy);

  mamori_register_entry_set_text (entry, MAMORI_REGISTER_FIELD_NAME,
                                  gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
#define SET(field, row)                                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *text = row_text (row);                                                        \
    mamori_register_entry_set_text (entry, field, text);                                           \
  }                                                                                                \
  G_STMT_END
  SET (MAMORI_REGISTER_FIELD_QUALIFIER, self->qualifier_row);
  SET (MAMORI_REGISTER_FIELD_LOCATION, self->location_row);
  SET (MAMORI_REGISTER_FIELD_CUSTODIAN, self->custodian_row);
  SET (MAMORI_REGISTER_FIELD_RETENTION, self->retention_row);
  SET (MAMORI_REGISTER_FIELD_NOTES, self->notes_row);
  SET (MAMORI_REGISTER_FIELD_REASON, self->reason_row);
#undef SET
  mamori_register_entry_set_text (
      entry, MAMORI_REGISTER_FIELD_CATEGORY,
      category < g_strv_length ((char **)categories) ? categories[category] : NULL);
  mamori_register_entry_set_text (entry, MAMORI_REGISTER_FIELD_LEVEL,
                                  level != NULL ? mamori_level_get_id (level) : NULL);
  entry->medium = adw_combo_row_get_selected (self->medium_row);
  mamori_register_entry_set_text (entry, MAMORI_REGISTER_FIELD_TAKEOUT,
                                  takeout > 0 && takeout <= self->takeout_rules->len
                                      ? mamori_takeout_rule_to_string (g_array_index (
                                          self->takeout_rules, MamoriTakeoutRule, takeout - 1))
                                      : NULL);
  g_clear_pointer (&entry->axes, g_hash_table_unref);
  for (guint i = 0; i < self->axis_rows->len; i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->axis_rows, i));
      g_autoptr (MamoriAxisValue) value = NULL;

      /* The first choice is "not given". */
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
        continue;
      value = g_list_model_get_item (mamori_axis_get_values (axis), selected - 1);
      if (entry->axes == NULL)
        entry->axes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (entry->axes, g_strdup (mamori_axis_get_id (axis)),
                           g_strdup (mamori_axis_value_get_id (value)));
    }
  return entry;
}

static GtkWidget *
row_of_field (MamoriRegisterDialog *self, MamoriRegisterField field)
{
  switch (field)
    {
    case MAMORI_REGISTER_FIELD_NAME:
      return GTK_WIDGET (self->name_row);
    case MAMORI_REGISTER_FIELD_QUALIFIER:
      return GTK_WIDGET (self->qualifier_row);
    case MAMORI_REGISTER_FIELD_CATEGORY:
      return GTK_WIDGET (self->category_row);
    case MAMORI_REGISTER_FIELD_LEVEL:
      return GTK_WIDGET (self->level_row);
    case MAMORI_REGISTER_FIELD_MEDIUM:
      return GTK_WIDGET (self->medium_row);
    case MAMORI_REGISTER_FIELD_LOCATION:
      return GTK_WIDGET (self->location_row);
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      return GTK_WIDGET (self->custodian_row);
    case MAMORI_REGISTER_FIELD_TAKEOUT:
      return GTK_WIDGET (self->takeout_row);
    case MAMORI_REGISTER_FIELD_RETENTION:
      return GTK_WIDGET (self->retention_row);
    case MAMORI_REGISTER_FIELD_NOTES:
      return GTK_WIDGET (self->notes_row);
    case MAMORI_REGISTER_FIELD_REASON:
      return GTK_WIDGET (self->reason_row);
    case MAMORI_REGISTER_FIELD_AXES:
    default:
      return NULL;
    }
}

static void
show_problem (MamoriRegisterDialog *self, const char *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, message != NULL);
}

/* Checks the form: marks the rows in error, says the first problem, and shows the
 * reason's row when the level is below the template's. */
static void
check_form (MamoriRegisterDialog *self)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  MamoriAsset *template;
  gboolean name_given;

  if (self->filling || !self->editable)
    return;
  entry = read_form (self);
  problems = mamori_register_entry_check (entry, self->policy);
  for (guint f = 0; f < MAMORI_REGISTER_N_FIELDS; f++)
    if (row_of_field (self, f) != NULL)
      gtk_widget_remove_css_class (row_of_field (self, f), "error");
  /* A name not typed yet is not an error to shout about: Save just waits for it. */
  name_given = entry->name != NULL;
  for (guint i = 0; i < problems->len; i++)
    {
      MamoriRegisterProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row = row_of_field (self, problem->field);

      if (row != NULL && (name_given || problem->field != MAMORI_REGISTER_FIELD_NAME))
        gtk_widget_add_css_class (row, "error");
    }
  show_problem (self, problems->len > 0 && name_given
                          ? ((MamoriRegisterProblem *)g_ptr_array_index (problems, 0))->message
                          : NULL);
  template = mamori_register_find_template (self->policy, entry->name, entry->qualifier);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), entry->lowered);
  if (entry->lowered)
    {
      g_autofree char *description = g_strdup_printf (
          _ ("The board’s template gives “%s” %s. A lower level is flagged for the board and "
             "needs a reason."),
          entry->name, mamori_level_get_label (mamori_asset_get_level (template)));

      adw_preferences_group_set_description (self->reason_group, description);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "entry.save",
                                 self->saving == NULL && problems->len == 0);
}

static void
changed_cb (MamoriRegisterDialog *self)
{
  check_form (self);
}

static void
level_changed_cb (MamoriRegisterDialog *self)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;

  if (self->filling)
    return;
  entry = read_form (self);
  self->filling = TRUE;
  fill_takeout (self, entry->takeout);
  self->filling = FALSE;
  check_form (self);
}

/* --- filling the form ------------------------------------------------------------------------- */

static void
set_row_text (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
add_axis_rows (MamoriRegisterDialog *self)
{
  GListModel *axes = mamori_policy_get_axes (self->policy);

  for (guint i = 0; i < g_list_model_get_n_items (axes); i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      g_autoptr (GtkStringList) list = string_list ();
      GListModel *values = mamori_axis_get_values (axis);
      const char *current = self->entry->axes != NULL
                                ? g_hash_table_lookup (self->entry->axes, mamori_axis_get_id (axis))
                                : NULL;
      GtkWidget *row = adw_combo_row_new ();
      guint selected = 0;

      gtk_string_list_append (list, _ ("Not given"));
      for (guint v = 0; v < g_list_model_get_n_items (values); v++)
        {
          g_autoptr (MamoriAxisValue) value = g_list_model_get_item (values, v);

          gtk_string_list_append (list, mamori_axis_value_get_label (value));
          if (g_strcmp0 (current, mamori_axis_value_get_id (value)) == 0)
            selected = v + 1;
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mamori_axis_get_label (axis));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      gtk_widget_set_sensitive (row, self->editable);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (changed_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->axes_group, row);
      g_ptr_array_add (self->axis_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->axes_group), self->axis_rows->len > 0);
}

static char *
format_time (const char *iso8601)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso8601);
}

static char *
describe_changes (MamoriRegisterDialog *self, const MamoriRegisterHistoryItem *item)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (g_str_equal (item->type, MAMORI_EVENT_ASSET_REMOVED))
    return g_strdup (_ ("Removed from the register"));
  if (g_str_equal (item->type, MAMORI_EVENT_ASSET_ADDED))
    g_string_append (text, _ ("Added to the register"));
  else if (item->file != NULL)
    g_string_append_printf (text, _ ("Imported from %s"), item->file);
  else if (g_str_equal (item->type, MAMORI_EVENT_ASSETS_IMPORTED))
    g_string_append (text, _ ("Added from the board’s template"));
  for (guint i = 0; i < item->changes->len; i++)
    {
      MamoriRegisterFieldChange *change = g_ptr_array_index (item->changes, i);
      g_autofree char *old_text
          = mamori_register_format_value (self->policy, change->field, change->old_value);
      g_autofree char *new_text
          = mamori_register_format_value (self->policy, change->field, change->new_value);

      /* An addition lists what it set; a change what it changed. */
      if (change->old_value == NULL && !g_str_equal (item->type, MAMORI_EVENT_ASSET_CHANGED))
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: a change in an entry's history: “重要度: 重要度C → 重要度B”. */
      g_string_append_printf (
          text, _ ("%s: %s → %s"), mamori_register_field_get_label (change->field),
          *old_text != '\0' ? old_text : _ ("(none)"), *new_text != '\0' ? new_text : _ ("(none)"));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* No job of the session has the vault: the entry's history is read now (none shown when
 * the vault locked first, @free_error). */
static void
history_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriRegisterDialog *self = user_data;
  g_autoptr (GPtrArray) items = NULL;

  if (free_error == NULL)
    items = mamori_register_history (mamori_vault_get_store (self->vault), self->entry->id, NULL);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      MamoriRegisterHistoryItem *item = g_ptr_array_index (items, i);
      g_autofree char *when = format_time (item->created_at);
      g_autofree char *title = g_strdup_printf ("%s — %s", when, item->author);
      g_autofree char *subtitle = describe_changes (self, item);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->history_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), items != NULL && items->len > 0);
}

/* An existing entry's history, shown once no job of the session has the vault: the dialog
 * opens at once, even while a sync round has it. */
static void
fill_history (MamoriRegisterDialog *self)
{
  if (self->entry->id != NULL)
    mamori_session_when_free (self->session, self->cancellable, history_free_cb, self);
}

static void
fill_form (MamoriRegisterDialog *self)
{
  g_autoptr (GtkStringList) categories = string_list ();
  g_autoptr (GtkStringList) levels = string_list ();
  g_autoptr (GtkStringList) media = string_list ();
  const char *const *category_ids = mamori_policy_get_category_ids (self->policy);
  GListModel *level_model = mamori_policy_get_levels (self->policy);
  guint category = 0, level = 0;
  AdwEntryRow *entry_rows[]
      = { self->name_row,      self->qualifier_row, self->location_row, self->custodian_row,
          self->retention_row, self->notes_row,     self->reason_row };

  self->filling = TRUE;
  for (guint i = 0; category_ids[i] != NULL; i++)
    {
      gtk_string_list_append (categories,
                              mamori_policy_get_category_label (self->policy, category_ids[i]));
      if (g_strcmp0 (self->entry->category, category_ids[i]) == 0)
        category = i;
    }
  for (guint i = 0; i < g_list_model_get_n_items (level_model); i++)
    {
      g_autoptr (MamoriLevel) each = g_list_model_get_item (level_model, i);

      gtk_string_list_append (levels, mamori_level_get_label (each));
      if (g_strcmp0 (self->entry->level, mamori_level_get_id (each)) == 0)
        level = i;
    }
  for (guint i = 0; i < MAMORI_N_MEDIA; i++)
    gtk_string_list_append (media, mamori_medium_get_label (i));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));
  adw_combo_row_set_selected (self->category_row, category);
  adw_combo_row_set_model (self->level_row, G_LIST_MODEL (levels));
  adw_combo_row_set_selected (self->level_row, level);
  adw_combo_row_set_model (self->medium_row, G_LIST_MODEL (media));
  adw_combo_row_set_selected (self->medium_row, self->entry->medium);
  set_row_text (self->name_row, self->entry->name);
  set_row_text (self->qualifier_row, self->entry->qualifier);
  set_row_text (self->location_row, self->entry->location);
  set_row_text (self->custodian_row, self->entry->custodian);
  set_row_text (self->retention_row, self->entry->retention);
  set_row_text (self->notes_row, self->entry->notes);
  set_row_text (self->reason_row, self->entry->reason);
  fill_takeout (self, self->entry->takeout);
  add_axis_rows (self);
  fill_history (self);
  for (guint i = 0; i < G_N_ELEMENTS (entry_rows); i++)
    gtk_editable_set_editable (GTK_EDITABLE (entry_rows[i]), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->category_row), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->level_row), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->medium_row), self->editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->takeout_row), self->editable);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), self->entry->lowered);
  self->filling = FALSE;
}

/* --- saving -------------------------------------------------------------------------------------
 */

/* The session's job is done, or none had the vault: the entry is saved now. */
static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriRegisterDialog *self = user_data;
  g_autoptr (MamoriRegisterEntry) entry = g_steal_pointer (&self->saving);
  g_autoptr (GError) error = NULL;
  gboolean saved = FALSE;

  if (free_error == NULL)
    saved = entry->id == NULL ? mamori_register_add (self->vault, self->policy, entry, &error)
                              : mamori_register_change (self->vault, self->policy, entry, &error);
  if (!saved)
    {
      show_problem (self, free_error != NULL ? free_error->message : error->message);
      check_form (self);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, entry->id);
  gtk_window_close (GTK_WINDOW (self));
}

/* The form as it is now is saved as soon as no job of the session has the vault (a sync
 * round may): Save stays insensitive meanwhile. */
static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriRegisterDialog *self = MAMORI_REGISTER_DIALOG (widget);

  if (self->saving != NULL)
    return;
  self->saving = read_form (self);
  gtk_widget_action_set_enabled (widget, "entry.save", FALSE);
  mamori_session_when_free (self->session, self->cancellable, vault_free_cb, self);
}

/* --- GObject ---------------------------------------------------------------------------------- */

static void
mamori_register_dialog_dispose (GObject *object)
{
  MamoriRegisterDialog *self = MAMORI_REGISTER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->saving, mamori_register_entry_free);
  g_clear_object (&self->session);
  g_clear_object (&self->vault);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->entry, mamori_register_entry_free);
  g_clear_pointer (&self->axis_rows, g_ptr_array_unref);
  g_clear_pointer (&self->takeout_rules, g_array_unref);
  G_OBJECT_CLASS (mamori_register_dialog_parent_class)->dispose (object);
}

static void
mamori_register_dialog_class_init (MamoriRegisterDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_register_dialog_dispose;

  /* The entry was saved: its id. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-register-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, qualifier_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, level_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, medium_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, reason_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, axes_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, custodian_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, takeout_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, retention_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterDialog, history_group);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, level_changed_cb);
  gtk_widget_class_install_action (widget_class, "entry.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_register_dialog_init (MamoriRegisterDialog *self)
{
  self->axis_rows = g_ptr_array_new ();
  self->takeout_rules = g_array_new (FALSE, FALSE, sizeof (MamoriTakeoutRule));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_register_dialog_new (MamoriSession *session,
                            MamoriPolicy *policy,
                            const MamoriRegisterEntry *entry,
                            gboolean editable)
{
  MamoriRegisterDialog *self;
  MamoriVault *vault;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);
  vault = mamori_session_get_vault (session);
  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);

  self = g_object_new (MAMORI_TYPE_REGISTER_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->vault = g_object_ref (vault);
  self->policy = g_object_ref (policy);
  self->entry = entry != NULL ? mamori_register_entry_copy (entry) : mamori_register_entry_new ();
  self->editable = editable;
  if (self->entry->category == NULL)
    self->entry->category = g_strdup (mamori_policy_get_category_ids (policy)[0]);
  adw_window_title_set_title (self->window_title, entry == NULL ? _ ("New Entry")
                                                  : editable    ? _ ("Edit Entry")
                                                                : _ ("Entry"));
  adw_window_title_set_subtitle (self->window_title, entry != NULL ? entry->name : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), editable);
  gtk_button_set_label (self->cancel_button, editable ? _ ("_Cancel") : _ ("_Close"));
  fill_form (self);
  check_form (self);
  if (!editable)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "entry.save", FALSE);
  return GTK_WIDGET (self);
}
