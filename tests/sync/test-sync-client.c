/* test-sync-client.c — MamoriSyncClient against a board in the test that misbehaves on
 * demand: a session that expires, acknowledgements lost after the events were stored,
 * a board that is down, refusals, a board restored from an older copy
 *
 * The board here is docs/protocol.md's session, push and pull over the records' own
 * checks (tests/records/records-board.c), served by a SoupServer in a thread of its own (the client
 * blocks); mamori-board itself is tested in tests/board/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sys/wait.h>
#include <string.h>

#include "records-board.h"
#include "test-board.h"
#include "mamori-event-log.h"
#include "mamori-event-wire.h"
#include "mamori-level.h"
#include "mamori-policy.h"
#include "mamori-records-error.h"
#include "mamori-register.h"
#include "mamori-signing.h"
#include "mamori-sync-client.h"
#include "mamori-sync-join.h"
#include "mamori-text.h"
#include "mamori-vault-sync.h"
#include "vfs-test-util.h"

#define PRINCIPAL "校長 佐藤"
#define PRINCIPAL_PASS "principal sync pass"
#define OFFICE "事務 鈴木"
#define OFFICE_PASS "office sync pass"

static const char *cli_path;

typedef struct
{
  char *dir;
  Board board;
  MamoriVault *principal;
  MamoriVault *office;
} Fixture;

/* --- the school ----------------------------------------------------------------------- */

static gboolean
sync_vault (MamoriVault *vault, MamoriSyncReport *report, GError **error)
{
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (vault, error);

  return client != NULL && mamori_sync_client_sync (client, 0, NULL, report, error);
}

static void
sync_ok (MamoriVault *vault, MamoriSyncReport *report)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = sync_vault (vault, report, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gint64
count_events (MamoriDb *db)
{
  gint64 count = -1;

  g_assert_true (mamori_event_log_count (db, &count, NULL));
  return count;
}

/* The school of test-vault-sync.c, joined to the board in the test through the client. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *principal_path = NULL, *office_path = NULL;
  g_autoptr (GArray) heads = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto (MamoriSyncReport) report = { 0 };

  f->dir = vfs_test_make_dir ();
  principal_path = g_build_filename (f->dir, "principal.mamori", NULL);
  office_path = g_build_filename (f->dir, "office.mamori", NULL);
  f->principal
      = mamori_vault_create (principal_path, "さくら小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                             PRINCIPAL_PASS, test_keep_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->principal, OFFICE, MAMORI_ROLE_OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->principal);
  g_clear_object (&f->principal);
  test_copy_vault (principal_path, office_path);

  f->board.key = signer_new ();
  f->board.db = db_new ();
  f->board.epoch = g_strdup ("e0000000000000000000000000000001");
  pin (f->board.db, f->board.key);
  board_start (&f->board);

  f->principal = test_open_as (principal_path, PRINCIPAL, PRINCIPAL_PASS);
  f->board.school_id = g_strdup (mamori_vault_get_school_id (f->principal));
  g_assert_true (mamori_vault_join_board (f->principal, BOARD_ID, f->board.key->public_key,
                                          BOARD_NAME, f->board.url, NULL, &error));
  g_assert_no_error (error);
  sync_ok (f->principal, &report);
  g_assert_cmpuint (report.pushed, ==, count_events (f->board.db));

  heads = mamori_event_log_heads (f->board.db, f->board.school_id, &error);
  g_assert_no_error (error);
  g_ptr_array_add (
      batch,
      sign_next (f->board.db, f->board.key, f->board.school_id, MAMORI_EVENT_SCHOOL_JOINED,
                 mamori_roster_school_joined_body (BOARD_ID, f->board.key->public_key, heads)));
  g_assert_cmpint (board_take (f->board.db, f->board.school_id, batch, seqs, &error), ==, -1);

  f->office = test_open_as (office_path, PRINCIPAL, PRINCIPAL_PASS);
  g_assert_true (mamori_vault_join_board (f->office, BOARD_ID, f->board.key->public_key, BOARD_NAME,
                                          f->board.url, NULL, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->office);
  g_assert_true (mamori_vault_unlock (f->office, OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  if (data != NULL)
    return; /* the test syncs the office itself */
  /* Its copy of the history goes too, and is stored once. */
  sync_ok (f->office, &report);
  g_assert_cmpuint (report.pushed, ==, count_events (f->board.db) - 1);
  g_assert_cmpuint (report.received, ==, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->principal);
  g_clear_object (&f->office);
  board_stop (&f->board);
  vfs_test_remove_dir (f->dir);
  g_free (f->dir);
}

