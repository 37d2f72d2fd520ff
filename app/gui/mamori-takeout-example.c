/* mamori-takeout-example.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout-example"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-pdf-view.h"
#include "mamori-print.h"
#include "mamori-takeout-example.h"
#include "mamori-takeout-form.h"
#include "mamori-takeout-print.h"

struct _MamoriTakeoutExample
{
  AdwWindow parent_instance;

  /* Template widgets */
  MamoriPdfView *view;

  /* Owned references */
  MamoriPdfDocument *document;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutExample, mamori_takeout_example, ADW_TYPE_WINDOW)

static void
print_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GtkPrintOperation) operation
      = mamori_takeout_print_form_new (mamori_takeout_form_new_example ());

  mamori_print_run (operation, widget);
}

static void
export_response_cb (GtkNativeDialog *chooser, int response, MamoriTakeoutExample *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes = self->document != NULL ? mamori_pdf_document_get_bytes (self->document) : NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || bytes == NULL)
    return;
  if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
    {
      GtkWidget *dialog
          = adw_message_dialog_new (GTK_WINDOW (self), _ ("Not Exported"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* GTK 4.8 has no GtkFileDialog: the portal-aware native chooser. */
static void
export_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Export as PDF"), GTK_WINDOW (widget),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     _ ("take-out-request-example.pdf"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
mamori_takeout_example_dispose (GObject *object)
{
  MamoriTakeoutExample *self = MAMORI_TAKEOUT_EXAMPLE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_EXAMPLE);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (mamori_takeout_example_parent_class)->dispose (object);
}

static void
mamori_takeout_example_class_init (MamoriTakeoutExampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_takeout_example_dispose;

  g_type_ensure (MAMORI_TYPE_PDF_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-example.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutExample, view);
  gtk_widget_class_install_action (widget_class, "example.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "example.export", NULL, export_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "example.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_takeout_example_init (MamoriTakeoutExample *self)
{
  g_autoptr (MamoriTakeoutForm) form = mamori_takeout_form_new_example ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  pdf = mamori_takeout_form_to_pdf (form, &error);
  if (pdf != NULL)
    self->document = mamori_pdf_document_new (pdf, &error);
  if (self->document == NULL)
    {
      g_warning ("The example form cannot be shown: %s", error->message);
      return;
    }
  mamori_pdf_view_set_document (self->view, self->document);
  mamori_pdf_view_set_zoom_mode (self->view, MAMORI_PDF_ZOOM_FIT_WIDTH);
}

GtkWidget *
mamori_takeout_example_new (GtkWindow *parent)
{
  return g_object_new (MAMORI_TYPE_TAKEOUT_EXAMPLE, "transient-for", parent, NULL);
}

MamoriPdfDocument *
mamori_takeout_example_get_document (MamoriTakeoutExample *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_EXAMPLE (self), NULL);
  return self->document;
}
