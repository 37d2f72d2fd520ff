/* mamori-vfs-file.c — the files of the vault's VFS: what SQLite reads and writes
 *
 * Three kinds of file are let through to the VFS underneath:
 *
 * - the main database: SQLite writes whole aligned pages, sealed here page by page;
 *   it reads whole pages (opened in place in its buffer) and, on page 1, small ranges
 *   (the 100-byte header when it opens the file, the 16-byte change counter at every
 *   read transaction), served by opening the whole page;
 * - its rollback journal: each record is a 4-byte page number, the page image and a
 *   4-byte checksum, written and read as three calls in that order.  An image is
 *   recognised as a page-sized access right after a 4-byte access ending where it
 *   starts, and sealed with that page number and the journal's id.  The journal's
 *   headers carry that id and are authenticated, and a hot journal is played back only
 *   if it is the database's own (mamori-vfs-journal.c); the page numbers and the
 *   checksums stay as SQLite writes them;
 * - a super-journal, which holds only the names of journals.

 * Everything else (temporary databases and journals, statement journals, WAL) is
 * refused: it would put plaintext on disk.  With temp_store=MEMORY SQLite keeps them in
 * memory and never asks.  The io methods are version 1: no shared memory (so no WAL)
 * and no xFetch (so no memory mapping of ciphertext).
 *
 * Per-file state is used under SQLite's own serialisation of each file (the pager's
 * mutex); the cipher context is shared by the VFS and guarded by its lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mamori-vfs-private.h"

#define PAGE MAMORI_VFS_PAGE_SIZE
#define RECORD_PGNO_LEN 4
/* SQLite's write of a header's magic and record count, once the records are synced. */
#define RECORD_COUNT_WRITE_LEN 12
#define OPEN_TYPE_MASK 0x0FFF00

static const sqlite3_io_methods mamori_io_methods;

/* @journal_id: NULL for a page of the database, else the journal's id.  @nonce: NULL
 * for a fresh random one. */
static gboolean
seal_page (MamoriVfs *vfs,
           guint32 pgno,
           const guint8 *journal_id,
           const guint8 *nonce,
           const guint8 *plain,
           guint8 *out)
{
  gboolean ok;

  g_mutex_lock (&vfs->lock);
  ok = _mamori_page_seal (&vfs->aead, vfs->db_id, pgno, journal_id, nonce, plain, out);
  g_mutex_unlock (&vfs->lock);
  return ok;
}

static gboolean
open_page (
    MamoriVfs *vfs, guint32 pgno, const guint8 *journal_id, const guint8 *sealed, guint8 *out)
{
  gboolean ok;

  g_mutex_lock (&vfs->lock);
  ok = _mamori_page_open (&vfs->aead, vfs->db_id, pgno, journal_id, sealed, out);
  g_mutex_unlock (&vfs->lock);
  return ok;
}

/* Reads the stored page @pgno into @buf.  SQLITE_IOERR_SHORT_READ with @buf zeroed
 * means the page lies past the end of the file, which SQLite takes as a page of
 * zeros; a short read that found bytes is a cut page, left to fail its tag. */
static int
read_stored_page (MamoriFile *file, guint32 pgno, guint8 *buf)
{
  int rc = file->real->pMethods->xRead (file->real, buf, PAGE, (sqlite3_int64)(pgno - 1) * PAGE);

  if (rc == SQLITE_IOERR_SHORT_READ && !_mamori_is_zero (buf, PAGE))
    return SQLITE_OK;
  return rc;
}

static int
fail_page (MamoriFile *file, guint32 pgno)
{
  _mamori_vfs_record_failure (
      file->vfs, pgno == 1 ? MAMORI_VFS_FAILURE_NOT_A_DATABASE : MAMORI_VFS_FAILURE_DAMAGED, pgno);
  return pgno == 1 ? SQLITE_NOTADB : SQLITE_CORRUPT;
}

