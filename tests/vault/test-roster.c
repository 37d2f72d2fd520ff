/* test-roster.c — the attacks of issue 6 on the vault's key file and roster, each refused;
 * the roster's rules for every role; a vault of Mamori 0.1 turned into a roster; a change
 * cut off between the key file and the database, finished at the next unlock
 *
 * A "colleague" below has their own passphrase, so can open their slot, learn the master
 * key and write the key file with a correct MAC; "someone with only the files" cannot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mamori-event-log.h"
#include "mamori-policy.h"
#include "mamori-register.h"
#include "mamori-roster.h"
#include "mamori-text.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

#define PRINCIPAL "校長 一郎"
#define TEACHER "教諭 花子"
#define OFFICE "事務 次郎"
static const char principal_pass[] = "principal passphrase";
static const char teacher_pass[] = "teacher passphrase";
static const char office_pass[] = "office passphrase";
static const char new_pass[] = "a new passphrase 2026";

typedef struct
{
  char *dir;
  char *path;
  char *key_path;
  MamoriVault *vault;
  char *recovery_code;
} Fixture;

static gboolean
keep_code (const char *code, gpointer data, GError **error)
{
  char **out = data;

  mamori_secure_free (*out);
  *out = mamori_secure_strdup (code);
  return TRUE;
}

/* A principal, a teacher and office staff; the vault is left unlocked as the principal. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->key_path = mamori_vault_get_key_file_path (f->path);
  f->vault = mamori_vault_create (f->path, "名簿テスト中学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                                  principal_pass, keep_code, &f->recovery_code, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->vault, TEACHER, MAMORI_ROLE_TEACHER, teacher_pass, &error));
  g_assert_true (mamori_vault_add_user (f->vault, OFFICE, MAMORI_ROLE_OFFICE, office_pass, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->vault);
  mamori_secure_free (f->recovery_code);
  vfs_test_remove_dir (f->dir);
  g_free (f->key_path);
  g_free (f->path);
  g_free (f->dir);
}

static void
unlock_ok (MamoriVault *vault, const char *user, const char *passphrase)
{
  g_autoptr (GError) error = NULL;

  mamori_vault_unlock (vault, user, passphrase, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_vault_get_user (vault), ==, user);
}

/* Refused with @code, whose message holds @in_message; the vault stays locked. */
static void
unlock_refused (MamoriVault *vault,
                const char *user,
                const char *passphrase,
                GQuark domain,
                int code,
                const char *in_message)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mamori_vault_unlock (vault, user, passphrase, &error));
  g_assert_error (error, domain, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” is not in “%s”", in_message, error->message);
  g_assert_false (mamori_vault_is_unlocked (vault));
}

/* The master key, as a colleague who knows @passphrase gets it from their own slot. */
static guint8 *
colleague_master_key (Fixture *f, const char *user, const char *passphrase)
{
  g_autoptr (MamoriKeyFile) key_file = mamori_key_file_load (f->key_path, NULL);
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  guint8 *master = mamori_secure_alloc (MAMORI_KEY_SIZE);

  g_assert_true (mamori_key_slot_open (mamori_key_file_find_user (key_file, user), passphrase,
                                       strlen (passphrase), keys, NULL));
  memcpy (master, keys->master_key, MAMORI_KEY_SIZE);
  return master;
}

static GBytes *
read_file (const char *path)
{
  return vfs_test_read_file (path);
}

/* --- the attacks ---------------------------------------------------------------------- */

