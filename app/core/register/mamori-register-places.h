/* mamori-register-places.h — where the school's information is kept, and at what level
 *
 * Highest level wins (対策基準 3.3(2)⑤(ウ)): a cabinet, a folder, a USB stick or a system
 * that holds assets of several levels is handled at the highest of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-db.h"
#include "mamori-register-entry.h"

G_BEGIN_DECLS

typedef struct
{
  char *location;     /* as the first entry there writes it; NULL for entries without one */
  MamoriLevel *level; /* the highest level among its entries (a reference); NULL if none */
  GPtrArray *entries; /* MamoriRegisterEntry, borrowed from the list given */
} MamoriRegisterPlace;

void
mamori_register_place_free (MamoriRegisterPlace *place);

/* The places of @entries (MamoriRegisterEntry), the same place however its name was
 * typed (mamori_normalize()), most sensitive first, then by name; entries without a
 * place last.  The places borrow the entries: keep @entries while using them. */
GPtrArray *
mamori_register_places (MamoriPolicy *policy, GPtrArray *entries);

/* Reads the register's present entries from @db and folds them into their places
 * (mamori_register_places()): the places own their entries.  For 100,000 entries this
 * takes about a second, so it runs in a thread that has @db to itself; @cancellable is
 * looked at between the reading and the folding: NULL with G_IO_ERROR_CANCELLED. */
GPtrArray *
mamori_register_places_read (MamoriPolicy *policy,
                             MamoriDb *db,
                             GCancellable *cancellable,
                             GError **error);

G_END_DECLS
