/* mamori-vault-roster.c — the vault and its staff roster: signing events, trusting a
 * key slot, building the roster of a vault made before it had one
 *
 * The key file is a cache for the unlock screen; authority comes from the roster, the
 * fold of signed events in the database (records/mamori-roster.h).  After a slot opens,
 * the vault checks, before it trusts anything the slot says:
 *
 *   1. the key file's MAC (under the master key): a file changed by someone who cannot
 *      open the vault is refused;
 *   2. every author's chain of events (mamori_event_log_check());
 *   3. the roster events that slots wait on are appended, finishing a change that a
 *      crash cut off after the key file was written (mamori-keyslots.h, "pending");
 *   4. the slot's name, role and keys are the roster's — so a slot planted or pasted back
 *      by a colleague who can open the vault (and so could forge the MAC) still opens
 *      nothing, and a role comes from the roster, never from the key file.
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

/* --- passphrases ------------------------------------------------------------------- */

MamoriSecret *
_mamori_vault_normalize_passphrase (const char *passphrase)
{
  g_autofree char *nfc = NULL;
  MamoriSecret *secret;

  /* g_utf8_normalize() works in ordinary memory: its result is wiped here, but not the
   * buffers it uses inside.  ASCII, the common case, is NFC already and takes no copy. */
  for (const char *p = passphrase; *p != '\0'; p++)
    if ((guchar)*p >= 0x80)
      {
        nfc = g_utf8_normalize (passphrase, -1, G_NORMALIZE_NFC);
        break;
      }
  secret = mamori_secure_strdup (nfc != NULL ? nfc : passphrase);
  if (nfc != NULL)
    explicit_bzero (nfc, strlen (nfc));
  return secret;
}

gboolean
_mamori_vault_open_user_slot (const MamoriKeySlot *slot,
                              const char *passphrase,
                              MamoriSlotKeys *out_keys,
                              GError **error)
{
  g_autoptr (MamoriSecret) nfc = _mamori_vault_normalize_passphrase (passphrase);
  g_autoptr (GError) local_error = NULL;

  if (mamori_key_slot_open (slot, nfc, strlen (nfc), out_keys, &local_error))
    return TRUE;
  /* Slots made before passphrases were normalised hold the bytes as they were typed. */
  if (g_error_matches (local_error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE)
      && !g_str_equal (nfc, passphrase))
    return mamori_key_slot_open (slot, passphrase, strlen (passphrase), out_keys, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* --- the key file ------------------------------------------------------------------ */

gboolean
_mamori_vault_save_key_file (MamoriVault *self,
                             MamoriKeyFile *key_file,
                             const char *path,
                             GError **error)
{
  return mamori_key_file_save (key_file, path, self->keys->master_key, 0600, error);
}

/* Records errors about a vault's own events mean its database was altered. */
static gboolean
records_altered (GError **error, GError *records_error)
{
  if (records_error->domain == MAMORI_RECORDS_ERROR)
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                           records_error->message);
      g_error_free (records_error);
    }
  else
    g_propagate_error (error, records_error);
  return FALSE;
}

/* Appends the events slots wait on, each in the order of its author's chain (a pass
 * per round, as long as one of them goes in).  An event that is refused is left: the
 * slot it belongs to then fails the check against the roster. */
