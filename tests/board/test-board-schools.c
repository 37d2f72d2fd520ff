/* test-board-schools.c — mamori-board on loopback: who sees what (schools, the board
 * role, its view and its policy), a school that kept its own vault joining, HTTPS, a
 * restart after SIGKILL, and the enrollment rate limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "board-test-util.h"
#include "mamori-board.h"
#include "mamori-crypto.h"
#include "mamori-register.h"

static void
test_slow_down (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (Device) device = device_new ();
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "principal");
  guint status;

  board_serve (board);
  /* Ten wrong guesses in a minute, and the eleventh attempt, even with the right code, waits. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *guess = g_strdup_printf ("0000-0000-%04u", i);

      g_clear_pointer (&answer, json_node_unref);
      answer = device_enroll (device, board, guess, &status);
      assert_error (answer, status, 403, "code-unknown");
    }
  g_clear_pointer (&answer, json_node_unref);
  answer = device_enroll (device, board, code, &status);
  assert_error (answer, status, 429, "slow-down");
}

/* Killed and started again: what it answered it has; sessions are gone; the copy of
 * each school's records is folded again from the store. */
static void
test_restart (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) late = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (MamoriEvent) forged = NULL;
  g_autoptr (JsonNode) stale = NULL, all = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *someone = mamori_roster_new_staff_id ();
  guint status;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  old_token = g_strdup (vp->token);
  board_kill (board);
  board_serve (board);

  stale = device_pull (vp, board, 0, 100, 0, &status);
  assert_error (stale, status, 401, "unauthenticated");
  g_assert_cmpuint (device_login (vp, board), ==, 200);
  g_assert_cmpstr (vp->token, !=, old_token);
  all = device_pull (vp, board, 0, 100, 0, &status);
  g_assert_cmpuint (json_array_get_length (array_member (all, "events")), ==, 4);
  /* The rebuilt copy knows the roster: the teacher's key opens a session, and the
   * teacher still adds nobody. */
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  forged = device_sign (
      teacher, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (someone, "偽 校長", MAMORI_ROLE_PRINCIPAL, &late->keys));
  assert_refused (teacher, board, &forged, 1, 0, "not-permitted");
}

/* --- who sees what ----------------------------------------------------------------------- */

static void
test_scopes (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) other = device_new ();
  g_autoptr (Device) officer = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (JsonNode) answer = NULL, seen = NULL, refused = NULL, published = NULL, view = NULL,
                       not_board = NULL;
  g_autofree char *schools_url = NULL;
  JsonArray *schools;
  JsonObject *first;
  g_autofree char *policy_path = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *url = NULL;
  g_autofree char *school = NULL;
  g_autofree char *code = NULL;
  JsonArray *events;
  guint status;

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", board->dir, "もみじ中学校", NULL },
                 &school),
      ==, 0);
  code = board_add_staff (board, school, "高橋 校長", "principal");
  answer = device_enroll (other, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (other, board), ==, 200);

  /* The other school's principal sees its three events, none of the first school's. */
  seen = device_pull (other, board, 0, 1000, 0, &status);
  events = array_member (seen, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  for (guint i = 0; i < json_array_get_length (events); i++)
    g_assert_nonnull (strstr (
        json_object_get_string_member (json_array_get_object_element (events, i), "payload"),
        school));
  g_assert_cmpint (count_events (vp, board), ==, 3);

  /* A person whose role is `board` sees every school, and publishes a policy to all. */
  g_free (code);
  code = board_add_staff (board, school, "教育委員会 担当", "board");
  g_clear_pointer (&answer, json_node_unref);
  answer = device_enroll (officer, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (officer, board), ==, 200);
  g_assert_cmpint (count_events (officer, board), ==, 3 + 4 + 1);

  /* The board's view: every school, with its counts; nobody else's. */
  schools_url = g_strconcat (board->uri, "/v1/schools", NULL);
  view = http (officer->session, "GET", schools_url, officer->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  schools = array_member (view, "schools");
  g_assert_cmpuint (json_array_get_length (schools), ==, 2);
  first = json_array_get_object_element (schools, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, board->school);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "さくら小学校");
  g_assert_true (json_object_get_boolean_member (first, "joined"));
  g_assert_cmpint (json_object_get_int_member (first, "staff"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first, "devices"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first, "events"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (schools, 1), "staff"),
                   ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "lowered")), ==, 0);
  not_board = http (vp->session, "GET", schools_url, vp->token, NULL, &status);
  assert_error (not_board, status, 403, "not-permitted");

  policy_path
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);
  g_assert_true (g_file_get_contents (policy_path, &policy, NULL, NULL));
  url = g_strconcat (board->uri, "/v1/policy", NULL);
  refused = http (vp->session, "POST", url, vp->token, json_from ("{\"document\": %s}", policy),
                  &status);
  assert_error (refused, status, 403, "not-permitted");
  published = http (officer->session, "POST", url, officer->token,
                    json_from ("{\"document\": %s}", policy), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (int_member (published, "schools"), ==, 2);
  g_assert_cmpint (int_member (published, "relevelled"), ==, 0);
  g_assert_cmpint (count_events (vp, board), ==, 4);
}

