/* mamori-register-table.c — the register as the page shows it
 *
 * The entries live in a reference-counted block (Data) that a reload replaces whole: a
 * row object that outlives a reload keeps the block it came from.  `order` holds every
 * entry in the chosen order; `shown` the ones that pass the filter, in that order, so a
 * new filter needs no sort and a new order one sort and one pass of the filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "mamori-normalize.h"
#include "mamori-register-table.h"
#include "mamori-register-private.h"
#include "mamori-register.h"

/* The text columns a row keeps, with their normalised forms. */
enum
{
  TEXT_NAME, /* with its qualifier: 「職員会議資料（個人情報を含まないもの）」 */
  TEXT_LOCATION,
  TEXT_CUSTODIAN,
  TEXT_RETENTION,
  N_TEXTS
};

/* A row is 48 bytes: 100,000 entries hold 4.8 MB of rows besides their text. */
typedef struct
{
  const char *id;
  const char *name;
  const char *name_key;
  guint32 shared[N_TEXTS - 1]; /* index in Data.shared of TEXT_LOCATION… */
  guint16 category;            /* index in Data.categories */
  guint16 level;               /* index in Data.levels: the level's rank */
  guint8 medium;
  guint8 lowered;
} Row;

/* A text many rows share (a place, a custodian, a period), and its normalised form. */
typedef struct
{
  const char *text;
  const char *key;
} Shared;

/* A category or level: its id and label. */
typedef struct
{
  const char *id;
  const char *label;
} Named;

/* The orders the page sorts by. */
enum
{
  ORDER_NAME,
  ORDER_CATEGORY,
  ORDER_LEVEL,
  ORDER_MEDIUM,
  ORDER_LOCATION,
  ORDER_CUSTODIAN,
  ORDER_RETENTION,
  N_ORDERS
};

typedef struct
{
  GStringChunk *strings;
  GArray *rows;                /* Row */
  GArray *shared;              /* Shared, each once; the empty text first */
  GArray *ascending[N_ORDERS]; /* guint: the rows in each order, ascending; NULL until read */
  GArray *categories;          /* Named, in the policy's order, then any the policy no longer has */
  GArray *levels;              /* Named, by rank, then any the policy no longer has */
} Data;

struct _MamoriRegisterRow
{
  GObject parent_instance;

  Data *data; /* a reference */
  guint index;
};

struct _MamoriRegisterTable
{
  GObject parent_instance;

  Data *data;
  GArray *order; /* guint: every row, in the chosen order */
  GArray *shown; /* guint: the rows that pass the filter, in that order */
  GPtrArray *words;
  char *category;
  char *level;
  MamoriRegisterField sort_field;
  gboolean descending;
};

static void
list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE (MamoriRegisterRow, mamori_register_row, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (MamoriRegisterTable,
                               mamori_register_table,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* --- the data ------------------------------------------------------------------------ */

static void
data_clear (gpointer pointer)
{
  Data *data = pointer;

  g_string_chunk_free (data->strings);
  g_array_unref (data->rows);
  g_array_unref (data->shared);
  g_array_unref (data->categories);
  g_array_unref (data->levels);
  for (int order = 0; order < N_ORDERS; order++)
    g_clear_pointer (&data->ascending[order], g_array_unref);
}

static void
data_make_orders (Data *data);

static Data *
data_new (void)
{
  Data *data = g_rc_box_new0 (Data);
  Shared empty = { "", "" };

  data->strings = g_string_chunk_new (64 * 1024);
  data->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  data->shared = g_array_new (FALSE, FALSE, sizeof (Shared));
  g_array_append_val (data->shared, empty);
  data->categories = g_array_new (FALSE, TRUE, sizeof (Named));
  data->levels = g_array_new (FALSE, TRUE, sizeof (Named));
  data_make_orders (data);
  return data;
}

static Data *
data_ref (Data *data)
{
  return g_rc_box_acquire (data);
}

static void
data_unref (Data *data)
{
  g_rc_box_release_full (data, data_clear);
}

static void
add_named (Data *data, GArray *array, const char *id, const char *label)
{
  Named named = { g_string_chunk_insert_const (data->strings, id),
                  g_string_chunk_insert_const (data->strings, label != NULL ? label : id) };

  g_array_append_val (array, named);
}

/* The index of @id in @array, added (labelled by its id) when the policy lacks it. */
static guint16
named_index (Data *data, GArray *array, const char *id)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_array_index (array, Named, i).id, id))
      return i;
  add_named (data, array, id, id);
  return array->len - 1;
}

