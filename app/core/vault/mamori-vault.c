/* mamori-vault.c — the school's encrypted database: open, unlock, lock, verify
 *
 * Two files make a vault: the database and its key-slot file.  How they are made is in
 * mamori-vault-create.c; how changes to both stay consistent is told in
 * mamori-vault-users.c (users, passphrases) and mamori-vault-rotate.c (the master key).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mamori-event-log.h"
#include "mamori-keyslots.h"
#include "mamori-recovery-code.h"
#include "mamori-vault-private.h"

G_DEFINE_FINAL_TYPE (MamoriVault, mamori_vault, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_LOCKED,
  PROP_USER,
  PROP_SCHOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_mamori_vault_notify (MamoriVault *self, const char *property)
{
  g_object_notify (G_OBJECT (self), property);
}

char *
mamori_vault_get_key_file_path (const char *path)
{
  return g_strconcat (path, "-keys", NULL);
}

/* The new database and key file of a key rotation, before they are renamed into place. */
char *
_mamori_vault_rotating_path (const char *path)
{
  return g_strconcat (path, ".rotating", NULL);
}

/* An error of the VFS as a vault error.  The master key came from a slot that opened,
 * so a page that fails, page 1 included, is damage, not a wrong key. */
gboolean
_mamori_vault_propagate_vfs_error (GError **error, GError *vfs_error)
{
  if (g_error_matches (vfs_error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE))
    g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                 _ ("Page 1 is damaged or has been altered (the key slots opened, so the key is "
                    "right): %s"),
                 vfs_error->message);
  else
    g_set_error_literal (error, MAMORI_VAULT_ERROR,
                         g_error_matches (vfs_error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED)
                             ? MAMORI_VAULT_ERROR_DAMAGED
                             : MAMORI_VAULT_ERROR_IO,
                         vfs_error->message);
  g_error_free (vfs_error);
  return FALSE;
}

gboolean
_mamori_vault_require_unlocked (MamoriVault *self, GError **error)
{
  if (self->keys != NULL)
    return TRUE;
  g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED,
                       _ ("The vault is locked"));
  return FALSE;
}

gboolean
_mamori_vault_require_user (MamoriVault *self, GError **error)
{
  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (self->user != NULL)
    return TRUE;
  g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER,
                       _ ("The vault was unlocked with the recovery code, not by a user"));
  return FALSE;
}

gboolean
_mamori_vault_no_such_user (GError **error, const char *user)
{
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER,
               _ ("“%s” is not a user of this vault"), user);
  return FALSE;
}

void
_mamori_vault_close_database (MamoriVault *self)
{
  mamori_db_forget_statements (&self->db);
  if (self->db.handle != NULL)
    {
      sqlite3_stmt *stmt;

      /* The connection is only lent out until lock: a statement still open is a bug in
       * the caller, but must not keep the VFS, and so the key, alive. */
      while ((stmt = sqlite3_next_stmt (self->db.handle, NULL)) != NULL)
        {
          g_critical ("MamoriVault: a statement was still open at lock: %s", sqlite3_sql (stmt));
          sqlite3_finalize (stmt);
        }
      sqlite3_close (self->db.handle);
      self->db.handle = NULL;
    }
  g_clear_pointer (&self->db.vfs, mamori_vfs_free);
}

/* --- the key file on disk --------------------------------------------------------- */

static gboolean
same_db_id (const MamoriKeyFile *key_file, const guint8 *db_id)
{
  return memcmp (key_file->db_id, db_id, MAMORI_DB_ID_SIZE) == 0;
}

void
_mamori_vault_remove_database (const char *path)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (journal);
}

/* A key rotation renames the new database into place first, then the new key file: if
 * a crash came between the two, the key file names another database id and the new one
 * waits beside it — finish the rename.  If it came before, the database still matches:
 * drop the leftovers.  Either needs the exclusive lock, so that nothing is taken from a
 * rotation that is running; when another program has the vault open, the leftovers
 * wait for a later open. */