/* Reads and opens page @pgno (not 1) in place in @buf. */
static int
read_page (MamoriFile *file, guint32 pgno, guint8 *buf)
{
  int rc = read_stored_page (file, pgno, buf);

  if (rc != SQLITE_OK)
    return rc;
  return open_page (file->vfs, pgno, NULL, buf, buf) ? SQLITE_OK : fail_page (file, pgno);
}

/* Leaves page 1 open in file->page1_plain; SQLITE_NOTADB, not yet recorded, if it
 * does not authenticate. */
static int
read_page1 (MamoriFile *file)
{
  guint8 *swap;
  int rc = read_stored_page (file, 1, file->scratch);

  if (rc != SQLITE_OK)
    return rc;
  if (file->page1_valid && memcmp (file->scratch, file->page1_sealed, PAGE) == 0)
    return SQLITE_OK;

  file->page1_valid = open_page (file->vfs, 1, NULL, file->scratch, file->page1_plain);
  if (!file->page1_valid)
    return SQLITE_NOTADB;
  swap = file->page1_sealed;
  file->page1_sealed = file->scratch;
  file->scratch = swap;
  return SQLITE_OK;
}

/* When SQLite opens a database it reads the 100-byte header without a lock, for the
 * page size and reserve only; it reads page 1 again under a lock after rolling back
 * a hot journal.  That first read may see a page torn by a crash (which the journal
 * repairs) or being written by another process, so a header that fails there is
 * returned with only its clear fields; the locked read authenticates. */
static int
read_unlocked_header (MamoriFile *file, guint8 *out, int amount)
{
  int rc = read_page1 (file);

  if (rc == SQLITE_OK)
    memcpy (out, file->page1_plain, amount);
  else
    memset (out, 0, amount);
  if (rc != SQLITE_NOTADB)
    return rc;
  memcpy (out, MAMORI_VFS_SQLITE_MAGIC, MIN (amount, MAMORI_VFS_DB_ID_LEN));
  if (amount >= MAMORI_VFS_PAGE1_CLEAR)
    memcpy (out + MAMORI_VFS_DB_ID_LEN, file->scratch + MAMORI_VFS_DB_ID_LEN, 8);
  return SQLITE_OK;
}

static int
database_read (MamoriFile *file, guint8 *out, int amount, sqlite3_int64 offset)
{
  sqlite3_int64 end = offset + amount, pos = offset;

  if (amount == PAGE && offset % PAGE == 0 && offset > 0)
    return read_page (file, offset / PAGE + 1, out);
  if (offset == 0 && amount < PAGE && g_atomic_int_get (&file->lock_level) == SQLITE_LOCK_NONE)
    return read_unlocked_header (file, out, amount);

  /* Page 1 and any read that is not one whole page: open each page it touches. */
  while (pos < end)
    {
      guint32 pgno = pos / PAGE + 1;
      sqlite3_int64 page_start = (sqlite3_int64)(pgno - 1) * PAGE;
      sqlite3_int64 n = MIN (end, page_start + PAGE) - pos;
      const guint8 *plain;
      int rc;

      if (pgno == 1)
        {
          rc = read_page1 (file);
          if (rc == SQLITE_NOTADB)
            return fail_page (file, 1);
          plain = file->page1_plain;
        }
      else
        {
          rc = read_page (file, pgno, file->scratch);
          plain = file->scratch;
        }
      if (rc == SQLITE_IOERR_SHORT_READ)
        {
          memset (out + (pos - offset), 0, end - pos);
          return rc;
        }
      if (rc != SQLITE_OK)
        return rc;
      memcpy (out + (pos - offset), plain + (pos - page_start), n);
      pos += n;
    }
  return SQLITE_OK;
}

/* The page size and the reserved bytes must be the vault's before anything is
 * sealed: with fewer reserved bytes SQLite would keep data where the nonce and tag go.
 * Page 1 comes first in every commit, so a wrong header stops the whole commit. */
static gboolean
header_is_vault (const guint8 *page1)
{
  return page1[16] == (PAGE >> 8) && page1[17] == (PAGE & 0xff) && page1[20] == MAMORI_VFS_RESERVE;
}