/* A teacher ran `vault add-user --role principal`, then removed the principal. */
static void
test_teacher_cannot_change_the_roster (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TEACHER, teacher_pass);
  g_assert_false (
      mamori_vault_add_user (f->vault, "偽の校長", MAMORI_ROLE_PRINCIPAL, new_pass, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_false (mamori_vault_remove_user (f->vault, PRINCIPAL, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_false (mamori_vault_set_role (f->vault, TEACHER, MAMORI_ROLE_PRINCIPAL, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* Nothing of it reached the key file either. */
  {
    g_auto (GStrv) users = mamori_vault_list_users (f->vault);

    g_assert_cmpstrv (users, ((const char *[]){ PRINCIPAL, TEACHER, OFFICE, NULL }));
  }
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
}

/* A colleague renamed their own slot and made it "principal" in the key file. */
static void
test_slot_renamed_and_promoted (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (GBytes) saved = NULL;
  guint8 *master = NULL;
  MamoriKeySlot *slot;

  mamori_vault_lock (f->vault);
  saved = read_file (f->key_path);
  master = colleague_master_key (f, TEACHER, teacher_pass);

  /* With only the files (no MAC): the seal is broken. */
  key_file = mamori_key_file_load (f->key_path, NULL);
  slot = mamori_key_file_find_user (key_file, TEACHER);
  slot->role = MAMORI_ROLE_PRINCIPAL;
  {
    guint8 wrong[MAMORI_KEY_SIZE] = { 1 };

    g_assert_true (mamori_key_file_save (key_file, f->key_path, wrong, 0600, NULL));
  }
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "seal does not match");
  unlock_refused (f->vault, PRINCIPAL, principal_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_DAMAGED, "seal does not match");

  /* As the colleague, with a correct MAC: the roster says teacher. */
  g_assert_true (mamori_key_file_save (key_file, f->key_path, master, 0600, NULL));
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "the staff roster says");

  /* Renamed to the principal's name as well (the principal's slot taken out). */
  mamori_key_file_remove_user (key_file, PRINCIPAL);
  g_free (slot->user);
  slot->user = g_strdup (PRINCIPAL);
  g_assert_true (mamori_key_file_save (key_file, f->key_path, master, 0600, NULL));
  unlock_refused (f->vault, PRINCIPAL, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "not one on the staff roster");

  /* Renamed to somebody who does not exist. */
  g_free (slot->user);
  slot->user = g_strdup ("新しい校長");
  g_assert_true (mamori_key_file_save (key_file, f->key_path, master, 0600, NULL));
  unlock_refused (f->vault, "新しい校長", teacher_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_DAMAGED, "not on the school’s staff roster");

  vfs_test_write_file (f->key_path, saved);
  unlock_ok (f->vault, TEACHER, teacher_pass);
  g_assert_false (mamori_vault_unlocked_by_administrator (f->vault));
  mamori_secure_free (master);
}

/* A removed colleague pasted back a saved copy of their slot. */
static void
test_removed_slot_pasted_back (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriKeyFile) before = mamori_key_file_load (f->key_path, NULL);
  g_autoptr (MamoriKeyFile) after = NULL;
  g_autoptr (GBytes) whole_before = read_file (f->key_path);
  guint8 *master = colleague_master_key (f, TEACHER, teacher_pass);
  MamoriKeySlot *saved;

  g_assert_true (mamori_vault_remove_user (f->vault, TEACHER, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);

  /* The slot pasted back with a MAC made with the master key it still knows. */
  after = mamori_key_file_load (f->key_path, NULL);
  saved = mamori_key_file_find_user (before, TEACHER);
  g_ptr_array_steal_index (before->slots, 1);
  mamori_key_file_add_slot (after, saved);
  g_assert_true (mamori_key_file_save (after, f->key_path, master, 0600, NULL));
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "not on the school’s staff roster");
  /* The whole old key file back: its roster entry is gone all the same. */
  vfs_test_write_file (f->key_path, whole_before);
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "not on the school’s staff roster");

  /* After rotate-key, the copy does not even hold the key any more. */
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  vfs_test_write_file (f->key_path, whole_before);
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "another database");
  mamori_secure_free (master);
}

/* A slot planted in the key file, by someone with no passphrase and by a colleague; a
 * recovery slot replaced.  rotate-key seals the new key to neither. */
