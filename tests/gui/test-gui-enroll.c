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

#include "board-test-util.h"
#include "mamori-enroll-form.h"
#include "mamori-first-run-page.h"
#include "mamori-session-board.h"
#include "mamori-test-util.h"

static void
test_enroll (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autoptr (Board) board = board_new_empty ();
  g_autofree char *path = g_build_filename (dir, "vault", "school.mamori", NULL);
  g_autofree char *school = NULL, *code = NULL;
  g_autoptr (MamoriSession) session = NULL;
  MamoriWindow *window;
  AdwViewStack *stack;
  GtkWidget *form;
  gint64 deadline;

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", board->dir, "本町中学校", NULL },
                 &school),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", board->dir, "--school", school, "--name",
                                   "田中 一郎", "--role", "teacher", NULL },
                 &code),
      ==, 0);
  board_serve (board);

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
  mamori_test_type_into (form, _ ("Server Address"), board->uri);
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
  board_program = argv[1];

  g_test_add_func ("/gui/enroll/first-run", test_enroll);
  return g_test_run ();
}
