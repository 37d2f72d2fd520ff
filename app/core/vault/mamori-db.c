/* mamori-db.c — the vault's open database, for the parts of core that keep records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include "mamori-db.h"
#include "mamori-vault-private.h"

gboolean
mamori_db_fail (MamoriDb *db, int rc, GError **error)
{
  return _mamori_vault_sqlite_error (db->vfs, db->handle, rc, error);
}

gboolean
mamori_db_exec (MamoriDb *db, const char *sql, GError **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || mamori_db_fail (db, rc, error);
}

sqlite3_stmt *
mamori_db_prepare (MamoriDb *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return stmt;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

MamoriDbStatement *
mamori_db_statement (MamoriDb *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (db->statements == NULL)
    db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    return stmt;
  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

void
mamori_db_statement_release (MamoriDbStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

void
mamori_db_forget_statements (MamoriDb *db)
{
  g_clear_pointer (&db->statements, g_hash_table_unref);
}

gboolean
mamori_db_step_done (MamoriDb *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  return rc == SQLITE_DONE || mamori_db_fail (db, rc, error);
}

gboolean
mamori_db_step_row (MamoriDb *db, sqlite3_stmt *stmt, gboolean *out_found, GError **error)
{
  int rc = sqlite3_step (stmt);

  *out_found = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE || mamori_db_fail (db, rc, error);
}

gboolean
mamori_db_in_transaction (MamoriDb *db)
{
  return !sqlite3_get_autocommit (db->handle);
}