static void
test_planted_slots (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (GBytes) saved = read_file (f->key_path);
  guint8 *master = colleague_master_key (f, TEACHER, teacher_pass);
  guint8 recovery_key[32] = { 42 };
  MamoriKeySlot *planted;

  mamori_vault_lock (f->vault);

  /* No passphrase: the slot would have to hold the master key, which only a user has;
   * any slot added without it breaks the seal. */
  key_file = mamori_key_file_load (f->key_path, NULL);
  {
    guint8 guess[MAMORI_KEY_SIZE] = { 7 };
    guint8 wrong[MAMORI_KEY_SIZE] = { 9 };

    mamori_key_file_add_slot (key_file,
                              mamori_key_slot_new (MAMORI_KEY_SLOT_USER, "侵入者",
                                                   MAMORI_ROLE_BOARD, "x", 1, guess, NULL, NULL));
    g_assert_true (mamori_key_file_save (key_file, f->key_path, wrong, 0600, NULL));
  }
  unlock_refused (f->vault, PRINCIPAL, principal_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_DAMAGED, "seal does not match");
  vfs_test_write_file (f->key_path, saved);
  g_clear_pointer (&key_file, mamori_key_file_free);

  /* A colleague's planted slot and replaced recovery slot, correctly sealed. */
  key_file = mamori_key_file_load (f->key_path, NULL);
  planted = mamori_key_slot_new (MAMORI_KEY_SLOT_USER, "侵入者", MAMORI_ROLE_BOARD, "x", 1, master,
                                 NULL, NULL);
  mamori_key_file_add_slot (key_file, planted);
  mamori_key_file_add_slot (key_file,
                            mamori_key_slot_new (MAMORI_KEY_SLOT_RECOVERY, NULL, 0, recovery_key,
                                                 sizeof recovery_key, master, NULL, NULL));
  g_assert_true (mamori_key_file_save (key_file, f->key_path, master, 0600, NULL));
  unlock_refused (f->vault, "侵入者", "x", MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "not on the school’s staff roster");
  g_assert_false (mamori_vault_unlock_with_recovery (f->vault, f->recovery_code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE);
  g_clear_error (&error);

  /* The school's next rotation refuses a recovery slot that is not the roster's … */
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  g_assert_false (mamori_vault_rotate_key (f->vault, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "recovery slot"));
  g_clear_error (&error);
  /* … and, with the recovery slot made anew, drops the planted user slot. */
  g_assert_true (
      mamori_vault_replace_recovery_code (f->vault, keep_code, &f->recovery_code, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_assert_no_error (error);
  g_assert_null (mamori_key_file_find_user (mamori_vault_get_key_file (f->vault), "侵入者"));
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TEACHER, teacher_pass);
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, f->recovery_code, &error));
  g_assert_no_error (error);
  mamori_secure_free (master);
}

/* An old key file and the old passphrase, after passwd and rotate-key. */
static void
test_old_passphrase_after_passwd (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) old_key_file = read_file (f->key_path);
  g_autoptr (GBytes) new_key_file = NULL;
  g_autoptr (MamoriKeyFile) old = mamori_key_file_load (f->key_path, NULL);
  g_autoptr (MamoriKeyFile) current = NULL;
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  MamoriKeySlot *old_slot = mamori_key_file_find_user (old, TEACHER);

  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TEACHER, teacher_pass);
  g_assert_true (mamori_vault_change_passphrase (f->vault, teacher_pass, new_pass, &error));
  g_assert_no_error (error);
  /* The slot has a new key pair, not just a new wrapping. */
  current = mamori_key_file_load (f->key_path, NULL);
  g_assert_false (memcmp (mamori_key_file_find_user (current, TEACHER)->slot_public,
                          old_slot->slot_public, MAMORI_KEY_SIZE)
                  == 0);
  new_key_file = read_file (f->key_path);

  /* Before rotation the old copy still decrypts the key (the master key is the same), but
   * the roster knows that slot is not the teacher's any more. */
  mamori_vault_lock (f->vault);
  vfs_test_write_file (f->key_path, old_key_file);
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "not one on the staff roster");

  /* The colleague pastes the old slot over the new one (sealing the file with the master
   * key they hold), and the school then rotates: the new key is sealed to the roster's
   * keys only, so the pasted slot is dropped, not resealed. */
  {
    g_autoptr (MamoriKeyFile) pasted = mamori_key_file_load (f->key_path, NULL);
    guint8 *master = colleague_master_key (f, OFFICE, office_pass);
    MamoriKeySlot *copy = g_memdup2 (old_slot, sizeof *old_slot);

    copy->user = g_strdup (old_slot->user);
    copy->pending_payload = NULL;
    vfs_test_write_file (f->key_path, new_key_file);
    g_clear_pointer (&pasted, mamori_key_file_free);
    pasted = mamori_key_file_load (f->key_path, NULL);
    mamori_key_file_add_slot (pasted, copy);
    g_assert_true (mamori_key_file_save (pasted, f->key_path, master, 0600, NULL));
    mamori_secure_free (master);
  }
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_assert_no_error (error);
  g_assert_null (mamori_key_file_find_user (mamori_vault_get_key_file (f->vault), TEACHER));
  mamori_vault_lock (f->vault);

  /* After rotation: nothing is sealed to the old slot's key any more, and the old key
   * file is another database's. */
  {
    g_autoptr (MamoriKeyFile) rotated = mamori_key_file_load (f->key_path, NULL);

    for (guint i = 0; i < rotated->slots->len; i++)
      g_assert_false (memcmp (((MamoriKeySlot *)rotated->slots->pdata[i])->slot_public,
                              old_slot->slot_public, MAMORI_KEY_SIZE)
                      == 0);
  }
  g_assert_true (mamori_key_slot_open (old_slot, teacher_pass, strlen (teacher_pass), keys, NULL));
  vfs_test_write_file (f->key_path, old_key_file);
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "another database");
}

