/* mamori-handbook-vault.h — the school's own handbook source, from its unlocked vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-handbook-source.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

/* The policy stored in @vault, the school's name and the people of the contact chain.
 * Both the command line and the app make the school's handbook through this one
 * function: it is where the signed staff roster and the asset register plug in (section 2
 * lists the register when it has entries). */
MamoriHandbookSource *
mamori_handbook_source_new_for_vault (MamoriVault *vault, GError **error);

G_END_DECLS
