/* mamori-vault-users.c — adding and removing users, passphrases, recovery, a new
 * recovery code
 *
 * Every change to the key slots happens inside a write transaction on the database
 * (BEGIN IMMEDIATE), which serialises them between processes: the key file is re-read
 * inside it, changed, written atomically, and only then is the transaction committed.
 * A crash between the two leaves a slot whose users row is missing or stale, which
 * unlocking repairs (mamori-vault.c, sync_user_row()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-vault-private.h"

typedef gboolean (*KeyFileEdit) (MamoriVault *self,
                                 MamoriKeyFile *key_file,
                                 gpointer data,
                                 GError **error);

/* Applies @edit to the key file on disk and to the database in one write transaction
 * (see the comment at the top). */
static gboolean
edit_key_file (MamoriVault *self, KeyFileEdit edit, gpointer data, GError **error)
{
  g_autoptr (MamoriKeyFile) key_file = NULL;

  if (!_mamori_vault_exec (self->vfs, self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  key_file = mamori_key_file_load (self->key_path, error);
  if (key_file != NULL && memcmp (key_file->db_id, self->key_file->db_id, MAMORI_DB_ID_SIZE) != 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                   _ ("The vault’s key was replaced by another program: lock and unlock it"));
      g_clear_pointer (&key_file, mamori_key_file_free);
    }
  if (key_file == NULL || !edit (self, key_file, data, error)
      || !mamori_key_file_save (key_file, self->key_path, error)
      || !_mamori_vault_exec (self->vfs, self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  g_clear_pointer (&self->key_file, mamori_key_file_free);
  self->key_file = g_steal_pointer (&key_file);
  return TRUE;
}

/* --- users ------------------------------------------------------------------------ */

typedef struct
{
  const char *user;
  MamoriRole role;
  const char *old_passphrase;
  const char *passphrase;
  MamoriSlotKeys *out_keys;
} UserEdit;

static gboolean
add_user_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  MamoriKeySlot *slot;

  if (mamori_key_file_find_user (key_file, edit->user) != NULL)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_EXISTS,
                   _ ("“%s” is already a user of this vault"), edit->user);
      return FALSE;
    }
  slot = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, edit->user, edit->role, edit->passphrase,
                              strlen (edit->passphrase), self->keys->master_key, NULL, error);
  if (slot == NULL)
    return FALSE;
  mamori_key_file_add_slot (key_file, slot);
  return _mamori_vault_schema_put_user (self->vfs, self->db, edit->user, edit->role,
                                        slot->signing_public, error);
}

gboolean
mamori_vault_add_user (MamoriVault *self,
                       const char *new_user,
                       MamoriRole role,
                       const char *new_passphrase,
                       GError **error)
{
  UserEdit edit = { new_user, role, NULL, new_passphrase, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (new_user != NULL && *new_user != '\0', FALSE);
  g_return_val_if_fail (new_passphrase != NULL && *new_passphrase != '\0', FALSE);
  g_return_val_if_fail (role < MAMORI_N_ROLES, FALSE);

  return _mamori_vault_require_unlocked (self, error)
         && edit_key_file (self, add_user_edit, &edit, error);
}

static gboolean
remove_user_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;

  if (mamori_key_file_find_user (key_file, edit->user) == NULL)
    return _mamori_vault_no_such_user (error, edit->user);
  if (mamori_key_file_count_users (key_file) == 1)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LAST_USER,
                   _ ("“%s” is the only user of this vault and cannot be removed"), edit->user);
      return FALSE;
    }
  mamori_key_file_remove_user (key_file, edit->user);
  return _mamori_vault_schema_remove_user (self->vfs, self->db, edit->user, error);
}

gboolean
mamori_vault_remove_user (MamoriVault *self, const char *user, GError **error)
{
  UserEdit edit = { user, 0, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  return _mamori_vault_require_unlocked (self, error)
         && edit_key_file (self, remove_user_edit, &edit, error);
}

static gboolean
change_passphrase_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  MamoriKeySlot *slot = mamori_key_file_find_user (key_file, edit->user);

  if (slot == NULL)
    return _mamori_vault_no_such_user (error, edit->user);
  return mamori_key_slot_open (slot, edit->old_passphrase, strlen (edit->old_passphrase), keys,
                               error)
         && mamori_key_slot_rewrap (slot, keys, edit->passphrase, strlen (edit->passphrase), error);
}

