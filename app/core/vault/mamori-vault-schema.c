/* mamori-vault-schema.c — the vault's tables and their migrations
 *
 * Each migration takes the database from PRAGMA user_version N to N + 1 in one
 * transaction, so a crash leaves either version, never a mix.  A database whose
 * user_version is above what this build knows was written by a newer Mamori: it is
 * refused rather than half understood.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-policy-record.h"
#include "mamori-vault-private.h"

/* Version 1, as the first vaults were made. */
static const char schema_v1[] = "CREATE TABLE meta ("
                                "  key TEXT PRIMARY KEY,"
                                "  value TEXT NOT NULL"
                                ") STRICT;"
                                "CREATE TABLE users ("
                                "  name TEXT PRIMARY KEY,"
                                "  role TEXT NOT NULL,"
                                "  public_key BLOB NOT NULL,"
                                "  added_at TEXT NOT NULL,"
                                "  removed_at TEXT"
                                ") STRICT;"
                                "CREATE TABLE user_keys ("
                                "  public_key BLOB PRIMARY KEY,"
                                "  name TEXT NOT NULL,"
                                "  created_at TEXT NOT NULL"
                                ") STRICT;"
                                "CREATE TABLE policy ("
                                "  id INTEGER PRIMARY KEY,"
                                "  json TEXT NOT NULL,"
                                "  installed_at TEXT NOT NULL"
                                ") STRICT;"
                                "CREATE TABLE events ("
                                "  seq INTEGER PRIMARY KEY,"
                                "  id BLOB NOT NULL UNIQUE,"
                                "  type TEXT NOT NULL,"
                                "  school TEXT NOT NULL,"
                                "  author TEXT NOT NULL,"
                                "  author_seq INTEGER NOT NULL,"
                                "  prev BLOB,"
                                "  created_at TEXT NOT NULL,"
                                "  body TEXT NOT NULL,"
                                "  payload BLOB NOT NULL,"
                                "  sig BLOB NOT NULL,"
                                "  server_seq INTEGER UNIQUE,"
                                "  UNIQUE (author, author_seq)"
                                ") STRICT;";

/* Version 2: the signed event log and the staff roster (docs/records.md).  Version 1
 * kept the users in a table of their own and had no events yet: its users become
 * `legacy_users`, from which the first administrator to unlock builds the roster
 * (mamori-vault-roster.c); `events` is made again for the new layout.  `staff`,
 * `signing_keys` and `recovery` are the roster's fold (mamori-roster.c). */
static const char schema_v2[] = "ALTER TABLE users RENAME TO legacy_users;"
                                "DROP TABLE user_keys;"
                                "DROP TABLE events;"
                                "CREATE TABLE events ("
                                "  seq INTEGER PRIMARY KEY,"
                                "  id BLOB NOT NULL UNIQUE,"
                                "  type TEXT NOT NULL,"
                                "  author BLOB NOT NULL,"
                                "  author_seq INTEGER NOT NULL,"
                                "  prev BLOB,"
                                "  created_at TEXT NOT NULL,"
                                "  payload BLOB NOT NULL,"
                                "  sig BLOB NOT NULL,"
                                "  server_seq INTEGER UNIQUE,"
                                "  UNIQUE (author, author_seq)"
                                ") STRICT;"
                                "CREATE INDEX events_type ON events (type, seq);"
                                "CREATE TABLE staff ("
                                "  id TEXT PRIMARY KEY,"
                                "  name TEXT NOT NULL,"
                                "  role TEXT NOT NULL,"
                                "  slot_key BLOB NOT NULL,"
                                "  signing_key BLOB NOT NULL,"
                                "  added_seq INTEGER NOT NULL,"
                                "  removed_seq INTEGER"
                                ") STRICT;"
                                "CREATE UNIQUE INDEX staff_name ON staff (name) "
                                "  WHERE removed_seq IS NULL;"
                                "CREATE INDEX staff_signing_key ON staff (signing_key);"
                                "CREATE TABLE signing_keys ("
                                "  key BLOB PRIMARY KEY,"
                                "  holder TEXT NOT NULL,"
                                "  retired_seq INTEGER"
                                ") STRICT;"
                                "CREATE TABLE recovery ("
                                "  id INTEGER PRIMARY KEY CHECK (id = 1),"
                                "  slot_key BLOB NOT NULL,"
                                "  signing_key BLOB NOT NULL"
                                ") STRICT;";

/* Version 3: the asset register's fold (register/mamori-register-fold.c): every entry
 * ever added, one present entry per key, and which events touched which entry. */
