/* test-board-records.c — the records when a school joins a board: the board as the root
 * of a school it creates, a joining school's history confirmed, devices, chains per
 * school and the board's own events, events kept with no effect, the canonical order,
 * events the board refused taken back, and a property test in which replicas and a board
 * exchange events through a network that loses answers, repeats and reorders
 *
 * Each database here is a plain SQLite copy of the records (as mamori-board keeps them),
 * migrated to the vault's schema: the records' rules do not depend on the encryption.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "records-board.h"
#include "mamori-event-log.h"
#include "mamori-policy-record.h"
#include "mamori-roster.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

#define SCHOOL_ID "5c400000000000000000000000000001"

/* Appends in a transaction of its own: TRUE, or FALSE with @error. */
static gboolean
append (MamoriDb *db, MamoriEvent *event, MamoriAppendFlags flags, GError **error)
{
  g_assert_true (mamori_db_exec (db, "BEGIN IMMEDIATE", NULL));
  if (mamori_event_log_append (db, SCHOOL_ID, event, flags, error))
    return mamori_db_exec (db, "COMMIT", error);
  g_assert_true (mamori_db_exec (db, "ROLLBACK", NULL));
  return FALSE;
}

static void
append_ok (MamoriDb *db, MamoriEvent *event, MamoriAppendFlags flags)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (append (db, event, flags, &error));
  g_assert_no_error (error);
}

static void
append_refused (MamoriDb *db, MamoriEvent *event, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (append (db, event, MAMORI_APPEND_DEFAULT, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, code);
}

/* Signs and appends the next event of @signer; TRUE when the records took it. */
static void
act (MamoriDb *db, const Signer *signer, const char *type, JsonNode *body)
{
  g_autoptr (MamoriEvent) event = sign_next (db, signer, SCHOOL_ID, type, body);

  append_ok (db, event, MAMORI_APPEND_DEFAULT);
}

static MamoriRole
role_of (MamoriDb *db, const char *staff)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriStaff) person = mamori_roster_find_by_id (db, staff, &error);

  g_assert_no_error (error);
  g_assert_nonnull (person);
  return person->role;
}

/* The board creates the school and adds @admin (a vice-principal, with a device). */
static void
board_school (MamoriDb *db, const Signer *board, Signer *admin)
{
  MamoriRosterKeys keys;

  pin (db, board);
  act (db, board, MAMORI_EVENT_SCHOOL_CREATED,
       mamori_roster_school_created_by_board_body ("委員会立テスト小学校", BOARD_ID,
                                                   board->public_key));
  act (
      db, board, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (admin->staff, "佐藤 花子", MAMORI_ROLE_VICE_PRINCIPAL, NULL));
  signer_keys (admin, &keys);
  act (db, board, MAMORI_EVENT_DEVICE_ADDED,
       mamori_roster_device_added_body (admin->staff, &keys, "職員室PC-1"));
}

/* --- the board as the root --------------------------------------------------------------- */

