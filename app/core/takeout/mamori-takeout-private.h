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
  "r.noted_by, r.confirmed_by, r.created_seq, r.created_at, r.updated_seq, r.rejected_by, "        \
  "r.steps, r.steps_needed"
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

/* The signers of a request's approval steps as the table keeps them: a JSON array of
 * staff ids. */
GStrv
_mamori_takeout_steps_from_text (const char *text);
char *
_mamori_takeout_steps_to_text (const char *const *steps);

/* The policy in force in @db's records (the newest in the table `policy`), parsed once
 * for as long as it stays in force. */
MamoriPolicy *
_mamori_takeout_policy_in_force (MamoriDb *db, GError **error);

/* The request with @id, or MAMORI_TAKEOUT_ERROR_NOT_FOUND. */
MamoriTakeoutRequest *
_mamori_takeout_require_request (MamoriVault *vault, const char *id, GError **error);

/* What the folds share (mamori-takeout-fold.c, mamori-takeout-fold-grants.c). */
gboolean G_GNUC_PRINTF (3, 4)
    _mamori_takeout_refuse (GError **error, MamoriRecordsError code, const char *format, ...);
gboolean
_mamori_takeout_is_hex_id (const char *text, gsize bytes);
const char *
_mamori_takeout_body_date (const MamoriEvent *event, const char *member, GError **error);
void
_mamori_takeout_bind_text (sqlite3_stmt *stmt, int index, const char *text);
gboolean
_mamori_takeout_fold_granted (MamoriDb *db, const MamoriEvent *event, GError **error);
gboolean
_mamori_takeout_fold_revoked (MamoriDb *db, const MamoriEvent *event, GError **error);

/* The decisions with the passphrase confirmed already (mamori_vault_confirm_passphrase()):
 * what mamori_takeout_approve() and the others do after the key derivation, for the
 * benchmark, which measures the action without it. */
gboolean
_mamori_takeout_approve_as (MamoriVault *vault,
                            MamoriVaultSigner *signer,
                            const char *id,
                            GError **error);

G_END_DECLS
