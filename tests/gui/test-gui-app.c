/* test-gui-app.c — the application: settings, the policy preset, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-application.h"
#include "mamori-preferences-window.h"
#include "mamori-test-util.h"
#include "mamori-window.h"

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static const char *
window_policy_id (GtkWindow *window)
{
  MamoriLookup *lookup = mamori_window_get_lookup (MAMORI_WINDOW (window));

  return mamori_policy_get_id (mamori_lookup_get_policy (lookup));
}

/* One application for the whole run: like the real one, it registers once. */
static MamoriApplication *app;

static void
test_app_opens_window (void)
{
  GSettings *settings = mamori_application_get_settings (app);
  GtkWindow *window;
  g_auto(GStrv) quit_accels = NULL;

  g_application_activate (G_APPLICATION (app));
  mamori_test_flush ();

  /* The window shows the preset named by the "scheme" setting … */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (MAMORI_IS_WINDOW (window));
  g_assert_true (mamori_window_get_lookup (MAMORI_WINDOW (window)) == mamori_application_get_lookup (app));
  g_assert_cmpstr (window_policy_id (window), ==, "oita-abcd");

  /* … and follows it. */
  g_settings_set_string (settings, "scheme", "mext-2025");
  mamori_test_flush ();
  g_assert_cmpstr (window_policy_id (window), ==, "mext-2025");
  g_settings_reset (settings, "scheme");
  mamori_test_flush ();
  g_assert_cmpstr (window_policy_id (window), ==, "oita-abcd");

  /* Activating again presents the same window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char *const *) quit_accels, "<Control>q"));
}

static void
test_app_preferences (void)
{
  GSettings *settings = mamori_application_get_settings (app);
  const char *const *presets = mamori_policy_list_presets ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWindow *preferences;
  AdwComboRow *row;
  g_autoptr(MamoriPolicy) selected = NULL;
  g_autofree char *scheme = NULL;

  g_assert_true (MAMORI_IS_WINDOW (window));
  g_settings_set_string (settings, "scheme", "yokohama-2");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  mamori_test_flush ();

  /* Every preset is offered, and the current one is chosen. */
  preferences = find_toplevel (MAMORI_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == window);
  row = ADW_COMBO_ROW (mamori_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW));
  g_assert_nonnull (row);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)),
                    ==, g_strv_length ((GStrv) presets));
  g_assert_cmpstr (mamori_policy_get_id (adw_combo_row_get_selected_item (row)), ==, "yokohama-2");

  /* Choosing another changes the setting, and the window follows. */
  adw_combo_row_set_selected (row, 0);
  selected = g_list_model_get_item (adw_combo_row_get_model (row), 0);
  g_assert_cmpstr (mamori_policy_get_id (selected), ==, presets[0]);
  scheme = g_settings_get_string (settings, "scheme");
  g_assert_cmpstr (scheme, ==, presets[0]);
  mamori_test_flush ();
  g_assert_cmpstr (window_policy_id (window), ==, presets[0]);

  gtk_window_destroy (preferences);

  /* The about window opens over the main window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  mamori_test_flush ();
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_true (gtk_window_get_transient_for (find_toplevel (ADW_TYPE_ABOUT_WINDOW)) == window);
  gtk_window_destroy (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  mamori_test_flush ();
}

static void
test_app_quit_saves_window_size (void)
{
  GSettings *settings = mamori_application_get_settings (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (MAMORI_IS_WINDOW (window));
  gtk_window_set_default_size (window, 812, 604);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  mamori_test_flush ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size. */
  g_application_activate (G_APPLICATION (app));
  mamori_test_flush ();
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  {
    int width;
    int height;

    gtk_window_get_default_size (window, &width, &height);
    g_assert_cmpint (width, ==, 812);
    g_assert_cmpint (height, ==, 604);
  }
  gtk_window_destroy (window);
  mamori_test_flush ();
}

int
main (int argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  mamori_test_init (&argc, &argv);

  app = mamori_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gui/app/opens-window", test_app_opens_window);
  g_test_add_func ("/gui/app/preferences", test_app_preferences);
  g_test_add_func ("/gui/app/quit-saves-window-size", test_app_quit_saves_window_size);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
