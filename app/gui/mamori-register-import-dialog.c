/* mamori-register-import-dialog.c — what a register file would change, before anything
 * does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-register-history.h"
#include "mamori-register-import-dialog.h"
#include "mamori-session-register.h"

/* Rows listed before "and N more": a preview, not the whole file. */
#define ROWS_SHOWN 300

/* What the dialog's job in the session is doing. */
typedef enum
{
  PHASE_IDLE,
  PHASE_READING,
  PHASE_IMPORTING,
} Phase;

struct _MamoriRegisterImportDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  AdwPreferencesGroup *summary_group;
  AdwComboRow *encoding_row;
  GtkStack *content_stack;
  GtkSpinner *spinner;
  GtkLabel *busy_label;
  GtkLabel *busy_detail;

  /* Owned references */
  MamoriSession *session;
  MamoriPolicy *policy;
  GBytes *data;
  char *file_name;
  MamoriRegisterImport *import; /* the preview shown; taken by the import */
  GCancellable *cancellable;    /* the job running or waiting */
  GtkWidget *rows_group;        /* replaced on each reading (borrowed from the page) */
  AdwPreferencesPage *page;

  Phase phase;
  gboolean read_wanted;  /* (again): the session was busy, or the encoding changed */
  gboolean apply_wanted; /* Import was pressed while the session was busy */
  guint n_added;
  guint n_changed;
};

G_DEFINE_FINAL_TYPE (MamoriRegisterImportDialog, mamori_register_import_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
number (guint n)
{
  return g_strdup_printf ("%u", n);
}

static GtkWidget *
error_row (const MamoriCsvError *error)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  g_autofree char *line = number (error->line);
  g_autofree char *column = number (error->column);
  g_autofree char *title = error->column > 0
                               /* Translators: where an import file is wrong. */
                               ? g_strdup_printf (_ ("Line %s, column %s"), line, column)
                               : g_strdup_printf (_ ("Line %s"), line);

  gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static char *
describe_row (MamoriRegisterImportDialog *self, const MamoriImportRow *row)
{
  g_autoptr (GString) text = g_string_new (NULL);
  MamoriLevel *level = mamori_register_entry_get_level (row->after, self->policy);

  if (row->kind == MAMORI_IMPORT_ROW_ADDED)
    {
      const char *category = mamori_policy_get_category_label (self->policy, row->after->category);

      g_string_append_printf (text, "%s · %s", category != NULL ? category : row->after->category,
                              level != NULL ? mamori_level_get_label (level) : row->after->level);
      if (row->after->location != NULL)
        g_string_append_printf (text, " · %s", row->after->location);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  for (guint f = 0; f < MAMORI_REGISTER_N_FIELDS; f++)
    {
      g_autofree char *old_value = NULL, *new_value = NULL, *old_text = NULL, *new_text = NULL;

      if (!mamori_register_entry_field_differs (row->before, row->after, f))
        continue;
      old_value = mamori_register_entry_dup_value (row->before, f);
      new_value = mamori_register_entry_dup_value (row->after, f);
      old_text = mamori_register_format_value (self->policy, f, old_value);
      new_text = mamori_register_format_value (self->policy, f, new_value);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _ ("%s: %s → %s"), mamori_register_field_get_label (f),
                              *old_text != '\0' ? old_text : _ ("(none)"),
                              *new_text != '\0' ? new_text : _ ("(none)"));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
change_row (MamoriRegisterImportDialog *self, const MamoriImportRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (
      row->kind == MAMORI_IMPORT_ROW_ADDED ? "list-add-symbolic" : "document-edit-symbolic");
  g_autofree char *title
      = row->after->qualifier != NULL
            ? g_strdup_printf ("%s（%s）", row->after->name, row->after->qualifier)
            : g_strdup (row->after->name);
  g_autofree char *subtitle = describe_row (self, row);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  row->kind == MAMORI_IMPORT_ROW_ADDED ? _ ("New") : _ ("Changed"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (widget), 0);
  return widget;
}

static void
show_summary (MamoriRegisterImportDialog *self)
{
  MamoriRegisterImport *import = self->import;
  g_autofree char *errors = number (import->errors->len);
  g_autofree char *added = number (import->n_added);
  g_autofree char *changed = number (import->n_changed);
  g_autofree char *unchanged = number (import->n_unchanged);
  g_autofree char *title = NULL;
  const char *description;

  if (import->errors->len > 0)
    {
      /* Translators: the number of errors in an import file. */
      title = g_strdup_printf (_ ("The file has %s error(s)"), errors);
      description = _ ("Nothing is imported from a file with errors. Correct them in the file "
                       "(line and column are given below) and import it again.");
    }
  else
    {
      /* Translators: what an import would do: “12 new, 3 changed, 71 unchanged”. */
      title = g_strdup_printf (_ ("%s new, %s changed, %s unchanged"), added, changed, unchanged);
      description = import->n_added + import->n_changed > 0
                        ? _ ("Nothing has changed yet: Import adds and changes these entries, "
                             "all at once.")
                        : _ ("The register already holds everything in this file.");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row),
                               import->encoding == MAMORI_CSV_ENCODING_CP932
                                   ? _ ("Read as Shift_JIS (CP932)")
                                   : _ ("Read as UTF-8"));
  adw_preferences_group_set_title (self->summary_group, title);
  adw_preferences_group_set_description (self->summary_group, description);
}

static void
fill_rows (MamoriRegisterImportDialog *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  guint shown = 0, total = 0;

  if (self->rows_group != NULL)
    adw_preferences_page_remove (self->page, ADW_PREFERENCES_GROUP (self->rows_group));
  self->rows_group = group;
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
  if (self->import->errors->len > 0)
    {
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Errors"));
      total = self->import->errors->len;
      for (; shown < total && shown < ROWS_SHOWN; shown++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   error_row (g_ptr_array_index (self->import->errors, shown)));
    }
  else
    {
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("What Changes"));
      for (guint i = 0; i < self->import->rows->len; i++)
        {
          MamoriImportRow *row = g_ptr_array_index (self->import->rows, i);

          if (row->kind == MAMORI_IMPORT_ROW_UNCHANGED)
            continue;
          total++;
          if (shown < ROWS_SHOWN)
            {
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), change_row (self, row));
              shown++;
            }
        }
    }
  if (total > shown)
    {
      GtkWidget *more = adw_action_row_new ();
      g_autofree char *n = number (total - shown);
      g_autofree char *title = g_strdup_printf (_ ("and %s more"), n);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), title);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), more);
    }
  gtk_widget_set_visible (group, total > 0);
}

