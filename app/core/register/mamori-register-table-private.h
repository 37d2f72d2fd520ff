/* mamori-register-table-private.h — the entries of a MamoriRegisterTable, shared by
 * mamori-register-table-read.c (reading them from the vault, in any thread, and their
 * orders) and mamori-register-table.c (the list model over them, in the main thread)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-register-table.h"

G_BEGIN_DECLS

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

struct _MamoriRegisterSnapshot
{
  GStringChunk *strings;
  GArray *rows;                /* Row */
  GArray *shared;              /* Shared, each once; the empty text first */
  GArray *ascending[N_ORDERS]; /* guint: the rows in each order, ascending; NULL until read */
  GArray *categories;          /* Named, in the policy's order, then any the policy no longer has */
  GArray *levels;              /* Named, by rank, then any the policy no longer has */
  GPtrArray *live;             /* MamoriRegisterRow: the row objects made on it (not owned) */
};

typedef MamoriRegisterSnapshot Data;

/* An empty block of entries, with its (empty) orders; a reference. */
Data *
_mamori_register_data_new (void);
Data *
_mamori_register_data_ref (Data *data);
void
_mamori_register_data_unref (Data *data);

static inline const char *
_mamori_register_row_text (const Data *data, const Row *row, int text)
{
  return text == TEXT_NAME ? row->name
                           : g_array_index (data->shared, Shared, row->shared[text - 1]).text;
}

static inline const char *
_mamori_register_row_key (const Data *data, const Row *row, int text)
{
  return text == TEXT_NAME ? row->name_key
                           : g_array_index (data->shared, Shared, row->shared[text - 1]).key;
}

/* Reads the entry with @id from @db into @data in place, in the main thread: its row
 * replaced and moved in every order when @data has it, appended when it is the register's
 * newest entry (*@out_index: its row).  FALSE, and @data as it was, when that cannot be
 * done — the entry is removed, or back among older ones — or the entry cannot be read. */
gboolean
_mamori_register_data_update (Data *data, MamoriDb *db, const char *id, guint *out_index);

/* How rows @ia and @ib compare in @order (ORDER_…); 0 when equal there. */
int
_mamori_register_data_compare (const Data *data, int order, guint ia, guint ib);

G_END_DECLS
