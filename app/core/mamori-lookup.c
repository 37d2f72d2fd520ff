/* mamori-lookup.c — one search over a policy's assets and scenarios: the index
 *
 * Japanese has no spaces to split a query on, and teachers type anything from a name
 * (通知表) to a sentence (通知表を自宅で見たい), a reading while the input method has not
 * converted yet (せいとめいぼ) or the word they use in the staff room (あゆみ).  So every
 * name, alias, reading and keyword is normalized once into a key, and every key's
 * character grams go into posting lists; mamori-lookup-match.c matches a query against
 * them and ranks what it finds (docs/architecture.md, "Lookup").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-lookup-private.h"
#include "mamori-normalize.h"

/* At most this many results; a query such as 「書類」 should not build thousands of rows. */
#define MAX_RESULTS 200
/* A part of a name found in more than this share of the assets is a common word. */
#define DISTINCTIVE_SHARE 100
#define DISTINCTIVE_MIN 3
/* Suggestions look at least this much like the query (Dice coefficient of bigrams, %). */
#define SUGGESTION_MIN_LIKENESS 30

struct _MamoriLookupResult
{
  GObject parent_instance;

  GObject *item;
  guint score;
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

static MamoriLookupResult *
mamori_lookup_result_new (GObject *item, guint score)
{
  MamoriLookupResult *self = g_object_new (MAMORI_TYPE_LOOKUP_RESULT, NULL);

  self->item = g_object_ref (item);
  self->score = score;
  return self;
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

MamoriLookupMatch
mamori_lookup_result_get_match (MamoriLookupResult *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_RESULT (self), MAMORI_LOOKUP_MATCH_TEXT);
  return (MamoriLookupMatch)(self->score / 100);
}

/* ----------------------------------------------------------------------------
 * The index
 */

static guint
gram_hash (gconstpointer key)
{
  return g_int64_hash (key);
}

static GHashTable *
postings_table_new (void)
{
  return g_hash_table_new_full (gram_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
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

GArray *
_mamori_lookup_postings (GHashTable *table, guint64 gram)
{
  return g_hash_table_lookup (table, &gram);
}

/* Adds @text, already normalized, as a key of @item. */
static void
add_normalized_key (MamoriLookup *self, char *text, guint item, MamoriLookupKeyKind kind)
{
  MamoriLookupKey key;
  guint key_index = self->keys->len;
  gunichar previous = 0;
  guint n = 0;

  if (*text == '\0')
    {
      g_free (text);
      return;
    }

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      postings_add (self->grams, _mamori_lookup_gram (c, 0), key_index);
      if (previous != 0)
        postings_add (self->grams, _mamori_lookup_gram (previous, c), key_index);
      if (n == 1)
        postings_add (self->start_grams, _mamori_lookup_gram (previous, c), key_index);
      previous = c;
      n++;
    }
  if (n == 1 && kind != KEY_TEXT)
    postings_add (self->char_keys, _mamori_lookup_gram (previous, 0), key_index);

  key.text = text;
  key.n_chars = n;
  key.item = item;
  key.kind = kind;
  g_array_append_val (self->keys, key);
}

static void
add_key (MamoriLookup *self, const char *raw, guint item, MamoriLookupKeyKind kind)
{
  if (raw != NULL)
    add_normalized_key (self, mamori_normalize (raw), item, kind);
}

/* 学級（学年）通信 is also found as 学級通信. */
static void
add_name_keys (MamoriLookup *self, const char *name, guint item)
{
  add_key (self, name, item, KEY_NAME);
  if (strpbrk (name, "(（[【「〔") != NULL)
    add_normalized_key (self, mamori_normalize_without_brackets (name), item, KEY_NAME);
}

/* A reading is a key, and so is each of its tails that starts at a later word, so that
 * せいと finds じどう せいと とう めいぼ (児童・生徒等名簿). */
static void
add_reading_keys (MamoriLookup *self, const char *reading, guint item)
{
  g_auto (GStrv) words = NULL;

  if (reading == NULL)
    return;

  add_key (self, reading, item, KEY_READING);
  words = g_regex_split_simple ("[ ・]+", reading, 0, 0);
  for (guint i = 1; words[0] != NULL && words[i] != NULL; i++)
    {
      g_autofree char *tail = g_strjoinv ("", words + i);
      g_autofree char *normalized = mamori_normalize (tail);

      if (g_utf8_strlen (normalized, -1) >= 2)
        add_normalized_key (self, g_steal_pointer (&normalized), item, KEY_READING_WORD);
    }
}

static void
add_strv_keys (MamoriLookup *self, const char *const *strv, guint item, MamoriLookupKeyKind kind)
{
  for (guint i = 0; strv[i] != NULL; i++)
    add_key (self, strv[i], item, kind);
}

static void
index_asset (MamoriLookup *self, MamoriAsset *asset, guint item)
{
  const char *const *aliases = mamori_asset_get_aliases (asset);
  const char *qualifier = mamori_asset_get_qualifier (asset);

  add_name_keys (self, mamori_asset_get_name (asset), item);
  if (qualifier != NULL)
    add_key (self, mamori_asset_get_display_name (asset), item, KEY_DISPLAY_NAME);
  add_reading_keys (self, mamori_asset_get_reading (asset), item);
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      add_key (self, aliases[i], item, KEY_ALIAS);
      add_key (self, mamori_asset_get_alias_reading (asset, i), item, KEY_ALIAS);
    }
  add_strv_keys (self, mamori_asset_get_keywords (asset), item, KEY_KEYWORD);
  g_ptr_array_add (self->qualifiers, qualifier ? mamori_normalize (qualifier) : NULL);
}

static void
index_scenario (MamoriLookup *self, MamoriScenario *scenario, guint item)
{
  add_name_keys (self, mamori_scenario_get_title (scenario), item);
  add_reading_keys (self, mamori_scenario_get_reading (scenario), item);
  add_strv_keys (self, mamori_scenario_get_keywords (scenario), item, KEY_KEYWORD);
  add_key (self, mamori_scenario_get_summary (scenario), item, KEY_TEXT);
  add_strv_keys (self, mamori_scenario_get_cautions (scenario), item, KEY_TEXT);
  add_strv_keys (self, mamori_scenario_get_prohibitions (scenario), item, KEY_TEXT);
}

static void
lookup_category_free (MamoriLookupCategory *category)
{
  g_free (category->label);
  g_free (category->reading);
  g_array_unref (category->items);
  g_free (category);
}

static void
index_categories (MamoriLookup *self)
{
  const char *const *ids = mamori_policy_get_category_ids (self->policy);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      MamoriLookupCategory *category = g_new0 (MamoriLookupCategory, 1);
      const char *reading = mamori_policy_get_category_reading (self->policy, ids[i]);

      category->label = mamori_normalize (mamori_policy_get_category_label (self->policy, ids[i]));
      category->reading = reading ? mamori_normalize (reading) : NULL;
      category->items = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint item = 0; item < self->n_assets; item++)
        if (g_str_equal (mamori_asset_get_category_id (g_ptr_array_index (self->items, item)),
                         ids[i]))
          g_array_append_val (category->items, item);
      g_ptr_array_add (self->categories, category);
    }
}

