/* mamori-pdf-thumbnails.h — the sidebar of page thumbnails; choosing one goes to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-pdf-document.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_PDF_THUMBNAILS (mamori_pdf_thumbnails_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPdfThumbnails, mamori_pdf_thumbnails, MAMORI, PDF_THUMBNAILS, GtkWidget)

void
mamori_pdf_thumbnails_set_document (MamoriPdfThumbnails *self, MamoriPdfDocument *document);
/* The selected page (0-based); bound both ways to the view's "page". */
guint
mamori_pdf_thumbnails_get_page (MamoriPdfThumbnails *self);
void
mamori_pdf_thumbnails_set_page (MamoriPdfThumbnails *self, guint page);

G_END_DECLS
