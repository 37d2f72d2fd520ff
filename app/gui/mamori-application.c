/* mamori-application.c — the application: settings, the loaded policy, app actions
 *
 * The application owns the settings and the policy.  The "scheme" setting names the
 * preset to load; when it changes, a new MamoriLookup replaces the old one and every
 * window follows through its "lookup" property.
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

  GSettings *settings;
  MamoriLookup *lookup;
};

G_DEFINE_FINAL_TYPE (MamoriApplication, mamori_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_LOOKUP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_application_load_policy (MamoriApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "scheme");
  g_autoptr(GError) error = NULL;
  g_autoptr(MamoriPolicy) policy = NULL;

  policy = mamori_policy_new_from_preset (scheme, &error);
  if (policy == NULL)
    {
      const char *fallback = mamori_policy_default_preset ();

      g_warning ("Cannot use the scheme “%s”, using “%s”: %s", scheme, fallback, error->message);
      g_clear_error (&error);
      policy = mamori_policy_new_from_preset (fallback, &error);
      if (policy == NULL)
        g_error ("The built-in policy “%s” does not load: %s", fallback, error->message);
    }

  g_clear_object (&self->lookup);
  self->lookup = mamori_lookup_new (policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKUP]);
}

/* The window's size is saved when it closes and restored when the next one opens. */
static gboolean
window_close_request_cb (MamoriApplication *self,
                         GtkWindow *window)
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
  GtkWindow *window = GTK_WINDOW (mamori_window_new (GTK_APPLICATION (self)));

  g_object_bind_property (self, "lookup", window, "lookup", G_BINDING_SYNC_CREATE);

  gtk_window_set_default_size (window,
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (window);

  g_signal_connect_object (window, "close-request",
                           G_CALLBACK (window_close_request_cb), self,
                           G_CONNECT_SWAPPED);

  return window;
}

static void
mamori_application_quit_action (GSimpleAction *action,
                                GVariant *parameter,
                                gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

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
  GtkWindow *preferences = GTK_WINDOW (mamori_preferences_window_new (self->settings));

  gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static void
mamori_application_about_action (GSimpleAction *action,
                                 GVariant *parameter,
                                 gpointer user_data)
{
  MamoriApplication *self = MAMORI_APPLICATION (user_data);
  MamoriPolicy *policy = mamori_lookup_get_policy (self->lookup);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *source = g_markup_escape_text (mamori_policy_get_source (policy), -1);
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Mamori"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Mamori Authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Find what your school’s information security policy says, "
                                      "by situation or by asset, in a few keystrokes."),
                        "copyright", "© 2026 The Mamori Authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name, to be credited in the About window. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_legal_section (about,
                                      mamori_policy_get_title (policy),
                                      NULL,
                                      GTK_LICENSE_CUSTOM,
                                      source);
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

  G_APPLICATION_CLASS (mamori_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (MAMORI_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::scheme",
                           G_CALLBACK (mamori_application_load_policy), self,
                           G_CONNECT_SWAPPED);
  mamori_application_load_policy (self);
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
mamori_application_get_property (GObject *object,
                                 guint prop_id,
                                 GValue *value,
                                 GParamSpec *pspec)
{
  MamoriApplication *self = MAMORI_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      g_value_set_object (value, self->lookup);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_application_dispose (GObject *object)
{
  MamoriApplication *self = MAMORI_APPLICATION (object);

  g_clear_object (&self->lookup);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mamori_application_parent_class)->dispose (object);
}

static void
mamori_application_class_init (MamoriApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = mamori_application_get_property;
  object_class->dispose = mamori_application_dispose;

  app_class->startup = mamori_application_startup;
  app_class->activate = mamori_application_activate;

  properties[PROP_LOOKUP] =
    g_param_spec_object ("lookup", NULL, NULL,
                         MAMORI_TYPE_LOOKUP,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mamori_application_init (MamoriApplication *self)
{
}

MamoriApplication *
mamori_application_new (void)
{
  return g_object_new (MAMORI_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", MAMORI_RESOURCE_PATH,
                       NULL);
}

GSettings *
mamori_application_get_settings (MamoriApplication *self)
{
  g_return_val_if_fail (MAMORI_IS_APPLICATION (self), NULL);

  return self->settings;
}

MamoriLookup *
mamori_application_get_lookup (MamoriApplication *self)
{
  g_return_val_if_fail (MAMORI_IS_APPLICATION (self), NULL);

  return self->lookup;
}
