/* crash-vfs.c — an in-memory SQLite VFS that loses power on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "crash-vfs.h"

#define SECTOR 512

/* A file's content, shared by the directory entries and handles that refer to it. */
typedef struct
{
  gint ref_count;
  GByteArray *durable; /* what the disk holds */
  GByteArray *current; /* what programs read: durable plus the unsynced writes */
  GByteArray *dirty;   /* one byte per sector of @current: written since the last sync */
} Inode;

struct _CrashVfs
{
  sqlite3_vfs sqlite_vfs;
  char *name;
  GRand *rand;
  GHashTable *current_dir; /* name → Inode */
  GHashTable *durable_dir; /* name → Inode, as of the last directory sync */
  int sector_size;
  int characteristics;
  guint64 countdown;
  gboolean crashed;
  guint64 op_count;
};

typedef struct
{
  sqlite3_file base;
  CrashVfs *vfs;
  Inode *inode;
  gboolean sync_dir; /* a new journal: its first sync also syncs the directory */
} CrashFile;

static Inode *
inode_new (void)
{
  Inode *inode = g_new0 (Inode, 1);

  inode->ref_count = 1;
  inode->durable = g_byte_array_new ();
  inode->current = g_byte_array_new ();
  inode->dirty = g_byte_array_new ();
  return inode;
}

static Inode *
inode_ref (Inode *inode)
{
  inode->ref_count++;
  return inode;
}

static void
inode_unref (Inode *inode)
{
  if (--inode->ref_count > 0)
    return;
  g_byte_array_unref (inode->durable);
  g_byte_array_unref (inode->current);
  g_byte_array_unref (inode->dirty);
  g_free (inode);
}

static GHashTable *
dir_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)inode_unref);
}

static GHashTable *
dir_copy (GHashTable *dir)
{
  GHashTable *copy = dir_new ();
  GHashTableIter iter;
  gpointer name, inode;

  g_hash_table_iter_init (&iter, dir);
  while (g_hash_table_iter_next (&iter, &name, &inode))
    g_hash_table_insert (copy, g_strdup (name), inode_ref (inode));
  return copy;
}

static void
set_length (GByteArray *array, gsize length)
{
  gsize old = array->len;

  g_byte_array_set_size (array, length);
  if (length > old)
    memset (array->data + old, 0, length - old);
}

static void
sync_dir (CrashVfs *vfs)
{
  g_hash_table_unref (vfs->durable_dir);
  vfs->durable_dir = dir_copy (vfs->current_dir);
}

/* Counts an operation that changes what is stored; FALSE if the power fails now. */
static gboolean
tick (CrashVfs *vfs)
{
  if (vfs->crashed)
    return FALSE;
  vfs->op_count++;
  if (vfs->countdown > 0 && --vfs->countdown == 0)
    vfs->crashed = TRUE;
  return !vfs->crashed;
}

static int
crash_file_close (sqlite3_file *base)
{
  CrashFile *file = (CrashFile *)base;

  inode_unref (file->inode);
  return SQLITE_OK;
}

static int
crash_file_read (sqlite3_file *base, void *out, int amount, sqlite3_int64 offset)
{
  CrashFile *file = (CrashFile *)base;
  GByteArray *current = file->inode->current;
  gsize available;

  if (file->vfs->crashed)
    return SQLITE_IOERR_READ;
  available = (gsize)offset < current->len ? MIN ((gsize)amount, current->len - (gsize)offset) : 0;
  if (available > 0)
    memcpy (out, current->data + offset, available);
  if (available == (gsize)amount)
    return SQLITE_OK;
  memset ((guint8 *)out + available, 0, amount - available);
  return SQLITE_IOERR_SHORT_READ;
}

static int
crash_file_write (sqlite3_file *base, const void *in, int amount, sqlite3_int64 offset)
{
  CrashFile *file = (CrashFile *)base;
  Inode *inode = file->inode;

  if (!tick (file->vfs))
    return SQLITE_IOERR_WRITE;
  if ((gsize)(offset + amount) > inode->current->len)
    set_length (inode->current, offset + amount);
  memcpy (inode->current->data + offset, in, amount);
  set_length (inode->dirty, (inode->current->len + SECTOR - 1) / SECTOR);
  memset (inode->dirty->data + offset / SECTOR, 1,
          (offset + amount - 1) / SECTOR - offset / SECTOR + 1);
  return SQLITE_OK;
}

