/* mamori-lookup.c — one search over a policy's assets and scenarios
 *
 * Japanese has no spaces to split a query on, and teachers type anything from a name
 * (通知表) to a sentence (通知表を自宅で見たい).  So every searchable string is
 * normalized once, and a query matches a key in either direction: the key contains the
 * query (心臓管理 → 心臓管理等医療情報) or the query contains the key (a sentence that
 * names an asset or a scene).  Both directions go through a character n-gram index so
 * that a policy of 10,000 assets is searched in well under a millisecond per query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-lookup.h"
#include "mamori-normalize.h"

/* At most this many results; a query such as 「書類」 should not build thousands of rows. */
#define MAX_RESULTS 200
/* At most this many rewritten queries from the synonym list. */
#define MAX_VARIANTS 16
/* A query rewritten through a synonym ranks below the same match on what was typed. */
#define SYNONYM_PENALTY 100

typedef enum
{
  KEY_NAME,    /* asset name (with and without brackets), alias, scenario title */
  KEY_KEYWORD, /* scenario keyword */
  KEY_TEXT,    /* scenario summary, cautions, prohibitions: matched one way only */
} KeyKind;

typedef struct
{
  char *text; /* normalized */
  guint n_chars;
  guint item;
  KeyKind kind;
} IndexKey;

struct _MamoriLookupResult
{
  GObject parent_instance;

  GObject *item;
  guint score;
};

struct _MamoriLookup
{
  GObject parent_instance;

  MamoriPolicy *policy;
  GPtrArray *items; /* MamoriAsset then MamoriScenario, borrowed from the policy */
  guint n_assets;
  GArray *keys;            /* IndexKey */
  GHashTable *grams;       /* gram → GArray of key index: keys containing the gram */
  GHashTable *start_grams; /* gram → GArray of key index: keys starting with the gram */
  GPtrArray *synonyms;     /* GStrv of normalized words */
};

G_DEFINE_FINAL_TYPE (MamoriLookupResult, mamori_lookup_result, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (MamoriLookup, mamori_lookup, G_TYPE_OBJECT)

/* ----------------------------------------------------------------------------
 * MamoriLookupResult
 */

static void
mamori_lookup_result_finalize (GObject *object)
{
  MamoriLookupResult *self = MAMORI_LOOKUP_RESULT (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (mamori_lookup_result_parent_class)->finalize (object);
}

static void
mamori_lookup_result_class_init (MamoriLookupResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_lookup_result_finalize;
}

static void
mamori_lookup_result_init (MamoriLookupResult *self)
{
}

MamoriLookupKind
mamori_lookup_result_get_kind (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), MAMORI_LOOKUP_KIND_ASSET);
  return MAMORI_IS_ASSET (self->item) ? MAMORI_LOOKUP_KIND_ASSET : MAMORI_LOOKUP_KIND_SCENARIO;
}

GObject *
mamori_lookup_result_get_item (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), NULL);
  return self->item;
}

MamoriAsset *
mamori_lookup_result_get_asset (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), NULL);
  return MAMORI_IS_ASSET (self->item) ? MAMORI_ASSET (self->item) : NULL;
}

MamoriScenario *
mamori_lookup_result_get_scenario (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), NULL);
  return MAMORI_IS_SCENARIO (self->item) ? MAMORI_SCENARIO (self->item) : NULL;
}

guint
mamori_lookup_result_get_score (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), 0);
  return self->score;
}

/* ----------------------------------------------------------------------------
 * The index
 */

/* A gram is one or two characters packed into 64 bits (0 for the missing second). */
static guint64
make_gram (gunichar first, gunichar second)
{
  return ((guint64)first << 32) | second;
}

static guint
gram_hash (gconstpointer key)
{
  return g_int64_hash (key);
}

static void
postings_add (GHashTable *table, guint64 gram, guint key_index)
{
  GArray *postings = g_hash_table_lookup (table, &gram);

  if (postings == NULL)
    {
      guint64 *stored = g_new (guint64, 1);

      *stored = gram;
      postings = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (table, stored, postings);
    }
  /* A key repeating a gram is listed once. */
  if (postings->len == 0 || g_array_index (postings, guint, postings->len - 1) != key_index)
    g_array_append_val (postings, key_index);
}

static GArray *
postings_get (GHashTable *table, guint64 gram)
{
  return g_hash_table_lookup (table, &gram);
}

static void
add_key (MamoriLookup *self, const char *raw, gboolean drop_brackets, guint item, KeyKind kind)
{
  g_autofree char *text = NULL;
  IndexKey key;
  guint key_index;
  gunichar previous = 0;
  guint n = 0;

  text = drop_brackets ? mamori_normalize_without_brackets (raw) : mamori_normalize (raw);
  if (*text == '\0')
    return;

  key_index = self->keys->len;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      postings_add (self->grams, make_gram (c, 0), key_index);
      if (previous != 0)
        postings_add (self->grams, make_gram (previous, c), key_index);
      if (n == 1)
        postings_add (self->start_grams, make_gram (previous, c), key_index);
      previous = c;
      n++;
    }

  key.text = g_steal_pointer (&text);
  key.n_chars = n;
  key.item = item;
  key.kind = kind;
  g_array_append_val (self->keys, key);
}

