/* mamori-register-table.c — the register as the page shows it
 *
 * The entries live in a reference-counted block (Data, read by
 * mamori-register-table-read.c, in a thread if need be) that a reload replaces whole.
 * `order` holds every entry in the chosen order; `shown` the ones that pass the filter,
 * in that order, so a new filter needs no sort and a new order one sort and one pass of
 * the filter.  When a new block replaces the old one, the views hear only of the rows
 * between the first and the last that differ, and the row objects they keep for the
 * rest move to the new block: the list keeps its place and the old block is freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <string.h>

#include "mamori-normalize.h"
#include "mamori-register-private.h"
#include "mamori-register-table-private.h"
#include "mamori-register.h"

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

/* --- the row objects ------------------------------------------------------------------- */

static void
mamori_register_row_finalize (GObject *object)
{
  MamoriRegisterRow *self = MAMORI_REGISTER_ROW (object);

  g_ptr_array_remove_fast (self->data->live, self);
  _mamori_register_data_unref (self->data);
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
      return _mamori_register_row_text (self->data, row, TEXT_LOCATION);
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      return _mamori_register_row_text (self->data, row, TEXT_CUSTODIAN);
    case MAMORI_REGISTER_FIELD_RETENTION:
      return _mamori_register_row_text (self->data, row, TEXT_RETENTION);
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
  row->data = _mamori_register_data_ref (self->data);
  row->index = g_array_index (self->shown, guint, position);
  g_ptr_array_add (self->data->live, row);
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
    mask |= shared_words_in (self, cache, _mamori_register_row_key (self->data, row, t));
  return mask == all;
}

/* Fills `shown` from `order`. */
static void
fill_shown (MamoriRegisterTable *self)
{
  g_autoptr (GHashTable) cache = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_words = MIN (self->words->len, 32);
  guint32 all = n_words == 32 ? G_MAXUINT32 : (1u << n_words) - 1;

  g_array_set_size (self->shown, 0);
  for (guint i = 0; i < self->order->len; i++)
    {
      guint index = g_array_index (self->order, guint, i);

      if (row_matches (self, &g_array_index (self->data->rows, Row, index), cache, all))
        g_array_append_val (self->shown, index);
    }
}