static int
crash_file_truncate (sqlite3_file *base, sqlite3_int64 size)
{
  CrashFile *file = (CrashFile *)base;

  /* Like a write, the new length is durable only after the next sync. */
  if (!tick (file->vfs))
    return SQLITE_IOERR_TRUNCATE;
  if ((gsize)size < file->inode->current->len)
    g_byte_array_set_size (file->inode->current, size);
  return SQLITE_OK;
}

static int
crash_file_sync (sqlite3_file *base, int flags)
{
  CrashFile *file = (CrashFile *)base;
  Inode *inode = file->inode;

  if (!tick (file->vfs))
    return SQLITE_IOERR_FSYNC;
  g_byte_array_set_size (inode->durable, 0);
  g_byte_array_append (inode->durable, inode->current->data, inode->current->len);
  g_byte_array_set_size (inode->dirty, 0);
  if (file->sync_dir)
    {
      sync_dir (file->vfs);
      file->sync_dir = FALSE;
    }
  return SQLITE_OK;
}

static int
crash_file_file_size (sqlite3_file *base, sqlite3_int64 *out_size)
{
  CrashFile *file = (CrashFile *)base;

  if (file->vfs->crashed)
    return SQLITE_IOERR_FSTAT;
  *out_size = file->inode->current->len;
  return SQLITE_OK;
}

/* One process, one connection at a time: locks always succeed. */
static int
crash_file_lock (sqlite3_file *base, int level)
{
  return SQLITE_OK;
}

static int
crash_file_check_reserved_lock (sqlite3_file *base, int *out_reserved)
{
  *out_reserved = 0;
  return SQLITE_OK;
}

static int
crash_file_file_control (sqlite3_file *base, int op, void *arg)
{
  return SQLITE_NOTFOUND;
}

static int
crash_file_sector_size (sqlite3_file *base)
{
  return ((CrashFile *)base)->vfs->sector_size;
}

static int
crash_file_device_characteristics (sqlite3_file *base)
{
  return ((CrashFile *)base)->vfs->characteristics;
}

static const sqlite3_io_methods crash_io_methods = {
  .iVersion = 1,
  .xClose = crash_file_close,
  .xRead = crash_file_read,
  .xWrite = crash_file_write,
  .xTruncate = crash_file_truncate,
  .xSync = crash_file_sync,
  .xFileSize = crash_file_file_size,
  .xLock = crash_file_lock,
  .xUnlock = crash_file_lock,
  .xCheckReservedLock = crash_file_check_reserved_lock,
  .xFileControl = crash_file_file_control,
  .xSectorSize = crash_file_sector_size,
  .xDeviceCharacteristics = crash_file_device_characteristics,
};

static int
crash_vfs_open (
    sqlite3_vfs *sqlite_vfs, const char *name, sqlite3_file *base, int flags, int *out_flags)
{
  CrashVfs *vfs = sqlite_vfs->pAppData;
  CrashFile *file = (CrashFile *)base;
  Inode *inode;

  memset (file, 0, sizeof *file);
  if (name == NULL || vfs->crashed)
    return SQLITE_CANTOPEN;
  inode = g_hash_table_lookup (vfs->current_dir, name);
  if (inode == NULL)
    {
      if ((flags & SQLITE_OPEN_CREATE) == 0)
        return SQLITE_CANTOPEN;
      inode = inode_new ();
      g_hash_table_insert (vfs->current_dir, g_strdup (name), inode);
      file->sync_dir = (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL)) != 0;
    }
  file->vfs = vfs;
  file->inode = inode_ref (inode);
  file->base.pMethods = &crash_io_methods;
  if (out_flags != NULL)
    *out_flags = flags;
  return SQLITE_OK;
}

static int
crash_vfs_delete (sqlite3_vfs *sqlite_vfs, const char *name, int sync_directory)
{
  CrashVfs *vfs = sqlite_vfs->pAppData;

  if (!tick (vfs))
    return SQLITE_IOERR_DELETE;
  if (!g_hash_table_remove (vfs->current_dir, name))
    return SQLITE_IOERR_DELETE_NOENT;
  if (sync_directory)
    sync_dir (vfs);
  return SQLITE_OK;
}

static int
crash_vfs_access (sqlite3_vfs *sqlite_vfs, const char *name, int flags, int *out_result)
{
  CrashVfs *vfs = sqlite_vfs->pAppData;
  Inode *inode = g_hash_table_lookup (vfs->current_dir, name);

  if (vfs->crashed)
    return SQLITE_IOERR_ACCESS;
  /* As the unix VFS: an empty file does not count as existing. */
  *out_result = inode != NULL && (flags != SQLITE_ACCESS_EXISTS || inode->current->len > 0);
  return SQLITE_OK;
}