static void
build_index (MamoriLookup *self)
{
  GListModel *assets = mamori_policy_get_assets (self->policy);
  GListModel *scenarios = mamori_policy_get_scenarios (self->policy);
  const char *const *const *synonyms = mamori_policy_get_synonyms (self->policy);

  self->n_assets = g_list_model_get_n_items (assets);
  self->distinctive_limit = MAX (DISTINCTIVE_MIN, self->n_assets / DISTINCTIVE_SHARE);
  for (guint i = 0; i < self->n_assets; i++)
    {
      MamoriAsset *asset = g_list_model_get_item (assets, i);

      g_ptr_array_add (self->items, asset);
      index_asset (self, asset, i);
    }

  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      MamoriScenario *scenario = g_list_model_get_item (scenarios, i);

      g_ptr_array_add (self->items, scenario);
      index_scenario (self, scenario, self->n_assets + i);
    }

  index_categories (self);

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

static GListModel *
collect_results (MamoriLookup *self, const guint *scores, GArray *found, guint max_results)
{
  GListStore *results = g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT);

  g_array_sort_with_data (found, compare_found, (gpointer)scores);
  for (guint i = 0; i < MIN (found->len, max_results); i++)
    {
      guint item = g_array_index (found, guint, i);
      g_autoptr (MamoriLookupResult) result
          = mamori_lookup_result_new (g_ptr_array_index (self->items, item), scores[item]);

      g_list_store_append (results, result);
    }
  return G_LIST_MODEL (results);
}

