/* mamori-window.c — the main window: the areas of the app and the detail pages over them
 *
 * With a session, the window first shows what the vault's state allows ("views"): the
 * first run, the unlock page, a recovery code just made, why the vault cannot be
 * opened, or, once it is unlocked, the main areas over the lookup the session holds.
 * Locking leaves nothing of the main areas behind: detail pages and the search go.
 * Without a session (the tests of the pages) the main areas show whatever lookup is set.
 *
 * The main areas are a navigation stack (an AdwLeaflet that never unfolds): the main
 * areas are its first page; opening a result pushes a detail page, and going back pops
 * it.  All of the stack handling is in this file, so moving to AdwNavigationView
 * (libadwaita 1.4) touches nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-asset-detail.h"
#include "mamori-board-page.h"
#include "mamori-first-run-page.h"
#include "mamori-handbook-page.h"
#include "mamori-register-page.h"
#include "mamori-takeout-page.h"
#include "mamori-recovery-code-page.h"
#include "mamori-scenario-detail.h"
#include "mamori-session-board.h"
#include "mamori-sync-indicator.h"
#include "mamori-unlock-page.h"
#include "mamori-window.h"

struct _MamoriWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  GtkStack *views;
  AdwLeaflet *leaflet;
  GtkWidget *home;
  MamoriLookupPage *lookup_page;
  MamoriHandbookPage *handbook_page;
  MamoriRegisterPage *register_page;
  MamoriTakeoutPage *takeout_page;
  AdwViewStackPage *takeout_stack_page;
  AdwViewStack *view_stack;
  MamoriBoardPage *board_page;
  AdwViewStackPage *board_stack_page;
  MamoriFirstRunPage *first_run_page;
  MamoriUnlockPage *unlock_page;
  AdwStatusPage *broken_page;
  MamoriSyncIndicator *sync_indicator;

  /* Borrowed references */
  GtkWidget *recovery_page; /* in views while the recovery code is shown */

  /* Owned references */
  MamoriLookup *lookup;
  MamoriSession *session;
};

G_DEFINE_FINAL_TYPE (MamoriWindow, mamori_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_LOOKUP,
  PROP_SESSION,
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
mamori_window_navigate_to (MamoriWindow *self, GtkWidget *page)
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

/* Every page but the main areas goes at once, without a transition. */
static void
mamori_window_close_pages (MamoriWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->home);
  mamori_window_drop_forward_pages (self);
}

static void
mamori_window_show_broken (MamoriWindow *self, const GError *error)
{
  g_autofree char *reason = g_markup_escape_text (error->message, -1);
  g_autofree char *description = NULL;
  const char *title;
  const char *advice;

  if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_TOO_NEW))
    {
      title = _ ("Made by a Newer Mamori");
      advice = _ ("Update Mamori on this computer to open this vault. Nothing has been changed.");
    }
  else if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED))
    {
      title = _ ("The Vault Is Damaged");
      advice = _ ("It may have been altered, or the disk may be failing. Nothing has been changed. "
                  "Restore the vault from a backup, or ask your board of education for help.");
    }
  else
    {
      title = _ ("The Vault Cannot Be Opened");
      advice = _ ("Nothing has been changed. Check that both files of the vault are in place, "
                  "or ask your board of education for help.");
    }

  description = g_strdup_printf ("%s\n\n<small>%s</small>", advice, reason);
  adw_status_page_set_title (self->broken_page, title);
  adw_status_page_set_description (self->broken_page, description);
}

static const char *
mamori_window_choose_view (MamoriWindow *self)
{
  if (self->session == NULL)
    return "main";

  switch (mamori_session_get_state (self->session))
    {
    case MAMORI_SESSION_STATE_NO_VAULT:
      return "first-run";

    case MAMORI_SESSION_STATE_LOCKED:
      return "unlock";

    case MAMORI_SESSION_STATE_BROKEN:
      return "broken";

    case MAMORI_SESSION_STATE_UNLOCKED:
      return mamori_session_get_recovery_code (self->session) != NULL ? "recovery" : "main";

    default:
      g_return_val_if_reached ("broken");
    }
}