static int
database_write (MamoriFile *file, const guint8 *in, int amount, sqlite3_int64 offset)
{
  guint32 pgno = offset / PAGE + 1;
  const guint8 *nonce = NULL;
  guint8 nonce_buf[MAMORI_VFS_NONCE_LEN];
  guint8 *swap;
  int rc;

  if (amount != PAGE || offset % PAGE != 0 || (pgno == 1 && !header_is_vault (in)))
    {
      sqlite3_log (SQLITE_IOERR_WRITE,
                   "mamori: refused to write %d bytes at %lld: the database must have "
                   "%d-byte pages with %d reserved bytes",
                   amount, offset, PAGE, MAMORI_VFS_RESERVE);
      return SQLITE_IOERR_WRITE;
    }
  if ((pgno == 1 && !_mamori_journal_page1_nonce (file, nonce_buf, &nonce))
      || !seal_page (file->vfs, pgno, NULL, nonce, in, file->scratch))
    return SQLITE_IOERR_WRITE;
  rc = file->real->pMethods->xWrite (file->real, file->scratch, PAGE, offset);

  if (pgno == 1)
    {
      file->page1_valid = rc == SQLITE_OK;
      swap = file->page1_sealed;
      file->page1_sealed = file->scratch;
      file->scratch = swap;
      memcpy (file->page1_plain, in, PAGE);
    }
  return rc;
}

static int
journal_read (MamoriFile *file, guint8 *out, int amount, sqlite3_int64 offset)
{
  gboolean image = amount == PAGE && file->pgno_read_offset >= 0
                   && file->pgno_read_offset + RECORD_PGNO_LEN == offset;
  guint32 pgno = file->pgno_read;
  int rc = _mamori_journal_check_origin (file);

  file->pgno_read_offset = -1;
  if (rc == SQLITE_OK)
    rc = file->real->pMethods->xRead (file->real, out, amount, offset);
  if (rc != SQLITE_OK)
    return rc; /* a short read ends SQLite's playback of the journal */
  if (amount == RECORD_PGNO_LEN)
    {
      file->pgno_read_offset = offset;
      file->pgno_read = _mamori_read_be32 (out);
    }
  /* Only a journal that wrote its header or proved to be the database's own knows its
   * id; any other (read without the database's exclusive lock) fails here. */
  else if (image && !open_page (file->vfs, pgno, file->journal_id, out, out))
    {
      _mamori_vfs_record_failure (file->vfs, MAMORI_VFS_FAILURE_JOURNAL_DAMAGED, pgno);
      return SQLITE_CORRUPT;
    }
  return SQLITE_OK;
}

static int
journal_write (MamoriFile *file, const guint8 *in, int amount, sqlite3_int64 offset)
{
  gboolean image = amount == PAGE && file->pgno_write_offset >= 0
                   && file->pgno_write_offset + RECORD_PGNO_LEN == offset;

  file->pgno_write_offset = -1;
  if (amount == RECORD_PGNO_LEN)
    {
      file->pgno_write_offset = offset;
      file->pgno_written = _mamori_read_be32 (in);
    }
  else if (image)
    {
      /* Records are written only after this file wrote the first header. */
      if (file->origin != MAMORI_JOURNAL_WRITING
          || !seal_page (file->vfs, file->pgno_written, file->journal_id, NULL, in, file->scratch))
        return SQLITE_IOERR_WRITE;
      in = file->scratch;
    }
  else if (_mamori_journal_is_header (in, amount, offset))
    {
      return _mamori_journal_write_header (file, in, amount, offset);
    }
  else if (amount == RECORD_COUNT_WRITE_LEN && file->origin == MAMORI_JOURNAL_WRITING
           && offset == file->header_offset)
    {
      return _mamori_journal_write_record_count (file, in, offset);
    }
  return file->real->pMethods->xWrite (file->real, in, amount, offset);
}

