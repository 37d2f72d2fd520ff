/* test-vault.c — MamoriVault: users, passphrases, recovery, rotation, signing, schema
 *
 * Runs with MAMORI_KDF_TEST_FAST=1 (1 Argon2id pass over 8 MiB) so that the many
 * unlocks stay fast; the parameters are stored per slot, so nothing else changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mamori-recovery-code.h"
#include "mamori-roster.h"
#include "mamori-text.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

#define YAMADA "山田"
#define TANAKA "tanaka"
static const char yamada_pass[] = "桜の木の下で 2024";
static const char tanaka_pass[] = "correct horse battery";
static const char new_pass[] = "a brand new passphrase";
static const char marker[] = "MARKER-個人情報-7f3a9c";

typedef struct
{
  char *dir;
  char *path;
  char *key_path;
  MamoriVault *vault;
  char *recovery_code;
} Fixture;

/* A MamoriRecoveryCodeSink that keeps the code. */
static gboolean
keep_code (const char *code, gpointer data, GError **error)
{
  char **out = data;

  mamori_secure_free (*out);
  *out = mamori_secure_strdup (code);
  return TRUE;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->key_path = mamori_vault_get_key_file_path (f->path);
  f->vault = mamori_vault_create (f->path, "テスト小学校", YAMADA, MAMORI_ROLE_VICE_PRINCIPAL,
                                  yamada_pass, keep_code, &f->recovery_code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->vault);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->vault);
  mamori_secure_free (f->recovery_code);
  vfs_test_remove_dir (f->dir);
  g_free (f->key_path);
  g_free (f->path);
  g_free (f->dir);
}

static void
exec (MamoriVault *vault, const char *sql)
{
  vfs_test_exec (mamori_vault_get_db (vault), sql);
}

static void
store_markers (MamoriVault *vault)
{
  sqlite3 *db = mamori_vault_get_db (vault);
  sqlite3_stmt *stmt = NULL;

  exec (vault, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO notes (text) VALUES (?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %d", marker, i);

      sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
}

static int
query_int (MamoriVault *vault, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (mamori_vault_get_db (vault), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
assert_markers (MamoriVault *vault)
{
  g_assert_cmpint (query_int (vault, "SELECT count(*) FROM notes WHERE text LIKE 'MARKER-%'"), ==,
                   200);
}

static void
unlock_ok (MamoriVault *vault, const char *user, const char *passphrase)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_vault_unlock (vault, user, passphrase, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_vault_get_user (vault), ==, user);
}

static void
unlock_fails (MamoriVault *vault, const char *user, const char *passphrase, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mamori_vault_unlock (vault, user, passphrase, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, code);
  g_assert_false (mamori_vault_is_unlocked (vault));
}

static void
add_tanaka (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      mamori_vault_add_user (f->vault, TANAKA, MAMORI_ROLE_TEACHER, tanaka_pass, &error));
  g_assert_no_error (error);
}

/* name → SHA-256 of every file in the vault's folder. */
static GHashTable *
hash_dir (const char *dir)
{
  GHashTable *hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GBytes) bytes = vfs_test_read_file (path);

      g_hash_table_insert (hashes, g_strdup (name),
                           g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes));
    }
  return hashes;
}

