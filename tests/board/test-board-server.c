/* test-board-server.c — mamori-board serving on loopback, driven as a school's computers
 * drive it: enrollment, sessions, push and pull, long polls, and what it refuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include <string.h>

#include <sqlite3.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-takeout.h"

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

/* --- enrollment ------------------------------------------------------------------------ */

static void
expire_codes (Board *board)
{
  g_autofree char *path = g_build_filename (board->dir, "board.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE codes SET expires_at = 1", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
}

static void
test_enroll (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (Device) device = device_new ();
  g_autoptr (Device) second = device_new ();
  g_autoptr (Device) late = device_new ();
  g_autoptr (JsonNode) answer = NULL, again = NULL, peek = NULL, unknown = NULL, expired = NULL;
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  g_autofree char *late_code = board_add_staff (board, board->school, "鈴木 一郎", "teacher");
  g_autofree char *peek_url = NULL;
  g_autofree char *board_key = NULL;
  g_autofree char *lowered = g_ascii_strdown (code, -1);
  JsonObject *root;
  guint status;

  g_assert_cmpuint (strlen (code), ==, 14);
  board_serve (board);

  /* Peeking says whom the code is for and does not use it. */
  peek_url = g_strconcat (board->uri, "/v1/enroll/peek", NULL);
  peek = http (device->session, "POST", peek_url, NULL, json_from ("{\"code\": \"%s\"}", code),
               &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (peek), "staff"), "role"),
      ==, "vice-principal");

  /* Typed in lower case, the code works; the answer names the board to pin. */
  answer = device_enroll (device, board, lowered, &status);
  g_assert_cmpuint (status, ==, 200);
  root = json_node_get_object (answer);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (root, "school"), "id"), ==,
      board->school);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (root, "board"), "name"), ==,
      "テスト教育委員会");
  board_key = g_strdup (
      json_object_get_string_member (json_object_get_object_member (root, "board"), "signing_key"));
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (root, "device_added"), "author"),
                   ==, board_key);
  g_assert_cmpuint (strlen (json_object_get_string_member (root, "epoch")), ==, 32);
  g_assert_cmpuint (device_login (device, board), ==, 200);

  /* Once only. */
  again = device_enroll (second, board, code, &status);
  assert_error (again, status, 403, "code-used");
  unknown = device_enroll (second, board, "0000-0000-0000", &status);
  assert_error (unknown, status, 403, "code-unknown");

  /* Expired. */
  expire_codes (board);
  expired = device_enroll (late, board, late_code, &status);
  assert_error (expired, status, 403, "code-expired");
}