/* Where each view wants the focus: the search, the passphrase, the first button. */
static void
mamori_window_focus_view (MamoriWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->views);

  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_grab_focus (page == GTK_WIDGET (self->leaflet) ? GTK_WIDGET (self->lookup_page)
                                                            : page);
}

/* Shows the view the session's state calls for, and moves the focus into it. */
static void
mamori_window_update_view (MamoriWindow *self)
{
  const char *view = mamori_window_choose_view (self);
  gboolean unlocked = self->session != NULL
                      && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED;

  if (g_str_equal (view, "broken"))
    mamori_window_show_broken (self, mamori_session_get_error (self->session));

  if (g_str_equal (view, "recovery") && self->recovery_page == NULL)
    {
      self->recovery_page = mamori_recovery_code_page_new (self->session);
      gtk_stack_add_named (self->views, self->recovery_page, "recovery");
    }
  else if (!g_str_equal (view, "recovery") && self->recovery_page != NULL)
    {
      gtk_stack_remove (self->views, self->recovery_page);
      self->recovery_page = NULL;
    }

  /* Nothing of what was looked at stays behind the unlock page. */
  if (self->session != NULL && !unlocked)
    {
      mamori_window_close_pages (self);
      mamori_lookup_page_set_query (self->lookup_page, "");
    }

  /* 学校 is the board role's, and what it opens on. */
  if ((unlocked && mamori_session_is_board (self->session))
      != adw_view_stack_page_get_visible (self->board_stack_page))
    {
      adw_view_stack_page_set_visible (self->board_stack_page,
                                       !adw_view_stack_page_get_visible (self->board_stack_page));
      if (adw_view_stack_page_get_visible (self->board_stack_page))
        adw_view_stack_set_visible_child_name (self->view_stack, "schools");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", unlocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.switch-user", unlocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", g_str_equal (view, "broken"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-recovery-code",
                                 self->session != NULL
                                     && mamori_session_can_replace_recovery_code (self->session));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), view) == 0)
    return;

  gtk_stack_set_visible_child_name (self->views, view);
  mamori_window_focus_view (self);
}

static void
session_changed_cb (MamoriWindow *self)
{
  mamori_window_update_view (self);
}

static void
item_activated_cb (MamoriWindow *self, GObject *item)
{
  mamori_window_show_item (self, item);
}

static void
back_button_pressed_cb (MamoriWindow *self)
{
  mamori_window_go_back (self);
}

static void
mamori_window_go_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  mamori_window_go_back (MAMORI_WINDOW (widget));
}

static void
mamori_window_focus_search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);

  mamori_window_navigate_to (self, self->home);
  mamori_lookup_page_focus_search (self->lookup_page);
}

static void
mamori_window_lock_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);

  mamori_session_lock (self->session);
}

static void
mamori_window_switch_user_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);

  mamori_session_lock (self->session);
  mamori_unlock_page_focus_user (self->unlock_page);
}

static void
mamori_window_reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);

  mamori_session_reload (self->session);
}