static void
assert_same_hashes (GHashTable *before, GHashTable *after)
{
  GHashTableIter iter;
  gpointer name, hash;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &hash))
    g_assert_cmpstr (g_hash_table_lookup (after, name), ==, hash);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(int *)data)++;
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;
  g_autofree char *created_at = NULL;
  MamoriRole role;
  int notified = 0;

  g_assert_true (mamori_vault_is_unlocked (f->vault));
  g_assert_cmpstr (mamori_vault_get_user (f->vault), ==, YAMADA);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_VICE_PRINCIPAL);
  g_assert_cmpstr (mamori_vault_get_school (f->vault), ==, "テスト小学校");
  g_assert_cmpint (mamori_vault_get_schema_version (f->vault), ==, MAMORI_VAULT_SCHEMA_VERSION);
  created_at = mamori_vault_get_meta (f->vault, "created_at");
  g_assert_nonnull (created_at);
  store_markers (f->vault);

  g_signal_connect (f->vault, "notify::locked", G_CALLBACK (count_notify), &notified);
  mamori_vault_lock (f->vault);
  g_assert_cmpint (notified, ==, 1);
  mamori_vault_lock (f->vault);
  g_assert_cmpint (notified, ==, 1);
  g_assert_false (mamori_vault_is_unlocked (f->vault));
  g_assert_null (mamori_vault_get_db (f->vault));
  g_assert_null (mamori_vault_get_user (f->vault));
  g_assert_false (
      mamori_vault_add_user (f->vault, TANAKA, MAMORI_ROLE_TEACHER, tanaka_pass, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED);
  g_clear_error (&error);
  g_clear_object (&f->vault);

  /* A new process: open reads the key slots only. */
  f->vault = mamori_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (mamori_vault_is_unlocked (f->vault));
  g_assert_cmpstr (mamori_vault_get_school (f->vault), ==, "テスト小学校");
  users = mamori_vault_list_users (f->vault);
  g_assert_cmpstrv (users, ((const char *[]){ YAMADA, NULL }));
  g_assert_true (mamori_vault_lookup_role (f->vault, YAMADA, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_VICE_PRINCIPAL);

  g_signal_connect (f->vault, "notify::locked", G_CALLBACK (count_notify), &notified);
  unlock_ok (f->vault, YAMADA, yamada_pass);
  g_assert_cmpint (notified, ==, 2);
  assert_markers (f->vault);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);
}