static void
finish_interrupted_rotation (MamoriVault *self)
{
  g_autofree char *pending_path = _mamori_vault_rotating_path (self->key_path);
  g_autofree char *pending_db = _mamori_vault_rotating_path (self->path);
  g_autoptr (MamoriKeyFile) key_file = NULL, pending = NULL;
  guint8 db_id[MAMORI_DB_ID_SIZE];

  if (!g_file_test (pending_path, G_FILE_TEST_EXISTS)
      && !g_file_test (pending_db, G_FILE_TEST_EXISTS))
    return;
  if (!_mamori_vault_try_lock_exclusive (self))
    return;
  key_file = mamori_key_file_load (self->key_path, NULL);
  pending = mamori_key_file_load (pending_path, NULL);
  if (mamori_vfs_read_db_id (self->path, db_id, NULL))
    {
      if (pending != NULL && same_db_id (pending, db_id)
          && (key_file == NULL || !same_db_id (key_file, db_id)))
        {
          if (g_rename (pending_path, self->key_path) == 0)
            mamori_sync_parent_directory (self->key_path, NULL);
        }
      else if (key_file != NULL && same_db_id (key_file, db_id))
        {
          _mamori_vault_remove_database (pending_db);
          g_unlink (pending_path);
        }
    }
  _mamori_vault_unlock_file (self);
}

/* Reads the key file of the database at self->path (under the shared lock, so that no
 * rotation is half done). */
static gboolean
load_key_file (MamoriVault *self, GError **error)
{
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (GError) vfs_error = NULL;
  guint8 db_id[MAMORI_DB_ID_SIZE];

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT,
                   _ ("There is no vault at %s"), self->path);
      return FALSE;
    }
  key_file = mamori_key_file_load (self->key_path, error);
  if (key_file == NULL)
    return FALSE;
  if (!mamori_vfs_read_db_id (self->path, db_id, &vfs_error))
    {
      g_set_error (error, MAMORI_VAULT_ERROR,
                   g_error_matches (vfs_error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO)
                       ? MAMORI_VAULT_ERROR_IO
                       : MAMORI_VAULT_ERROR_NOT_A_VAULT,
                   "%s", vfs_error->message);
      return FALSE;
    }
  if (!same_db_id (key_file, db_id))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("%s belongs to another database than %s"), self->key_path, self->path);
      return FALSE;
    }

  g_clear_pointer (&self->key_file, mamori_key_file_free);
  self->key_file = g_steal_pointer (&key_file);
  return TRUE;
}

/* --- unlocking ------------------------------------------------------------------- */

static gboolean
read_school (MamoriVault *self, GError **error)
{
  g_clear_pointer (&self->school, g_free);
  self->school = mamori_vault_get_meta (self, "school");
  if (self->school != NULL)
    return TRUE;
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
               _ ("The vault %s has no school name"), self->path);
  return FALSE;
}

/* The open database as the records use it: a page cache of 8 MiB (a register or a
 * year of take-outs is tens of MiB, and the records' indexes are read at random), and
 * the schema this Mamori writes. */
gboolean
_mamori_vault_prepare_database (MamoriVault *self, GError **error)
{
  return mamori_db_exec (&self->db, "PRAGMA cache_size = -8192", error)
         && _mamori_vault_schema_migrate (self->db.vfs, self->db.handle, error);
}

/* Closes the database and wipes the keys of an unlock that did not finish. */
void
_mamori_vault_abandon_unlock (MamoriVault *self)
{
  _mamori_vault_close_database (self);
  g_clear_pointer (&self->keys, mamori_slot_keys_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->school, g_free);
  g_clear_pointer (&self->school_id, g_free);
  memset (self->public_key, 0, sizeof self->public_key);
  _mamori_vault_unlock_file (self);
}

/* Opens the database with the master key in @keys and becomes unlocked as the user of
 * @user_name's slot (NULL: by recovery), once the slot is the roster's.  Takes @keys. */
