/* mamori-scenario.h — a daily scene with its cautions (留意事項) and prohibitions (禁止事項)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_SCENARIO (mamori_scenario_get_type ())
G_DECLARE_FINAL_TYPE (MamoriScenario, mamori_scenario, MAMORI, SCENARIO, GObject)

const char *
mamori_scenario_get_id (MamoriScenario *self);
const char *
mamori_scenario_get_title (MamoriScenario *self);
/* One sentence that says what the scene covers, or NULL. */
const char *
mamori_scenario_get_summary (MamoriScenario *self);
/* Symbolic icon name for shortcuts and rows. */
const char *
mamori_scenario_get_icon_name (MamoriScenario *self);
/* Words a teacher might type for this scene; never NULL. */
const char *const *
mamori_scenario_get_keywords (MamoriScenario *self);
const char *const *
mamori_scenario_get_cautions (MamoriScenario *self);
const char *const *
mamori_scenario_get_prohibitions (MamoriScenario *self);
/* The policy section(s) the scene rests on, e.g. 「図表15（大分県）; 対策基準 3.5.1」. */
const char *
mamori_scenario_get_source (MamoriScenario *self);
/* Whether the home page offers this scene as a shortcut. */
gboolean
mamori_scenario_get_shortcut (MamoriScenario *self);
/* The title's reading in hiragana, or NULL. */
const char *
mamori_scenario_get_reading (MamoriScenario *self);
/* NULL where the scene, or the caution or prohibition at @index, is the source's words. */
const MamoriBasis *
mamori_scenario_get_basis (MamoriScenario *self);
const MamoriBasis *
mamori_scenario_get_caution_basis (MamoriScenario *self, guint index);
const MamoriBasis *
mamori_scenario_get_prohibition_basis (MamoriScenario *self, guint index);

G_END_DECLS
