/* mamori-handbook-print.h — printing a PDF page by page, or as a folded booklet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-pdf-document.h"

G_BEGIN_DECLS

/* A print operation for @document: each page on a sheet of its own size (B5, A4), or,
 * with @booklet, imposed two-up in folding order (中綴じ: padded to a multiple of four
 * pages) on landscape sheets of twice the page size (B4, A3), scaled to whatever paper
 * the printer dialog settles on.  Pages are drawn with poppler_page_render_for_printing. */
GtkPrintOperation *
mamori_handbook_print_new (MamoriPdfDocument *document, gboolean booklet);

G_END_DECLS
