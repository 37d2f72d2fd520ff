/* mamori-print.c
 *
 * Like Papers' print operation: the full page, in points, one page setup per sheet from
 * the sheet's own size; the operation holds what it prints, so that the page that started
 * it may go meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-print"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-print.h"

#define MM (72.0 / 25.4)

typedef struct
{
  MamoriPrintSheetSize sheet_size;
  MamoriPrintDrawSheet draw_sheet;
  gpointer data;
  GDestroyNotify destroy;
} Job;

static void
job_free (Job *job)
{
  if (job->destroy != NULL)
    job->destroy (job->data);
  g_free (job);
}

/* A paper GTK knows by name when the size is one (the printer then picks the tray). */
static GtkPaperSize *
paper_for (double width, double height)
{
  static const struct
  {
    const char *name;
    double width, height; /* mm */
  } papers[] = {
    { "jis_b5", 182, 257 },
    { "iso_a4", 210, 297 },
    { "jis_b4", 257, 364 },
    { "iso_a3", 297, 420 },
  };
  double short_side = MIN (width, height) / MM, long_side = MAX (width, height) / MM;

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    if (fabs (papers[i].width - short_side) < 1.5 && fabs (papers[i].height - long_side) < 1.5)
      return gtk_paper_size_new (papers[i].name);
  return gtk_paper_size_new_custom ("mamori-custom", _ ("Document size"), MIN (width, height),
                                    MAX (width, height), GTK_UNIT_POINTS);
}

static void
request_page_setup_cb (GtkPrintOperation *operation,
                       GtkPrintContext *context,
                       int sheet,
                       GtkPageSetup *setup,
                       Job *job)
{
  double width, height;
  g_autoptr (GtkPaperSize) paper = NULL;

  job->sheet_size (job->data, sheet, &width, &height);
  paper = paper_for (width, height);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, width > height ? GTK_PAGE_ORIENTATION_LANDSCAPE
                                                        : GTK_PAGE_ORIENTATION_PORTRAIT);
}

static void
draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int sheet, Job *job)
{
  job->draw_sheet (job->data, sheet, gtk_print_context_get_cairo_context (context),
                   gtk_print_context_get_width (context), gtk_print_context_get_height (context));
}

void
mamori_print_fit_page (
    cairo_t *cr, double x, double width, double height, double page_width, double page_height)
{
  double scale = MIN (width / page_width, height / page_height);

  cairo_translate (cr, x + (width - page_width * scale) / 2, (height - page_height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, page_width, page_height);
  cairo_clip (cr);
}

GtkPrintOperation *
mamori_print_operation_new (const char *job_name,
                            int n_sheets,
                            MamoriPrintSheetSize sheet_size,
                            MamoriPrintDrawSheet draw_sheet,
                            gpointer data,
                            GDestroyNotify destroy)
{
  GtkPrintOperation *operation;
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  Job *job;

  g_return_val_if_fail (n_sheets > 0, NULL);

  job = g_new0 (Job, 1);
  job->sheet_size = sheet_size;
  job->draw_sheet = draw_sheet;
  job->data = data;
  job->destroy = destroy;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, n_sheets);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, job_name);
  request_page_setup_cb (operation, NULL, 0, setup, job);
  gtk_print_operation_set_default_page_setup (operation, setup);

  g_object_set_data_full (G_OBJECT (operation), "mamori-print-job", job, (GDestroyNotify)job_free);
  g_signal_connect (operation, "request-page-setup", G_CALLBACK (request_page_setup_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);
  return operation;
}

void
mamori_print_run (GtkPrintOperation *operation, GtkWidget *parent)
{
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (parent);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Printing failed: %s", error->message);
}
