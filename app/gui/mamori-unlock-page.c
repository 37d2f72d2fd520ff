/* mamori-unlock-page.c — the locked vault: choose who you are, type your passphrase
 *
 * The users and the school come from the key slots, readable while locked.  Each time
 * the session becomes locked the page starts afresh: the list read again, the last user
 * chosen, the passphrase empty.  "unlock.unlock" (the button, or Enter in the
 * passphrase) copies the passphrase into secure memory, clears the entry and lets the
 * session derive the key in a thread.  A wrong passphrase is said here; a vault that
 * turns out damaged makes the session BROKEN, which the window shows instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-unlock-page.h"

struct _MamoriUnlockPage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  AdwComboRow *user_row;
  AdwPasswordEntryRow *passphrase_row;
  GtkSpinner *spinner;

  /* Owned references */
  MamoriSession *session;
  GStrv users; /* in the order of user_row's model */
};

G_DEFINE_FINAL_TYPE (MamoriUnlockPage, mamori_unlock_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
mamori_unlock_page_can_unlock (MamoriUnlockPage *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  return self->session != NULL
         && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_LOCKED
         && !mamori_session_get_busy (self->session) && mamori_unlock_page_get_user (self) != NULL
         && *passphrase != '\0';
}

static void
mamori_unlock_page_update_action (MamoriUnlockPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.unlock",
                                 mamori_unlock_page_can_unlock (self));
}

static void
mamori_unlock_page_show_error (MamoriUnlockPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->passphrase_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->passphrase_row), "error");
}

/* Reads the school and the users again, and chooses the one who unlocked last. */
static void
mamori_unlock_page_refresh (MamoriUnlockPage *self)
{
  MamoriVault *vault = self->session != NULL ? mamori_session_get_vault (self->session) : NULL;
  g_autoptr (GtkStringList) choices = gtk_string_list_new (NULL);
  const char *last_user;
  guint selected = 0;

  g_clear_pointer (&self->users, g_strfreev);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  mamori_unlock_page_show_error (self, NULL);

  if (vault == NULL || mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_LOCKED)
    {
      adw_combo_row_set_model (self->user_row, NULL);
      mamori_unlock_page_update_action (self);
      return;
    }

  adw_status_page_set_title (self->status_page, mamori_vault_get_school (vault));

  last_user = mamori_session_get_last_user (self->session);
  self->users = mamori_vault_list_users (vault);
  for (guint i = 0; self->users[i] != NULL; i++)
    {
      g_autofree char *choice = NULL;
      MamoriRole role;

      if (mamori_vault_lookup_role (vault, self->users[i], &role))
        /* Translators: a user to unlock as, and their role: 「山田 花子（副校長・教頭）」. */
        choice = g_strdup_printf (C_ ("user and role", "%s (%s)"), self->users[i],
                                  mamori_role_get_label (role));
      else
        choice = g_strdup (self->users[i]);
      gtk_string_list_append (choices, choice);

      if (g_strcmp0 (self->users[i], last_user) == 0)
        selected = i;
    }

  adw_combo_row_set_model (self->user_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->user_row, selected);
  mamori_unlock_page_update_action (self);
}

static void
mamori_unlock_page_set_working (MamoriUnlockPage *self, gboolean working)
{
  /* An entry made insensitive while it has the focus never hears that it lost it. */
  if (working)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !working);
  gtk_spinner_set_spinning (self->spinner, working);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
}

static void
unlock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriUnlockPage) self = user_data;
  g_autoptr (GError) error = NULL;

  mamori_unlock_page_set_working (self, FALSE);
  if (mamori_session_unlock_finish (MAMORI_SESSION (source), result, &error))
    return;

  if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE))
    {
      mamori_unlock_page_show_error (
          self, _ ("Wrong passphrase. Check the keyboard layout and Caps Lock."));
    }
  else if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER))
    {
      /* Removed on another computer meanwhile: the list is out of date. */
      mamori_unlock_page_refresh (self);
      mamori_unlock_page_show_error (self, error->message);
    }
  else
    {
      /* The session is BROKEN: the window shows why. */
      return;
    }

  mamori_unlock_page_update_action (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
form_changed_cb (MamoriUnlockPage *self)
{
  mamori_unlock_page_update_action (self);
}

static void
passphrase_activated_cb (MamoriUnlockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.unlock", NULL);
}

static void
session_state_changed_cb (MamoriUnlockPage *self)
{
  mamori_unlock_page_refresh (self);
}

static void
session_busy_changed_cb (MamoriUnlockPage *self)
{
  mamori_unlock_page_update_action (self);
}

static void
mamori_unlock_page_unlock_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriUnlockPage *self = MAMORI_UNLOCK_PAGE (widget);
  char *passphrase;

  if (!mamori_unlock_page_can_unlock (self))
    return;

  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");

  mamori_unlock_page_show_error (self, NULL);
  mamori_unlock_page_set_working (self, TRUE);
  mamori_session_unlock_async (self->session, mamori_unlock_page_get_user (self), passphrase,
                               unlock_cb, g_object_ref (self));
}

static gboolean
mamori_unlock_page_grab_focus (GtkWidget *widget)
{
  MamoriUnlockPage *self = MAMORI_UNLOCK_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
mamori_unlock_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriUnlockPage *self = MAMORI_UNLOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_unlock_page_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  MamoriUnlockPage *self = MAMORI_UNLOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mamori_unlock_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_unlock_page_dispose (GObject *object)
{
  MamoriUnlockPage *self = MAMORI_UNLOCK_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_UNLOCK_PAGE);

  g_clear_object (&self->session);
  g_clear_pointer (&self->users, g_strfreev);

  G_OBJECT_CLASS (mamori_unlock_page_parent_class)->dispose (object);
}

static void
mamori_unlock_page_class_init (MamoriUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_unlock_page_get_property;
  object_class->set_property = mamori_unlock_page_set_property;
  object_class->dispose = mamori_unlock_page_dispose;

  widget_class->grab_focus = mamori_unlock_page_grab_focus;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriUnlockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);

  gtk_widget_class_install_action (widget_class, "unlock.unlock", NULL,
                                   mamori_unlock_page_unlock_action);
}

static void
mamori_unlock_page_init (MamoriUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  mamori_unlock_page_refresh (self);
}

GtkWidget *
mamori_unlock_page_new (void)
{
  return g_object_new (MAMORI_TYPE_UNLOCK_PAGE, NULL);
}

MamoriSession *
mamori_unlock_page_get_session (MamoriUnlockPage *self)
{
  g_return_val_if_fail (MAMORI_IS_UNLOCK_PAGE (self), NULL);

  return self->session;
}

void
mamori_unlock_page_set_session (MamoriUnlockPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_UNLOCK_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::busy", G_CALLBACK (session_busy_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  mamori_unlock_page_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
mamori_unlock_page_get_user (MamoriUnlockPage *self)
{
  guint selected;

  g_return_val_if_fail (MAMORI_IS_UNLOCK_PAGE (self), NULL);

  selected = adw_combo_row_get_selected (self->user_row);
  if (self->users == NULL || selected >= g_strv_length (self->users))
    return NULL;

  return self->users[selected];
}

void
mamori_unlock_page_focus_user (MamoriUnlockPage *self)
{
  g_return_if_fail (MAMORI_IS_UNLOCK_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
}
