/* mamori-takeout-paper-private.h — what the take-out form and log share on paper: text
 * laid out the same at any resolution, and pages made into a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define MAMORI_TAKEOUT_PAPER_FONT "Noto Sans CJK JP"

/* A context at 72 dpi (font sizes in points, as the pages' units) without hinting, in
 * Japanese: lines break the same on a PDF surface and on a printer's. */
PangoContext *
_mamori_takeout_paper_context_new (void);
/* @text in @size points, wrapped at @width points. */
PangoLayout *
_mamori_takeout_paper_layout (
    PangoContext *context, const char *text, double size, gboolean bold, double width);
double
_mamori_takeout_paper_height (PangoLayout *layout);
void
_mamori_takeout_paper_show (cairo_t *cr, PangoLayout *layout, double x, double y);

typedef void (*MamoriTakeoutPaperDraw) (gconstpointer data, guint page, cairo_t *cr);

/* @n_pages pages of @width × @height points, each drawn by @draw, as a PDF. */
GBytes *
_mamori_takeout_paper_pdf (const char *title,
                           double width,
                           double height,
                           guint n_pages,
                           MamoriTakeoutPaperDraw draw,
                           gconstpointer data,
                           GError **error);

G_END_DECLS
