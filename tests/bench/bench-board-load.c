/* bench-board-load.c — one mamori-board under a prefecture's load (issue 11): many
 * schools' computers long-polling while some push; the server's push latency and memory
 *
 *   _build/tests/bench/bench-board-load MAMORI-BOARD [--schools N] [--polls-per-school N]
 *       [--pushers N] [--seconds S]
 *
 * 500 schools × 20 long polls and 50 pushers unless told otherwise.  Each school has one
 * enrolled computer; its long polls share its session (the board holds one connection
 * per long poll whoever asks).  The long polls are asynchronous libsoup requests on a few
 * threads, each re-asking as soon as it is answered; each pusher is a thread of its own
 * pushing one event at a time (a role change: checked at the board as a school's records
 * check it) and waking its school's long polls.  Every connection is a file descriptor in
 * this process and in the server: the bench raises its RLIMIT_NOFILE to the hard limit,
 * which the server inherits.  Figures are `name: value unit`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "board-test-util.h"
#include "mamori-board.h"
#include "mamori-crypto.h"

#define POLL_THREADS 4
#define POLL_WAIT 50 /* seconds: under the token's and libsoup's limits */

typedef struct
{
  Board *board;
  GPtrArray *schools; /* Device, one per school */
  guint polls_per_school;
  guint first, n; /* the schools whose polls this thread holds */
  gint *answered; /* atomic */
  gint *failed;   /* atomic */
  gint open;      /* atomic: requests sent and not yet answered */
  gint *stop;     /* atomic */
  GMainContext *context;
  GCancellable *cancellable;
} PollThread;

typedef struct
{
  PollThread *thread;
  Device *device;
  SoupSession *session; /* the school's: libsoup walks a session's whole queue often */
  gint64 since;
} Poll;

static void
poll_send (Poll *poll);

static void
poll_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Poll *poll = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_atomic_int_add (&poll->thread->open, -1);
  if (bytes == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize)g_bytes_get_size (bytes), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || !json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "next"))
    {
      g_atomic_int_inc (poll->thread->failed);
      g_object_unref (poll->session);
      g_free (poll);
      return;
    }
  g_atomic_int_inc (poll->thread->answered);
  poll->since
      = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "next");
  if (g_atomic_int_get (poll->thread->stop))
    {
      g_object_unref (poll->session);
      g_free (poll);
      return;
    }
  poll_send (poll);
}