/* --- a policy whose levels the register does not use ------------------------------------ */

static void
test_policy_levels (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) officer = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (JsonNode) refused = NULL, not_board = NULL;
  g_autofree char *document = NULL;
  g_autofree char *code = NULL;
  g_autofree char *url = NULL;
  JsonArray *schools, *levels;
  JsonObject *school;
  g_autofree char *oita
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);
  g_autofree char *mext
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "mext-2025.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (oita);
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_file (file, NULL);
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (MamoriEvent) added = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) all = NULL;
  g_autofree char *output = NULL;
  JsonArray *events;
  const char *last;
  MamoriAsset *asset;
  gint64 before;
  guint status;

  g_assert_nonnull (policy);
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, oita, NULL }, NULL), ==,
      0);
  asset = g_list_model_get_item (mamori_policy_get_assets (policy), 0);
  entry = mamori_register_entry_new_from_template (asset, policy);
  g_object_unref (asset);
  entry->id = mamori_register_new_id ();
  added = device_sign (vp, MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (entry));
  answer = device_push (vp, board, &added, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  code = board_add_staff (board, board->school, "教育委員会 担当", "board");
  g_clear_pointer (&answer, json_node_unref);
  answer = device_enroll (officer, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (officer, board), ==, 200);
  before = count_events (vp, board);

  /* MEXT's levels are not 大分's: without a mapping, nothing is published. */
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, mext, NULL }, NULL), ==,
      8);
  g_assert_cmpint (count_events (vp, board), ==, before);
  /* Over the protocol, the board role hears which schools use which levels: its own code,
   * not the 403 of a role that may not publish. */
  g_assert_true (g_file_get_contents (mext, &document, NULL, NULL));
  url = g_strconcat (board->uri, "/v1/policy", NULL);
  refused = http (officer->session, "POST", url, officer->token,
                  json_from ("{\"document\": %s}", document), &status);
  assert_error (refused, status, 409, "levels-unmapped");
  schools = array_member (refused, "schools");
  g_assert_cmpuint (json_array_get_length (schools), ==, 1);
  school = json_array_get_object_element (schools, 0);
  g_assert_cmpstr (json_object_get_string_member (school, "id"), ==, board->school);
  g_assert_cmpstr (json_object_get_string_member (school, "name"), ==, "さくら小学校");
  levels = json_object_get_array_member (school, "levels");
  g_assert_cmpuint (json_array_get_length (levels), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (levels, 0), ==, entry->level);
  not_board = http (vp->session, "POST", url, vp->token, json_from ("{\"document\": %s}", document),
                    &status);
  assert_error (not_board, status, 403, "not-permitted");
  g_assert_null (json_object_get_member (json_node_get_object (not_board), "schools"));
  g_assert_cmpint (count_events (vp, board), ==, before);
  /* A mapping that misses a level is an input with errors; a whole one moves the entry,
   * in the same transaction as the policy. */
  g_assert_cmpint (board_run ((const char *[]){ "publish-policy", "--data", board->dir, "--map",
                                                "A=I,B=II", mext, NULL },
                              NULL),
                   ==, 9);
  g_assert_cmpint (count_events (vp, board), ==, before);
  g_assert_cmpint (board_run_output ((const char *[]){ "publish-policy", "--data", board->dir,
                                                       "--map", "A=I,B=II,C=III,D=IV", mext, NULL },
                                     &output),
                   ==, 0);
  g_assert_nonnull (strstr (output, "1 register entry moved"));
  g_assert_cmpint (count_events (vp, board), ==, before + 2);
  all = device_pull (vp, board, 0, 1000, 0, &status);
  events = array_member (all, "events");
  last = json_object_get_string_member (
      json_array_get_object_element (events, json_array_get_length (events) - 1), "payload");
  g_assert_nonnull (strstr (last, "\"type\":\"asset-changed\""));
  g_assert_nonnull (strstr (last, "\"level\":{\"new\":\"I\",\"old\":\"A\"}"));
  before += 2;

  /* Back to 大分's levels, with the way back. */
  g_assert_cmpint (board_run ((const char *[]){ "publish-policy", "--data", board->dir, "--map",
                                                "I=A,II=B,III=C,IV=D", oita, NULL },
                              NULL),
                   ==, 0);
  before += 2;

  /* The same policy again is fine. */
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, oita, NULL }, NULL), ==,
      0);
  g_assert_cmpint (count_events (vp, board), ==, before + 1);
}

