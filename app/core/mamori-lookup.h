/* mamori-lookup.h — one search over a policy's assets and scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-policy.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_LOOKUP_KIND_ASSET,
  MAMORI_LOOKUP_KIND_SCENARIO,
} MamoriLookupKind;

#define MAMORI_TYPE_LOOKUP_RESULT (mamori_lookup_result_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLookupResult, mamori_lookup_result, MAMORI, LOOKUP_RESULT, GObject)

MamoriLookupKind
mamori_lookup_result_get_kind (MamoriLookupResult *self);
/* The MamoriAsset or MamoriScenario found. */
GObject *
mamori_lookup_result_get_item (MamoriLookupResult *self);
MamoriAsset *
mamori_lookup_result_get_asset (MamoriLookupResult *self); /* or NULL */
MamoriScenario *
mamori_lookup_result_get_scenario (MamoriLookupResult *self); /* or NULL */
/* Higher is better; results are returned best first. */
guint
mamori_lookup_result_get_score (MamoriLookupResult *self);

#define MAMORI_TYPE_LOOKUP (mamori_lookup_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLookup, mamori_lookup, MAMORI, LOOKUP, GObject)

/* Builds the search index of @policy once. */
MamoriLookup *
mamori_lookup_new (MamoriPolicy *policy);
MamoriPolicy *
mamori_lookup_get_policy (MamoriLookup *self);

/* A new GListModel of MamoriLookupResult, best first; empty for a blank query.
 * Assets and scenarios are interleaved by score. */
GListModel *
mamori_lookup_search (MamoriLookup *self, const char *query);

G_END_DECLS
