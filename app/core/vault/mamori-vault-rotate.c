/* mamori-vault-rotate.c — replacing the master key
 *
 * The database is copied with VACUUM INTO to "school.mamori.rotating" through a second
 * VFS that holds the new master key and a new database id (a new id, so that pages of
 * the two generations can never be mistaken for one another, and so that the key file
 * can tell which generation it belongs to).  The new key file, the same slots with the
 * new key sealed to each slot's public key, goes to "school.mamori-keys.rotating".
 * Both are synced, then renamed into place, database first.  A crash before the first
 * rename leaves the old vault as it was (the leftovers are removed when it is next
 * opened); a crash between the two renames leaves the new database with the new key
 * file beside it, and opening finishes the rename.  The rotation holds the vault's lock
 * file exclusively (mamori-vault-lock.c), so no other process has the vault open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mamori-roster.h"
#include "mamori-vault-private.h"

static gboolean
io_error (GError **error, const char *what, const char *path, int saved_errno)
{
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO, "%s %s: %s", what, path,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
rename_into_place (const char *from, const char *to, GError **error)
{
  if (g_rename (from, to) != 0)
    return io_error (error, _ ("Cannot rename"), from, errno);
  return mamori_sync_parent_directory (to, error);
}

static char *
vfs_uri (const char *path, MamoriVfs *vfs)
{
  g_autofree char *escaped
      = g_uri_escape_string (path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);

  return g_strdup_printf ("file:%s?vfs=%s", escaped, mamori_vfs_get_name (vfs));
}

/* Creates @path empty with @mode, so that VACUUM INTO writes into a file with the
 * permissions of the database it replaces (SQLite would create it with 0644 & ~umask). */