static gboolean
apply_pending (MamoriVault *self, GError **error)
{
  g_autoptr (GPtrArray) waiting
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  gboolean progress = TRUE;

  for (guint i = 0; i < self->key_file->slots->len; i++)
    {
      MamoriKeySlot *slot = g_ptr_array_index (self->key_file->slots, i);
      MamoriEvent *event;

      if (slot->pending_payload == NULL)
        continue;
      event = mamori_event_parse (slot->pending_payload, slot->pending_sig, NULL);
      if (event != NULL)
        g_ptr_array_add (waiting, event);
    }

  while (progress && waiting->len > 0)
    {
      progress = FALSE;
      for (guint i = 0; i < waiting->len;)
        {
          MamoriEvent *event = g_ptr_array_index (waiting, i);
          g_autoptr (GError) local_error = NULL;
          gboolean found;
          /* A vault from before the roster learns its school id from school-created. */
          const char *school = self->school_id != NULL ? self->school_id : event->school;

          if (!mamori_event_log_contains (&self->db, event->id, &found, error))
            return FALSE;
          if (found)
            {
              g_ptr_array_remove_index (waiting, i);
              continue;
            }
          if (!mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
            return FALSE;
          if (mamori_event_log_append (&self->db, school, event, MAMORI_APPEND_DEFAULT,
                                       &local_error)
              && mamori_db_exec (&self->db, "COMMIT", &local_error))
            {
              g_debug ("Finished an interrupted change: appended a waiting “%s” event",
                       event->type);
              g_ptr_array_remove_index (waiting, i);
              progress = TRUE;
              continue;
            }
          sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
          if (local_error->domain != MAMORI_RECORDS_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          i++;
        }
    }
  return TRUE;
}

static gboolean
read_school_id (MamoriVault *self, GError **error)
{
  g_clear_pointer (&self->school_id, g_free);
  self->school_id = mamori_vault_get_meta (self, "school_id");
  if (self->school_id != NULL)
    return TRUE;
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
               _ ("The vault %s has no school id"), self->path);
  return FALSE;
}

/* --- a person enrolling with the board ---------------------------------------------- */

/* A vault made by enrolling (mamori_vault_create_enrolled()) whose records do not hold the
 * person's key yet: the board's records are on their way.  It opens with no authority (a
 * teacher's, and the fold accepts nothing the key signs until the board's records name
 * it), so that sync can bring them.  A master-key holder who plants a slot and marks the
 * vault so gains nothing: they could read the vault anyway, and sign nothing. */
static gboolean
is_enrolling (MamoriVault *self, const MamoriKeySlot *slot, gboolean roster_exists, GError **error)
{
  g_autofree char *school_id = mamori_vault_get_meta (self, "enrolling");
  g_autoptr (MamoriRosterKey) key = NULL;
  g_autoptr (GError) local_error = NULL;

  self->enrolling = FALSE;
  if (school_id == NULL || slot->kind != MAMORI_KEY_SLOT_USER || !self->key_file->has_mac)
    return FALSE;
  if (roster_exists)
    {
      key = mamori_roster_find_key (&self->db, slot->signing_public, &local_error);
      if (local_error != NULL)
        {
          records_altered (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (key != NULL)
        return FALSE; /* the board's records have come: checked as any vault's */
    }
  g_clear_pointer (&self->school_id, g_free);
  self->school_id = g_steal_pointer (&school_id);
  self->role = MAMORI_ROLE_TEACHER;
  self->enrolling = TRUE;
  return TRUE;
}

/* --- a vault made before it had a roster --------------------------------------------- */

typedef struct
{
  char *name;
  MamoriRole role;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
} LegacyUser;

static void
legacy_user_free (LegacyUser *user)
{
  g_free (user->name);
  g_free (user);
}

/* The users of a version 1 vault, as its database (not its key file) has them. */
static GPtrArray *
read_legacy_users (MamoriVault *self, GError **error)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)legacy_user_free);
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (
      &self->db,
      "SELECT name, role, public_key FROM legacy_users WHERE removed_at IS NULL "
      "ORDER BY added_at, rowid",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LegacyUser *user = g_new0 (LegacyUser, 1);

      g_ptr_array_add (users, user);
      user->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      if (user->name == NULL
          || !mamori_role_from_string ((const char *)sqlite3_column_text (stmt, 1), &user->role)
          || sqlite3_column_bytes (stmt, 2) != MAMORI_SIGNING_KEY_SIZE)
        {
          g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                       _ ("The vault %s has a damaged list of users"), self->path);
          return NULL;
        }
      memcpy (user->public_key, sqlite3_column_blob (stmt, 2), MAMORI_SIGNING_KEY_SIZE);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (&self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static void
slot_keys (const MamoriKeySlot *slot, MamoriRosterKeys *out)
{
  memcpy (out->slot_key, slot->slot_public, sizeof out->slot_key);
  memcpy (out->signing_key, slot->signing_public, sizeof out->signing_key);
}

/* Signs @body and keeps the event in @slot until the transaction commits. */
static gboolean
append_for_slot (
    MamoriVault *self, MamoriKeySlot *slot, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = _mamori_vault_append (self, type, body, error);

  if (event == NULL)
    return FALSE;
  if (slot != NULL)
    mamori_key_slot_set_pending (slot, event->payload, event->sig);
  return TRUE;
}

/* The roster's first events, as the administrator who unlocks (@founder) signs them:
 * school-created, then staff-added for every other user the database knows whose slot
 * carries the same signing key.  The recovery slot gets its signing key now. */
static gboolean
write_first_roster (MamoriVault *self,
                    MamoriKeyFile *key_file,
                    const MamoriKeySlot *founder,
                    MamoriRole founder_role,
                    GPtrArray *legacy,
                    GError **error)
{
  g_autoptr (MamoriSecret) recovery_seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *founder_id = mamori_roster_new_staff_id ();
  MamoriKeySlot *recovery = mamori_key_file_get_recovery (key_file);
  MamoriKeySlot *founder_slot = mamori_key_file_find_user (key_file, founder->user);
  MamoriRosterKeys founder_keys, recovery_keys;
  guint8 recovery_public[MAMORI_SIGNING_KEY_SIZE];

  if (recovery == NULL || founder_slot == NULL)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("The key file %s has no recovery slot"), self->key_path);
      return FALSE;
    }
  mamori_signing_generate ((guint8 *)recovery_seed, recovery_public);
  mamori_key_slot_give_signing_key (recovery, (guint8 *)recovery_seed, recovery_public);
  founder_slot->role = founder_role;
  slot_keys (founder_slot, &founder_keys);
  slot_keys (recovery, &recovery_keys);

  if (!append_for_slot (self, founder_slot, MAMORI_EVENT_SCHOOL_CREATED,
                        mamori_roster_school_created_body (self->school, founder_id, founder->user,
                                                           founder_role, &founder_keys,
                                                           &recovery_keys),
                        error))
    return FALSE;
  for (guint i = 0; i < legacy->len; i++)
    {
      LegacyUser *user = g_ptr_array_index (legacy, i);
      MamoriKeySlot *slot = mamori_key_file_find_user (key_file, user->name);
      g_autofree char *id = NULL;
      MamoriRosterKeys keys;

      if (slot == founder_slot || slot == NULL
          || memcmp (slot->signing_public, user->public_key, MAMORI_SIGNING_KEY_SIZE) != 0
          || !mamori_text_is_name (user->name))
        continue;
      id = mamori_roster_new_staff_id ();
      slot_keys (slot, &keys);
      slot->role = user->role;
      if (!append_for_slot (self, slot, MAMORI_EVENT_STAFF_ADDED,
                            mamori_roster_staff_added_body (id, user->name, user->role, &keys),
                            error))
        return FALSE;
    }
  return mamori_db_exec (&self->db, "DROP TABLE legacy_users", error);
}