static void
add_strv_keys (MamoriLookup *self, const char *const *strv, guint item, KeyKind kind)
{
  for (guint i = 0; strv[i] != NULL; i++)
    add_key (self, strv[i], FALSE, item, kind);
}

static void
index_key_clear (gpointer data)
{
  IndexKey *key = data;
  g_free (key->text);
}

static void
build_index (MamoriLookup *self)
{
  GListModel *assets = mamori_policy_get_assets (self->policy);
  GListModel *scenarios = mamori_policy_get_scenarios (self->policy);
  const char *const *const *synonyms = mamori_policy_get_synonyms (self->policy);

  self->n_assets = g_list_model_get_n_items (assets);
  for (guint i = 0; i < self->n_assets; i++)
    {
      MamoriAsset *asset = g_list_model_get_item (assets, i);
      const char *name = mamori_asset_get_name (asset);

      g_ptr_array_add (self->items, asset);
      add_key (self, name, FALSE, i, KEY_NAME);
      /* 学級（学年）通信 is also found as 学級通信. */
      if (strpbrk (name, "(（[【「") != NULL)
        add_key (self, name, TRUE, i, KEY_NAME);
      add_strv_keys (self, mamori_asset_get_aliases (asset), i, KEY_NAME);
    }

  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      MamoriScenario *scenario = g_list_model_get_item (scenarios, i);
      guint item = self->n_assets + i;

      g_ptr_array_add (self->items, scenario);
      add_key (self, mamori_scenario_get_title (scenario), FALSE, item, KEY_NAME);
      add_strv_keys (self, mamori_scenario_get_keywords (scenario), item, KEY_KEYWORD);
      if (mamori_scenario_get_summary (scenario) != NULL)
        add_key (self, mamori_scenario_get_summary (scenario), FALSE, item, KEY_TEXT);
      add_strv_keys (self, mamori_scenario_get_cautions (scenario), item, KEY_TEXT);
      add_strv_keys (self, mamori_scenario_get_prohibitions (scenario), item, KEY_TEXT);
    }

  for (guint i = 0; synonyms[i] != NULL; i++)
    {
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      for (guint j = 0; synonyms[i][j] != NULL; j++)
        {
          g_autofree char *word = mamori_normalize (synonyms[i][j]);
          if (*word != '\0')
            g_strv_builder_add (builder, word);
        }
      g_ptr_array_add (self->synonyms, g_strv_builder_end (builder));
    }
}

/* ----------------------------------------------------------------------------
 * Searching
 */

typedef struct
{
  MamoriLookup *self;
  guint *scores; /* per item, 0 = not found */
  GArray *found; /* item indexes with a score */
} Search;

static void
record (Search *search, guint item, guint score)
{
  if (search->scores[item] == 0)
    g_array_append_val (search->found, item);
  if (score > search->scores[item])
    search->scores[item] = score;
}

/* The score of @key containing the query (exact, prefix or inside). */
static guint
score_key_contains_query (const IndexKey *key, const char *query, const char *at)
{
  gboolean exact = at == key->text && strlen (query) == strlen (key->text);

  switch (key->kind)
    {
    case KEY_NAME:
      return exact ? 1000 : at == key->text ? 800 : 600;
    case KEY_KEYWORD:
      return exact ? 900 : at == key->text ? 700 : 550;
    case KEY_TEXT:
    default:
      return 200;
    }
}

/* The score of the query (a phrase or sentence) containing the whole @key: longer
 * names are more specific, so they rank higher. */
static guint
score_query_contains_key (const IndexKey *key)
{
  guint length_bonus = MIN (key->n_chars, 20) * 10;

  return (key->kind == KEY_NAME ? 400 : 350) + length_bonus;
}

