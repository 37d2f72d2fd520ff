/* mamori-lookup-match.c — matching a query against the index, and ranking what it finds
 *
 * A query is matched whole, and so is each word of it (a run of kanji, katakana or latin
 * letters between particles and okurigana: 通知表を自宅で見たい gives 通知表 and 自宅), in
 * two directions: a key contains the text (心臓管理 → 心臓管理等医療情報, ほけん →
 * ほけんにっし) or the query contains a whole key (a sentence naming an asset or a scene's
 * keyword).  Each match gets a score of its kind × 100 plus how well it matched
 * (MamoriLookupMatch); an item keeps its best.  The order of the kinds is the ranking
 * docs/architecture.md documents, and test-lookup checks each step of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-lookup-private.h"
#include "mamori-normalize.h"

/* At most this many rewritten queries from the synonym list, per text. */
#define MAX_VARIANTS 16
/* A match through a synonym that stays in its own kind (a keyword) ranks this much
 * below the same match on what was typed. */
#define SYNONYM_PENALTY 10
/* The most a qualifier that the query shares words with adds (職員会議資料 個人情報を
 * 含まない → the entry qualified 「個人情報を含まないもの」). */
#define QUALIFIER_BONUS_MAX 9

typedef enum
{
  RELATION_EXACT,  /* the key is the text */
  RELATION_PREFIX, /* the key starts with the text */
  RELATION_INFIX,  /* the key contains the text further on */
  RELATION_INSIDE, /* the query contains the whole key */
} Relation;

/* One pass of matching: the query as typed or one of its synonym variants. */
typedef struct
{
  MamoriLookupSearch *search;
  const char *query;
  gboolean via_synonym;
} Pass;

typedef struct
{
  guint key_index;
  Relation relation;
} Hit;

static guint
score_of (MamoriLookupMatch match, guint sub)
{
  return match * 100 + MIN (sub, 99);
}

/* The length of the longest run of characters @a and @b share (both normalized and
 * short: a query and a qualifier). */
static guint
longest_common_run (const char *a, const char *b)
{
  g_autofree gunichar *x = g_utf8_to_ucs4_fast (a, -1, NULL);
  g_autofree gunichar *y = g_utf8_to_ucs4_fast (b, -1, NULL);
  glong n = g_utf8_strlen (a, -1), m = g_utf8_strlen (b, -1);
  g_autofree guint *row = g_new0 (guint, m + 1);
  guint best = 0;

  for (glong i = 1; i <= n; i++)
    {
      guint diagonal = 0;

      for (glong j = 1; j <= m; j++)
        {
          guint above = row[j];

          row[j] = x[i - 1] == y[j - 1] ? diagonal + 1 : 0;
          best = MAX (best, row[j]);
          diagonal = above;
        }
    }
  return best;
}

static void
record (Pass *pass, guint item, MamoriLookupMatch match, guint sub)
{
  MamoriLookupSearch *search = pass->search;
  MamoriLookup *self = search->self;
  guint score;

  if (item < self->n_assets && match >= MAMORI_LOOKUP_MATCH_ALIAS)
    {
      const char *qualifier = g_ptr_array_index (self->qualifiers, item);
      guint shared = qualifier ? longest_common_run (pass->query, qualifier) : 0;

      if (shared >= 2 && sub < 99)
        sub = MIN (sub + MIN (shared, QUALIFIER_BONUS_MAX), 98);
    }

  if (pass->via_synonym)
    {
      if (match > MAMORI_LOOKUP_MATCH_SYNONYM)
        match = MAMORI_LOOKUP_MATCH_SYNONYM;
      else
        sub = sub > SYNONYM_PENALTY ? sub - SYNONYM_PENALTY : 0;
    }

  score = score_of (match, sub);
  if (search->scores[item] == 0)
    g_array_append_val (search->found, item);
  if (score > search->scores[item])
    search->scores[item] = score;
}

static gboolean
is_qualified_asset (MamoriLookup *self, guint item)
{
  return item < self->n_assets && g_ptr_array_index (self->qualifiers, item) != NULL;
}

