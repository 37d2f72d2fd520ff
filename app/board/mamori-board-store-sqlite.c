/* mamori-board-store-sqlite.c — the board's embedded store
 *
 * One SQLite file in WAL mode, so that pulls read while a push writes, and admin
 * commands run beside `serve`.  `seq` is the rowid of `events`: SQLite has one writer at
 * a time, so a number is visible to readers only once every smaller one is.  The events
 * held for their signatures are in mamori-board-store-sqlite-held.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mamori-board-store-sqlite-private.h"

#define STORE_VERSION 2
#define BUSY_TIMEOUT_MS 10000

static void
mamori_board_store_sqlite_iface_init (MamoriBoardStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MamoriBoardStoreSqlite,
                               mamori_board_store_sqlite,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MAMORI_TYPE_BOARD_STORE,
                                                      mamori_board_store_sqlite_iface_init))

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Version 2: events whose own signature is still to be checked (bad = 1: checked, and
 * found bad). */
#define HELD_SCHEMA                                                                                \
  "CREATE TABLE held ("                                                                            \
  "  seq INTEGER PRIMARY KEY,"                                                                     \
  "  school TEXT NOT NULL,"                                                                        \
  "  bad INTEGER NOT NULL DEFAULT 0"                                                               \
  ") STRICT;"                                                                                      \
  "CREATE INDEX held_school ON held (school, seq);"

static const char schema[]
    = "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
      "CREATE TABLE schools ("
      "  id TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  added INTEGER NOT NULL,"
      "  joined INTEGER NOT NULL"
      ") STRICT;"
      "CREATE TABLE events ("
      "  seq INTEGER PRIMARY KEY,"
      "  id BLOB NOT NULL UNIQUE,"
      "  school TEXT NOT NULL,"
      "  payload BLOB NOT NULL,"
      "  sig BLOB NOT NULL"
      ") STRICT;"
      "CREATE INDEX events_school ON events (school, seq);"
      "CREATE TABLE codes ("
      "  hash BLOB PRIMARY KEY,"
      "  school TEXT NOT NULL,"
      "  staff TEXT NOT NULL,"
      "  expires_at INTEGER NOT NULL,"
      "  used_at INTEGER"
      ") STRICT;"
      "CREATE TABLE keys ("
      "  key BLOB PRIMARY KEY,"
      "  school TEXT NOT NULL"
      ") STRICT;" HELD_SCHEMA;