static void
test_enroll_proof (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (Device) device = device_new ();
  g_autoptr (Device) thief = device_new ();
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "principal");
  guint status;

  board_serve (board);
  /* Keys that are not the signer's: the proof does not hold. */
  memcpy (thief->keys.signing_key, device->public_key, MAMORI_SIGNING_KEY_SIZE);
  answer = device_enroll (thief, board, code, &status);
  assert_error (answer, status, 400, "bad-request");
  g_clear_pointer (&answer, json_node_unref);
  /* The code is still good. */
  answer = device_enroll (device, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* --- sessions --------------------------------------------------------------------------- */

static void
test_session (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) stranger = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autofree char *challenge_url = g_strconcat (board->uri, "/v1/session/challenge", NULL);
  g_autofree char *session_url = g_strconcat (board->uri, "/v1/session", NULL);
  g_autofree char *key = mamori_hex_encode (vp->public_key, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *text = NULL;
  g_autofree char *sig_hex = NULL;
  g_autoptr (JsonNode) challenge = NULL, first = NULL, replay = NULL, pulled = NULL, ended = NULL,
                       unknown = NULL;
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  guint status;

  challenge = http (vp->session, "POST", challenge_url, NULL,
                    json_from ("{\"device\": \"%s\"}", key), &status);
  g_assert_cmpuint (status, ==, 200);
  text = g_strconcat ("mamori-session-v1:", member (challenge, "challenge"), NULL);
  g_assert_true (mamori_signing_sign (vp->seed, vp->public_key, (const guint8 *)text, strlen (text),
                                      sig, NULL));
  sig_hex = mamori_hex_encode (sig, sizeof sig);
  first = http (vp->session, "POST", session_url, NULL,
                json_from ("{\"device\": \"%s\", \"challenge\": \"%s\", \"sig\": \"%s\"}", key,
                           member (challenge, "challenge"), sig_hex),
                &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (member (first, "role"), ==, "vice-principal");
  g_assert_cmpstr (member (first, "school"), ==, board->school);
  g_assert_cmpint (int_member (first, "expires_in"), ==, 900);

  /* The same signed answer again opens nothing. */
  replay = http (vp->session, "POST", session_url, NULL,
                 json_from ("{\"device\": \"%s\", \"challenge\": \"%s\", \"sig\": \"%s\"}", key,
                            member (challenge, "challenge"), sig_hex),
                 &status);
  assert_error (replay, status, 401, "unauthenticated");

  /* A key the board never saw. */
  g_assert_cmpuint (device_login (stranger, board), ==, 401);

  /* No token, a made-up one, an ended one. */
  pulled = device_pull (stranger, board, 0, 10, 0, &status);
  assert_error (pulled, status, 401, "unauthenticated");
  g_free (vp->token);
  vp->token = g_strdup (member (first, "token"));
  ended = http (vp->session, "DELETE", session_url, vp->token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  unknown = device_pull (vp, board, 0, 10, 0, &status);
  assert_error (unknown, status, 401, "unauthenticated");
}

/* --- push and pull ------------------------------------------------------------------------ */

static void
test_push_pull (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (JsonNode) pushed = NULL, replayed = NULL, all = NULL, page = NULL, rest = NULL;
  g_autofree char *sent = NULL;
  JsonObject *result, *again, *last;
  const char *payload;
  gsize length;
  guint status;

  teacher->staff = mamori_roster_new_staff_id ();
  event = device_sign (vp, MAMORI_EVENT_STAFF_ADDED,
                       mamori_roster_staff_added_body (teacher->staff, "鈴木 一郎",
                                                       MAMORI_ROLE_TEACHER, &teacher->keys));
  pushed = device_push (vp, board, &event, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  result = json_array_get_object_element (array_member (pushed, "events"), 0);
  g_assert_false (json_object_get_boolean_member (result, "duplicate"));
  g_assert_cmpint (json_object_get_int_member (result, "seq"), ==, 4);

  /* Idempotent: the same batch again stores nothing new and gives the same number. */
  replayed = device_push (vp, board, &event, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  again = json_array_get_object_element (array_member (replayed, "events"), 0);
  g_assert_true (json_object_get_boolean_member (again, "duplicate"));
  g_assert_cmpint (json_object_get_int_member (again, "seq"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (again, "id"), ==,
                   json_object_get_string_member (result, "id"));

  /* school-created, staff-added, device-added (by the board), staff-added (by her). */
  all = device_pull (vp, board, 0, 100, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_member (all, "events")), ==, 4);
  g_assert_cmpint (int_member (all, "next"), ==, 4);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (all), "more"));
  g_assert_cmpstr (member (all, "epoch"), !=, NULL);
  /* The payload travels as the exact bytes signed. */
  last = json_array_get_object_element (array_member (all, "events"), 3);
  payload = g_bytes_get_data (event->payload, &length);
  sent = g_strndup (payload, length);
  g_assert_cmpstr (json_object_get_string_member (last, "payload"), ==, sent);
  g_assert_cmpint (json_object_get_int_member (last, "seq"), ==, 4);

  page = device_pull (vp, board, 0, 3, 0, &status);
  g_assert_cmpuint (json_array_get_length (array_member (page, "events")), ==, 3);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "more"));
  g_assert_cmpint (int_member (page, "next"), ==, 3);
  rest = device_pull (vp, board, int_member (page, "next"), 3, 0, &status);
  g_assert_cmpuint (json_array_get_length (array_member (rest, "events")), ==, 1);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (rest), "more"));
}

/* --- long poll ------------------------------------------------------------------------------ */

