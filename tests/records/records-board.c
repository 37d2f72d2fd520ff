/* records-board.c — a board of education in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "records-board.h"
#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-records-error.h"
#include "mamori-level.h"
#include "mamori-policy.h"
#include "mamori-register.h"
#include "mamori-signing.h"
#include "mamori-vault-sync.h"
#include "vfs-test-util.h"

Signer *
signer_new (void)
{
  Signer *signer = g_new0 (Signer, 1);

  signer->seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  mamori_signing_generate (signer->seed, signer->public_key);
  mamori_crypto_random (signer->slot_key, sizeof signer->slot_key);
  signer->staff = mamori_roster_new_staff_id ();
  return signer;
}

void
signer_free (Signer *signer)
{
  mamori_secure_free (signer->seed);
  g_free (signer->staff);
  g_free (signer);
}

void
signer_keys (const Signer *signer, MamoriRosterKeys *out)
{
  memcpy (out->signing_key, signer->public_key, sizeof out->signing_key);
  memcpy (out->slot_key, signer->slot_key, sizeof out->slot_key);
}

MamoriDb *
db_new (void)
{
  g_autoptr (GError) error = NULL;
  MamoriDb *db = g_new0 (MamoriDb, 1);

  g_assert_cmpint (sqlite3_open (":memory:", &db->handle), ==, SQLITE_OK);
  g_assert_true (mamori_db_migrate (db, &error));
  g_assert_no_error (error);
  return db;
}

void
db_free (MamoriDb *db)
{
  mamori_db_forget_statements (db);
  sqlite3_close (db->handle);
  g_free (db);
}

void
pin (MamoriDb *db, const Signer *board)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_roster_pin_board (db, BOARD_ID, board->public_key, BOARD_NAME, &error));
  g_assert_no_error (error);
}

MamoriEvent *
sign_next (MamoriDb *db, const Signer *signer, const char *school, const char *type, JsonNode *body)
{
  g_autoptr (GDateTime) time = g_date_time_new_utc (2026, 12, 1, 9, 0, 0);
  g_autoptr (GError) error = NULL;
  guint8 head_id[MAMORI_EVENT_ID_SIZE];
  gint64 head_seq;
  MamoriEvent *event;
  const guint8 *payload;
  gsize length;

  g_assert_true (
      mamori_event_log_head (db, school, signer->public_key, &head_seq, head_id, &error));
  event = mamori_event_new (type, school, signer->public_key, head_seq + 1,
                            head_seq > 0 ? head_id : NULL, time, body, &error);
  g_assert_no_error (error);
  payload = g_bytes_get_data (event->payload, &length);
  g_assert_true (
      mamori_signing_sign (signer->seed, signer->public_key, payload, length, event->sig, &error));
  return event;
}

static gint64
board_seq_of (MamoriDb *board, const guint8 id[MAMORI_EVENT_ID_SIZE])
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (
      sqlite3_prepare_v2 (board->handle, "SELECT seq FROM events WHERE id = ?", -1, &stmt, NULL),
      ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, id, MAMORI_EVENT_ID_SIZE, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

int
board_take (MamoriDb *board, const char *school, GPtrArray *batch, GArray *seqs, GError **error)
{
  g_assert_true (mamori_db_exec (board, "BEGIN IMMEDIATE", NULL));
  g_array_set_size (seqs, 0);
  for (guint i = 0; i < batch->len; i++)
    {
      const MamoriEvent *sent = batch->pdata[i];
      /* Parsed again from the bytes, as they would arrive. */
      g_autoptr (MamoriEvent) event = mamori_event_parse (sent->payload, sent->sig, NULL);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (sqlite3_stmt) next = NULL;
      gint64 seq;

      g_assert_nonnull (event);
      g_assert_cmpint (sqlite3_prepare_v2 (board->handle,
                                           "SELECT coalesce(max(seq), 0) + 1 FROM events", -1,
                                           &next, NULL),
                       ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (next), ==, SQLITE_ROW);
      event->server_seq = sqlite3_column_int64 (next, 0);
      if (mamori_event_log_append (board, school, event, MAMORI_APPEND_AT_BOARD, &local_error))
        seq = event->seq;
      else if (g_error_matches (local_error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_DUPLICATE))
        seq = board_seq_of (board, event->id);
      else
        {
          g_assert_true (mamori_db_exec (board, "ROLLBACK", NULL));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return i;
        }
      g_array_append_val (seqs, seq);
    }
  g_assert_true (mamori_db_exec (board, "COMMIT", NULL));
  return -1;
}

GPtrArray *
board_events_since (MamoriDb *board, gint64 since, guint limit)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);

  g_assert_cmpint (sqlite3_prepare_v2 (board->handle,
                                       "SELECT seq, payload, sig FROM events WHERE seq > ? "
                                       "ORDER BY seq LIMIT ?",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GBytes) payload
          = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      MamoriEvent *event = mamori_event_parse (payload, sqlite3_column_blob (stmt, 2), NULL);

      g_assert_nonnull (event);
      event->server_seq = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (events, event);
    }
  return events;
}

/* --- a school's vault in a test ------------------------------------------------------ */

gboolean
test_keep_code (const char *recovery_code, gpointer user_data, GError **error)
{
  return TRUE;
}

MamoriVault *
test_open_as (const char *path, const char *user, const char *passphrase)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = mamori_vault_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (mamori_vault_unlock (vault, user, passphrase, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&vault);
}

void
test_copy_vault (const char *from, const char *to)
{
  g_autofree char *from_keys = mamori_vault_get_key_file_path (from);
  g_autofree char *to_keys = mamori_vault_get_key_file_path (to);
  g_autoptr (GBytes) database = vfs_test_read_file (from);
  g_autoptr (GBytes) keys = vfs_test_read_file (from_keys);

  vfs_test_write_file (to, database);
  vfs_test_write_file (to_keys, keys);
}

gint64
test_count_unsent (MamoriVault *vault)
{
  g_autoptr (GError) error = NULL;
  gint64 count = -1;

  g_assert_true (mamori_vault_sync_count_unsent (vault, &count, &error));
  g_assert_no_error (error);
  return count;
}

void
test_add_entry (MamoriVault *vault, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, &error);
  g_autoptr (MamoriLevel) level = NULL;
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();

  g_assert_no_error (error);
  level = g_list_model_get_item (mamori_policy_get_levels (policy), 0);
  entry->name = g_strdup (name);
  entry->category = g_strdup ("gakuseki");
  entry->level = g_strdup (mamori_level_get_id (level));
  entry->medium = MAMORI_MEDIUM_PAPER;
  g_assert_true (mamori_register_add (vault, policy, entry, &error));
  g_assert_no_error (error);
}
