/* mamori-date-row.h — an entry row for a date written YYYY-MM-DD, with a calendar to pick it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MAMORI_TYPE_DATE_ROW (mamori_date_row_get_type ())

G_DECLARE_FINAL_TYPE (MamoriDateRow, mamori_date_row, MAMORI, DATE_ROW, AdwEntryRow)

GtkWidget *
mamori_date_row_new (void);

/* The row's date as typed or picked (YYYY-MM-DD), or NULL when its text is not one. */
GDateTime *
mamori_date_row_get_date (MamoriDateRow *self);

/* Shows @date (local) in the row as YYYY-MM-DD. */
void
mamori_date_row_set_date (MamoriDateRow *self, GDateTime *date);

G_END_DECLS