static void
test_long_poll (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) colleague = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (JsonNode) empty = NULL;
  g_autoptr (GThread) thread = NULL;
  LongPoll poll = { board, teacher, 0 };
  JsonArray *events;
  guint status;
  gint64 start;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);

  /* Nothing new: the answer comes when `wait` has passed, empty, next = since. */
  start = g_get_monotonic_time ();
  empty = device_pull (teacher, board, 4, 100, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpuint (json_array_get_length (array_member (empty, "events")), ==, 0);
  g_assert_cmpint (int_member (empty, "next"), ==, 4);

  /* A push wakes the teacher's long poll at once. */
  poll.since = 4;
  thread = g_thread_new ("long-poll", long_poll, &poll);
  g_usleep (G_USEC_PER_SEC / 2);
  add_teacher (vp, board, colleague, "田中 次郎");
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (poll.status, ==, 200);
  g_assert_cmpint (poll.elapsed, <, 5 * G_USEC_PER_SEC);
  events = array_member (poll.answer, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, 0), "seq"),
                   ==, 5);
  json_node_unref (poll.answer);

  /* So does an event an admin command stores beside the server. */
  poll.since = 5;
  poll.answer = NULL;
  thread = g_thread_new ("long-poll", long_poll, &poll);
  g_usleep (G_USEC_PER_SEC / 2);
  g_free (board_add_staff (board, board->school, "山田 三郎", "office"));
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (poll.status, ==, 200);
  g_assert_cmpint (poll.elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (json_array_get_length (array_member (poll.answer, "events")), ==, 1);
  json_node_unref (poll.answer);
}

/* The board raises its limit of open files to the most it may (each long poll is a
 * connection), whatever the soft limit it starts with. */
static void
test_descriptors (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Board) board = NULL;
  g_autofree char *path = NULL, *limits = NULL;
  g_auto (GStrv) lines = NULL;
  struct rlimit limit, low;
  gboolean found = FALSE;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_max <= 1024)
    {
      g_test_skip ("The hard limit of open files is 1,024 or less");
      return;
    }
  low = limit;
  low.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  board = served_board (vp);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  path = g_strdup_printf ("/proc/%s/limits", g_subprocess_get_identifier (board->process));
  g_assert_true (g_file_get_contents (path, &limits, NULL, NULL));
  lines = g_strsplit (limits, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Max open files"))
      {
        g_auto (GStrv) words = g_strsplit_set (lines[i] + strlen ("Max open files"), " ", -1);
        g_autoptr (GPtrArray) values = g_ptr_array_new ();

        for (guint j = 0; words[j] != NULL; j++)
          if (words[j][0] != '\0')
            g_ptr_array_add (values, words[j]);
        g_assert_cmpuint (values->len, >=, 2);
        g_assert_cmpstr (values->pdata[0], ==, values->pdata[1]);
        found = TRUE;
      }
  g_assert_true (found);
}

/* More connections than the server may have descriptors for: those it cannot take up
 * wait, and once the others are gone it answers again. */
static void
test_descriptors_exhausted (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Board) board = board_new ();
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) answer = NULL, page = NULL;
  const char *authority;
  guint status;

  board->descriptor_limit = 64;
  board_serve (board);
  answer = device_enroll (vp, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (vp, board), ==, 200);

  authority = board->uri + strlen ("http://");
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GError) error = NULL;
      GSocketConnection *connection
          = g_socket_client_connect_to_host (client, authority, 0, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (connections, connection);
    }
  /* Long enough for the server to take up what it can and meet its limit. */
  g_usleep (G_USEC_PER_SEC / 2);
  g_ptr_array_set_size (connections, 0);
  page = device_pull (vp, board, 0, 10, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_member (page, "events")), >, 0);
}

