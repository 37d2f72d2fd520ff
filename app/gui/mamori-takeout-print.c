/* mamori-takeout-print.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-print"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-print.h"
#include "mamori-takeout-print.h"

static void
form_size (gpointer data, int sheet, double *width, double *height)
{
  *width = MAMORI_TAKEOUT_FORM_WIDTH;
  *height = MAMORI_TAKEOUT_FORM_HEIGHT;
}

static void
form_draw (gpointer data, int sheet, cairo_t *cr, double width, double height)
{
  cairo_save (cr);
  mamori_print_fit_page (cr, 0, width, height, MAMORI_TAKEOUT_FORM_WIDTH,
                         MAMORI_TAKEOUT_FORM_HEIGHT);
  mamori_takeout_form_draw (data, cr);
  cairo_restore (cr);
}

GtkPrintOperation *
mamori_takeout_print_form_new (MamoriTakeoutForm *form)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (form != NULL, NULL);

  /* Translators: the print job's name: the take-out request form and its request's id. */
  name = g_strdup_printf (_ ("Take-out request %s"), form->id);
  return mamori_print_operation_new (name, 1, form_size, form_draw, form,
                                     (GDestroyNotify)mamori_takeout_form_free);
}

static void
log_size (gpointer data, int sheet, double *width, double *height)
{
  *width = MAMORI_TAKEOUT_LOG_WIDTH;
  *height = MAMORI_TAKEOUT_LOG_HEIGHT;
}

static void
log_draw (gpointer data, int sheet, cairo_t *cr, double width, double height)
{
  cairo_save (cr);
  mamori_print_fit_page (cr, 0, width, height, MAMORI_TAKEOUT_LOG_WIDTH, MAMORI_TAKEOUT_LOG_HEIGHT);
  mamori_takeout_log_pages_draw (data, (guint)sheet, cr);
  cairo_restore (cr);
}

GtkPrintOperation *
mamori_takeout_print_log_new (MamoriTakeoutLogPages *log)
{
  g_return_val_if_fail (log != NULL, NULL);

  return mamori_print_operation_new (mamori_takeout_log_pages_get_title (log),
                                     (int)mamori_takeout_log_pages_get_n_pages (log), log_size,
                                     log_draw, log, (GDestroyNotify)mamori_takeout_log_pages_free);
}
