/* bench-live-sync.c — how long an approval takes between two computers in the app
 * (issue 11): from the moment a change is written in one MamoriSession's vault to the
 * other session's "records-changed" with the change in its vault, against mamori-board
 * on loopback, with the sessions' own live sync (the watch and the push at once; the
 * fallback round an hour away, so it plays no part)
 *
 * Figures are `name: value unit`.
 *
 *   _build/tests/bench/bench-live-sync MAMORI-BOARD [--quick]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-session.h"
#include "mamori-takeout.h"

#define PASSPHRASE "bench live sync passphrase"

typedef struct
{
  MamoriSession *session;
  guint records_changed;
} Computer;

static void
records_changed_cb (MamoriSession *session, Computer *computer)
{
  computer->records_changed++;
}

static void
wait_while (gboolean (*busy) (Computer *), Computer *computer)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (busy (computer))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
not_live (Computer *computer)
{
  return !mamori_session_get_sync_live (computer->session)
         || mamori_session_get_busy (computer->session);
}

static gboolean
not_locked (Computer *computer)
{
  return mamori_session_get_busy (computer->session)
         || mamori_session_get_state (computer->session) != MAMORI_SESSION_STATE_LOCKED;
}

static Computer *
computer_new (const char *dir, const char *who, Board *board, const char *code)
{
  Computer *computer = g_new0 (Computer, 1);
  g_autofree char *path = g_build_filename (dir, who, "school.mamori", NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  computer->session = g_object_new (MAMORI_TYPE_SESSION, "path", path, "sync-interval", 3600, NULL);
  g_signal_connect (computer->session, "records-changed", G_CALLBACK (records_changed_cb),
                    computer);
  mamori_session_enroll_async (computer->session, board->uri, code,
                               mamori_secure_strdup (PASSPHRASE), NULL, NULL, NULL);
  wait_while (not_live, computer);
  return computer;
}

static const char *awaited_id;
static MamoriTakeoutState awaited_state;

/* Until @computer heard of the change and holds it. */
static gboolean
not_arrived (Computer *computer)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;

  if (computer->records_changed == 0 || mamori_session_get_busy (computer->session))
    return TRUE;
  request = mamori_takeout_find (
      mamori_vault_get_store (mamori_session_get_vault (computer->session)), awaited_id, NULL);
  return request == NULL || request->state != awaited_state;
}

/* The time from now until @computer has @id in @state, in µs. */
static gint64
crossing (Computer *computer, gint64 start, const char *id, MamoriTakeoutState state)
{
  awaited_id = id;
  awaited_state = state;
  wait_while (not_arrived, computer);
  return g_get_monotonic_time () - start;
}

static int
compare (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static double
median_ms (GArray *values)
{
  g_array_sort (values, compare);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

static double
max_ms (GArray *values)
{
  g_array_sort (values, compare);
  return g_array_index (values, gint64, values->len - 1) / 1000.0;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *vp_code = NULL, *teacher_code = NULL, *document = NULL, *policy_path = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  gsize length;
  g_autoptr (Board) board = NULL;
  g_autoptr (GArray) requests = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) approvals = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean quick = argc > 2 && g_str_equal (argv[2], "--quick");
  guint rounds = quick ? 3 : 20;
  Computer *teacher, *vp;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-live-sync MAMORI-BOARD [--quick]\n");
      return 2;
    }
  board_program = argv[1];
  /* The approver's passphrase is asked at each decision: its key derivation is not what
   * is measured here (bench-unlock is). */
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  if (!mamori_crypto_init (&error))
    g_error ("%s", error->message);
  board = board_new ();
  /* Take-out follows the policy in force: the board's, published first. */
  policy = mamori_policy_new_from_preset ("oita-abcd", &error);
  g_assert_no_error (error);
  document = mamori_policy_to_json (policy, &length);
  policy_path = g_build_filename (board->dir, "policy.json", NULL);
  g_assert_true (g_file_set_contents (policy_path, document, length, NULL));
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, policy_path, NULL },
                 NULL),
      ==, 0);
  vp_code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  teacher_code = board_add_staff (board, board->school, "鈴木 一郎", "teacher");
  board_serve (board);
  /* The computers' vaults go with the board's directory. */
  teacher = computer_new (board->dir, "teacher", board, teacher_code);
  vp = computer_new (board->dir, "vp", board, vp_code);

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
      g_autoptr (MamoriTakeoutRequest) request = NULL;
      gint64 start, took;

      /* Filed as the request form files it: in the session's vault, in the main thread. */
      g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "通知表の下書き", "B", NULL));
      draft->medium = MAMORI_TAKEOUT_MEDIUM_PAPER;
      draft->destination = g_strdup ("自宅");
      draft->purpose = g_strdup ("所見の記入");
      draft->date_from = g_strdup ("2099-01-06");
      draft->date_until = g_strdup ("2099-01-10");
      wait_while (not_live, teacher);
      wait_while (not_live, vp);
      vp->records_changed = 0;
      request = mamori_takeout_file (mamori_session_get_vault (teacher->session), draft, &error);
      g_assert_no_error (error);
      start = g_get_monotonic_time ();
      took = crossing (vp, start, request->id, MAMORI_TAKEOUT_STATE_PENDING);
      g_array_append_val (requests, took);

      /* Approved as the decision dialog does, once the approver's key is unwrapped: from
       * the approval written to the teacher's computer having it. */
      wait_while (not_live, teacher);
      wait_while (not_live, vp);
      teacher->records_changed = 0;
      g_assert_true (mamori_takeout_approve (mamori_session_get_vault (vp->session), request->id,
                                             PASSPHRASE, &error));
      g_assert_no_error (error);
      start = g_get_monotonic_time ();
      took = crossing (teacher, start, request->id, MAMORI_TAKEOUT_STATE_APPROVED);
      g_array_append_val (approvals, took);
    }

  printf ("live-request-latency-median: %.0f ms (written on the teacher's computer to the "
          "vice-principal's session holding it, %u rounds)\n",
          median_ms (requests), rounds);
  printf ("live-request-latency-max: %.0f ms\n", max_ms (requests));
  printf ("live-approval-latency-median: %.0f ms (written on the vice-principal's computer to "
          "the teacher's session holding it, %u rounds)\n",
          median_ms (approvals), rounds);
  printf ("live-approval-latency-max: %.0f ms\n", max_ms (approvals));

  /* Locked, as when the app quits: no round starts any more; one still running holds
   * the session, and its task until it has returned. */
  mamori_session_lock (teacher->session);
  mamori_session_lock (vp->session);
  wait_while (not_locked, teacher);
  wait_while (not_locked, vp);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (teacher->session);
  g_assert_finalize_object (vp->session);
  g_free (teacher);
  g_free (vp);
  board_kill (board);
  return 0;
}
