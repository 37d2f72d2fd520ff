/* mamori-staff-dialog.c — a form that changes the staff through the session, with the
 * work's progress and the core's refusal shown in it
 *
 * The frame of the staff page's dialogs: a header bar with "Cancel" and the primary
 * button (a label and an action the subclass names), and a clamped, scrolled column:
 * at its top what the core refused, where it is seen first, then the subclass's groups
 * (<child> elements of its template go there).  Escape closes it, except while working.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include "mamori-staff-dialog.h"

typedef struct
{
  /* Template widgets */
  GtkWidget *cancel_button;
  GtkButton *primary_button;
  GtkLabel *primary_label;
  GtkSpinner *spinner;
  GtkBox *form;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;

  /* Owned references */
  MamoriSession *session;
  GCancellable *cancellable;

  gboolean working;
} MamoriStaffDialogPrivate;

static void
mamori_staff_dialog_buildable_init (GtkBuildableIface *iface);

G_DEFINE_TYPE_WITH_CODE (MamoriStaffDialog,
                         mamori_staff_dialog,
                         ADW_TYPE_WINDOW,
                         G_ADD_PRIVATE (MamoriStaffDialog)
                             G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                    mamori_staff_dialog_buildable_init))

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_PRIMARY_LABEL,
  PROP_PRIMARY_ACTION,
  PROP_WORKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkBuildableIface *parent_buildable_iface;

/* The subclass's groups go into the form, under the error message. */
static void
mamori_staff_dialog_add_child (GtkBuildable *buildable,
                               GtkBuilder *builder,
                               GObject *child,
                               const char *type)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (buildable);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  if (priv->form != NULL && GTK_IS_WIDGET (child) && type == NULL)
    gtk_box_append (priv->form, GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
mamori_staff_dialog_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = mamori_staff_dialog_add_child;
}

static void
mamori_staff_dialog_update (MamoriStaffDialog *self)
{
  MamoriStaffDialogClass *klass = MAMORI_STAFF_DIALOG_GET_CLASS (self);

  if (klass->update != NULL)
    klass->update (self);
}

static gboolean
mamori_staff_dialog_close_request (GtkWindow *window)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (window);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  if (priv->working)
    return GDK_EVENT_STOP;

  return GTK_WINDOW_CLASS (mamori_staff_dialog_parent_class)->close_request (window);
}

static void
mamori_staff_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (object);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;

    case PROP_PRIMARY_LABEL:
      g_value_set_string (value, gtk_label_get_label (priv->primary_label));
      break;

    case PROP_PRIMARY_ACTION:
      g_value_set_string (value,
                          gtk_actionable_get_action_name (GTK_ACTIONABLE (priv->primary_button)));
      break;

    case PROP_WORKING:
      g_value_set_boolean (value, priv->working);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_dialog_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (object);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;

    case PROP_PRIMARY_LABEL:
      gtk_label_set_label (priv->primary_label, g_value_get_string (value));
      break;

    case PROP_PRIMARY_ACTION:
      gtk_actionable_set_action_name (GTK_ACTIONABLE (priv->primary_button),
                                      g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_dialog_constructed (GObject *object)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (object);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  G_OBJECT_CLASS (mamori_staff_dialog_parent_class)->constructed (object);

  g_return_if_fail (MAMORI_IS_SESSION (priv->session));

  g_signal_connect_object (priv->session, "notify::busy", G_CALLBACK (mamori_staff_dialog_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->session, "notify::state", G_CALLBACK (mamori_staff_dialog_update),
                           self, G_CONNECT_SWAPPED);
  mamori_staff_dialog_update (self);
}

static void
mamori_staff_dialog_dispose (GObject *object)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (object);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (mamori_staff_dialog_parent_class)->dispose (object);
}

static void
mamori_staff_dialog_finalize (GObject *object)
{
  MamoriStaffDialog *self = MAMORI_STAFF_DIALOG (object);
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (mamori_staff_dialog_parent_class)->finalize (object);
}

static void
mamori_staff_dialog_class_init (MamoriStaffDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = mamori_staff_dialog_get_property;
  object_class->set_property = mamori_staff_dialog_set_property;
  object_class->constructed = mamori_staff_dialog_constructed;
  object_class->dispose = mamori_staff_dialog_dispose;
  object_class->finalize = mamori_staff_dialog_finalize;

  window_class->close_request = mamori_staff_dialog_close_request;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PRIMARY_LABEL] = g_param_spec_string ("primary-label", NULL, NULL, NULL,
                                                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_PRIMARY_ACTION] = g_param_spec_string (
      "primary-action", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_WORKING]
      = g_param_spec_boolean ("working", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-staff-dialog.ui");
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, cancel_button);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, primary_button);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, primary_label);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, form);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, error_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, MamoriStaffDialog, error_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_staff_dialog_init (MamoriStaffDialog *self)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  priv->cancellable = g_cancellable_new ();
}

MamoriSession *
mamori_staff_dialog_get_session (MamoriStaffDialog *self)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_val_if_fail (MAMORI_IS_STAFF_DIALOG (self), NULL);

  return priv->session;
}

GCancellable *
mamori_staff_dialog_get_cancellable (MamoriStaffDialog *self)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_val_if_fail (MAMORI_IS_STAFF_DIALOG (self), NULL);

  return priv->cancellable;
}

gboolean
mamori_staff_dialog_get_working (MamoriStaffDialog *self)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_val_if_fail (MAMORI_IS_STAFF_DIALOG (self), FALSE);

  return priv->working;
}

void
mamori_staff_dialog_set_working (MamoriStaffDialog *self, gboolean working)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_if_fail (MAMORI_IS_STAFF_DIALOG (self));

  if (priv->working == working)
    return;

  priv->working = working;
  /* An entry made insensitive while it has the focus never hears that it lost it. */
  if (working)
    gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (priv->form), !working);
  gtk_widget_set_sensitive (priv->cancel_button, !working);
  gtk_widget_set_visible (GTK_WIDGET (priv->spinner), working);
  gtk_spinner_set_spinning (priv->spinner, working);
  mamori_staff_dialog_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKING]);
}

gboolean
mamori_staff_dialog_get_idle (MamoriStaffDialog *self)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_val_if_fail (MAMORI_IS_STAFF_DIALOG (self), FALSE);

  return priv->session != NULL && !priv->working
         && mamori_session_get_state (priv->session) == MAMORI_SESSION_STATE_UNLOCKED
         && !mamori_session_get_busy (priv->session);
}

void
mamori_staff_dialog_show_error (MamoriStaffDialog *self, const char *message)
{
  MamoriStaffDialogPrivate *priv = mamori_staff_dialog_get_instance_private (self);

  g_return_if_fail (MAMORI_IS_STAFF_DIALOG (self));

  if (message != NULL)
    gtk_label_set_label (priv->error_label, message);
  gtk_revealer_set_reveal_child (priv->error_revealer, message != NULL);
}

void
mamori_staff_present_window (GtkWindow *window, GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GApplication *application = g_application_get_default ();

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (window, GTK_WINDOW (root));
  gtk_window_set_modal (window, TRUE);
  gtk_window_set_destroy_with_parent (window, TRUE);
  if (GTK_IS_APPLICATION (application))
    gtk_window_set_application (window, GTK_APPLICATION (application));
  gtk_window_present (window);
}