static void
test_board_created_school (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) sato = signer_new ();
  g_autoptr (Signer) sato_home = signer_new ();
  g_autoptr (Signer) suzuki = signer_new ();
  g_autoptr (Signer) stranger = signer_new ();
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (MamoriStaff) signer = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GError) error = NULL;
  MamoriRosterKeys k;
  gboolean found = TRUE;

  /* Without a pinned board, a board's school-created is nobody's. */
  event = sign_next (db, board, SCHOOL_ID, MAMORI_EVENT_SCHOOL_CREATED,
                     mamori_roster_school_created_by_board_body ("委員会立テスト小学校", BOARD_ID,
                                                                 board->public_key));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);

  /* Pinned, another key cannot claim to be the board. */
  pin (db, board);
  event = sign_next (db, stranger, SCHOOL_ID, MAMORI_EVENT_SCHOOL_CREATED,
                     mamori_roster_school_created_by_board_body ("委員会立テスト小学校", BOARD_ID,
                                                                 stranger->public_key));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);

  /* A second board is not pinned over the first. */
  g_assert_false (mamori_roster_pin_board (db, "00000000000000000000000000000001",
                                           stranger->public_key, "別の委員会", &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);

  act (db, board, MAMORI_EVENT_SCHOOL_CREATED,
       mamori_roster_school_created_by_board_body ("委員会立テスト小学校", BOARD_ID,
                                                   board->public_key));
  signer = mamori_roster_find_signer (db, board->public_key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signer->role, ==, MAMORI_ROLE_BOARD);
  g_assert_cmpstr (signer->id, ==, MAMORI_ROSTER_BOARD_ID);
  g_assert_true (mamori_roster_get_recovery (db, &k, &found, &error));
  g_assert_false (found);

  /* A person the board adds has no key until a device is added. */
  act (db, board, MAMORI_EVENT_STAFF_ADDED,
       mamori_roster_staff_added_body (sato->staff, "佐藤 花子", MAMORI_ROLE_VICE_PRINCIPAL, NULL));
  event = sign_next (
      db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (suzuki->staff, "鈴木 一郎", MAMORI_ROLE_TEACHER, NULL));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);

  signer_keys (sato, &k);
  act (db, board, MAMORI_EVENT_DEVICE_ADDED,
       mamori_roster_device_added_body (sato->staff, &k, "職員室PC-1"));
  signer_keys (sato_home, &k);
  act (db, board, MAMORI_EVENT_DEVICE_ADDED,
       mamori_roster_device_added_body (sato->staff, &k, "校長室PC"));
  keys = mamori_roster_list_keys (db, sato->staff, FALSE, &error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (((MamoriRosterKey *)keys->pdata[1])->label, ==, "校長室PC");

  /* Either of her keys signs as her. */
  signer_keys (suzuki, &k);
  act (db, sato, MAMORI_EVENT_STAFF_ADDED,
       mamori_roster_staff_added_body (suzuki->staff, "鈴木 一郎", MAMORI_ROLE_TEACHER, &k));
  act (db, sato_home, MAMORI_EVENT_STAFF_ROLE_CHANGED,
       mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_OFFICE));
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_OFFICE);

  /* A key used once is nobody else's; a teacher adds no devices; nobody revokes the key
   * they sign with. */
  event = sign_next (db, board, SCHOOL_ID, MAMORI_EVENT_DEVICE_ADDED,
                     mamori_roster_device_added_body (suzuki->staff, &k, "教室PC"));
  append_refused (db, event, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_pointer (&event, mamori_event_free);
  signer_keys (stranger, &k);
  event = sign_next (db, suzuki, SCHOOL_ID, MAMORI_EVENT_DEVICE_ADDED,
                     mamori_roster_device_added_body (suzuki->staff, &k, "教室PC"));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);
  event = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_DEVICE_REVOKED,
                     mamori_roster_device_revoked_body (sato->public_key));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);

  /* Revoked, her office key signs nothing more; her other one still does. */
  act (db, board, MAMORI_EVENT_DEVICE_REVOKED,
       mamori_roster_device_revoked_body (sato->public_key));
  event = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_TEACHER));
  append_refused (db, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);
  act (db, sato_home, MAMORI_EVENT_STAFF_ROLE_CHANGED,
       mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_TEACHER));
  g_assert_true (mamori_event_log_check (db, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* --- chains per school, and the board's own events -------------------------------------- */

static void
test_chains_per_school (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) sato = signer_new ();
  g_autoptr (Signer) stranger = signer_new ();
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("mext-2025", NULL);
  g_autoptr (MamoriEvent) wide = NULL, other = NULL;
  g_autoptr (GError) error = NULL;
  MamoriLogCheck check;
  JsonNode *body;

  board_school (db, board, sato);

  /* The board's first event for every school is number 1 of its board-wide chain,
   * whatever it has signed in this school. */
  body = mamori_policy_installed_body (policy, NULL, &error);
  g_assert_no_error (error);
  wide = sign_next (db, board, BOARD_ID, MAMORI_EVENT_POLICY_INSTALLED, body);
  g_assert_cmpint (wide->author_seq, ==, 1);
  append_ok (db, wide, MAMORI_APPEND_DEFAULT);
  g_assert_true (mamori_event_log_check (db, FALSE, &check, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check.n_authors, ==, 2); /* the board in the school, and for all */

  /* Only the board's key, and only what it signs for every school. */
  other = sign_next (db, stranger, BOARD_ID, MAMORI_EVENT_POLICY_INSTALLED,
                     mamori_policy_installed_body (policy, NULL, NULL));
  append_refused (db, other, MAMORI_RECORDS_ERROR_WRONG_SCHOOL);
  g_clear_pointer (&other, mamori_event_free);
  other = sign_next (
      db, board, BOARD_ID, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (stranger->staff, "他校 太郎", MAMORI_ROLE_TEACHER, NULL));
  append_refused (db, other, MAMORI_RECORDS_ERROR_WRONG_SCHOOL);
  g_clear_pointer (&other, mamori_event_free);
  other = sign_next (db, sato, "00000000000000000000000000000002", MAMORI_EVENT_STAFF_REMOVED,
                     mamori_roster_staff_removed_body (sato->staff));
  append_refused (db, other, MAMORI_RECORDS_ERROR_WRONG_SCHOOL);
}

/* --- a school that had its own records joins ----------------------------------------------- */

/* A school with its own history: a founder (principal) and a teacher. */
static void
own_school (MamoriDb *db, Signer *founder, Signer *teacher)
{
  MamoriRosterKeys keys, recovery;

  signer_keys (founder, &keys);
  mamori_crypto_random (recovery.slot_key, sizeof recovery.slot_key);
  mamori_crypto_random (recovery.signing_key, sizeof recovery.signing_key);
  act (db, founder, MAMORI_EVENT_SCHOOL_CREATED,
       mamori_roster_school_created_body ("自前小学校", founder->staff, "高橋 校長",
                                          MAMORI_ROLE_PRINCIPAL, &keys, &recovery));
  signer_keys (teacher, &keys);
  act (db, founder, MAMORI_EVENT_STAFF_ADDED,
       mamori_roster_staff_added_body (teacher->staff, "田中 教諭", MAMORI_ROLE_TEACHER, &keys));
}

static MamoriEvent *
joined_event (MamoriDb *db, const Signer *board, GArray *heads)
{
  return sign_next (db, board, SCHOOL_ID, MAMORI_EVENT_SCHOOL_JOINED,
                    mamori_roster_school_joined_body (BOARD_ID, board->public_key, heads));
}

static void
test_school_joined (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (MamoriDb) fresh = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) founder = signer_new ();
  g_autoptr (Signer) teacher = signer_new ();
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GArray) heads = NULL, wrong = NULL;
  g_autoptr (GError) error = NULL;
  MamoriChainHead extra = { { 0 } };

  /* Not as a school's first event. */
  pin (fresh, board);
  heads = g_array_new (FALSE, TRUE, sizeof (MamoriChainHead));
  event = joined_event (fresh, board, heads);
  append_refused (fresh, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_pointer (&event, mamori_event_free);
  g_clear_pointer (&heads, g_array_unref);

  own_school (db, founder, teacher);
  pin (db, board);
  heads = mamori_event_log_heads (db, SCHOOL_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heads->len, ==, 1); /* the teacher has signed nothing yet */

  /* The heads must be the history as it stands: not one missing, none made up, none
   * older. */
  wrong = g_array_new (FALSE, TRUE, sizeof (MamoriChainHead));
  event = joined_event (db, board, wrong);
  append_refused (db, event, MAMORI_RECORDS_ERROR_INVALID);
  g_clear_pointer (&event, mamori_event_free);
  g_array_append_vals (wrong, heads->data, heads->len);
  memcpy (extra.author, teacher->public_key, sizeof extra.author);
  extra.author_seq = 1;
  g_array_append_val (wrong, extra);
  event = joined_event (db, board, wrong);
  append_refused (db, event, MAMORI_RECORDS_ERROR_INVALID);
  g_clear_pointer (&event, mamori_event_free);
  g_array_set_size (wrong, 1);
  g_array_index (wrong, MamoriChainHead, 0).author_seq = 1;
  event = joined_event (db, board, wrong);
  append_refused (db, event, MAMORI_RECORDS_ERROR_INVALID);
  g_clear_pointer (&event, mamori_event_free);

  event = joined_event (db, board, heads);
  append_ok (db, event, MAMORI_APPEND_DEFAULT);
  g_clear_pointer (&event, mamori_event_free);

  /* Once only; from then on the board is an administrator, and the founder, no longer
   * the last one, may be made a teacher. */
  event = joined_event (db, board, heads);
  append_refused (db, event, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_pointer (&event, mamori_event_free);
  act (db, board, MAMORI_EVENT_STAFF_ROLE_CHANGED,
       mamori_roster_staff_role_changed_body (founder->staff, MAMORI_ROLE_TEACHER));
  g_assert_cmpint (role_of (db, founder->staff), ==, MAMORI_ROLE_TEACHER);
  g_assert_true (mamori_event_log_check (db, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* --- no effect, and the canonical order ---------------------------------------------------- */

/* Two administrators and a teacher on a school the board created, in @db. */
static void
two_admins (MamoriDb *db, Signer *board, Signer *sato, Signer *kato, Signer *suzuki)
{
  MamoriRosterKeys keys;

  board_school (db, board, sato);
  signer_keys (kato, &keys);
  act (db, board, MAMORI_EVENT_STAFF_ADDED,
       mamori_roster_staff_added_body (kato->staff, "加藤 校長", MAMORI_ROLE_PRINCIPAL, &keys));
  signer_keys (suzuki, &keys);
  act (db, board, MAMORI_EVENT_STAFF_ADDED,
       mamori_roster_staff_added_body (suzuki->staff, "鈴木 一郎", MAMORI_ROLE_TEACHER, &keys));
}

static gboolean
put_in_order (MamoriDb *db);
static gint64
acknowledge_all (MamoriDb *db);

static void
test_no_effect (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) sato = signer_new ();
  g_autoptr (Signer) kato = signer_new ();
  g_autoptr (Signer) suzuki = signer_new ();
  g_autoptr (MamoriEvent) removed = NULL, late = NULL, forged = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;

  two_admins (db, board, sato, kato, suzuki);
  /* 加藤 changes 鈴木's role, not knowing 佐藤 has just removed 鈴木. */
  late = sign_next (db, kato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                    mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_OFFICE));
  removed = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_REMOVED,
                       mamori_roster_staff_removed_body (suzuki->staff));
  append_ok (db, removed, MAMORI_APPEND_DEFAULT);

  /* Acting here, it is refused; arriving from the board, it is the school's record,
   * with no effect. */
  append_refused (db, late, MAMORI_RECORDS_ERROR_CONFLICT);
  late->server_seq = 42;
  append_ok (db, late, MAMORI_APPEND_RECEIVED);
  g_assert_nonnull (late->effect);
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_TEACHER);
  events = mamori_event_log_list (db, NULL, &error);
  g_assert_cmpstr (((MamoriEvent *)events->pdata[events->len - 1])->effect, ==, late->effect);
  g_assert_cmpint (((MamoriEvent *)events->pdata[events->len - 1])->server_seq, ==, 42);

  /* What is never kept: a teacher's roster change arrives refused, from anywhere (once
   * nothing unsent here could explain it). */
  acknowledge_all (db);
  g_assert_true (put_in_order (db));
  forged = sign_next (db, suzuki, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (kato->staff, MAMORI_ROLE_TEACHER));
  forged->server_seq = 43;
  g_assert_false (append (db, forged, MAMORI_APPEND_RECEIVED, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
}

/* The roster's fold, as text to compare. */
static char *
dump (MamoriDb *db)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *const *sql
       = (const char *[]){ "SELECT id, name, role, removed_seq IS NULL FROM staff ORDER BY id",
                           "SELECT hex(key), holder, label, retired_seq IS NULL FROM signing_keys "
                           "ORDER BY key",
                           "SELECT hex(id), effect FROM events ORDER BY id", NULL };
       *sql != NULL; sql++)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db->handle, *sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            g_string_append_printf (out, "%s|", (const char *)sqlite3_column_text (stmt, i));
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
put_in_order (MamoriDb *db)
{
  g_autoptr (GError) error = NULL;
  gboolean refolded;

  g_assert_true (mamori_db_exec (db, "BEGIN IMMEDIATE", NULL));
  mamori_event_log_put_in_order (db, SCHOOL_ID, &refolded, &error);
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (db, "COMMIT", NULL));
  return refolded;
}

static void
acknowledge (MamoriDb *db, const MamoriEvent *event, gint64 server_seq)
{
  g_autoptr (GError) error = NULL;
  gboolean found;

  g_assert_true (mamori_db_exec (db, "BEGIN IMMEDIATE", NULL));
  g_assert_true (mamori_event_log_set_server_seq (db, event->id, server_seq, &found, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_true (mamori_db_exec (db, "COMMIT", NULL));
}

/* Numbers what the board gave so far, as if it had all come from it. */
static gint64
acknowledge_all (MamoriDb *db)
{
  g_autoptr (GPtrArray) unsent = mamori_event_log_list_unsent (db, 0, NULL);

  for (guint i = 0; i < unsent->len; i++)
    acknowledge (db, unsent->pdata[i], i + 1);
  return unsent->len;
}

static void
test_canonical_order (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) sato = signer_new ();
  g_autoptr (Signer) kato = signer_new ();
  g_autoptr (Signer) suzuki = signer_new ();
  g_autoptr (MamoriEvent) mine = NULL, theirs = NULL, again = NULL;
  g_autoptr (GPtrArray) unsent = NULL;
  g_autoptr (GError) error = NULL;
  gint64 n = 0;

  two_admins (db, board, sato, kato, suzuki);
  n = acknowledge_all (db);
  g_assert_false (put_in_order (db));

  /* This computer (佐藤) makes 鈴木 office staff; before it is sent, the board brings
   * 加藤's change of 鈴木 to vice-principal, which it took first. */
  mine = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                    mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_OFFICE));
  append_ok (db, mine, MAMORI_APPEND_DEFAULT);
  theirs = sign_next (
      db, kato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
      mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_VICE_PRINCIPAL));
  theirs->server_seq = ++n;
  append_ok (db, theirs, MAMORI_APPEND_RECEIVED);
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_VICE_PRINCIPAL);
  unsent = mamori_event_log_list_unsent (db, 0, &error);
  g_assert_cmpuint (unsent->len, ==, 1);
  g_assert_cmpmem (((MamoriEvent *)unsent->pdata[0])->id, MAMORI_EVENT_ID_SIZE, mine->id,
                   MAMORI_EVENT_ID_SIZE);

  /* Sent, it comes after 加藤's: the last word is 佐藤's, as on every computer. */
  acknowledge (db, mine, ++n);
  g_assert_true (put_in_order (db));
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_OFFICE);
  g_assert_false (put_in_order (db));

  /* The same event again changes nothing; in order already, nothing is folded again. */
  again = sign_next (db, kato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_TEACHER));
  again->server_seq = ++n;
  append_ok (db, again, MAMORI_APPEND_RECEIVED);
  g_assert_false (put_in_order (db));
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_TEACHER);
  g_assert_true (mamori_event_log_check (db, TRUE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_remove_unsent (void)
{
  g_autoptr (MamoriDb) db = db_new ();
  g_autoptr (Signer) board = signer_new ();
  g_autoptr (Signer) sato = signer_new ();
  g_autoptr (Signer) kato = signer_new ();
  g_autoptr (Signer) suzuki = signer_new ();
  g_autoptr (MamoriEvent) first = NULL, second = NULL, third = NULL;
  g_autoptr (GPtrArray) removed = NULL;
  g_autoptr (GError) error = NULL;

  two_admins (db, board, sato, kato, suzuki);
  acknowledge_all (db);
  first = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_OFFICE));
  append_ok (db, first, MAMORI_APPEND_DEFAULT);
  acknowledge (db, first, 100);
  second = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (suzuki->staff, MAMORI_ROLE_TEACHER));
  append_ok (db, second, MAMORI_APPEND_DEFAULT);
  third = sign_next (db, sato, SCHOOL_ID, MAMORI_EVENT_STAFF_REMOVED,
                     mamori_roster_staff_removed_body (suzuki->staff));
  append_ok (db, third, MAMORI_APPEND_DEFAULT);

  /* What the board has cannot be taken back. */
  g_assert_true (mamori_db_exec (db, "BEGIN IMMEDIATE", NULL));
  g_assert_null (
      mamori_event_log_remove_unsent (db, SCHOOL_ID, sato->public_key, first->author_seq, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* The board refused the second: it and the third go, and the records are folded
   * without them. */
  removed = mamori_event_log_remove_unsent (db, SCHOOL_ID, sato->public_key, second->author_seq,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_cmpint (((MamoriEvent *)removed->pdata[1])->author_seq, ==, third->author_seq);
  g_assert_true (mamori_db_exec (db, "COMMIT", NULL));
  g_assert_true (put_in_order (db));
  g_assert_cmpint (role_of (db, suzuki->staff), ==, MAMORI_ROLE_OFFICE);
  g_assert_true (mamori_event_log_check (db, TRUE, NULL, &error));
  g_assert_no_error (error);
}

/* --- a property test: replicas, a board, and a network that misbehaves --------------------- */

#define N_REPLICAS 3
#define N_PEOPLE 5

typedef struct
{
  MamoriDb *db;
  Signer *admin;
  gint64 cursor;          /* the board's seq last pulled */
  GPtrArray *lost_pushes; /* batches whose answer was lost (MamoriEvent, copied) */
} Replica;

static void
replica_acknowledge (Replica *replica, GPtrArray *batch, GArray *seqs)
{
  g_assert_true (mamori_db_exec (replica->db, "BEGIN IMMEDIATE", NULL));
  for (guint i = 0; i < batch->len; i++)
    {
      gboolean found;

      g_assert_true (
          mamori_event_log_set_server_seq (replica->db, ((MamoriEvent *)batch->pdata[i])->id,
                                           g_array_index (seqs, gint64, i), &found, NULL));
    }
  g_assert_true (mamori_db_exec (replica->db, "COMMIT", NULL));
}

/* Pushes the replica's unsent events; the answer may be lost (the batch is kept, to be
 * delivered again later, as a retry or a stray duplicate). */
static void
replica_push (Replica *replica, MamoriDb *board, gboolean lose_answer)
{
  g_autoptr (GPtrArray) batch = mamori_event_log_list_unsent (replica->db, 4, NULL);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  int refused;

  if (batch->len == 0)
    return;
  refused = board_take (board, SCHOOL_ID, batch, seqs, NULL);
  if (refused >= 0)
    {
      MamoriEvent *event = batch->pdata[refused];
      g_autoptr (GPtrArray) removed = NULL;
      gboolean refolded;

      g_assert_true (mamori_db_exec (replica->db, "BEGIN IMMEDIATE", NULL));
      removed = mamori_event_log_remove_unsent (replica->db, SCHOOL_ID, event->author,
                                                event->author_seq, NULL);
      g_assert_nonnull (removed);
      g_assert_true (mamori_event_log_put_in_order (replica->db, SCHOOL_ID, &refolded, NULL));
      g_assert_true (mamori_db_exec (replica->db, "COMMIT", NULL));
      return;
    }
  if (lose_answer)
    {
      g_ptr_array_add (replica->lost_pushes, g_ptr_array_ref (batch));
      return;
    }
  replica_acknowledge (replica, batch, seqs);
}

/* Delivers a batch whose answer was lost again: a duplicate the board knows. */
static void
replica_push_again (Replica *replica, MamoriDb *board)
{
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (replica->lost_pushes->len == 0)
    return;
  batch = g_ptr_array_steal_index (replica->lost_pushes,
                                   g_random_int_range (0, replica->lost_pushes->len));
  g_assert_cmpint (board_take (board, SCHOOL_ID, batch, seqs, NULL), ==, -1);
  replica_acknowledge (replica, batch, seqs);
}

/* Pulls up to @limit events after the cursor; with @repeat, from an older cursor (a page
 * delivered twice). */
static void
replica_pull (Replica *replica, MamoriDb *board, guint limit, gboolean repeat)
{
  gint64 since = repeat ? MAX (0, replica->cursor - g_random_int_range (1, 6)) : replica->cursor;
  g_autoptr (GPtrArray) page = board_events_since (board, since, limit);
  gboolean refolded;

  g_assert_true (mamori_db_exec (replica->db, "BEGIN IMMEDIATE", NULL));
  for (guint i = 0; i < page->len; i++)
    {
      MamoriEvent *event = page->pdata[i];
      g_autoptr (GError) error = NULL;
      gboolean found;

      g_assert_true (mamori_event_log_set_server_seq (replica->db, event->id, event->server_seq,
                                                      &found, &error));
      if (!found)
        g_assert_true (mamori_event_log_append (replica->db, SCHOOL_ID, event,
                                                MAMORI_APPEND_RECEIVED, &error));
      g_assert_no_error (error);
      replica->cursor = MAX (replica->cursor, event->server_seq);
    }
  g_assert_true (mamori_event_log_put_in_order (replica->db, SCHOOL_ID, &refolded, NULL));
  g_assert_true (mamori_db_exec (replica->db, "COMMIT", NULL));
}

/* An administrator's random change to the roster, made here if the records allow it. */
static void
replica_act (Replica *replica, Signer **people, GPtrArray *names)
{
  static const MamoriRole roles[]
      = { MAMORI_ROLE_TEACHER, MAMORI_ROLE_OFFICE, MAMORI_ROLE_VICE_PRINCIPAL };
  g_autoptr (MamoriEvent) event = NULL;
  Signer *person = people[g_random_int_range (0, N_PEOPLE)];
  JsonNode *body;
  const char *type;

  switch (g_random_int_range (0, 4))
    {
    case 0:
      type = MAMORI_EVENT_STAFF_REMOVED;
      body = mamori_roster_staff_removed_body (person->staff);
      break;
    case 1:
      {
        g_autofree char *id = mamori_roster_new_staff_id ();

        /* Few names, so that two administrators sometimes add the same one. */
        type = MAMORI_EVENT_STAFF_ADDED;
        body = mamori_roster_staff_added_body (
            id, g_ptr_array_index (names, g_random_int_range (0, names->len)), MAMORI_ROLE_TEACHER,
            NULL);
        break;
      }
    default:
      type = MAMORI_EVENT_STAFF_ROLE_CHANGED;
      body
          = mamori_roster_staff_role_changed_body (person->staff, roles[g_random_int_range (0, 3)]);
    }
  event = sign_next (replica->db, replica->admin, SCHOOL_ID, type, body);
  append (replica->db, event, MAMORI_APPEND_DEFAULT, NULL);
}

static void
test_replicas_converge (gconstpointer data)
{
  g_autoptr (MamoriDb) board = db_new ();
  g_autoptr (Signer) board_key = signer_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree char *expected = NULL;
  g_autoptr (sqlite3_stmt) no_effect = NULL;
  Signer *people[N_PEOPLE];
  Replica replicas[N_REPLICAS];

  g_random_set_seed (GPOINTER_TO_UINT (data));
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (names, g_strdup_printf ("新任 %u", i));
  g_ptr_array_set_free_func (names, g_free);

  /* The board creates the school, its administrators (one per replica) and people. */
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      MamoriRosterKeys keys;
      g_autofree char *name = g_strdup_printf ("管理者 %u", r);

      replicas[r].admin = signer_new ();
      replicas[r].cursor = 0;
      replicas[r].lost_pushes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
      if (r == 0)
        {
          pin (board, board_key);
          act (board, board_key, MAMORI_EVENT_SCHOOL_CREATED,
               mamori_roster_school_created_by_board_body ("収束小学校", BOARD_ID,
                                                           board_key->public_key));
        }
      signer_keys (replicas[r].admin, &keys);
      act (board, board_key, MAMORI_EVENT_STAFF_ADDED,
           mamori_roster_staff_added_body (replicas[r].admin->staff, name,
                                           MAMORI_ROLE_VICE_PRINCIPAL, &keys));
    }
  for (guint p = 0; p < N_PEOPLE; p++)
    {
      g_autofree char *name = g_strdup_printf ("職員 %u", p);

      people[p] = signer_new ();
      act (board, board_key, MAMORI_EVENT_STAFF_ADDED,
           mamori_roster_staff_added_body (people[p]->staff, name, MAMORI_ROLE_TEACHER, NULL));
    }
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      replicas[r].db = db_new ();
      pin (replicas[r].db, board_key);
      replica_pull (&replicas[r], board, 1000, FALSE);
    }

  /* Every replica acts, pushes (answers lost), pushes again, pulls pages (some twice),
   * in a random interleaving. */
  for (guint step = 0; step < 400; step++)
    {
      Replica *replica = &replicas[g_random_int_range (0, N_REPLICAS)];

      switch (g_random_int_range (0, 6))
        {
        case 0:
        case 1:
          replica_act (replica, people, names);
          break;
        case 2:
          replica_push (replica, board, g_random_int_range (0, 4) == 0);
          break;
        case 3:
          replica_push_again (replica, board);
          break;
        default:
          replica_pull (replica, board, g_random_int_range (1, 8), g_random_int_range (0, 4) == 0);
        }
    }

  /* The network heals: everything is delivered, and every copy folds alike. */
  for (guint round = 0; round < 3; round++)
    for (guint r = 0; r < N_REPLICAS; r++)
      {
        while (replicas[r].lost_pushes->len > 0)
          replica_push_again (&replicas[r], board);
        for (guint i = 0; i < 50; i++)
          replica_push (&replicas[r], board, FALSE);
        replica_pull (&replicas[r], board, 100000, FALSE);
      }
  expected = dump (board);
  for (guint r = 0; r < N_REPLICAS; r++)
    {
      g_autofree char *got = dump (replicas[r].db);
      g_autoptr (GPtrArray) unsent = mamori_event_log_list_unsent (replicas[r].db, 0, NULL);

      g_assert_cmpuint (unsent->len, ==, 0);
      g_assert_cmpstr (got, ==, expected);
      g_assert_true (mamori_event_log_check (replicas[r].db, TRUE, NULL, NULL));
      db_free (replicas[r].db);
      signer_free (replicas[r].admin);
      g_ptr_array_unref (replicas[r].lost_pushes);
    }
  for (guint p = 0; p < N_PEOPLE; p++)
    signer_free (people[p]);

  /* The run met the case this is about: events that came too late. */
  g_assert_cmpint (sqlite3_prepare_v2 (board->handle,
                                       "SELECT count(*) FROM events WHERE effect IS NOT NULL", -1,
                                       &no_effect, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (no_effect), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (no_effect, 0), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

  g_test_add_func ("/board-records/board-created-school", test_board_created_school);
  g_test_add_func ("/board-records/chains-per-school", test_chains_per_school);
  g_test_add_func ("/board-records/school-joined", test_school_joined);
  g_test_add_func ("/board-records/no-effect", test_no_effect);
  g_test_add_func ("/board-records/canonical-order", test_canonical_order);
  g_test_add_func ("/board-records/remove-unsent", test_remove_unsent);
  for (guint seed = 1; seed <= 8; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/board-records/replicas-converge/%u", seed);

      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_replicas_converge);
    }
  return g_test_run ();
}