GListModel *
mamori_lookup_search (MamoriLookup *self, const char *query)
{
  g_autofree char *normalized = NULL;
  g_autofree guint *scores = NULL;
  g_autoptr (GArray) found = NULL;
  MamoriLookupSearch search;

  g_return_val_if_fail (MAMORI_IS_LOOKUP (self), NULL);

  normalized = mamori_normalize (query);
  if (*normalized == '\0')
    return G_LIST_MODEL (g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT));

  scores = g_new0 (guint, self->items->len);
  found = g_array_new (FALSE, FALSE, sizeof (guint));
  search = (MamoriLookupSearch){ self, scores, found };
  _mamori_lookup_match (&search, normalized, query);

  return collect_results (self, scores, found, MAX_RESULTS);
}

static gboolean
is_suggestable (const MamoriLookupKey *key)
{
  return key->kind == KEY_NAME || key->kind == KEY_DISPLAY_NAME || key->kind == KEY_READING
         || key->kind == KEY_ALIAS;
}

/* Likeness is the Dice coefficient of the character bigrams of the query and a key:
 * 通知簿 and 通知表 share one of two, つうちひょお and つうちひょう four of five. */
GListModel *
mamori_lookup_suggest (MamoriLookup *self, const char *query, guint max_results)
{
  g_autofree char *normalized = NULL;
  g_autoptr (GHashTable) query_grams
      = g_hash_table_new_full (gram_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GHashTable) shared = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree guint *scores = NULL;
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key_pointer, count_pointer;
  gunichar previous = 0;

  g_return_val_if_fail (MAMORI_IS_LOOKUP (self), NULL);

  normalized = mamori_normalize (query);
  for (const char *p = normalized; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (previous != 0)
        {
          guint64 *gram = g_new (guint64, 1);

          *gram = _mamori_lookup_gram (previous, c);
          g_hash_table_add (query_grams, gram);
        }
      previous = c;
    }

  g_hash_table_iter_init (&iter, query_grams);
  while (g_hash_table_iter_next (&iter, &key_pointer, NULL))
    {
      GArray *postings = _mamori_lookup_postings (self->grams, *(guint64 *)key_pointer);

      for (guint i = 0; postings != NULL && i < postings->len; i++)
        {
          guint key_index = g_array_index (postings, guint, i);
          gpointer slot = GUINT_TO_POINTER (key_index + 1);

          if (!is_suggestable (&g_array_index (self->keys, MamoriLookupKey, key_index)))
            continue;
          g_hash_table_insert (
              shared, slot,
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (shared, slot)) + 1));
        }
    }

  scores = g_new0 (guint, self->items->len);
  g_hash_table_iter_init (&iter, shared);
  while (g_hash_table_iter_next (&iter, &key_pointer, &count_pointer))
    {
      const MamoriLookupKey *key
          = &g_array_index (self->keys, MamoriLookupKey, GPOINTER_TO_UINT (key_pointer) - 1);
      guint total = g_hash_table_size (query_grams) + key->n_chars - 1;
      guint likeness = 200 * GPOINTER_TO_UINT (count_pointer) / MAX (total, 1);

      if (likeness < SUGGESTION_MIN_LIKENESS)
        continue;
      if (scores[key->item] == 0)
        g_array_append_val (found, key->item);
      scores[key->item] = MAX (scores[key->item], MIN (likeness, 100));
    }

  return collect_results (self, scores, found, max_results);
}

/* ----------------------------------------------------------------------------
 * MamoriLookup
 */

static void
lookup_key_clear (gpointer data)
{
  MamoriLookupKey *key = data;
  g_free (key->text);
}

static void
mamori_lookup_finalize (GObject *object)
{
  MamoriLookup *self = MAMORI_LOOKUP (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->qualifiers, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->grams, g_hash_table_unref);
  g_clear_pointer (&self->start_grams, g_hash_table_unref);
  g_clear_pointer (&self->char_keys, g_hash_table_unref);
  g_clear_pointer (&self->synonyms, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
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
  self->qualifiers = g_ptr_array_new_with_free_func (g_free);
  self->keys = g_array_new (FALSE, FALSE, sizeof (MamoriLookupKey));
  g_array_set_clear_func (self->keys, lookup_key_clear);
  self->grams = postings_table_new ();
  self->start_grams = postings_table_new ();
  self->char_keys = postings_table_new ();
  self->synonyms = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)lookup_category_free);
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
