/* mamori-policy-mapping.h — a mapping from one scheme's levels to another's
 *
 * A board that moves from one scheme to another (大分県's A–D to MEXT's Ⅰ–Ⅳ) says where
 * each old level goes: "A=Ⅰ,B=Ⅱ,C=Ⅲ,D=Ⅳ".  This is the pure part of
 * `mamori-cli policy install FILE --map …`: parsing, checking and applying the mapping.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-policy.h"

G_BEGIN_DECLS

typedef struct _MamoriLevelMapping MamoriLevelMapping;

#define MAMORI_TYPE_LEVEL_MAPPING (mamori_level_mapping_get_type ())
GType
mamori_level_mapping_get_type (void) G_GNUC_CONST;

/* Parses @spec, pairs OLD=NEW separated by commas, where OLD is a level of @from and NEW
 * a level of @to, each written as the level's id or label (compared after NFKC, so Ⅰ is
 * I and Ａ is A; spaces around the parts are ignored).  Every level of @from must be
 * mapped exactly once; several may go to the same level.  Fails with
 * MAMORI_POLICY_ERROR_MAPPING and a message that names the pair at fault. */
MamoriLevelMapping *
mamori_level_mapping_new_parse (MamoriPolicy *from,
                                MamoriPolicy *to,
                                const char *spec,
                                GError **error);
MamoriLevelMapping *
mamori_level_mapping_ref (MamoriLevelMapping *self);
void
mamori_level_mapping_unref (MamoriLevelMapping *self);

/* The level of the new scheme for @level_id of the old one; NULL for an id the old
 * scheme does not have. */
MamoriLevel *
mamori_level_mapping_map (MamoriLevelMapping *self, const char *level_id);
/* The mapping written out with the schemes' ids, in the old scheme's order: "A=I,B=II,…". */
char *
mamori_level_mapping_to_string (MamoriLevelMapping *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriLevelMapping, mamori_level_mapping_unref)

G_END_DECLS
