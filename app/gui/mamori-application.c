/* mamori-application.c — the application: settings, the vault session, locking, app actions
 *
 * The application owns the settings, the session (the school's vault, and the lookup
 * over the policy stored in it) and the lock monitor: the monitor is armed while the
 * vault is unlocked, and its "lock-requested" locks the session.  Windows are views of
 * the session.  "--vault PATH" chooses another vault than the default one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-application.h"
#include "mamori-preferences-window.h"
#include "mamori-window.h"

/* The schema keeps one id in the release and the .Devel build (data/meson.build). */
#define MAMORI_SCHEMA_ID "io.github.mamori.Mamori"
#define MAMORI_RESOURCE_PATH "/io/github/mamori/Mamori"

struct _MamoriApplication
{
  AdwApplication parent_instance;

  char *vault_path;
  GSettings *settings;
  MamoriSession *session;
  MamoriLockMonitor *lock_monitor;
  gboolean held; /* while the session is busy: a vault half made is worse than none */
};

G_DEFINE_FINAL_TYPE (MamoriApplication, mamori_application, ADW_TYPE_APPLICATION)

/* "auto-lock-minutes" to the lock monitor's seconds. */
static gboolean
minutes_to_seconds_cb (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static void
session_state_changed_cb (MamoriApplication *self)
{
  gboolean unlocked = mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED;
  GAction *preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");

  mamori_lock_monitor_set_armed (self->lock_monitor, unlocked);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), unlocked);
}

static void
session_busy_changed_cb (MamoriApplication *self)
{
  gboolean busy = mamori_session_get_busy (self->session);

  if (busy == self->held)
    return;

  self->held = busy;
  if (busy)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
lock_requested_cb (MamoriApplication *self)
{
  mamori_session_lock (self->session);
}

static void
window_added_cb (MamoriApplication *self, GtkWindow *window)
{
  mamori_lock_monitor_watch_window (self->lock_monitor, window);
}

/* The window's size is saved when it closes and restored when the next one opens. */
static gboolean
window_close_request_cb (MamoriApplication *self, GtkWindow *window)
{
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GDK_EVENT_PROPAGATE;
}

static GtkWindow *
mamori_application_create_window (MamoriApplication *self)
{
  GtkWindow *window = GTK_WINDOW (mamori_window_new (GTK_APPLICATION (self), self->session));

  gtk_window_set_default_size (window, g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (window);

  g_signal_connect_object (window, "close-request", G_CALLBACK (window_close_request_cb), self,
                           G_CONNECT_SWAPPED);

  return window;
}

static void
mamori_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr (GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing (not destroying) the windows lets each save its state. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
mamori_application_preferences_action (GSimpleAction *action,
                                       GVariant *parameter,
                                       gpointer user_data)
{
  MamoriApplication *self = MAMORI_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences
      = GTK_WINDOW (mamori_preferences_window_new (self->settings, self->session));

  mamori_lock_monitor_watch_window (self->lock_monitor, preferences);
  gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static void
mamori_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MamoriApplication *self = MAMORI_APPLICATION (user_data);
  MamoriLookup *lookup = mamori_session_get_lookup (self->session);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwAboutWindow *about;

  about
      = g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for", parent, "application-name",
                      _ ("Mamori"), "application-icon", APPLICATION_ID, "developer-name",
                      _ ("The Mamori Authors"), "version", PACKAGE_VERSION, "comments",
                      _ ("Find what your school’s information security policy says, "
                         "by situation or by asset, in a few keystrokes."),
                      "copyright", "© 2026 The Mamori Authors", "license-type", GTK_LICENSE_GPL_3_0,
                      /* Translators: your name, to be credited in the About window. */
                      "translator-credits", _ ("translator-credits"), NULL);
  /* The policy's source, once the vault is open to tell which policy it is. */
  if (lookup != NULL)
    {
      MamoriPolicy *policy = mamori_lookup_get_policy (lookup);
      g_autofree char *source = g_markup_escape_text (mamori_policy_get_source (policy), -1);

      adw_about_window_add_legal_section (about, mamori_policy_get_title (policy), NULL,
                                          GTK_LICENSE_CUSTOM, source);
    }
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", mamori_application_quit_action },
  { "preferences", mamori_application_preferences_action },
  { "about", mamori_application_about_action },
};

static void
mamori_application_startup (GApplication *application)
{
  MamoriApplication *self = MAMORI_APPLICATION (application);
  static const struct
  {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };
  g_autofree char *vault_path = NULL;

  G_APPLICATION_CLASS (mamori_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (MAMORI_SCHEMA_ID);

  vault_path
      = self->vault_path != NULL ? g_strdup (self->vault_path) : mamori_session_get_default_path ();
  self->session = mamori_session_new (vault_path);
  g_settings_bind (self->settings, "last-user", self->session, "last-user",
                   G_SETTINGS_BIND_DEFAULT);

  self->lock_monitor = mamori_lock_monitor_new ();
  g_settings_bind_with_mapping (self->settings, "auto-lock-minutes", self->lock_monitor,
                                "idle-timeout", G_SETTINGS_BIND_GET, minutes_to_seconds_cb, NULL,
                                NULL, NULL);
  g_settings_bind (self->settings, "lock-on-screen-lock", self->lock_monitor, "lock-on-screen-lock",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->lock_monitor, "lock-requested", G_CALLBACK (lock_requested_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::busy", G_CALLBACK (session_busy_changed_cb),
                           self, G_CONNECT_SWAPPED);
  session_state_changed_cb (self);
}

static gint
mamori_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  MamoriApplication *self = MAMORI_APPLICATION (application);
  const char *path;

  if (g_variant_dict_lookup (options, "vault", "^&ay", &path))
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);

      mamori_application_set_vault_path (self, absolute);
    }

  return -1;
}

static void
mamori_application_activate (GApplication *application)
{
  MamoriApplication *self = MAMORI_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = mamori_application_create_window (self);

  gtk_window_present (window);
}

static void
mamori_application_dispose (GObject *object)
{
  MamoriApplication *self = MAMORI_APPLICATION (object);

  g_clear_object (&self->lock_monitor);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mamori_application_parent_class)->dispose (object);
}

