/* screenshots-register.c — the register page's loading states for the docs, in Japanese
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" _build/tests/gui/screenshots-register OUTDIR
 *
 * Makes a vault of its own (removed at the end) with 100,000 register entries, unlocks
 * it with another page showing, then shows the register page and writes
 * OUTDIR/register-loading.png while the session's thread reads the register, and
 * OUTDIR/register-100000.png once it shows; then the places view, while it is read
 * (OUTDIR/register-places-loading.png) and once every place shows
 * (OUTDIR/register-places-100000.png), and with its second place expanded
 * (OUTDIR/register-places.png); then the take-out request form while it reads the
 * register for its search (OUTDIR/takeout-request-reading.png) and once it has searched
 * what was typed meanwhile (OUTDIR/takeout-request-searched.png).  Built on demand:
 * `meson compile -C _build tests/gui/screenshots-register`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-register-import.h"
#include "mamori-register-page.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-test-util.h"

#define N_ENTRIES 100000

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
};

static void
wait_a_moment (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* The kind of register a school keeps, 100,000 entries of it. */
static void
fill_register (MamoriSession *session)
{
  static const char *const things[]
      = { "出席簿", "指導要録", "通知表", "健康診断票", "時間割", "学級通信", "成績一覧表" };
  static const char *const places[]
      = { "職員室の耐火金庫", "校務用ファイルサーバ", "事務室の書庫", "保健室", "校長室" };
  g_autoptr (GString) csv = g_string_new ("名称,分類,重要度,媒体,保管場所,取扱者,保管期限\r\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < N_ENTRIES; i++)
    g_string_append_printf (csv, "%s その%u,学籍情報,重要度%c,紙,%s %u,教頭,5年\r\n",
                            things[i % G_N_ELEMENTS (things)], i + 1, "ABC"[i % 3],
                            places[i % G_N_ELEMENTS (places)], i % 40 + 1);
  bytes = g_string_free_to_bytes (g_steal_pointer (&csv));
  import = mamori_register_import_prepare (
      mamori_lookup_get_policy (mamori_session_get_lookup (session)), NULL, bytes, 0, "bench.csv");
  g_assert_cmpuint (import->errors->len, ==, 0);
  g_assert_true (mamori_register_import_apply (mamori_session_get_vault (session), import, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  MamoriSession *session;
  MamoriWindow *window;
  AdwViewStack *stack;
  MamoriRegisterPage *page;
  MamoriTakeoutRequestDialog *form;

  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  mamori_test_init_for_screenshots (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("Usage: screenshots-register OUTDIR\n");
      return 2;
    }

  dir = mamori_test_make_dir ();
  path = g_build_filename (dir, "school.mamori", NULL);
  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  session = mamori_session_new (path);
  mamori_session_set_last_user (session, users[0].name);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, "default-width", 1000,
                         "default-height", 720, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, users[0].passphrase);
  mamori_test_wait_for_view (window, "main");
  fill_register (session);

  /* Unlocked again with the lookup showing: the register is read when its page is. */
  mamori_session_lock (session);
  mamori_test_wait_for_view (window, "unlock");
  mamori_test_unlock (window, users[0].passphrase);
  mamori_test_wait_for_view (window, "main");
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "register");
  page = MAMORI_REGISTER_PAGE (adw_view_stack_get_visible_child (stack));
  wait_a_moment (150);
  g_assert_true (mamori_register_page_get_loading (page));
  mamori_test_save_png (GTK_WIDGET (window), argv[1], "register-loading.png");

  while (mamori_register_page_get_loading (page) || mamori_session_get_busy (session))
    g_main_context_iteration (NULL, TRUE);
  wait_a_moment (500);
  mamori_test_save_png (GTK_WIDGET (window), argv[1], "register-100000.png");

  /* The places view: read in the thread too, then its places a few a frame. */
  gtk_widget_activate_action (GTK_WIDGET (page), "register.view", "s", "places");
  wait_a_moment (150);
  g_assert_true (mamori_register_page_get_loading (page));
  mamori_test_save_png (GTK_WIDGET (window), argv[1], "register-places-loading.png");
  while (mamori_register_page_get_loading (page) || mamori_session_get_busy (session))
    g_main_context_iteration (NULL, TRUE);
  wait_a_moment (500);
  mamori_test_save_png (GTK_WIDGET (window), argv[1], "register-places-100000.png");

  /* The second place expanded as a click on it does: its first entries under it. */
  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", 1));
  wait_a_moment (500);
  mamori_test_save_png (GTK_WIDGET (window), argv[1], "register-places.png");

  /* The take-out request form reads the register for its search the same way. */
  form = mamori_takeout_request_dialog_new (
      session, mamori_lookup_get_policy (mamori_session_get_lookup (session)));
  gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (form));
  gtk_editable_set_text (
      GTK_EDITABLE (mamori_test_find_widget (GTK_WIDGET (form), GTK_TYPE_SEARCH_ENTRY)), "出席簿");
  wait_a_moment (50);
  g_assert_true (mamori_session_get_busy (session));
  mamori_test_save_png (GTK_WIDGET (form), argv[1], "takeout-request-reading.png");
  mamori_test_wait_for_session (session);
  wait_a_moment (500);
  mamori_test_save_png (GTK_WIDGET (form), argv[1], "takeout-request-searched.png");
  gtk_window_destroy (GTK_WINDOW (form));

  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_object_unref (session);
  mamori_test_remove_dir (dir);
  return 0;
}