/* What is enabled while a job runs: Cancel until the import has begun, Import only on a
 * preview without errors that would change something. */
static void
update_actions (MamoriRegisterImportDialog *self)
{
  gboolean waiting = self->phase != PHASE_IDLE || self->read_wanted || self->apply_wanted;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel",
                                 self->phase != PHASE_IMPORTING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.apply",
                                 !waiting && self->import != NULL && self->import->errors->len == 0
                                     && self->import->n_added + self->import->n_changed > 0);
}

static void
show_busy (MamoriRegisterImportDialog *self, const char *label, const char *detail)
{
  gtk_label_set_text (self->busy_label, label);
  gtk_label_set_text (self->busy_detail, detail);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "busy");
  update_actions (self);
}

static void
show_preview (MamoriRegisterImportDialog *self)
{
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, "preview");
  update_actions (self);
}

static MamoriCsvEncoding
chosen_encoding (MamoriRegisterImportDialog *self)
{
  static const MamoriCsvEncoding encodings[]
      = { MAMORI_CSV_ENCODING_AUTO, MAMORI_CSV_ENCODING_UTF8, MAMORI_CSV_ENCODING_CP932 };
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  return encodings[selected < G_N_ELEMENTS (encodings) ? selected : 0];
}

static void
run_wanted (MamoriRegisterImportDialog *self);

static void
prepared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriRegisterImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  MamoriRegisterImport *import
      = mamori_session_register_import_prepare_finish (MAMORI_SESSION (source), result, &error);

  self->phase = PHASE_IDLE;
  /* Closed meanwhile, or read again in another encoding. */
  if (self->session == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&import, mamori_register_import_free);
      if (self->session != NULL)
        run_wanted (self);
      return;
    }
  g_clear_pointer (&self->import, mamori_register_import_free);
  self->import = import;
  if (import == NULL)
    {
      adw_preferences_group_set_title (self->summary_group, _ ("Cannot Read the Register"));
      adw_preferences_group_set_description (self->summary_group, error->message);
      if (self->rows_group != NULL)
        gtk_widget_set_visible (self->rows_group, FALSE);
    }
  else
    {
      show_summary (self);
      fill_rows (self);
    }
  show_preview (self);
  run_wanted (self);
}

static void
imported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriRegisterImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *added = number (self->n_added);
  g_autofree char *changed = number (self->n_changed);
  g_autofree char *summary = NULL;
  AdwMessageDialog *dialog;

  self->phase = PHASE_IDLE;
  if (!mamori_session_register_import_apply_finish (MAMORI_SESSION (source), result, &error))
    {
      if (self->session == NULL)
        return;
      dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), _ ("Nothing Was Imported"), error->message));
      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      /* The preview went with the import: the file is read again, as the register now is. */
      self->read_wanted = TRUE;
      run_wanted (self);
      return;
    }
  /* Translators: after an import: “Imported register.csv: 12 new, 3 changed”. */
  summary
      = g_strdup_printf (_ ("Imported %s: %s new, %s changed"), self->file_name, added, changed);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, summary);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Starts what is wanted once the session is free: it runs one job at a time, and a sync
 * round or another window's job may hold it. */
