/* test-gui-i18n.c — under a Japanese locale, Mamori speaks Japanese
 *
 * The catalogue is the one the build makes from po/ja.po.  Each check compares what
 * the window shows with gettext's translation of the English msgid, and that with the
 * msgid itself: the test fails if a string is not translated, without hard-coding
 * the Japanese text here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mamori-asset-detail.h"
#include "mamori-test-util.h"
#include "mamori-window.h"

static gboolean have_japanese_locale;

/* @msgid has a translation, and @shown is it. */
static void
assert_translated (const char *msgid, const char *shown)
{
  const char *translation = g_dgettext (GETTEXT_PACKAGE, msgid);

  g_assert_cmpstr (translation, !=, msgid);
  g_assert_cmpstr (shown, ==, translation);
}

/* @msgid has a translation, and a label under @root shows it. */
static void
assert_label_translated (GtkWidget *root, const char *msgid)
{
  const char *translation = g_dgettext (GETTEXT_PACKAGE, msgid);

  g_assert_cmpstr (translation, !=, msgid);
  g_assert_nonnull (mamori_test_find_label (root, translation));
}

/* A label of the core (its msgid is not known here) is shown, and is not English. */
static void
assert_core_label_shown (GtkWidget *root, const char *label)
{
  g_assert_false (g_str_is_ascii (label));
  g_assert_nonnull (mamori_test_find_label (root, label));
}

static void
test_window_in_japanese (void)
{
  g_autoptr (MamoriLookup) lookup = NULL;
  MamoriWindow *window;
  MamoriLookupPage *page;
  GtkWidget *entry;
  GtkWidget *detail;
  MamoriLevel *level;
  g_autofree char *placeholder = NULL;

  if (!have_japanese_locale)
    {
      g_test_skip (
          "the ja_JP.UTF-8 locale is not installed (localedef -i ja_JP -f UTF-8 ja_JP.UTF-8)");
      return;
    }

  lookup = mamori_test_load_lookup ("oita-abcd");
  window = g_object_new (MAMORI_TYPE_WINDOW, "lookup", lookup, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  page = mamori_window_get_lookup_page (window);

  /* The window title, the search entry and a heading of the home page. */
  assert_translated ("Mamori", gtk_window_get_title (GTK_WINDOW (window)));
  entry = mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_object_get (entry, "placeholder-text", &placeholder, NULL);
  assert_translated ("Search by situation or document, e.g. USB", placeholder);
  assert_label_translated (GTK_WIDGET (page), "Situations");

  /* Nothing found; and a typo, with the names that look like it. */
  mamori_test_search (page, "ゾゾゾゾゾ");
  assert_label_translated (GTK_WIDGET (page), "No Results Found");
  mamori_test_search (page, "つうちひょお");
  assert_label_translated (GTK_WIDGET (page), "Did You Mean");

  /* An asset's detail: its headings, and the labels that come from the core. */
  mamori_test_search (page, "通知表");
  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", 0));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (detail));
  level = mamori_asset_get_level (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (detail)));

  assert_label_translated (detail, "Where It May Be Handled");
  assert_core_label_shown (detail,
                           mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)));
  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    assert_core_label_shown (detail, mamori_environment_get_label (env));
  /* 図表16's remote-access cell of 重要度B is marked 「解釈」. */
  g_assert_cmpstr (mamori_basis_kind_get_label (MAMORI_BASIS_READING), ==, "解釈");
  assert_core_label_shown (detail, mamori_basis_kind_get_label (MAMORI_BASIS_READING));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_finalize_object (window);
}

static void
test_first_run_in_japanese (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  MamoriSession *session;
  MamoriWindow *window;
  GtkWidget *role_row;
  GListModel *roles;

  if (!have_japanese_locale)
    {
      g_test_skip (
          "the ja_JP.UTF-8 locale is not installed (localedef -i ja_JP -f UTF-8 ja_JP.UTF-8)");
      mamori_test_remove_dir (dir);
      return;
    }

  session = mamori_session_new (path);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();

  /* The welcome, then the form, with the roles as the core names them. */
  assert_label_translated (GTK_WIDGET (window), "Welcome to Mamori");
  g_assert_true (gtk_widget_activate_action (
      mamori_test_find_actionable (GTK_WIDGET (window), "first-run.start"), "first-run.start",
      NULL));
  mamori_test_flush ();
  assert_label_translated (GTK_WIDGET (window), "Confirm Passphrase");
  role_row = mamori_test_find_row (GTK_WIDGET (window), g_dgettext (GETTEXT_PACKAGE, "Role"));
  g_assert_nonnull (role_row);
  roles = adw_combo_row_get_model (ADW_COMBO_ROW (role_row));
  /* The roles that may create a school, in Japanese. */
  g_assert_cmpuint (g_list_model_get_n_items (roles), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_false (g_str_is_ascii (gtk_string_list_get_string (GTK_STRING_LIST (roles), i)));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (roles), 0), ==,
                   mamori_role_get_label (MAMORI_ROLE_VICE_PRINCIPAL));
  for (MamoriRole role = 0; role < MAMORI_N_ROLES; role++)
    g_assert_false (g_str_is_ascii (mamori_role_get_label (role)));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (session);
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

  g_setenv ("LANGUAGE", "ja", TRUE);
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);

  /* gtk_test_init () sets the locale to en_US.UTF-8: set it again after. */
  mamori_test_init (&argc, &argv);
  have_japanese_locale = setlocale (LC_ALL, "ja_JP.UTF-8") != NULL;

  bindtextdomain (GETTEXT_PACKAGE, MAMORI_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/gui/i18n/window-in-japanese", test_window_in_japanese);
  g_test_add_func ("/gui/i18n/first-run-in-japanese", test_first_run_in_japanese);

  return g_test_run ();
}