static int
mamori_file_read (sqlite3_file *base, void *out, int amount, sqlite3_int64 offset)
{
  MamoriFile *file = (MamoriFile *)base;

  switch (file->kind)
    {
    case MAMORI_FILE_DATABASE:
      return database_read (file, out, amount, offset);
    case MAMORI_FILE_JOURNAL:
      return journal_read (file, out, amount, offset);
    case MAMORI_FILE_PLAIN:
    default:
      return file->real->pMethods->xRead (file->real, out, amount, offset);
    }
}

static int
mamori_file_write (sqlite3_file *base, const void *in, int amount, sqlite3_int64 offset)
{
  MamoriFile *file = (MamoriFile *)base;

  switch (file->kind)
    {
    case MAMORI_FILE_DATABASE:
      return database_write (file, in, amount, offset);
    case MAMORI_FILE_JOURNAL:
      return journal_write (file, in, amount, offset);
    case MAMORI_FILE_PLAIN:
    default:
      return file->real->pMethods->xWrite (file->real, in, amount, offset);
    }
}

static int
mamori_file_close (sqlite3_file *base)
{
  MamoriFile *file = (MamoriFile *)base;
  int rc = file->real->pMethods->xClose (file->real);

  if (file->kind == MAMORI_FILE_DATABASE)
    _mamori_journal_remove_database (file);
  else if (file->kind == MAMORI_FILE_JOURNAL)
    _mamori_journal_close (file);
  /* The database's buffers hold plaintext pages (page 1, partial reads). */
  if (file->buffers != NULL)
    explicit_bzero (file->buffers, (file->kind == MAMORI_FILE_DATABASE ? 3 : 1) * PAGE);
  g_free (file->buffers);
  return rc;
}

static int
mamori_file_truncate (sqlite3_file *base, sqlite3_int64 size)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xTruncate (file->real, size);
}

static int
mamori_file_sync (sqlite3_file *base, int flags)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xSync (file->real, flags);
}

static int
mamori_file_file_size (sqlite3_file *base, sqlite3_int64 *out_size)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xFileSize (file->real, out_size);
}

/* lock_level never claims more than the VFS underneath holds: it rises after a lock
 * is granted and falls before a lock is given up, so at most one database file of a
 * process appears to hold a RESERVED or EXCLUSIVE lock on a database at any time. */
static int
mamori_file_lock (sqlite3_file *base, int level)
{
  MamoriFile *file = (MamoriFile *)base;
  int rc = file->real->pMethods->xLock (file->real, level);

  if (rc == SQLITE_OK)
    g_atomic_int_set (&file->lock_level, level);
  return rc;
}

static int
mamori_file_unlock (sqlite3_file *base, int level)
{
  MamoriFile *file = (MamoriFile *)base;
  int held = g_atomic_int_get (&file->lock_level);
  int rc;

  g_atomic_int_set (&file->lock_level, MIN (held, level));
  rc = file->real->pMethods->xUnlock (file->real, level);
  if (rc != SQLITE_OK)
    g_atomic_int_set (&file->lock_level, held);
  return rc;
}

static int
mamori_file_check_reserved_lock (sqlite3_file *base, int *out_reserved)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xCheckReservedLock (file->real, out_reserved);
}

/* Refuses, with a message, the pragmas that would make pages this shim cannot seal. */
static int
refuse_pragma (char **args)
{
  const char *name = args[1], *value = args[2];

  if (value == NULL)
    return SQLITE_NOTFOUND;
  if (g_ascii_strcasecmp (name, "page_size") == 0 && atoi (value) != PAGE)
    args[0] = sqlite3_mprintf ("the vault's page size is fixed at %d bytes", PAGE);
  else if (g_ascii_strcasecmp (name, "journal_mode") == 0 && g_ascii_strcasecmp (value, "wal") == 0)
    args[0] = sqlite3_mprintf ("the vault keeps a rollback journal; WAL is not supported");
  else
    return SQLITE_NOTFOUND;
  return SQLITE_ERROR;
}