gboolean
_mamori_board_store_sqlite_fail (MamoriBoardStoreSqlite *self, GError **error)
{
  int primary = sqlite3_extended_errcode (self->db) & 0xff;
  GIOErrorEnum code = G_IO_ERROR_FAILED;

  if (primary == SQLITE_BUSY)
    code = G_IO_ERROR_BUSY;
  /* A damaged file: the commands exit 4, as for a damaged vault. */
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    code = G_IO_ERROR_INVALID_DATA;
  g_set_error (error, G_IO_ERROR, code, _ ("The board’s store failed: %s"),
               sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
_mamori_board_store_sqlite_exec (MamoriBoardStoreSqlite *self, const char *sql, GError **error)
{
  return sqlite3_exec (self->db, sql, NULL, NULL, NULL) == SQLITE_OK
         || _mamori_board_store_sqlite_fail (self, error);
}

/* Prepared once and kept: a server's requests ask the same few questions thousands of
 * times a second, and parsing them again cost about as much as answering. */
StoreStatement *
_mamori_board_store_sqlite_prepare (MamoriBoardStoreSqlite *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _mamori_board_store_sqlite_fail (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_mamori_board_store_sqlite_step_done (MamoriBoardStoreSqlite *self,
                                      sqlite3_stmt *stmt,
                                      GError **error)
{
  return sqlite3_step (stmt) == SQLITE_DONE || _mamori_board_store_sqlite_fail (self, error);
}

gboolean
_mamori_board_store_sqlite_step_int (MamoriBoardStoreSqlite *self,
                                     sqlite3_stmt *stmt,
                                     gint64 *out,
                                     GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    return _mamori_board_store_sqlite_fail (self, error);
  return TRUE;
}

static void
mamori_board_store_sqlite_finalize (GObject *object)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (object);

  /* Finalized before the connection closes, which it does not with statements open. */
  g_hash_table_unref (self->statements);
  sqlite3_close (self->db);
  g_free (self->path);
  G_OBJECT_CLASS (mamori_board_store_sqlite_parent_class)->finalize (object);
}

static void
mamori_board_store_sqlite_class_init (MamoriBoardStoreSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_board_store_sqlite_finalize;
}

static void
mamori_board_store_sqlite_init (MamoriBoardStoreSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
}

MamoriBoardStore *
mamori_board_store_sqlite_open (const char *path, gboolean create, GError **error)
{
  g_autoptr (MamoriBoardStoreSqlite) self = g_object_new (MAMORI_TYPE_BOARD_STORE_SQLITE, NULL);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  gint64 version = 0;

  if (create && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _ ("“%s” exists already"), path);
      return NULL;
    }
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      if (self->db == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot open “%s”"), path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("Cannot open “%s”: %s"), path,
                     sqlite3_errmsg (self->db));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!_mamori_board_store_sqlite_exec (
          self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", error))
    return NULL;
  if (create)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version=%d; COMMIT",
                                              schema, STORE_VERSION);

      if (!_mamori_board_store_sqlite_exec (self, sql, error))
        return NULL;
    }
  else
    {
      g_autoptr (StoreStatement) stmt
          = _mamori_board_store_sqlite_prepare (self, "PRAGMA user_version", error);

      if (stmt == NULL || !_mamori_board_store_sqlite_step_int (self, stmt, &version, error))
        return NULL;
      if (version == 1)
        {
          g_autofree char *sql = g_strdup_printf (
              "BEGIN IMMEDIATE; %s PRAGMA user_version=%d; COMMIT", HELD_SCHEMA, STORE_VERSION);

          if (!_mamori_board_store_sqlite_exec (self, sql, error))
            return NULL;
          version = STORE_VERSION;
        }
      if (version != STORE_VERSION)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       version > STORE_VERSION ? _ ("“%s” was written by a newer mamori-board")
                                               : _ ("“%s” is not a mamori-board store"),
                       path);
          return NULL;
        }
    }
  return MAMORI_BOARD_STORE (g_steal_pointer (&self));
}

static char *
get_setting (MamoriBoardStore *store, const char *key, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "SELECT value FROM settings WHERE key = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _mamori_board_store_sqlite_fail (self, error);
  return NULL;
}

static gboolean
set_setting (MamoriBoardStore *store, const char *key, const char *value, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static gboolean
begin (MamoriBoardStore *store, GError **error)
{
  return _mamori_board_store_sqlite_exec (MAMORI_BOARD_STORE_SQLITE (store), "BEGIN IMMEDIATE",
                                          error);
}

static gboolean
commit (MamoriBoardStore *store, GError **error)
{
  return _mamori_board_store_sqlite_exec (MAMORI_BOARD_STORE_SQLITE (store), "COMMIT", error);
}

static void
rollback (MamoriBoardStore *store)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
add_school (
    MamoriBoardStore *store, const char *id, const char *name, gboolean joined, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT INTO schools (id, name, added, joined) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int (stmt, 4, joined);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static gboolean
set_joined (MamoriBoardStore *store, const char *id, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "UPDATE schools SET joined = 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static GPtrArray *
list_schools (MamoriBoardStore *store, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "SELECT id, name, joined FROM schools ORDER BY rowid", error);
  g_autoptr (GPtrArray) schools
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_stored_school_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MamoriStoredSchool *school = g_new0 (MamoriStoredSchool, 1);

      school->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      school->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      school->joined = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (schools, school);
    }
  if (rc != SQLITE_DONE)
    {
      _mamori_board_store_sqlite_fail (self, error);
      return NULL;
    }
  return g_steal_pointer (&schools);
}

static MamoriStoredSchool *
find_school (MamoriBoardStore *store, const char *id, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "SELECT name, joined FROM schools WHERE id = ?", error);
  MamoriStoredSchool *school;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        _mamori_board_store_sqlite_fail (self, error);
      return NULL;
    }
  school = g_new0 (MamoriStoredSchool, 1);
  school->id = g_strdup (id);
  school->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  school->joined = sqlite3_column_int (stmt, 1);
  return school;
}

