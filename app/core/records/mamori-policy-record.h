/* mamori-policy-record.h — the policy the school uses, as a signed record
 *
 *   policy-installed   an administrator (or the board) puts a policy in force
 *
 * The body carries the whole policy document, so that the record is complete wherever it
 * is read (another PC, the board, a rebuild of the tables): its JSON as the policy writes
 * it, compressed (zlib) and in base64, with its SHA-256 — a policy is 40–80 KiB of JSON,
 * more than an event's whole payload may be.  With a level mapping (`levels_mapped`,
 * "A=I,B=II,…") the register's entries were moved to the new levels by the events that
 * follow, signed in the same transaction.  The fold checks the signer is an
 * administrator and that the document is a valid policy, and keeps it in the table
 * `policy` (the newest row is in force).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-event-log.h"
#include "mamori-policy.h"

G_BEGIN_DECLS

#define MAMORI_EVENT_POLICY_INSTALLED "policy-installed"

extern const MamoriFoldModule mamori_policy_fold_module;

/* The most a policy document may take uncompressed: a policy many times the largest
 * preset, and a bound on what decompressing a hostile record can allocate. */
#define MAMORI_POLICY_DOCUMENT_MAX (4 * 1024 * 1024)

/* The body of policy-installed for @policy; @levels_mapped (nullable) is the mapping,
 * written as mamori_level_mapping_to_string() writes it. */
JsonNode *
mamori_policy_installed_body (MamoriPolicy *policy, const char *levels_mapped, GError **error);

G_END_DECLS
