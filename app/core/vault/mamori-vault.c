/* mamori-vault.c — the school's encrypted database: create, open, unlock, lock, verify
 *
 * Two files make a vault: the database and its key-slot file.  How changes to both stay
 * consistent is told in mamori-vault-users.c (users, passphrases) and
 * mamori-vault-rotate.c (the master key).
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

#include "mamori-event-log.h"
#include "mamori-keyslots.h"
#include "mamori-policy-record.h"
#include "mamori-recovery-code.h"
#include "mamori-roster.h"
#include "mamori-text.h"
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
static gboolean
prepare_database (MamoriVault *self, GError **error)
{
  return mamori_db_exec (&self->db, "PRAGMA cache_size = -8192", error)
         && _mamori_vault_schema_migrate (self->db.vfs, self->db.handle, error);
}

/* Closes the database and wipes the keys of an unlock that did not finish. */
static void
abandon_unlock (MamoriVault *self)
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
      abandon_unlock (self);
      return _mamori_vault_propagate_vfs_error (error, vfs_error);
    }

  if (!prepare_database (self, error) || !read_school (self, error)
      || !_mamori_vault_trust_slot (self, slot, error))
    {
      abandon_unlock (self);
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
  abandon_unlock (self);
  if (was_unlocked)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHOOL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
    }
}

/* --- creating and opening ------------------------------------------------------ */

static MamoriVault *
vault_new (const char *path)
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

  self = vault_new (path);
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

MamoriKeySlot *
_mamori_vault_new_recovery_slot (const guint8 *master_key, char **out_recovery_code, GError **error)
{
  g_autoptr (MamoriSecret) recovery_code = NULL;
  guint8 *recovery_key = mamori_secure_alloc (MAMORI_RECOVERY_KEY_SIZE);
  MamoriKeySlot *slot;

  recovery_code = mamori_recovery_code_generate (recovery_key);
  slot = mamori_key_slot_new (MAMORI_KEY_SLOT_RECOVERY, NULL, 0, recovery_key,
                              MAMORI_RECOVERY_KEY_SIZE, master_key, NULL, error);
  mamori_secure_free (recovery_key);
  if (slot != NULL)
    *out_recovery_code = g_steal_pointer (&recovery_code);
  return slot;
}

static void
roster_keys_of (const MamoriKeySlot *slot, MamoriRosterKeys *out)
{
  memcpy (out->slot_key, slot->slot_public, sizeof out->slot_key);
  memcpy (out->signing_key, slot->signing_public, sizeof out->signing_key);
}

/* The school's first records: meta, school-created by @user, and the default preset put
 * in force. */
static gboolean
populate (MamoriVault *self, const MamoriKeySlot *user_slot, MamoriRole role, GError **error)
{
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_preset (mamori_policy_default_preset (), error);
  g_autoptr (MamoriEvent) installed = NULL;
  JsonNode *policy_body
      = policy != NULL ? mamori_policy_installed_body (policy, NULL, error) : NULL;
  const MamoriKeySlot *recovery_slot = mamori_key_file_get_recovery (self->key_file);
  g_autofree char *staff_id = mamori_roster_new_staff_id ();
  g_autoptr (MamoriEvent) event = NULL;
  MamoriRosterKeys founder, recovery;

  if (policy_body == NULL)
    return FALSE;
  roster_keys_of (user_slot, &founder);
  roster_keys_of (recovery_slot, &recovery);
  if (!_mamori_vault_schema_populate (self->db.vfs, self->db.handle, self->school, error))
    {
      json_node_unref (policy_body);
      return FALSE;
    }
  event = _mamori_vault_append (self, MAMORI_EVENT_SCHOOL_CREATED,
                                mamori_roster_school_created_body (
                                    self->school, staff_id, self->user, role, &founder, &recovery),
                                error);
  if (event == NULL)
    {
      json_node_unref (policy_body);
      return FALSE;
    }
  installed = _mamori_vault_append (self, MAMORI_EVENT_POLICY_INSTALLED, policy_body, error);
  return installed != NULL;
}