/* A vault made by Mamori 0.1 keeps its users in a table and a key file without MAC; the
 * first administrator who unlocks it turns them into a signed roster. */
static gboolean
build_first_roster (MamoriVault *self, const MamoriKeySlot *slot, GError **error)
{
  g_autoptr (GPtrArray) legacy = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autofree char *school_id = NULL;
  LegacyUser *founder = NULL;
  guint8 id_bytes[MAMORI_SCHOOL_ID_LEN / 2];

  if (slot->kind != MAMORI_KEY_SLOT_USER)
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("This vault was made by an earlier version of Mamori: the "
                              "principal, the vice-principal or the board must unlock it once "
                              "before the recovery code can be used"));
      return FALSE;
    }
  legacy = read_legacy_users (self, error);
  if (legacy == NULL)
    return FALSE;
  for (guint i = 0; i < legacy->len && founder == NULL; i++)
    if (g_str_equal (((LegacyUser *)g_ptr_array_index (legacy, i))->name, slot->user))
      founder = g_ptr_array_index (legacy, i);
  if (founder == NULL
      || memcmp (founder->public_key, slot->signing_public, MAMORI_SIGNING_KEY_SIZE) != 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("The key file has been altered: “%s” is not a user of this vault"),
                   slot->user);
      return FALSE;
    }
  if (!mamori_role_is_administrator (founder->role))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("This vault was made by an earlier version of Mamori: the "
                              "principal, the vice-principal or the board must unlock it once "
                              "so that Mamori can record its staff roster"));
      return FALSE;
    }

  mamori_crypto_random (id_bytes, sizeof id_bytes);
  school_id = mamori_hex_encode (id_bytes, sizeof id_bytes);
  self->school_id = g_strdup (school_id);
  memcpy (self->public_key, slot->signing_public, sizeof self->public_key);

  key_file = mamori_key_file_load (self->key_path, error);
  if (key_file == NULL || !mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!write_first_roster (self, key_file, slot, founder->role, legacy, error)
      || !_mamori_vault_save_key_file (self, key_file, self->key_path, error)
      || !mamori_db_exec (&self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  g_clear_pointer (&self->key_file, mamori_key_file_free);
  self->key_file = g_steal_pointer (&key_file);
  return TRUE;
}

/* --- trusting a slot ------------------------------------------------------------------ */

static gboolean
slot_altered (GError **error, const char *message)
{
  g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED, message);
  return FALSE;
}

/* @slot is the roster's: same name and role, and keys the person holds now (see the
 * top). */
