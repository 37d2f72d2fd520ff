/* mamori-takeout-page-print-private.h — the take-out page's paper: print or export the
 * selected request's form, the 持出簿 for a range of dates, and the filled example
 * (mamori-takeout-page-print.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-takeout-page.h"

G_BEGIN_DECLS

/* Installs takeout.print-form, takeout.export-form, takeout.print-log,
 * takeout.export-log and takeout.show-example. */
void
_mamori_takeout_page_print_class_init (GtkWidgetClass *widget_class);
/* The session of the page (mamori-takeout-page.c). */
MamoriSession *
_mamori_takeout_page_get_session (MamoriTakeoutPage *self);
/* Enables what the selection and the session allow. */
void
_mamori_takeout_page_print_update (MamoriTakeoutPage *self);

G_END_DECLS
