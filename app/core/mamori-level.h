/* mamori-level.h — one level of a classification scheme and its handling rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_LEVEL (mamori_level_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLevel, mamori_level, MAMORI, LEVEL, GObject)

const char *
mamori_level_get_id (MamoriLevel *self);
/* Display label, e.g. 「重要度B」. */
const char *
mamori_level_get_label (MamoriLevel *self);
const char *
mamori_level_get_definition (MamoriLevel *self);
/* Position in the scheme: 0 is the most sensitive level. */
guint
mamori_level_get_rank (MamoriLevel *self);
gboolean
mamori_level_get_personal_info (MamoriLevel *self);
MamoriTakeoutRule
mamori_level_get_takeout_rule (MamoriLevel *self);
/* The policy's own words for the take-out rule (「原則持ち出し禁止」…), may be NULL. */
const char *
mamori_level_get_takeout_text (MamoriLevel *self);
/* NULL-terminated lists; never NULL, possibly empty. */
const char *const *
mamori_level_get_measures (MamoriLevel *self);
const char *const *
mamori_level_get_storage (MamoriLevel *self);
const char *const *
mamori_level_get_disposal (MamoriLevel *self);
/* Roles that may approve a take-out at this level. */
const MamoriRole *
mamori_level_get_approvers (MamoriLevel *self, guint *n_approvers);
/* The steps an approval takes at this level, in order (docs/policy-format.md,
 * "approval_steps"): 0 when the policy names none (one step, by the approvers). */
guint
mamori_level_get_n_approval_steps (MamoriLevel *self);
/* The roles that may sign step @step (0 is the first). */
const MamoriRole *
mamori_level_get_approval_step (MamoriLevel *self, guint step, guint *n_roles);
MamoriPermission
mamori_level_get_environment (MamoriLevel *self, MamoriEnvironment env);

/* On what each part rests: NULL where it is the source's words (docs/policy-format.md,
 * "basis").  The list getters take the index of the text in their list. */
const MamoriBasis *
mamori_level_get_basis (MamoriLevel *self);
const MamoriBasis *
mamori_level_get_takeout_basis (MamoriLevel *self);
const MamoriBasis *
mamori_level_get_measure_basis (MamoriLevel *self, guint index);
const MamoriBasis *
mamori_level_get_storage_basis (MamoriLevel *self, guint index);
const MamoriBasis *
mamori_level_get_disposal_basis (MamoriLevel *self, guint index);
const MamoriBasis *
mamori_level_get_environment_basis (MamoriLevel *self, MamoriEnvironment env);

G_END_DECLS