static void
mamori_application_finalize (GObject *object)
{
  MamoriApplication *self = MAMORI_APPLICATION (object);

  g_free (self->vault_path);

  G_OBJECT_CLASS (mamori_application_parent_class)->finalize (object);
}

static void
mamori_application_class_init (MamoriApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mamori_application_dispose;
  object_class->finalize = mamori_application_finalize;

  app_class->handle_local_options = mamori_application_handle_local_options;
  app_class->startup = mamori_application_startup;
  app_class->activate = mamori_application_activate;
}

static void
mamori_application_init (MamoriApplication *self)
{
  g_autofree char *default_path = mamori_session_get_default_path ();
  g_autofree char *description
      = g_strdup_printf (_ ("The school’s vault (default: %s)"), default_path);

  g_application_add_main_option (G_APPLICATION (self), "vault", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME, description, _ ("PATH"));
}

MamoriApplication *
mamori_application_new (void)
{
  return g_object_new (MAMORI_TYPE_APPLICATION, "application-id", APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", MAMORI_RESOURCE_PATH,
                       NULL);
}

void
mamori_application_set_vault_path (MamoriApplication *self, const char *path)
{
  g_return_if_fail (MAMORI_IS_APPLICATION (self));
  g_return_if_fail (self->session == NULL);

  g_free (self->vault_path);
  self->vault_path = g_strdup (path);
}

GSettings *
mamori_application_get_settings (MamoriApplication *self)
{
  g_return_val_if_fail (MAMORI_IS_APPLICATION (self), NULL);

  return self->settings;
}

MamoriSession *
mamori_application_get_session (MamoriApplication *self)
{
  g_return_val_if_fail (MAMORI_IS_APPLICATION (self), NULL);

  return self->session;
}

MamoriLockMonitor *
mamori_application_get_lock_monitor (MamoriApplication *self)
{
  g_return_val_if_fail (MAMORI_IS_APPLICATION (self), NULL);

  return self->lock_monitor;
}
