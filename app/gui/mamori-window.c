/* mamori-window.c — the main window: the areas of the app and the detail pages over them
 *
 * The window is a navigation stack (an AdwLeaflet that never unfolds): the main areas
 * are its first page; opening a result pushes a detail page, and going back pops it.
 * All of the stack handling is in this file, so moving to AdwNavigationView
 * (libadwaita 1.4) touches nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-asset-detail.h"
#include "mamori-scenario-detail.h"
#include "mamori-window.h"

struct _MamoriWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwLeaflet *leaflet;
  GtkWidget *home;
  MamoriLookupPage *lookup_page;

  /* Owned references */
  MamoriLookup *lookup;
};

G_DEFINE_FINAL_TYPE (MamoriWindow, mamori_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_LOOKUP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Drops the pages after the visible one: going back leaves them behind, and they go
 * once the transition is over. */
static void
mamori_window_drop_forward_pages (MamoriWindow *self)
{
  GtkWidget *child;

  while ((child = adw_leaflet_get_adjacent_child (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD)))
    adw_leaflet_remove (self->leaflet, child);
}

/* The leaflet would move the focus out of the page it hides onto the first focusable
 * widget of the new one, often a label whose text it then selects: the window moves
 * it instead, to where each page wants it (the search entry, a back button). */
static void
mamori_window_navigate_to (MamoriWindow *self,
                           GtkWidget *page)
{
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  adw_leaflet_set_visible_child (self->leaflet, page);
  gtk_widget_grab_focus (page == self->home ? GTK_WIDGET (self->lookup_page) : page);
}

static void
leaflet_changed_cb (MamoriWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (self->leaflet);

  if (!adw_leaflet_get_child_transition_running (self->leaflet))
    mamori_window_drop_forward_pages (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-back", visible != self->home);
}

static void
item_activated_cb (MamoriWindow *self,
                   GObject *item)
{
  mamori_window_show_item (self, item);
}

static void
back_button_pressed_cb (MamoriWindow *self)
{
  mamori_window_go_back (self);
}

static void
mamori_window_go_back_action (GtkWidget *widget,
                              const char *action_name,
                              GVariant *parameter)
{
  mamori_window_go_back (MAMORI_WINDOW (widget));
}

static void
mamori_window_focus_search_action (GtkWidget *widget,
                                   const char *action_name,
                                   GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);

  mamori_window_navigate_to (self, self->home);
  mamori_lookup_page_focus_search (self->lookup_page);
}

static void
mamori_window_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

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
mamori_window_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      mamori_window_set_lookup (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_window_dispose (GObject *object)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  g_clear_object (&self->lookup);

  G_OBJECT_CLASS (mamori_window_parent_class)->dispose (object);
}

static void
mamori_window_class_init (MamoriWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_window_get_property;
  object_class->set_property = mamori_window_set_property;
  object_class->dispose = mamori_window_dispose;

  properties[PROP_LOOKUP] =
    g_param_spec_object ("lookup", NULL, NULL,
                         MAMORI_TYPE_LOOKUP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_LOOKUP_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, home);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, lookup_page);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_button_pressed_cb);

  gtk_widget_class_install_action (widget_class, "win.go-back", NULL,
                                   mamori_window_go_back_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL,
                                   mamori_window_focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
}

static void
mamori_window_init (MamoriWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (MAMORI_PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  leaflet_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->lookup_page));
}

MamoriWindow *
mamori_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (MAMORI_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

MamoriLookup *
mamori_window_get_lookup (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return self->lookup;
}

void
mamori_window_set_lookup (MamoriWindow *self,
                          MamoriLookup *lookup)
{
  g_return_if_fail (MAMORI_IS_WINDOW (self));
  g_return_if_fail (lookup == NULL || MAMORI_IS_LOOKUP (lookup));

  if (!g_set_object (&self->lookup, lookup))
    return;

  /* Detail pages show the previous policy: leave them. */
  mamori_window_navigate_to (self, self->home);
  mamori_lookup_page_set_lookup (self->lookup_page, lookup);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKUP]);
}

MamoriLookupPage *
mamori_window_get_lookup_page (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return self->lookup_page;
}

GtkWidget *
mamori_window_get_visible_page (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return adw_leaflet_get_visible_child (self->leaflet);
}

void
mamori_window_show_item (MamoriWindow *self,
                         GObject *item)
{
  GtkWidget *page;

  g_return_if_fail (MAMORI_IS_WINDOW (self));
  g_return_if_fail (MAMORI_IS_ASSET (item) || MAMORI_IS_SCENARIO (item));
  g_return_if_fail (self->lookup != NULL);

  if (MAMORI_IS_ASSET (item))
    {
      page = mamori_asset_detail_new (mamori_lookup_get_policy (self->lookup), MAMORI_ASSET (item));
      g_signal_connect_object (page, "item-activated",
                               G_CALLBACK (item_activated_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      page = mamori_scenario_detail_new (MAMORI_SCENARIO (item));
    }

  mamori_window_drop_forward_pages (self);
  adw_leaflet_append (self->leaflet, page);
  mamori_window_navigate_to (self, page);
}

void
mamori_window_go_back (MamoriWindow *self)
{
  GtkWidget *previous;

  g_return_if_fail (MAMORI_IS_WINDOW (self));

  previous = adw_leaflet_get_adjacent_child (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (previous != NULL)
    mamori_window_navigate_to (self, previous);
}