/* Writes the new database and key file; the caller removes both on failure. */
/* A vault made by enrolling with the board (mamori_vault_create_enrolled()): the records
 * come from the board, and until the person's key arrives with them (device-added) the
 * vault opens as "enrolling" (mamori-vault-roster.c).  Its policy, until the board
 * publishes one, is the default preset (mamori_vault_load_policy()). */
static gboolean
populate_enrolled (MamoriVault *self, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;

  if (!_mamori_vault_schema_populate (self->db.vfs, self->db.handle, self->school, error))
    return FALSE;
  stmt = mamori_db_statement (&self->db,
                              "INSERT INTO meta (key, value) VALUES ('enrolling', ?), "
                              "('enrolled', '1')",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->school_id, -1, SQLITE_STATIC);
  return mamori_db_step_done (&self->db, stmt, error);
}

/* Writes the new database and key file; the caller removes both on failure.  With
 * @enrolled_school_id, the vault of a person enrolling with the board: no recovery slot,
 * no records yet. */
static gboolean
create_files (MamoriVault *self,
              MamoriRole role,
              const char *passphrase,
              const char *enrolled_school_id,
              char **out_recovery_code,
              GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  g_autoptr (MamoriSecret) nfc = _mamori_vault_normalize_passphrase (passphrase);
  g_autoptr (MamoriSecret) recovery_code = NULL;
  g_autoptr (MamoriSecret) master = mamori_secure_alloc (MAMORI_KEY_SIZE);
  guint8 *master_key = (guint8 *)master;
  MamoriKeySlot *user_slot, *recovery_slot;
  guint8 db_id[MAMORI_DB_ID_SIZE], school_id[MAMORI_SCHOOL_ID_LEN / 2];
  GError *vfs_error = NULL;

  mamori_crypto_random (master_key, MAMORI_KEY_SIZE);
  mamori_crypto_random (db_id, sizeof db_id);
  mamori_crypto_random (school_id, sizeof school_id);
  self->school_id = enrolled_school_id != NULL ? g_strdup (enrolled_school_id)
                                               : mamori_hex_encode (school_id, sizeof school_id);
  self->key_file = mamori_key_file_new (db_id, self->school);

  if (enrolled_school_id == NULL)
    {
      recovery_slot = _mamori_vault_new_recovery_slot (master_key, &recovery_code, error);
      if (recovery_slot == NULL)
        return FALSE;
      mamori_key_file_add_slot (self->key_file, recovery_slot);
    }
  /* Fills @keys with the master key and the new user's slot and signing secrets. */
  user_slot = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, self->user, role, nfc, strlen (nfc),
                                   master_key, keys, error);
  if (user_slot == NULL)
    return FALSE;
  mamori_key_file_add_slot (self->key_file, user_slot);
  self->keys = g_steal_pointer (&keys);
  /* Enrolling, a person has no authority until the board's records say which. */
  self->role = enrolled_school_id != NULL ? MAMORI_ROLE_TEACHER : role;
  self->enrolling = enrolled_school_id != NULL;
  memcpy (self->public_key, user_slot->signing_public, sizeof self->public_key);

  self->db.vfs = mamori_vfs_new (master_key, db_id, NULL, &vfs_error);
  if (self->db.vfs != NULL)
    self->db.handle = mamori_vfs_open_db (self->db.vfs, self->path, TRUE, &vfs_error);
  if (self->db.handle == NULL)
    return _mamori_vault_propagate_vfs_error (error, vfs_error);

  if (!prepare_database (self, error) || !mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!(enrolled_school_id != NULL ? populate_enrolled (self, error)
                                   : populate (self, user_slot, role, error))
      || !mamori_db_exec (&self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!_mamori_vault_save_key_file (self, self->key_file, self->key_path, error))
    return FALSE;
  if (out_recovery_code != NULL)
    *out_recovery_code = g_steal_pointer (&recovery_code);
  return TRUE;
}

