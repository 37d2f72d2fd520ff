/* mamori-vfs.c — the vault's VFS: registration, opening a database, verification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mamori-vfs-private.h"

G_DEFINE_QUARK (mamori - vfs - error - quark, mamori_vfs_error)

static MamoriVfs *
vfs_of (sqlite3_vfs *sqlite_vfs)
{
  return sqlite_vfs->pAppData;
}

/* Everything but opening files is the VFS underneath's business. */

static int
mamori_vfs_delete (sqlite3_vfs *v, const char *name, int sync_dir)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xDelete (base, name, sync_dir);
}

static int
mamori_vfs_access (sqlite3_vfs *v, const char *name, int flags, int *out_result)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xAccess (base, name, flags, out_result);
}

static int
mamori_vfs_full_pathname (sqlite3_vfs *v, const char *name, int n_out, char *out)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xFullPathname (base, name, n_out, out);
}

static void *
mamori_vfs_dl_open (sqlite3_vfs *v, const char *name)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xDlOpen (base, name);
}

static void
mamori_vfs_dl_error (sqlite3_vfs *v, int n_out, char *out)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  base->xDlError (base, n_out, out);
}

static void (*mamori_vfs_dl_sym (sqlite3_vfs *v, void *handle, const char *symbol)) (void)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xDlSym (base, handle, symbol);
}

static void
mamori_vfs_dl_close (sqlite3_vfs *v, void *handle)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  base->xDlClose (base, handle);
}

static int
mamori_vfs_randomness (sqlite3_vfs *v, int n_out, char *out)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xRandomness (base, n_out, out);
}

static int
mamori_vfs_sleep (sqlite3_vfs *v, int microseconds)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xSleep (base, microseconds);
}

static int
mamori_vfs_current_time (sqlite3_vfs *v, double *out_time)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xCurrentTime (base, out_time);
}

static int
mamori_vfs_get_last_error (sqlite3_vfs *v, int n_out, char *out)
{
  sqlite3_vfs *base = vfs_of (v)->base;

  return base->xGetLastError != NULL ? base->xGetLastError (base, n_out, out) : 0;
}

static int
mamori_vfs_current_time_int64 (sqlite3_vfs *v, sqlite3_int64 *out_time)
{
  sqlite3_vfs *base = vfs_of (v)->base;
  double days;
  int rc;

  if (base->iVersion >= 2 && base->xCurrentTimeInt64 != NULL)
    return base->xCurrentTimeInt64 (base, out_time);
  rc = base->xCurrentTime (base, &days);
  *out_time = (sqlite3_int64)(days * 86400000.0);
  return rc;
}

static void
record_failure (MamoriVfs *vfs, MamoriVfsFailure failure, guint32 page, const char *path)
{
  g_mutex_lock (&vfs->lock);
  vfs->failure = failure;
  vfs->failure_page = page;
  g_free (vfs->failure_path);
  vfs->failure_path = g_strdup (path);
  g_mutex_unlock (&vfs->lock);
}

void
_mamori_vfs_record_failure (MamoriVfs *vfs, MamoriVfsFailure failure, guint32 page)
{
  record_failure (vfs, failure, page, NULL);
}

void
_mamori_vfs_record_foreign_journal (MamoriVfs *vfs, const char *path)
{
  record_failure (vfs, MAMORI_VFS_FAILURE_FOREIGN_JOURNAL, 0, path);
}

