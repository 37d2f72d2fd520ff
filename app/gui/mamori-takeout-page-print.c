/* mamori-takeout-page-print.c — the take-out page's printing and exporting
 *
 * The form and the log are read from the vault when asked for, and drawn by the same
 * code whether printed (mamori-takeout-print.c) or written as PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-print.h"
#include "mamori-takeout-example.h"
#include "mamori-takeout-log-dialog.h"
#include "mamori-takeout-page-print-private.h"
#include "mamori-takeout-print.h"
#include "mamori-takeout-row.h"

static GtkWindow *
window_of (MamoriTakeoutPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (MamoriTakeoutPage *self, const char *heading, const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (window_of (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const MamoriTakeoutRequest *
selected_request (MamoriTakeoutPage *self)
{
  MamoriTakeoutRow *row
      = gtk_single_selection_get_selected_item (mamori_takeout_page_get_selection (self));

  return row != NULL ? mamori_takeout_row_get_request (row) : NULL;
}

/* The form of request @id, read from the vault now. */
static MamoriTakeoutForm *
read_form (MamoriTakeoutPage *self, const char *id, GError **error)
{
  MamoriVault *vault = mamori_takeout_page_get_vault (self);
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriTakeoutRequest) request = NULL;

  if (vault == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _ ("The vault is locked."));
      return NULL;
    }
  policy = mamori_vault_load_policy (vault, error);
  if (policy == NULL)
    return NULL;
  request = mamori_takeout_find (mamori_vault_get_store (vault), id, error);
  if (request == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_NOT_FOUND,
                     _ ("There is no take-out request %s"), id);
      return NULL;
    }
  return mamori_takeout_form_new (mamori_vault_get_store (vault), policy, request, error);
}

/* GTK 4.8 has no GtkFileDialog: the portal-aware native chooser, behind this helper. */
static GtkFileChooserNative *
save_chooser (MamoriTakeoutPage *self, const char *name, gboolean csv, GCallback response_cb)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      csv ? _ ("Export as CSV") : _ ("Export as PDF"), window_of (self),
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, csv ? _ ("CSV files") : _ ("PDF documents"));
  gtk_file_filter_add_mime_type (filter, csv ? "text/csv" : "application/pdf");
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", response_cb, self, 0);
  return chooser;
}

/* --- the request's form ---------------------------------------------------------------- */

static void
print_form_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  const MamoriTakeoutRequest *request = selected_request (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkPrintOperation) operation = NULL;
  MamoriTakeoutForm *form;

  if (request == NULL)
    return;
  form = read_form (self, request->id, &error);
  if (form == NULL)
    {
      show_error (self, _ ("Not Printed"), error);
      return;
    }
  operation = mamori_takeout_print_form_new (form);
  mamori_print_run (operation, widget);
}

static void
export_form_response_cb (GtkNativeDialog *chooser, int response, MamoriTakeoutPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (chooser), "mamori-request");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriTakeoutForm) form = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    form = read_form (self, id, &error);
  if (file != NULL && (form == NULL || !mamori_takeout_form_save (form, file, &error)))
    show_error (self, _ ("Not Exported"), error);
  g_object_unref (chooser);
}

static void
export_form_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  const MamoriTakeoutRequest *request = selected_request (self);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (request == NULL)
    return;
  /* Translators: the file name offered for a request's form; %.8s is the start of its id. */
  name = g_strdup_printf (_ ("take-out-request-%.8s.pdf"), request->id);
  chooser = save_chooser (self, name, FALSE, G_CALLBACK (export_form_response_cb));
  /* The request chosen now, whatever is selected when the file is. */
  g_object_set_data_full (G_OBJECT (chooser), "mamori-request", g_strdup (request->id), g_free);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- the 持出簿 -------------------------------------------------------------------------- */

typedef struct
{
  char *from;
  char *until;
  MamoriTakeoutLogFormat format;
  MamoriCsvEncoding encoding;
} LogChoice;

static void
log_choice_free (LogChoice *choice)
{
  g_free (choice->from);
  g_free (choice->until);
  g_free (choice);
}