static void
test_create_and_open_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *lone = g_build_filename (f->dir, "lone.mamori", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.mamori", NULL);
  g_autofree char *recovery_code = NULL;

  g_assert_null (mamori_vault_create (f->path, "X", "x", MAMORI_ROLE_PRINCIPAL, "pass", keep_code,
                                      &recovery_code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_EXISTS);
  g_clear_error (&error);

  /* A school is created by an administrator, with names that are names; nothing is left. */
  g_assert_null (mamori_vault_create (other, "X", "x", MAMORI_ROLE_TEACHER, "pass", keep_code,
                                      &recovery_code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  for (const char *const *name = (const char *[]){ "", " \u3000 ", "a\u202eb", "a\nb", NULL };
       *name != NULL; name++)
    {
      g_assert_null (mamori_vault_create (other, *name, "x", MAMORI_ROLE_PRINCIPAL, "pass",
                                          keep_code, &recovery_code, &error));
      g_assert_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_null (mamori_vault_create (other, "X", *name, MAMORI_ROLE_PRINCIPAL, "pass",
                                          keep_code, &recovery_code, &error));
      g_assert_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_null (recovery_code);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  g_assert_null (mamori_vault_open (lone, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT);
  g_clear_error (&error);

  /* A database without its key file cannot be opened, and says why. */
  g_assert_true (g_file_set_contents (lone, "not a database at all", -1, NULL));
  g_assert_null (mamori_vault_open (lone, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT);
  g_assert_nonnull (strstr (error->message, "lone.mamori-keys"));
  g_clear_error (&error);

  unlock_fails (f->vault, "nobody", yamada_pass, MAMORI_VAULT_ERROR_NO_SUCH_USER);
}

static void
test_two_users (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;
  MamoriRole role;

  add_tanaka (f);
  g_assert_false (
      mamori_vault_add_user (f->vault, TANAKA, MAMORI_ROLE_TEACHER, "whatever", &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  users = mamori_vault_list_users (f->vault);
  g_assert_cmpstrv (users, ((const char *[]){ YAMADA, TANAKA, NULL }));

  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TANAKA, tanaka_pass);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
  unlock_ok (f->vault, YAMADA, yamada_pass);
  g_assert_true (mamori_vault_get_role (f->vault, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_VICE_PRINCIPAL);

  /* Each opens with their own passphrase only. */
  unlock_fails (f->vault, YAMADA, tanaka_pass, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  unlock_fails (f->vault, TANAKA, yamada_pass, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
}

static void
test_remove_user (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  add_tanaka (f);
  g_assert_true (mamori_vault_remove_user (f->vault, TANAKA, &error));
  g_assert_no_error (error);
  /* The row stays, marked removed: the events tanaka signed keep an author. */
  g_assert_cmpint (query_int (f->vault, "SELECT count(*) FROM staff WHERE name = 'tanaka' AND "
                                        "removed_seq IS NOT NULL"),
                   ==, 1);

  g_assert_false (mamori_vault_remove_user (f->vault, TANAKA, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER);
  g_clear_error (&error);
  g_assert_false (mamori_vault_remove_user (f->vault, YAMADA, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_assert_nonnull (strstr (error->message, "last administrator"));

  unlock_fails (f->vault, TANAKA, tanaka_pass, MAMORI_VAULT_ERROR_NO_SUCH_USER);
  unlock_ok (f->vault, YAMADA, yamada_pass);
}

static void
test_wrong_passphrase_changes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) before = NULL, after_unlock = NULL, after_change = NULL;
  g_autoptr (GHashTable) after_recovery = NULL;
  g_autoptr (GError) error = NULL;
  guint8 key[MAMORI_RECOVERY_KEY_SIZE];
  g_autoptr (MamoriSecret) other_code = mamori_recovery_code_generate (key);

  add_tanaka (f);
  store_markers (f->vault);
  before = hash_dir (f->dir);

  g_assert_false (mamori_vault_change_passphrase (f->vault, tanaka_pass, new_pass, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  after_change = hash_dir (f->dir);
  assert_same_hashes (before, after_change);

  mamori_vault_lock (f->vault);
  unlock_fails (f->vault, YAMADA, "Yamada's passphrase?", MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  unlock_fails (f->vault, TANAKA, "", MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  after_unlock = hash_dir (f->dir);
  assert_same_hashes (before, after_unlock);

  g_assert_false (mamori_vault_recover (f->vault, other_code, TANAKA, new_pass, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE);
  after_recovery = hash_dir (f->dir);
  assert_same_hashes (before, after_recovery);
}

static GPtrArray *
read_slot_texts (const char *key_path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  JsonArray *slots;

  g_assert_true (json_parser_load_from_file (parser, key_path, NULL));
  slots = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "slots");
  for (guint i = 0; i < json_array_get_length (slots); i++)
    g_ptr_array_add (texts, json_to_string (json_array_get_element (slots, i), FALSE));
  return texts;
}

static void
test_change_passphrase (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL, after = NULL;
  g_autoptr (GBytes) db_before = NULL, db_after = NULL;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];

  add_tanaka (f);
  memcpy (public_key, mamori_vault_get_public_key (f->vault), sizeof public_key);
  before = read_slot_texts (f->key_path);
  db_before = vfs_test_read_file (f->path);

  g_assert_true (mamori_vault_change_passphrase (f->vault, yamada_pass, new_pass, &error));
  g_assert_no_error (error);

  /* One slot rewritten, the others untouched; the roster records the new keys. */
  after = read_slot_texts (f->key_path);
  db_after = vfs_test_read_file (f->path);
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (after->len, ==, 3);
  g_assert_cmpstr (before->pdata[0], !=, after->pdata[0]);
  g_assert_cmpstr (before->pdata[1], ==, after->pdata[1]);
  g_assert_cmpstr (before->pdata[2], ==, after->pdata[2]);
  g_assert_false (g_bytes_equal (db_before, db_after));
  g_assert_cmpint (
      query_int (f->vault, "SELECT count(*) FROM events WHERE type = 'staff-keys-changed'"), ==, 1);
  /* A new signing key, already in use. */
  g_assert_false (memcmp (mamori_vault_get_public_key (f->vault), public_key, 32) == 0);

  mamori_vault_lock (f->vault);
  unlock_fails (f->vault, YAMADA, yamada_pass, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  unlock_ok (f->vault, YAMADA, new_pass);
  g_assert_false (memcmp (mamori_vault_get_public_key (f->vault), public_key, 32) == 0);
  unlock_ok (f->vault, TANAKA, tanaka_pass);
}

static void
test_recovery (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 old_public[MAMORI_SIGNING_KEY_SIZE], signature[MAMORI_SIGNATURE_SIZE];
  g_autofree char *code = g_ascii_strdown (f->recovery_code, -1);

  store_markers (f->vault);
  add_tanaka (f);
  memcpy (old_public, mamori_vault_get_public_key (f->vault), sizeof old_public);
  mamori_vault_lock (f->vault);

  /* The board unlocks with the code: no user, no signing key as a person; the recovery
   * key adds nobody to the roster. */
  mamori_vault_unlock_with_recovery (f->vault, code, &error);
  g_assert_no_error (error);
  g_assert_null (mamori_vault_get_user (f->vault));
  g_assert_null (mamori_vault_get_public_key (f->vault));
  assert_markers (f->vault);
  g_assert_false (mamori_vault_sign (f->vault, (const guint8 *)"x", 1, signature, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER);
  g_clear_error (&error);
  g_assert_false (
      mamori_vault_add_user (f->vault, "suzuki", MAMORI_ROLE_PRINCIPAL, new_pass, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* 山田 forgot the passphrase. */
  g_assert_true (mamori_vault_recover (f->vault, f->recovery_code, YAMADA, new_pass, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_vault_get_user (f->vault), ==, YAMADA);
  assert_markers (f->vault);
  /* A new signing key: the old one was wrapped by the forgotten passphrase. */
  g_assert_false (memcmp (mamori_vault_get_public_key (f->vault), old_public, 32) == 0);
  g_assert_cmpint (query_int (f->vault, "SELECT count(*) FROM signing_keys WHERE holder = "
                                        "(SELECT id FROM staff WHERE name = '山田')"),
                   ==, 2);
  g_assert_true (mamori_vault_sign (f->vault, (const guint8 *)"x", 1, signature, &error));

  mamori_vault_lock (f->vault);
  unlock_fails (f->vault, YAMADA, yamada_pass, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  unlock_ok (f->vault, YAMADA, new_pass);
  unlock_ok (f->vault, TANAKA, tanaka_pass);
}

static void
recovery_fails (MamoriVault *vault, const char *code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mamori_vault_unlock_with_recovery (vault, code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE);
  g_assert_false (mamori_vault_is_unlocked (vault));
}

static void
test_replace_recovery_code (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL, after = NULL;
  g_autoptr (MamoriSecret) new_code = NULL;
  guint8 key[MAMORI_RECOVERY_KEY_SIZE];

  add_tanaka (f);
  store_markers (f->vault);
  before = read_slot_texts (f->key_path);

  g_assert_true (mamori_vault_unlocked_by_administrator (f->vault));
  g_assert_true (mamori_vault_replace_recovery_code (f->vault, keep_code, &new_code, &error));
  g_assert_no_error (error);
  g_assert_nonnull (new_code);
  g_assert_true (mamori_recovery_code_parse (new_code, key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (new_code, !=, f->recovery_code);
  g_assert_cmpstr (mamori_vault_get_user (f->vault), ==, YAMADA);

  /* Only the recovery slot (last) was rewritten; the roster records its new keys. */
  after = read_slot_texts (f->key_path);
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (after->len, ==, 3);
  g_assert_cmpstr (before->pdata[0], ==, after->pdata[0]);
  g_assert_cmpstr (before->pdata[1], ==, after->pdata[1]);
  g_assert_cmpstr (before->pdata[2], !=, after->pdata[2]);
  g_assert_cmpint (
      query_int (f->vault, "SELECT count(*) FROM events WHERE type = 'recovery-changed'"), ==, 1);

  mamori_vault_lock (f->vault);
  recovery_fails (f->vault, f->recovery_code);
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, new_code, &error));
  g_assert_no_error (error);
  assert_markers (f->vault);
  unlock_ok (f->vault, YAMADA, yamada_pass);
  unlock_ok (f->vault, TANAKA, tanaka_pass);

  /* A vault opened afresh reads the new slot from disk. */
  mamori_vault_lock (f->vault);
  {
    g_autoptr (MamoriVault) fresh = mamori_vault_open (f->path, &error);

    g_assert_no_error (error);
    recovery_fails (fresh, f->recovery_code);
    g_assert_true (mamori_vault_unlock_with_recovery (fresh, new_code, &error));
    g_assert_no_error (error);
    mamori_vault_lock (fresh);
  }
}

static void
test_replace_recovery_code_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) before = NULL, after = NULL;
  char *code = NULL;

  add_tanaka (f);
  mamori_vault_lock (f->vault);
  before = hash_dir (f->dir);

  /* Locked. */
  g_assert_false (mamori_vault_unlocked_by_administrator (f->vault));
  g_assert_false (mamori_vault_replace_recovery_code (f->vault, keep_code, &code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  /* A teacher. */
  unlock_ok (f->vault, TANAKA, tanaka_pass);
  g_assert_false (mamori_vault_unlocked_by_administrator (f->vault));
  g_assert_false (mamori_vault_replace_recovery_code (f->vault, keep_code, &code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Nor may a teacher install another policy: the data layer refuses, not just the UI. */
  {
    g_autoptr (MamoriPolicy) other = mamori_policy_new_from_preset ("mext-2025", NULL);

    g_assert_false (mamori_vault_store_policy (f->vault, other, &error));
    g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
    g_clear_error (&error);
  }

  /* The recovery code itself: no named person. */
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, f->recovery_code, &error));
  g_assert_no_error (error);
  g_assert_false (mamori_vault_unlocked_by_administrator (f->vault));
  g_assert_false (mamori_vault_replace_recovery_code (f->vault, keep_code, &code, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_assert_null (code);
  mamori_vault_lock (f->vault);

  after = hash_dir (f->dir);
  assert_same_hashes (before, after);
}

static void
test_rotate_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL, after = NULL;
  g_autoptr (GBytes) old_db = NULL, new_db = NULL;
  g_autofree char *rotating = g_strconcat (f->path, ".rotating", NULL);
  g_autofree char *rotating_keys = g_strconcat (f->key_path, ".rotating", NULL);
  const MamoriKeyFile *key_file;

  add_tanaka (f);
  store_markers (f->vault);
  before = read_slot_texts (f->key_path);
  old_db = vfs_test_read_file (f->path);

  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_vault_is_unlocked (f->vault));
  assert_markers (f->vault);
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);

  /* Every slot was resealed; the database has a new id (its first 16 bytes). */
  after = read_slot_texts (f->key_path);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (before->pdata[i], !=, after->pdata[i]);
  new_db = vfs_test_read_file (f->path);
  key_file = mamori_vault_get_key_file (f->vault);
  g_assert_cmpmem (g_bytes_get_data (new_db, NULL), MAMORI_DB_ID_SIZE, key_file->db_id,
                   MAMORI_DB_ID_SIZE);
  g_assert_false (memcmp (g_bytes_get_data (old_db, NULL), key_file->db_id, 16) == 0);
  g_assert_false (g_file_test (rotating, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (rotating_keys, G_FILE_TEST_EXISTS));

  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TANAKA, tanaka_pass);
  assert_markers (f->vault);
  unlock_ok (f->vault, YAMADA, yamada_pass);
  g_assert_true (mamori_vault_unlock_with_recovery (f->vault, f->recovery_code, &error));
  g_assert_no_error (error);
  assert_markers (f->vault);
}

/* A crash between the two renames: the new database is in place, the old key file
 * beside it and the new one still under its temporary name. */
static void
test_rotate_key_interrupted (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) old_keys = NULL;
  g_autofree char *rotating = g_strconcat (f->path, ".rotating", NULL);
  g_autofree char *rotating_keys = g_strconcat (f->key_path, ".rotating", NULL);

  store_markers (f->vault);
  old_keys = vfs_test_read_file (f->key_path);
  g_assert_true (mamori_vault_rotate_key (f->vault, &error));
  g_clear_object (&f->vault);
  g_assert_cmpint (g_rename (f->key_path, rotating_keys), ==, 0);
  vfs_test_write_file (f->key_path, old_keys);

  f->vault = mamori_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (rotating_keys, G_FILE_TEST_EXISTS));
  unlock_ok (f->vault, YAMADA, yamada_pass);
  assert_markers (f->vault);
  g_clear_object (&f->vault);

  /* A crash before the first rename: the leftovers go, the vault is as it was. */
  g_assert_true (g_file_set_contents (rotating, "half a database", -1, NULL));
  g_assert_true (g_file_set_contents (rotating_keys, "half a key file", -1, NULL));
  f->vault = mamori_vault_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (rotating, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (rotating_keys, G_FILE_TEST_EXISTS));
  unlock_ok (f->vault, YAMADA, yamada_pass);
  assert_markers (f->vault);
}

static void
test_signing (Fixture *f, gconstpointer data)
{
  static const char payload[] = "{\"type\":\"requested\",\"author\":\"山田\"}";
  g_autoptr (GError) error = NULL;
  guint8 signature[MAMORI_SIGNATURE_SIZE], yamada_public[MAMORI_SIGNING_KEY_SIZE];
  sqlite3_stmt *stmt = NULL;

  g_assert_true (
      mamori_vault_sign (f->vault, (const guint8 *)payload, strlen (payload), signature, &error));
  g_assert_no_error (error);
  memcpy (yamada_public, mamori_vault_get_public_key (f->vault), sizeof yamada_public);
  g_assert_true (
      mamori_signing_verify (yamada_public, (const guint8 *)payload, strlen (payload), signature));

  /* The roster holds the same public key, for others to verify with. */
  g_assert_cmpint (sqlite3_prepare_v2 (mamori_vault_get_db (f->vault),
                                       "SELECT key FROM signing_keys JOIN staff ON holder = id "
                                       "WHERE name = '山田' AND retired_seq IS NULL",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), yamada_public,
                   sizeof yamada_public);
  sqlite3_finalize (stmt);

  add_tanaka (f);
  mamori_vault_lock (f->vault);
  unlock_ok (f->vault, TANAKA, tanaka_pass);
  g_assert_false (mamori_signing_verify (mamori_vault_get_public_key (f->vault),
                                         (const guint8 *)payload, strlen (payload), signature));
}

/* The office PC's colleague knows their own passphrase, not 山田's: their slot key does
 * not unwrap 山田's signing key, whatever they do with the key file. */
static void
test_signing_key_is_personal (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  guint8 *tanaka_key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  MamoriKeySlot *yamada, *tanaka;

  add_tanaka (f);
  key_file = mamori_key_file_load (f->key_path, &error);
  g_assert_no_error (error);
  yamada = mamori_key_file_find_user (key_file, YAMADA);
  tanaka = mamori_key_file_find_user (key_file, TANAKA);

  g_assert_true (
      mamori_kdf_derive (&tanaka->kdf, tanaka_pass, strlen (tanaka_pass), tanaka_key, &error));
  g_assert_false (mamori_crypto_unwrap_key (tanaka_key, yamada->signing_secret,
                                            sizeof yamada->signing_secret, keys->signing_seed));
  /* Even with 山田's salt and parameters. */
  g_assert_true (
      mamori_kdf_derive (&yamada->kdf, tanaka_pass, strlen (tanaka_pass), tanaka_key, &error));
  g_assert_false (mamori_crypto_unwrap_key (tanaka_key, yamada->signing_secret,
                                            sizeof yamada->signing_secret, keys->signing_seed));
  g_assert_false (mamori_key_slot_open (yamada, tanaka_pass, strlen (tanaka_pass), keys, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  /* With the right passphrase it does unwrap. */
  g_assert_true (mamori_key_slot_open (tanaka, tanaka_pass, strlen (tanaka_pass), keys, &error));
  g_assert_no_error (error);
  mamori_secure_free (tanaka_key);
}

static void
assert_absent (const char *path, const guint8 *bytes, gsize len)
{
  g_autofree char *hex = g_malloc0 (2 * len + 1);
  g_autofree char *b64 = g_base64_encode (bytes, len);
  g_autoptr (GBytes) contents = vfs_test_read_file (path);
  gsize size;
  const guint8 *data = g_bytes_get_data (contents, &size);

  for (gsize i = 0; i < len; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  g_assert_null (memmem (data, size, bytes, len));
  g_assert_false (vfs_test_file_contains (path, hex));
  /* Base64 of the first 30 bytes is independent of alignment after it. */
  b64[40] = '\0';
  g_assert_false (vfs_test_file_contains (path, b64));
}

static void
test_no_plaintext (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL;
  g_autoptr (MamoriSlotKeys) keys = mamori_slot_keys_new ();
  MamoriKeySlot *slot;

  add_tanaka (f);
  store_markers (f->vault);
  mamori_vault_lock (f->vault);

  key_file = mamori_key_file_load (f->key_path, &error);
  g_assert_no_error (error);
  for (const char *const *secret = (const char *[]){ yamada_pass, tanaka_pass, marker, NULL };
       *secret != NULL; secret++)
    {
      g_assert_false (vfs_test_file_contains (f->key_path, *secret));
      g_assert_false (vfs_test_file_contains (f->path, *secret));
    }
  g_assert_false (vfs_test_file_contains (f->key_path, f->recovery_code));

  /* Nor any key: master key, slot secret, signing seed. */
  slot = mamori_key_file_find_user (key_file, TANAKA);
  g_assert_true (mamori_key_slot_open (slot, tanaka_pass, strlen (tanaka_pass), keys, &error));
  assert_absent (f->key_path, keys->master_key, MAMORI_KEY_SIZE);
  assert_absent (f->key_path, keys->slot_secret, MAMORI_KEY_SIZE);
  assert_absent (f->key_path, keys->signing_seed, MAMORI_KEY_SIZE);
  assert_absent (f->path, keys->master_key, MAMORI_KEY_SIZE);
}

static void
test_too_new (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  char *version;

  exec (f->vault, "PRAGMA user_version = 99");
  mamori_vault_lock (f->vault);
  g_assert_false (mamori_vault_unlock (f->vault, YAMADA, yamada_pass, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Mamori"));
  g_assert_false (mamori_vault_is_unlocked (f->vault));
  g_clear_error (&error);

  /* A key file from a newer Mamori is refused at open. */
  g_assert_true (g_file_get_contents (f->key_path, &json, NULL, NULL));
  version = strstr (json, "\"version\" : 2");
  g_assert_nonnull (version);
  version[strlen ("\"version\" : ")] = '7';
  g_assert_true (g_file_set_contents (f->key_path, json, -1, NULL));
  g_assert_null (mamori_vault_open (f->path, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_TOO_NEW);
}

static void
test_policy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = NULL, other = NULL, stored = NULL;
  const char *other_id = mamori_policy_list_presets ()[1];

  policy = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_policy_get_id (policy), ==, mamori_policy_default_preset ());

  other = mamori_policy_new_from_preset (other_id, &error);
  g_assert_no_error (error);
  g_assert_true (mamori_vault_store_policy (f->vault, other, &error));
  mamori_vault_lock (f->vault);
  g_assert_null (mamori_vault_load_policy (f->vault, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  unlock_ok (f->vault, YAMADA, yamada_pass);
  stored = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_policy_get_id (stored), ==, other_id);
  g_assert_cmpint (query_int (f->vault, "SELECT count(*) FROM policy"), ==, 2);
}

static void
test_verify_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *expected = NULL;
  GByteArray *array;
  guint last_page;

  store_markers (f->vault);
  exec (f->vault, "CREATE TABLE padding (data BLOB); "
                  "INSERT INTO padding VALUES (zeroblob(20000))");
  g_assert_true (mamori_vault_verify (f->vault, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->vault);

  /* One flipped byte in the last page (an overflow page of the padding). */
  bytes = vfs_test_read_file (f->path);
  array = g_bytes_unref_to_array (g_steal_pointer (&bytes));
  last_page = array->len / 4096;
  array->data[array->len - 1000] ^= 0x20;
  bytes = g_byte_array_free_to_bytes (array);
  vfs_test_write_file (f->path, bytes);

  unlock_ok (f->vault, YAMADA, yamada_pass);
  g_assert_false (mamori_vault_verify (f->vault, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED);
  expected = g_strdup_printf ("%u", last_page);
  g_assert_nonnull (strstr (error->message, expected));
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/vault/round-trip", test_round_trip);
  ADD ("/vault/create-and-open-errors", test_create_and_open_errors);
  ADD ("/vault/two-users", test_two_users);
  ADD ("/vault/remove-user", test_remove_user);
  ADD ("/vault/wrong-passphrase-changes-nothing", test_wrong_passphrase_changes_nothing);
  ADD ("/vault/change-passphrase", test_change_passphrase);
  ADD ("/vault/recovery", test_recovery);
  ADD ("/vault/replace-recovery-code", test_replace_recovery_code);
  ADD ("/vault/replace-recovery-code-refused", test_replace_recovery_code_refused);
  ADD ("/vault/rotate-key", test_rotate_key);
  ADD ("/vault/rotate-key-interrupted", test_rotate_key_interrupted);
  ADD ("/vault/signing", test_signing);
  ADD ("/vault/signing-key-is-personal", test_signing_key_is_personal);
  ADD ("/vault/no-plaintext", test_no_plaintext);
  ADD ("/vault/too-new", test_too_new);
  ADD ("/vault/policy", test_policy);
  ADD ("/vault/verify-damaged", test_verify_damaged);
#undef ADD
  return g_test_run ();
}
