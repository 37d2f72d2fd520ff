/* mamori-takeout-private.h — what the take-out fold and its queries share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-takeout.h"

G_BEGIN_DECLS

#define MAMORI_TAKEOUT_REQUEST_COLUMNS                                                             \
  "r.id, r.requester, s.name, r.items, r.level, r.rule, r.medium, r.destination, r.purpose, "      \
  "r.date_from, r.date_until, r.state, r.reason, r.version, r.approved_by, a.name, r.grant_id, "   \
  "r.noted_by, r.confirmed_by, r.created_seq, r.created_at, r.updated_seq, r.rejected_by"
#define MAMORI_TAKEOUT_REQUEST_FROM                                                                \
  " FROM takeout_requests r LEFT JOIN staff s ON s.id = r.requester LEFT JOIN staff a ON a.id = "  \
  "r.approved_by "

MamoriTakeoutRequest *
_mamori_takeout_request_from_row (sqlite3_stmt *stmt);

/* The items of a body or of the table: a JSON array of {asset?, name, level, rule?}. */
GPtrArray *
_mamori_takeout_items_from_json (JsonArray *array, GError **error);
JsonNode *
_mamori_takeout_items_to_json (GPtrArray *items);

/* The policy in force in @db's records (the newest in the table `policy`), parsed once
 * for as long as it stays in force. */
MamoriPolicy *
_mamori_takeout_policy_in_force (MamoriDb *db, GError **error);

G_END_DECLS
