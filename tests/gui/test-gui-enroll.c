/* test-gui-enroll.c — the first run on a teacher's computer: joining the board with the
 * enrollment code it gave them, against a real mamori-board on loopback; a wrong code
 * is said in place and keeps what was typed
 *
 * Usage: test-gui-enroll PATH/TO/mamori-board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "mamori-enroll-form.h"
#include "mamori-first-run-page.h"
#include "mamori-session-board.h"
#include "mamori-test-util.h"

static const char *board_path;

/* Runs mamori-board with @args; the last word of its last line. */
static char *
board_run (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) words = NULL;
  int status;
  guint n;

  g_ptr_array_add (argv, (char *)board_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 0);
  words = g_strsplit (lines[n - 1], " ", -1);
  return g_strdup (words[g_strv_length (words) - 1]);
}

/* Starts `mamori-board serve` on a free port; its address in @out_url. */
static GPid
board_serve (const char *data, char **out_url)
{
  const char *argv[] = { board_path, "serve", "--data", data, "--listen", "127.0.0.1:0", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, NULL, &error), ==,
                   G_IO_STATUS_NORMAL);
  g_assert_true (g_str_has_prefix (line, "Serving "));
  *out_url = g_strdup (g_strrstr (g_strstrip (line), " ") + 1);
  return pid;
}

static void
test_enroll (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *data = g_build_filename (dir, "board", NULL);
  g_autofree char *path = g_build_filename (dir, "vault", "school.mamori", NULL);
  g_autofree char *school = NULL, *code = NULL, *url = NULL;
  g_autoptr (MamoriSession) session = NULL;
  MamoriWindow *window;
  AdwViewStack *stack;
  GtkWidget *form;
  gint64 deadline;
  GPid server;

  g_free (board_run ((const char *const[]){ "init", "--data", data, NULL }));
  school = board_run ((const char *const[]){ "add-school", "--data", data, "本町中学校", NULL });
  code = board_run ((const char *const[]){ "add-staff", "--data", data, "--school", school,
                                           "--name", "田中 一郎", "--role", "teacher", NULL });
  server = board_serve (data, &url);

  session = mamori_session_new (path);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (
      mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_FIRST_RUN_PAGE), "first-run.enroll",
      NULL));
  mamori_test_flush ();
  form = mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_ENROLL_FORM);
  g_assert_nonnull (form);
  g_assert_false (gtk_widget_get_sensitive (mamori_test_find_actionable (form, "enroll.join")));

  /* A wrong code: said in place, the address and the code kept, no vault made. */
  mamori_test_type_into (form, _ ("Server Address"), url);
  mamori_test_type_into (form, _ ("Enrollment Code"), "AAAA-BBBB-CCCC");
  mamori_test_type_into (form, _ ("Passphrase"), "tanaka correct horse battery");
  mamori_test_type_into (form, _ ("Confirm Passphrase"), "tanaka correct horse battery");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (form, "enroll.join", NULL));
  mamori_test_wait_for_session (session);
  g_assert_nonnull (mamori_test_find_label (
      form, _ ("The board of education does not know this enrollment code: check it, or ask the "
               "board for a new one")));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (mamori_session_get_state (session), ==, MAMORI_SESSION_STATE_NO_VAULT);

  /* The right one: the vault is made, the board's records arrive, the window opens. */
  mamori_test_type_into (form, _ ("Enrollment Code"), code);
  mamori_test_type_into (form, _ ("Passphrase"), "tanaka correct horse battery");
  mamori_test_type_into (form, _ ("Confirm Passphrase"), "tanaka correct horse battery");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (form, "enroll.join", NULL));
  mamori_test_wait_for_view (window, "main");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (mamori_session_get_sync_state (session) != MAMORI_SYNC_STATE_SYNCED
         || mamori_session_get_busy (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (mamori_vault_get_user (mamori_session_get_vault (session)), ==, "田中 一郎");
  g_assert_cmpstr (mamori_vault_get_school (mamori_session_get_vault (session)), ==, "本町中学校");
  g_assert_false (mamori_vault_is_enrolling (mamori_session_get_vault (session)));
  /* 学校 is the board role's: a teacher never sees it. */
  g_assert_false (mamori_session_is_board (session));
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_assert_false (adw_view_stack_page_get_visible (
      adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "schools"))));

  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  /* Its store is removed below: the server has let go of it first. */
  kill (server, SIGTERM);
  g_assert_cmpint (waitpid (server, NULL, 0), ==, server);
  g_spawn_close_pid (server);
  g_clear_object (&session);
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
  g_assert_cmpint (argc, ==, 2);
  board_path = argv[1];

  g_test_add_func ("/gui/enroll/first-run", test_enroll);
  return g_test_run ();
}