static gboolean
is_name_like (MamoriLookupKeyKind kind)
{
  return kind == KEY_NAME || kind == KEY_DISPLAY_NAME || kind == KEY_READING
         || kind == KEY_READING_WORD || kind == KEY_ALIAS;
}

/* How well a key matched, 0–99: the whole text beats a part; a prefix beats a part
 * further in; a text that covers more of the key beats one that covers less. */
static guint
sub_score (Relation relation, gboolean is_word, guint text_chars, guint key_chars)
{
  guint coverage = 29 * text_chars / MAX (key_chars, 1);

  switch (relation)
    {
    case RELATION_EXACT:
      return is_word ? 60 + MIN (key_chars, 20) : 99;
    case RELATION_INSIDE:
      return 60 + MIN (key_chars, 20);
    case RELATION_PREFIX:
      return is_word ? 30 + coverage * 19 / 29 : 50 + coverage;
    case RELATION_INFIX:
    default:
      return is_word ? 10 + coverage * 19 / 29 : 20 + coverage;
    }
}

/* What a key containing the text (or inside the query) says about its item, or 0 for
 * nothing.  @distinctive: the text names few assets and is no other asset's name. */
static MamoriLookupMatch
match_of (MamoriLookup *self,
          const MamoriLookupKey *key,
          Relation relation,
          gboolean is_word,
          gboolean distinctive)
{
  gboolean whole = relation == RELATION_EXACT || relation == RELATION_INSIDE;

  switch (key->kind)
    {
    case KEY_READING:
      /* Kana inside a reading are as often a different word (ほけん in けんこうほけん). */
      if (relation == RELATION_INFIX || (relation == RELATION_INSIDE && key->n_chars < 4))
        return 0;
      G_GNUC_FALLTHROUGH;
    case KEY_NAME:
    case KEY_DISPLAY_NAME:
      if (relation == RELATION_EXACT && !is_word)
        return key->kind != KEY_DISPLAY_NAME && is_qualified_asset (self, key->item)
                   ? MAMORI_LOOKUP_MATCH_QUALIFIED_NAME
                   : MAMORI_LOOKUP_MATCH_EXACT_NAME;
      return whole || distinctive ? MAMORI_LOOKUP_MATCH_NAME_PART : MAMORI_LOOKUP_MATCH_COMMON_WORD;
    case KEY_READING_WORD:
      if (relation == RELATION_INFIX || relation == RELATION_INSIDE)
        return 0;
      return distinctive ? MAMORI_LOOKUP_MATCH_NAME_PART : MAMORI_LOOKUP_MATCH_COMMON_WORD;
    case KEY_ALIAS:
      return whole || distinctive ? MAMORI_LOOKUP_MATCH_ALIAS : MAMORI_LOOKUP_MATCH_COMMON_WORD;
    case KEY_KEYWORD:
      return MAMORI_LOOKUP_MATCH_KEYWORD;
    case KEY_TEXT:
    default:
      return is_word || relation == RELATION_INSIDE ? 0 : MAMORI_LOOKUP_MATCH_TEXT;
    }
}

/* The keys that contain @text: the candidates are the shortest posting list among the
 * text's first character and its bigrams. */
static GArray *
find_keys_containing (MamoriLookup *self, const char *text)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  GArray *candidates = NULL;
  gunichar previous = 0;
  gsize length = strlen (text);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GArray *postings = _mamori_lookup_postings (
          self->grams,
          previous == 0 ? _mamori_lookup_gram (c, 0) : _mamori_lookup_gram (previous, c));

      if (postings == NULL)
        return hits;
      if (candidates == NULL || postings->len < candidates->len)
        candidates = postings;
      previous = c;
    }

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      guint key_index = g_array_index (candidates, guint, i);
      const MamoriLookupKey *key = &g_array_index (self->keys, MamoriLookupKey, key_index);
      const char *at = strstr (key->text, text);
      Hit hit;

      if (at == NULL)
        continue;
      hit.key_index = key_index;
      hit.relation = at != key->text      ? RELATION_INFIX
                     : at[length] == '\0' ? RELATION_EXACT
                                          : RELATION_PREFIX;
      g_array_append_val (hits, hit);
    }
  return hits;
}