/* The records themselves changed by a colleague with the master key. */
static void
test_records_altered (Fixture *f, gconstpointer data)
{
  /* The teacher's staff-added, made to say "principal", and the roster's table with it. */
  vfs_test_exec (mamori_vault_get_db (f->vault),
                 "UPDATE events SET payload = CAST(replace(CAST(payload AS TEXT), "
                 "'\"role\":\"teacher\"', '\"role\":\"principal\"') AS BLOB) "
                 "WHERE type = 'staff-added' AND CAST(payload AS TEXT) LIKE '%教諭 花子%';"
                 "UPDATE staff SET role = 'principal' WHERE name = '教諭 花子'");
  mamori_vault_lock (f->vault);
  unlock_refused (f->vault, TEACHER, teacher_pass, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                  "records have been altered");
  unlock_refused (f->vault, PRINCIPAL, principal_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_DAMAGED, "records have been altered");
}

/* The seal taken off: a key file of version 1 on a vault that has a roster. */
static void
test_seal_removed (Fixture *f, gconstpointer data)
{
  g_autofree char *json = NULL;
  g_autoptr (GRegex) version = g_regex_new ("\"version\" : 2", 0, 0, NULL);
  g_autoptr (GRegex) mac = g_regex_new (",\\s*\"mac\" : \"[^\"]*\"", 0, 0, NULL);
  g_autofree char *v1 = NULL, *bare = NULL;

  mamori_vault_lock (f->vault);
  g_assert_true (g_file_get_contents (f->key_path, &json, NULL, NULL));
  v1 = g_regex_replace_literal (version, json, -1, 0, "\"version\" : 1", 0, NULL);
  bare = g_regex_replace_literal (mac, v1, -1, 0, "", 0, NULL);
  g_assert_cmpstr (bare, !=, v1);
  g_assert_true (g_file_set_contents (f->key_path, bare, -1, NULL));
  unlock_refused (f->vault, PRINCIPAL, principal_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_DAMAGED, "seal was removed");
}

/* --- the roster's rules for every role --------------------------------------------------- */