static gboolean
finish_unlock (MamoriVault *self, MamoriSlotKeys *keys, const char *user_name, GError **error)
{
  GError *vfs_error = NULL;
  MamoriKeySlot *slot = user_name != NULL ? mamori_key_file_find_user (self->key_file, user_name)
                                          : mamori_key_file_get_recovery (self->key_file);

  self->keys = keys;
  self->user = g_strdup (user_name);
  memcpy (self->public_key, slot->signing_public, sizeof self->public_key);
  self->db.vfs = mamori_vfs_new (keys->master_key, self->key_file->db_id, NULL, &vfs_error);
  if (self->db.vfs != NULL)
    self->db.handle = mamori_vfs_open_db (self->db.vfs, self->path, FALSE, &vfs_error);
  if (self->db.handle == NULL)
    {
      _mamori_vault_abandon_unlock (self);
      return _mamori_vault_propagate_vfs_error (error, vfs_error);
    }

  if (!_mamori_vault_prepare_database (self, error) || !read_school (self, error)
      || !_mamori_vault_trust_slot (self, slot, error))
    {
      _mamori_vault_abandon_unlock (self);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHOOL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  return TRUE;
}

/* Locks, then takes the shared lock and reads the key file again: another program may
 * have added, removed or rotated since the vault was opened. */
static gboolean
begin_unlock (MamoriVault *self, GError **error)
{
  mamori_vault_lock (self);
  finish_interrupted_rotation (self);
  if (!_mamori_vault_lock_shared (self, error))
    return FALSE;
  if (load_key_file (self, error))
    return TRUE;
  _mamori_vault_unlock_file (self);
  return FALSE;
}

gboolean
mamori_vault_unlock (MamoriVault *self, const char *user, const char *passphrase, GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = NULL;
  MamoriKeySlot *slot;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL && passphrase != NULL, FALSE);

  if (!begin_unlock (self, error))
    return FALSE;
  slot = mamori_key_file_find_user (self->key_file, user);
  if (slot == NULL)
    {
      _mamori_vault_unlock_file (self);
      return _mamori_vault_no_such_user (error, user);
    }
  keys = mamori_slot_keys_new ();
  if (!_mamori_vault_open_user_slot (slot, passphrase, keys, error))
    {
      _mamori_vault_unlock_file (self);
      return FALSE;
    }
  return finish_unlock (self, g_steal_pointer (&keys), slot->user, error);
}

gboolean
mamori_vault_unlock_with_recovery (MamoriVault *self, const char *recovery_code, GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = NULL;
  guint8 *recovery_key;
  MamoriKeySlot *slot;
  gboolean ok;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (recovery_code != NULL, FALSE);

  if (!begin_unlock (self, error))
    return FALSE;
  slot = mamori_key_file_get_recovery (self->key_file);
  if (slot == NULL)
    {
      _mamori_vault_unlock_file (self);
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE,
                           _ ("This vault has no recovery slot"));
      return FALSE;
    }

  recovery_key = mamori_secure_alloc (MAMORI_RECOVERY_KEY_SIZE);
  keys = mamori_slot_keys_new ();
  ok = mamori_recovery_code_parse (recovery_code, recovery_key, error)
       && mamori_key_slot_open (slot, recovery_key, MAMORI_RECOVERY_KEY_SIZE, keys, error);
  mamori_secure_free (recovery_key);
  if (!ok)
    {
      _mamori_vault_unlock_file (self);
      return FALSE;
    }
  return finish_unlock (self, g_steal_pointer (&keys), NULL, error);
}

void
mamori_vault_lock (MamoriVault *self)
{
  gboolean was_unlocked;

  g_return_if_fail (MAMORI_IS_VAULT (self));

  was_unlocked = self->keys != NULL;
  _mamori_vault_abandon_unlock (self);
  if (was_unlocked)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHOOL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
    }
}

/* --- opening (creating: mamori-vault-create.c) ----------------------------------- */

MamoriVault *
_mamori_vault_new (const char *path)
{
  MamoriVault *self = g_object_new (MAMORI_TYPE_VAULT, NULL);

  self->path = g_strdup (path);
  self->key_path = mamori_vault_get_key_file_path (path);
  return self;
}

MamoriVault *
mamori_vault_open (const char *path, GError **error)
{
  g_autoptr (MamoriVault) self = NULL;
  gboolean loaded;

  g_return_val_if_fail (path != NULL, NULL);

  self = _mamori_vault_new (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT,
                   _ ("There is no vault at %s"), path);
      return NULL;
    }
  finish_interrupted_rotation (self);
  if (!_mamori_vault_lock_shared (self, error))
    return NULL;
  loaded = load_key_file (self, error);
  _mamori_vault_unlock_file (self);
  return loaded ? g_steal_pointer (&self) : NULL;
}

/* --- checking -------------------------------------------------------------------- */