static gboolean
write_log (MamoriTakeoutPage *self, const LogChoice *choice, GFile *file, GError **error)
{
  MamoriVault *vault = mamori_takeout_page_get_vault (self);
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GBytes) csv = NULL;
  MamoriDb *db;

  if (vault == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _ ("The vault is locked."));
      return FALSE;
    }
  policy = mamori_vault_load_policy (vault, error);
  if (policy == NULL)
    return FALSE;
  db = mamori_vault_get_store (vault);
  if (choice->format == MAMORI_TAKEOUT_LOG_FORMAT_PDF)
    return mamori_takeout_log_pdf_write (db, policy, choice->from, choice->until, file, error);
  csv = mamori_takeout_log_csv (db, policy, choice->from, choice->until, choice->encoding, error);
  return csv != NULL
         && g_file_replace_contents (file, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                                     NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

static void
export_log_response_cb (GtkNativeDialog *chooser, int response, MamoriTakeoutPage *self)
{
  const LogChoice *choice = g_object_get_data (G_OBJECT (chooser), "mamori-log-choice");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && !write_log (self, choice, file, &error))
    show_error (self, _ ("Not Exported"), error);
  g_object_unref (chooser);
}

static void
print_log (MamoriTakeoutPage *self, const char *from, const char *until)
{
  MamoriVault *vault = mamori_takeout_page_get_vault (self);
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkPrintOperation) operation = NULL;
  MamoriTakeoutLogPages *log = NULL;

  if (vault == NULL)
    return;
  policy = mamori_vault_load_policy (vault, &error);
  if (policy != NULL)
    log = mamori_takeout_log_pages_new (mamori_vault_get_store (vault), policy, from, until,
                                        &error);
  if (log == NULL)
    {
      show_error (self, _ ("Not Printed"), error);
      return;
    }
  operation = mamori_takeout_print_log_new (log);
  mamori_print_run (operation, GTK_WIDGET (self));
}

static void
log_response_cb (MamoriTakeoutLogDialog *dialog, const char *response, MamoriTakeoutPage *self)
{
  LogChoice *choice;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (g_str_equal (response, "print"))
    print_log (self, mamori_takeout_log_dialog_get_from (dialog),
               mamori_takeout_log_dialog_get_until (dialog));
  if (!g_str_equal (response, "export"))
    return;
  choice = g_new0 (LogChoice, 1);
  choice->from = g_strdup (mamori_takeout_log_dialog_get_from (dialog));
  choice->until = g_strdup (mamori_takeout_log_dialog_get_until (dialog));
  choice->format = mamori_takeout_log_dialog_get_format (dialog);
  choice->encoding = mamori_takeout_log_dialog_get_encoding (dialog);
  /* Translators: the file name offered for the take-out log, with its dates and suffix. */
  name = g_strdup_printf (_ ("take-out-log-%s-%s.%s"), choice->from, choice->until,
                          choice->format == MAMORI_TAKEOUT_LOG_FORMAT_CSV ? "csv" : "pdf");
  chooser = save_chooser (self, name, choice->format == MAMORI_TAKEOUT_LOG_FORMAT_CSV,
                          G_CALLBACK (export_log_response_cb));
  g_object_set_data_full (G_OBJECT (chooser), "mamori-log-choice", choice,
                          (GDestroyNotify)log_choice_free);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
log_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  g_autofree char *today = mamori_takeout_today ();
  GtkWidget *dialog;

  if (mamori_takeout_page_get_vault (self) == NULL)
    return;
  dialog = mamori_takeout_log_dialog_new (window_of (self),
                                          g_str_equal (action_name, "takeout.export-log"), today);
  g_signal_connect_object (dialog, "response", G_CALLBACK (log_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the filled example ---------------------------------------------------------------- */

static void
show_example_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_present (
      GTK_WINDOW (mamori_takeout_example_new (window_of (MAMORI_TAKEOUT_PAGE (widget)))));
}

void
_mamori_takeout_page_print_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "takeout.print-form", NULL, print_form_activated);
  gtk_widget_class_install_action (widget_class, "takeout.export-form", NULL,
                                   export_form_activated);
  gtk_widget_class_install_action (widget_class, "takeout.print-log", NULL, log_activated);
  gtk_widget_class_install_action (widget_class, "takeout.export-log", NULL, log_activated);
  gtk_widget_class_install_action (widget_class, "takeout.show-example", NULL,
                                   show_example_activated);
}

void
_mamori_takeout_page_print_update (MamoriTakeoutPage *self)
{
  gboolean unlocked = mamori_takeout_page_get_vault (self) != NULL;
  gboolean selected = unlocked && selected_request (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.print-form", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.export-form", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.print-log", unlocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "takeout.export-log", unlocked);
}