/* Whether @text identifies few assets: it is part of the names of at most
 * distinctive_limit assets.  @owners gets the assets called exactly @text (by name, alias
 * or reading): the text is theirs, not a distinctive part of another asset's name. */
static gboolean
is_distinctive (MamoriLookup *self, GArray *hits, GHashTable *owners)
{
  g_autoptr (GHashTable) assets = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < hits->len; i++)
    {
      const Hit *hit = &g_array_index (hits, Hit, i);
      const MamoriLookupKey *key = &g_array_index (self->keys, MamoriLookupKey, hit->key_index);

      if (!is_name_like (key->kind) || key->item >= self->n_assets)
        continue;
      g_hash_table_add (assets, GUINT_TO_POINTER (key->item));
      if (hit->relation == RELATION_EXACT && key->kind != KEY_READING_WORD)
        g_hash_table_add (owners, GUINT_TO_POINTER (key->item));
    }
  return g_hash_table_size (assets) <= self->distinctive_limit;
}

/* Keys that contain @text: the whole query, or one word of it (@is_word). */
static void
match_containing (Pass *pass, const char *text, gboolean is_word)
{
  MamoriLookup *self = pass->search->self;
  g_autoptr (GArray) hits = find_keys_containing (self, text);
  g_autoptr (GHashTable) owners = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint text_chars = g_utf8_strlen (text, -1);
  gboolean distinctive = is_distinctive (self, hits, owners);

  for (guint i = 0; i < hits->len; i++)
    {
      const Hit *hit = &g_array_index (hits, Hit, i);
      const MamoriLookupKey *key = &g_array_index (self->keys, MamoriLookupKey, hit->key_index);
      /* Assets that are called exactly this take the text for themselves. */
      gboolean own = distinctive
                     && (g_hash_table_size (owners) == 0
                         || g_hash_table_contains (owners, GUINT_TO_POINTER (key->item)));
      MamoriLookupMatch match = match_of (self, key, hit->relation, is_word, own);
      /* A reading's later word is a part further in, not the beginning of the name. */
      Relation relation = key->kind == KEY_READING_WORD ? RELATION_INFIX : hit->relation;

      if (match != 0)
        record (pass, key->item, match, sub_score (relation, is_word, text_chars, key->n_chars));
    }
}

/* A one-kanji key or synonym standing inside a run of kanji is part of another word. */
static gboolean
stands_alone (const char *text, const char *at, const char *end)
{
  gunichar c = g_utf8_get_char (at);

  if (!mamori_normalize_is_kanji (c) || g_utf8_next_char (at) != end)
    return TRUE;
  if (at > text && mamori_normalize_is_kanji (g_utf8_get_char (g_utf8_prev_char (at))))
    return FALSE;
  return *end == '\0' || !mamori_normalize_is_kanji (g_utf8_get_char (end));
}

static void
record_inside (Pass *pass, guint key_index)
{
  MamoriLookup *self = pass->search->self;
  const MamoriLookupKey *key = &g_array_index (self->keys, MamoriLookupKey, key_index);
  MamoriLookupMatch match = match_of (self, key, RELATION_INSIDE, FALSE, TRUE);

  if (match != 0)
    record (pass, key->item, match, sub_score (RELATION_INSIDE, FALSE, 0, key->n_chars));
}

/* Keys that the query contains whole: the keys starting with each pair of adjacent
 * characters of the query, and keys of one character that stand alone in it. */