static void
search_variant (Search *search, const char *query, guint penalty)
{
  MamoriLookup *self = search->self;
  GArray *candidates = NULL;
  gunichar previous = 0;
  guint n_chars = 0;

  /* Keys that contain the query: scan the shortest posting list of its grams. */
  for (const char *p = query; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GArray *postings
          = postings_get (self->grams, n_chars == 0 ? make_gram (c, 0) : make_gram (previous, c));

      if (postings == NULL)
        {
          candidates = NULL;
          break;
        }
      if (candidates == NULL || postings->len < candidates->len)
        candidates = postings;
      previous = c;
      n_chars++;
    }
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      const IndexKey *key
          = &g_array_index (self->keys, IndexKey, g_array_index (candidates, guint, i));
      const char *at = strstr (key->text, query);

      if (at != NULL)
        record (search, key->item, score_key_contains_query (key, query, at) - penalty);
    }

  /* Keys of two or more characters that the query contains: look up the keys that
   * start with each pair of adjacent characters of the query. */
  previous = 0;
  for (const char *p = query; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      GArray *postings;

      if (*next == '\0')
        break;
      postings = postings_get (self->start_grams,
                               make_gram (g_utf8_get_char (p), g_utf8_get_char (next)));
      for (guint i = 0; postings != NULL && i < postings->len; i++)
        {
          const IndexKey *key
              = &g_array_index (self->keys, IndexKey, g_array_index (postings, guint, i));

          if (key->kind != KEY_TEXT && g_str_has_prefix (p, key->text))
            record (search, key->item, score_query_contains_key (key) - penalty);
        }
    }
}

/* The query as typed, then rewritten through each synonym group it mentions. */
static GPtrArray *
expand_synonyms (MamoriLookup *self, const char *query)
{
  GPtrArray *variants = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (variants, g_strdup (query));
  for (guint g = 0; g < self->synonyms->len; g++)
    {
      const char *const *group = g_ptr_array_index (self->synonyms, g);

      for (guint i = 0; group[i] != NULL; i++)
        {
          const char *at = strstr (query, group[i]);

          if (at == NULL)
            continue;
          for (guint j = 0; group[j] != NULL && variants->len < MAX_VARIANTS; j++)
            {
              if (j == i)
                continue;
              g_ptr_array_add (variants, g_strdup_printf ("%.*s%s%s", (int)(at - query), query,
                                                          group[j], at + strlen (group[i])));
            }
        }
    }
  return variants;
}

static int
compare_found (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const guint *scores = user_data;
  guint item_a = *(const guint *)a;
  guint item_b = *(const guint *)b;

  if (scores[item_a] != scores[item_b])
    return scores[item_a] > scores[item_b] ? -1 : 1;
  /* Equal scores keep the policy's order: assets before scenarios, then as listed. */
  return item_a < item_b ? -1 : item_a > item_b;
}

GListModel *
mamori_lookup_search (MamoriLookup *self, const char *query)
{
  g_autofree char *normalized = NULL;
  g_autofree guint *scores = NULL;
  g_autoptr (GArray) found = NULL;
  g_autoptr (GPtrArray) variants = NULL;
  GListStore *results;
  Search search;

  g_return_val_if_fail (MAMORI_IS_LOOKUP (self), NULL);

  results = g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT);
  normalized = mamori_normalize (query);
  if (*normalized == '\0')
    return G_LIST_MODEL (results);

  scores = g_new0 (guint, self->items->len);
  found = g_array_new (FALSE, FALSE, sizeof (guint));
  search = (Search){ self, scores, found };

  variants = expand_synonyms (self, normalized);
  for (guint i = 0; i < variants->len; i++)
    search_variant (&search, g_ptr_array_index (variants, i), i == 0 ? 0 : SYNONYM_PENALTY);

  g_array_sort_with_data (found, compare_found, scores);
  for (guint i = 0; i < MIN (found->len, MAX_RESULTS); i++)
    {
      guint item = g_array_index (found, guint, i);
      MamoriLookupResult *result = g_object_new (MAMORI_TYPE_LOOKUP_RESULT, NULL);

      result->item = g_object_ref (g_ptr_array_index (self->items, item));
      result->score = scores[item];
      g_list_store_append (results, result);
      g_object_unref (result);
    }
  return G_LIST_MODEL (results);
}

/* ----------------------------------------------------------------------------
 * MamoriLookup
 */

static void
mamori_lookup_finalize (GObject *object)
{
  MamoriLookup *self = MAMORI_LOOKUP (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->grams, g_hash_table_unref);
  g_clear_pointer (&self->start_grams, g_hash_table_unref);
  g_clear_pointer (&self->synonyms, g_ptr_array_unref);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (mamori_lookup_parent_class)->finalize (object);
}

static void
mamori_lookup_class_init (MamoriLookupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_lookup_finalize;
}

static void
mamori_lookup_init (MamoriLookup *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->keys = g_array_new (FALSE, FALSE, sizeof (IndexKey));
  g_array_set_clear_func (self->keys, index_key_clear);
  self->grams
      = g_hash_table_new_full (gram_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
  self->start_grams
      = g_hash_table_new_full (gram_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
  self->synonyms = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
}

MamoriLookup *
mamori_lookup_new (MamoriPolicy *policy)
{
  MamoriLookup *self;

  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_LOOKUP, NULL);
  self->policy = g_object_ref (policy);
  build_index (self);
  return self;
}

MamoriPolicy *
mamori_lookup_get_policy (MamoriLookup *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP (self), NULL);
  return self->policy;
}
