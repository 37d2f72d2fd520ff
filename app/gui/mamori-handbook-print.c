/* mamori-handbook-print.c — the handbook's pages, or its booklet, through mamori-print
 *
 * Pages are drawn with poppler_page_render_for_printing; the operation holds the
 * document, so that the page that started it may go meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-print"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-booklet.h"
#include "mamori-handbook-print.h"
#include "mamori-print.h"

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

/* The sheet for @sheet: a page, or two side by side for a booklet. */
static void
sheet_size (gpointer data, int sheet, double *width, double *height)
{
  Job *job = data;
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

/* Draws @page scaled to fit @width × @height at (@x, 0), centred. */
static void
draw_fitted (Job *job, cairo_t *cr, int page, double x, double width, double height)
{
  double page_width, page_height;

  if (page < 0)
    return;
  mamori_pdf_document_get_page_size (job->document, page, &page_width, &page_height);
  cairo_save (cr);
  mamori_print_fit_page (cr, x, width, height, page_width, page_height);
  mamori_pdf_document_render_for_printing (job->document, page, cr);
  cairo_restore (cr);
}

static void
draw_sheet (gpointer data, int sheet, cairo_t *cr, double width, double height)
{
  Job *job = data;

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
  guint n_pages;
  Job *job;

  g_return_val_if_fail (MAMORI_IS_PDF_DOCUMENT (document), NULL);

  n_pages = mamori_pdf_document_get_n_pages (document);
  g_return_val_if_fail (n_pages > 0, NULL);

  job = g_new0 (Job, 1);
  job->document = g_object_ref (document);
  job->booklet = booklet;
  return mamori_print_operation_new (
      mamori_pdf_document_get_title (document) != NULL ? mamori_pdf_document_get_title (document)
                                                       : _ ("Mamori handbook"),
      booklet ? (int)mamori_booklet_get_n_sides (n_pages) : (int)n_pages, sheet_size, draw_sheet,
      job, (GDestroyNotify)job_free);
}
