/* mamori-register-table-read.c — reading the register's entries for the page's table
 *
 * What is read is a block of its own (a MamoriRegisterSnapshot), made in whatever thread
 * reads it, with every order the page sorts by made once; the table takes it in the main
 * thread (mamori-register-table.c).  Nothing here touches a table or a row object.
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
#include "mamori-register-private.h"
#include "mamori-register-table-private.h"
#include "mamori-register.h"

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
  g_ptr_array_unref (data->live);
}

static void
data_make_orders (Data *data);

Data *
_mamori_register_data_new (void)
{
  Data *data = g_rc_box_new0 (Data);
  Shared empty = { "", "" };

  data->strings = g_string_chunk_new (64 * 1024);
  data->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  data->shared = g_array_new (FALSE, FALSE, sizeof (Shared));
  g_array_append_val (data->shared, empty);
  data->categories = g_array_new (FALSE, TRUE, sizeof (Named));
  data->levels = g_array_new (FALSE, TRUE, sizeof (Named));
  data->live = g_ptr_array_new ();
  data_make_orders (data);
  return data;
}

Data *
_mamori_register_data_ref (Data *data)
{
  return g_rc_box_acquire (data);
}

void
_mamori_register_data_unref (Data *data)
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

/* --- the orders ---------------------------------------------------------------------- */

int
_mamori_register_data_compare (const Data *data, int order, guint ia, guint ib)
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
        const char *ka = _mamori_register_row_key (data, ra, texts[order]);
        const char *kb = _mamori_register_row_key (data, rb, texts[order]);

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
  int result = _mamori_register_data_compare (by->data, by->order, ia, ib);

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

/* --- reading ------------------------------------------------------------------------- */

#define SELECT_ENTRY                                                                               \
  "SELECT id, name, qualifier, category, level, medium, location, custodian, retention, "          \
  "lowered FROM register_entries "

/* Takes @index out of the order @order of @data, or puts it back where it sorts. */
static void
order_remove (Data *data, int order, guint index)
{
  GArray *ascending = data->ascending[order];

  for (guint i = 0; i < ascending->len; i++)
    if (g_array_index (ascending, guint, i) == index)
      {
        g_array_remove_index (ascending, i);
        return;
      }
}

static void
order_insert (Data *data, int order, guint index)
{
  GArray *ascending = data->ascending[order];
  SortBy by = { data, order };
  guint low = 0, high = ascending->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (compare_rows (&g_array_index (ascending, guint, middle), &index, &by) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  g_array_insert_val (ascending, low, index);
}

gboolean
_mamori_register_data_update (Data *data, MamoriDb *db, const char *id, guint *out_index)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  guint index = G_MAXUINT;
  guint added;

  for (guint i = 0; i < data->rows->len && index == G_MAXUINT; i++)
    if (g_str_equal (g_array_index (data->rows, Row, i).id, id))
      index = i;
  /* A row not in the table goes last: only if no present entry was created after it. */
  stmt = mamori_db_prepare (
      db,
      SELECT_ENTRY "WHERE id = ?1 AND removed_seq IS NULL AND (?2 OR created_seq >= "
                   "(SELECT MAX(created_seq) FROM register_entries WHERE removed_seq IS NULL))",
      NULL);
  if (stmt == NULL || sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT) != SQLITE_OK
      || sqlite3_bind_int (stmt, 2, index != G_MAXUINT) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  added = data->rows->len;
  data_add_row (data, keys, stmt);
  if (index == G_MAXUINT)
    index = added;
  else
    {
      g_array_index (data->rows, Row, index) = g_array_index (data->rows, Row, added);
      g_array_set_size (data->rows, added);
      for (int order = 0; order < N_ORDERS; order++)
        order_remove (data, order, index);
    }
  for (int order = 0; order < N_ORDERS; order++)
    order_insert (data, order, index);
  *out_index = index;
  return TRUE;
}

/* The entries are read once, in order: a page cache (the vault's is 8 MiB) would only
 * hold pages already copied into the table, at the moment the page's memory peaks. */
#define READ_CACHE_SIZE (-256)

/* How many rows are read between two looks at the cancellable. */
#define ROWS_BETWEEN_CHECKS 4096

static Data *
read_entries (MamoriPolicy *policy, MamoriDb *db, GCancellable *cancellable, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 count = 0;
  guint n = 0;
  Data *data;
  int rc;

  stmt = mamori_db_prepare (
      db, SELECT_ENTRY "WHERE removed_seq IS NULL ORDER BY created_seq, rowid", error);
  if (stmt == NULL)
    return NULL;
  data = _mamori_register_data_new ();
  data_set_policy (data, policy);
  if (mamori_register_count (db, &count, NULL))
    g_array_set_size (g_array_set_size (data->rows, count), 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      data_add_row (data, keys, stmt);
      if (++n % ROWS_BETWEEN_CHECKS == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          _mamori_register_data_unref (data);
          return NULL;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _mamori_register_data_unref (data);
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      _mamori_register_data_unref (data);
      return NULL;
    }
  for (int order = 0; order < N_ORDERS; order++)
    g_clear_pointer (&data->ascending[order], g_array_unref);
  data_make_orders (data);
  return data;
}

MamoriRegisterSnapshot *
mamori_register_snapshot_read (MamoriPolicy *policy,
                               MamoriDb *db,
                               GCancellable *cancellable,
                               GError **error)
{
  gint64 cache_size = 0;
  Data *data;

  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);
  g_return_val_if_fail (db != NULL, NULL);

  if (!_mamori_register_get_cache_size (db, &cache_size, error)
      || !_mamori_register_set_cache_size (db, READ_CACHE_SIZE, error))
    return NULL;
  data = read_entries (policy, db, cancellable, error);
  _mamori_register_set_cache_size (db, cache_size, NULL);
  /* Whatever the cache still holds is pages of entries now in the table. */
  sqlite3_db_release_memory (db->handle);
#ifdef __GLIBC__
  /* Reading 100,000 rows leaves megabytes of freed working memory (statements, the
   * strings before they went into the chunk) scattered in the heap: give it back. */
  malloc_trim (0);
#endif
  return data;
}

void
mamori_register_snapshot_free (MamoriRegisterSnapshot *snapshot)
{
  if (snapshot != NULL)
    _mamori_register_data_unref (snapshot);
}
