/* mamori-enroll-form.c — joining the board from the first run
 *
 * "enroll.join" is enabled for a complete form whose passphrases match and are not
 * weak (mamori-passphrase-quality.c).  Joining copies the passphrase into secure memory,
 * clears both entries and hands the copy to the session, which makes the vault, enrolls
 * and syncs in a thread; the session then goes unlocked and the window moves on.  What
 * went wrong (a wrong, used or expired code, an unreachable server) is said under the
 * form, with the address and the code kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-enroll-form"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-enroll-form.h"
#include "mamori-passphrase-quality.h"

struct _MamoriEnrollForm
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwEntryRow *url_row;
  AdwEntryRow *code_row;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *confirm_row;
  GtkLabel *error_label;
  GtkSpinner *spinner;

  /* Owned */
  GSignalGroup *session_signals;
};

G_DEFINE_FINAL_TYPE (MamoriEnrollForm, mamori_enroll_form, ADW_TYPE_BIN)

static char *
stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update (MamoriEnrollForm *self)
{
  g_autoptr (MamoriSession) session = g_signal_group_dup_target (self->session_signals);
  g_autofree char *url = stripped_text (self->url_row);
  g_autofree char *code = stripped_text (self->code_row);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *confirmation = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  gboolean busy = session != NULL && mamori_session_get_busy (session);
  const char *hint;

  gtk_widget_action_set_enabled (
      GTK_WIDGET (self), "enroll.join",
      session != NULL && !busy
          && mamori_session_get_state (session) == MAMORI_SESSION_STATE_NO_VAULT && *url != '\0'
          && *code != '\0'
          && mamori_passphrase_quality (passphrase, NULL, &hint) >= MAMORI_PASSPHRASE_WEAK
          && g_str_equal (passphrase, confirmation));
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
form_changed_cb (MamoriEnrollForm *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update (self);
}

static void
confirm_activated_cb (MamoriEnrollForm *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "enroll.join", NULL);
}

static void
enroll_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriEnrollForm) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!mamori_session_enroll_finish (MAMORI_SESSION (source), result, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
    }
  update (self);
}

static void
join_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriEnrollForm *self = MAMORI_ENROLL_FORM (widget);
  g_autoptr (MamoriSession) session = g_signal_group_dup_target (self->session_signals);
  g_autofree char *url = stripped_text (self->url_row);
  g_autofree char *code = stripped_text (self->code_row);
  char *passphrase;

  if (session == NULL)
    return;
  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  mamori_session_enroll_async (session, url, code, passphrase, NULL, enroll_cb,
                               g_object_ref (self));
  update (self);
}

static gboolean
mamori_enroll_form_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (MAMORI_ENROLL_FORM (widget)->url_row));
}

static void
mamori_enroll_form_dispose (GObject *object)
{
  MamoriEnrollForm *self = MAMORI_ENROLL_FORM (object);

  g_clear_object (&self->session_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_ENROLL_FORM);
  G_OBJECT_CLASS (mamori_enroll_form_parent_class)->dispose (object);
}

static void
mamori_enroll_form_class_init (MamoriEnrollFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_enroll_form_dispose;
  widget_class->grab_focus = mamori_enroll_form_grab_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-enroll-form.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, url_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, code_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriEnrollForm, spinner);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);
  gtk_widget_class_install_action (widget_class, "enroll.join", NULL, join_action);
}

static void
mamori_enroll_form_init (MamoriEnrollForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (update),
                                  self);
  update (self);
}

void
mamori_enroll_form_set_session (MamoriEnrollForm *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_ENROLL_FORM (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  g_signal_group_set_target (self->session_signals, session);
  update (self);
}