static void
test_rules_for_every_role (Fixture *f, gconstpointer data)
{
  static const char *const names[MAMORI_N_ROLES]
      = { "役割 教諭", "役割 副校長", "役割 校長", "役割 事務", "役割 教育委員会" };
  g_autoptr (GError) error = NULL;

  for (MamoriRole role = 0; role < MAMORI_N_ROLES; role++)
    {
      gboolean administrator = mamori_role_is_administrator (role);
      g_autofree char *someone = g_strdup_printf ("対象 %d", role);

      unlock_ok (f->vault, PRINCIPAL, principal_pass);
      g_assert_true (mamori_vault_add_user (f->vault, names[role], role, new_pass, &error));
      g_assert_true (
          mamori_vault_add_user (f->vault, someone, MAMORI_ROLE_TEACHER, new_pass, &error));
      g_assert_no_error (error);
      mamori_vault_lock (f->vault);
      unlock_ok (f->vault, names[role], new_pass);

      /* Adding, changing a role, removing: administrators only. */
      g_assert_cmpint (
          mamori_vault_add_user (f->vault, "新人", MAMORI_ROLE_TEACHER, new_pass, &error), ==,
          administrator);
      if (!administrator)
        g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
      g_clear_error (&error);
      g_assert_cmpint (mamori_vault_set_role (f->vault, someone, MAMORI_ROLE_OFFICE, &error), ==,
                       administrator);
      g_clear_error (&error);
      g_assert_cmpint (mamori_vault_remove_user (f->vault, someone, &error), ==, administrator);
      g_clear_error (&error);
      /* Nobody changes their own role: not up, not down. */
      g_assert_false (mamori_vault_set_role (f->vault, names[role], MAMORI_ROLE_BOARD, &error));
      g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
      g_clear_error (&error);
      g_assert_false (mamori_vault_set_role (f->vault, names[role], MAMORI_ROLE_TEACHER, &error));
      g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
      g_clear_error (&error);
      /* The recovery code, the policy: administrators only. */
      g_assert_cmpint (
          mamori_vault_replace_recovery_code (f->vault, keep_code, &f->recovery_code, &error), ==,
          administrator);
      g_clear_error (&error);
      {
        g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("mext-2025", NULL);

        g_assert_cmpint (mamori_vault_store_policy (f->vault, policy, &error), ==, administrator);
        g_clear_error (&error);
      }
      /* Replacing the vault's key: administrators only. */
      g_assert_cmpint (mamori_vault_rotate_key (f->vault, &error), ==, administrator);
      if (!administrator)
        g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
      g_clear_error (&error);
      /* Everyone changes their own passphrase. */
      g_assert_true (mamori_vault_change_passphrase (f->vault, new_pass, new_pass, &error));
      g_assert_no_error (error);

      if (administrator)
        g_assert_true (mamori_vault_remove_user (f->vault, "新人", &error));
      g_assert_no_error (error);
      mamori_vault_lock (f->vault);
    }

  /* The last administrator stays; another administrator changes a principal's role. */
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  for (MamoriRole role = 0; role < MAMORI_N_ROLES; role++)
    if (mamori_role_is_administrator (role))
      g_assert_true (mamori_vault_remove_user (f->vault, names[role], NULL));
  g_assert_false (mamori_vault_remove_user (f->vault, PRINCIPAL, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_assert_nonnull (strstr (error->message, "last administrator"));
  g_clear_error (&error);
  g_assert_true (
      mamori_vault_add_user (f->vault, "次の校長", MAMORI_ROLE_VICE_PRINCIPAL, new_pass, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "次の校長", new_pass);
  g_assert_true (mamori_vault_set_role (f->vault, PRINCIPAL, MAMORI_ROLE_TEACHER, &error));
  g_assert_no_error (error);
  /* An administrator who removes themselves is locked out at once. */
  g_assert_true (mamori_vault_add_user (f->vault, "一時の副校長", MAMORI_ROLE_VICE_PRINCIPAL,
                                        new_pass, &error));
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "一時の副校長", new_pass);
  g_assert_true (mamori_vault_remove_user (f->vault, "一時の副校長", &error));
  g_assert_no_error (error);
  g_assert_false (mamori_vault_is_unlocked (f->vault));
  unlock_refused (f->vault, "一時の副校長", new_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_NO_SUCH_USER, NULL);
  unlock_ok (f->vault, "次の校長", new_pass);
  /* Now the last administrator again, and cannot be demoted by anyone. */
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  g_assert_false (mamori_vault_unlocked_by_administrator (f->vault));
}

/* --- names, passphrases, KDF caps -------------------------------------------------------- */

static void
test_names (Fixture *f, gconstpointer data)
{
  static const char *const bad[]
      = { "", "   ", "a\u202eb", "a\u2066b", "tab\tname", "nl\nname", "zero\u200bwidth", NULL };
  g_autofree char *long_name = g_strnfill (201, 'x');
  g_autoptr (GError) error = NULL;

  for (const char *const *name = bad; *name != NULL; name++)
    {
      g_assert_false (
          mamori_vault_add_user (f->vault, *name, MAMORI_ROLE_TEACHER, new_pass, &error));
      g_assert_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (
      mamori_vault_add_user (f->vault, long_name, MAMORI_ROLE_TEACHER, new_pass, &error));
  g_assert_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID);
  g_clear_error (&error);
  long_name[200] = '\0';
  g_assert_true (
      mamori_vault_add_user (f->vault, long_name, MAMORI_ROLE_TEACHER, new_pass, &error));
  g_assert_no_error (error);

  /* NFC and trimmed: ideographic spaces around, a decomposed "ド". */
  g_assert_true (mamori_vault_add_user (f->vault, "\u3000 \u30c8\u3099\u30f3\u3000",
                                        MAMORI_ROLE_TEACHER, new_pass, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "\u30c9\u30f3", new_pass);
}

static void
test_passphrase_nfc (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* "パスワード です" set as NFC, typed as NFD, and the other way round. */
  static const char nfc[] = "\u30d1\u30b9\u30ef\u30fc\u30c9 \u3067\u3059";
  static const char nfd[] = "\u30cf\u309a\u30b9\u30ef\u30fc\u30c8\u3099 \u3066\u3099\u3059";

  g_assert_true (mamori_vault_add_user (f->vault, "正規化", MAMORI_ROLE_TEACHER, nfd, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "正規化", nfc);
  unlock_ok (f->vault, "正規化", nfd);
  g_assert_true (mamori_vault_change_passphrase (f->vault, nfd, nfc, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "正規化", nfd);
}

static void
test_kdf_caps (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GRegex) passes = g_regex_new ("\"iterations\" : [0-9]+", 0, 0, NULL);
  g_autofree char *edited = NULL;

  g_clear_object (&f->vault);
  g_assert_true (g_file_get_contents (f->key_path, &json, NULL, NULL));
  edited = g_regex_replace_literal (passes, json, -1, 0, "\"iterations\" : 1000", 0, NULL);
  g_assert_true (g_file_set_contents (f->key_path, edited, -1, NULL));
  g_assert_null (mamori_vault_open (f->path, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "iterations"));
}

/* --- files: modes, the lock file ----------------------------------------------------------- */

static int
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_rotate_keeps_modes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  static const int modes[][2] = { { 0600, 0600 }, { 0640, 0600 }, { 0660, 0640 } };

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_assert_cmpint (g_chmod (f->path, modes[i][0]), ==, 0);
      g_assert_cmpint (g_chmod (f->key_path, modes[i][1]), ==, 0);
      g_assert_true (mamori_vault_rotate_key (f->vault, &error));
      g_assert_no_error (error);
      g_assert_cmpint (mode_of (f->path), ==, modes[i][0]);
      g_assert_cmpint (mode_of (f->key_path), ==, modes[i][1]);
    }
}

/* While another program has the vault open, a rotation says the vault is busy; leftovers of
 * a rotation are not removed while another program rotates. */
static void
test_lock_file (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) other = mamori_vault_open (f->path, &error);
  g_autofree char *lock_path = g_strconcat (f->path, "-lock", NULL);
  g_autofree char *rotating = g_strconcat (f->path, ".rotating", NULL);
  g_autofree char *rotating_keys = g_strconcat (f->key_path, ".rotating", NULL);
  int fd;

  g_assert_no_error (error);
  unlock_ok (other, TEACHER, teacher_pass);
  g_assert_false (mamori_vault_rotate_key (f->vault, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BUSY);
  g_clear_error (&error);
  /* Both still work; then, the other locked, the rotation goes through. */
  g_assert_true (mamori_vault_verify (other, &error));
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);
  mamori_vault_lock (other);
  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_assert_no_error (error);
  unlock_ok (other, TEACHER, teacher_pass);
  mamori_vault_lock (other);
  mamori_vault_lock (f->vault);

  /* A rotation under way elsewhere (its exclusive lock held here by hand). */
  g_assert_true (g_file_set_contents (rotating, "a new database being written", -1, NULL));
  g_assert_true (g_file_set_contents (rotating_keys, "its key file", -1, NULL));
  fd = g_open (lock_path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  {
    g_autoptr (MamoriVault) third = mamori_vault_open (f->path, &error);

    g_assert_null (third);
    g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BUSY);
    g_clear_error (&error);
  }
  g_assert_true (g_file_test (rotating, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (rotating_keys, G_FILE_TEST_EXISTS));
  close (fd);
  {
    g_autoptr (MamoriVault) third = mamori_vault_open (f->path, &error);

    g_assert_no_error (error);
  }
  g_assert_false (g_file_test (rotating, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (rotating_keys, G_FILE_TEST_EXISTS));
}

/* --- a change cut off between the key file and the database -------------------------------- */

/* The database as it was before @change, the key file as after: what a crash leaves when
 * it comes after the key file was written and before the transaction committed. */
static void
cut_off (Fixture *f, void (*change) (Fixture *f))
{
  g_autoptr (GBytes) database = NULL;

  mamori_vault_lock (f->vault);
  database = read_file (f->path);
  unlock_ok (f->vault, PRINCIPAL, principal_pass);
  change (f);
  mamori_vault_lock (f->vault);
  vfs_test_write_file (f->path, database);
}

static void
add_kato (Fixture *f)
{
  g_assert_true (mamori_vault_add_user (f->vault, "加藤", MAMORI_ROLE_TEACHER, new_pass, NULL));
}

static void
teacher_to_office (Fixture *f)
{
  g_assert_true (mamori_vault_set_role (f->vault, TEACHER, MAMORI_ROLE_OFFICE, NULL));
}

static void
principal_passwd (Fixture *f)
{
  g_assert_true (mamori_vault_change_passphrase (f->vault, principal_pass, new_pass, NULL));
}

static void
test_cut_off_changes_finish (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MamoriRole role;

  /* A new user: their first unlock appends the staff-added that made them. */
  cut_off (f, add_kato);
  unlock_ok (f->vault, "加藤", new_pass);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);

  /* A role: anybody's unlock finishes it (here the teacher's own). */
  cut_off (f, teacher_to_office);
  unlock_ok (f->vault, OFFICE, office_pass);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TEACHER, teacher_pass);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_OFFICE);

  /* A new passphrase: the new one opens, with the new keys on the roster. */
  cut_off (f, principal_passwd);
  unlock_refused (f->vault, PRINCIPAL, principal_pass, MAMORI_VAULT_ERROR,
                  MAMORI_VAULT_ERROR_WRONG_PASSPHRASE, NULL);
  unlock_ok (f->vault, PRINCIPAL, new_pass);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);
}