/* --- a school that kept its own vault joins ------------------------------------------------ */

#define OWN_SCHOOL "5c400000000000000000000000000001"

static JsonNode *
join (Device *device, Board *board, const MamoriEvent *head, guint *out_status)
{
  g_autofree char *url = g_strconcat (board->uri, "/v1/join", NULL);
  g_autofree char *author = mamori_hex_encode (head->author, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *id = mamori_hex_encode (head->id, MAMORI_EVENT_ID_SIZE);

  return http (device->session, "POST", url, device->token,
               json_from ("{\"heads\": [{\"author\": \"%s\", \"author_seq\": %" G_GINT64_FORMAT
                          ", \"id\": \"%s\"}]}",
                          author, head->author_seq, id),
               out_status);
}

static void
test_join (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (Device) founder = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) other = device_new ();
  g_autoptr (MamoriEvent) created = NULL, added = NULL, changed = NULL;
  g_autoptr (JsonNode) refused = NULL, enrolled = NULL, pulled = NULL, pushed = NULL,
                       incomplete = NULL, joined = NULL, again = NULL, all = NULL;
  g_autofree char *code = NULL;
  g_autofree char *url = NULL;
  g_autofree char *signing = mamori_hex_encode (founder->public_key, MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *slot = mamori_hex_encode (founder->keys.slot_key, MAMORI_KEY_SIZE);
  g_autofree char *proof = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *proof_text = NULL;
  g_autofree char *board_key = NULL;
  g_autofree char *history_token = NULL;
  MamoriRosterKeys recovery;
  MamoriEvent *history[2];
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  guint status;

  g_assert_cmpint (board_run ((const char *[]){ "add-school", "--data", board->dir, "自前小学校",
                                                "--id", OWN_SCHOOL, NULL },
                              &code),
                   ==, 0);
  board_serve (board);

  /* The school's own records, from before it joins. */
  mamori_crypto_random (recovery.slot_key, sizeof recovery.slot_key);
  mamori_crypto_random (recovery.signing_key, sizeof recovery.signing_key);
  founder->school = g_strdup (OWN_SCHOOL);
  founder->staff = mamori_roster_new_staff_id ();
  teacher->school = g_strdup (OWN_SCHOOL);
  teacher->staff = mamori_roster_new_staff_id ();
  created = device_sign (founder, MAMORI_EVENT_SCHOOL_CREATED,
                         mamori_roster_school_created_body ("自前小学校", founder->staff,
                                                            "高橋 校長", MAMORI_ROLE_PRINCIPAL,
                                                            &founder->keys, &recovery));
  added = device_sign (founder, MAMORI_EVENT_STAFF_ADDED,
                       mamori_roster_staff_added_body (teacher->staff, "田中 教諭",
                                                       MAMORI_ROLE_TEACHER, &teacher->keys));
  changed
      = device_sign (founder, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                     mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_OFFICE));

  /* A join code enrolls no device of its own. */
  refused = device_enroll (other, board, code, &status);
  g_assert_cmpuint (status, ==, 400);

  /* With the history: a session that may send it, and nothing else. */
  normal = mamori_board_normalize_code (code);
  proof_text = g_strconcat ("mamori-enroll-v1:", normal, NULL);
  g_assert_true (mamori_signing_sign (founder->seed, founder->public_key,
                                      (const guint8 *)proof_text, strlen (proof_text), sig, NULL));
  proof = mamori_hex_encode (sig, sizeof sig);
  url = g_strconcat (board->uri, "/v1/enroll", NULL);
  enrolled = http (founder->session, "POST", url, NULL,
                   json_from ("{\"code\": \"%s\", \"signing_key\": \"%s\", \"slot_key\": "
                              "\"%s\", \"label\": \"校長室PC\", \"proof\": \"%s\", "
                              "\"history\": true}",
                              code, signing, slot, proof),
                   &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_null (json_object_get_member (json_node_get_object (enrolled), "staff"));
  g_assert_null (json_object_get_member (json_node_get_object (enrolled), "device_added"));
  founder->token = g_strdup (member (enrolled, "token"));
  history_token = g_strdup (founder->token);
  board_key = g_strdup (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (enrolled), "board"), "signing_key"));
  pulled = device_pull (founder, board, 0, 10, 0, &status);
  assert_error (pulled, status, 403, "not-permitted");

  history[0] = created;
  history[1] = added;
  pushed = device_push (founder, board, history, 2, &status);
  g_assert_cmpuint (status, ==, 200);
  /* Before the school joined, its people open no sessions. */
  g_assert_cmpuint (device_login (teacher, board), ==, 409);

  /* The board must hold exactly the chains named. */
  incomplete = join (founder, board, changed, &status);
  assert_error (incomplete, status, 409, "history-incomplete");
  g_clear_pointer (&pushed, json_node_unref);
  pushed = device_push (founder, board, &changed, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  joined = join (founder, board, changed, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (joined), "school_joined"), "author"),
      ==, board_key);

  /* Joined: the code is spent, the history session over, ordinary sessions open. */
  again = device_enroll (other, board, code, &status);
  assert_error (again, status, 403, "code-used");
  g_assert_cmpuint (device_login (founder, board), ==, 200);
  g_assert_cmpstr (founder->token, !=, history_token);
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  all = device_pull (founder, board, 0, 100, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_member (all, "events")), ==, 4);
  /* And the board is an administrator there. */
  g_free (board_add_staff (board, OWN_SCHOOL, "新任 教諭", "teacher"));
}