/* Loads the policy's categories and levels, in its order. */
static void
data_set_policy (Data *data, MamoriPolicy *policy)
{
  const char *const *categories = mamori_policy_get_category_ids (policy);
  GListModel *levels = mamori_policy_get_levels (policy);

  for (guint i = 0; categories[i] != NULL; i++)
    add_named (data, data->categories, categories[i],
               mamori_policy_get_category_label (policy, categories[i]));
  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      add_named (data, data->levels, mamori_level_get_id (level), mamori_level_get_label (level));
    }
}

/* The index in Data.shared of @text, with its normalised form, each kept once however
 * many rows share them (@indexes: the texts seen, to their index + 1). */
static guint32
intern (Data *data, GHashTable *indexes, const char *text)
{
  g_autofree char *normal = NULL;
  Shared shared;
  guint32 index;

  if (text == NULL || *text == '\0')
    return 0;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (indexes, text));
  if (index > 0)
    return index - 1;
  normal = mamori_normalize (text);
  shared.text = g_string_chunk_insert (data->strings, text);
  shared.key
      = g_str_equal (normal, text) ? shared.text : g_string_chunk_insert (data->strings, normal);
  g_array_append_val (data->shared, shared);
  g_hash_table_insert (indexes, (gpointer)shared.text, GUINT_TO_POINTER (data->shared->len));
  return data->shared->len - 1;
}

static const char *
row_text (const Data *data, const Row *row, int text)
{
  return text == TEXT_NAME ? row->name
                           : g_array_index (data->shared, Shared, row->shared[text - 1]).text;
}

static const char *
row_key (const Data *data, const Row *row, int text)
{
  return text == TEXT_NAME ? row->name_key
                           : g_array_index (data->shared, Shared, row->shared[text - 1]).key;
}

static void
data_add_row (Data *data, GHashTable *keys, sqlite3_stmt *stmt)
{
  const char *name = (const char *)sqlite3_column_text (stmt, 1);
  const char *qualifier = (const char *)sqlite3_column_text (stmt, 2);
  const char *medium = (const char *)sqlite3_column_text (stmt, 5);
  g_autofree char *display = NULL;
  g_autofree char *key = NULL;
  MamoriMedium value = MAMORI_MEDIUM_UNSET;
  Row row = { 0 };

  display = qualifier != NULL ? g_strdup_printf ("%s（%s）", name, qualifier)
                              : g_strdup (name != NULL ? name : "");
  key = mamori_normalize (display);
  row.id = g_string_chunk_insert (data->strings, (const char *)sqlite3_column_text (stmt, 0));
  row.name = g_string_chunk_insert (data->strings, display);
  /* Most names are their own normalised form (kanji, hiragana, digits): kept once. */
  row.name_key = g_str_equal (key, display) ? row.name : g_string_chunk_insert (data->strings, key);
  row.category = named_index (data, data->categories, (const char *)sqlite3_column_text (stmt, 3));
  row.level = named_index (data, data->levels, (const char *)sqlite3_column_text (stmt, 4));
  if (medium != NULL)
    mamori_medium_from_string (medium, &value);
  row.medium = value;
  /* Columns 6, 7 and 8: place, custodian, period. */
  for (int text = TEXT_LOCATION; text < N_TEXTS; text++)
    row.shared[text - 1] = intern (data, keys, (const char *)sqlite3_column_text (stmt, 5 + text));
  row.lowered = sqlite3_column_int (stmt, 9) != 0;
  g_array_append_val (data->rows, row);
}

/* --- the row objects ------------------------------------------------------------------- */

static void
mamori_register_row_finalize (GObject *object)
{
  MamoriRegisterRow *self = MAMORI_REGISTER_ROW (object);

  data_unref (self->data);
  G_OBJECT_CLASS (mamori_register_row_parent_class)->finalize (object);
}

static void
mamori_register_row_class_init (MamoriRegisterRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_register_row_finalize;
}

static void
mamori_register_row_init (MamoriRegisterRow *self)
{
}

static const Row *
row_of (MamoriRegisterRow *self)
{
  return &g_array_index (self->data->rows, Row, self->index);
}

const char *
mamori_register_row_get_id (MamoriRegisterRow *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_ROW (self), NULL);
  return row_of (self)->id;
}