static gboolean
put_event (MamoriBoardStore *store,
           const char *school,
           const guint8 *id,
           GBytes *payload,
           const guint8 *sig,
           gint64 *out_seq,
           GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT INTO events (id, school, payload, sig) VALUES (?, ?, ?, ?) RETURNING seq",
      error);
  gsize length;
  const void *data = g_bytes_get_data (payload, &length);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id, 32, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, school, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, data, (int)length, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, sig, 64, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _mamori_board_store_sqlite_fail (self, error);
  *out_seq = sqlite3_column_int64 (stmt, 0);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static gboolean
find_event (MamoriBoardStore *store, const guint8 *id, gint64 *out_seq, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt
      = _mamori_board_store_sqlite_prepare (self, "SELECT seq FROM events WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id, 32, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_int (self, stmt, out_seq, error);
}

GPtrArray *
_mamori_board_store_sqlite_collect_events (MamoriBoardStoreSqlite *self,
                                           sqlite3_stmt *stmt,
                                           GError **error)
{
  g_autoptr (GPtrArray) events
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_stored_event_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MamoriStoredEvent *event = g_new0 (MamoriStoredEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->school = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      event->payload = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
      event->sig = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      _mamori_board_store_sqlite_fail (self, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

static GPtrArray *
read_events (MamoriBoardStore *store, const char *school, gint64 since, guint limit, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = NULL;

  stmt = _mamori_board_store_sqlite_prepare (
      self,
      school == NULL ? "SELECT seq, school, payload, sig FROM events WHERE seq > ?1 "
                       "AND seq < coalesce((SELECT min(seq) FROM held), 9223372036854775807) "
                       "ORDER BY seq LIMIT ?2"
                     : "SELECT seq, school, payload, sig FROM events WHERE seq > ?1 "
                       "AND school = ?3 AND seq < coalesce((SELECT min(seq) FROM held "
                       "WHERE school = ?3), 9223372036854775807) ORDER BY seq LIMIT ?2",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64)limit);
  if (school != NULL)
    sqlite3_bind_text (stmt, 3, school, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_collect_events (self, stmt, error);
}

static gboolean
last_seq (MamoriBoardStore *store, const char *school, gint64 *out_seq, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  /* The school's: one step down the index events_school. */
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self,
      school == NULL ? "SELECT coalesce(max(seq), 0) FROM events"
                     : "SELECT coalesce(max(seq), 0) FROM events WHERE school = ?",
      error);

  if (stmt == NULL)
    return FALSE;
  if (school != NULL)
    sqlite3_bind_text (stmt, 1, school, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_int (self, stmt, out_seq, error);
}

static gboolean
put_code (MamoriBoardStore *store,
          const guint8 *hash,
          const char *school,
          const char *staff,
          gint64 expires_at,
          GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT INTO codes (hash, school, staff, expires_at) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, school, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, staff, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static gboolean
find_code (MamoriBoardStore *store,
           const guint8 *hash,
           gint64 now,
           MamoriCodeState *out_state,
           char **out_school,
           char **out_staff,
           GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "SELECT school, staff, expires_at, used_at IS NOT NULL FROM codes WHERE hash = ?",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_state = MAMORI_CODE_UNKNOWN;
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _mamori_board_store_sqlite_fail (self, error);
  if (sqlite3_column_int (stmt, 3))
    *out_state = MAMORI_CODE_USED;
  else if (sqlite3_column_int64 (stmt, 2) <= now)
    *out_state = MAMORI_CODE_EXPIRED;
  else
    *out_state = MAMORI_CODE_VALID;
  *out_school = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  *out_staff = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return TRUE;
}

static gboolean
use_code (MamoriBoardStore *store, const guint8 *hash, gint64 now, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "UPDATE codes SET used_at = ? WHERE hash = ? AND used_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_blob (stmt, 2, hash, 32, SQLITE_STATIC);
  if (!_mamori_board_store_sqlite_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _ ("The code was used already"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
note_key (MamoriBoardStore *store, const guint8 *key, const char *school, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT OR IGNORE INTO keys (key, school) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, key, 32, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, school, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static char *
find_key (MamoriBoardStore *store, const guint8 *key, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt
      = _mamori_board_store_sqlite_prepare (self, "SELECT school FROM keys WHERE key = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, key, 32, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _mamori_board_store_sqlite_fail (self, error);
  return NULL;
}

static gboolean
stats (MamoriBoardStore *store, MamoriStoreStats *out, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  static const char *const queries[] = {
    "SELECT count(*) FROM schools",
    "SELECT count(*) FROM events",
    "SELECT count(*) FROM keys",
    "SELECT count(*) FROM codes WHERE used_at IS NULL AND expires_at > ?",
    "SELECT count(*) FROM codes WHERE used_at IS NOT NULL",
  };
  gint64 *fields[]
      = { &out->schools, &out->events, &out->keys, &out->codes_open, &out->codes_used };

  for (gsize i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (StoreStatement) stmt
          = _mamori_board_store_sqlite_prepare (self, queries[i], error);

      if (stmt == NULL)
        return FALSE;
      if (sqlite3_bind_parameter_count (stmt) > 0)
        sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
      if (!_mamori_board_store_sqlite_step_int (self, stmt, fields[i], error))
        return FALSE;
    }
  return TRUE;
}

/* With synchronous=NORMAL in WAL mode a commit writes its pages to the WAL file without
 * an fsync (SQLite syncs the WAL before a checkpoint copies it into the database, and
 * the database after): making the WAL file's data durable makes every commit so far
 * durable, which is what synchronous=FULL does at each commit. */
static gboolean
defer_sync (MamoriBoardStore *store, GError **error)
{
  return _mamori_board_store_sqlite_exec (MAMORI_BOARD_STORE_SQLITE (store),
                                          "PRAGMA synchronous=NORMAL", error);
}

/* Touches only the path, set once: safe beside the connection's thread. */
static gboolean
sync_wal (MamoriBoardStore *store, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  int fd = g_open (wal, O_RDONLY | O_CLOEXEC, 0);
  int saved;

  /* No WAL file: the last connection checkpointed it into the database, synced. */
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd >= 0 && fdatasync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write “%s”: %s"), wal,
               g_strerror (saved));
  return FALSE;
}

static gboolean
backup (MamoriBoardStore *store, const char *path, const char *new_epoch, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (MamoriBoardStoreSqlite) copy = NULL;
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  sqlite3 *target = NULL;
  sqlite3_backup *job;
  int rc;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _ ("“%s” exists already"), path);
      return FALSE;
    }
  g_unlink (partial);
  if (sqlite3_open (partial, &target) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write “%s”"), path);
      sqlite3_close (target);
      return FALSE;
    }
  /* The online backup API copies a consistent snapshot, page by page; with the whole
   * file in one step it never restarts when `serve` writes meanwhile. */
  job = sqlite3_backup_init (target, "main", self->db, "main");
  if (job == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write “%s”: %s"), path,
                   sqlite3_errmsg (target));
      sqlite3_close (target);
      return FALSE;
    }
  do
    rc = sqlite3_backup_step (job, -1);
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (job);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write “%s”: %s"), path,
                   sqlite3_errstr (rc));
      sqlite3_close (target);
      g_unlink (partial);
      return FALSE;
    }
  sqlite3_close (target);

  copy = MAMORI_BOARD_STORE_SQLITE (mamori_board_store_sqlite_open (partial, FALSE, error));
  if (copy == NULL || !set_setting (MAMORI_BOARD_STORE (copy), "epoch", new_epoch, error)
      || !_mamori_board_store_sqlite_exec (
          copy, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE", error))
    {
      g_unlink (partial);
      return FALSE;
    }
  g_clear_object (&copy);
  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write “%s”: %s"),
                   path, g_strerror (saved));
      g_unlink (partial);
      return FALSE;
    }
  return TRUE;
}

static void
mamori_board_store_sqlite_iface_init (MamoriBoardStoreInterface *iface)
{
  iface->get_setting = get_setting;
  iface->set_setting = set_setting;
  iface->begin = begin;
  iface->commit = commit;
  iface->rollback = rollback;
  iface->add_school = add_school;
  iface->set_joined = set_joined;
  iface->list_schools = list_schools;
  iface->find_school = find_school;
  iface->put_event = put_event;
  iface->find_event = find_event;
  iface->read_events = read_events;
  iface->last_seq = last_seq;
  iface->put_code = put_code;
  iface->find_code = find_code;
  iface->use_code = use_code;
  iface->note_key = note_key;
  iface->find_key = find_key;
  iface->stats = stats;
  iface->defer_sync = defer_sync;
  iface->sync = sync_wal;
  iface->backup = backup;
  _mamori_board_store_sqlite_held_iface_init (iface);
}
