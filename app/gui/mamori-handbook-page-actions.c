/* mamori-handbook-page-actions.c — the handbook page's files and printing: open any PDF,
 * export the document, print it page by page or as a booklet; and its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-handbook-page-private.h"
#include "mamori-handbook-print.h"

/* --- opening and exporting files ------------------------------------------------------ */

static void
file_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriHandbookPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autoptr (GTask) task = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      g_clear_object (&self->loading);
      _mamori_handbook_page_show_status (self, _ ("This File Cannot Be Shown"), error->message);
      return;
    }
  mamori_pdf_document_new_async (bytes, self->loading, _mamori_handbook_page_loaded_cb,
                                 g_object_ref (self));
}

void
mamori_handbook_page_open_file (MamoriHandbookPage *self, GFile *file)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  _mamori_handbook_page_cancel_loading (self);
  self->showing_file = TRUE;
  _mamori_handbook_page_set_document (self, NULL);
  _mamori_handbook_page_show_status (self, _ ("Opening…"), NULL);
  self->loading = g_cancellable_new ();
  g_file_load_bytes_async (file, self->loading, file_loaded_cb, g_object_ref (self));
}

/* GTK 4.8 has no GtkFileDialog: the portal-aware native chooser, kept behind these two
 * helpers so that moving to GtkFileDialog touches only them. */
static void
choose_file (MamoriHandbookPage *self, GtkFileChooserAction action, GCallback response_cb)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (
      action == GTK_FILE_CHOOSER_ACTION_SAVE ? _ ("Export as PDF") : _ ("Open a PDF"),
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
      action == GTK_FILE_CHOOSER_ACTION_SAVE ? _ ("_Export") : _ ("_Open"), _ ("_Cancel"));
  gtk_file_filter_set_name (filter, _ ("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                       self->showing_file ? _ ("document.pdf")
                                       : self->kind == MAMORI_HANDBOOK_KIND_LEAFLET
                                           ? _ ("leaflet.pdf")
                                           : _ ("handbook.pdf"));
  g_signal_connect_object (chooser, "response", response_cb, self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_response_cb (GtkNativeDialog *chooser, int response, MamoriHandbookPage *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    mamori_handbook_page_open_file (self, file);
  g_object_unref (chooser);
}

static void
export_response_cb (GtkNativeDialog *chooser, int response, MamoriHandbookPage *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || self->document == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL
      || !mamori_handbook_save_bytes (mamori_pdf_document_get_bytes (self->document), path, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (
          GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Not Exported"),
          error != NULL ? error->message : _ ("Choose a folder on this computer."));

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* --- actions -------------------------------------------------------------------------- */

static void
print_document (MamoriHandbookPage *self, gboolean booklet)
{
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->document == NULL)
    return;
  operation = mamori_handbook_print_new (self->document, booklet);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Printing failed: %s", error->message);
}

void
_mamori_handbook_page_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriHandbookPage *self = MAMORI_HANDBOOK_PAGE (widget);
  guint page = mamori_pdf_view_get_page (self->view);

  if (g_str_equal (action_name, "handbook.print"))
    print_document (self, FALSE);
  else if (g_str_equal (action_name, "handbook.print-booklet"))
    print_document (self, TRUE);
  else if (g_str_equal (action_name, "handbook.export"))
    choose_file (self, GTK_FILE_CHOOSER_ACTION_SAVE, G_CALLBACK (export_response_cb));
  else if (g_str_equal (action_name, "handbook.open"))
    choose_file (self, GTK_FILE_CHOOSER_ACTION_OPEN, G_CALLBACK (open_response_cb));
  else if (g_str_equal (action_name, "handbook.show-generated"))
    {
      self->showing_file = FALSE;
      _mamori_handbook_page_make (self);
    }
  else if (g_str_equal (action_name, "handbook.previous-page") && page > 0)
    mamori_pdf_view_go_to_page (self->view, page - 1);
  else if (g_str_equal (action_name, "handbook.next-page"))
    mamori_pdf_view_go_to_page (self->view, page + 1);
  else if (g_str_equal (action_name, "handbook.zoom-in"))
    mamori_pdf_view_zoom_in (self->view);
  else if (g_str_equal (action_name, "handbook.zoom-out"))
    mamori_pdf_view_zoom_out (self->view);
  else if (g_str_equal (action_name, "handbook.zoom-actual"))
    mamori_pdf_view_set_scale (self->view, 1.0);
  else if (g_str_equal (action_name, "handbook.find"))
    {
      gtk_toggle_button_set_active (self->find_button, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (g_str_equal (action_name, "handbook.find-next"))
    _mamori_handbook_page_move_match (self, 1);
  else if (g_str_equal (action_name, "handbook.find-previous"))
    _mamori_handbook_page_move_match (self, -1);
  else if (g_str_equal (action_name, "handbook.zoom-mode"))
    mamori_pdf_view_set_zoom_mode (self->view,
                                   g_str_equal (g_variant_get_string (parameter, NULL), "fit-page")
                                       ? MAMORI_PDF_ZOOM_FIT_PAGE
                                       : MAMORI_PDF_ZOOM_FIT_WIDTH);
}
