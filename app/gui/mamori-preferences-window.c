/* mamori-preferences-window.c — choosing the policy preset
 *
 * The presets are listed by their titles; choosing one writes its id to the
 * "scheme" setting, and the application loads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy.h"
#include "mamori-preferences-window.h"

struct _MamoriPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwComboRow *scheme_row;

  /* Owned references */
  GSettings *settings;
  GListStore *presets;
};

G_DEFINE_FINAL_TYPE (MamoriPreferencesWindow, mamori_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
policy_title_cb (MamoriPolicy *policy)
{
  return g_strdup (mamori_policy_get_title (policy));
}

static void
mamori_preferences_window_load_presets (MamoriPreferencesWindow *self)
{
  const char *const *ids = mamori_policy_list_presets ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MamoriPolicy) policy = mamori_policy_new_from_preset (ids[i], &error);

      if (policy == NULL)
        g_warning ("The built-in policy “%s” does not load: %s", ids[i], error->message);
      else
        g_list_store_append (self->presets, policy);
    }
}

static void
scheme_changed_cb (MamoriPreferencesWindow *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "scheme");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->presets));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MamoriPolicy) policy = g_list_model_get_item (G_LIST_MODEL (self->presets), i);

      if (g_str_equal (mamori_policy_get_id (policy), scheme))
        {
          adw_combo_row_set_selected (self->scheme_row, i);
          return;
        }
    }

  adw_combo_row_set_selected (self->scheme_row, GTK_INVALID_LIST_POSITION);
}

static void
scheme_row_selected_cb (MamoriPreferencesWindow *self)
{
  MamoriPolicy *policy = adw_combo_row_get_selected_item (self->scheme_row);
  g_autofree char *scheme = NULL;

  if (policy == NULL || self->settings == NULL)
    return;

  scheme = g_settings_get_string (self->settings, "scheme");
  if (!g_str_equal (scheme, mamori_policy_get_id (policy)))
    g_settings_set_string (self->settings, "scheme", mamori_policy_get_id (policy));
}

static void
mamori_preferences_window_get_property (GObject *object,
                                        guint prop_id,
                                        GValue *value,
                                        GParamSpec *pspec)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_preferences_window_set_property (GObject *object,
                                        guint prop_id,
                                        const GValue *value,
                                        GParamSpec *pspec)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_preferences_window_constructed (GObject *object)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (mamori_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (G_IS_SETTINGS (self->settings));

  g_signal_connect_object (self->settings, "changed::scheme",
                           G_CALLBACK (scheme_changed_cb), self,
                           G_CONNECT_SWAPPED);
  scheme_changed_cb (self);
}

static void
mamori_preferences_window_dispose (GObject *object)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->presets);

  G_OBJECT_CLASS (mamori_preferences_window_parent_class)->dispose (object);
}

static void
mamori_preferences_window_class_init (MamoriPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_preferences_window_get_property;
  object_class->set_property = mamori_preferences_window_set_property;
  object_class->constructed = mamori_preferences_window_constructed;
  object_class->dispose = mamori_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, scheme_row);
  gtk_widget_class_bind_template_callback (widget_class, scheme_row_selected_cb);
}

static void
mamori_preferences_window_init (MamoriPreferencesWindow *self)
{
  g_autoptr(GtkExpression) title = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->presets = g_list_store_new (MAMORI_TYPE_POLICY);
  mamori_preferences_window_load_presets (self);

  title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                       G_CALLBACK (policy_title_cb), NULL, NULL);
  adw_combo_row_set_expression (self->scheme_row, title);
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (self->presets));
}

MamoriPreferencesWindow *
mamori_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (MAMORI_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