MamoriVfs *
mamori_vfs_new (const guint8 *master_key, const guint8 *db_id, const char *base_vfs, GError **error)
{
  static gint serial;
  g_autoptr (MamoriVfs) vfs = NULL;
  sqlite3_vfs *base;
  int rc;

  g_return_val_if_fail (master_key != NULL, NULL);
  g_return_val_if_fail (db_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  base = sqlite3_vfs_find (base_vfs);
  if (base == NULL)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO,
                   _ ("SQLite has no file system layer named “%s”"), base_vfs);
      return NULL;
    }

  vfs = g_new0 (MamoriVfs, 1);
  g_mutex_init (&vfs->lock);
  vfs->base = base;
  vfs->name = g_strdup_printf ("mamori-%d", g_atomic_int_add (&serial, 1));
  memcpy (vfs->db_id, db_id, MAMORI_VFS_DB_ID_LEN);
  /* The key itself is not kept: only its schedule, in the cipher's secure memory. */
  if (!_mamori_aead_init (&vfs->aead, MAMORI_VFS_AEAD_MODE, master_key, error)
      || !_mamori_journal_init (vfs, master_key, error))
    return NULL;

  vfs->sqlite_vfs = (sqlite3_vfs){
    .iVersion = 2,
    .szOsFile = _mamori_vfs_file_size (base),
    .mxPathname = base->mxPathname,
    .zName = vfs->name,
    .pAppData = vfs,
    .xOpen = _mamori_vfs_open_file,
    .xDelete = mamori_vfs_delete,
    .xAccess = mamori_vfs_access,
    .xFullPathname = mamori_vfs_full_pathname,
    .xDlOpen = mamori_vfs_dl_open,
    .xDlError = mamori_vfs_dl_error,
    .xDlSym = mamori_vfs_dl_sym,
    .xDlClose = mamori_vfs_dl_close,
    .xRandomness = mamori_vfs_randomness,
    .xSleep = mamori_vfs_sleep,
    .xCurrentTime = mamori_vfs_current_time,
    .xGetLastError = mamori_vfs_get_last_error,
    .xCurrentTimeInt64 = mamori_vfs_current_time_int64,
  };
  rc = sqlite3_vfs_register (&vfs->sqlite_vfs, 0);
  if (rc != SQLITE_OK)
    {
      vfs->sqlite_vfs.zName = NULL; /* not registered: nothing to unregister */
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO,
                   _ ("Could not register the vault with SQLite: %s"), sqlite3_errstr (rc));
      return NULL;
    }
  return g_steal_pointer (&vfs);
}

const char *
mamori_vfs_get_name (MamoriVfs *vfs)
{
  g_return_val_if_fail (vfs != NULL, NULL);

  return vfs->name;
}

MamoriVfsFailure
mamori_vfs_get_last_failure (MamoriVfs *vfs, guint32 *out_page)
{
  MamoriVfsFailure failure;

  g_return_val_if_fail (vfs != NULL, MAMORI_VFS_FAILURE_NONE);

  g_mutex_lock (&vfs->lock);
  failure = vfs->failure;
  if (out_page != NULL)
    *out_page = vfs->failure_page;
  g_mutex_unlock (&vfs->lock);
  return failure;
}

void
mamori_vfs_clear_failure (MamoriVfs *vfs)
{
  g_return_if_fail (vfs != NULL);

  _mamori_vfs_record_failure (vfs, MAMORI_VFS_FAILURE_NONE, 0);
}

void
mamori_vfs_free (MamoriVfs *vfs)
{
  if (vfs == NULL)
    return;

  if (vfs->sqlite_vfs.zName != NULL)
    sqlite3_vfs_unregister (&vfs->sqlite_vfs);
  _mamori_aead_clear (&vfs->aead);
  _mamori_journal_clear (vfs);
  g_mutex_clear (&vfs->lock);
  g_free (vfs->failure_path);
  g_free (vfs->name);
  g_free (vfs);
}

