/* mamori-pdf-view.h — the pages of a PDF, one under the other, zoomed and searched
 *
 * Put it in a GtkScrolledWindow (it is GtkScrollable).  Pages are rendered off the main
 * thread and kept in a small cache; until a page's texture at the current zoom arrives,
 * the nearest one it has is drawn stretched, or blank paper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-pdf-document.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_PDF_ZOOM_FIT_WIDTH,
  MAMORI_PDF_ZOOM_FIT_PAGE,
  MAMORI_PDF_ZOOM_FREE,
} MamoriPdfZoomMode;

#define MAMORI_TYPE_PDF_VIEW (mamori_pdf_view_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPdfView, mamori_pdf_view, MAMORI, PDF_VIEW, GtkWidget)

GtkWidget *
mamori_pdf_view_new (void);

MamoriPdfDocument *
mamori_pdf_view_get_document (MamoriPdfView *self);
/* Shows @document from its first page (NULL: nothing). */
void
mamori_pdf_view_set_document (MamoriPdfView *self, MamoriPdfDocument *document);

MamoriPdfZoomMode
mamori_pdf_view_get_zoom_mode (MamoriPdfView *self);
void
mamori_pdf_view_set_zoom_mode (MamoriPdfView *self, MamoriPdfZoomMode mode);
/* Pixels per point (1.0 is 100 %). */
double
mamori_pdf_view_get_scale (MamoriPdfView *self);
/* A free zoom, clamped to 25 %–800 %. */
void
mamori_pdf_view_set_scale (MamoriPdfView *self, double scale);
void
mamori_pdf_view_zoom_in (MamoriPdfView *self);
void
mamori_pdf_view_zoom_out (MamoriPdfView *self);

/* The page in the middle of the view (0-based). */
guint
mamori_pdf_view_get_page (MamoriPdfView *self);
void
mamori_pdf_view_go_to_page (MamoriPdfView *self, guint page);

/* The matches to highlight (a GArray of MamoriPdfMatch, taken; NULL for none) and the
 * current one, which is scrolled into view. */
void
mamori_pdf_view_set_matches (MamoriPdfView *self, GArray *matches, guint current);

/* How many pages have a texture at the current zoom (tests and the benchmark). */
guint
mamori_pdf_view_get_n_rendered (MamoriPdfView *self);

G_END_DECLS
