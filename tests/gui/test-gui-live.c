/* test-gui-live.c — approvals travel between two computers in seconds, in the app
 * (issue 11), against a real mamori-board on loopback
 *
 * A teacher's and a vice-principal's computers, each with its own vault of the same
 * school, each behind a relay that counts what it sends.  The fallback round is set to
 * an hour, so nothing arrives in the test but by the watch and the push at once: the
 * teacher files a request and the vice-principal's session has it within seconds, no
 * button pressed; the approval comes back the same way.  A locked session sends
 * nothing more.  The board goes away (offline) and comes back (synced, and live again).
 *
 * Usage: test-gui-live PATH/TO/mamori-board
 * With MAMORI_SCREENSHOT_DIR set, the teacher's window is saved there as sync-live.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-lookup.h"
#include "mamori-sync-indicator.h"
#include "mamori-takeout.h"
#include "mamori-test-util.h"
#include "tcp-relay.h"

#define PASSPHRASE "live test passphrase"
/* What the test allows for a record to cross: the watch makes it well under a second. */
#define CROSSING_LIMIT_USEC (5 * G_USEC_PER_SEC)

typedef struct
{
  MamoriSession *session;
  MamoriWindow *window;
  TcpRelay *relay;
  guint records_changed;
} Computer;

static void
records_changed_cb (MamoriSession *session, Computer *computer)
{
  computer->records_changed++;
}

/* A person's computer: enrolled through a relay of its own, the fallback round an hour
 * away, the window open. */
static Computer *
computer_new (const char *dir, const char *who, Board *board, const char *code)
{
  Computer *computer = g_new0 (Computer, 1);
  g_autofree char *path = g_build_filename (dir, who, "school.mamori", NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  computer->relay = tcp_relay_new (board->uri);
  computer->session = g_object_new (MAMORI_TYPE_SESSION, "path", path, "sync-interval", 3600, NULL);
  g_signal_connect (computer->session, "records-changed", G_CALLBACK (records_changed_cb),
                    computer);
  computer->window = g_object_new (MAMORI_TYPE_WINDOW, "session", computer->session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (computer->window), 1000, 600);
  gtk_window_present (GTK_WINDOW (computer->window));
  mamori_test_flush ();
  mamori_session_enroll_async (computer->session, tcp_relay_get_uri (computer->relay), code,
                               mamori_secure_strdup (PASSPHRASE), NULL, NULL, NULL);
  mamori_test_wait_for_view (computer->window, "main");
  return computer;
}

static void
computer_free (Computer *computer)
{
  /* Locked first, as when the app quits: no round starts any more, and one still
   * running ends. */
  mamori_session_lock (computer->session);
  mamori_test_wait_for_session (computer->session);
  gtk_window_destroy (GTK_WINDOW (computer->window));
  mamori_test_flush ();
  g_assert_finalize_object (computer->session);
  /* The session's connections close with it. */
  while (tcp_relay_get_open (computer->relay) > 0)
    g_main_context_iteration (NULL, TRUE);
  tcp_relay_free (computer->relay);
  g_free (computer);
}

/* Iterates until @done says so, at most @limit µs; how long it took. */
static gint64
wait_until (gboolean (*done) (Computer *), Computer *computer, gint64 limit)
{
  gint64 start = g_get_monotonic_time ();

  while (!done (computer))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, limit);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return g_get_monotonic_time () - start;
}

