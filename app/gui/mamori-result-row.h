/* mamori-result-row.h — one search result: an asset with its level, or a scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_RESULT_ROW (mamori_result_row_get_type ())
G_DECLARE_FINAL_TYPE (MamoriResultRow, mamori_result_row, MAMORI, RESULT_ROW, AdwBin)

MamoriLookupResult *
mamori_result_row_get_result (MamoriResultRow *self);
void
mamori_result_row_set_result (MamoriResultRow *self, MamoriLookupResult *result);

G_END_DECLS