/* Fills `shown` again and tells the views. */
static void
refilter (MamoriRegisterTable *self)
{
  guint removed = self->shown->len;

  fill_shown (self);
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
             && _mamori_register_data_compare (self->data, order,
                                               g_array_index (ascending, guint, start - 1), last)
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

  _mamori_register_data_unref (self->data);
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
  self->data = _mamori_register_data_new ();
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

/* Whether row @ia of @a shows as row @ib of @b does: the same entry, the same text. */
static gboolean
same_row (const Data *a, guint ia, const Data *b, guint ib)
{
  const Row *ra = &g_array_index (a->rows, Row, ia);
  const Row *rb = &g_array_index (b->rows, Row, ib);

  if (ra->medium != rb->medium || ra->lowered != rb->lowered || !g_str_equal (ra->id, rb->id)
      || !g_str_equal (ra->name, rb->name)
      || !g_str_equal (g_array_index (a->categories, Named, ra->category).label,
                       g_array_index (b->categories, Named, rb->category).label)
      || !g_str_equal (g_array_index (a->levels, Named, ra->level).label,
                       g_array_index (b->levels, Named, rb->level).label)
      || ra->level != rb->level)
    return FALSE;
  for (int t = TEXT_NAME + 1; t < N_TEXTS; t++)
    if (!g_str_equal (_mamori_register_row_text (a, ra, t), _mamori_register_row_text (b, rb, t)))
      return FALSE;
  return TRUE;
}

/* The row objects of @old that show a row kept at the same place (@map: a row of @old to
 * its row in @new, or G_MAXUINT) now show it from @new. */
static void
move_live_rows (Data *old, Data *new, const guint *map)
{
  for (guint i = old->live->len; i > 0; i--)
    {
      MamoriRegisterRow *row = g_ptr_array_index (old->live, i - 1);

      if (map[row->index] == G_MAXUINT)
        continue;
      g_ptr_array_remove_index_fast (old->live, i - 1);
      row->index = map[row->index];
      row->data = _mamori_register_data_ref (new);
      g_ptr_array_add (new->live, row);
      _mamori_register_data_unref (old);
    }
}

/* Whether row @ia of @a (the rows shown before) and row @ib of the table's data show the
 * same: for the same data, the same row unless it is @changed. */
static gboolean
shows_same (MamoriRegisterTable *self, const Data *a, guint ia, guint ib, guint changed)
{
  if (a == self->data)
    return ia == ib && ia != changed;
  return same_row (a, ia, self->data, ib);
}

/* `shown` filled again (the data or a row of it changed; @old_shown the rows shown from
 * @old before): the views hear of the rows between the first and the last that differ,
 * and the row objects of @old kept for the others move to the new data. */
static void
show_changes (MamoriRegisterTable *self, Data *old, GArray *old_shown, guint changed)
{
  g_autofree guint *map = NULL;
  guint prefix = 0, suffix = 0, common;

  resort (self);
  fill_shown (self);
  common = MIN (old_shown->len, self->shown->len);
  while (prefix < common
         && shows_same (self, old, g_array_index (old_shown, guint, prefix),
                        g_array_index (self->shown, guint, prefix), changed))
    prefix++;
  while (suffix < common - prefix
         && shows_same (self, old, g_array_index (old_shown, guint, old_shown->len - 1 - suffix),
                        g_array_index (self->shown, guint, self->shown->len - 1 - suffix), changed))
    suffix++;
  if (old != self->data && old->live->len > 0)
    {
      map = g_new (guint, MAX (old->rows->len, 1));
      memset (map, 0xff, sizeof (guint) * MAX (old->rows->len, 1));
      for (guint i = 0; i < prefix; i++)
        map[g_array_index (old_shown, guint, i)] = g_array_index (self->shown, guint, i);
      for (guint i = 1; i <= suffix; i++)
        map[g_array_index (old_shown, guint, old_shown->len - i)]
            = g_array_index (self->shown, guint, self->shown->len - i);
      move_live_rows (old, self->data, map);
    }
  if (prefix + suffix < old_shown->len || prefix + suffix < self->shown->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_shown->len - prefix - suffix,
                                self->shown->len - prefix - suffix);
}

void
mamori_register_table_take_snapshot (MamoriRegisterTable *self, MamoriRegisterSnapshot *snapshot)
{
  Data *old;
  g_autoptr (GArray) old_shown = NULL;

  g_return_if_fail (MAMORI_IS_REGISTER_TABLE (self));
  g_return_if_fail (snapshot != NULL);

  old = self->data;
  old_shown = self->shown;
  self->data = snapshot;
  self->shown = g_array_sized_new (FALSE, FALSE, sizeof (guint), old_shown->len);
  show_changes (self, old, old_shown, G_MAXUINT);
  _mamori_register_data_unref (old);
}

gboolean
mamori_register_table_update_entry (MamoriRegisterTable *self, MamoriDb *db, const char *id)
{
  g_autoptr (GArray) old_shown = NULL;
  guint index;

  g_return_val_if_fail (MAMORI_IS_REGISTER_TABLE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!_mamori_register_data_update (self->data, db, id, &index))
    return FALSE;
  old_shown = self->shown;
  self->shown = g_array_sized_new (FALSE, FALSE, sizeof (guint), old_shown->len + 1);
  show_changes (self, self->data, old_shown, index);
  return TRUE;
}

gboolean
mamori_register_table_load (MamoriRegisterTable *self,
                            MamoriPolicy *policy,
                            MamoriDb *db,
                            GError **error)
{
  MamoriRegisterSnapshot *snapshot;

  g_return_val_if_fail (MAMORI_IS_REGISTER_TABLE (self), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  snapshot = mamori_register_snapshot_read (policy, db, NULL, error);
  if (snapshot == NULL)
    return FALSE;
  mamori_register_table_take_snapshot (self, snapshot);
  return TRUE;
}

void
mamori_register_table_clear (MamoriRegisterTable *self)
{
  g_return_if_fail (MAMORI_IS_REGISTER_TABLE (self));

  mamori_register_table_take_snapshot (self, _mamori_register_data_new ());
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