static void
match_inside (Pass *pass, const char *query)
{
  MamoriLookup *self = pass->search->self;

  for (const char *p = query; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      GArray *postings
          = _mamori_lookup_postings (self->char_keys, _mamori_lookup_gram (g_utf8_get_char (p), 0));

      for (guint i = 0; postings != NULL && i < postings->len; i++)
        if (stands_alone (query, p, next))
          record_inside (pass, g_array_index (postings, guint, i));

      if (*next == '\0')
        break;
      postings = _mamori_lookup_postings (
          self->start_grams, _mamori_lookup_gram (g_utf8_get_char (p), g_utf8_get_char (next)));
      for (guint i = 0; postings != NULL && i < postings->len; i++)
        {
          guint key_index = g_array_index (postings, guint, i);
          const MamoriLookupKey *key = &g_array_index (self->keys, MamoriLookupKey, key_index);

          if (g_str_has_prefix (p, key->text))
            record_inside (pass, key_index);
        }
    }
}

/* The assets of a category whose label contains the text, or whose reading starts with it. */
static void
match_categories (Pass *pass, const char *text)
{
  MamoriLookup *self = pass->search->self;
  guint text_chars = g_utf8_strlen (text, -1);

  if (text_chars < 2)
    return;
  for (guint i = 0; i < self->categories->len; i++)
    {
      MamoriLookupCategory *category = g_ptr_array_index (self->categories, i);
      guint label_chars = g_utf8_strlen (category->label, -1);

      if (strstr (category->label, text) == NULL
          && (category->reading == NULL || !g_str_has_prefix (category->reading, text)))
        continue;
      for (guint j = 0; j < category->items->len; j++)
        record (pass, g_array_index (category->items, guint, j), MAMORI_LOOKUP_MATCH_CATEGORY,
                sub_score (RELATION_INFIX, FALSE, MIN (text_chars, label_chars), label_chars));
    }
}

/* @text rewritten through each synonym group it mentions (not @text itself). */
static GPtrArray *
synonym_variants (MamoriLookup *self, const char *text)
{
  GPtrArray *variants = g_ptr_array_new_with_free_func (g_free);

  for (guint g = 0; g < self->synonyms->len; g++)
    {
      const char *const *group = g_ptr_array_index (self->synonyms, g);

      for (guint i = 0; group[i] != NULL; i++)
        {
          gsize length = strlen (group[i]);
          const char *at = strstr (text, group[i]);

          while (at != NULL && !stands_alone (text, at, at + length))
            at = strstr (at + length, group[i]);
          if (at == NULL)
            continue;
          for (guint j = 0; group[j] != NULL && variants->len < MAX_VARIANTS; j++)
            if (j != i)
              g_ptr_array_add (variants, g_strdup_printf ("%.*s%s%s", (int)(at - text), text,
                                                          group[j], at + length));
        }
    }
  return variants;
}

static void
match_query (Pass *pass, const char *query, GPtrArray *words)
{
  match_containing (pass, query, FALSE);
  match_inside (pass, query);
  match_categories (pass, query);
  for (guint i = 0; i < words->len; i++)
    {
      match_containing (pass, g_ptr_array_index (words, i), TRUE);
      match_categories (pass, g_ptr_array_index (words, i));
    }
}

void
_mamori_lookup_match (MamoriLookupSearch *search, const char *query, const char *raw_query)
{
  MamoriLookup *self = search->self;
  g_autoptr (GPtrArray) words = mamori_normalize_words (raw_query);
  g_autoptr (GPtrArray) variants = synonym_variants (self, query);
  Pass typed = { search, query, FALSE };

  /* A query of one word is matched whole already. */
  for (guint i = words->len; i > 0; i--)
    if (g_str_equal (g_ptr_array_index (words, i - 1), query))
      g_ptr_array_remove_index (words, i - 1);

  match_query (&typed, query, words);

  for (guint i = 0; i < variants->len; i++)
    {
      Pass rewritten = { search, g_ptr_array_index (variants, i), TRUE };
      g_autoptr (GPtrArray) no_words = g_ptr_array_new ();

      match_query (&rewritten, rewritten.query, no_words);
    }
  for (guint i = 0; i < words->len; i++)
    {
      g_autoptr (GPtrArray) word_variants = synonym_variants (self, g_ptr_array_index (words, i));

      for (guint j = 0; j < word_variants->len; j++)
        {
          Pass rewritten = { search, query, TRUE };

          match_containing (&rewritten, g_ptr_array_index (word_variants, j), TRUE);
        }
    }
}