gboolean
mamori_vault_verify (MamoriVault *self, GError **error)
{
  g_autoptr (GError) records_error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GString) problems = NULL;
  GError *vfs_error = NULL;
  int rc;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (!mamori_vfs_verify_file (self->db.vfs, self->path, &vfs_error))
    return _mamori_vault_propagate_vfs_error (error, vfs_error);

  stmt = _mamori_vault_prepare (self->db.vfs, self->db.handle, "PRAGMA integrity_check(20)", error);
  if (stmt == NULL)
    return FALSE;
  problems = g_string_new (NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "\n  %s", line);
    }
  if (rc != SQLITE_DONE)
    return _mamori_vault_sqlite_error (self->db.vfs, self->db.handle, rc, error);
  if (problems->len > 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("Every page decrypts, but the database is inconsistent:%s"), problems->str);
      return FALSE;
    }
  /* Opening checked each chain and its head; here every event's own signature too. */
  if (!mamori_event_log_check (&self->db, TRUE, NULL, &records_error))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                           records_error->message);
      return FALSE;
    }
  return TRUE;
}

/* --- data ------------------------------------------------------------------------ */

MamoriDb *
mamori_vault_get_store (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->keys != NULL ? &self->db : NULL;
}

const char *
mamori_vault_get_school_id (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->school_id;
}

sqlite3 *
mamori_vault_get_db (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->db.handle;
}

int
mamori_vault_get_schema_version (MamoriVault *self)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), -1);
  g_return_val_if_fail (self->db.handle != NULL, -1);

  if (sqlite3_prepare_v2 (self->db.handle, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

char *
mamori_vault_get_meta (MamoriVault *self, const char *key)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (self->db.handle != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db.handle, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
mamori_vault_sign (MamoriVault *self,
                   const guint8 *data,
                   gsize length,
                   guint8 out_signature[MAMORI_SIGNATURE_SIZE],
                   GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  return _mamori_vault_require_user (self, error)
         && mamori_signing_sign (self->keys->signing_seed, self->public_key, data, length,
                                 out_signature, error);
}

const guint8 *
mamori_vault_get_public_key (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->user != NULL ? self->public_key : NULL;
}

/* --- properties -------------------------------------------------------------------- */

const char *
mamori_vault_get_path (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->path;
}

const char *
mamori_vault_get_school (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->school != NULL ? self->school : self->key_file->school;
}

const MamoriKeyFile *
mamori_vault_get_key_file (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->key_file;
}

GStrv
mamori_vault_list_users (MamoriVault *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  for (guint i = 0; i < self->key_file->slots->len; i++)
    {
      MamoriKeySlot *slot = g_ptr_array_index (self->key_file->slots, i);

      if (slot->kind == MAMORI_KEY_SLOT_USER)
        g_strv_builder_add (builder, slot->user);
    }
  return g_strv_builder_end (builder);
}

gboolean
mamori_vault_lookup_role (MamoriVault *self, const char *user, MamoriRole *out_role)
{
  MamoriKeySlot *slot;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  slot = mamori_key_file_find_user (self->key_file, user);
  if (slot == NULL)
    return FALSE;
  *out_role = slot->role;
  return TRUE;
}

gboolean
mamori_vault_is_enrolling (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  return self->keys != NULL && self->enrolling;
}

gboolean
mamori_vault_is_unlocked (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  return self->keys != NULL;
}

const char *
mamori_vault_get_user (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  return self->user;
}

gboolean
mamori_vault_get_role (MamoriVault *self, MamoriRole *out_role)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  if (self->user == NULL)
    return FALSE;
  *out_role = self->role;
  return TRUE;
}

static void
mamori_vault_finalize (GObject *object)
{
  MamoriVault *self = MAMORI_VAULT (object);

  mamori_vault_lock (self);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  mamori_key_file_free (self->key_file);
  g_free (self->key_path);
  g_free (self->path);

  G_OBJECT_CLASS (mamori_vault_parent_class)->finalize (object);
}

static void
mamori_vault_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriVault *self = MAMORI_VAULT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, !mamori_vault_is_unlocked (self));
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_SCHOOL:
      g_value_set_string (value, mamori_vault_get_school (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_vault_class_init (MamoriVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mamori_vault_finalize;
  object_class->get_property = mamori_vault_get_property;

  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The GUI shows the unlock screen whenever this turns TRUE (lock, idle, screen lock). */
  properties[PROP_LOCKED] = g_param_spec_boolean ("locked", NULL, NULL, TRUE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER]
      = g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHOOL]
      = g_param_spec_string ("school", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mamori_vault_init (MamoriVault *self)
{
  self->lock_fd = -1;
}
