/* test-board-admin.c — mamori-board's admin commands: their output, their exit statuses,
 * statistics, an online backup and a board restored from it
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
  g_test_add_func ("/board-admin/staff", test_staff);
  g_test_add_func ("/board-admin/stats-and-policy", test_stats_and_policy);
  g_test_add_func ("/board-admin/backup", test_backup);
  g_test_add_func ("/board-admin/serve-refusals", test_serve_refusals);
  return g_test_run ();
}
