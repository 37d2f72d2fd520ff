/* mamori-vault-users.c — the staff of a vault: adding and removing people, roles,
 * passphrases, recovery, a new recovery code
 *
 * Each change is a signed roster event and a change to the key file, made in one write
 * transaction on the database (BEGIN IMMEDIATE, which also serialises them between
 * processes): the key file is read again inside it and its MAC checked, the event is
 * appended (the roster's rules may refuse it: then nothing has changed), the key file is
 * written atomically with the event kept in the slot it concerns, and only then is the
 * transaction committed.  A crash between the two leaves a slot waiting on its event,
 * which the next unlock appends (mamori-vault-roster.c); a commit that fails puts the
 * old key file back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-roster.h"
#include "mamori-text.h"
#include "mamori-vault-private.h"

/* The key file as it is on disk, checked: the same database, and the MAC. */
static MamoriKeyFile *
reload_key_file (MamoriVault *self, GError **error)
{
  g_autoptr (MamoriKeyFile) key_file = mamori_key_file_load (self->key_path, error);

  if (key_file == NULL)
    return NULL;
  if (memcmp (key_file->db_id, self->key_file->db_id, MAMORI_DB_ID_SIZE) != 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                   _ ("The vault’s key was replaced by another program: lock and unlock it"));
      return NULL;
    }
  if (!mamori_key_file_check_mac (key_file, self->keys->master_key, error))
    return NULL;
  return g_steal_pointer (&key_file);
}

/* Applies @edit to the key file on disk and to the records in one write transaction
 * (see the comment at the top). */
gboolean
_mamori_vault_edit_key_file (MamoriVault *self,
                             MamoriKeyFileEdit edit,
                             gpointer data,
                             GError **error)
{
  g_autoptr (MamoriKeyFile) key_file = NULL, original = NULL;

  if (!mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  key_file = reload_key_file (self, error);
  original = key_file != NULL ? mamori_key_file_load (self->key_path, error) : NULL;
  if (original == NULL || !edit (self, key_file, data, error)
      || !_mamori_vault_save_key_file (self, key_file, self->key_path, error))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!mamori_db_exec (&self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      _mamori_vault_save_key_file (self, original, self->key_path, NULL);
      return FALSE;
    }

  g_clear_pointer (&self->key_file, mamori_key_file_free);
  self->key_file = g_steal_pointer (&key_file);
  return TRUE;
}

/* The person on the roster called @name. */
static MamoriStaff *
find_staff (MamoriVault *self, const char *name, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriStaff *staff = mamori_roster_find_by_name (&self->db, name, &local_error);

  if (staff == NULL && local_error == NULL)
    _mamori_vault_no_such_user (error, name);
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return staff;
}

static void
roster_keys_of (const MamoriKeySlot *slot, MamoriRosterKeys *out)
{
  memcpy (out->slot_key, slot->slot_public, sizeof out->slot_key);
  memcpy (out->signing_key, slot->signing_public, sizeof out->signing_key);
}

/* Appends the event (signed by the unlocked user) and, when @slot is given, keeps it
 * there until the transaction commits. */
static gboolean
append_event (
    MamoriVault *self, MamoriKeySlot *slot, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = _mamori_vault_append (self, type, body, error);

  if (event == NULL)
    return FALSE;
  if (slot != NULL)
    mamori_key_slot_set_pending (slot, event->payload, event->sig);
  return TRUE;
}

/* --- people ------------------------------------------------------------------------ */

typedef struct
{
  const char *user;
  MamoriRole role;
  const char *old_passphrase;
  const char *passphrase;
  MamoriSlotKeys *out_keys; /* the new slot's secrets */
  MamoriRecoveryCodeSink sink;
  gpointer sink_data;
} UserEdit;

static gboolean
add_user_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  g_autoptr (MamoriSecret) nfc = _mamori_vault_normalize_passphrase (edit->passphrase);
  g_autofree char *id = mamori_roster_new_staff_id ();
  MamoriRosterKeys keys;
  MamoriKeySlot *slot;

  slot = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, edit->user, edit->role, nfc, strlen (nfc),
                              self->keys->master_key, NULL, error);
  if (slot == NULL)
    return FALSE;
  /* A slot left under that name by a change that never reached the roster is replaced. */
  mamori_key_file_add_slot (key_file, slot);
  roster_keys_of (slot, &keys);
  return append_event (self, slot, MAMORI_EVENT_STAFF_ADDED,
                       mamori_roster_staff_added_body (id, edit->user, edit->role, &keys), error);
}