static gint64
count_entries (MamoriVault *vault)
{
  gint64 count = -1;

  g_assert_true (mamori_register_count (mamori_vault_get_store (vault), &count, NULL));
  return count;
}

/* --- tests ------------------------------------------------------------------------------- */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_auto (MamoriSyncReport) sent = { 0 };
  g_auto (MamoriSyncReport) got = { 0 };
  gint64 before = count_events (f->board.db);

  /* The office has not synced since the school joined: it sends its copy of the history
   * (stored once) and its new entry, which the board numbers after school-joined; the
   * office then gets school-joined, numbered before its own entry, and folds again in
   * the board's order. */
  test_add_entry (f->office, "指導要録");
  sync_ok (f->office, &sent);
  g_assert_cmpuint (sent.pushed, ==, before);
  g_assert_cmpuint (sent.received, ==, 1);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->office)), ==,
                   count_events (f->board.db));

  sync_ok (f->principal, &got);
  g_assert_cmpuint (got.received, ==, 2); /* school-joined, and the entry */
  g_assert_nonnull (got.arrived);
  g_assert_cmpuint (got.arrived->len, ==, 2);
  g_assert_cmpstr (((MamoriEvent *)got.arrived->pdata[0])->type, ==, MAMORI_EVENT_SCHOOL_JOINED);
  g_assert_cmpstr (((MamoriEvent *)got.arrived->pdata[1])->type, ==, MAMORI_EVENT_ASSET_ADDED);
  g_assert_cmpint (count_entries (f->principal), ==, 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->principal)), ==,
                   count_events (f->board.db));
}

static void
test_lost_acknowledgement (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  gint64 before = count_events (f->board.db);

  /* The board stored the push, but its answer never came: the events stay in the outbox… */
  test_add_entry (f->office, "指導要録");
  f->board.lose_ack = TRUE;
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpint (test_count_unsent (f->office), ==, 1);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);

  /* …and sent again, they are stored once. */
  sync_ok (f->office, &report);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->office)), ==,
                   count_events (f->board.db));
}

static void
test_session_expired (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (f->office, NULL);
  g_autoptr (GError) error = NULL;
  guint sessions;

  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  sessions = f->board.sessions;
  /* The token has expired: a new session, once, and the round goes on. */
  f->board.expire = TRUE;
  test_add_entry (f->office, "指導要録");
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->board.sessions, ==, sessions + 1);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
}

static void
test_board_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strdup (f->board.url);

  test_add_entry (f->office, "指導要録");
  f->board.down = 1;
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpint (test_count_unsent (f->office), ==, 1);
  g_assert_cmpint (count_entries (f->office), ==, 1);

  /* Nobody listening at all. */
  board_stop (&f->board);
  memset (&f->board, 0, sizeof f->board);
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpint (test_count_unsent (f->office), ==, 1);

  /* The tear-down stops a board: a new, empty one on another port. */
  f->board.key = signer_new ();
  f->board.db = db_new ();
  f->board.epoch = g_strdup ("e0000000000000000000000000000009");
  board_start (&f->board);
  g_assert_cmpstr (f->board.url, !=, url);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };

  /* A refusal an honest vault cannot meet: nothing is dropped, sync stops. */
  test_add_entry (f->office, "指導要録");
  f->board.refuse_as = "bad-signature";
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (test_count_unsent (f->office), ==, 1);
  g_assert_cmpint (count_entries (f->office), ==, 1);

  /* The records changed under the vault: 鈴木 is a teacher now, the entry is taken back
   * and the report says so. */
  sync_ok (f->principal, NULL);
  g_assert_true (mamori_vault_set_role (f->principal, OFFICE, MAMORI_ROLE_TEACHER, &error));
  g_assert_no_error (error);
  sync_ok (f->principal, NULL);
  sync_ok (f->office, &report);
  g_assert_nonnull (report.undone);
  g_assert_cmpuint (report.undone->len, ==, 1);
  g_assert_cmpstr (((MamoriEvent *)report.undone->pdata[0])->type, ==, MAMORI_EVENT_ASSET_ADDED);
  /* Why, in the user's language (the board's own message is in the board's), and the
   * board's code. */
  g_assert_cmpstr (report.undone_code, ==, "not-permitted");
  g_assert_cmpstr (report.undone_reason, ==,
                   "The board of education refused it: your role no longer permits it");
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  g_assert_cmpint (count_entries (f->office), ==, 0);
}

