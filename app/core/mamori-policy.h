/* mamori-policy.h — a board's information-security policy: scheme, assets, scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-asset.h"
#include "mamori-level.h"
#include "mamori-policy-axis.h"
#include "mamori-scenario.h"

G_BEGIN_DECLS

#define MAMORI_POLICY_ERROR (mamori_policy_error_quark ())

typedef enum
{
  MAMORI_POLICY_ERROR_PARSE,     /* not JSON at all */
  MAMORI_POLICY_ERROR_INVALID,   /* JSON, but not a valid policy */
  MAMORI_POLICY_ERROR_NOT_FOUND, /* no such preset */
  MAMORI_POLICY_ERROR_MAPPING,   /* a mapping between two schemes' levels is not valid */
} MamoriPolicyError;

GQuark
mamori_policy_error_quark (void);

#define MAMORI_TYPE_POLICY (mamori_policy_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPolicy, mamori_policy, MAMORI, POLICY, GObject)

/* Loading validates the whole document first: an invalid file yields NULL and an
 * error naming the file, the JSON path and the reason; never a half-loaded policy. */
MamoriPolicy *
mamori_policy_new_from_data (const char *data, gsize length, const char *origin, GError **error);
MamoriPolicy *
mamori_policy_new_from_file (GFile *file, GError **error);
/* One of the presets shipped with Mamori ("oita-abcd", "mext-2025", …). */
MamoriPolicy *
mamori_policy_new_from_preset (const char *preset_id, GError **error);
/* The preset ids, default first. */
const char *const *
mamori_policy_list_presets (void);
const char *
mamori_policy_default_preset (void);

const char *
mamori_policy_get_id (MamoriPolicy *self);
const char *
mamori_policy_get_title (MamoriPolicy *self);
const char *
mamori_policy_get_description (MamoriPolicy *self);
const char *
mamori_policy_get_source (MamoriPolicy *self);

/* GListModel of MamoriLevel, most sensitive first. */
GListModel *
mamori_policy_get_levels (MamoriPolicy *self);
/* GListModel of MamoriAsset in policy order. */
GListModel *
mamori_policy_get_assets (MamoriPolicy *self);
/* GListModel of MamoriScenario in policy order. */
GListModel *
mamori_policy_get_scenarios (MamoriPolicy *self);

MamoriLevel *
mamori_policy_lookup_level (MamoriPolicy *self, const char *level_id);
MamoriScenario *
mamori_policy_lookup_scenario (MamoriPolicy *self, const char *scenario_id);
const char *
mamori_policy_get_category_label (MamoriPolicy *self, const char *category_id);
/* The category's reading in hiragana, or NULL. */
const char *
mamori_policy_get_category_reading (MamoriPolicy *self, const char *category_id);
/* Category ids in policy order. */
const char *const *
mamori_policy_get_category_ids (MamoriPolicy *self);
/* Groups of words that mean the same thing to a searcher; NULL-terminated array of
 * NULL-terminated arrays. */
const char *const *const *
mamori_policy_get_synonyms (MamoriPolicy *self);

/* GListModel of MamoriAxis: the axes the scheme classifies along besides its levels
 * (mic-cia: 完全性 and 可用性); empty for a scheme of one axis. */
GListModel *
mamori_policy_get_axes (MamoriPolicy *self);
MamoriAxis *
mamori_policy_lookup_axis (MamoriPolicy *self, const char *axis_id);
/* What the levels classify along when the scheme has further axes (「機密性」), or NULL. */
const char *
mamori_policy_get_levels_axis (MamoriPolicy *self);

/* Assets at @level, in policy order (a new array of borrowed pointers). */
GPtrArray *
mamori_policy_get_assets_at_level (MamoriPolicy *self, MamoriLevel *level);

/* Highest level wins (対策基準 3.3(2)⑤(ウ)): the most sensitive of @levels. */
MamoriLevel *
mamori_policy_highest_level (MamoriPolicy *self, MamoriLevel *const *levels, guint n_levels);

/* The policy as JSON (the same shape it was loaded from). */
char *
mamori_policy_to_json (MamoriPolicy *self, gsize *length);

G_END_DECLS
