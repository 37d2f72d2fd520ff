/* mamori-sync-indicator.c — where the school's records stand with its board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync-indicator"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mamori-sync-indicator.h"

struct _MamoriSyncIndicator
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget *button;
  AdwButtonContent *content;

  /* Owned */
  GSignalGroup *session_signals;
};

G_DEFINE_FINAL_TYPE (MamoriSyncIndicator, mamori_sync_indicator, GTK_TYPE_WIDGET)

char *
mamori_sync_indicator_describe (MamoriSyncState state, guint unsent)
{
  switch (state)
    {
    case MAMORI_SYNC_STATE_SYNCING:
      return g_strdup (_ ("Syncing…"));
    case MAMORI_SYNC_STATE_SYNCED:
      return g_strdup (_ ("Synced"));
    case MAMORI_SYNC_STATE_UNSENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Unsent", "%u Unsent", unsent),
                              unsent);
    case MAMORI_SYNC_STATE_OFFLINE:
      return g_strdup (_ ("Offline"));
    case MAMORI_SYNC_STATE_ERROR:
      return g_strdup (_ ("Sync Error"));
    case MAMORI_SYNC_STATE_NOT_JOINED:
    default:
      return NULL;
    }
}

static const char *
icon_for (MamoriSyncState state, gboolean live)
{
  /* Both ways open: the board's news comes as it happens. */
  if (state == MAMORI_SYNC_STATE_SYNCED && live)
    return "network-transmit-receive-symbolic";
  switch (state)
    {
    case MAMORI_SYNC_STATE_OFFLINE:
      return "network-offline-symbolic";
    case MAMORI_SYNC_STATE_ERROR:
      return "dialog-warning-symbolic";
    case MAMORI_SYNC_STATE_UNSENT:
      return "mail-send-symbolic";
    default:
      return "emblem-synchronizing-symbolic";
    }
}

static void
update (MamoriSyncIndicator *self)
{
  MamoriSession *session = g_signal_group_dup_target (self->session_signals);
  MamoriSyncState state = MAMORI_SYNC_STATE_NOT_JOINED;
  g_autofree char *label = NULL, *tooltip = NULL;
  const char *message = NULL;
  guint unsent = 0;

  if (session != NULL)
    {
      state = mamori_session_get_sync_state (session);
      unsent = mamori_session_get_unsent (session);
      message = mamori_session_get_sync_message (session);
    }
  label = mamori_sync_indicator_describe (state, unsent);
  gtk_widget_set_visible (GTK_WIDGET (self), label != NULL);
  adw_button_content_set_label (self->content, label != NULL ? label : "");
  adw_button_content_set_icon_name (
      self->content, icon_for (state, session != NULL && mamori_session_get_sync_live (session)));
  if (message != NULL)
    tooltip = g_strdup_printf (_ ("%s — click to sync now"), message);
  else if (session != NULL && mamori_session_get_sync_live (session))
    tooltip = g_strdup (_ ("Waiting for the board’s news: other computers’ records arrive "
                           "within seconds. Click to sync now"));
  else
    tooltip = g_strdup (_ ("Sync with the board of education now"));
  gtk_widget_set_tooltip_text (self->button, tooltip);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.now",
                                 session != NULL && mamori_session_can_sync (session));
  g_clear_object (&session);
}

static void
sync_now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriSyncIndicator *self = MAMORI_SYNC_INDICATOR (widget);
  g_autoptr (MamoriSession) session = g_signal_group_dup_target (self->session_signals);

  if (session != NULL && mamori_session_can_sync (session))
    mamori_session_sync_async (session, NULL, NULL, NULL);
}

static void
mamori_sync_indicator_dispose (GObject *object)
{
  MamoriSyncIndicator *self = MAMORI_SYNC_INDICATOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_SYNC_INDICATOR);
  g_clear_object (&self->session_signals);
  G_OBJECT_CLASS (mamori_sync_indicator_parent_class)->dispose (object);
}

static void
mamori_sync_indicator_class_init (MamoriSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_sync_indicator_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, MamoriSyncIndicator, content);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "sync.now", NULL, sync_now_action);
}

static void
mamori_sync_indicator_init (MamoriSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::sync-state", G_CALLBACK (update),
                                  self);
  g_signal_group_connect_swapped (self->session_signals, "notify::unsent", G_CALLBACK (update),
                                  self);
  g_signal_group_connect_swapped (self->session_signals, "notify::sync-message",
                                  G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::sync-live", G_CALLBACK (update),
                                  self);
  update (self);
}

void
mamori_sync_indicator_set_session (MamoriSyncIndicator *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_SYNC_INDICATOR (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  g_signal_group_set_target (self->session_signals, session);
  update (self);
}
