/* mamori-db.h — the vault's open database, as the parts of core that keep records in
 * it see it: the SQLite connection and the VFS that can say which page failed
 *
 * Every failed call becomes a MAMORI_VAULT_ERROR: _DAMAGED naming the page when a page
 * failed authentication, _BUSY when another program held the database past the busy
 * timeout, _IO otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "mamori-vfs.h"

G_BEGIN_DECLS

typedef struct
{
  sqlite3 *handle;
  MamoriVfs *vfs;
} MamoriDb;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Sets @error for the failed SQLite call @rc; returns FALSE. */
gboolean
mamori_db_fail (MamoriDb *db, int rc, GError **error);
/* Runs @sql (statements without results). */
gboolean
mamori_db_exec (MamoriDb *db, const char *sql, GError **error);
sqlite3_stmt *
mamori_db_prepare (MamoriDb *db, const char *sql, GError **error);
/* Steps a statement that returns no row. */
gboolean
mamori_db_step_done (MamoriDb *db, sqlite3_stmt *stmt, GError **error);
/* Steps a statement that returns at most one row: TRUE with *@out_found. */
gboolean
mamori_db_step_row (MamoriDb *db, sqlite3_stmt *stmt, gboolean *out_found, GError **error);
/* Whether a transaction is open on the connection. */
gboolean
mamori_db_in_transaction (MamoriDb *db);

G_END_DECLS
