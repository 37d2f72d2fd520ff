/* mamori-board-store-sqlite-private.h — what the parts of MamoriBoardStoreSqlite share:
 * mamori-board-store-sqlite.c (the file, the schools, the events, the codes and keys)
 * and mamori-board-store-sqlite-held.c (the events held for their signatures)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "mamori-board-store-sqlite.h"

G_BEGIN_DECLS

struct _MamoriBoardStoreSqlite
{
  GObject parent_instance;
  sqlite3 *db;
  char *path;
  GHashTable *statements; /* SQL → sqlite3_stmt, each prepared once */
};

/* A statement of the cache: reset, its bindings cleared, when done with. */
typedef sqlite3_stmt StoreStatement;

static inline void
statement_done (StoreStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreStatement, statement_done)

/* The connection's last error as a GError (G_IO_ERROR_BUSY for a lock held too long);
 * FALSE. */
gboolean
_mamori_board_store_sqlite_fail (MamoriBoardStoreSqlite *self, GError **error);
gboolean
_mamori_board_store_sqlite_exec (MamoriBoardStoreSqlite *self, const char *sql, GError **error);
/* A statement of the cache (do not finalize it: g_autoptr (StoreStatement) resets it). */
StoreStatement *
_mamori_board_store_sqlite_prepare (MamoriBoardStoreSqlite *self, const char *sql, GError **error);
gboolean
_mamori_board_store_sqlite_step_done (MamoriBoardStoreSqlite *self,
                                      sqlite3_stmt *stmt,
                                      GError **error);
/* Steps a statement that gives one integer (0 when it gives no row). */
gboolean
_mamori_board_store_sqlite_step_int (MamoriBoardStoreSqlite *self,
                                     sqlite3_stmt *stmt,
                                     gint64 *out,
                                     GError **error);
/* The rows of @stmt (seq, school, payload, sig) as MamoriStoredEvents. */
GPtrArray *
_mamori_board_store_sqlite_collect_events (MamoriBoardStoreSqlite *self,
                                           sqlite3_stmt *stmt,
                                           GError **error);

/* mamori-board-store-sqlite-held.c: the interface's methods for held events. */
void
_mamori_board_store_sqlite_held_iface_init (MamoriBoardStoreInterface *iface);

G_END_DECLS
