/* mamori-staff-add-dialog.c — adds a person to the staff: name, role, initial passphrase
 *
 * The name is checked as it is typed, by the core's rule (mamori_text_normalize_name ())
 * and against the roster the session lists; the passphrase is rated as on the first-run
 * page.  "staff-add.add" is enabled only for a complete form.  Adding copies the
 * passphrase into secure memory and clears the entries; the session derives the new
 * slot's key in a thread while the dialog spins.  What the core refuses (a name taken
 * meanwhile, a role the roster no longer gives the administrator) is shown under the
 * form, which keeps the name and the role: only the passphrase is typed again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-core-enums.h"
#include "mamori-records-error.h"
#include "mamori-staff-add-dialog.h"
#include "mamori-staff-member.h"
#include "mamori-staff-passphrase-group.h"
#include "mamori-staff-roles.h"
#include "mamori-text.h"

struct _MamoriStaffAddDialog
{
  MamoriStaffDialog parent_instance;

  /* Template widgets */
  AdwEntryRow *name_row;
  AdwComboRow *role_row;
  GtkLabel *name_error_label;
  MamoriStaffPassphraseGroup *passphrase_group;

  /* Owned */
  char *adding; /* the name being added */
};

G_DEFINE_FINAL_TYPE (MamoriStaffAddDialog, mamori_staff_add_dialog, MAMORI_TYPE_STAFF_DIALOG)

enum
{
  ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
on_roster (MamoriSession *session, const char *name)
{
  GListModel *staff = mamori_session_get_staff (session);

  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (staff, i);

      if (g_str_equal (mamori_staff_member_get_name (member), name))
        return TRUE;
    }
  return FALSE;
}

/* The name as the roster would hold it, or NULL with what is wrong with it (NULL too for
 * a name not typed yet: nothing to say then). */
static char *
mamori_staff_add_dialog_check_name (MamoriStaffAddDialog *self, char **out_problem)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;

  *out_problem = NULL;
  if (*text == '\0')
    return NULL;
  name = mamori_text_normalize_name (text, _ ("The new user’s name"), &error);
  if (name == NULL)
    {
      *out_problem = g_strdup (error->message);
      return NULL;
    }
  if (on_roster (mamori_staff_dialog_get_session (MAMORI_STAFF_DIALOG (self)), name))
    {
      *out_problem = g_strdup_printf (_ ("%s is already on the staff roster"), name);
      return NULL;
    }
  return g_steal_pointer (&name);
}

/* Says what is wrong with the name, and enables "staff-add.add" for a complete form. */
static void
mamori_staff_add_dialog_update (MamoriStaffDialog *dialog)
{
  MamoriStaffAddDialog *self = MAMORI_STAFF_ADD_DIALOG (dialog);
  g_autofree char *problem = NULL;
  g_autofree char *name = NULL;

  /* Not while the template is being built. */
  if (mamori_staff_dialog_get_session (dialog) == NULL)
    return;

  name = mamori_staff_add_dialog_check_name (self, &problem);
  gtk_label_set_label (self->name_error_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->name_error_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  mamori_staff_passphrase_group_set_user (self->passphrase_group, name);

  gtk_widget_action_set_enabled (
      GTK_WIDGET (self), "staff-add.add",
      name != NULL && mamori_staff_passphrase_group_get_acceptable (self->passphrase_group)
          && mamori_staff_dialog_get_idle (dialog));
}

static void
form_changed_cb (MamoriStaffAddDialog *self)
{
  mamori_staff_add_dialog_update (MAMORI_STAFF_DIALOG (self));
}

static void
passphrase_activated_cb (MamoriStaffAddDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "staff-add.add", NULL);
}

/* The status replaces the rating while working: the entries are empty by then. */
static void
mamori_staff_add_dialog_set_working (MamoriStaffAddDialog *self, const char *status)
{
  mamori_staff_passphrase_group_set_status (self->passphrase_group, status);
  mamori_staff_dialog_set_working (MAMORI_STAFF_DIALOG (self), status != NULL);
}