/* Long polls whose computers go away, or whose board stops, while they are held. */
static void
test_long_poll_ends (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) colleague = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr (GThread) thread = NULL;
  LongPoll poll = { board, teacher, 0 };
  g_autofree char *url = NULL;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);

  /* Computers that stop waiting: the board drops their long polls, and goes on. */
  url = g_strdup_printf ("%s/v1/events?since=4&wait=20", board->uri);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autofree char *bearer = g_strconcat ("Bearer ", teacher->token, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      bytes = soup_session_send_and_read (impatient, msg, NULL, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  add_teacher (vp, board, colleague, "田中 次郎");
  g_assert_cmpint (count_events (teacher, board), ==, 5);

  /* A board that stops answers the long polls it holds: ask again in a moment. */
  poll.since = 5;
  thread = g_thread_new ("long-poll", long_poll, &poll);
  g_usleep (G_USEC_PER_SEC / 2);
  board_stop (board);
  g_thread_join (g_steal_pointer (&thread));
  assert_error (poll.answer, poll.status, 503, "unavailable");
  g_assert_cmpint (poll.elapsed, <, 5 * G_USEC_PER_SEC);
  json_node_unref (poll.answer);
}

/* --- what the board refuses ------------------------------------------------------------------ */

static void
test_refused (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) other = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriEvent) good = NULL, forged = NULL, by_teacher = NULL, raise = NULL, gap = NULL,
                          fork = NULL, elsewhere = NULL;
  g_autofree char *other_id = mamori_roster_new_staff_id ();
  gint64 before;
  MamoriEvent *batch[2];

  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  before = count_events (vp, board);

  /* A forged signature; and the batch it is in is stored not at all. */
  good = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_OFFICE));
  forged
      = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_TEACHER));
  forged->sig[0] ^= 1;
  batch[0] = good;
  batch[1] = forged;
  assert_refused (vp, board, batch, 2, 1, "bad-signature");
  g_assert_cmpint (count_events (vp, board), ==, before);

  /* A teacher adds nobody: the author's role is checked at the board. */
  by_teacher = device_sign (
      teacher, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (other_id, "偽 教員", MAMORI_ROLE_PRINCIPAL, &other->keys));
  assert_refused (teacher, board, &by_teacher, 1, 0, "not-permitted");

  /* Nobody raises their own role. */
  vp->author_seq = 1;
  memcpy (vp->head, good->prev, sizeof vp->head);
  raise = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                       mamori_roster_staff_role_changed_body (vp->staff, MAMORI_ROLE_PRINCIPAL));
  assert_refused (vp, board, &raise, 1, 0, "not-permitted");

  /* A gap in the chain (number 3 while the board has 1). */
  gap = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_OFFICE));
  assert_refused (vp, board, &gap, 1, 0, "broken-chain");

  /* The board has good's number 2 once stored; another number 2 is a fork. */
  vp->author_seq = 1;
  memcpy (vp->head, good->prev, sizeof vp->head);
  {
    g_autoptr (JsonNode) answer = NULL;
    guint status;

    answer = device_push (vp, board, &good, 1, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  fork = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_TEACHER));
  assert_refused (vp, board, &fork, 1, 0, "fork");

  /* An event of another school. */
  g_free (vp->school);
  vp->school = g_strdup ("00000000000000000000000000000002");
  vp->author_seq = 0;
  elsewhere = device_sign (vp, MAMORI_EVENT_STAFF_REMOVED,
                           mamori_roster_staff_removed_body (teacher->staff));
  assert_refused (vp, board, &elsewhere, 1, 0, "wrong-school");
}

/* A batch checks one signature per author now, the last of the author's events in it;
 * a forged one refuses the whole batch.  So does a forged event whose author's last
 * event in the batch is one the board holds already (it vouches for nothing after it). */
static void
test_large_batch (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GPtrArray) served = NULL;
  g_autoptr (JsonNode) answer = NULL;
  MamoriEvent *tail[2];
  gint64 before;
  guint status;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  before = count_events (vp, board);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (
        batch, device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                            mamori_roster_staff_role_changed_body (
                                teacher->staff, i % 2 ? MAMORI_ROLE_TEACHER : MAMORI_ROLE_OFFICE)));
  ((MamoriEvent *)batch->pdata[99])->sig[5] ^= 0x40;
  assert_refused (vp, board, (MamoriEvent **)batch->pdata, batch->len, 99, "bad-signature");
  g_assert_cmpint (count_events (vp, board), ==, before);
  ((MamoriEvent *)batch->pdata[99])->sig[5] ^= 0x40;

  answer = device_push (vp, board, (MamoriEvent **)batch->pdata, 50, &status);
  g_assert_cmpuint (status, ==, 200);
  ((MamoriEvent *)batch->pdata[50])->sig[5] ^= 0x40;
  tail[0] = batch->pdata[50];
  tail[1] = batch->pdata[49];
  assert_refused (vp, board, tail, 2, 0, "bad-signature");
  ((MamoriEvent *)batch->pdata[50])->sig[5] ^= 0x40;

  g_clear_pointer (&answer, json_node_unref);
  answer = device_push (vp, board, (MamoriEvent **)batch->pdata, batch->len, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_member (answer, "events")), ==, 100);
  served = pull_settled (vp, board);
  g_assert_cmpint (served->len, ==, before + 100);
}

/* A forged signature in the middle of an author's run, vouched for by the run's last
 * signature: the batch is stored (the payload is the author's), but the event cannot
 * travel on with a signature that is not its author's, so the board serves neither it
 * nor anything of its school after it; before it, everything; another school, all. */