/* Creates @path, empty, unless it exists. */
static gboolean
claim_file (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int saved_errno = errno;

  if (fd >= 0)
    {
      close (fd);
      return TRUE;
    }
  if (saved_errno == EEXIST)
    g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_EXISTS,
                 _ ("%s already exists: a new vault is never written over an old one"), path);
  else
    g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO, _ ("Cannot create %s: %s"), path,
                 g_strerror (saved_errno));
  return FALSE;
}

/* Claims both files, writes them, and hands the recovery code (if any) to @sink. */
static MamoriVault *
create_vault (const char *path,
              char *school_name,
              char *user_name,
              MamoriRole role,
              const char *passphrase,
              const char *enrolled_school_id,
              MamoriRecoveryCodeSink sink,
              gpointer sink_data,
              GError **error)
{
  g_autoptr (MamoriVault) self = vault_new (path);
  g_autoptr (MamoriSecret) recovery_code = NULL;
  gboolean created;

  /* Both files are claimed at once (O_EXCL): a check for them first would leave time for
   * another program to create the vault, which the clean-up below would then delete. */
  if (!claim_file (path, error))
    {
      g_free (school_name);
      g_free (user_name);
      return NULL;
    }
  if (!claim_file (self->key_path, error))
    {
      g_unlink (path);
      g_free (school_name);
      g_free (user_name);
      return NULL;
    }

  self->school = school_name;
  self->user = user_name;
  created = _mamori_vault_lock_shared (self, error)
            && create_files (self, role, passphrase, enrolled_school_id,
                             sink != NULL ? &recovery_code : NULL, error)
            /* The code is handed out before the vault counts as made: if it cannot be
             * written down, there is no vault without a recovery code. */
            && (sink == NULL || sink (recovery_code, sink_data, error));
  if (!created)
    {
      g_autofree char *lock_path = g_strconcat (path, "-lock", NULL);

      abandon_unlock (self);
      _mamori_vault_remove_database (self->path);
      g_unlink (self->key_path);
      g_unlink (lock_path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* The names and passphrase of a new vault, checked; FALSE with @error otherwise. */
static gboolean
check_new (const char *school,
           const char *user,
           const char *passphrase,
           char **out_school,
           char **out_user,
           GError **error)
{
  g_autofree char *school_name
      = mamori_text_normalize_name (school, _ ("The school’s name"), error);
  g_autofree char *user_name = school_name != NULL
                                   ? mamori_text_normalize_name (user, _ ("The user’s name"), error)
                                   : NULL;

  if (user_name == NULL)
    return FALSE;
  if (*passphrase == '\0')
    {
      g_set_error_literal (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID,
                           _ ("The passphrase is empty"));
      return FALSE;
    }
  *out_school = g_steal_pointer (&school_name);
  *out_user = g_steal_pointer (&user_name);
  return TRUE;
}

MamoriVault *
mamori_vault_create (const char *path,
                     const char *school,
                     const char *user,
                     MamoriRole role,
                     const char *passphrase,
                     MamoriRecoveryCodeSink sink,
                     gpointer sink_data,
                     GError **error)
{
  char *school_name, *user_name;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (role < MAMORI_N_ROLES, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (sink != NULL, NULL);

  if (!check_new (school, user, passphrase, &school_name, &user_name, error))
    return NULL;
  if (!mamori_role_is_administrator (role))
    {
      g_free (school_name);
      g_free (user_name);
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("A school’s vault is created by its principal, vice-principal or "
                              "board of education"));
      return NULL;
    }
  return create_vault (path, school_name, user_name, role, passphrase, NULL, sink, sink_data,
                       error);
}

MamoriVault *
mamori_vault_create_enrolled (const char *path,
                              const char *school,
                              const char *school_id,
                              const char *user,
                              MamoriRole role,
                              const char *passphrase,
                              GError **error)
{
  char *school_name, *user_name;

  g_return_val_if_fail (path != NULL && school_id != NULL, NULL);
  g_return_val_if_fail (role < MAMORI_N_ROLES, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!check_new (school, user, passphrase, &school_name, &user_name, error))
    return NULL;
  return create_vault (path, school_name, user_name, role, passphrase, school_id, NULL, NULL,
                       error);
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
