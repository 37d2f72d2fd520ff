/* mamori-handbook-print.c
 *
 * Like Papers' print operation: the full page, in points, one page setup per sheet from
 * the document's own page size; the operation holds the document, so that the page
 * that started it may go meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-print"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-booklet.h"
#include "mamori-handbook-print.h"

#define MM (72.0 / 25.4)

typedef struct
{
  MamoriPdfDocument *document;
  gboolean booklet;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->document);
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

/* The sheet for @sheet: a page, or two side by side for a booklet. */
static void
sheet_size (Job *job, int sheet, double *width, double *height)
{
  int page = 0;

  if (job->booklet)
    {
      int left, right;

      mamori_booklet_get_side (mamori_pdf_document_get_n_pages (job->document), sheet, &left,
                               &right);
      page = left >= 0 ? left : right;
    }
  else
    page = sheet;
  mamori_pdf_document_get_page_size (job->document, page, width, height);
  if (job->booklet)
    *width *= 2;
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

  sheet_size (job, sheet, &width, &height);
  paper = paper_for (width, height);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, width > height ? GTK_PAGE_ORIENTATION_LANDSCAPE
                                                        : GTK_PAGE_ORIENTATION_PORTRAIT);
}

/* Draws @page scaled to fit @width × @height at (@x, 0), centred. */
static void
draw_fitted (Job *job, cairo_t *cr, int page, double x, double width, double height)
{
  double page_width, page_height, scale;

  if (page < 0)
    return;
  mamori_pdf_document_get_page_size (job->document, page, &page_width, &page_height);
  scale = MIN (width / page_width, height / page_height);

  cairo_save (cr);
  cairo_translate (cr, x + (width - page_width * scale) / 2, (height - page_height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, page_width, page_height);
  cairo_clip (cr);
  mamori_pdf_document_render_for_printing (job->document, page, cr);
  cairo_restore (cr);
}

static void
draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int sheet, Job *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);

  if (job->booklet)
    {
      int left, right;

      mamori_booklet_get_side (mamori_pdf_document_get_n_pages (job->document), sheet, &left,
                               &right);
      draw_fitted (job, cr, left, 0, width / 2, height);
      draw_fitted (job, cr, right, width / 2, width / 2, height);
    }
  else
    draw_fitted (job, cr, sheet, 0, width, height);
}

GtkPrintOperation *
mamori_handbook_print_new (MamoriPdfDocument *document, gboolean booklet)
{
  GtkPrintOperation *operation;
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  guint n_pages;
  Job *job;

  g_return_val_if_fail (MAMORI_IS_PDF_DOCUMENT (document), NULL);

  n_pages = mamori_pdf_document_get_n_pages (document);
  g_return_val_if_fail (n_pages > 0, NULL);

  job = g_new0 (Job, 1);
  job->document = g_object_ref (document);
  job->booklet = booklet;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, booklet ? (int)mamori_booklet_get_n_sides (n_pages)
                                                      : (int)n_pages);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, mamori_pdf_document_get_title (document) != NULL
                                                   ? mamori_pdf_document_get_title (document)
                                                   : _ ("Mamori handbook"));
  request_page_setup_cb (operation, NULL, 0, setup, job);
  gtk_print_operation_set_default_page_setup (operation, setup);

  g_object_set_data_full (G_OBJECT (operation), "mamori-print-job", job, (GDestroyNotify)job_free);
  g_signal_connect (operation, "request-page-setup", G_CALLBACK (request_page_setup_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), job);
  return operation;
}
