/* mamori-vault-create.c — making a school's vault: its two files, its first records
 *
 * A vault is made by its school's first administrator (mamori_vault_create(), with a
 * recovery code) or by a person enrolling with the board (mamori_vault_create_enrolled(),
 * whose records come from the board).  Both files are claimed before anything is written,
 * and removed again if anything fails: there is never half a vault.
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

#include "mamori-keyslots.h"
#include "mamori-policy-record.h"
#include "mamori-recovery-code.h"
#include "mamori-roster.h"
#include "mamori-text.h"
#include "mamori-vault-private.h"

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

  if (!_mamori_vault_prepare_database (self, error)
      || !mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
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
  g_autoptr (MamoriVault) self = _mamori_vault_new (path);
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

      _mamori_vault_abandon_unlock (self);
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
