/* mamori-register-page-actions.c — what the register page's actions do: add and edit
 * in a dialog, remove with an undo, add the template's items, import and export files
 *
 * Every change goes through core (mamori-register.h), which signs it as the unlocked
 * user; the fold refuses what the user's role may not do, whatever the page shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-register-dialog.h"
#include "mamori-register-import-dialog.h"
#include "mamori-register-page-private.h"
#include "mamori-register-template-dialog.h"
#include "mamori-register-import.h"

static GtkWindow *
parent_window (MamoriRegisterPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
present (MamoriRegisterPage *self, GtkWidget *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- add, edit, remove ------------------------------------------------------------------- */

static void
saved_cb (MamoriRegisterPage *self, const char *id)
{
  _mamori_register_page_entry_saved (self, id);
}

static void
open_dialog (MamoriRegisterPage *self, MamoriRegisterEntry *entry)
{
  MamoriVault *vault = _mamori_register_page_get_vault (self);
  GtkWidget *dialog;

  if (vault == NULL)
    return;
  dialog = mamori_register_dialog_new (self->session, self->policy, entry,
                                       _mamori_register_page_may_edit (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, G_CONNECT_SWAPPED);
  present (self, dialog);
}

static void
add_action (MamoriRegisterPage *self)
{
  open_dialog (self, NULL);
}

/* A removal or its undo, waiting for the vault to be free (mamori_session_when_free()). */
typedef struct
{
  MamoriRegisterPage *page;
  char *id;
} Change;

static Change *
change_new (MamoriRegisterPage *page, const char *id)
{
  Change *change = g_new0 (Change, 1);

  change->page = g_object_ref (page);
  change->id = g_strdup (id);
  return change;
}

static void
change_free (Change *change)
{
  g_object_unref (change->page);
  g_free (change->id);
  g_free (change);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

/* The entry is read for its dialog once the vault is free (a reading of the register may
 * have it): the dialog opens then, once however often it was asked for meanwhile. */
static void
edit_when_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  g_autoptr (Change) change = user_data;
  MamoriRegisterPage *self = change->page;
  MamoriVault *vault = _mamori_register_page_get_vault (self);
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->edit_waiting, g_free);
  if (free_error != NULL || vault == NULL)
    return;
  entry = mamori_register_find (mamori_vault_get_store (vault), change->id, FALSE, &error);
  if (entry == NULL)
    {
      if (error != NULL)
        _mamori_register_page_fail (self, _ ("Cannot read the entry"), error);
      return;
    }
  open_dialog (self, entry);
}

static void
edit_action (MamoriRegisterPage *self, const char *id)
{
  if (_mamori_register_page_get_vault (self) == NULL || self->edit_waiting != NULL)
    return;
  self->edit_waiting = g_strdup (id);
  /* Without a cancellable it is called once, whatever happens: it holds the page. */
  mamori_session_when_free (self->session, NULL, edit_when_free_cb, change_new (self, id));
}

static void
delete_when_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  g_autoptr (Change) change = user_data;
  MamoriRegisterPage *self = change->page;
  MamoriVault *vault = mamori_session_get_vault (session);
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (free_error != NULL)
    return;
  entry = mamori_register_find (mamori_vault_get_store (vault), change->id, FALSE, NULL);
  if (entry == NULL || !mamori_register_remove (vault, change->id, &error))
    {
      if (error != NULL)
        _mamori_register_page_fail (self, _ ("Cannot remove the entry"), error);
      return;
    }
  mamori_register_page_reload (self);
  /* Translators: a toast after removing an entry of the register. */
  title = g_strdup_printf (_ ("Removed “%s”"), entry->name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_action_name (toast, "register.restore");
  adw_toast_set_action_target_value (toast, g_variant_new_string (change->id));
  _mamori_register_page_toast (self, toast);
}

/* Removed as soon as no job of the session has the vault (a sync round may); a lock
 * first removes nothing (the page shows the unlock screen's side then). */
static void
delete_action (MamoriRegisterPage *self)
{
  g_autofree char *id = _mamori_register_page_dup_selected_id (self);

  if (_mamori_register_page_get_vault (self) == NULL || id == NULL)
    return;
  /* Without a cancellable it is called once, whatever happens: it holds the page. */
  mamori_session_when_free (self->session, NULL, delete_when_free_cb, change_new (self, id));
}

static void
restore_when_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  g_autoptr (Change) change = user_data;
  g_autoptr (GError) error = NULL;

  if (free_error != NULL)
    return;
  if (!mamori_register_restore (mamori_session_get_vault (session), change->id, &error))
    {
      _mamori_register_page_fail (change->page, _ ("Cannot bring the entry back"), error);
      return;
    }
  _mamori_register_page_entry_saved (change->page, change->id);
}

static void
restore_action (MamoriRegisterPage *self, const char *id)
{
  if (_mamori_register_page_get_vault (self) == NULL)
    return;
  mamori_session_when_free (self->session, NULL, restore_when_free_cb, change_new (self, id));
}

