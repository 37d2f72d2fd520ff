/* mamori-takeout-row.h — one take-out request as a row of the take-out page's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-takeout.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_ROW (mamori_takeout_row_get_type ())
G_DECLARE_FINAL_TYPE (MamoriTakeoutRow, mamori_takeout_row, MAMORI, TAKEOUT_ROW, GObject)

/* Takes @request; @policy (nullable) gives the levels' labels, @today the overdue mark. */
MamoriTakeoutRow *
mamori_takeout_row_new (MamoriTakeoutRequest *request, MamoriPolicy *policy, const char *today);

const MamoriTakeoutRequest *
mamori_takeout_row_get_request (MamoriTakeoutRow *self);

G_END_DECLS