static int
mamori_file_file_control (sqlite3_file *base, int op, void *arg)
{
  MamoriFile *file = (MamoriFile *)base;
  int rc;

  if (op == SQLITE_FCNTL_PRAGMA && refuse_pragma (arg) == SQLITE_ERROR)
    return SQLITE_ERROR;
  rc = file->real->pMethods->xFileControl (file->real, op, arg);
  if (rc == SQLITE_OK && op == SQLITE_FCNTL_VFSNAME)
    *(char **)arg = sqlite3_mprintf ("mamori/%z", *(char **)arg);
  return rc;
}

static int
mamori_file_sector_size (sqlite3_file *base)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xSectorSize (file->real);
}

static int
mamori_file_device_characteristics (sqlite3_file *base)
{
  MamoriFile *file = (MamoriFile *)base;

  return file->real->pMethods->xDeviceCharacteristics (file->real);
}

static const sqlite3_io_methods mamori_io_methods = {
  .iVersion = 1,
  .xClose = mamori_file_close,
  .xRead = mamori_file_read,
  .xWrite = mamori_file_write,
  .xTruncate = mamori_file_truncate,
  .xSync = mamori_file_sync,
  .xFileSize = mamori_file_file_size,
  .xLock = mamori_file_lock,
  .xUnlock = mamori_file_unlock,
  .xCheckReservedLock = mamori_file_check_reserved_lock,
  .xFileControl = mamori_file_file_control,
  .xSectorSize = mamori_file_sector_size,
  .xDeviceCharacteristics = mamori_file_device_characteristics,
};

int
_mamori_vfs_file_size (sqlite3_vfs *base)
{
  return sizeof (MamoriFile) + base->szOsFile;
}

int
_mamori_vfs_open_file (
    sqlite3_vfs *sqlite_vfs, const char *name, sqlite3_file *base, int flags, int *out_flags)
{
  MamoriVfs *vfs = sqlite_vfs->pAppData;
  MamoriFile *file = (MamoriFile *)base;
  int type = flags & OPEN_TYPE_MASK;
  int rc;

  memset (file, 0, sizeof *file);
  switch (type)
    {
    case SQLITE_OPEN_MAIN_DB:
      file->kind = MAMORI_FILE_DATABASE;
      break;
    case SQLITE_OPEN_MAIN_JOURNAL:
      file->kind = MAMORI_FILE_JOURNAL;
      break;
    case SQLITE_OPEN_SUPER_JOURNAL:
      file->kind = MAMORI_FILE_PLAIN;
      break;
    default:
      sqlite3_log (SQLITE_CANTOPEN,
                   "mamori: refused to open a temporary, statement or WAL file (type 0x%x) "
                   "outside memory; is temp_store=MEMORY set?",
                   type);
      return SQLITE_CANTOPEN;
    }
  if (name == NULL)
    {
      sqlite3_log (SQLITE_CANTOPEN, "mamori: refused to open a nameless temporary file");
      return SQLITE_CANTOPEN;
    }

  file->vfs = vfs;
  file->name = name;
  file->real = (sqlite3_file *)(file + 1);
  file->pgno_write_offset = -1;
  file->pgno_read_offset = -1;
  rc = vfs->base->xOpen (vfs->base, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      /* A VFS that set pMethods expects xClose even after a failed open. */
      if (file->real->pMethods != NULL)
        file->real->pMethods->xClose (file->real);
      return rc;
    }

  if (file->kind == MAMORI_FILE_DATABASE)
    {
      file->buffers = g_malloc (3 * PAGE);
      file->page1_sealed = file->buffers + PAGE;
      file->page1_plain = file->buffers + 2 * PAGE;
    }
  else if (file->kind == MAMORI_FILE_JOURNAL)
    {
      file->buffers = g_malloc (PAGE);
    }
  file->scratch = file->buffers;
  file->base.pMethods = &mamori_io_methods;
  if (file->kind == MAMORI_FILE_DATABASE)
    _mamori_journal_add_database (file);
  return SQLITE_OK;
}
