/* mamori-lookup-private.h — the search index, shared by mamori-lookup.c (building it) and
 * mamori-lookup-match.c (matching a query against it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-lookup.h"

G_BEGIN_DECLS

typedef enum
{
  KEY_NAME,         /* asset name (also without its bracketed parts), scene title */
  KEY_DISPLAY_NAME, /* asset name with its qualifier */
  KEY_READING,      /* reading of a name or title */
  KEY_READING_WORD, /* a reading from one of its later words on */
  KEY_ALIAS,        /* an alias of an asset, or the reading of one */
  KEY_KEYWORD,      /* a keyword of a scene or an asset */
  KEY_TEXT,         /* a scene's summary, cautions and prohibitions */
} MamoriLookupKeyKind;

typedef struct
{
  char *text; /* normalized */
  guint n_chars;
  guint item;
  MamoriLookupKeyKind kind;
} MamoriLookupKey;

typedef struct
{
  char *label;   /* normalized */
  char *reading; /* normalized, or NULL */
  GArray *items; /* guint: the assets of the category */
} MamoriLookupCategory;

struct _MamoriLookup
{
  GObject parent_instance;

  MamoriPolicy *policy;
  GPtrArray *items; /* MamoriAsset then MamoriScenario, borrowed from the policy */
  guint n_assets;
  GPtrArray *qualifiers;   /* per asset: its normalized qualifier, or NULL */
  GArray *keys;            /* MamoriLookupKey */
  GHashTable *grams;       /* gram → GArray of key index: keys containing the gram */
  GHashTable *start_grams; /* gram → GArray of key index: keys starting with the gram */
  GHashTable *char_keys;   /* character → GArray of key index: keys of one character */
  GPtrArray *synonyms;     /* GStrv of normalized words */
  GPtrArray *categories;   /* MamoriLookupCategory */
  /* A part of a name shared by more assets than this is a common word, not a
   * distinctive part. */
  guint distinctive_limit;
};

typedef struct
{
  MamoriLookup *self;
  guint *scores; /* per item, 0 = not found */
  GArray *found; /* item indexes with a score */
} MamoriLookupSearch;

/* A gram is one or two characters packed into 64 bits (0 for the missing second). */
static inline guint64
_mamori_lookup_gram (gunichar first, gunichar second)
{
  return ((guint64)first << 32) | second;
}

/* The keys listed under @gram in @table, or NULL. */
GArray *
_mamori_lookup_postings (GHashTable *table, guint64 gram);

/* Matches @query (normalized) and the words of @raw_query against the index; runs the
 * query's synonym variants too. */
void
_mamori_lookup_match (MamoriLookupSearch *search, const char *query, const char *raw_query);

G_END_DECLS
