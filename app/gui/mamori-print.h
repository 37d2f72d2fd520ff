/* mamori-print.h — a print operation for pages drawn with cairo, in points
 *
 * What the handbook and the take-out forms share: one page setup per sheet from the
 * sheet's own size (a paper GTK knows by name when it is one, so that the printer picks
 * the tray), the full page in points, and each page scaled to whatever paper the print
 * dialog settles on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The size of sheet @sheet, in points. */
typedef void (*MamoriPrintSheetSize) (gpointer data, int sheet, double *width, double *height);
/* Draws sheet @sheet on @cr, whose user space is the paper in points, @width × @height. */
typedef void (*MamoriPrintDrawSheet) (
    gpointer data, int sheet, cairo_t *cr, double width, double height);

/* An operation printing @n_sheets sheets, asynchronously where the platform can; it holds
 * @data until it is finalized. */
GtkPrintOperation *
mamori_print_operation_new (const char *job_name,
                            int n_sheets,
                            MamoriPrintSheetSize sheet_size,
                            MamoriPrintDrawSheet draw_sheet,
                            gpointer data,
                            GDestroyNotify destroy);

/* Transforms @cr so that a page of @page_width × @page_height points fits the area at
 * (@x, 0) of @width × @height, centred, and clips to it. */
void
mamori_print_fit_page (
    cairo_t *cr, double x, double width, double height, double page_width, double page_height);

/* Shows the print dialog for @operation over @parent's window; a failure is logged. */
void
mamori_print_run (GtkPrintOperation *operation, GtkWidget *parent);

G_END_DECLS