static void
test_forged_in_the_middle (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GPtrArray) served = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (MamoriEvent) later = NULL;
  g_autofree char *forged_id = NULL;
  g_autofree char *last_good = NULL;
  gint64 before;
  guint status;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  before = count_events (vp, board);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (
        batch, device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                            mamori_roster_staff_role_changed_body (
                                teacher->staff, i % 2 ? MAMORI_ROLE_TEACHER : MAMORI_ROLE_OFFICE)));
  ((MamoriEvent *)batch->pdata[70])->sig[5] ^= 0x40;
  forged_id = mamori_hex_encode (((MamoriEvent *)batch->pdata[70])->id, MAMORI_EVENT_ID_SIZE);
  last_good = mamori_hex_encode (((MamoriEvent *)batch->pdata[69])->id, MAMORI_EVENT_ID_SIZE);
  answer = device_push (vp, board, (MamoriEvent **)batch->pdata, batch->len, &status);
  g_assert_cmpuint (status, ==, 200);
  served = pull_settled (vp, board);
  g_assert_cmpint (served->len, ==, before + 70);
  g_assert_cmpstr (served->pdata[served->len - 1], ==, last_good);

  /* Later pushes are stored and acknowledged, and held back as well. */
  g_clear_pointer (&answer, json_node_unref);
  later = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                       mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_OFFICE));
  answer = device_push (vp, board, &later, 1, &status);
  g_assert_cmpuint (status, ==, 200);

  /* A restarted server still holds them back. */
  board_kill (board);
  board_serve (board);
  g_assert_cmpuint (device_login (vp, board), ==, 200);
  again = pull_settled (vp, board);
  g_assert_cmpint (again->len, ==, served->len);
  for (guint i = 0; i < again->len; i++)
    g_assert_cmpstr (again->pdata[i], !=, forged_id);
}

/* --- separation of duties ------------------------------------------------------------- */

/* The board names a decision in one's own favour apart (`self-approval`); other refusals
 * of the records' rules stay `not-permitted`. */
static void
test_self_approval (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriEvent) request = NULL, own = NULL, own_grant = NULL, by_teacher = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *policy
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);
  g_autofree char *id = mamori_roster_new_staff_id ();
  g_autofree char *version = NULL;
  guint status;

  g_assert_cmpint (board_run (ARGS ("publish-policy", "--data", board->dir, policy), NULL), ==, 0);
  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);

  /* The vice-principal asks; only another approver may decide. */
  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "成績一覧", "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_PAPER;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("成績処理");
  draft->date_from = g_strdup ("2027-06-01");
  draft->date_until = g_strdup ("2027-06-02");
  request
      = device_sign (vp, MAMORI_EVENT_TAKEOUT_REQUESTED, mamori_takeout_request_body (id, draft));
  answer = device_push (vp, board, &request, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  version = mamori_hex_encode (request->id, sizeof request->id);

  own = device_sign (vp, MAMORI_EVENT_TAKEOUT_APPROVED,
                     mamori_takeout_decision_body (id, version, 1, NULL));
  assert_refused (vp, board, &own, 1, 0, "self-approval");
  vp->author_seq--;
  memcpy (vp->head, request->id, sizeof vp->head);
  own_grant = device_sign (
      vp, MAMORI_EVENT_BLANKET_GRANTED,
      mamori_takeout_grant_body ("00112233445566778899aabbccddeeff", vp->staff, "C", "2027-03-31"));
  assert_refused (vp, board, &own_grant, 1, 0, "self-approval");

  /* A teacher approving a colleague's request: not theirs, but no authority either. */
  by_teacher = device_sign (teacher, MAMORI_EVENT_TAKEOUT_APPROVED,
                            mamori_takeout_decision_body (id, version, 1, NULL));
  assert_refused (teacher, board, &by_teacher, 1, 0, "not-permitted");
}

/* --- revocation -------------------------------------------------------------------------- */