/* --- a vault made by Mamori 0.1 -------------------------------------------------------------- */

static void
copy_legacy (Fixture *f)
{
  g_autofree char *data
      = g_test_build_filename (G_TEST_DIST, "vault", "data", "legacy.mamori", NULL);
  g_autofree char *data_keys = g_strconcat (data, "-keys", NULL);
  g_autoptr (GBytes) database = read_file (data), keys = read_file (data_keys);

  g_clear_object (&f->vault);
  vfs_test_write_file (f->path, database);
  vfs_test_write_file (f->key_path, keys);
}

static char *
legacy_recovery_code (void)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "vault", "data", "recovery-code", NULL);
  char *code = NULL;

  g_assert_true (g_file_get_contents (path, &code, NULL, NULL));
  return g_strstrip (code);
}

static void
test_legacy_vault (Fixture *f, gconstpointer data)
{
  static const char suzuki_nfd[] = "\u3059\u3059\u3099\u304d\u306e\u30cf\u309a\u30b9\u30ef\u30fc"
                                   "\u30c8\u3099\u3066\u3099\u3059";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) staff = NULL;
  g_autofree char *code = legacy_recovery_code ();
  MamoriRole role;

  copy_legacy (f);
  f->vault = mamori_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_vault_get_school (f->vault), ==, "レガシー小学校");

  /* The recovery code and a teacher cannot be first: no roster to trust yet. */
  g_assert_false (mamori_vault_unlock_with_recovery (f->vault, code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  unlock_refused (f->vault, "鈴木", suzuki_nfd, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                  "must unlock it once");

  /* The vice-principal builds it: everyone, with the roles the database had. */
  unlock_ok (f->vault, "佐藤", "legacy vice principal");
  g_assert_cmpint (mamori_vault_get_schema_version (f->vault), ==, MAMORI_VAULT_SCHEMA_VERSION);
  staff = mamori_vault_list_staff (f->vault, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 3);
  g_assert_cmpstr (((MamoriStaff *)staff->pdata[0])->name, ==, "佐藤");
  g_assert_cmpint (((MamoriStaff *)staff->pdata[2])->role, ==, MAMORI_ROLE_PRINCIPAL);
  g_assert_cmpuint (mamori_vault_get_key_file (f->vault)->version, ==, MAMORI_KEY_FILE_VERSION);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);

  /* A passphrase typed in NFD when it was set still opens its slot as typed. */
  unlock_ok (f->vault, "鈴木", suzuki_nfd);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
  unlock_ok (f->vault, "高橋", "legacy principal pass");
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, code, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_vault_recover (f->vault, code, "鈴木", new_pass, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "鈴木", new_pass);
}

