/* mamori-recovery-code-page.c — a recovery code, shown once, with a print button
 *
 * The code comes from the session, which holds it in secure memory from the vault's
 * creation (or from the making of a new code) until "recovery.continue" (or a lock) makes it forget
 * it; the window then removes this page.  The label is the only other copy, and goes with the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-recovery-code-page.h"
#include "mamori-recovery-sheet.h"

struct _MamoriRecoveryCodePage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkLabel *intro_label;
  GtkLabel *code_label;
  GtkWidget *continue_button;

  /* Owned references */
  MamoriSession *session;
};

G_DEFINE_FINAL_TYPE (MamoriRecoveryCodePage, mamori_recovery_code_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
mamori_recovery_code_page_get_school (MamoriRecoveryCodePage *self)
{
  return mamori_vault_get_school (mamori_session_get_vault (self->session));
}

static void
print_done_cb (MamoriRecoveryCodePage *self,
               GtkPrintOperationResult result,
               GtkPrintOperation *operation)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  message = g_strdup_printf (_ ("Could not print: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
mamori_recovery_code_page_print_action (GtkWidget *widget,
                                        const char *action_name,
                                        GVariant *parameter)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (widget);
  const char *recovery_code = mamori_session_get_recovery_code (self->session);
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autoptr (GError) error = NULL;
  GtkPrintOperationResult result;

  if (recovery_code == NULL)
    return;

  operation
      = mamori_recovery_sheet_new (mamori_recovery_code_page_get_school (self), recovery_code);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, G_CONNECT_SWAPPED);

  /* GTK keeps the operation alive until "done". */
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (gtk_widget_get_root (widget)), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = g_strdup_printf (_ ("Could not print: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
}

static void
mamori_recovery_code_page_continue_action (GtkWidget *widget,
                                           const char *action_name,
                                           GVariant *parameter)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (widget);

  gtk_label_set_label (self->code_label, "");
  mamori_session_forget_recovery_code (self->session);
}

static gboolean
mamori_recovery_code_page_grab_focus (GtkWidget *widget)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (widget);

  return gtk_widget_grab_focus (self->continue_button);
}

static void
mamori_recovery_code_page_get_property (GObject *object,
                                        guint prop_id,
                                        GValue *value,
                                        GParamSpec *pspec)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (object);

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
mamori_recovery_code_page_set_property (GObject *object,
                                        guint prop_id,
                                        const GValue *value,
                                        GParamSpec *pspec)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_recovery_code_page_constructed (GObject *object)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (object);
  const char *recovery_code;
  g_autofree char *intro = NULL;
  g_autoptr (MamoriSecret) lines = NULL;

  G_OBJECT_CLASS (mamori_recovery_code_page_parent_class)->constructed (object);

  g_return_if_fail (MAMORI_IS_SESSION (self->session));
  recovery_code = mamori_session_get_recovery_code (self->session);
  g_return_if_fail (recovery_code != NULL);

  if (mamori_session_get_recovery_code_replaced (self->session))
    intro = g_strdup_printf (_ ("This is the new recovery code of %s; the old one no longer "
                                "works. If a passphrase is ever forgotten, this code is the only "
                                "way back in."),
                             mamori_recovery_code_page_get_school (self));
  else
    intro = g_strdup_printf (_ ("The vault of %s is ready. If a passphrase is ever forgotten, "
                                "this recovery code is the only way back in."),
                             mamori_recovery_code_page_get_school (self));
  gtk_label_set_label (self->intro_label, intro);

  lines = mamori_recovery_code_to_lines (recovery_code);
  gtk_label_set_label (self->code_label, lines);
}

static void
mamori_recovery_code_page_dispose (GObject *object)
{
  MamoriRecoveryCodePage *self = MAMORI_RECOVERY_CODE_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (mamori_recovery_code_page_parent_class)->dispose (object);
}

static void
mamori_recovery_code_page_class_init (MamoriRecoveryCodePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_recovery_code_page_get_property;
  object_class->set_property = mamori_recovery_code_page_set_property;
  object_class->constructed = mamori_recovery_code_page_constructed;
  object_class->dispose = mamori_recovery_code_page_dispose;

  widget_class->grab_focus = mamori_recovery_code_page_grab_focus;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-recovery-code-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRecoveryCodePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MamoriRecoveryCodePage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriRecoveryCodePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriRecoveryCodePage, continue_button);

  gtk_widget_class_install_action (widget_class, "recovery.print", NULL,
                                   mamori_recovery_code_page_print_action);
  gtk_widget_class_install_action (widget_class, "recovery.continue", NULL,
                                   mamori_recovery_code_page_continue_action);
}

static void
mamori_recovery_code_page_init (MamoriRecoveryCodePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_recovery_code_page_new (MamoriSession *session)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (mamori_session_get_recovery_code (session) != NULL, NULL);

  return g_object_new (MAMORI_TYPE_RECOVERY_CODE_PAGE, "session", session, NULL);
}
