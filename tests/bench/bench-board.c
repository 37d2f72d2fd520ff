/* bench-board.c — mamori-board on loopback (issue 11): push throughput (every event
 * checked as the school's own records would: signature, chain, role), pull throughput,
 * and how long an approval takes from one computer's push to another's long poll
 *
 * Figures are `name: value unit`.
 *
 *   _build/tests/bench/bench-board MAMORI-BOARD [--quick]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board-test-util.h"
#include "mamori-crypto.h"

/* CPU time (user and system) the server's main thread has used, in seconds: the thread
 * that folds and stores every push, whatever else runs on the machine. */
static double
main_thread_cpu (Board *board)
{
  const char *pid = g_subprocess_get_identifier (board->process);
  g_autofree char *path = g_strdup_printf ("/proc/%s/task/%s/stat", pid, pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* After the command's name in parentheses: fields 3 on; utime and stime are 14, 15. */
  fields = g_strsplit (strrchr (text, ')') + 2, " ", -1);
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Board) board = NULL;
  g_autoptr (Device) vp = NULL;
  g_autoptr (Device) teacher = NULL;
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonNode) enrolled = NULL;
  g_autofree char *code = NULL;
  gboolean quick = argc > 2 && g_str_equal (argv[2], "--quick");
  guint n_events = quick ? 1000 : 20000, n_rounds = quick ? 3 : 20;
  gint64 start, seq = 0, since = 0, last = 0;
  double cpu;
  guint status;

  g_assert_true (mamori_crypto_init (&error));
  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-board MAMORI-BOARD [--quick]\n");
      return 2;
    }
  board_program = argv[1];
  vp = device_new ();
  teacher = device_new ();
  board = board_new ();
  code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  board_serve (board);
  enrolled = device_enroll (vp, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (vp, board), ==, 200);

  /* The teacher, then role changes back and forth: each one a roster event the board
   * checks fully. */
  teacher->staff = mamori_roster_new_staff_id ();
  teacher->school = g_strdup (vp->school);
  g_ptr_array_add (
      events, device_sign (vp, MAMORI_EVENT_STAFF_ADDED,
                           mamori_roster_staff_added_body (teacher->staff, "鈴木 一郎",
                                                           MAMORI_ROLE_TEACHER, &teacher->keys)));
  for (guint i = 1; i < n_events; i++)
    g_ptr_array_add (events, device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                                          mamori_roster_staff_role_changed_body (
                                              teacher->staff,
                                              i % 2 ? MAMORI_ROLE_OFFICE : MAMORI_ROLE_TEACHER)));
  cpu = main_thread_cpu (board);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < events->len; i += 1000)
    {
      g_autoptr (JsonNode) answer = device_push (vp, board, (MamoriEvent **)events->pdata + i,
                                                 MIN (1000, events->len - i), &status);
      JsonArray *results = array_member (answer, "events");

      g_assert_cmpuint (status, ==, 200);
      last = json_object_get_int_member (
          json_array_get_object_element (results, json_array_get_length (results) - 1), "seq");
    }
  printf ("push-throughput: %.0f events/s (%u events, batches of 1000, until the board "
          "answered)\n",
          events->len / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC), events->len);
  cpu = main_thread_cpu (board) - cpu;
  printf ("push-main-thread-cpu: %.0f µs/event (the server's thread that answers: %.0f "
          "events/s on a core of its own)\n",
          cpu * G_USEC_PER_SEC / events->len, events->len / cpu);
  /* The board serves an event once the signatures a push left for later are checked: the
   * last one pushed is served when everything is. */
  for (gboolean served = FALSE; !served;)
    {
      g_autoptr (JsonNode) page = device_pull (vp, board, last - 1, 1, 60, &status);

      g_assert_cmpuint (status, ==, 200);
      served = json_array_get_length (array_member (page, "events")) == 1;
    }
  printf ("push-served-throughput: %.0f events/s (from the first push until the last event "
          "pushed was served, every signature checked)\n",
          events->len / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC));

  start = g_get_monotonic_time ();
  for (gboolean more = TRUE; more;)
    {
      g_autoptr (JsonNode) page = device_pull (vp, board, seq, 1000, 0, &status);
      JsonObject *root = json_node_get_object (page);

      g_assert_cmpuint (status, ==, 200);
      seq = json_object_get_int_member (root, "next");
      more = json_object_get_boolean_member (root, "more");
    }
  printf ("pull-throughput: %.0f events/s (%" G_GINT64_FORMAT " events, pages of 1000, "
          "without the client's checks)\n",
          seq / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC), seq);

  /* The teacher long-polls; the vice-principal pushes one event. */
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  since = seq;
  for (guint round = 0; round < n_rounds; round++)
    {
      g_autoptr (MamoriEvent) event = device_sign (
          vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
          mamori_roster_staff_role_changed_body (
              teacher->staff, (n_events + round) % 2 ? MAMORI_ROLE_OFFICE : MAMORI_ROLE_TEACHER));
      g_autoptr (JsonNode) answer = NULL;
      LongPoll poll = { board, teacher, since };
      GThread *thread = g_thread_new ("long-poll", long_poll, &poll);
      gint64 pushed, latency;

      g_usleep (G_USEC_PER_SEC / 5);
      pushed = g_get_monotonic_time ();
      answer = device_push (vp, board, &event, 1, &status);
      g_assert_cmpuint (status, ==, 200);
      g_thread_join (thread);
      g_assert_cmpuint (poll.status, ==, 200);
      json_node_unref (poll.answer);
      latency = poll.woke - pushed;
      g_array_append_val (latencies, latency);
      since++;
    }
  g_array_sort (latencies, compare_gint64);
  printf ("approval-latency-median: %.1f ms (push to the other computer's long poll, %u rounds)\n",
          g_array_index (latencies, gint64, latencies->len / 2) / 1000.0, latencies->len);
  printf ("approval-latency-max: %.1f ms\n",
          g_array_index (latencies, gint64, latencies->len - 1) / 1000.0);
  return 0;
}
