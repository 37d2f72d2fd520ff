/* mamori-policy-install.h — putting a policy in force in a school's vault
 *
 * A signed policy-installed event (records/mamori-policy-record.h) and, when the new
 * policy's levels are not the old one's, the register's entries moved to the new levels
 * by asset-changed events, all in one transaction: a board moving from 大分県's A–D to
 * MEXT's Ⅰ–Ⅳ keeps every entry.  An entry that the mapping puts below the new template's
 * level for its asset is recorded as lowered, with the mapping as its reason (the board
 * sees these, and the board made that choice).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-policy-mapping.h"
#include "mamori-register-entry.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

/* Installs @policy.  @mapping_spec ("A=I,B=II,…", see mamori-policy-mapping.h; nullable)
 * moves every register entry from its level to the mapped one.  Without it, every level
 * the register uses must be in the new policy (MAMORI_POLICY_ERROR_MAPPING saying which
 * are not, otherwise).  Only an administrator may (MAMORI_VAULT_ERROR_NOT_ALLOWED; the
 * fold refuses anyone else as well).  @out_relevelled (nullable) receives how many
 * entries changed level. */
gboolean
mamori_policy_install (MamoriVault *vault,
                       MamoriPolicy *policy,
                       const char *mapping_spec,
                       guint *out_relevelled,
                       GError **error);

/* @entry moved by @mapping (written as @mapping_text) and checked against @policy: the
 * body of its asset-changed, NULL (no error) when nothing changes.  mamori-board moves
 * each school's entries with it when it publishes a policy. */
JsonNode *
mamori_policy_relevel_entry (const MamoriRegisterEntry *entry,
                             MamoriPolicy *policy,
                             MamoriLevelMapping *mapping,
                             const char *mapping_text,
                             GError **error);

G_END_DECLS
