/* mamori-board-group.c — the board the school joined, or the form to join one
 *
 * Joining takes the school's whole history to the board, which may take a while: the
 * form waits with a spinner, and says in Japanese what went wrong (a code of another
 * school, used or expired, a server that cannot be reached) without losing what was
 * typed.  Only the principal and the vice-principal may join (the vault checks it too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board-group"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-board-group.h"

struct _MamoriBoardGroup
{
  AdwPreferencesGroup parent_instance;

  /* Template widgets */
  AdwActionRow *joined_row;
  AdwEntryRow *url_row;
  AdwEntryRow *code_row;
  GtkWidget *join_box;
  GtkLabel *error_label;
  GtkSpinner *spinner;

  /* Owned */
  GSignalGroup *session_signals;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MamoriBoardGroup, mamori_board_group, ADW_TYPE_PREFERENCES_GROUP)

static void
update (MamoriBoardGroup *self)
{
  g_autoptr (MamoriSession) session = g_signal_group_dup_target (self->session_signals);
  gboolean joined
      = session != NULL && mamori_session_get_sync_state (session) != MAMORI_SYNC_STATE_NOT_JOINED;
  gboolean can_join = session != NULL && mamori_session_can_join_board (session);
  gboolean busy = session != NULL && mamori_session_get_busy (session);
  g_autofree char *url
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  gtk_widget_set_visible (GTK_WIDGET (self->joined_row), joined);
  gtk_widget_set_visible (GTK_WIDGET (self->url_row), !joined);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), !joined);
  gtk_widget_set_visible (self->join_box, !joined);
  if (joined)
    {
      g_autofree char *name = mamori_session_dup_board_name (session);
      g_autofree char *board_url = mamori_session_dup_board_url (session);

      adw_preferences_group_set_description (
          ADW_PREFERENCES_GROUP (self),
          _ ("The school’s records are kept in step with its board of education."));
      if (name != NULL)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->joined_row), name);
      if (board_url != NULL)
        adw_action_row_set_subtitle (self->joined_row, board_url);
    }
  else
    adw_preferences_group_set_description (
        ADW_PREFERENCES_GROUP (self),
        can_join || busy
            ? _ ("Join the board with the server address and the join code it gave the school. "
                 "The school’s records are sent to the board and kept in step from then on.")
            : _ ("The principal or the vice-principal joins the school to its board of "
                 "education."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), can_join);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), can_join);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.join",
                                 can_join && *url != '\0' && *code != '\0');
  gtk_spinner_set_spinning (self->spinner, busy && !joined);
}

static void
show_error (MamoriBoardGroup *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
entry_changed_cb (MamoriBoardGroup *self)
{
  show_error (self, NULL);
  update (self);
}

static void
join_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriBoardGroup) self = user_data;
  g_autoptr (GError) error = NULL;

  if (mamori_session_join_board_finish (MAMORI_SESSION (source), result, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
      show_error (self, NULL);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  update (self);
}

static void
join_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriBoardGroup *self = MAMORI_BOARD_GROUP (widget);
  g_autoptr (MamoriSession) session = g_signal_group_dup_target (self->session_signals);
  g_autofree char *url
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

  if (session == NULL || !mamori_session_can_join_board (session))
    return;
  show_error (self, NULL);
  mamori_session_join_board_async (session, url,
                                   gtk_editable_get_text (GTK_EDITABLE (self->code_row)),
                                   self->cancellable, join_done_cb, g_object_ref (self));
  update (self);
}

static void
code_activated_cb (MamoriBoardGroup *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "board.join", NULL);
}

static void
mamori_board_group_dispose (GObject *object)
{
  MamoriBoardGroup *self = MAMORI_BOARD_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_BOARD_GROUP);
  G_OBJECT_CLASS (mamori_board_group_parent_class)->dispose (object);
}

static void
mamori_board_group_class_init (MamoriBoardGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_board_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-board-group.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, joined_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, url_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, code_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, join_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, error_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriBoardGroup, spinner);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_activated_cb);
  gtk_widget_class_install_action (widget_class, "board.join", NULL, join_action);
}

static void
mamori_board_group_init (MamoriBoardGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::sync-state", G_CALLBACK (update),
                                  self);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (update),
                                  self);
  update (self);
}

void
mamori_board_group_set_session (MamoriBoardGroup *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_BOARD_GROUP (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  g_signal_group_set_target (self->session_signals, session);
  update (self);
}
