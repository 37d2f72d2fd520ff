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