static void
iterate_for (gint64 usec)
{
  for (gint64 until = g_get_monotonic_time () + usec; g_get_monotonic_time () < until;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static gboolean
is_live (Computer *computer)
{
  return mamori_session_get_sync_live (computer->session)
         && mamori_session_get_sync_state (computer->session) == MAMORI_SYNC_STATE_SYNCED;
}

static gboolean
is_offline (Computer *computer)
{
  return mamori_session_get_sync_state (computer->session) == MAMORI_SYNC_STATE_OFFLINE;
}

static gboolean
is_free (Computer *computer)
{
  return !mamori_session_get_busy (computer->session);
}

#define REVISED_TITLE "大分県立学校情報セキュリティポリシー（改訂）"

/* Whether @computer looks up in the policy the board published last. */
static gboolean
has_revised_policy (Computer *computer)
{
  MamoriLookup *lookup = mamori_session_get_lookup (computer->session);

  return lookup != NULL
         && g_str_equal (mamori_policy_get_title (mamori_lookup_get_policy (lookup)),
                         REVISED_TITLE);
}

/* The state of the request @id in @computer's vault, or -1 when it has none. */
static int
request_state (Computer *computer, const char *id)
{
  MamoriVault *vault = mamori_session_get_vault (computer->session);
  g_autoptr (MamoriTakeoutRequest) request = NULL;

  if (mamori_session_get_busy (computer->session)
      || mamori_session_get_state (computer->session) != MAMORI_SESSION_STATE_UNLOCKED)
    return -1;
  request = mamori_takeout_find (mamori_vault_get_store (vault), id, NULL);
  return request != NULL ? (int)request->state : -1;
}

/* What the test waits for: a request in a state, on a computer. */
static const char *awaited_id;
static int awaited_state;

static gboolean
has_awaited (Computer *computer)
{
  return computer->records_changed > 0 && request_state (computer, awaited_id) == awaited_state;
}

static gint64
wait_for_request (Computer *computer, const char *id, MamoriTakeoutState state)
{
  awaited_id = id;
  awaited_state = state;
  return wait_until (has_awaited, computer, CROSSING_LIMIT_USEC);
}

/* As the request form does: written in the session's vault, in the main thread. */
static char *
file_request (Computer *teacher)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "通知表の下書き", "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_PAPER;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("所見の記入");
  draft->date_from = g_strdup ("2099-01-06");
  draft->date_until = g_strdup ("2099-01-10");
  request = mamori_takeout_file (mamori_session_get_vault (teacher->session), draft, &error);
  g_assert_no_error (error);
  return g_strdup (request->id);
}

static void
decided_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_session_decide_takeout_finish (MAMORI_SESSION (source), result, &error));
  g_assert_no_error (error);
}