void
mamori_vfs_set_sqlite_error (MamoriVfs *vfs, sqlite3 *db, int rc, GError **error)
{
  MamoriVfsFailure failure = MAMORI_VFS_FAILURE_NONE;
  int primary = rc & 0xff;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  g_autofree char *path = NULL;
  guint32 page = 0;

  /* SQLite reports what the shim returned from xRead: NOTADB for page 1, CORRUPT for
   * the others and for a foreign journal; it may also have become an I/O error on the
   * way. */
  if (vfs != NULL
      && (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT || primary == SQLITE_IOERR))
    {
      g_mutex_lock (&vfs->lock);
      failure = vfs->failure;
      page = vfs->failure_page;
      path = g_strdup (vfs->failure_path);
      g_mutex_unlock (&vfs->lock);
    }

  switch (failure)
    {
    case MAMORI_VFS_FAILURE_NOT_A_DATABASE:
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                   _ ("Not a Mamori database, or the wrong key: page 1 failed authentication"));
      return;
    case MAMORI_VFS_FAILURE_DAMAGED:
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED,
                   _ ("Page %u is damaged or has been altered"), page);
      return;
    case MAMORI_VFS_FAILURE_JOURNAL_DAMAGED:
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED,
                   _ ("The rollback journal’s copy of page %u is damaged or has been altered"),
                   page);
      return;
    case MAMORI_VFS_FAILURE_FOREIGN_JOURNAL:
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED,
                   _ ("The rollback journal %s is not this database’s own: it was forged or "
                      "comes from another copy of the vault. Nothing was changed. Move it out "
                      "of this folder, keep it for whoever investigates, and open the vault "
                      "again."),
                   path);
      return;
    case MAMORI_VFS_FAILURE_NONE:
    default:
      break;
    }

  if (primary == SQLITE_NOTADB)
    g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                 _ ("Not a Mamori database: %s"), message);
  else if (primary == SQLITE_CORRUPT)
    g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED,
                 _ ("The database is damaged: %s"), message);
  else
    g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO, _ ("Database error: %s"), message);
}