static const char schema_v3[] = "CREATE TABLE register_entries ("
                                "  id TEXT PRIMARY KEY,"
                                "  key TEXT NOT NULL,"
                                "  name TEXT NOT NULL,"
                                "  qualifier TEXT,"
                                "  category TEXT NOT NULL,"
                                "  level TEXT NOT NULL,"
                                "  medium TEXT,"
                                "  location TEXT,"
                                "  custodian TEXT,"
                                "  takeout TEXT,"
                                "  retention TEXT,"
                                "  notes TEXT,"
                                "  axes TEXT,"
                                "  reason TEXT,"
                                "  lowered INTEGER NOT NULL,"
                                "  created_seq INTEGER NOT NULL,"
                                "  created_by TEXT NOT NULL,"
                                "  created_at TEXT NOT NULL,"
                                "  updated_seq INTEGER NOT NULL,"
                                "  updated_by TEXT NOT NULL,"
                                "  updated_at TEXT NOT NULL,"
                                "  removed_seq INTEGER"
                                ") STRICT;"
                                "CREATE UNIQUE INDEX register_entries_key ON register_entries (key)"
                                "  WHERE removed_seq IS NULL;"
                                "CREATE INDEX register_entries_order ON register_entries "
                                "  (created_seq);"
                                "CREATE TABLE register_history ("
                                "  entry TEXT NOT NULL,"
                                "  seq INTEGER NOT NULL,"
                                "  PRIMARY KEY (entry, seq)"
                                ") STRICT, WITHOUT ROWID;";

/* migrations[N] takes user_version N to N + 1. */
/* Version 4: the policy in force is a record (policy-installed, records/
 * mamori-policy-record.h); `seq` is the event that put a row there, NULL for the rows
 * stored before. */
static const char schema_v4[] = "ALTER TABLE policy ADD COLUMN seq INTEGER;";

/* Version 5: the school's records travel through its board (docs/records.md, "Joining a
 * board").  An author's chain is their events in one school, so `events` keeps each
 * event's school (the board signs in many) and why an event had no effect; a person may
 * hold several keys, one per vault, so the keys move from `staff` to `signing_keys`
 * with their slot key; `board` pins the board the school joined.  The roster's tables
 * change shape: the vault folds its log again when it next opens (meta `refold`). */
static const char schema_v5[]
    = "CREATE TABLE events_v5 ("
      "  seq INTEGER PRIMARY KEY,"
      "  id BLOB NOT NULL UNIQUE,"
      "  type TEXT NOT NULL,"
      "  school TEXT NOT NULL,"
      "  author BLOB NOT NULL,"
      "  author_seq INTEGER NOT NULL,"
      "  prev BLOB,"
      "  created_at TEXT NOT NULL,"
      "  payload BLOB NOT NULL,"
      "  sig BLOB NOT NULL,"
      "  server_seq INTEGER UNIQUE,"
      "  effect TEXT,"
      "  UNIQUE (school, author, author_seq)"
      ") STRICT;"
      "INSERT INTO events_v5 (seq, id, type, school, author, author_seq, prev, created_at, "
      "  payload, sig, server_seq) "
      "  SELECT seq, id, type, (SELECT value FROM meta WHERE key = 'school_id'), author, "
      "  author_seq, prev, created_at, payload, sig, server_seq FROM events;"
      "DROP TABLE events;"
      "ALTER TABLE events_v5 RENAME TO events;"
      "CREATE INDEX events_type ON events (type, seq);"
      "CREATE INDEX events_unsent ON events (seq) WHERE server_seq IS NULL;"
      "DROP TABLE staff;"
      "DROP TABLE signing_keys;"
      "CREATE TABLE staff ("
      "  id TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  role TEXT NOT NULL,"
      "  added_seq INTEGER NOT NULL,"
      "  removed_seq INTEGER"
      ") STRICT;"
      "CREATE UNIQUE INDEX staff_name ON staff (name) WHERE removed_seq IS NULL;"
      "CREATE TABLE signing_keys ("
      "  key BLOB PRIMARY KEY,"
      "  holder TEXT NOT NULL,"
      "  slot_key BLOB UNIQUE,"
      "  label TEXT,"
      "  added_seq INTEGER NOT NULL,"
      "  retired_seq INTEGER"
      ") STRICT;"
      "CREATE INDEX signing_keys_holder ON signing_keys (holder, added_seq);"
      "DELETE FROM recovery;"
      "CREATE TABLE board ("
      "  id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  board_id TEXT NOT NULL,"
      "  signing_key BLOB NOT NULL,"
      "  name TEXT NOT NULL,"
      "  joined_seq INTEGER"
      ") STRICT;"
      "CREATE TABLE board_link ("
      "  id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  url TEXT NOT NULL,"
      "  certificate BLOB,"
      "  epoch TEXT,"
      "  cursor INTEGER NOT NULL DEFAULT 0"
      ") STRICT;"
      "INSERT INTO meta (key, value) SELECT 'refold', '1' WHERE EXISTS (SELECT 1 FROM events);";

