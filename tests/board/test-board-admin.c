/* test-board-admin.c — mamori-board's admin commands: their output, their exit statuses,
 * statistics, an online backup and a board restored from it, dropping the events held
 * for a bad signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "board-test-util.h"
#include "mamori-crypto.h"

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

static void
test_init (void)
{
  g_autoptr (Board) board = board_new ();
  g_autofree char *key = g_build_filename (board->dir, "board.key", NULL);
  g_autofree char *empty = g_dir_make_tmp ("mamori-board-empty-XXXXXX", NULL);
  GStatBuf st;

  /* The key file is the owner's alone. */
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);
  /* Once only. */
  g_assert_cmpint (board_run (ARGS ("init", "--data", board->dir), NULL), ==, 8);
  /* Usage errors, and a directory with no board. */
  g_assert_cmpint (board_run (ARGS ("init"), NULL), ==, 2);
  g_assert_cmpint (board_run (ARGS ("frobnicate"), NULL), ==, 2);
  g_assert_cmpint (board_run (ARGS ("add-school", "--data", empty, "X"), NULL), ==, 1);
  g_assert_cmpint (board_run (ARGS ("add-school", "--data", board->dir), NULL), ==, 2);
  g_rmdir (empty);
}

static void
test_staff (void)
{
  g_autoptr (Board) board = board_new ();
  g_autofree char *output = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpint (board_run_output (ARGS ("add-staff", "--data", board->dir, "--school",
                                           board->school, "--name", "佐藤 花子", "--role",
                                           "vice-principal", "--valid-for", "3"),
                                     &output),
                   ==, 0);
  lines = g_strsplit (g_strstrip (output), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  staff = g_strdup (strrchr (lines[0], ' ') + 1);
  code = g_strdup (strrchr (lines[1], ' ') + 1);
  g_assert_cmpuint (strlen (staff), ==, 32);
  g_assert_true (g_regex_match_simple ("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-"
                                       "[0-9A-HJKMNP-TV-Z]{4}$",
                                       code, 0, 0));

  /* The same name twice on one roster, a role that does not exist, a school that does
   * not exist. */
  g_assert_cmpint (board_run (ARGS ("add-staff", "--data", board->dir, "--school", board->school,
                                    "--name", "佐藤 花子", "--role", "teacher"),
                              NULL),
                   ==, 8);
  g_assert_cmpint (board_run (ARGS ("add-staff", "--data", board->dir, "--school", board->school,
                                    "--name", "鈴木", "--role", "janitor"),
                              NULL),
                   ==, 2);
  g_assert_cmpint (
      board_run (ARGS ("add-staff", "--data", board->dir, "--school",
                       "00000000000000000000000000000009", "--name", "鈴木", "--role", "teacher"),
                 NULL),
      ==, 1);

  /* Removed once; the second time there is nobody to remove. */
  g_assert_cmpint (board_run (ARGS ("remove-staff", "--data", board->dir, "--school", board->school,
                                    "--staff", staff),
                              NULL),
                   ==, 0);
  g_assert_cmpint (board_run (ARGS ("remove-staff", "--data", board->dir, "--school", board->school,
                                    "--staff", staff),
                              NULL),
                   ==, 8);
}

static JsonObject *
stats (Board *board, JsonParser *parser)
{
  g_autofree char *output = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (board_run_output (ARGS ("stats", "--data", board->dir, "--json"), &output), ==,
                   0);
  g_assert_true (json_parser_load_from_data (parser, output, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_stats_and_policy (void)
{
  g_autoptr (Board) board = board_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *policy
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);
  g_autofree char *broken = NULL;
  g_autofree char *school = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;

  g_free (board_add_staff (board, board->school, "佐藤 花子", "principal"));
  root = stats (board, parser);
  g_assert_cmpint (json_object_get_int_member (root, "schools"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "events"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "codes_open"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "name"), ==, "テスト教育委員会");

  /* Every school gets the policy: those there now, and one added later. */
  g_assert_cmpint (board_run_output (ARGS ("publish-policy", "--data", board->dir, policy), &text),
                   ==, 0);
  g_assert_nonnull (strstr (text, "published to 1 school\n"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (board_run (ARGS ("add-school", "--data", board->dir, "後から小学校"), &school),
                   ==, 0);
  g_assert_cmpint (board_run_output (ARGS ("publish-policy", "--data", board->dir, policy), &text),
                   ==, 0);
  g_assert_nonnull (strstr (text, "published to 2 schools\n"));
  g_clear_pointer (&text, g_free);
  root = stats (board, parser);
  g_assert_cmpint (json_object_get_int_member (root, "schools"), ==, 2);
  /* 2 + 1 policy, + school-created and its policy, + the second policy in each. */
  g_assert_cmpint (json_object_get_int_member (root, "events"), ==, 7);

  /* A file that is not a policy changes nothing. */
  broken = g_build_filename (board->dir, "broken.json", NULL);
  g_assert_true (g_file_set_contents (broken, "{\"levels\": 3}", -1, NULL));
  g_assert_cmpint (board_run (ARGS ("publish-policy", "--data", board->dir, broken), NULL), ==, 9);
  g_unlink (broken);
  root = stats (board, parser);
  g_assert_cmpint (json_object_get_int_member (root, "events"), ==, 7);

  g_assert_cmpint (board_run_output (ARGS ("stats", "--data", board->dir), &text), ==, 0);
  g_assert_nonnull (strstr (text, "Schools: 2"));
}

static void
test_backup (void)
{
  g_autoptr (Device) device = device_new ();
  g_autoptr (Board) board = board_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) restored_parser = json_parser_new ();
  g_autofree char *code = board_add_staff (board, board->school, "佐藤 花子", "principal");
  g_autofree char *copy = g_build_filename (board->dir, "copy.db", NULL);
  g_autofree char *key = g_build_filename (board->dir, "board.key", NULL);
  g_autofree char *epoch = NULL;
  g_autofree char *key_data = NULL;
  g_autofree char *copy_data = NULL;
  g_autoptr (JsonNode) enrolled = NULL, pulled = NULL;
  g_autoptr (GError) error = NULL;
  Board *restored;
  gsize key_length, copy_length;
  guint status;

  /* Taken while the board serves. */
  board_serve (board);
  enrolled = device_enroll (device, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (device, board), ==, 200);
  epoch = g_strdup (json_object_get_string_member (stats (board, parser), "epoch"));
  g_assert_cmpint (board_run (ARGS ("backup", "--data", board->dir, copy), NULL), ==, 0);
  g_assert_cmpint (board_run (ARGS ("backup", "--data", board->dir, copy), NULL), ==, 6);

  /* A board restored from it holds what was stored, under a new epoch. */
  restored = g_new0 (Board, 1);
  restored->dir = g_dir_make_tmp ("mamori-board-restored-XXXXXX", &error);
  restored->school = g_strdup (board->school);
  g_assert_true (g_file_get_contents (key, &key_data, &key_length, NULL));
  g_assert_true (g_file_get_contents (copy, &copy_data, &copy_length, NULL));
  {
    g_autofree char *restored_key = g_build_filename (restored->dir, "board.key", NULL);
    g_autofree char *restored_db = g_build_filename (restored->dir, "board.db", NULL);

    g_assert_true (g_file_set_contents (restored_key, key_data, (gssize)key_length, NULL));
    g_assert_true (g_file_set_contents (restored_db, copy_data, (gssize)copy_length, NULL));
  }
  g_unlink (copy);
  board_serve (restored);
  g_assert_cmpstr (json_object_get_string_member (stats (restored, restored_parser), "epoch"), !=,
                   epoch);
  g_assert_cmpuint (device_login (device, restored), ==, 200);
  pulled = device_pull (device, restored, 0, 100, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (pulled), "epoch"), !=,
                   epoch);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (pulled), "events")),
                    ==, 3);
  board_free (restored);
}