static int
query_int (sqlite3 *db, const char *sql, sqlite3_int64 *out_value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_value = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Settles a new database's format before its first page is written, then writes page
 * 1 so that the format is fixed on disk even if nothing else is stored. */
static int
create_database (sqlite3 *db)
{
  int reserve = MAMORI_VFS_RESERVE;
  int rc;

  rc = sqlite3_exec (db, "PRAGMA page_size = " G_STRINGIFY (MAMORI_VFS_PAGE_SIZE), NULL, NULL,
                     NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA user_version = 0", NULL, NULL, NULL);
  return rc;
}

sqlite3 *
mamori_vfs_open_db (MamoriVfs *vfs, const char *path, gboolean create, GError **error)
{
  /* No page may reach disk in clear: no mapping, temporary tables in memory.
   * synchronous=EXTRA, not FULL: in DELETE mode the commit is the unlinking of the
   * journal, and only EXTRA syncs the directory after it.  Under FULL a power cut just
   * after COMMIT returned can bring the journal back and roll the commit back. */
  static const char pragmas[] = "PRAGMA mmap_size = 0;"
                                "PRAGMA temp_store = MEMORY;"
                                "PRAGMA journal_mode = DELETE;"
                                "PRAGMA synchronous = EXTRA;";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | (create ? SQLITE_OPEN_CREATE : 0);
  sqlite3 *db = NULL;
  sqlite3_int64 pages = 0, page_size = 0, n_schema;
  int reserve = -1;
  int rc;

  g_return_val_if_fail (vfs != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mamori_vfs_clear_failure (vfs);
  rc = sqlite3_open_v2 (path, &db, flags, vfs->name);
  /* Another connection (the GUI and the CLI at once) may be committing. */
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout (db, MAMORI_VFS_BUSY_TIMEOUT_MS);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, pragmas, NULL, NULL, NULL);
  /* The first read: it rolls back a hot journal and authenticates page 1. */
  if (rc == SQLITE_OK)
    rc = query_int (db, "PRAGMA page_count", &pages);
  if (rc == SQLITE_OK && pages == 0 && !create)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                   _ ("“%s” is empty: not a Mamori database"), path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (rc == SQLITE_OK && pages == 0)
    rc = create_database (db);
  if (rc == SQLITE_OK)
    rc = query_int (db, "PRAGMA page_size", &page_size);
  if (rc == SQLITE_OK)
    rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  /* Reads the schema's pages, so that a damaged one is reported now. */
  if (rc == SQLITE_OK)
    rc = query_int (db, "SELECT count(*) FROM sqlite_schema", &n_schema);
  if (rc != SQLITE_OK)
    {
      mamori_vfs_set_sqlite_error (vfs, db, rc, error);
      sqlite3_close_v2 (db);
      return NULL;
    }
  /* Page 1 authenticated, so only a database written by another program through this
   * VFS's name could get here with another format. */
  if (page_size != MAMORI_VFS_PAGE_SIZE || reserve != MAMORI_VFS_RESERVE)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_REFUSED,
                   _ ("“%s” has %d-byte pages with %d reserved bytes; the vault needs %d and %d"),
                   path, (int)page_size, reserve, MAMORI_VFS_PAGE_SIZE, MAMORI_VFS_RESERVE);
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

gboolean
mamori_vfs_read_db_id (const char *path, guint8 *out_db_id, GError **error)
{
  guint8 header[MAMORI_VFS_PAGE1_CLEAR];
  FILE *stream;
  gsize n;
  int saved_errno;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_db_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stream = g_fopen (path, "rb");
  if (stream == NULL)
    {
      saved_errno = errno;
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO, _ ("Could not read “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, stream);
  fclose (stream);

  if (n < sizeof header)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                   _ ("“%s” is too short to be a Mamori database"), path);
      return FALSE;
    }
  if (memcmp (header, MAMORI_VFS_SQLITE_MAGIC, MAMORI_VFS_DB_ID_LEN) == 0)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                   _ ("“%s” is an unencrypted SQLite database, not a Mamori database"), path);
      return FALSE;
    }
  if (header[16] != MAMORI_VFS_PAGE_SIZE >> 8 || header[17] != (MAMORI_VFS_PAGE_SIZE & 0xff)
      || header[20] != MAMORI_VFS_RESERVE)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE,
                   _ ("“%s” is not a Mamori database"), path);
      return FALSE;
    }
  memcpy (out_db_id, header, MAMORI_VFS_DB_ID_LEN);
  return TRUE;
}

gboolean
mamori_vfs_verify_file (MamoriVfs *vfs, const char *path, GError **error)
{
  g_autofree guint8 *page = NULL;
  sqlite3_file *file = NULL;
  sqlite3_int64 size = 0;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (vfs != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Opening rolls a hot journal back; the read transaction then keeps writers out
   * while the pages are read through the shim, which opens each of them. */
  db = mamori_vfs_open_db (vfs, path, FALSE, error);
  if (db == NULL)
    return FALSE;
  rc = sqlite3_exec (db, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc == SQLITE_OK)
    rc = file->pMethods->xFileSize (file, &size);
  if (rc == SQLITE_OK && size % MAMORI_VFS_PAGE_SIZE != 0)
    {
      _mamori_vfs_record_failure (vfs, MAMORI_VFS_FAILURE_DAMAGED, size / MAMORI_VFS_PAGE_SIZE + 1);
      rc = SQLITE_CORRUPT;
    }

  page = g_malloc (MAMORI_VFS_PAGE_SIZE);
  for (sqlite3_int64 offset = 0; rc == SQLITE_OK && offset < size; offset += MAMORI_VFS_PAGE_SIZE)
    rc = file->pMethods->xRead (file, page, MAMORI_VFS_PAGE_SIZE, offset);

  /* The connection's message describes only its own statements. */
  if (rc != SQLITE_OK)
    mamori_vfs_set_sqlite_error (vfs, file != NULL ? NULL : db, rc, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2 (db);
  explicit_bzero (page, MAMORI_VFS_PAGE_SIZE);
  return rc == SQLITE_OK;
}
