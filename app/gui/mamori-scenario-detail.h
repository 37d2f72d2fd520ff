/* mamori-scenario-detail.h — a scenario's cautions and prohibitions, with their source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-scenario.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_SCENARIO_DETAIL (mamori_scenario_detail_get_type ())
G_DECLARE_FINAL_TYPE (MamoriScenarioDetail, mamori_scenario_detail, MAMORI, SCENARIO_DETAIL, AdwBin)

GtkWidget *
mamori_scenario_detail_new (MamoriScenario *scenario);
MamoriScenario *
mamori_scenario_detail_get_scenario (MamoriScenarioDetail *self);

G_END_DECLS