/* Version 6: take-out (持ち出し, docs/records.md "Take-out"): the fold of the take-out
 * events keeps each request as it stands, which events touched it, and the blanket
 * grants.  No earlier vault holds take-out events, so nothing needs folding again. */
static const char schema_v6[] = "CREATE TABLE takeout_requests ("
                                "  id TEXT PRIMARY KEY,"
                                "  requester TEXT NOT NULL,"
                                "  items TEXT NOT NULL,"
                                "  level TEXT NOT NULL,"
                                "  rule TEXT NOT NULL,"
                                "  medium TEXT NOT NULL,"
                                "  destination TEXT NOT NULL,"
                                "  purpose TEXT NOT NULL,"
                                "  date_from TEXT NOT NULL,"
                                "  date_until TEXT NOT NULL,"
                                "  state TEXT NOT NULL,"
                                "  reason TEXT,"
                                "  version TEXT NOT NULL,"
                                "  approved_by TEXT,"
                                "  rejected_by TEXT,"
                                "  grant_id TEXT,"
                                "  noted_by TEXT,"
                                "  confirmed_by TEXT,"
                                "  created_seq INTEGER NOT NULL,"
                                "  created_at TEXT NOT NULL,"
                                "  updated_seq INTEGER NOT NULL"
                                ") STRICT;"
                                "CREATE INDEX takeout_requests_state ON takeout_requests "
                                "  (state, date_until);"
                                "CREATE INDEX takeout_requests_requester ON takeout_requests "
                                "  (requester, created_seq);"
                                "CREATE TABLE takeout_history ("
                                "  request TEXT NOT NULL,"
                                "  seq INTEGER NOT NULL,"
                                "  PRIMARY KEY (request, seq)"
                                ") STRICT;"
                                "CREATE TABLE takeout_grants ("
                                "  id TEXT PRIMARY KEY,"
                                "  grantee TEXT NOT NULL,"
                                "  max_level TEXT NOT NULL,"
                                "  date_until TEXT NOT NULL,"
                                "  granted_by TEXT NOT NULL,"
                                "  granted_seq INTEGER NOT NULL,"
                                "  granted_at TEXT NOT NULL,"
                                "  revoked_by TEXT,"
                                "  revoked_seq INTEGER"
                                ") STRICT;";

/* Version 7: an approval in steps (a review, then the approval: the policy's
 * approval_steps): who signed each step of a request's latest version, and how many it
 * takes.  A request folded before had one step, which is what the defaults say. */
static const char schema_v7[]
    = "ALTER TABLE takeout_requests ADD COLUMN steps TEXT NOT NULL DEFAULT '[]';"
      "ALTER TABLE takeout_requests ADD COLUMN steps_needed INTEGER NOT NULL DEFAULT 1;";

static const char *const migrations[] = {
  schema_v1, schema_v2, schema_v3, schema_v4, schema_v5, schema_v6, schema_v7,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MAMORI_VAULT_SCHEMA_VERSION);

gboolean
_mamori_vault_sqlite_error (MamoriVfs *vfs, sqlite3 *db, int rc, GError **error)
{
  GError *vfs_error = NULL;

  /* The VFS knows whether a page failed its tag, and which one. */
  mamori_vfs_set_sqlite_error (vfs, db, rc, &vfs_error);
  return _mamori_vault_propagate_vfs_error (error, vfs_error);
}

gboolean
_mamori_vault_exec (MamoriVfs *vfs, sqlite3 *db, const char *sql, GError **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || _mamori_vault_sqlite_error (vfs, db, rc, error);
}