gboolean
mamori_vault_add_user (MamoriVault *self,
                       const char *new_user,
                       MamoriRole role,
                       const char *new_passphrase,
                       GError **error)
{
  g_autofree char *name = NULL;
  UserEdit edit = { NULL, role, NULL, new_passphrase, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (new_passphrase != NULL, FALSE);
  g_return_val_if_fail (role < MAMORI_N_ROLES, FALSE);

  name = mamori_text_normalize_name (new_user, _ ("The new user’s name"), error);
  if (name == NULL || !_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (*new_passphrase == '\0')
    {
      g_set_error_literal (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID,
                           _ ("The passphrase is empty"));
      return FALSE;
    }
  edit.user = name;
  return _mamori_vault_edit_key_file (self, add_user_edit, &edit, error);
}

static gboolean
remove_user_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  g_autoptr (MamoriStaff) staff = find_staff (self, edit->user, error);

  if (staff == NULL
      || !append_event (self, NULL, MAMORI_EVENT_STAFF_REMOVED,
                        mamori_roster_staff_removed_body (staff->id), error))
    return FALSE;
  mamori_key_file_remove_user (key_file, edit->user);
  return TRUE;
}

gboolean
mamori_vault_remove_user (MamoriVault *self, const char *user, GError **error)
{
  UserEdit edit = { user, 0, NULL, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  if (!_mamori_vault_require_unlocked (self, error)
      || !_mamori_vault_edit_key_file (self, remove_user_edit, &edit, error))
    return FALSE;
  /* Whoever removed themselves holds no place on the roster any more. */
  if (g_strcmp0 (self->user, user) == 0)
    mamori_vault_lock (self);
  return TRUE;
}

static gboolean
set_role_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  g_autoptr (MamoriStaff) staff = find_staff (self, edit->user, error);
  MamoriKeySlot *slot = mamori_key_file_find_user (key_file, edit->user);

  if (staff == NULL)
    return FALSE;
  /* The slot's copy of the role is what the unlock screen shows. */
  if (slot != NULL)
    slot->role = edit->role;
  return append_event (self, slot, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                       mamori_roster_staff_role_changed_body (staff->id, edit->role), error);
}

gboolean
mamori_vault_set_role (MamoriVault *self, const char *user, MamoriRole role, GError **error)
{
  UserEdit edit = { user, role, NULL, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (role < MAMORI_N_ROLES, FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (!_mamori_vault_edit_key_file (self, set_role_edit, &edit, error))
    return FALSE;
  if (g_strcmp0 (self->user, user) == 0)
    self->role = role;
  return TRUE;
}

gboolean
_mamori_vault_follow_roster (MamoriVault *self, MamoriKeyFile *key_file, GError **error)
{
  for (guint i = key_file->slots->len; i-- > 0;)
    {
      MamoriKeySlot *slot = key_file->slots->pdata[i];
      g_autoptr (GError) local_error = NULL;
      g_autoptr (MamoriStaff) staff = NULL;

      if (slot->user == NULL)
        continue;
      staff = mamori_roster_find_by_name (&self->db, slot->user, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Enrolling, the person may not be on the roster yet: their slot stays. */
      if (staff == NULL && !self->enrolling)
        mamori_key_file_remove_user (key_file, slot->user);
      else if (staff != NULL)
        slot->role = staff->role;
    }
  return TRUE;
}

/* --- new keys for a person ---------------------------------------------------------- */

/* A new slot for edit->user with new keys, and staff-keys-changed, signed by whoever is
 * unlocked: the person (a new passphrase) or the recovery key. */
static gboolean
renew_keys (MamoriVault *self, MamoriKeyFile *key_file, UserEdit *edit, GError **error)
{
  g_autoptr (MamoriStaff) staff = find_staff (self, edit->user, error);
  g_autoptr (MamoriSecret) nfc = _mamori_vault_normalize_passphrase (edit->passphrase);
  MamoriKeySlot *old = mamori_key_file_find_user (key_file, edit->user);
  guint8 replaced[MAMORI_SIGNING_KEY_SIZE];
  MamoriRosterKeys keys;
  MamoriKeySlot *slot;

  if (staff == NULL)
    return FALSE;
  if (old == NULL)
    return _mamori_vault_no_such_user (error, edit->user);
  /* The person's keys on their other computers stay: say which ones these replace. */
  memcpy (replaced, old->signing_public, sizeof replaced);
  edit->role = staff->role;
  slot = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, edit->user, staff->role, nfc, strlen (nfc),
                              self->keys->master_key, edit->out_keys, error);
  if (slot == NULL)
    return FALSE;
  mamori_key_file_add_slot (key_file, slot);
  roster_keys_of (slot, &keys);
  return append_event (self, slot, MAMORI_EVENT_STAFF_KEYS_CHANGED,
                       mamori_roster_staff_keys_changed_body (staff->id, &keys,
                                                              self->user == NULL ? replaced : NULL),
                       error);
}

static gboolean
change_passphrase_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  UserEdit *edit = data;
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  MamoriKeySlot *slot = mamori_key_file_find_user (key_file, edit->user);

  if (slot == NULL)
    return _mamori_vault_no_such_user (error, edit->user);
  return _mamori_vault_open_user_slot (slot, edit->old_passphrase, keys, error)
         && renew_keys (self, key_file, edit, error);
}

/* Now the vault is @user's with the keys of their new slot. */
static void
become (MamoriVault *self, const char *user, MamoriRole role, MamoriSlotKeys *keys)
{
  MamoriKeySlot *slot = mamori_key_file_find_user (self->key_file, user);

  mamori_slot_keys_free (self->keys);
  self->keys = keys;
  if (self->user != user)
    {
      g_free (self->user);
      self->user = g_strdup (user);
    }
  self->role = role;
  memcpy (self->public_key, slot->signing_public, sizeof self->public_key);
  _mamori_vault_notify (self, "user");
}

gboolean
mamori_vault_change_passphrase (MamoriVault *self,
                                const char *old_passphrase,
                                const char *new_passphrase,
                                GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = NULL;
  UserEdit edit = { NULL, 0, old_passphrase, new_passphrase, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (old_passphrase != NULL, FALSE);
  g_return_val_if_fail (new_passphrase != NULL && *new_passphrase != '\0', FALSE);

  if (!_mamori_vault_require_user (self, error))
    return FALSE;
  edit.user = self->user;
  keys = edit.out_keys = mamori_slot_keys_new ();
  if (!_mamori_vault_edit_key_file (self, change_passphrase_edit, &edit, error))
    return FALSE;
  become (self, self->user, edit.role, g_steal_pointer (&keys));
  return TRUE;
}

static gboolean
recover_edit (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  return renew_keys (self, key_file, data, error);
}

gboolean
mamori_vault_recover (MamoriVault *self,
                      const char *recovery_code,
                      const char *user,
                      const char *new_passphrase,
                      GError **error)
{
  g_autoptr (MamoriSlotKeys) keys = NULL;
  UserEdit edit = { user, 0, NULL, new_passphrase, NULL, NULL, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (new_passphrase != NULL && *new_passphrase != '\0', FALSE);

  if (!mamori_vault_unlock_with_recovery (self, recovery_code, error))
    return FALSE;

  keys = edit.out_keys = mamori_slot_keys_new ();
  if (!_mamori_vault_edit_key_file (self, recover_edit, &edit, error))
    {
      mamori_vault_lock (self);
      return FALSE;
    }
  become (self, user, edit.role, g_steal_pointer (&keys));
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
  UserEdit *edit = data;
  g_autoptr (MamoriSecret) recovery_code = NULL;
  MamoriRosterKeys keys;
  MamoriKeySlot *slot;

  slot = _mamori_vault_new_recovery_slot (self->keys->master_key, &recovery_code, error);
  if (slot == NULL)
    return FALSE;
  /* Takes the recovery slot's place; the user slots are not touched. */
  mamori_key_file_add_slot (key_file, slot);
  roster_keys_of (slot, &keys);
  return append_event (self, slot, MAMORI_EVENT_RECOVERY_CHANGED,
                       mamori_roster_recovery_changed_body (&keys), error)
         && edit->sink (recovery_code, edit->sink_data, error);
}

gboolean
mamori_vault_replace_recovery_code (MamoriVault *self,
                                    MamoriRecoveryCodeSink sink,
                                    gpointer sink_data,
                                    GError **error)
{
  UserEdit edit = { NULL, 0, NULL, NULL, NULL, sink, sink_data };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  if (!mamori_vault_unlocked_by_administrator (self))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal, the vice-principal or the board of education "
                              "can make a new recovery code"));
      return FALSE;
    }
  return _mamori_vault_edit_key_file (self, replace_recovery_edit, &edit, error);
}

/* --- the roster, for the front ends --------------------------------------------------- */

GPtrArray *
mamori_vault_list_staff (MamoriVault *self, gboolean include_removed, GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  if (!_mamori_vault_require_unlocked (self, error))
    return NULL;
  return mamori_roster_list (&self->db, include_removed, error);
}

GPtrArray *
mamori_vault_list_roster_events (MamoriVault *self, GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  if (!_mamori_vault_require_unlocked (self, error))
    return NULL;
  return mamori_event_log_list (&self->db, mamori_roster_event_types, error);
}