static void
test_live (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autoptr (Board) board = board_new_empty ();
  g_autofree char *school = NULL, *vp_code = NULL, *teacher_code = NULL;
  g_autofree char *oita
      = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "policies", "oita-abcd.json", NULL);
  g_autofree char *first = NULL, *second = NULL, *policy_text = NULL, *revised = NULL;
  Computer *teacher, *vp;
  MamoriSyncIndicator *indicator;
  guint64 sent;
  gint64 took;

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", board->dir, "さくら小学校", NULL },
                 &school),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, oita, NULL }, NULL), ==,
      0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", board->dir, "--school", school, "--name",
                                   "佐藤 花子", "--role", "vice-principal", NULL },
                 &vp_code),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", board->dir, "--school", school, "--name",
                                   "鈴木 一郎", "--role", "teacher", NULL },
                 &teacher_code),
      ==, 0);
  board_serve (board);
  teacher = computer_new (dir, "teacher", board, teacher_code);
  vp = computer_new (dir, "vp", board, vp_code);
  wait_until (is_live, teacher, CROSSING_LIMIT_USEC);
  wait_until (is_live, vp, CROSSING_LIMIT_USEC);
  g_assert_cmpuint (mamori_session_get_sync_interval (vp->session), ==, 3600);

  /* The header bar while live: synced, the watch waiting. */
  indicator = MAMORI_SYNC_INDICATOR (
      mamori_test_find_widget (GTK_WIDGET (teacher->window), MAMORI_TYPE_SYNC_INDICATOR));
  g_assert_nonnull (indicator);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (indicator)));
  mamori_test_screenshot (GTK_WIDGET (teacher->window), "sync-live.png");

  /* The teacher files; the vice-principal has it without anyone pressing 今すぐ同期. */
  vp->records_changed = 0;
  first = file_request (teacher);
  took = wait_for_request (vp, first, MAMORI_TAKEOUT_STATE_PENDING);
  g_test_message ("request crossed in %.0f ms", took / 1000.0);

  /* The approval comes back the same way. */
  wait_until (is_free, vp, CROSSING_LIMIT_USEC);
  teacher->records_changed = 0;
  mamori_session_decide_takeout_async (vp->session, MAMORI_TAKEOUT_DECISION_APPROVE, first, NULL,
                                       mamori_secure_strdup (PASSPHRASE), NULL, decided_cb, NULL);
  took = wait_for_request (teacher, first, MAMORI_TAKEOUT_STATE_APPROVED);
  g_test_message ("approval crossed in %.0f ms", took / 1000.0);

  /* The board publishes a revised policy: the open windows look up in it as soon as sync
   * brings it, without being locked and unlocked. */
  g_assert_true (g_file_get_contents (oita, &policy_text, NULL, NULL));
  revised = g_build_filename (dir, "revised.json", NULL);
  {
    g_autoptr (GString) text = g_string_new (policy_text);

    g_assert_cmpuint (g_string_replace (text, "大分県立学校情報セキュリティポリシー（重要度A～D）",
                                        REVISED_TITLE, 1),
                      ==, 1);
    g_assert_true (g_file_set_contents (revised, text->str, -1, NULL));
  }
  g_assert_false (has_revised_policy (teacher));
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, revised, NULL }, NULL),
      ==, 0);
  wait_until (has_revised_policy, teacher, CROSSING_LIMIT_USEC);
  wait_until (has_revised_policy, vp, CROSSING_LIMIT_USEC);

  /* Locked: the watch ends and the vice-principal's computer asks the board nothing.
   * (What it sent before, the relay has passed on first.) */
  wait_until (is_live, vp, CROSSING_LIMIT_USEC);
  iterate_for (G_USEC_PER_SEC / 2);
  mamori_session_lock (vp->session);
  g_assert_false (mamori_session_get_sync_live (vp->session));
  sent = tcp_relay_get_bytes_sent (vp->relay);
  iterate_for (2 * G_USEC_PER_SEC);
  g_assert_cmpuint (tcp_relay_get_bytes_sent (vp->relay), ==, sent);
  g_assert_cmpuint (tcp_relay_get_open (vp->relay), ==, 0);

  /* The board goes away: the teacher's computer says so by itself. */
  board_kill (board);
  tcp_relay_set_upstream (teacher->relay, NULL);
  wait_until (is_offline, teacher, CROSSING_LIMIT_USEC);
  /* It comes back (on another port, behind the same address): synced and live again. */
  board_serve (board);
  tcp_relay_set_upstream (teacher->relay, board->uri);
  tcp_relay_set_upstream (vp->relay, board->uri);
  wait_until (is_live, teacher, 20 * G_USEC_PER_SEC);

  /* And live it is: a request filed now reaches the vice-principal, unlocked again. */
  mamori_session_unlock_async (vp->session, mamori_session_get_last_user (vp->session),
                               mamori_secure_strdup (PASSPHRASE), NULL, NULL);
  wait_until (is_live, vp, CROSSING_LIMIT_USEC);
  vp->records_changed = 0;
  second = file_request (teacher);
  took = wait_for_request (vp, second, MAMORI_TAKEOUT_STATE_PENDING);
  g_test_message ("after the board came back, a request crossed in %.0f ms", took / 1000.0);

  computer_free (teacher);
  computer_free (vp);
  mamori_test_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }
  mamori_test_init (&argc, &argv);
  /* The screenshot is the Japanese user guide's. */
  if (g_getenv ("MAMORI_SCREENSHOT_DIR") != NULL)
    mamori_test_use_japanese ();
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/gui/live/approval", test_live);
  return g_test_run ();
}