sqlite3_stmt *
_mamori_vault_prepare (MamoriVfs *vfs, sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _mamori_vault_sqlite_error (vfs, db, rc, error);
      return NULL;
    }
  return stmt;
}

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
read_user_version (MamoriVfs *vfs, sqlite3 *db, int *out_version, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = _mamori_vault_prepare (vfs, db, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _mamori_vault_sqlite_error (vfs, db, rc, error);
  *out_version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
refuse_newer (int version, GError **error)
{
  if (version <= MAMORI_VAULT_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_TOO_NEW,
               _ ("This vault was made by a newer version of Mamori (schema %d; this version "
                  "knows up to %d): update Mamori to open it"),
               version, MAMORI_VAULT_SCHEMA_VERSION);
  return FALSE;
}

gboolean
_mamori_vault_schema_migrate (MamoriVfs *vfs, sqlite3 *db, GError **error)
{
  int version = 0;

  if (!read_user_version (vfs, db, &version, error) || !refuse_newer (version, error))
    return FALSE;

  while (version < MAMORI_VAULT_SCHEMA_VERSION)
    {
      g_autofree char *set_version = NULL;

      if (!_mamori_vault_exec (vfs, db, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* Another process may have migrated while this one waited for the lock. */
      if (!read_user_version (vfs, db, &version, error) || !refuse_newer (version, error))
        goto rollback;
      if (version == MAMORI_VAULT_SCHEMA_VERSION)
        return _mamori_vault_exec (vfs, db, "COMMIT", error);

      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!_mamori_vault_exec (vfs, db, migrations[version], error)
          || !_mamori_vault_exec (vfs, db, set_version, error)
          || !_mamori_vault_exec (vfs, db, "COMMIT", error))
        goto rollback;
      version++;
    }
  return TRUE;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
mamori_db_migrate (MamoriDb *db, GError **error)
{
  return _mamori_vault_schema_migrate (db->vfs, db->handle, error);
}

static gboolean
put_meta (MamoriVfs *vfs, sqlite3 *db, const char *key, const char *value, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = _mamori_vault_prepare (
      vfs, db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE || _mamori_vault_sqlite_error (vfs, db, rc, error);
}

gboolean
_mamori_vault_schema_populate (MamoriVfs *vfs, sqlite3 *db, const char *school, GError **error)
{
  g_autofree char *now = now_iso8601 ();

  return put_meta (vfs, db, "school", school, error) && put_meta (vfs, db, "created_at", now, error)
         && put_meta (vfs, db, "created_by_version", PACKAGE_VERSION, error)
         && _mamori_vault_exec (vfs, db, "DROP TABLE IF EXISTS legacy_users", error);
}

/* --- the policy the school uses ---------------------------------------------------- */

MamoriPolicy *
mamori_vault_load_policy (MamoriVault *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *origin = NULL;
  int rc;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  if (!_mamori_vault_require_unlocked (self, error))
    return NULL;
  stmt = _mamori_vault_prepare (self->db.vfs, self->db.handle,
                                "SELECT json FROM policy ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *enrolled = mamori_vault_get_meta (self, "enrolled");

      /* A vault made by enrolling has the board's policy once the board publishes one;
       * until then, the default preset, as a new school's vault starts with. */
      if (enrolled != NULL)
        return mamori_policy_new_from_preset (mamori_policy_default_preset (), error);
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("The vault %s holds no policy"), self->path);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _mamori_vault_sqlite_error (self->db.vfs, self->db.handle, rc, error);
      return NULL;
    }
  origin = g_strdup_printf (_ ("the policy stored in %s"), self->path);
  return mamori_policy_new_from_data ((const char *)sqlite3_column_text (stmt, 0),
                                      sqlite3_column_bytes (stmt, 0), origin, error);
}

gboolean
mamori_vault_get_policy_serial (MamoriVault *self, gint64 *out_serial, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (out_serial != NULL, FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  stmt = _mamori_vault_prepare (self->db.vfs, self->db.handle,
                                "SELECT coalesce(max(id), 0) FROM policy", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _mamori_vault_sqlite_error (self->db.vfs, self->db.handle, rc, error);
      return FALSE;
    }
  *out_serial = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
mamori_vault_store_policy (MamoriVault *self, MamoriPolicy *policy, GError **error)
{
  g_autoptr (MamoriEvent) event = NULL;
  JsonNode *body;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  /* Separation of duties lives in the data layer, not the window (the fold checks it
   * again): said here first, with the words a user understands. */
  if (!mamori_vault_unlocked_by_administrator (self))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal, the vice-principal or the board of education "
                              "can change the school’s policy"));
      return FALSE;
    }
  body = mamori_policy_installed_body (policy, NULL, error);
  if (body != NULL)
    event = mamori_vault_append_event (self, MAMORI_EVENT_POLICY_INSTALLED, body, error);
  return event != NULL;
}
