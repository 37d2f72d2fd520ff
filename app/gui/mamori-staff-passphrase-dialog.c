/* mamori-staff-passphrase-dialog.c — the unlocked user changes their own passphrase
 *
 * The current passphrase is asked again, so that a screen left unlocked is not enough
 * (mamori_vault_change_passphrase ()); the new one is typed twice and rated.  Both are
 * copied into secure memory and the entries cleared when "staff-passphrase.change"
 * runs; the session derives the new slot's key in a thread while the dialog spins.  A
 * wrong current passphrase changes nothing and is said under the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-staff-passphrase-dialog.h"
#include "mamori-staff-passphrase-group.h"

struct _MamoriStaffPassphraseDialog
{
  MamoriStaffDialog parent_instance;

  /* Template widgets */
  AdwPasswordEntryRow *current_row;
  MamoriStaffPassphraseGroup *passphrase_group;
};

G_DEFINE_FINAL_TYPE (MamoriStaffPassphraseDialog,
                     mamori_staff_passphrase_dialog,
                     MAMORI_TYPE_STAFF_DIALOG)

enum
{
  PASSPHRASE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mamori_staff_passphrase_dialog_update (MamoriStaffDialog *dialog)
{
  MamoriStaffPassphraseDialog *self = MAMORI_STAFF_PASSPHRASE_DIALOG (dialog);
  const char *current;

  /* Not while the template is being built. */
  if (mamori_staff_dialog_get_session (dialog) == NULL)
    return;

  current = gtk_editable_get_text (GTK_EDITABLE (self->current_row));
  gtk_widget_action_set_enabled (
      GTK_WIDGET (self), "staff-passphrase.change",
      *current != '\0' && mamori_staff_passphrase_group_get_acceptable (self->passphrase_group)
          && mamori_staff_dialog_get_idle (dialog));
}

static void
form_changed_cb (MamoriStaffPassphraseDialog *self)
{
  mamori_staff_passphrase_dialog_update (MAMORI_STAFF_DIALOG (self));
}

static void
current_changed_cb (MamoriStaffPassphraseDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->current_row), "error");
  mamori_staff_passphrase_dialog_update (MAMORI_STAFF_DIALOG (self));
}

static void
passphrase_activated_cb (MamoriStaffPassphraseDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "staff-passphrase.change", NULL);
}

static void
mamori_staff_passphrase_dialog_set_working (MamoriStaffPassphraseDialog *self, const char *status)
{
  mamori_staff_passphrase_group_set_status (self->passphrase_group, status);
  mamori_staff_dialog_set_working (MAMORI_STAFF_DIALOG (self), status != NULL);
}

static void
change_passphrase_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriStaffPassphraseDialog) self = user_data;
  MamoriStaffDialog *dialog = MAMORI_STAFF_DIALOG (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean changed;

  changed = mamori_session_change_passphrase_finish (MAMORI_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (mamori_staff_dialog_get_cancellable (dialog)))
    return;
  mamori_staff_passphrase_dialog_set_working (self, NULL);

  if (changed)
    {
      g_signal_emit (self, signals[PASSPHRASE_CHANGED], 0);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  message = g_strdup_printf (_ ("The passphrase was not changed: %s"), error->message);
  mamori_staff_dialog_show_error (dialog, message);
  if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE))
    gtk_widget_add_css_class (GTK_WIDGET (self->current_row), "error");
  gtk_widget_grab_focus (GTK_WIDGET (self->current_row));
}

static void
mamori_staff_passphrase_dialog_change_action (GtkWidget *widget,
                                              const char *action_name,
                                              GVariant *parameter)
{
  MamoriStaffPassphraseDialog *self = MAMORI_STAFF_PASSPHRASE_DIALOG (widget);
  MamoriStaffDialog *dialog = MAMORI_STAFF_DIALOG (self);
  char *current;
  char *passphrase;

  current = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->current_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  passphrase = mamori_staff_passphrase_group_take_passphrase (self->passphrase_group);

  mamori_staff_dialog_show_error (dialog, NULL);
  mamori_staff_passphrase_dialog_set_working (self,
                                              _ ("Changing the passphrase. This takes a moment…"));
  mamori_session_change_passphrase_async (mamori_staff_dialog_get_session (dialog), current,
                                          passphrase, mamori_staff_dialog_get_cancellable (dialog),
                                          change_passphrase_cb, g_object_ref (self));
}

static void
mamori_staff_passphrase_dialog_constructed (GObject *object)
{
  MamoriStaffPassphraseDialog *self = MAMORI_STAFF_PASSPHRASE_DIALOG (object);
  MamoriSession *session = mamori_staff_dialog_get_session (MAMORI_STAFF_DIALOG (self));
  MamoriVault *vault = mamori_session_get_vault (session);

  G_OBJECT_CLASS (mamori_staff_passphrase_dialog_parent_class)->constructed (object);

  mamori_staff_passphrase_group_set_user (self->passphrase_group,
                                          vault != NULL ? mamori_vault_get_user (vault) : NULL);
}

static void
mamori_staff_passphrase_dialog_class_init (MamoriStaffPassphraseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MamoriStaffDialogClass *dialog_class = MAMORI_STAFF_DIALOG_CLASS (klass);

  object_class->constructed = mamori_staff_passphrase_dialog_constructed;

  dialog_class->update = mamori_staff_passphrase_dialog_update;

  signals[PASSPHRASE_CHANGED]
      = g_signal_new ("passphrase-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MAMORI_TYPE_STAFF_PASSPHRASE_GROUP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-staff-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseDialog,
                                        passphrase_group);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);

  gtk_widget_class_install_action (widget_class, "staff-passphrase.change", NULL,
                                   mamori_staff_passphrase_dialog_change_action);
}

static void
mamori_staff_passphrase_dialog_init (MamoriStaffPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "staff-passphrase.change", FALSE);
}

MamoriStaffPassphraseDialog *
mamori_staff_passphrase_dialog_new (MamoriSession *session)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);

  return g_object_new (MAMORI_TYPE_STAFF_PASSPHRASE_DIALOG, "session", session, NULL);
}