static void
add_staff_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriStaffAddDialog) self = user_data;
  MamoriStaffDialog *dialog = MAMORI_STAFF_DIALOG (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_steal_pointer (&self->adding);
  g_autofree char *message = NULL;
  gboolean added;

  added = mamori_session_add_staff_finish (MAMORI_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (mamori_staff_dialog_get_cancellable (dialog)))
    return;
  mamori_staff_add_dialog_set_working (self, NULL);

  if (added)
    {
      g_signal_emit (self, signals[ADDED], 0, name,
                     mamori_staff_role_row_get_role (self->role_row));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  /* Translators: the name, then why the core refused to add the person. */
  message = g_strdup_printf (_ ("%s was not added: %s"), name, error->message);
  mamori_staff_dialog_show_error (dialog, message);
  if (g_error_matches (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT)
      || g_error_matches (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_group));
}

static void
mamori_staff_add_dialog_add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriStaffAddDialog *self = MAMORI_STAFF_ADD_DIALOG (widget);
  MamoriStaffDialog *dialog = MAMORI_STAFF_DIALOG (self);
  g_autofree char *problem = NULL;
  g_autofree char *status = NULL;
  char *passphrase;

  self->adding = mamori_staff_add_dialog_check_name (self, &problem);
  g_return_if_fail (self->adding != NULL);

  passphrase = mamori_staff_passphrase_group_take_passphrase (self->passphrase_group);
  mamori_staff_dialog_show_error (dialog, NULL);
  /* Translators: while the new person's key slot is made (a second or two). */
  status = g_strdup_printf (_ ("Adding %s. This takes a moment…"), self->adding);
  mamori_staff_add_dialog_set_working (self, status);
  mamori_session_add_staff_async (mamori_staff_dialog_get_session (dialog), self->adding,
                                  mamori_staff_role_row_get_role (self->role_row), passphrase,
                                  mamori_staff_dialog_get_cancellable (dialog), add_staff_cb,
                                  g_object_ref (self));
}

static void
mamori_staff_add_dialog_constructed (GObject *object)
{
  MamoriStaffAddDialog *self = MAMORI_STAFF_ADD_DIALOG (object);

  G_OBJECT_CLASS (mamori_staff_add_dialog_parent_class)->constructed (object);

  /* A name may be taken, or freed, meanwhile. */
  g_signal_connect_object (
      mamori_session_get_staff (mamori_staff_dialog_get_session (MAMORI_STAFF_DIALOG (self))),
      "items-changed", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
mamori_staff_add_dialog_finalize (GObject *object)
{
  MamoriStaffAddDialog *self = MAMORI_STAFF_ADD_DIALOG (object);

  g_free (self->adding);

  G_OBJECT_CLASS (mamori_staff_add_dialog_parent_class)->finalize (object);
}

static void
mamori_staff_add_dialog_class_init (MamoriStaffAddDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MamoriStaffDialogClass *dialog_class = MAMORI_STAFF_DIALOG_CLASS (klass);

  object_class->constructed = mamori_staff_add_dialog_constructed;
  object_class->finalize = mamori_staff_add_dialog_finalize;

  dialog_class->update = mamori_staff_add_dialog_update;

  /* "added" (name, role): the person is on the roster. */
  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, MAMORI_TYPE_ROLE);

  g_type_ensure (MAMORI_TYPE_STAFF_PASSPHRASE_GROUP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-staff-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffAddDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffAddDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffAddDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffAddDialog, passphrase_group);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);

  gtk_widget_class_install_action (widget_class, "staff-add.add", NULL,
                                   mamori_staff_add_dialog_add_action);
}

static void
mamori_staff_add_dialog_init (MamoriStaffAddDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  mamori_staff_role_row_init (self->role_row, MAMORI_ROLE_TEACHER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "staff-add.add", FALSE);
}

MamoriStaffAddDialog *
mamori_staff_add_dialog_new (MamoriSession *session)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);

  return g_object_new (MAMORI_TYPE_STAFF_ADD_DIALOG, "session", session, NULL);
}
