/* mamori-place-item.h — a row of the register's places view (保管場所): a place, one of
 * its entries, or how many more it holds than are listed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-register-places.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_PLACE_ITEM (mamori_place_item_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPlaceItem, mamori_place_item, MAMORI, PLACE_ITEM, GObject)

/* The place at @index of @places (MamoriRegisterPlace), which the item keeps. */
MamoriPlaceItem *
mamori_place_item_new (GPtrArray *places, guint index);
/* The rows under a place: its first @shown entries, then one row of how many more when it
 * holds more; NULL for an entry's row or the last one. */
GListModel *
mamori_place_item_dup_children (MamoriPlaceItem *self, guint shown);

/* The place of a place's row, else NULL. */
const MamoriRegisterPlace *
mamori_place_item_get_place (MamoriPlaceItem *self);
/* The entry of an entry's row, else NULL. */
const MamoriRegisterEntry *
mamori_place_item_get_entry (MamoriPlaceItem *self);
/* How many entries the place holds beyond those listed, on the row after them; else 0. */
guint
mamori_place_item_get_n_more (MamoriPlaceItem *self);

G_END_DECLS