/* --- HTTPS ------------------------------------------------------------------------------ */

static gboolean
accept_test_certificate (SoupMessage *msg,
                         GTlsCertificate *certificate,
                         GTlsCertificateFlags errors,
                         gpointer expected)
{
  /* Self-signed: pinned, as a school's computer pins the board's. */
  return g_tls_certificate_is_same (certificate, expected);
}

static void
test_tls (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *cert
      = g_test_build_filename (G_TEST_DIST, "board", "data", "test-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "board", "data", "test-key.pem", NULL);
  g_autofree char *url = NULL;
  g_autofree char *plain_url = NULL;
  g_autoptr (GTlsCertificate) expected = g_tls_certificate_new_from_file (cert, NULL);
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (SoupMessage) plain = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GBytes) nothing = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (expected);
  board_serve_tls (board, cert, key);
  url = g_strconcat (board->uri, "/v1/events", NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate), expected);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_assert_true (g_tls_certificate_is_same (soup_message_get_tls_peer_certificate (msg), expected));

  /* Plain HTTP to the HTTPS port gets no answer. */
  plain_url = g_strconcat ("http://", board->uri + strlen ("https://"), "/v1/events", NULL);
  plain = soup_message_new ("GET", plain_url);
  nothing = soup_session_send_and_read (session, plain, NULL, &error);
  g_assert_true (nothing == NULL || soup_message_get_status (plain) != 401);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/board/slow-down", test_slow_down);
  g_test_add_func ("/board/restart", test_restart);
  g_test_add_func ("/board/scopes", test_scopes);
  g_test_add_func ("/board/policy-levels", test_policy_levels);
  g_test_add_func ("/board/join", test_join);
  g_test_add_func ("/board/tls", test_tls);
  return g_test_run ();
}