const char *
mamori_register_row_get_text (MamoriRegisterRow *self, MamoriRegisterField field)
{
  const Row *row;

  g_return_val_if_fail (MAMORI_IS_REGISTER_ROW (self), NULL);

  row = row_of (self);
  switch (field)
    {
    case MAMORI_REGISTER_FIELD_NAME:
      return row->name;
    case MAMORI_REGISTER_FIELD_CATEGORY:
      return g_array_index (self->data->categories, Named, row->category).label;
    case MAMORI_REGISTER_FIELD_LEVEL:
      return g_array_index (self->data->levels, Named, row->level).label;
    case MAMORI_REGISTER_FIELD_MEDIUM:
      return row->medium != MAMORI_MEDIUM_UNSET ? mamori_medium_get_label (row->medium) : "";
    case MAMORI_REGISTER_FIELD_LOCATION:
      return row_text (self->data, row, TEXT_LOCATION);
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      return row_text (self->data, row, TEXT_CUSTODIAN);
    case MAMORI_REGISTER_FIELD_RETENTION:
      return row_text (self->data, row, TEXT_RETENTION);
    default:
      return "";
    }
}

guint
mamori_register_row_get_level_rank (MamoriRegisterRow *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_ROW (self), 0);
  return row_of (self)->level;
}

gboolean
mamori_register_row_get_lowered (MamoriRegisterRow *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_ROW (self), FALSE);
  return row_of (self)->lowered;
}

/* --- the list model ---------------------------------------------------------------------- */

static GType
get_item_type (GListModel *model)
{
  return MAMORI_TYPE_REGISTER_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return MAMORI_REGISTER_TABLE (model)->shown->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  MamoriRegisterTable *self = MAMORI_REGISTER_TABLE (model);
  MamoriRegisterRow *row;

  if (position >= self->shown->len)
    return NULL;
  row = g_object_new (MAMORI_TYPE_REGISTER_ROW, NULL);
  row->data = data_ref (self->data);
  row->index = g_array_index (self->shown, guint, position);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* --- filter and order -------------------------------------------------------------------- */

/* The words of the filter that @key holds, as bits (at most 32 words count). */
static guint32
words_in (MamoriRegisterTable *self, const char *key)
{
  guint32 mask = 0;

  for (guint w = 0; w < self->words->len && w < 32; w++)
    if (strstr (key, g_ptr_array_index (self->words, w)) != NULL)
      mask |= 1u << w;
  return mask;
}

/* The same, for text that many rows share (places, custodians, periods: interned, so
 * one pointer each): looked up in @cache rather than searched again. */
static guint32
shared_words_in (MamoriRegisterTable *self, GHashTable *cache, const char *key)
{
  gpointer found;

  if (g_hash_table_lookup_extended (cache, key, NULL, &found))
    return GPOINTER_TO_UINT (found);
  found = GUINT_TO_POINTER (words_in (self, key));
  g_hash_table_insert (cache, (gpointer)key, found);
  return GPOINTER_TO_UINT (found);
}

static gboolean
row_matches (MamoriRegisterTable *self, const Row *row, GHashTable *cache, guint32 all)
{
  guint32 mask;

  if (self->category != NULL
      && !g_str_equal (g_array_index (self->data->categories, Named, row->category).id,
                       self->category))
    return FALSE;
  if (self->level != NULL
      && !g_str_equal (g_array_index (self->data->levels, Named, row->level).id, self->level))
    return FALSE;
  if (all == 0)
    return TRUE;
  mask = words_in (self, row->name_key);
  for (int t = TEXT_NAME + 1; t < N_TEXTS && mask != all; t++)
    mask |= shared_words_in (self, cache, row_key (self->data, row, t));
  return mask == all;
}

/* Fills `shown` from `order` and tells the views. */
static void
refilter (MamoriRegisterTable *self)
{
  g_autoptr (GHashTable) cache = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_words = MIN (self->words->len, 32);
  guint32 all = n_words == 32 ? G_MAXUINT32 : (1u << n_words) - 1;
  guint removed = self->shown->len;

  g_array_set_size (self->shown, 0);
  for (guint i = 0; i < self->order->len; i++)
    {
      guint index = g_array_index (self->order, guint, i);

      if (row_matches (self, &g_array_index (self->data->rows, Row, index), cache, all))
        g_array_append_val (self->shown, index);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->shown->len);
}

/* The orders the table can show, each made once when the entries are read: a new order
 * is then a copy (or, descending, a copy by groups), not a sort. */
static int
order_of (MamoriRegisterField field)
{
  switch (field)
    {
    case MAMORI_REGISTER_FIELD_CATEGORY:
      return ORDER_CATEGORY;
    case MAMORI_REGISTER_FIELD_LEVEL:
      return ORDER_LEVEL;
    case MAMORI_REGISTER_FIELD_MEDIUM:
      return ORDER_MEDIUM;
    case MAMORI_REGISTER_FIELD_LOCATION:
      return ORDER_LOCATION;
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      return ORDER_CUSTODIAN;
    case MAMORI_REGISTER_FIELD_RETENTION:
      return ORDER_RETENTION;
    case MAMORI_REGISTER_FIELD_NAME:
    default:
      return ORDER_NAME;
    }
}

/* How rows @ia and @ib compare in @order; 0 when equal there. */
static int
compare_in (const Data *data, int order, guint ia, guint ib)
{
  const Row *ra = &g_array_index (data->rows, Row, ia);
  const Row *rb = &g_array_index (data->rows, Row, ib);
  static const int texts[N_ORDERS] = { [ORDER_NAME] = TEXT_NAME,
                                       [ORDER_LOCATION] = TEXT_LOCATION,
                                       [ORDER_CUSTODIAN] = TEXT_CUSTODIAN,
                                       [ORDER_RETENTION] = TEXT_RETENTION };

  switch (order)
    {
    case ORDER_CATEGORY:
      return (int)ra->category - (int)rb->category;
    case ORDER_LEVEL:
      return (int)ra->level - (int)rb->level;
    case ORDER_MEDIUM:
      return (int)ra->medium - (int)rb->medium;
    default:
      /* Shared text is one string however many rows share it. */
      {
        const char *ka = row_key (data, ra, texts[order]);
        const char *kb = row_key (data, rb, texts[order]);

        return ka == kb ? 0 : strcmp (ka, kb);
      }
    }
}

typedef struct
{
  const Data *data;
  int order;
} SortBy;

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SortBy *by = user_data;
  guint ia = *(const guint *)a, ib = *(const guint *)b;
  int result = compare_in (by->data, by->order, ia, ib);

  /* Then as they were added. */
  return result != 0 ? result : (ia < ib ? -1 : ia > ib);
}

