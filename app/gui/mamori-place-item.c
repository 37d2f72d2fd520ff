/* mamori-place-item.c — a row of the register's places view (保管場所)
 *
 * The view's GtkTreeListModel holds one item a place, and makes the items of its entries
 * when the place is expanded (mamori_place_item_dup_children()).  Every item keeps the
 * reading of the places it comes from, which owns the places and their entries: a row
 * still drawn after a new reading replaced the model shows what it was made from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <gio/gio.h>

#include "mamori-place-item.h"

struct _MamoriPlaceItem
{
  GObject parent_instance;

  GPtrArray *places; /* the reading, a reference */
  const MamoriRegisterPlace *place;
  const MamoriRegisterEntry *entry;
  guint n_more;
};

G_DEFINE_FINAL_TYPE (MamoriPlaceItem, mamori_place_item, G_TYPE_OBJECT)

static void
mamori_place_item_finalize (GObject *object)
{
  MamoriPlaceItem *self = MAMORI_PLACE_ITEM (object);

  g_ptr_array_unref (self->places);

  G_OBJECT_CLASS (mamori_place_item_parent_class)->finalize (object);
}

static void
mamori_place_item_class_init (MamoriPlaceItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_place_item_finalize;
}

static void
mamori_place_item_init (MamoriPlaceItem *self)
{
}

static MamoriPlaceItem *
item_new (GPtrArray *places)
{
  MamoriPlaceItem *self = g_object_new (MAMORI_TYPE_PLACE_ITEM, NULL);

  self->places = g_ptr_array_ref (places);
  return self;
}

MamoriPlaceItem *
mamori_place_item_new (GPtrArray *places, guint index)
{
  MamoriPlaceItem *self;

  g_return_val_if_fail (places != NULL && index < places->len, NULL);

  self = item_new (places);
  self->place = g_ptr_array_index (places, index);
  return self;
}

GListModel *
mamori_place_item_dup_children (MamoriPlaceItem *self, guint shown)
{
  GListStore *children;
  guint n;

  g_return_val_if_fail (MAMORI_IS_PLACE_ITEM (self), NULL);

  if (self->place == NULL || self->place->entries->len == 0)
    return NULL;
  children = g_list_store_new (MAMORI_TYPE_PLACE_ITEM);
  n = MIN (self->place->entries->len, shown);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriPlaceItem) child = item_new (self->places);

      child->entry = g_ptr_array_index (self->place->entries, i);
      g_list_store_append (children, child);
    }
  if (self->place->entries->len > n)
    {
      g_autoptr (MamoriPlaceItem) more = item_new (self->places);

      more->n_more = self->place->entries->len - n;
      g_list_store_append (children, more);
    }
  return G_LIST_MODEL (children);
}

const MamoriRegisterPlace *
mamori_place_item_get_place (MamoriPlaceItem *self)
{
  g_return_val_if_fail (MAMORI_IS_PLACE_ITEM (self), NULL);
  return self->place;
}

const MamoriRegisterEntry *
mamori_place_item_get_entry (MamoriPlaceItem *self)
{
  g_return_val_if_fail (MAMORI_IS_PLACE_ITEM (self), NULL);
  return self->entry;
}

guint
mamori_place_item_get_n_more (MamoriPlaceItem *self)
{
  g_return_val_if_fail (MAMORI_IS_PLACE_ITEM (self), 0);
  return self->n_more;
}
