/* mamori-booklet.h — the page order of a saddle-stitched booklet (中綴じ)
 *
 * A booklet of N pages is printed on N/4 sheets folded in the middle, two pages side by
 * side on each side of a sheet, after padding N to a multiple of four with blank pages.
 * For horizontal (横書き) text the fold is on the left of page 1: the outer side of the
 * first sheet holds the last page and page 1, its inner side page 2 and the one before
 * the last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @n_pages rounded up to a multiple of four (0 stays 0). */
guint
mamori_booklet_get_n_padded_pages (guint n_pages);

/* Sides to print: two per sheet, in printing order (sheet 1 outer, sheet 1 inner, …). */
guint
mamori_booklet_get_n_sides (guint n_pages);

/* The pages on @side (0-based, below mamori_booklet_get_n_sides ()), left and right, as
 * 0-based page numbers; -1 for a blank page of the padding. */
void
mamori_booklet_get_side (guint n_pages, guint side, int *out_left, int *out_right);

G_END_DECLS