static void
test_serve_refusals (void)
{
  g_autoptr (Board) board = board_new ();

  /* Plain HTTP on a network address is refused: TLS or loopback. */
  g_assert_cmpint (board_run (ARGS ("serve", "--data", board->dir, "--listen", "0.0.0.0:0"), NULL),
                   ==, 8);
  g_assert_cmpint (board_run (ARGS ("serve", "--data", board->dir, "--listen", "nowhere"), NULL),
                   ==, 2);
  g_assert_cmpint (board_run (ARGS ("serve", "--data", board->dir, "--listen", "127.0.0.1:0",
                                    "--tls-cert", "/nonexistent.pem"),
                              NULL),
                   ==, 2);
}

/* --- drop-held ---------------------------------------------------------------------------- */

static MamoriEvent *
role_change (Device *device, const char *staff, MamoriRole role)
{
  return device_sign (device, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (staff, role));
}

static char *
event_id (const MamoriEvent *event)
{
  return mamori_hex_encode (event->id, MAMORI_EVENT_ID_SIZE);
}

static char *
pull_epoch (Device *device, Board *board)
{
  g_autoptr (JsonNode) page = NULL;
  guint status;

  page = device_pull (device, board, 0, 1, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (member (page, "epoch"));
}

/* A forged signature in the middle of the vice-principal's run: `drop-held`, while
 * `serve` runs, drops it, the rest of the run (which names it by its hash), and the
 * teacher's event that only the forged one permitted; the events of the school after it
 * that need none of them are served again, with a new epoch; nothing before it is lost;
 * and the server stores on top of what is left. */
static void
test_drop_held (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) other = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) colleague = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autoptr (GPtrArray) before = NULL, held_back = NULL, after = NULL, on_top = NULL;
  g_autoptr (MamoriEvent) first = NULL, forged = NULL, third = NULL, fine = NULL,
                          needs_forged = NULL, again = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *code = NULL, *epoch = NULL, *new_epoch = NULL, *output = NULL;
  g_autofree char *forged_id = NULL, *third_id = NULL, *needs_id = NULL, *fine_id = NULL;
  g_autoptr (JsonNode) page = NULL;
  g_autoptr (GThread) thread = NULL;
  LongPoll poll = { board, other, 0 };
  MamoriEvent *batch[3];
  guint status;
  int exit_status = 1;

  add_teacher (vp, board, teacher, "鈴木 一郎");
  add_teacher (vp, board, colleague, "田中 二郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  code = board_add_staff (board, board->school, "高橋 次郎", "vice-principal");
  answer = device_enroll (other, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (other, board), ==, 200);
  /* Nothing held: nothing to drop. */
  g_assert_cmpint (board_run (ARGS ("drop-held", "--data", board->dir), NULL), ==, 1);
  g_assert_cmpint (board_run (ARGS ("drop-held", "--data", board->dir, "extra"), NULL), ==, 2);
  before = pull_settled (vp, board);
  epoch = pull_epoch (vp, board);

  /* The vice-principal's run of three, its middle one (making the teacher a
   * vice-principal) forged: stored, acknowledged, and held with everything of the
   * school after it. */
  first = role_change (vp, colleague->staff, MAMORI_ROLE_OFFICE);
  forged = role_change (vp, teacher->staff, MAMORI_ROLE_VICE_PRINCIPAL);
  forged->sig[5] ^= 0x40;
  third = role_change (vp, colleague->staff, MAMORI_ROLE_TEACHER);
  batch[0] = first;
  batch[1] = forged;
  batch[2] = third;
  g_clear_pointer (&answer, json_node_unref);
  answer = device_push (vp, board, batch, 3, &status);
  g_assert_cmpuint (status, ==, 200);
  /* What only the forged event permits: the teacher changes a colleague's role. */
  needs_forged = role_change (teacher, colleague->staff, MAMORI_ROLE_OFFICE);
  g_clear_pointer (&answer, json_node_unref);
  answer = device_push (teacher, board, &needs_forged, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  /* The other vice-principal's, which needs none of them; then the board's own
   * (another process). */
  fine = role_change (other, colleague->staff, MAMORI_ROLE_TEACHER);
  g_clear_pointer (&answer, json_node_unref);
  answer = device_push (other, board, &fine, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (code);
  code = board_add_staff (board, board->school, "山田 三郎", "teacher");
  forged_id = event_id (forged);
  third_id = event_id (third);
  needs_id = event_id (needs_forged);
  fine_id = event_id (fine);

  /* The server finds the signature bad in the background. */
  for (guint i = 0; i < 100 && exit_status != 0; i++)
    {
      g_clear_pointer (&output, g_free);
      exit_status
          = board_run_output (ARGS ("drop-held", "--data", board->dir, "--dry-run"), &output);
      if (exit_status != 0)
        g_usleep (100 * 1000);
    }
  g_assert_cmpint (exit_status, ==, 0);
  held_back = pull_settled (vp, board);
  g_assert_cmpuint (held_back->len, ==, before->len + 1);

  /* --dry-run lists the three, and changes nothing. */
  g_assert_nonnull (strstr (output, "its signature is not its author’s"));
  g_assert_nonnull (strstr (output, "it continues its author’s chain after an event dropped"));
  g_assert_nonnull (strstr (output, "the school’s records refuse it without the events dropped"));
  g_assert_nonnull (strstr (output, "3 events would be dropped"));
  g_clear_pointer (&after, g_ptr_array_unref);
  after = pull_settled (vp, board);
  g_assert_cmpuint (after->len, ==, held_back->len);
  g_clear_pointer (&after, g_ptr_array_unref);
  new_epoch = pull_epoch (vp, board);
  g_assert_cmpstr (new_epoch, ==, epoch);
  g_clear_pointer (&new_epoch, g_free);

  /* Dropped while `serve` runs: the school's later events that need none of them are
   * served, after everything served before, under a new epoch, which a long poll held
   * meanwhile is told of at once. */
  page = device_pull (other, board, 0, 1000, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  poll.since = int_member (page, "next");
  thread = g_thread_new ("long-poll", long_poll, &poll);
  g_usleep (G_USEC_PER_SEC / 2);
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (board_run_output (ARGS ("drop-held", "--data", board->dir), &output), ==, 0);
  g_assert_nonnull (strstr (output, "3 events dropped; the board’s new epoch is "));
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (device_login (vp, board), ==, 200);
  new_epoch = pull_epoch (vp, board);
  g_assert_cmpstr (new_epoch, !=, epoch);
  g_assert_nonnull (strstr (output, new_epoch));
  g_assert_cmpuint (poll.status, ==, 200);
  g_assert_cmpint (poll.elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (member (poll.answer, "epoch"), ==, new_epoch);
  json_node_unref (poll.answer);
  /* Every session ended with the old epoch: the teacher's, which the forged event made a
   * vice-principal's, as much as the others; new ones open. */
  g_clear_pointer (&page, json_node_unref);
  page = device_pull (teacher, board, 0, 1, 0, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpuint (device_login (teacher, board), ==, 200);
  g_assert_cmpuint (device_login (vp, board), ==, 200);
  after = pull_settled (vp, board);
  g_assert_cmpuint (after->len, ==, before->len + 3);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (after->pdata[i], ==, before->pdata[i]);
  g_assert_cmpstr (after->pdata[before->len], ==, held_back->pdata[before->len]);
  g_assert_cmpstr (after->pdata[before->len + 1], ==, fine_id);
  for (guint i = 0; i < after->len; i++)
    {
      g_assert_cmpstr (after->pdata[i], !=, forged_id);
      g_assert_cmpstr (after->pdata[i], !=, third_id);
      g_assert_cmpstr (after->pdata[i], !=, needs_id);
    }
  g_assert_cmpint (board_run (ARGS ("drop-held", "--data", board->dir), NULL), ==, 1);

  /* The server's copy of the school's records lost them too: the vice-principal's chain
   * continues from the last event the board kept. */
  vp->author_seq = first->author_seq;
  memcpy (vp->head, first->id, sizeof vp->head);
  again = role_change (vp, teacher->staff, MAMORI_ROLE_TEACHER);
  g_clear_pointer (&answer, json_node_unref);
  answer = device_push (vp, board, &again, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  on_top = pull_settled (vp, board);
  g_assert_cmpuint (on_top->len, ==, after->len + 1);
  g_free (fine_id);
  fine_id = event_id (again);
  g_assert_cmpstr (on_top->pdata[after->len], ==, fine_id);
}

/* A store whose file was damaged: every command says so and exits 4. */
static void
test_damaged_store (void)
{
  g_autoptr (Board) board = board_new ();
  g_autofree char *db = g_build_filename (board->dir, "board.db", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 200);
  memset (contents + 100, 0xa5, length - 100);
  g_assert_true (g_file_set_contents (db, contents, (gssize)length, NULL));
  g_assert_cmpint (board_run (ARGS ("stats", "--data", board->dir), NULL), ==, 4);
  g_assert_cmpint (board_run (ARGS ("add-school", "--data", board->dir, "さくら小学校"), NULL), ==,
                   4);
  g_assert_cmpint (board_run (ARGS ("drop-held", "--data", board->dir), NULL), ==, 4);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  /* The output checked is the English text. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/board-admin/init", test_init);
  g_test_add_func ("/board-admin/damaged-store", test_damaged_store);
  g_test_add_func ("/board-admin/staff", test_staff);
  g_test_add_func ("/board-admin/stats-and-policy", test_stats_and_policy);
  g_test_add_func ("/board-admin/backup", test_backup);
  g_test_add_func ("/board-admin/serve-refusals", test_serve_refusals);
  g_test_add_func ("/board-admin/drop-held", test_drop_held);
  return g_test_run ();
}