static gboolean
create_with_mode (const char *path, int mode, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  int saved_errno = errno;

  if (fd >= 0 && fchmod (fd, mode) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  return io_error (error, _ ("Cannot create"), path, saved_errno);
}

/* VACUUM INTO @new_path through @new_vfs, then sync it.  The target of VACUUM INTO can
 * name its VFS only as a URI, which needs a connection opened with SQLITE_OPEN_URI: a
 * read-only one of its own, beside the vault's connection that holds the write lock. */
static gboolean
copy_database (
    MamoriVault *self, MamoriVfs *new_vfs, const char *new_path, int mode, GError **error)
{
  g_autofree char *source_uri = vfs_uri (self->path, self->db.vfs);
  g_autofree char *target_uri = vfs_uri (new_path, new_vfs);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  sqlite3 *source = NULL;
  int rc;

  if (!create_with_mode (new_path, mode, error))
    return FALSE;
  rc = sqlite3_open_v2 (source_uri, &source,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (source, "PRAGMA mmap_size = 0; PRAGMA temp_store = MEMORY;", NULL, NULL,
                       NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (source, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, target_uri, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  if (rc != SQLITE_OK)
    _mamori_vault_sqlite_error (self->db.vfs, source, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (source);
  return rc == SQLITE_OK && mamori_sync_path (new_path, error);
}

/* @slot, sealed to @slot_key for @new_master, into @key_file: the roster's key, which the
 * slot must carry. */
static gboolean
reseal_slot (MamoriKeyFile *key_file,
             MamoriKeySlot *slot,
             const MamoriRosterKeys *keys,
             const guint8 *new_master,
             GError **error)
{
  MamoriKeySlot *copy;

  if (memcmp (slot->slot_public, keys->slot_key, MAMORI_KEY_SIZE) != 0
      || memcmp (slot->signing_public, keys->signing_key, MAMORI_SIGNING_KEY_SIZE) != 0)
    return TRUE;
  copy = g_memdup2 (slot, sizeof *slot);
  copy->user = g_strdup (slot->user);
  /* Its waiting event, if any, was appended when the vault was unlocked. */
  copy->pending_payload = NULL;
  mamori_key_file_add_slot (key_file, copy);
  return mamori_key_slot_seal_master (copy, new_master, error);
}

/* The new key file: the slots of the key file on disk that the roster holds, with the new
 * key sealed to the roster's public keys, for the new database id. */
static MamoriKeyFile *
reseal_key_file (MamoriVault *self,
                 const guint8 *new_master,
                 const guint8 *new_db_id,
                 GError **error)
{
  g_autoptr (MamoriKeyFile) old = mamori_key_file_load (self->key_path, error);
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (GPtrArray) staff = NULL;
  MamoriRosterKeys recovery_keys;
  MamoriKeySlot *recovery;
  gboolean has_recovery;

  if (old == NULL || !mamori_key_file_check_mac (old, self->keys->master_key, error))
    return NULL;
  staff = mamori_roster_list (&self->db, FALSE, error);
  if (staff == NULL
      || !mamori_roster_get_recovery (&self->db, &recovery_keys, &has_recovery, error))
    return NULL;
  /* A vault made by joining a board has no recovery slot (the board gives a new
   * enrollment code instead); any other keeps the roster's. */
  recovery = mamori_key_file_get_recovery (old);
  if (recovery != NULL
      && (!has_recovery
          || memcmp (recovery->slot_public, recovery_keys.slot_key, MAMORI_KEY_SIZE) != 0
          || memcmp (recovery->signing_public, recovery_keys.signing_key, MAMORI_SIGNING_KEY_SIZE)
                 != 0))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                           _ ("The key file’s recovery slot is not the one on the staff roster: "
                              "make a new recovery code before replacing the key"));
      return NULL;
    }

  key_file = mamori_key_file_new (new_db_id, self->school);
  for (guint i = 0; i < staff->len; i++)
    {
      MamoriStaff *person = g_ptr_array_index (staff, i);
      MamoriKeySlot *slot = mamori_key_file_find_user (old, person->name);
      g_autoptr (MamoriRosterKey) key = NULL;
      g_autoptr (GError) local_error = NULL;

      /* Sealed again only to a key the person holds now, with its slot key. */
      if (slot != NULL)
        key = mamori_roster_find_key (&self->db, slot->signing_public, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (key != NULL && key->retired_seq == 0 && key->has_slot_key
          && g_str_equal (key->holder, person->id)
          && !reseal_slot (key_file, slot, &key->keys, new_master, error))
        return NULL;
      slot = mamori_key_file_find_user (key_file, person->name);
      if (slot != NULL)
        slot->role = person->role;
    }
  if (recovery != NULL && !reseal_slot (key_file, recovery, &recovery_keys, new_master, error))
    return NULL;
  return g_steal_pointer (&key_file);
}

static int
file_mode (const char *path, int fallback)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (int)(st.st_mode & 0777) : fallback;
}

/* Writes both new files beside the old ones; nothing of the vault changes yet. */
static gboolean
write_new_generation (MamoriVault *self,
                      MamoriVfs *new_vfs,
                      const guint8 *new_master,
                      const guint8 *new_db_id,
                      const char *new_db_path,
                      const char *new_key_path,
                      MamoriKeyFile **out_key_file,
                      GError **error)
{
  g_autoptr (MamoriKeyFile) key_file = NULL;

  _mamori_vault_remove_database (new_db_path);
  g_unlink (new_key_path);
  key_file = reseal_key_file (self, new_master, new_db_id, error);
  if (key_file == NULL
      || !copy_database (self, new_vfs, new_db_path, file_mode (self->path, 0600), error)
      || !mamori_key_file_save (key_file, new_key_path, new_master,
                                file_mode (self->key_path, 0600), error))
    return FALSE;
  *out_key_file = g_steal_pointer (&key_file);
  return TRUE;
}

/* Whether the database on disk is still the generation this vault has open: waiting for
 * the exclusive lock lets another program rotate first (Linux drops a shared flock
 * while it tries for the exclusive one). */
static gboolean
still_current (MamoriVault *self)
{
  guint8 db_id[MAMORI_DB_ID_SIZE];

  return mamori_vfs_read_db_id (self->path, db_id, NULL)
         && memcmp (db_id, self->key_file->db_id, MAMORI_DB_ID_SIZE) == 0;
}

/* The exclusive lock on the generation this vault has open.  If another program
 * rotated meanwhile, this vault's connection is to a file nobody reads any more: it is
 * locked, to be unlocked again on the new one. */
static gboolean
lock_for_rotation (MamoriVault *self, GError **error)
{
  gboolean locked = _mamori_vault_lock_exclusive (self, error);

  if (still_current (self))
    return locked;
  g_clear_error (error);
  mamori_vault_lock (self);
  g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BUSY,
                       _ ("Another program replaced the vault’s key meanwhile: it has been "
                          "locked; unlock it again"));
  return FALSE;
}

gboolean
mamori_vault_rotate_key (MamoriVault *self, GError **error)
{
  g_autofree char *new_db_path = NULL, *new_key_path = NULL;
  g_autoptr (MamoriSecret) new_master = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL;
  guint8 new_db_id[MAMORI_DB_ID_SIZE];
  MamoriVfs *new_vfs;
  GError *vfs_error = NULL;
  gboolean written;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  /* Deciding to cut every old copy of the key file off is the administrators' (or the
   * board's, with the recovery code). */
  if (self->user != NULL && !mamori_vault_unlocked_by_administrator (self))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal, the vice-principal or the board of education "
                              "can replace the vault’s key"));
      return FALSE;
    }
  if (!lock_for_rotation (self, error))
    return FALSE;

  new_master = mamori_secure_alloc (MAMORI_KEY_SIZE);
  mamori_crypto_random ((guint8 *)new_master, MAMORI_KEY_SIZE);
  mamori_crypto_random (new_db_id, sizeof new_db_id);
  new_vfs = mamori_vfs_new ((guint8 *)new_master, new_db_id, NULL, &vfs_error);
  if (new_vfs == NULL)
    {
      _mamori_vault_lock_shared (self, NULL);
      return _mamori_vault_propagate_vfs_error (error, vfs_error);
    }

  new_db_path = _mamori_vault_rotating_path (self->path);
  new_key_path = _mamori_vault_rotating_path (self->key_path);
  written = mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error)
            && write_new_generation (self, new_vfs, (guint8 *)new_master, new_db_id, new_db_path,
                                     new_key_path, &key_file, error);
  /* The point of no return: once the new database is in place, only the key file's
   * rename is missing, and mamori_vault_open() completes it.  From the rename on, the
   * new key file must survive whatever fails: it is the only key of that database. */
  if (written && g_rename (new_db_path, self->path) != 0)
    written = io_error (error, _ ("Cannot rename"), new_db_path, errno);
  if (!written)
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      mamori_vfs_free (new_vfs);
      _mamori_vault_remove_database (new_db_path);
      g_unlink (new_key_path);
      _mamori_vault_lock_shared (self, NULL);
      return FALSE;
    }
  written = mamori_sync_parent_directory (self->path, error);
  written = rename_into_place (new_key_path, self->key_path, written ? error : NULL) && written;
  sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);

  /* Switch this vault over to the new generation. */
  _mamori_vault_close_database (self);
  self->db.vfs = new_vfs;
  memcpy (self->keys->master_key, new_master, MAMORI_KEY_SIZE);
  g_clear_pointer (&self->key_file, mamori_key_file_free);
  self->key_file = g_steal_pointer (&key_file);
  if (written)
    self->db.handle = mamori_vfs_open_db (self->db.vfs, self->path, FALSE, &vfs_error);
  /* Back to sharing the vault with other programs (flock converts the lock in place). */
  _mamori_vault_lock_shared (self, NULL);
  if (self->db.handle == NULL)
    {
      if (vfs_error != NULL)
        _mamori_vault_propagate_vfs_error (error, vfs_error);
      mamori_vault_lock (self);
      return FALSE;
    }
  return TRUE;
}