static void
test_board_restored (Fixture *f, gconstpointer data)
{
  g_auto (MamoriSyncReport) report = { 0 };
  gint64 before;

  test_add_entry (f->office, "指導要録");
  sync_ok (f->office, NULL);
  sync_ok (f->principal, NULL);
  before = count_events (f->board.db);

  /* Restored from a copy older than everything: a new epoch, only the board's pin. */
  db_free (f->board.db);
  f->board.db = db_new ();
  pin (f->board.db, f->board.key);
  g_free (f->board.epoch);
  f->board.epoch = g_strdup ("e0000000000000000000000000000002");
  sync_ok (f->principal, &report);
  g_assert_cmpint (count_events (f->board.db), ==, before);
  sync_ok (f->office, NULL);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (f->board.db), ==, before);
  g_assert_cmpint (count_entries (f->principal), ==, 1);
}

/* `mamori-cli sync --once --json` as a script runs it: its exit status and output. */
static int
run_sync_cli (Fixture *f, char **out_json)
{
  g_autofree char *vault = g_build_filename (f->dir, "principal.mamori", NULL);
  g_autofree char *pass = g_build_filename (f->dir, "pass", NULL);
  const char *argv[]
      = { cli_path, "sync",   "--vault", vault, "--user", PRINCIPAL, "--passphrase-file",
          pass,     "--once", "--json",  NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  /* The client's leaks are looked for in mamori-cli, whatever this process tolerates
   * (meson.build says why). */
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS",
                                         "detect_leaks=1:check_initialization_order=1", TRUE);
  int wait_status;

  g_assert_true (g_file_set_contents (pass, PRINCIPAL_PASS "\n", -1, NULL));

  g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, out_json,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("mamori-cli: %s", err);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *offline = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;

  test_add_entry (f->office, "指導要録");
  sync_ok (f->office, NULL);
  g_clear_object (&f->principal);

  g_assert_cmpint (run_sync_cli (f, &out), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (report, "pushed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (report, "unsent"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "undone")), ==, 0);
  g_assert_true (json_object_get_null_member (report, "undone_reason"));
  g_assert_true (json_object_get_null_member (report, "undone_code"));

  /* The board down: exit 10, nothing lost. */
  f->board.down = 1;
  g_assert_cmpint (run_sync_cli (f, &offline), ==, 10);
}

static void
test_join (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriBoardLink) link = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  Board board = { 0 };
  gint64 unjoined;

  vault = mamori_vault_create (path, "さくら小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                               PRINCIPAL_PASS, test_keep_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mamori_vault_add_user (vault, OFFICE, MAMORI_ROLE_OFFICE, OFFICE_PASS, &error));
  test_add_entry (vault, "指導要録");
  unjoined = count_events (mamori_vault_get_store (vault));

  board.key = signer_new ();
  board.db = db_new ();
  board.epoch = g_strdup ("e0000000000000000000000000000001");
  board.school_id = g_strdup ("0123456789abcdef0123456789abcdef");
  board.join_code = "7KQM2XHD94TC";
  pin (board.db, board.key);
  board_start (&board);

  /* A code for another school is not spent on this one. */
  g_assert_false (mamori_sync_join_board (vault, board.url, "7kqm-2xhd-94tc", "職員室PC", NULL,
                                          NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_null (mamori_vault_get_board_link (vault, &error));
  g_assert_no_error (error);

  /* The right school: the history goes, the board confirms it, and it comes back. */
  g_free (board.school_id);
  board.school_id = g_strdup (mamori_vault_get_school_id (vault));
  g_assert_false (mamori_sync_join_board (vault, board.url, "NOT-A-CODE", "職員室PC", NULL, NULL,
                                          NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT);
  g_clear_error (&error);
  /* Nor a name with a control character for this computer, nor a board off loopback
   * without TLS: refused before anything is sent. */
  g_assert_false (mamori_sync_join_board (vault, board.url, "7KQM-2XHD-94TC", "PC\033[31m", NULL,
                                          NULL, NULL, &error));
  g_assert_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mamori_sync_join_board (vault, "http://192.0.2.1:8080", "7KQM-2XHD-94TC",
                                          "職員室PC", NULL, NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_false (board.code_used);
  g_assert_true (mamori_sync_join_board (vault, board.url, "7kqm-2xhd-94tc", "職員室PC", NULL, NULL,
                                         &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.received, ==, 1);
  g_assert_cmpint (count_events (board.db), ==, unjoined + 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (vault)), ==, unjoined + 1);
  g_assert_cmpint (test_count_unsent (vault), ==, 0);
  link = mamori_vault_get_board_link (vault, &error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->url, ==, board.url);

  /* The code is spent. */
  g_assert_false (mamori_sync_join_board (vault, board.url, "7KQM-2XHD-94TC", "職員室PC", NULL,
                                          NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);

  g_clear_object (&vault);
  board_stop (&board);
  vfs_test_remove_dir (dir);
}

static void
test_normalize_code (void)
{
  static const struct
  {
    const char *typed, *normal;
  } cases[] = {
    { "7KQM-2XHD-94TC", "7KQM2XHD94TC" },
    { "7kqm 2xhd 94tc", "7KQM2XHD94TC" },
    { "OIL0-2XHD-94TC", "0110"
                        "2XHD94TC" },
    { "7KQM-2XHD-94T", NULL },
    { "7KQM-2XHD-94TCX", NULL },
    { "7KQM-2XHD-94TU", NULL },
    { "7KQM-2XHD-94T!", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal = mamori_sync_normalize_code (cases[i].typed);

      g_assert_cmpstr (normal, ==, cases[i].normal);
    }
}

static void
test_next_delay (void)
{
  /* What the board asked, else 1, 2, 4 … 300 seconds, each ×0.5–1.5. */
  g_assert_cmpuint (mamori_sync_next_delay (1, 7), ==, 7000);
  for (guint i = 0; i < 200; i++)
    {
      guint first = mamori_sync_next_delay (1, 0);
      guint fourth = mamori_sync_next_delay (4, 0);
      guint late = mamori_sync_next_delay (40, 0);

      g_assert_cmpuint (first, >=, 500);
      g_assert_cmpuint (first, <=, 1500);
      g_assert_cmpuint (fourth, >=, 4000);
      g_assert_cmpuint (fourth, <=, 12000);
      g_assert_cmpuint (late, >=, 150000);
      g_assert_cmpuint (late, <=, 450000);
    }
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add ("/sync-client/round-trip", Fixture, "office not synced", fixture_set_up,
              test_round_trip, fixture_tear_down);
  ADD ("/sync-client/lost-acknowledgement", test_lost_acknowledgement);
  ADD ("/sync-client/session-expired", test_session_expired);
  ADD ("/sync-client/board-down", test_board_down);
  ADD ("/sync-client/refused", test_refused);
  ADD ("/sync-client/board-restored", test_board_restored);
  ADD ("/sync-client/cli", test_cli);
#undef ADD
  g_test_add_func ("/sync-client/next-delay", test_next_delay);
  g_test_add_func ("/sync-client/join", test_join);
  g_test_add_func ("/sync-client/normalize-code", test_normalize_code);
  return g_test_run ();
}