static int
crash_vfs_full_pathname (sqlite3_vfs *sqlite_vfs, const char *name, int n_out, char *out)
{
  g_strlcpy (out, name, n_out);
  return SQLITE_OK;
}

static int
crash_vfs_randomness (sqlite3_vfs *sqlite_vfs, int n_out, char *out)
{
  CrashVfs *vfs = sqlite_vfs->pAppData;

  for (int i = 0; i < n_out; i++)
    out[i] = g_rand_int (vfs->rand);
  return n_out;
}

static int
crash_vfs_sleep (sqlite3_vfs *sqlite_vfs, int microseconds)
{
  return microseconds;
}

static int
crash_vfs_current_time (sqlite3_vfs *sqlite_vfs, double *out_days)
{
  *out_days = 2460000.5;
  return SQLITE_OK;
}

CrashVfs *
crash_vfs_new (const char *name, guint32 seed)
{
  CrashVfs *vfs = g_new0 (CrashVfs, 1);

  vfs->name = g_strdup (name);
  vfs->rand = g_rand_new_with_seed (seed);
  vfs->current_dir = dir_new ();
  vfs->durable_dir = dir_new ();
  vfs->sector_size = SECTOR;
  vfs->characteristics = SQLITE_IOCAP_POWERSAFE_OVERWRITE;
  vfs->sqlite_vfs = (sqlite3_vfs){
    .iVersion = 1,
    .szOsFile = sizeof (CrashFile),
    .mxPathname = 512,
    .zName = vfs->name,
    .pAppData = vfs,
    .xOpen = crash_vfs_open,
    .xDelete = crash_vfs_delete,
    .xAccess = crash_vfs_access,
    .xFullPathname = crash_vfs_full_pathname,
    .xRandomness = crash_vfs_randomness,
    .xSleep = crash_vfs_sleep,
    .xCurrentTime = crash_vfs_current_time,
  };
  g_assert_cmpint (sqlite3_vfs_register (&vfs->sqlite_vfs, 0), ==, SQLITE_OK);
  return vfs;
}

void
crash_vfs_free (CrashVfs *vfs)
{
  sqlite3_vfs_unregister (&vfs->sqlite_vfs);
  g_hash_table_unref (vfs->current_dir);
  g_hash_table_unref (vfs->durable_dir);
  g_rand_free (vfs->rand);
  g_free (vfs->name);
  g_free (vfs);
}

void
crash_vfs_set_device (CrashVfs *vfs, int sector_size, int characteristics)
{
  vfs->sector_size = sector_size;
  vfs->characteristics = characteristics;
}

void
crash_vfs_arm (CrashVfs *vfs, guint64 n)
{
  vfs->countdown = n;
}

gboolean
crash_vfs_has_crashed (CrashVfs *vfs)
{
  return vfs->crashed;
}

guint64
crash_vfs_get_op_count (CrashVfs *vfs)
{
  return vfs->op_count;
}

/* What reaches the disk of the writes since the last sync: all, none, or each
 * sector by a coin toss. */
static void
settle_inode (CrashVfs *vfs, Inode *inode)
{
  int fate = g_rand_int_range (vfs->rand, 0, 3);

  for (guint sector = 0; sector < inode->dirty->len; sector++)
    {
      gsize start = (gsize)sector * SECTOR;
      gsize end = MIN (start + SECTOR, inode->current->len);

      if (!inode->dirty->data[sector] || start >= end)
        continue;
      if (fate == 0 || (fate == 2 && g_rand_boolean (vfs->rand)))
        continue;
      if (inode->durable->len < end)
        set_length (inode->durable, end);
      memcpy (inode->durable->data + start, inode->current->data + start, end - start);
    }
}

void
crash_vfs_power_loss (CrashVfs *vfs)
{
  GHashTableIter iter;
  gpointer value;

  /* Only the files in the disk's directory come back. */
  g_hash_table_iter_init (&iter, vfs->durable_dir);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Inode *inode = value;

      settle_inode (vfs, inode);
      g_byte_array_set_size (inode->current, 0);
      g_byte_array_append (inode->current, inode->durable->data, inode->durable->len);
      g_byte_array_set_size (inode->dirty, 0);
    }
  g_hash_table_unref (vfs->current_dir);
  vfs->current_dir = dir_copy (vfs->durable_dir);
  vfs->crashed = FALSE;
  vfs->countdown = 0;
}

void
crash_vfs_reset (CrashVfs *vfs)
{
  g_hash_table_remove_all (vfs->current_dir);
  g_hash_table_remove_all (vfs->durable_dir);
  vfs->crashed = FALSE;
  vfs->countdown = 0;
}
