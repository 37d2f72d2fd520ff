/* mamori-takeout-print.h — the take-out request form and the 持出簿 through
 * GtkPrintOperation
 *
 * The pages are drawn by the same functions that make their PDF
 * (mamori_takeout_form_draw(), mamori_takeout_log_pages_draw()), straight into the print
 * context's cairo context, so that they print at the printer's resolution.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-takeout-form.h"

G_BEGIN_DECLS

/* An operation printing @form (taken) on one A4 sheet. */
GtkPrintOperation *
mamori_takeout_print_form_new (MamoriTakeoutForm *form);
/* An operation printing @log (taken) on A4 landscape sheets. */
GtkPrintOperation *
mamori_takeout_print_log_new (MamoriTakeoutLogPages *log);

G_END_DECLS
