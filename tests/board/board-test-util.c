/* board-test-util.c — see board-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "board-test-util.h"
#include "mamori-crypto.h"

const char *board_program;

int
board_run (const char *const *args, char **out_last_word)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) words = NULL;
  int status = board_run_output (args, &text);

  if (out_last_word != NULL)
    {
      g_strstrip (text);
      words = g_regex_split_simple ("\\s+", text, 0, 0);
      *out_last_word = g_strdup (words[g_strv_length (words) - 1]);
    }
  return status;
}

int
board_run_output (const char *const *args, char **out_stdout)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_ptr_array_add (argv, (gpointer)board_program);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer)*a);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

Board *
board_new_empty (void)
{
  Board *board = g_new0 (Board, 1);
  g_autoptr (GError) error = NULL;

  board->dir = g_dir_make_tmp ("mamori-board-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (board_run ((const char *[]){ "init", "--data", board->dir, "--name",
                                                "テスト教育委員会", NULL },
                              NULL),
                   ==, 0);
  return board;
}

Board *
board_new (void)
{
  Board *board = board_new_empty ();

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", board->dir, "さくら小学校", NULL },
                 &board->school),
      ==, 0);
  g_assert_cmpuint (strlen (board->school), ==, MAMORI_SCHOOL_ID_LEN);
  return board;
}

static void
serve_child_setup (gpointer data)
{
  Board *board = data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (board->descriptor_limit > 0)
    {
      struct rlimit limit = { board->descriptor_limit, board->descriptor_limit };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static void
serve (Board *board, const char *cert, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *line = NULL;
  const char *uri;

  /* A failed assertion aborts the test: the server must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, serve_child_setup, board, NULL);
  if (cert != NULL)
    {
      /* LeakSanitizer's tracer crashes at exit in a process that loaded glib-networking's
       * TLS module (a fatal error of its own, not a leak): the sanitizer pass checks the
       * server's leaks in the plain-HTTP tests. */
      g_autofree char *options
          = g_strconcat (g_getenv ("ASAN_OPTIONS") != NULL ? g_getenv ("ASAN_OPTIONS") : "",
                         ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  if (cert != NULL)
    board->process = g_subprocess_launcher_spawn (launcher, &error, board_program, "serve",
                                                  "--data", board->dir, "--listen", "127.0.0.1:0",
                                                  "--tls-cert", cert, "--tls-key", key, NULL);
  else
    board->process
        = g_subprocess_launcher_spawn (launcher, &error, board_program, "serve", "--data",
                                       board->dir, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (board->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  uri = strrchr (line, ' ');
  g_assert_nonnull (uri);
  board->uri = g_strdup (uri + 1);
  if (g_str_has_suffix (board->uri, "/"))
    board->uri[strlen (board->uri) - 1] = '\0';
  g_assert_true (
      g_str_has_prefix (board->uri, cert != NULL ? "https://127.0.0.1:" : "http://127.0.0.1:"));
}

void
board_serve (Board *board)
{
  serve (board, NULL, NULL);
}

void
board_serve_tls (Board *board, const char *cert, const char *key)
{
  serve (board, cert, key);
}

/* @dir and everything in it (a test may keep its computers' vaults there). */
static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
board_kill (Board *board)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_force_exit (board->process);
  g_assert_true (g_subprocess_wait (board->process, NULL, &error));
  g_clear_object (&board->process);
  g_clear_pointer (&board->uri, g_free);
}

void
board_stop (Board *board)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (board->process, SIGTERM);
  g_assert_true (g_subprocess_wait (board->process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (board->process));
  g_assert_cmpint (g_subprocess_get_exit_status (board->process), ==, 0);
  g_clear_object (&board->process);
  g_clear_pointer (&board->uri, g_free);
}

void
board_free (Board *board)
{
  if (board->process != NULL)
    board_stop (board);
  remove_tree (board->dir);
  g_free (board->dir);
  g_free (board->school);
  g_free (board->uri);
  g_free (board);
}

char *
board_add_staff (Board *board, const char *school, const char *name, const char *role)
{
  char *code = NULL;

  g_assert_cmpint (board_run ((const char *[]){ "add-staff", "--data", board->dir, "--school",
                                                school, "--name", name, "--role", role, NULL },
                              &code),
                   ==, 0);
  return code;
}

Device *
device_new (void)
{
  Device *device = g_new0 (Device, 1);

  device->seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  mamori_signing_generate (device->seed, device->public_key);
  memcpy (device->keys.signing_key, device->public_key, MAMORI_SIGNING_KEY_SIZE);
  mamori_crypto_random (device->keys.slot_key, sizeof device->keys.slot_key);
  device->session = soup_session_new ();
  return device;
}

void
device_free (Device *device)
{
  mamori_secure_free (device->seed);
  g_free (device->staff);
  g_free (device->school);
  g_free (device->token);
  g_object_unref (device->session);
  g_free (device);
}

JsonNode *
http (SoupSession *session,
      const char *method,
      const char *url,
      const char *token,
      JsonNode *body,
      guint *out_status)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (body != NULL)
    {
      gsize length;
      char *text = json_to_string (body, FALSE);
      g_autoptr (GBytes) bytes = NULL;

      length = strlen (text);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      json_node_unref (body);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize)g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
json_from (const char *format, ...)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

const char *
member (JsonNode *node, const char *name)
{
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

static char *
sign_hex (Device *device, const char *text)
{
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_signing_sign (device->seed, device->public_key, (const guint8 *)text,
                                      strlen (text), sig, &error));
  return mamori_hex_encode (sig, sizeof sig);
}

JsonNode *
device_enroll (Device *device, Board *board, const char *code, guint *out_status)
{
  g_autofree char *url = g_strconcat (board->uri, "/v1/enroll", NULL);
  g_autofree char *normal = g_ascii_strup (code, -1);
  g_autofree char *proof_text = NULL;
  g_autofree char *proof = NULL;
  g_autofree char *signing = mamori_hex_encode (device->keys.signing_key, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *slot = mamori_hex_encode (device->keys.slot_key, MAMORI_KEY_SIZE);
  JsonNode *answer;
  char *w = normal;

  for (const char *r = normal; *r != '\0'; r++)
    if (*r != '-')
      *w++ = *r;
  *w = '\0';
  proof_text = g_strconcat ("mamori-enroll-v1:", normal, NULL);
  proof = sign_hex (device, proof_text);
  answer = http (device->session, "POST", url, NULL,
                 json_from ("{\"code\": \"%s\", \"signing_key\": \"%s\", \"slot_key\": \"%s\", "
                            "\"label\": \"職員室PC\", \"proof\": \"%s\"}",
                            code, signing, slot, proof),
                 out_status);
  if (*out_status == 200)
    {
      JsonObject *root = json_node_get_object (answer);

      device->school = g_strdup (
          json_object_get_string_member (json_object_get_object_member (root, "school"), "id"));
      device->staff = g_strdup (
          json_object_get_string_member (json_object_get_object_member (root, "staff"), "id"));
    }
  return answer;
}

guint
device_login (Device *device, Board *board)
{
  g_autofree char *url = g_strconcat (board->uri, "/v1/session/challenge", NULL);
  g_autofree char *session_url = g_strconcat (board->uri, "/v1/session", NULL);
  g_autofree char *key = mamori_hex_encode (device->public_key, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *text = NULL;
  g_autofree char *sig = NULL;
  g_autoptr (JsonNode) challenge = NULL;
  g_autoptr (JsonNode) answer = NULL;
  guint status;

  challenge
      = http (device->session, "POST", url, NULL, json_from ("{\"device\": \"%s\"}", key), &status);
  g_assert_cmpuint (status, ==, 200);
  text = g_strconcat ("mamori-session-v1:", member (challenge, "challenge"), NULL);
  sig = sign_hex (device, text);
  answer = http (device->session, "POST", session_url, NULL,
                 json_from ("{\"device\": \"%s\", \"challenge\": \"%s\", \"sig\": \"%s\"}", key,
                            member (challenge, "challenge"), sig),
                 &status);
  g_clear_pointer (&device->token, g_free);
  if (status == 200)
    device->token = g_strdup (member (answer, "token"));
  return status;
}

MamoriEvent *
device_sign (Device *device, const char *type, JsonNode *body)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  MamoriEvent *event;
  const guint8 *payload;
  gsize length;

  event = mamori_event_new (type, device->school, device->public_key, device->author_seq + 1,
                            device->author_seq > 0 ? device->head : NULL, now, body, &error);
  g_assert_no_error (error);
  payload = g_bytes_get_data (event->payload, &length);
  g_assert_true (
      mamori_signing_sign (device->seed, device->public_key, payload, length, event->sig, &error));
  device->author_seq++;
  memcpy (device->head, event->id, sizeof device->head);
  return event;
}

JsonNode *
device_push (Device *device, Board *board, MamoriEvent **events, guint n_events, guint *out_status)
{
  g_autofree char *url = g_strconcat (board->uri, "/v1/events", NULL);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_events; i++)
    {
      gsize length;
      const char *payload = g_bytes_get_data (events[i]->payload, &length);
      g_autofree char *text = g_strndup (payload, length);
      g_autofree char *author = mamori_hex_encode (events[i]->author, MAMORI_SIGNING_KEY_SIZE);
      g_autofree char *sig = mamori_hex_encode (events[i]->sig, MAMORI_SIGNATURE_SIZE);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, author);
      json_builder_set_member_name (builder, "payload");
      json_builder_add_string_value (builder, text);
      json_builder_set_member_name (builder, "sig");
      json_builder_add_string_value (builder, sig);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return http (device->session, "POST", url, device->token, json_builder_get_root (builder),
               out_status);
}

JsonNode *
device_pull (Device *device, Board *board, gint64 since, guint limit, guint wait, guint *out_status)
{
  g_autofree char *url = g_strdup_printf (
      "%s/v1/events?since=%" G_GINT64_FORMAT "&limit=%u&wait=%u", board->uri, since, limit, wait);

  return http (device->session, "GET", url, device->token, NULL, out_status);
}

/* --- shared by the server tests --------------------------------------------------- */

gint64
int_member (JsonNode *node, const char *name)
{
  return json_object_get_int_member (json_node_get_object (node), name);
}

JsonArray *
array_member (JsonNode *node, const char *name)
{
  return json_object_get_array_member (json_node_get_object (node), name);
}

/* A board serving one school whose vice-principal has enrolled and opened a session. */
Board *
served_board (Device *vp)
{
  Board *board = board_new ();
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  g_autoptr (JsonNode) answer = NULL;
  guint status;

  board_serve (board);
  answer = device_enroll (vp, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  /* The board signed device-added: the vice-principal's first event is number 1. */
  g_assert_cmpuint (device_login (vp, board), ==, 200);
  return board;
}

/* The vice-principal adds a teacher whose keys are @teacher's: the teacher can sign. */
void
add_teacher (Device *vp, Board *board, Device *teacher, const char *name)
{
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (JsonNode) answer = NULL;
  guint status;

  teacher->staff = mamori_roster_new_staff_id ();
  teacher->school = g_strdup (vp->school);
  event = device_sign (
      vp, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (teacher->staff, name, MAMORI_ROLE_TEACHER, &teacher->keys));
  answer = device_push (vp, board, &event, 1, &status);
  g_assert_cmpuint (status, ==, 200);
}

void
assert_error (JsonNode *answer, guint status, guint expected_status, const char *code)
{
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (answer);
  g_assert_cmpstr (member (answer, "error"), ==, code);
  g_assert_nonnull (member (answer, "message"));
}

/* Pushes @events and checks the board refused the one at @index for @reason. */
void
assert_refused (Device *device,
                Board *board,
                MamoriEvent **events,
                guint n_events,
                guint index,
                const char *reason)
{
  g_autoptr (JsonNode) answer = NULL;
  guint status;

  answer = device_push (device, board, events, n_events, &status);
  assert_error (answer, status, 422, "refused");
  g_assert_cmpstr (member (answer, "reason"), ==, reason);
  g_assert_cmpint (int_member (answer, "index"), ==, index);
}

gint64
count_events (Device *device, Board *board)
{
  g_autoptr (JsonNode) all = NULL;
  guint status;

  all = device_pull (device, board, 0, 1000, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (array_member (all, "events"));
}

/* The events the board serves once it has checked what pushes left to check: pulls,
 * each waiting up to a second, until one brings nothing.  Their ids in order. */
GPtrArray *
pull_settled (Device *device, Board *board)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 since = 0;

  for (;;)
    {
      g_autoptr (JsonNode) page = NULL;
      JsonArray *events;
      guint status;

      page = device_pull (device, board, since, 1000, 1, &status);
      g_assert_cmpuint (status, ==, 200);
      events = array_member (page, "events");
      if (json_array_get_length (events) == 0)
        return g_steal_pointer (&ids);
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);
          const char *payload = json_object_get_string_member (event, "payload");
          guint8 id[MAMORI_EVENT_ID_SIZE];

          mamori_event_hash ((const guint8 *)payload, strlen (payload), id);
          g_ptr_array_add (ids, mamori_hex_encode (id, sizeof id));
        }
      since = int_member (page, "next");
    }
}

gpointer
long_poll (gpointer data)
{
  LongPoll *poll = data;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/v1/events?since=%" G_GINT64_FORMAT "&wait=30",
                                          poll->board->uri, poll->since);
  gint64 start = g_get_monotonic_time ();

  poll->answer = http (session, "GET", url, poll->device->token, NULL, &poll->status);
  poll->woke = g_get_monotonic_time ();
  poll->elapsed = poll->woke - start;
  return NULL;
}