/* --- a vault made at schema 4 ------------------------------------------------------------- */

static const MamoriRegisterEntry *
find_entry (GPtrArray *entries, const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((MamoriRegisterEntry *)entries->pdata[i])->name, name))
      return entries->pdata[i];
  return NULL;
}

static void
test_schema4_vault (Fixture *f, gconstpointer data)
{
  g_autofree char *database_path
      = g_test_build_filename (G_TEST_DIST, "vault", "data", "schema4.mamori", NULL);
  g_autofree char *keys_path = g_strconcat (database_path, "-keys", NULL);
  g_autofree char *code_path
      = g_test_build_filename (G_TEST_DIST, "vault", "data", "schema4-recovery-code", NULL);
  g_autoptr (GBytes) database = read_file (database_path), keys = read_file (keys_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) staff = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autofree char *code = NULL;
  const MamoriRegisterEntry *entry;
  MamoriRole role;

  g_clear_object (&f->vault);
  vfs_test_write_file (f->path, database);
  vfs_test_write_file (f->key_path, keys);
  g_assert_true (g_file_get_contents (code_path, &code, NULL, NULL));
  g_strstrip (code);

  f->vault = mamori_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_vault_get_school (f->vault), ==, "さくら小学校");

  /* The first unlock migrates and folds the records again, in the new order. */
  unlock_ok (f->vault, "事務 次郎", "v4 office pass");
  g_assert_cmpint (mamori_vault_get_schema_version (f->vault), ==, MAMORI_VAULT_SCHEMA_VERSION);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);

  staff = mamori_vault_list_staff (f->vault, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 3);

  /* The policy installed with its mapping, and the register it moved. */
  policy = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_policy_get_id (policy), ==, "mext-2025");
  entries = mamori_register_list (mamori_vault_get_store (f->vault), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = find_entry (entries, "指導要録");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->level, ==, "I");
  g_assert_cmpstr (entry->location, ==, "共有フォルダ");
  g_assert_cmpstr (entry->created_by, ==, "事務 次郎");
  entry = find_entry (entries, "出席簿");
  g_assert_nonnull (entry);
  /* Lowered below oita-abcd's A, it is now above mext-2025's Ⅲ: no longer lowered. */
  g_assert_cmpstr (entry->level, ==, "II");
  g_assert_false (entry->lowered);

  /* Every person opens with the passphrase they had, the teacher with her new keys. */
  unlock_ok (f->vault, "校長 太郎", "v4 principal pass");
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_PRINCIPAL);
  unlock_ok (f->vault, "教諭 花子", "v4 teacher new pass");
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
  mamori_vault_lock (f->vault);
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, code, &error));
  g_assert_no_error (error);

  /* And it goes on: a new record signs and checks. */
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, "校長 太郎", "v4 principal pass");
  g_assert_true (mamori_vault_set_role (f->vault, "教諭 花子", MAMORI_ROLE_OFFICE, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/roster/teacher-cannot-change-the-roster", test_teacher_cannot_change_the_roster);
  ADD ("/roster/slot-renamed-and-promoted", test_slot_renamed_and_promoted);
  ADD ("/roster/removed-slot-pasted-back", test_removed_slot_pasted_back);
  ADD ("/roster/planted-slots", test_planted_slots);
  ADD ("/roster/old-passphrase-after-passwd", test_old_passphrase_after_passwd);
  ADD ("/roster/records-altered", test_records_altered);
  ADD ("/roster/seal-removed", test_seal_removed);
  ADD ("/roster/rules-for-every-role", test_rules_for_every_role);
  ADD ("/roster/names", test_names);
  ADD ("/roster/passphrase-nfc", test_passphrase_nfc);
  ADD ("/roster/kdf-caps", test_kdf_caps);
  ADD ("/roster/rotate-keeps-modes", test_rotate_keeps_modes);
  ADD ("/roster/lock-file", test_lock_file);
  ADD ("/roster/cut-off-changes-finish", test_cut_off_changes_finish);
  ADD ("/roster/legacy-vault", test_legacy_vault);
  ADD ("/roster/schema4-vault", test_schema4_vault);
#undef ADD
  return g_test_run ();
}
