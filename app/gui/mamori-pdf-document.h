/* mamori-pdf-document.h — a PDF for the viewer: poppler behind one lock, work in threads
 *
 * Poppler's objects are not safe to use from two threads at once; as in Papers, every
 * call into a document holds the document's lock, so that pages can be rendered and
 * searched off the main thread while printing draws on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A match of a search, on @page, in points from the page's top left.  A match that
 * runs over a line break has one rectangle per line. */
typedef struct
{
  guint page;
  guint n_rects;
  graphene_rect_t rects[4];
} MamoriPdfMatch;

#define MAMORI_TYPE_PDF_DOCUMENT (mamori_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPdfDocument, mamori_pdf_document, MAMORI, PDF_DOCUMENT, GObject)

/* Parses @bytes in a thread (a PDF that is not one fails with the reason). */
void
mamori_pdf_document_new_async (GBytes *bytes,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
MamoriPdfDocument *
mamori_pdf_document_new_finish (GAsyncResult *result, GError **error);
MamoriPdfDocument *
mamori_pdf_document_new (GBytes *bytes, GError **error);

/* The file's bytes, as loaded: what "Export as PDF" writes. */
GBytes *
mamori_pdf_document_get_bytes (MamoriPdfDocument *self);
const char *
mamori_pdf_document_get_title (MamoriPdfDocument *self);
guint
mamori_pdf_document_get_n_pages (MamoriPdfDocument *self);
/* In points. */
void
mamori_pdf_document_get_page_size (MamoriPdfDocument *self,
                                   guint page,
                                   double *out_width,
                                   double *out_height);

/* The page at @scale pixels per point, white under it, as a texture (in a thread). */
void
mamori_pdf_document_render_async (MamoriPdfDocument *self,
                                  guint page,
                                  double scale,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
GdkTexture *
mamori_pdf_document_render_finish (MamoriPdfDocument *self, GAsyncResult *result, GError **error);
/* The same, in the calling thread (the benchmark measures it). */
GdkTexture *
mamori_pdf_document_render (MamoriPdfDocument *self, guint page, double scale);

/* Every match of @text, case and width folded, page by page (in a thread): a GArray of
 * MamoriPdfMatch. */
void
mamori_pdf_document_find_async (MamoriPdfDocument *self,
                                const char *text,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
GArray *
mamori_pdf_document_find_finish (MamoriPdfDocument *self, GAsyncResult *result, GError **error);

/* Draws @page for a printer onto @cr, at 1 unit per point. */
void
mamori_pdf_document_render_for_printing (MamoriPdfDocument *self, guint page, cairo_t *cr);

G_END_DECLS