static void
data_make_orders (Data *data)
{
  for (int order = 0; order < N_ORDERS; order++)
    {
      SortBy by = { data, order };
      GArray *ascending = g_array_sized_new (FALSE, FALSE, sizeof (guint), data->rows->len);

      g_array_set_size (ascending, data->rows->len);
      for (guint i = 0; i < ascending->len; i++)
        g_array_index (ascending, guint, i) = i;
      g_qsort_with_data (ascending->data, ascending->len, sizeof (guint), compare_rows, &by);
      data->ascending[order] = ascending;
    }
}

/* `order` from the order made when the entries were read: descending is by groups of
 * equal values from the last, each group still in the order the rows were added. */
static void
resort (MamoriRegisterTable *self)
{
  int order = order_of (self->sort_field);
  GArray *ascending = self->data->ascending[order];
  guint n = ascending->len;

  g_array_set_size (self->order, 0);
  if (!self->descending)
    {
      g_array_append_vals (self->order, ascending->data, n);
      return;
    }
  for (guint end = n; end > 0;)
    {
      guint start = end - 1;
      guint last = g_array_index (ascending, guint, end - 1);

      while (start > 0
             && compare_in (self->data, order, g_array_index (ascending, guint, start - 1), last)
                    == 0)
        start--;
      g_array_append_vals (self->order, &g_array_index (ascending, guint, start), end - start);
      end = start;
    }
}

/* --- the table ------------------------------------------------------------------------- */

static void
mamori_register_table_finalize (GObject *object)
{
  MamoriRegisterTable *self = MAMORI_REGISTER_TABLE (object);

  data_unref (self->data);
  g_array_unref (self->order);
  g_array_unref (self->shown);
  g_ptr_array_unref (self->words);
  g_free (self->category);
  g_free (self->level);
  G_OBJECT_CLASS (mamori_register_table_parent_class)->finalize (object);
}

static void
mamori_register_table_class_init (MamoriRegisterTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_register_table_finalize;
}

static void
mamori_register_table_init (MamoriRegisterTable *self)
{
  self->data = data_new ();
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  self->words = g_ptr_array_new_with_free_func (g_free);
  self->sort_field = MAMORI_REGISTER_FIELD_NAME;
}

MamoriRegisterTable *
mamori_register_table_new (void)
{
  return g_object_new (MAMORI_TYPE_REGISTER_TABLE, NULL);
}

/* The entries are read once, in order: a page cache (the vault's is 8 MiB) would only
 * hold pages already copied into the table, at the moment the page's memory peaks. */
