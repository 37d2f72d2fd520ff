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
#include "mamori-register-import.h"

/* Rows listed before "and N more": a preview, not the whole file. */
#define ROWS_SHOWN 300

struct _MamoriRegisterImportDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  AdwPreferencesGroup *summary_group;
  AdwComboRow *encoding_row;

  /* Owned references */
  MamoriVault *vault;
  MamoriPolicy *policy;
  GBytes *data;
  char *file_name;
  MamoriRegisterImport *import;
  GtkWidget *rows_group; /* replaced on each reading (borrowed from the page) */
  AdwPreferencesPage *page;
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.apply",
                                 import->errors->len == 0
                                     && import->n_added + import->n_changed > 0);
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

static void
read_file (MamoriRegisterImportDialog *self)
{
  static const MamoriCsvEncoding encodings[]
      = { MAMORI_CSV_ENCODING_AUTO, MAMORI_CSV_ENCODING_UTF8, MAMORI_CSV_ENCODING_CP932 };
  guint selected = adw_combo_row_get_selected (self->encoding_row);
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GError) error = NULL;

  current = mamori_register_list (mamori_vault_get_store (self->vault), &error);
  g_clear_pointer (&self->import, mamori_register_import_free);
  self->import = mamori_register_import_prepare (
      self->policy, current, self->data,
      encodings[selected < G_N_ELEMENTS (encodings) ? selected : 0], self->file_name);
  show_summary (self);
  fill_rows (self);
}

static void
encoding_changed_cb (MamoriRegisterImportDialog *self)
{
  if (self->data != NULL)
    read_file (self);
}

static void
apply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriRegisterImportDialog *self = MAMORI_REGISTER_IMPORT_DIALOG (widget);
  g_autoptr (GError) error = NULL;
  g_autofree char *added = number (self->import->n_added);
  g_autofree char *changed = number (self->import->n_changed);
  g_autofree char *summary = NULL;

  if (!mamori_register_import_apply (self->vault, self->import, &error))
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), _ ("Nothing Was Imported"), error->message));

      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* Translators: after an import: “Imported register.csv: 12 new, 3 changed”. */
  summary
      = g_strdup_printf (_ ("Imported %s: %s new, %s changed"), self->file_name, added, changed);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, summary);
  gtk_window_close (GTK_WINDOW (self));
}

static void
mamori_register_import_dialog_dispose (GObject *object)
{
  MamoriRegisterImportDialog *self = MAMORI_REGISTER_IMPORT_DIALOG (object);

  g_clear_object (&self->vault);
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

  object_class->dispose = mamori_register_import_dialog_dispose;

  /* The file was imported: a sentence saying what changed. */
  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-register-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, summary_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterImportDialog, encoding_row);
  gtk_widget_class_bind_template_callback (widget_class, encoding_changed_cb);
  gtk_widget_class_install_action (widget_class, "import.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_register_import_dialog_init (MamoriRegisterImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->page = ADW_PREFERENCES_PAGE (
      gtk_widget_get_ancestor (GTK_WIDGET (self->summary_group), ADW_TYPE_PREFERENCES_PAGE));
}

GtkWidget *
mamori_register_import_dialog_new (MamoriVault *vault,
                                   MamoriPolicy *policy,
                                   GBytes *data,
                                   const char *file_name)
{
  MamoriRegisterImportDialog *self;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_REGISTER_IMPORT_DIALOG, NULL);
  self->vault = g_object_ref (vault);
  self->policy = g_object_ref (policy);
  self->data = g_bytes_ref (data);
  self->file_name = g_strdup (file_name);
  adw_window_title_set_subtitle (self->window_title, file_name);
  read_file (self);
  return GTK_WIDGET (self);
}

guint
mamori_register_import_dialog_get_n_errors (MamoriRegisterImportDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_IMPORT_DIALOG (self), 0);
  return self->import->errors->len;
}