static void
replace_recovery_code_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  /* On success the session holds the new code, and the window shows it. */
  if (mamori_session_replace_recovery_code_finish (MAMORI_SESSION (source), result, &error))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("No New Recovery Code"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_recovery_code_response_cb (MamoriWindow *self, const char *response)
{
  if (!g_str_equal (response, "replace")
      || !mamori_session_can_replace_recovery_code (self->session))
    return;

  mamori_session_replace_recovery_code_async (self->session, replace_recovery_code_done_cb,
                                              g_object_ref (self));
}

static void
mamori_window_new_recovery_code_action (GtkWidget *widget,
                                        const char *action_name,
                                        GVariant *parameter)
{
  MamoriWindow *self = MAMORI_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (self), _ ("Make a New Recovery Code?"),
      _ ("The old code stops working as soon as the new one is made. The new code is shown "
         "once: print it or write it down and give it to the board of education to keep.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "replace",
                                    _ ("_Make New Code"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_recovery_code_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A focus set before the window is mapped does not survive the mapping (it ended on the
 * passphrase's peek button): set it again. */
static void
mamori_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mamori_window_parent_class)->map (widget);

  mamori_window_focus_view (MAMORI_WINDOW (widget));
}

static void
mamori_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      g_value_set_object (value, self->lookup);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      mamori_window_set_lookup (self, g_value_get_object (value));
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_window_constructed (GObject *object)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  G_OBJECT_CLASS (mamori_window_parent_class)->constructed (object);

  if (self->session != NULL)
    {
      mamori_first_run_page_set_session (self->first_run_page, self->session);
      mamori_unlock_page_set_session (self->unlock_page, self->session);
      mamori_handbook_page_set_session (self->handbook_page, self->session);
      mamori_register_page_set_session (self->register_page, self->session);
      mamori_sync_indicator_set_session (self->sync_indicator, self->session);
      mamori_takeout_page_set_session (self->takeout_page, self->session);
      mamori_board_page_set_session (self->board_page, self->session);
      g_object_bind_property (self->session, "lookup", self, "lookup", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::has-recovery-code",
                               G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::busy", G_CALLBACK (session_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  mamori_window_update_view (self);
}

static void
mamori_window_dispose (GObject *object)
{
  MamoriWindow *self = MAMORI_WINDOW (object);

  g_clear_object (&self->lookup);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mamori_window_parent_class)->dispose (object);
}

static void
mamori_window_class_init (MamoriWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_window_get_property;
  object_class->set_property = mamori_window_set_property;
  object_class->constructed = mamori_window_constructed;
  object_class->dispose = mamori_window_dispose;

  widget_class->map = mamori_window_map;

  properties[PROP_LOOKUP]
      = g_param_spec_object ("lookup", NULL, NULL, MAMORI_TYPE_LOOKUP,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_LOOKUP_PAGE);
  g_type_ensure (MAMORI_TYPE_HANDBOOK_PAGE);
  g_type_ensure (MAMORI_TYPE_REGISTER_PAGE);
  g_type_ensure (MAMORI_TYPE_TAKEOUT_PAGE);
  g_type_ensure (MAMORI_TYPE_BOARD_PAGE);
  g_type_ensure (MAMORI_TYPE_FIRST_RUN_PAGE);
  g_type_ensure (MAMORI_TYPE_UNLOCK_PAGE);
  g_type_ensure (MAMORI_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, views);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, home);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, lookup_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, handbook_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, register_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, takeout_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, takeout_stack_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, board_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, board_stack_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, first_run_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, unlock_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriWindow, broken_page);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, item_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_button_pressed_cb);

  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, mamori_window_go_back_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL,
                                   mamori_window_focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, mamori_window_lock_action);
  gtk_widget_class_install_action (widget_class, "win.switch-user", NULL,
                                   mamori_window_switch_user_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, mamori_window_reload_action);
  gtk_widget_class_install_action (widget_class, "win.new-recovery-code", NULL,
                                   mamori_window_new_recovery_code_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  /* Super+L locks GNOME itself. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
}

static void
mamori_window_init (MamoriWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (MAMORI_PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* Approvers see at a glance how many requests wait for them. */
  g_object_bind_property (self->takeout_page, "queue-count", self->takeout_stack_page,
                          "badge-number", G_BINDING_SYNC_CREATE);
  leaflet_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->lookup_page));
}

MamoriWindow *
mamori_window_new (GtkApplication *application, MamoriSession *session)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);

  return g_object_new (MAMORI_TYPE_WINDOW, "application", application, "session", session, NULL);
}

MamoriSession *
mamori_window_get_session (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return self->session;
}

const char *
mamori_window_get_view (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->views);
}

MamoriLookup *
mamori_window_get_lookup (MamoriWindow *self)
{
  g_return_val_if_fail (MAMORI_IS_WINDOW (self), NULL);

  return self->lookup;
}

void
mamori_window_set_lookup (MamoriWindow *self, MamoriLookup *lookup)
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
mamori_window_show_item (MamoriWindow *self, GObject *item)
{
  GtkWidget *page;

  g_return_if_fail (MAMORI_IS_WINDOW (self));
  g_return_if_fail (MAMORI_IS_ASSET (item) || MAMORI_IS_SCENARIO (item));
  g_return_if_fail (self->lookup != NULL);

  if (MAMORI_IS_ASSET (item))
    {
      page = mamori_asset_detail_new (mamori_lookup_get_policy (self->lookup), MAMORI_ASSET (item));
      g_signal_connect_object (page, "item-activated", G_CALLBACK (item_activated_cb), self,
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