#define READ_CACHE_SIZE (-256)

static gboolean
read_entries (MamoriRegisterTable *self, MamoriPolicy *policy, MamoriDb *db, GError **error);

gboolean
mamori_register_table_load (MamoriRegisterTable *self,
                            MamoriPolicy *policy,
                            MamoriDb *db,
                            GError **error)
{
  gint64 cache_size = 0;
  gboolean ok;

  g_return_val_if_fail (MAMORI_IS_REGISTER_TABLE (self), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  if (!_mamori_register_get_cache_size (db, &cache_size, error)
      || !_mamori_register_set_cache_size (db, READ_CACHE_SIZE, error))
    return FALSE;
  ok = read_entries (self, policy, db, error);
  _mamori_register_set_cache_size (db, cache_size, NULL);
  /* Whatever the cache still holds is pages of entries now in the table. */
  sqlite3_db_release_memory (db->handle);
#ifdef __GLIBC__
  /* Reading 100,000 rows leaves megabytes of freed working memory (statements, the
   * strings before they went into the chunk, the table it replaced) scattered in the
   * heap: give it back. */
  malloc_trim (0);
#endif
  return ok;
}

static gboolean
read_entries (MamoriRegisterTable *self, MamoriPolicy *policy, MamoriDb *db, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 count = 0;
  Data *data;
  int rc;

  stmt = mamori_db_prepare (db,
                            "SELECT id, name, qualifier, category, level, medium, location, "
                            "custodian, retention, lowered FROM register_entries "
                            "WHERE removed_seq IS NULL ORDER BY created_seq, rowid",
                            error);
  if (stmt == NULL)
    return FALSE;
  data = data_new ();
  data_set_policy (data, policy);
  if (mamori_register_count (db, &count, NULL))
    g_array_set_size (g_array_set_size (data->rows, count), 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    data_add_row (data, keys, stmt);
  if (rc != SQLITE_DONE)
    {
      data_unref (data);
      return mamori_db_fail (db, rc, error);
    }
  for (int order = 0; order < N_ORDERS; order++)
    g_clear_pointer (&data->ascending[order], g_array_unref);
  data_make_orders (data);
  data_unref (self->data);
  self->data = data;
  resort (self);
  refilter (self);
  return TRUE;
}

void
mamori_register_table_clear (MamoriRegisterTable *self)
{
  g_return_if_fail (MAMORI_IS_REGISTER_TABLE (self));

  data_unref (self->data);
  self->data = data_new ();
  resort (self);
  refilter (self);
}

guint
mamori_register_table_get_n_entries (MamoriRegisterTable *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_TABLE (self), 0);
  return self->data->rows->len;
}

void
mamori_register_table_set_filter (MamoriRegisterTable *self,
                                  const char *text,
                                  const char *category_id,
                                  const char *level_id)
{
  g_auto (GStrv) words = NULL;
  g_autofree char *spaced = NULL;

  g_return_if_fail (MAMORI_IS_REGISTER_TABLE (self));

  g_ptr_array_set_size (self->words, 0);
  /* Words are split at spaces, the ideographic one included (g_strsplit_set() splits at
   * bytes, so it is turned into an ASCII space first). */
  spaced = g_strjoinv (" ", (words = g_strsplit (text != NULL ? text : "", "　", -1)));
  g_strfreev (words);
  words = g_strsplit_set (spaced, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *word = mamori_normalize (words[i]);

      if (*word != '\0')
        g_ptr_array_add (self->words, word);
      else
        g_free (word);
    }
  g_free (self->category);
  self->category = category_id != NULL && *category_id != '\0' ? g_strdup (category_id) : NULL;
  g_free (self->level);
  self->level = level_id != NULL && *level_id != '\0' ? g_strdup (level_id) : NULL;
  refilter (self);
}

void
mamori_register_table_set_sort (MamoriRegisterTable *self,
                                MamoriRegisterField field,
                                gboolean descending)
{
  g_return_if_fail (MAMORI_IS_REGISTER_TABLE (self));

  if (field == self->sort_field && descending == self->descending)
    return;
  self->sort_field = field;
  self->descending = descending;
  resort (self);
  refilter (self);
}

guint
mamori_register_table_find (MamoriRegisterTable *self, const char *id)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_TABLE (self), G_MAXUINT);

  for (guint i = 0; id != NULL && i < self->shown->len; i++)
    if (g_str_equal (
            g_array_index (self->data->rows, Row, g_array_index (self->shown, guint, i)).id, id))
      return i;
  return G_MAXUINT;
}
