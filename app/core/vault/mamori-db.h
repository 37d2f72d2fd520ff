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
  GHashTable *statements; /* SQL text → sqlite3_stmt, see mamori_db_statement() */
} MamoriDb;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A statement of the cache: reset, not finalized, when it goes out of scope. */
typedef sqlite3_stmt MamoriDbStatement;
void
mamori_db_statement_release (MamoriDbStatement *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriDbStatement, mamori_db_statement_release)

/* Sets @error for the failed SQLite call @rc; returns FALSE. */
gboolean
mamori_db_fail (MamoriDb *db, int rc, GError **error);
/* Runs @sql (statements without results). */
gboolean
mamori_db_exec (MamoriDb *db, const char *sql, GError **error);
sqlite3_stmt *
mamori_db_prepare (MamoriDb *db, const char *sql, GError **error);
/* The statement for @sql, prepared once per connection and kept: for the statements the
 * records run for every event (preparing costs as much as running them).  Hold it in a
 * g_autoptr (MamoriDbStatement), which resets it and clears its bindings. */
MamoriDbStatement *
mamori_db_statement (MamoriDb *db, const char *sql, GError **error);
/* Finalizes the kept statements: before the connection is closed. */
void
mamori_db_forget_statements (MamoriDb *db);
/* Steps a statement that returns no row. */
gboolean
mamori_db_step_done (MamoriDb *db, sqlite3_stmt *stmt, GError **error);
/* Steps a statement that returns at most one row: TRUE with *@out_found. */
gboolean
mamori_db_step_row (MamoriDb *db, sqlite3_stmt *stmt, gboolean *out_found, GError **error);
/* Brings the tables of @db — the event log and every fold's — up to the schema this
 * Mamori knows (MAMORI_VAULT_ERROR_TOO_NEW for a newer one), each step in its own
 * transaction.  The vault's database, and mamori-board's plain copy of each school's
 * records (@db->vfs NULL), use the same schema. */
gboolean
mamori_db_migrate (MamoriDb *db, GError **error);

/* Whether a transaction is open on the connection. */
gboolean
mamori_db_in_transaction (MamoriDb *db);

G_END_DECLS
