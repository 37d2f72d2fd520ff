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

/* --- what is asked for, done when the vault is free ------------------------------------ */

/* The 持出簿's dates, and for an export its format. */
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

typedef enum
{
  PAPER_PRINT_FORM,
  PAPER_EXPORT_FORM,
  PAPER_PRINT_LOG,
  PAPER_EXPORT_LOG,
} PaperKind;

/* A print or an export asked for: the form and the log are read from the vault, which
 * the main thread touches only when no job has it (mamori_session_when_free()). */
typedef struct
{
  MamoriTakeoutPage *page;
  PaperKind kind;
  char *id;          /* the request, for its form */
  LogChoice *choice; /* the dates, and for an export the format, for the log */
  GFile *file;       /* where an export goes */
} Paper;

static void
paper_free (Paper *paper)
{
  g_object_unref (paper->page);
  g_free (paper->id);
  g_clear_pointer (&paper->choice, log_choice_free);
  g_clear_object (&paper->file);
  g_free (paper);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Paper, paper_free)

static gboolean
write_log (MamoriTakeoutPage *self, const LogChoice *choice, GFile *file, GError **error);
static void
print_log (MamoriTakeoutPage *self, const LogChoice *choice);

static void
paper_when_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  g_autoptr (Paper) paper = user_data;
  gboolean printing = paper->kind == PAPER_PRINT_FORM || paper->kind == PAPER_PRINT_LOG;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriTakeoutForm) form = NULL;

  if (free_error != NULL)
    {
      show_error (paper->page, printing ? _ ("Not Printed") : _ ("Not Exported"), free_error);
      return;
    }
  switch (paper->kind)
    {
    case PAPER_PRINT_FORM:
      form = read_form (paper->page, paper->id, &error);
      if (form != NULL)
        {
          g_autoptr (GtkPrintOperation) operation
              = mamori_takeout_print_form_new (g_steal_pointer (&form));

          mamori_print_run (operation, GTK_WIDGET (paper->page));
        }
      break;
    case PAPER_EXPORT_FORM:
      form = read_form (paper->page, paper->id, &error);
      if (form != NULL)
        mamori_takeout_form_save (form, paper->file, &error);
      break;
    case PAPER_PRINT_LOG:
      print_log (paper->page, paper->choice);
      break;
    case PAPER_EXPORT_LOG:
      write_log (paper->page, paper->choice, paper->file, &error);
      break;
    }
  if (error != NULL)
    show_error (paper->page, printing ? _ ("Not Printed") : _ ("Not Exported"), error);
}

/* Does @kind once the vault is free; takes @id, @choice and @file. */
static void
paper_when_free (MamoriTakeoutPage *self, PaperKind kind, char *id, LogChoice *choice, GFile *file)
{
  Paper *paper = g_new0 (Paper, 1);

  paper->page = g_object_ref (self);
  paper->kind = kind;
  paper->id = id;
  paper->choice = choice;
  paper->file = file;
  mamori_session_when_free (_mamori_takeout_page_get_session (self), NULL, paper_when_free_cb,
                            paper);
}

/* --- the request's form ---------------------------------------------------------------- */

static void
print_form_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutPage *self = MAMORI_TAKEOUT_PAGE (widget);
  const MamoriTakeoutRequest *request = selected_request (self);

  if (request != NULL)
    paper_when_free (self, PAPER_PRINT_FORM, g_strdup (request->id), NULL, NULL);
}

static void
export_form_response_cb (GtkNativeDialog *chooser, int response, MamoriTakeoutPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    paper_when_free (self, PAPER_EXPORT_FORM,
                     g_strdup (g_object_get_data (G_OBJECT (chooser), "mamori-request")), NULL,
                     gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)));
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
  if (response == GTK_RESPONSE_ACCEPT)
    paper_when_free (self, PAPER_EXPORT_LOG, NULL,
                     g_object_steal_data (G_OBJECT (chooser), "mamori-log-choice"),
                     gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)));
  g_object_unref (chooser);
}

static void
print_log (MamoriTakeoutPage *self, const LogChoice *choice)
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
    log = mamori_takeout_log_pages_new (mamori_vault_get_store (vault), policy, choice->from,
                                        choice->until, &error);
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

  if (!g_str_equal (response, "print") && !g_str_equal (response, "export"))
    return;
  choice = g_new0 (LogChoice, 1);
  choice->from = g_strdup (mamori_takeout_log_dialog_get_from (dialog));
  choice->until = g_strdup (mamori_takeout_log_dialog_get_until (dialog));
  choice->format = mamori_takeout_log_dialog_get_format (dialog);
  choice->encoding = mamori_takeout_log_dialog_get_encoding (dialog);
  if (g_str_equal (response, "print"))
    {
      paper_when_free (self, PAPER_PRINT_LOG, NULL, choice, NULL);
      return;
    }
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