static void
test_revoked (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriEvent) late = NULL;
  g_autoptr (JsonNode) pulled = NULL, pushed = NULL;
  g_autofree char *key = mamori_hex_encode (teacher->public_key, MAMORI_SIGNING_KEY_SIZE);
  guint status;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  late = device_sign (teacher, MAMORI_EVENT_STAFF_REMOVED,
                      mamori_roster_staff_removed_body (vp->staff));
  /* The board keeps the roster entry these requests found for the session. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonNode) before = device_pull (teacher, board, 0, 10, 0, &status);

      g_assert_cmpuint (status, ==, 200);
    }

  /* Revoked by another process, an admin command. */
  g_assert_cmpint (board_run ((const char *[]){ "revoke-device", "--data", board->dir, "--school",
                                                board->school, "--key", key, NULL },
                              NULL),
                   ==, 0);
  /* The session dies at once, at its very next request; no new one opens. */
  pulled = device_pull (teacher, board, 0, 10, 0, &status);
  assert_error (pulled, status, 403, "revoked");
  g_assert_cmpuint (device_login (teacher, board), ==, 403);
  /* What the key signs reaches the board no more, whoever brings it. */
  pushed = device_push (vp, board, &late, 1, &status);
  assert_error (pushed, status, 422, "refused");
  g_assert_cmpstr (member (pushed, "reason"), ==, "revoked");
  /* Revoking it twice changes nothing, and says so. */
  g_assert_cmpint (board_run ((const char *[]){ "revoke-device", "--data", board->dir, "--school",
                                                board->school, "--key", key, NULL },
                              NULL),
                   ==, 8);
}

/* A person removed by a push of their school loses their session at its very next
 * request, though the board kept what the requests before found. */
static void
test_removed_in_session (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriEvent) removed = NULL;
  g_autoptr (JsonNode) answer = NULL, pulled = NULL;
  guint status;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonNode) before = device_pull (teacher, board, 0, 10, 0, &status);

      g_assert_cmpuint (status, ==, 200);
    }
  removed = device_sign (vp, MAMORI_EVENT_STAFF_REMOVED,
                         mamori_roster_staff_removed_body (teacher->staff));
  answer = device_push (vp, board, &removed, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  pulled = device_pull (teacher, board, 0, 10, 0, &status);
  assert_error (pulled, status, 403, "revoked");
}

/* A push is answered once its commit is durable (group commit): a server killed right
 * after the answer holds it when it starts again, at the number it answered. */
static void
test_acknowledged_survives_kill (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Board) board = served_board (vp);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (Device) teacher = device_new ();
      g_autoptr (MamoriEvent) event = NULL;
      g_autoptr (JsonNode) answer = NULL, pulled = NULL;
      JsonArray *events;
      JsonObject *last;
      gint64 seq;
      guint status;

      teacher->staff = mamori_roster_new_staff_id ();
      event = device_sign (vp, MAMORI_EVENT_STAFF_ADDED,
                           mamori_roster_staff_added_body (teacher->staff, "鈴木 一郎",
                                                           MAMORI_ROLE_TEACHER, &teacher->keys));
      answer = device_push (vp, board, &event, 1, &status);
      g_assert_cmpuint (status, ==, 200);
      board_kill (board);
      seq = json_object_get_int_member (
          json_array_get_object_element (array_member (answer, "events"), 0), "seq");

      board_serve (board);
      g_assert_cmpuint (device_login (vp, board), ==, 200);
      pulled = device_pull (vp, board, seq - 1, 10, 0, &status);
      g_assert_cmpuint (status, ==, 200);
      events = array_member (pulled, "events");
      g_assert_cmpuint (json_array_get_length (events), ==, 1);
      last = json_array_get_object_element (events, 0);
      g_assert_cmpint (json_object_get_int_member (last, "seq"), ==, seq);
      g_assert_nonnull (strstr (json_object_get_string_member (last, "payload"), teacher->staff));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/board/enroll", test_enroll);
  g_test_add_func ("/board/enroll-proof", test_enroll_proof);
  g_test_add_func ("/board/session", test_session);
  g_test_add_func ("/board/push-pull", test_push_pull);
  g_test_add_func ("/board/long-poll", test_long_poll);
  g_test_add_func ("/board/long-poll-ends", test_long_poll_ends);
  g_test_add_func ("/board/descriptors", test_descriptors);
  g_test_add_func ("/board/descriptors-exhausted", test_descriptors_exhausted);
  g_test_add_func ("/board/refused", test_refused);
  g_test_add_func ("/board/large-batch", test_large_batch);
  g_test_add_func ("/board/forged-in-the-middle", test_forged_in_the_middle);
  g_test_add_func ("/board/self-approval", test_self_approval);
  g_test_add_func ("/board/revoked", test_revoked);
  g_test_add_func ("/board/removed-in-session", test_removed_in_session);
  g_test_add_func ("/board/acknowledged-survives-kill", test_acknowledged_survives_kill);
  return g_test_run ();
}
