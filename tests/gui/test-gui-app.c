/* test-gui-app.c — the application: first run, the vault's policy, locking, app actions
 *
 * One application for the whole run, as the real one registers once; its vault is in
 * the default place under a temporary XDG_DATA_HOME, so the tests run in order: the
 * first one creates it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-application.h"
#include "mamori-preferences-window.h"
#include "mamori-test-util.h"
#include "mamori-window.h"

#define SCHOOL "みまもり市立さくら小学校"
#define USER "山田 花子"
#define PASSPHRASE "sakura-no-kagi-7391"

static MamoriApplication *app;
static char *data_home;

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr (GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static MamoriWindow *
active_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (MAMORI_IS_WINDOW (window));
  return MAMORI_WINDOW (window);
}

static const char *
window_policy_id (MamoriWindow *window)
{
  MamoriLookup *lookup = mamori_window_get_lookup (window);

  return mamori_policy_get_id (mamori_lookup_get_policy (lookup));
}

static gboolean
action_enabled (const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (app), name);
}

/* Locks if it has to, and unlocks as USER through the window. */
static void
unlock_again (MamoriWindow *window)
{
  if (g_strcmp0 (mamori_window_get_view (window), "main") == 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  mamori_test_flush ();
  mamori_test_unlock (window, PASSPHRASE);
  mamori_test_wait_for_view (window, "main");
}

static void
test_app_first_run (void)
{
  MamoriSession *session = mamori_application_get_session (app);
  GSettings *settings = mamori_application_get_settings (app);
  g_autofree char *expected_path = g_build_filename (data_home, "mamori", "school.mamori", NULL);
  g_autofree char *last_user = NULL;
  g_auto (GStrv) quit_accels = NULL;
  MamoriWindow *window;

  /* The vault's default place, empty: the first run. */
  g_assert_cmpstr (mamori_session_get_path (session), ==, expected_path);
  g_assert_cmpint (mamori_session_get_state (session), ==, MAMORI_SESSION_STATE_NO_VAULT);
  g_assert_false (action_enabled ("preferences"));

  g_application_activate (G_APPLICATION (app));
  mamori_test_flush ();
  window = active_window ();
  g_assert_true (mamori_window_get_session (window) == session);
  g_assert_cmpstr (mamori_window_get_view (window), ==, "first-run");

  mamori_test_fill_first_run (window, SCHOOL, USER, MAMORI_ROLE_VICE_PRINCIPAL, PASSPHRASE,
                              PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (
      mamori_test_find_actionable (GTK_WIDGET (window), "first-run.create"), "first-run.create",
      NULL));
  mamori_test_wait_for_view (window, "recovery");
  g_assert_true (g_file_test (expected_path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (gtk_widget_activate_action (
      mamori_test_find_actionable (GTK_WIDGET (window), "recovery.continue"), "recovery.continue",
      NULL));
  mamori_test_wait_for_view (window, "main");

  /* The window shows the policy stored in the new vault: the default preset. */
  g_assert_true (mamori_window_get_lookup (window) == mamori_session_get_lookup (session));
  g_assert_cmpstr (window_policy_id (window), ==, mamori_policy_default_preset ());
  g_assert_true (action_enabled ("preferences"));
  last_user = g_settings_get_string (settings, "last-user");
  g_assert_cmpstr (last_user, ==, USER);
  g_assert_true (mamori_lock_monitor_get_armed (mamori_application_get_lock_monitor (app)));

  /* Activating again presents the same window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char *const *)quit_accels, "<Control>q"));
}

static void
test_app_preferences (void)
{
  MamoriSession *session = mamori_application_get_session (app);
  MamoriLockMonitor *monitor = mamori_application_get_lock_monitor (app);
  GSettings *settings = mamori_application_get_settings (app);
  const char *const *presets = mamori_policy_list_presets ();
  MamoriWindow *window = active_window ();
  g_autoptr (MamoriPolicy) stored = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *preferences;
  AdwComboRow *row;
  GtkWidget *spin;
  guint chosen = 0;

  g_assert_cmpstr (mamori_window_get_view (window), ==, "main");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  mamori_test_flush ();

  /* Every preset is offered, the vault's is chosen, and a vice-principal may change it. */
  preferences = find_toplevel (MAMORI_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  row = ADW_COMBO_ROW (
      mamori_test_find_row (GTK_WIDGET (preferences), _ ("Classification Scheme")));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    g_strv_length ((GStrv)presets));
  g_assert_cmpstr (mamori_policy_get_id (adw_combo_row_get_selected_item (row)), ==,
                   window_policy_id (window));

  /* Choosing another stores it in the vault, and the window follows. */
  while (g_str_equal (presets[chosen], window_policy_id (window)))
    chosen++;
  adw_combo_row_set_selected (row, chosen);
  mamori_test_flush ();
  g_assert_cmpstr (window_policy_id (window), ==, presets[chosen]);
  stored = mamori_vault_load_policy (mamori_session_get_vault (session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_policy_get_id (stored), ==, presets[chosen]);

  /* The locking rows are the settings, and the lock monitor follows them. */
  spin = mamori_test_find_widget (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 10);
  g_assert_cmpuint (mamori_lock_monitor_get_idle_timeout (monitor), ==, 600);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 3);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-minutes"), ==, 3);
  g_assert_cmpuint (mamori_lock_monitor_get_idle_timeout (monitor), ==, 180);
  g_settings_reset (settings, "auto-lock-minutes");

  /* Locking closes the preferences, and they cannot be opened while locked. */
  g_object_ref (preferences);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  mamori_test_flush ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  g_assert_finalize_object (preferences);
  g_assert_false (action_enabled ("preferences"));
  unlock_again (window);

  /* The about window opens over the main window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  mamori_test_flush ();
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_true (gtk_window_get_transient_for (find_toplevel (ADW_TYPE_ABOUT_WINDOW))
                 == GTK_WINDOW (window));
  gtk_window_destroy (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  mamori_test_flush ();
}

static void
test_app_lock_and_unlock (void)
{
  MamoriSession *session = mamori_application_get_session (app);
  MamoriLockMonitor *monitor = mamori_application_get_lock_monitor (app);
  MamoriWindow *window = active_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  mamori_test_flush ();
  g_assert_cmpstr (mamori_window_get_view (window), ==, "unlock");
  g_assert_false (mamori_vault_is_unlocked (mamori_session_get_vault (session)));
  g_assert_false (mamori_lock_monitor_get_armed (monitor));

  mamori_test_unlock (window, PASSPHRASE);
  mamori_test_wait_for_view (window, "main");
  g_assert_true (mamori_vault_is_unlocked (mamori_session_get_vault (session)));
  g_assert_true (mamori_lock_monitor_get_armed (monitor));
}

static void
test_app_auto_lock (void)
{
  MamoriSession *session = mamori_application_get_session (app);
  MamoriLockMonitor *monitor = mamori_application_get_lock_monitor (app);
  MamoriWindow *window = active_window ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  /* One second without input locks. */
  g_assert_cmpint (mamori_session_get_state (session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  mamori_lock_monitor_set_idle_timeout (monitor, 1);
  while (mamori_session_get_state (session) == MAMORI_SESSION_STATE_UNLOCKED)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
  g_assert_cmpstr (mamori_window_get_view (window), ==, "unlock");
  g_assert_false (mamori_vault_is_unlocked (mamori_session_get_vault (session)));

  /* The setting takes over again: ten minutes. */
  g_settings_set_uint (mamori_application_get_settings (app), "auto-lock-minutes", 10);
  g_assert_cmpuint (mamori_lock_monitor_get_idle_timeout (monitor), ==, 600);
  g_settings_reset (mamori_application_get_settings (app), "auto-lock-minutes");
  unlock_again (window);
}

static void
emit_screensaver_active (GDBusConnection *bus)
{
  g_autoptr (GError) error = NULL;

  g_dbus_connection_emit_signal (bus, NULL, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                                 "ActiveChanged", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (bus, NULL, NULL);
}

static void
test_app_screen_lock (void)
{
  MamoriSession *session = mamori_application_get_session (app);
  GSettings *settings = mamori_application_get_settings (app);
  MamoriWindow *window = active_window ();
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gint64 start;

  /* A screen saver of our own on the session bus, as GNOME Shell's. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_test_skip ("no session bus (run under dbus-run-session)");
      return;
    }
  reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
      g_variant_new ("(su)", "org.gnome.ScreenSaver", 4 /* do not queue */), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  /* The screen locks: so does the vault (the monitor may still be subscribing). */
  g_assert_cmpint (mamori_session_get_state (session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  while (mamori_session_get_state (session) == MAMORI_SESSION_STATE_UNLOCKED)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      emit_screensaver_active (bus);
      start = g_get_monotonic_time ();
      while (g_get_monotonic_time () - start < 100 * G_TIME_SPAN_MILLISECOND
             && mamori_session_get_state (session) == MAMORI_SESSION_STATE_UNLOCKED)
        g_main_context_iteration (NULL, FALSE);
    }
  mamori_test_flush ();
  g_assert_cmpstr (mamori_window_get_view (window), ==, "unlock");

  /* Not with "lock-on-screen-lock" off. */
  unlock_again (window);
  g_settings_set_boolean (settings, "lock-on-screen-lock", FALSE);
  emit_screensaver_active (bus);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 500 * G_TIME_SPAN_MILLISECOND)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (mamori_session_get_state (session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  g_settings_reset (settings, "lock-on-screen-lock");
}

static void
test_app_quit_saves_window_size (void)
{
  GSettings *settings = mamori_application_get_settings (app);
  GtkWindow *window = GTK_WINDOW (active_window ());
  int width;
  int height;

  gtk_window_set_default_size (window, 812, 604);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  mamori_test_flush ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size, on the same session. */
  g_application_activate (G_APPLICATION (app));
  mamori_test_flush ();
  window = GTK_WINDOW (active_window ());
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 604);
  gtk_window_destroy (window);
  mamori_test_flush ();
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  /* Before anything asks GLib where user data goes. */
  data_home = mamori_test_make_dir ();
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  mamori_test_init (&argc, &argv);

  app = mamori_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gui/app/first-run", test_app_first_run);
  g_test_add_func ("/gui/app/preferences", test_app_preferences);
  g_test_add_func ("/gui/app/lock-and-unlock", test_app_lock_and_unlock);
  g_test_add_func ("/gui/app/auto-lock", test_app_auto_lock);
  g_test_add_func ("/gui/app/screen-lock", test_app_screen_lock);
  g_test_add_func ("/gui/app/quit-saves-window-size", test_app_quit_saves_window_size);

  status = g_test_run ();
  g_clear_object (&app);
  mamori_test_remove_dir (data_home);
  g_free (data_home);

  return status;
}