static void
run_wanted (MamoriRegisterImportDialog *self)
{
  if (self->phase != PHASE_IDLE || self->session == NULL
      || mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED
      || mamori_session_get_busy (self->session))
    {
      update_actions (self);
      return;
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->apply_wanted && self->import != NULL)
    {
      self->apply_wanted = FALSE;
      self->phase = PHASE_IMPORTING;
      self->n_added = self->import->n_added;
      self->n_changed = self->import->n_changed;
      mamori_session_register_import_apply_async (self->session, g_steal_pointer (&self->import),
                                                  self->cancellable, imported_cb,
                                                  g_object_ref (self));
    }
  else if (self->read_wanted)
    {
      self->read_wanted = FALSE;
      self->phase = PHASE_READING;
      mamori_session_register_import_prepare_async (
          self->session, self->policy, self->data, chosen_encoding (self), self->file_name,
          self->cancellable, prepared_cb, g_object_ref (self));
    }
  update_actions (self);
}

static void
read_file (MamoriRegisterImportDialog *self)
{
  /* A reading under way is of the encoding before: it stops, and this one follows. */
  if (self->phase == PHASE_READING)
    g_cancellable_cancel (self->cancellable);
  self->read_wanted = TRUE;
  show_busy (self, _ ("Reading the File…"),
             _ ("Every row is checked against the register. Nothing changes yet."));
  run_wanted (self);
}

static void
encoding_changed_cb (MamoriRegisterImportDialog *self)
{
  if (self->data != NULL)
    read_file (self);
}

static void
session_changed_cb (MamoriRegisterImportDialog *self)
{
  /* Nothing of the school's stays on screen once the vault locks. */
  if (mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    {
      if (self->phase != PHASE_IMPORTING)
        gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  run_wanted (self);
}

static void
apply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriRegisterImportDialog *self = MAMORI_REGISTER_IMPORT_DIALOG (widget);
  g_autofree char *count = NULL;
  g_autofree char *label = NULL;

  if (self->phase != PHASE_IDLE || self->import == NULL || self->import->errors->len > 0)
    return;
  count = number (self->import->n_added + self->import->n_changed);
  /* Translators: while an import runs: “Importing 100000 entries…”. */
  label = g_strdup_printf (_ ("Importing %s entries…"), count);
  self->apply_wanted = TRUE;
  show_busy (self, label,
             _ ("Each entry is signed as you, all in one go: the register gets the whole file "
                "or nothing of it."));
  run_wanted (self);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Until the import has begun, closing cancels it; once begun, it is finished first. */
static gboolean
mamori_register_import_dialog_close_request (GtkWindow *window)
{
  MamoriRegisterImportDialog *self = MAMORI_REGISTER_IMPORT_DIALOG (window);

  if (self->phase == PHASE_IMPORTING)
    return TRUE;
  self->read_wanted = self->apply_wanted = FALSE;
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (mamori_register_import_dialog_parent_class)->close_request (window);
}

static void
mamori_register_import_dialog_dispose (GObject *object)
{
  MamoriRegisterImportDialog *self = MAMORI_REGISTER_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->import, mamori_register_import_free);
  G_OBJECT_CLASS (mamori_register_import_dialog_parent_class)->dispose (object);
}

static void
mamori_register_import_dialog_class_init (MamoriRegisterImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mamori_register_import_dialog_dispose;
  window_class->close_request = mamori_register_import_dialog_close_request;

  /* The file was imported: a sentence saying what changed. */
  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-register-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, summary_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, busy_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, busy_detail);
  gtk_widget_class_bind_template_callback (widget_class, encoding_changed_cb);
  gtk_widget_class_install_action (widget_class, "import.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
mamori_register_import_dialog_init (MamoriRegisterImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->page = ADW_PREFERENCES_PAGE (
      gtk_widget_get_ancestor (GTK_WIDGET (self->summary_group), ADW_TYPE_PREFERENCES_PAGE));
}

GtkWidget *
mamori_register_import_dialog_new (MamoriSession *session,
                                   MamoriPolicy *policy,
                                   GBytes *data,
                                   const char *file_name)
{
  MamoriRegisterImportDialog *self;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_REGISTER_IMPORT_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->policy = g_object_ref (policy);
  self->data = g_bytes_ref (data);
  self->file_name = g_strdup (file_name);
  adw_window_title_set_subtitle (self->window_title, file_name);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (session, "notify::busy", G_CALLBACK (session_changed_cb), self);
  read_file (self);
  return GTK_WIDGET (self);
}

guint
mamori_register_import_dialog_get_n_errors (MamoriRegisterImportDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_IMPORT_DIALOG (self), 0);
  return self->import != NULL ? self->import->errors->len : 0;
}

gboolean
mamori_register_import_dialog_get_busy (MamoriRegisterImportDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_IMPORT_DIALOG (self), FALSE);
  return self->phase != PHASE_IDLE || self->read_wanted || self->apply_wanted;
}
