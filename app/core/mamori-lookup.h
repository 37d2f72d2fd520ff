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

/* Why a result was found, strongest first in the order of the scores (docs/architecture.md,
 * "Lookup"): a result's score is its match × 100 plus how well it matched (0–99). */
typedef enum
{
  MAMORI_LOOKUP_MATCH_TEXT = 1,       /* words of a scene's summary, cautions or prohibitions */
  MAMORI_LOOKUP_MATCH_CATEGORY,       /* the asset's category, by label or reading */
  MAMORI_LOOKUP_MATCH_COMMON_WORD,    /* a word the query shares with many names */
  MAMORI_LOOKUP_MATCH_KEYWORD,        /* a keyword of a scene or of an asset */
  MAMORI_LOOKUP_MATCH_SYNONYM,        /* a name or alias, through the policy's synonyms */
  MAMORI_LOOKUP_MATCH_ALIAS,          /* another name of the asset, or its reading */
  MAMORI_LOOKUP_MATCH_NAME_PART,      /* a distinctive part of the name or of its reading */
  MAMORI_LOOKUP_MATCH_QUALIFIED_NAME, /* the name of an entry told apart by its qualifier */
  MAMORI_LOOKUP_MATCH_EXACT_NAME,     /* the name, the title or their reading, exactly */
} MamoriLookupMatch;

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
MamoriLookupMatch
mamori_lookup_result_get_match (MamoriLookupResult *self);

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

/* For a query that found nothing: the assets and scenes whose names, aliases or readings
 * look most like it (a mistyped or half-remembered name), at most @max_results, best
 * first; a new GListModel of MamoriLookupResult, possibly empty.  The score is the
 * likeness in percent. */
GListModel *
mamori_lookup_suggest (MamoriLookup *self, const char *query, guint max_results);

G_END_DECLS