static void
poll_send (Poll *poll)
{
  g_autofree char *url
      = g_strdup_printf ("%s/v1/events?since=%" G_GINT64_FORMAT "&limit=100&wait=%d",
                         poll->thread->board->uri, poll->since, POLL_WAIT);
  g_autofree char *header = g_strconcat ("Bearer ", poll->device->token, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  g_atomic_int_inc (&poll->thread->open);
  soup_session_send_and_read_async (poll->session, msg, G_PRIORITY_DEFAULT,
                                    poll->thread->cancellable, poll_done, poll);
}

static gpointer
poll_thread (gpointer data)
{
  PollThread *thread = data;

  g_main_context_push_thread_default (thread->context);
  for (guint s = thread->first; s < thread->first + thread->n; s++)
    {
      /* A connection per long poll, none closed for being idle while it waits. */
      g_autoptr (SoupSession) session = soup_session_new_with_options (
          "max-conns", 1000, "max-conns-per-host", 1000, "timeout", POLL_WAIT + 30, NULL);

      for (guint i = 0; i < thread->polls_per_school; i++)
        {
          Poll *poll = g_new0 (Poll, 1);

          poll->thread = thread;
          poll->device = thread->schools->pdata[s];
          poll->session = g_object_ref (session);
          poll_send (poll);
        }
    }
  while (!g_atomic_int_get (thread->stop))
    g_main_context_iteration (thread->context, TRUE);
  g_cancellable_cancel (thread->cancellable);
  /* The cancelled requests finish, briefly. */
  for (gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
       g_atomic_int_get (&thread->open) > 0 && g_get_monotonic_time () < end;)
    g_main_context_iteration (thread->context, FALSE);
  g_clear_object (&thread->cancellable);
  while (g_main_context_iteration (thread->context, FALSE))
    ;
  g_main_context_pop_thread_default (thread->context);
  return NULL;
}

typedef struct
{
  Board *board;
  Device *device;
  char *teacher;
  gint64 deadline;
  GArray *latencies; /* µs */
} Pusher;

static gint pushes_failed; /* atomic */

/* device_push(), with a failed connection as status 0 rather than an abort. */
static JsonNode *
push (Device *device, Board *board, MamoriEvent *event, guint *out_status)
{
  g_autofree char *url = g_strconcat (board->uri, "/v1/events", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", device->token, NULL);
  g_autofree char *author = mamori_hex_encode (event->author, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *sig = mamori_hex_encode (event->sig, MAMORI_SIGNATURE_SIZE);
  g_autofree char *payload
      = g_strndup (g_bytes_get_data (event->payload, NULL), g_bytes_get_size (event->payload));
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, payload);
  json_builder_set_member_name (builder, "sig");
  json_builder_add_string_value (builder, sig);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (device->session, msg, NULL, NULL);
  *out_status = answer != NULL ? soup_message_get_status (msg) : 0;
  if (answer == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      (gssize)g_bytes_get_size (answer), NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gpointer
push_thread (gpointer data)
{
  Pusher *pusher = data;
  guint round = 0;

  /* This thread's own connection. */
  g_clear_object (&pusher->device->session);
  pusher->device->session = soup_session_new ();
  while (g_get_monotonic_time () < pusher->deadline)
    {
      g_autoptr (MamoriEvent) event = device_sign (
          pusher->device, MAMORI_EVENT_STAFF_ROLE_CHANGED,
          mamori_roster_staff_role_changed_body (
              pusher->teacher, round++ % 2 ? MAMORI_ROLE_TEACHER : MAMORI_ROLE_OFFICE));
      g_autoptr (JsonNode) answer = NULL;
      gint64 start = g_get_monotonic_time (), latency;
      guint status;

      answer = push (pusher->device, pusher->board, event, &status);
      latency = g_get_monotonic_time () - start;
      if (status != 200)
        {
          /* Not stored: the same event is pushed again, as a client would. */
          g_atomic_int_inc (&pushes_failed);
          pusher->device->author_seq--;
          memcpy (pusher->device->head, event->prev, sizeof pusher->device->head);
          round--;
          continue;
        }
      g_array_append_val (pusher->latencies, latency);
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* A line of /proc/PID/status in kB, or -1. */
static gint64
proc_status_kb (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

/* The process's CPU time (user and system, every thread) in seconds, or -1. */
static double
proc_cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  /* The command name, in parentheses, may hold spaces: the fields start after it. */
  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return -1;
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return -1;
  /* utime and stime: fields 14 and 15 of the line, 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / (double)sysconf (_SC_CLK_TCK);
}

/* The machine's load average over the last minute, as /proc/loadavg has it. */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  return g_file_get_contents ("/proc/loadavg", &text, NULL, NULL) ? g_ascii_strtod (text, NULL)
                                                                  : -1;
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Board) board = NULL;
  g_autoptr (GPtrArray) schools = g_ptr_array_new_with_free_func ((GDestroyNotify)device_free);
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint answered = 0, failed = 0, open = 0, stop = 0;
  PollThread threads[POLL_THREADS];
  GThread *poll_threads[POLL_THREADS];
  gint64 n_schools = 500, per_school = 20, n_pushers = 50, seconds = 30;
  g_autofree Pusher *pushers = NULL;
  g_autofree GThread **push_threads = NULL;
  GOptionEntry entries[] = {
    { "schools", 0, 0, G_OPTION_ARG_INT64, &n_schools, "Schools", "N" },
    { "polls-per-school", 0, 0, G_OPTION_ARG_INT64, &per_school, "Long polls per school", "N" },
    { "pushers", 0, 0, G_OPTION_ARG_INT64, &n_pushers, "Schools pushing", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT64, &seconds, "How long the pushers push", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("MAMORI-BOARD");
  struct rlimit limit;
  gint64 start, ramp;
  double cpu_start;
  GPid pid;
  guint held;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc != 2 || n_schools < 1
      || per_school < 0 || n_pushers < 0 || n_pushers > n_schools || seconds < 1)
    {
      fprintf (stderr, "usage: bench-board-load MAMORI-BOARD [--schools N] "
                       "[--polls-per-school N] [--pushers N] [--seconds S]\n");
      return 2;
    }
  g_assert_true (mamori_crypto_init (&error));
  board_program = argv[1];

  /* Every long poll is a socket here and in the server (which inherits the limit). */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  limit.rlim_cur = limit.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  printf ("fd-limit: %lu descriptors (RLIMIT_NOFILE raised to the hard limit)\n",
          (unsigned long)limit.rlim_cur);

  /* The schools and a vice-principal's code each, written into the store directly (a
   * process per admin command would take minutes), before the server starts. */
  board = board_new ();
  {
    g_autoptr (MamoriBoard) admin = mamori_board_open (board->dir, &error);

    g_assert_no_error (error);
    for (gint64 s = 0; s < n_schools; s++)
      {
        g_autofree char *name = g_strdup_printf ("第%" G_GINT64_FORMAT "小学校", s + 1);
        g_autofree char *school
            = s == 0 ? g_strdup (board->school) : mamori_board_add_school (admin, name, &error);
        g_autofree char *staff = NULL;
        char *code = NULL;

        g_assert_no_error (error);
        g_assert_true (mamori_board_add_staff (admin, school, "教頭", MAMORI_ROLE_VICE_PRINCIPAL,
                                               14, &staff, &code, &error));
        g_ptr_array_add (codes, code);
      }
  }
  board_serve (board);
  pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (board->process), NULL, 10);
  start = g_get_monotonic_time ();
  for (guint s = 0; s < codes->len; s++)
    {
      Device *device = device_new ();
      g_autoptr (JsonNode) enrolled = NULL;
      guint status;

      enrolled = device_enroll (device, board, codes->pdata[s], &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpuint (device_login (device, board), ==, 200);
      g_ptr_array_add (schools, device);
    }
  printf ("enrolled: %u schools in %.1f s\n", schools->len,
          (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);

  pushers = g_new0 (Pusher, n_pushers);
  for (gint64 p = 0; p < n_pushers; p++)
    {
      g_autoptr (Device) teacher = device_new ();

      pushers[p].board = board;
      pushers[p].device = schools->pdata[p];
      add_teacher (pushers[p].device, board, teacher, "鈴木 一郎");
      pushers[p].teacher = g_strdup (teacher->staff);
      pushers[p].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  /* The long polls, then a pause for all of them to reach the server. */
  for (guint t = 0; t < POLL_THREADS; t++)
    {
      guint per_thread = (schools->len + POLL_THREADS - 1) / POLL_THREADS;

      threads[t] = (PollThread){ board,
                                 schools,
                                 (guint)per_school,
                                 MIN (t * per_thread, schools->len),
                                 0,
                                 &answered,
                                 &failed,
                                 0,
                                 &stop,
                                 g_main_context_new (),
                                 g_cancellable_new () };
      threads[t].n = MIN (per_thread, schools->len - threads[t].first);
      poll_threads[t] = g_thread_new ("long-polls", poll_thread, &threads[t]);
    }
  ramp = g_get_monotonic_time ();
  /* Until the server holds a descriptor per long poll, or their number stays the same for
   * ten seconds (the server is busy answering the first ones meanwhile). */
  for (guint last = 0, steady = 0; steady < 10 && last < n_schools * per_school
                                   && g_get_monotonic_time () - ramp < 300 * G_USEC_PER_SEC;)
    {
      guint now;

      g_usleep (G_USEC_PER_SEC);
      now = count_fds (pid);
      steady = now == last ? steady + 1 : 0;
      last = now;
    }
  held = count_fds (pid);
  printf ("ramp: %.1f s\n", (g_get_monotonic_time () - ramp) / (double)G_USEC_PER_SEC);
  printf ("long-polls-asked: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " schools × %" G_GINT64_FORMAT
          ")\n",
          n_schools * per_school, n_schools, per_school);
  for (guint t = 0; t < POLL_THREADS; t++)
    open += g_atomic_int_get (&threads[t].open);
  printf ("long-polls-open: %d (asked and not answered, seen by the clients)\n", open);
  printf ("server-fds: %u (the server's open descriptors with the long polls held)\n", held);
  printf ("long-polls-failed-before-pushing: %d\n", g_atomic_int_get (&failed));

  push_threads = g_new0 (GThread *, n_pushers);
  printf ("load-average-before-pushing: %.2f\n", load_average ());
  cpu_start = proc_cpu_seconds (pid);
  start = g_get_monotonic_time ();
  for (gint64 p = 0; p < n_pushers; p++)
    {
      pushers[p].deadline = start + seconds * G_USEC_PER_SEC;
      push_threads[p] = g_thread_new ("pusher", push_thread, &pushers[p]);
    }
  for (gint64 p = 0; p < n_pushers; p++)
    {
      g_thread_join (push_threads[p]);
      g_array_append_vals (latencies, pushers[p].latencies->data, pushers[p].latencies->len);
      g_array_unref (pushers[p].latencies);
      g_free (pushers[p].teacher);
    }
  g_array_sort (latencies, compare_gint64);
  printf ("server-cpu-while-pushing: %.1f s (user and system, every thread)\n",
          proc_cpu_seconds (pid) - cpu_start);
  printf ("load-average-after-pushing: %.2f\n", load_average ());
  printf ("pushes: %u in %.1f s (%.0f pushes/s, one event each, %" G_GINT64_FORMAT " pushers)\n",
          latencies->len, (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC,
          latencies->len / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC), n_pushers);
  if (latencies->len > 0)
    {
      printf ("push-latency-p50: %.1f ms\n",
              g_array_index (latencies, gint64, latencies->len / 2) / 1000.0);
      printf ("push-latency-p99: %.1f ms\n",
              g_array_index (latencies, gint64, latencies->len * 99 / 100) / 1000.0);
      printf ("push-latency-max: %.1f ms\n",
              g_array_index (latencies, gint64, latencies->len - 1) / 1000.0);
    }
  printf ("long-polls-answered: %d (woken by a push or timed out, each asked again)\n",
          g_atomic_int_get (&answered));
  printf ("long-polls-failed: %d\n", g_atomic_int_get (&failed));
  printf ("pushes-failed: %d (no answer: pushed again)\n", g_atomic_int_get (&pushes_failed));
  printf ("server-fds-after: %u\n", count_fds (pid));
  printf ("server-rss-peak: %.1f MiB (VmHWM)\n", proc_status_kb (pid, "VmHWM:") / 1024.0);
  printf ("server-rss: %.1f MiB (VmRSS)\n", proc_status_kb (pid, "VmRSS:") / 1024.0);
  fflush (stdout);

  g_atomic_int_set (&stop, 1);
  for (guint t = 0; t < POLL_THREADS; t++)
    g_main_context_wakeup (threads[t].context);
  for (guint t = 0; t < POLL_THREADS; t++)
    {
      g_thread_join (poll_threads[t]);
      g_main_context_unref (threads[t].context);
    }
  board_kill (board);
  return 0;
}