static gboolean
check_user_slot (MamoriVault *self, const MamoriKeySlot *slot, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriStaff) staff = mamori_roster_find_by_name (&self->db, slot->user, &local_error);
  g_autoptr (MamoriRosterKey) key = NULL;
  g_autofree char *message = NULL;

  if (local_error == NULL)
    key = mamori_roster_find_key (&self->db, slot->signing_public, &local_error);
  if (local_error != NULL)
    return records_altered (error, g_steal_pointer (&local_error));
  if (staff == NULL)
    message = g_strdup_printf (_ ("The key file has been altered: “%s” is not on the school’s "
                                  "staff roster (removed, or never added), so their key slot "
                                  "opens nothing"),
                               slot->user);
  else if (key == NULL || !g_str_equal (key->holder, staff->id) || key->retired_seq != 0
           || !key->has_slot_key
           || memcmp (key->keys.slot_key, slot->slot_public, MAMORI_KEY_SIZE) != 0)
    message = g_strdup_printf (_ ("The key file has been altered: the key slot of “%s” is not "
                                  "one on the staff roster (an old, revoked or foreign copy)"),
                               slot->user);
  else if (staff->role != slot->role)
    message = g_strdup_printf (_ ("The key file has been altered: it makes “%s” a %s, but the "
                                  "staff roster says %s"),
                               slot->user, mamori_role_get_label (slot->role),
                               mamori_role_get_label (staff->role));
  if (message != NULL)
    return slot_altered (error, message);
  self->role = staff->role;
  return TRUE;
}

static gboolean
check_recovery_slot (MamoriVault *self, const MamoriKeySlot *slot, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriRosterKeys keys;
  gboolean found;

  if (!mamori_roster_get_recovery (&self->db, &keys, &found, &local_error))
    return records_altered (error, g_steal_pointer (&local_error));
  if (!found || !slot->has_signing
      || memcmp (keys.slot_key, slot->slot_public, MAMORI_KEY_SIZE) != 0
      || memcmp (keys.signing_key, slot->signing_public, MAMORI_SIGNING_KEY_SIZE) != 0)
    return slot_altered (error, _ ("The key file has been altered: its recovery slot is not the "
                                   "one on the staff roster"));
  return TRUE;
}

/* A vault made by a Mamori before devices and the board (schema 4) folds its log again
 * once, into the roster's new tables (mamori-vault-schema.c, version 5). */
static gboolean
refold_if_asked (MamoriVault *self, GError **error)
{
  g_autofree char *refold = mamori_vault_get_meta (self, "refold");
  g_autofree char *school_id = mamori_vault_get_meta (self, "school_id");
  GError *local_error = NULL;

  if (refold == NULL)
    return TRUE;
  if (!mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if ((school_id == NULL || mamori_event_log_rebuild (&self->db, school_id, &local_error))
      && mamori_db_exec (&self->db, "DELETE FROM meta WHERE key = 'refold'; COMMIT", &local_error))
    return TRUE;
  sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
  return records_altered (error, local_error);
}

gboolean
_mamori_vault_trust_slot (MamoriVault *self, MamoriKeySlot *slot, GError **error)
{
  GError *local_error = NULL;
  gboolean exists;

  if (self->key_file->has_mac
      && !mamori_key_file_check_mac (self->key_file, self->keys->master_key, error))
    return FALSE;
  if (!mamori_event_log_check (&self->db, FALSE, NULL, &local_error))
    return records_altered (error, local_error);
  if (!refold_if_asked (self, error))
    return FALSE;
  g_clear_pointer (&self->school_id, g_free);
  self->school_id = mamori_vault_get_meta (self, "school_id");
  if (!apply_pending (self, error) || !mamori_roster_exists (&self->db, &exists, error))
    return FALSE;
  if (is_enrolling (self, slot, exists, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;

  if (!exists && !self->key_file->has_mac)
    {
      g_autofree char *user = g_strdup (slot->user);

      if (!build_first_roster (self, slot, error))
        return FALSE;
      slot = mamori_key_file_find_user (self->key_file, user);
    }
  else if (!exists)
    return slot_altered (error, _ ("The vault’s records have been altered: they hold no staff "
                                   "roster"));
  else if (!self->key_file->has_mac)
    return slot_altered (error, _ ("The key file has been altered: its seal was removed"));

  if (!read_school_id (self, error))
    return FALSE;
  return slot->kind == MAMORI_KEY_SLOT_USER ? check_user_slot (self, slot, error)
                                            : check_recovery_slot (self, slot, error);
}