gboolean
mamori_vault_change_passphrase (MamoriVault *self,
                                const char *old_passphrase,
                                const char *new_passphrase,
                                GError **error)
{
  UserEdit edit = { NULL, 0, old_passphrase, new_passphrase, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (old_passphrase != NULL, FALSE);
  g_return_val_if_fail (new_passphrase != NULL && *new_passphrase != '\0', FALSE);

  if (!_mamori_vault_require_user (self, error))
    return FALSE;
  edit.user = self->user;
  return edit_key_file (self, change_passphrase_edit, &edit, error);
}

static gboolean
reset_user_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  MamoriKeySlot *old = mamori_key_file_find_user (key_file, edit->user);
  g_autoptr (GError) local_error = NULL;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  MamoriKeySlot *slot;

  if (old == NULL)
    return _mamori_vault_no_such_user (error, edit->user);
  /* The database's role is the authority; the slot's copy is what is left otherwise. */
  edit->role = old->role;
  if (!_mamori_vault_schema_get_user (self->vfs, self->db, edit->user, &edit->role, public_key,
                                      &local_error)
      && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  slot = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, edit->user, edit->role, edit->passphrase,
                              strlen (edit->passphrase), self->keys->master_key, edit->out_keys,
                              error);
  if (slot == NULL)
    return FALSE;
  mamori_key_file_add_slot (key_file, slot);
  return _mamori_vault_schema_put_user (self->vfs, self->db, edit->user, edit->role,
                                        slot->signing_public, error);
}

gboolean
mamori_vault_recover (MamoriVault *self,
                      const char *recovery_code,
                      const char *user,
                      const char *new_passphrase,
                      GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = NULL;
  UserEdit edit = { user, 0, NULL, new_passphrase, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (new_passphrase != NULL && *new_passphrase != '\0', FALSE);

  if (!mamori_vault_unlock_with_recovery (self, recovery_code, error))
    return FALSE;

  keys = edit.out_keys = mamori_slot_keys_new ();
  if (!edit_key_file (self, reset_user_edit, &edit, error))
    {
      mamori_vault_lock (self);
      return FALSE;
    }

  /* Now unlocked as @user, with the new signing key. */
  mamori_slot_keys_free (self->keys);
  self->keys = g_steal_pointer (&keys);
  self->user = g_strdup (user);
  self->role = edit.role;
  memcpy (self->public_key, mamori_key_file_find_user (self->key_file, user)->signing_public,
          sizeof self->public_key);
  _mamori_vault_notify (self, "user");
  return TRUE;
}

/* --- a new recovery code ------------------------------------------------------------ */

gboolean
mamori_vault_unlocked_by_administrator (MamoriVault *self)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);

  return self->keys != NULL && self->user != NULL && mamori_role_is_administrator (self->role);
}

static gboolean
replace_recovery_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  /* Takes the recovery slot's place; the user slots are not touched. */
  MamoriKeySlot *slot = _mamori_vault_new_recovery_slot (self->keys->master_key, data, error);

  if (slot == NULL)
    return FALSE;
  mamori_key_file_add_slot (key_file, slot);
  return TRUE;
}

gboolean
mamori_vault_replace_recovery_code (MamoriVault *self, char **out_recovery_code, GError **error)
{
  g_autoptr (MamoriSecret) recovery_code = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (out_recovery_code != NULL, FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (!mamori_vault_unlocked_by_administrator (self))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal, the vice-principal or the board of education "
                              "can make a new recovery code"));
      return FALSE;
    }
  if (!edit_key_file (self, replace_recovery_edit, &recovery_code, error))
    return FALSE;

  *out_recovery_code = g_steal_pointer (&recovery_code);
  return TRUE;
}