/* --- the template -------------------------------------------------------------------------- */

static void
added_cb (MamoriRegisterPage *self, guint n_added)
{
  g_autofree char *count = g_strdup_printf ("%u", n_added);
  g_autofree char *title = g_strdup_printf (_ ("Added %s of the board’s standard items"), count);

  mamori_register_page_reload (self);
  _mamori_register_page_toast (self, adw_toast_new (title));
}

static void
template_action (MamoriRegisterPage *self)
{
  MamoriVault *vault = _mamori_register_page_get_vault (self);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  if (vault == NULL)
    return;
  entries = mamori_register_list (mamori_vault_get_store (vault), &error);
  if (entries == NULL)
    {
      _mamori_register_page_fail (self, _ ("Cannot read the register"), error);
      return;
    }
  dialog = mamori_register_template_dialog_new (self->session, self->policy, entries);
  g_signal_connect_object (dialog, "added", G_CALLBACK (added_cb), self, G_CONNECT_SWAPPED);
  present (self, dialog);
}

/* --- files ------------------------------------------------------------------------------- */

static void
imported_cb (MamoriRegisterPage *self, const char *summary)
{
  /* The session's "records-changed" has the page read the register again. */
  _mamori_register_page_toast (self, adw_toast_new (summary));
}

static void
file_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriRegisterPage) self = user_data;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  if (data == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _mamori_register_page_fail (self, _ ("Cannot read the file"), error);
      return;
    }
  /* Locked, or the page gone, while the file was read. */
  if (!_mamori_register_page_can_edit (self))
    return;
  name = g_file_get_basename (G_FILE (source));
  dialog = mamori_register_import_dialog_new (self->session, self->policy, data, name);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, G_CONNECT_SWAPPED);
  present (self, dialog);
}

static void
import_chosen_cb (GtkNativeDialog *chooser, int response, MamoriRegisterPage *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && _mamori_register_page_can_edit (self))
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_file_load_bytes_async (file, NULL, file_loaded_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
import_action (MamoriRegisterPage *self)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Import a Register File"), parent_window (self),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
write_file (MamoriRegisterPage *self, const char *format, const char *path, GError **error)
{
  MamoriVault *vault = _mamori_register_page_get_vault (self);
  g_autoptr (GPtrArray) entries = NULL;
  MamoriRegisterFileFormat file_format = MAMORI_REGISTER_FILE_CSV_UTF8;

  if (vault == NULL)
    return TRUE;
  entries = mamori_register_list (mamori_vault_get_store (vault), error);
  if (entries == NULL)
    return FALSE;
  if (g_str_equal (format, "xlsx"))
    file_format = MAMORI_REGISTER_FILE_XLSX;
  else if (g_str_equal (format, "cp932"))
    file_format = MAMORI_REGISTER_FILE_CSV_CP932;
  return mamori_register_export (self->policy, entries, file_format, path, error);
}

static void
export_chosen_cb (GtkNativeDialog *chooser, int response, MamoriRegisterPage *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = g_file_get_path (file);
      if (path == NULL || !write_file (self, format, path, &error))
        {
          if (error == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _ ("Choose a file on this computer"));
          _mamori_register_page_fail (self, _ ("Cannot export the register"), error);
        }
      else
        _mamori_register_page_toast (self, adw_toast_new (_ ("Exported the register")));
    }
  g_object_unref (chooser);
}

static void
export_action (MamoriRegisterPage *self, const char *format)
{
  gboolean xlsx = g_str_equal (format, "xlsx");
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Export the Register"), parent_window (self),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));

  /* Translators: the file name offered when exporting the register (情報資産台帳). */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     xlsx ? _ ("register.xlsx") : _ ("register.csv"));
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- the actions ------------------------------------------------------------------------- */

static void
page_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriRegisterPage *self = MAMORI_REGISTER_PAGE (widget);

  if (g_str_equal (action_name, "register.add"))
    add_action (self);
  else if (g_str_equal (action_name, "register.edit"))
    edit_action (self, g_variant_get_string (parameter, NULL));
  else if (g_str_equal (action_name, "register.delete"))
    delete_action (self);
  else if (g_str_equal (action_name, "register.restore"))
    restore_action (self, g_variant_get_string (parameter, NULL));
  else if (g_str_equal (action_name, "register.add-from-template"))
    template_action (self);
  else if (g_str_equal (action_name, "register.import"))
    import_action (self);
  else if (g_str_equal (action_name, "register.export"))
    export_action (self, g_variant_get_string (parameter, NULL));
}

void
_mamori_register_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "register.add", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "register.edit", "s", page_action);
  gtk_widget_class_install_action (widget_class, "register.delete", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "register.restore", "s", page_action);
  gtk_widget_class_install_action (widget_class, "register.add-from-template", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "register.import", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "register.export", "s", page_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "register.add",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "register.delete", NULL);
}
