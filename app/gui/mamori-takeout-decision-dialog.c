/* mamori-takeout-decision-dialog.c — a take-out decision, signed with the passphrase
 * asked again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-takeout-decision-dialog.h"

struct _MamoriTakeoutDecisionDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkButton *decide_button;
  GtkSpinner *spinner;
  GtkLabel *summary_label;
  AdwEntryRow *reason_row;
  AdwPasswordEntryRow *passphrase_row;
  GtkLabel *error_label;

  MamoriSession *session;
  MamoriTakeoutDecision decision;
  char *request_id;
  gboolean working;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutDecisionDialog, mamori_takeout_decision_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0';
}

static void
update_action (MamoriTakeoutDecisionDialog *self)
{
  gboolean ready = !self->working && has_text (GTK_EDITABLE (self->passphrase_row))
                   && (self->decision != MAMORI_TAKEOUT_DECISION_REJECT
                       || has_text (GTK_EDITABLE (self->reason_row)));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.decide", ready);
}

static void
show_error (MamoriTakeoutDecisionDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_working (MamoriTakeoutDecisionDialog *self, gboolean working)
{
  self->working = working;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
  gtk_spinner_set_spinning (self->spinner, working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_row), !working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !working);
  update_action (self);
}

static void
decided_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriTakeoutDecisionDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  set_working (self, FALSE);
  if (mamori_session_decide_takeout_finish (MAMORI_SESSION (source), result, &error))
    {
      g_signal_emit (self, signals[SIGNAL_DECIDED], 0);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE))
    {
      show_error (self, _ ("That passphrase is not right. Nothing was signed: type it again."));
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      return;
    }
  show_error (self, error->message);
}

/* No job of the session has the vault now: the decision's own job starts, first. */
static void
vault_free_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  g_autoptr (MamoriTakeoutDecisionDialog) self = user_data;
  g_autofree char *reason = NULL;
  char *passphrase;

  if (error != NULL)
    {
      set_working (self, FALSE);
      show_error (self, error->message);
      return;
    }
  if (self->decision == MAMORI_TAKEOUT_DECISION_REJECT)
    reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  mamori_session_decide_takeout_async (session, self->decision, self->request_id, reason,
                                       passphrase, NULL, decided_cb, g_object_ref (self));
}

/* While a job has the vault (a sync round may, at any moment), the decision waits for it,
 * the dialog working meanwhile. */
static void
decide_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutDecisionDialog *self = MAMORI_TAKEOUT_DECISION_DIALOG (widget);

  if (self->working)
    return;
  show_error (self, NULL);
  set_working (self, TRUE);
  /* Without a cancellable it is called once, whatever happens: it holds the dialog. */
  mamori_session_when_free (self->session, NULL, vault_free_cb, g_object_ref (self));
}

static void
entries_changed_cb (MamoriTakeoutDecisionDialog *self)
{
  update_action (self);
}

static void
passphrase_activated_cb (MamoriTakeoutDecisionDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "decision.decide", NULL);
}

/* The dialog stays while the decision is being signed: it reports what came of it. */
static gboolean
mamori_takeout_decision_dialog_close_request (GtkWindow *window)
{
  return MAMORI_TAKEOUT_DECISION_DIALOG (window)->working;
}

static void
mamori_takeout_decision_dialog_dispose (GObject *object)
{
  MamoriTakeoutDecisionDialog *self = MAMORI_TAKEOUT_DECISION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mamori_takeout_decision_dialog_parent_class)->dispose (object);
}

static void
mamori_takeout_decision_dialog_finalize (GObject *object)
{
  MamoriTakeoutDecisionDialog *self = MAMORI_TAKEOUT_DECISION_DIALOG (object);

  g_free (self->request_id);
  G_OBJECT_CLASS (mamori_takeout_decision_dialog_parent_class)->finalize (object);
}

static void
mamori_takeout_decision_dialog_class_init (MamoriTakeoutDecisionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mamori_takeout_decision_dialog_dispose;
  object_class->finalize = mamori_takeout_decision_dialog_finalize;
  window_class->close_request = mamori_takeout_decision_dialog_close_request;

  /* The decision was signed. */
  signals[SIGNAL_DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-decision-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, decide_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutDecisionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, entries_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);
  gtk_widget_class_install_action (widget_class, "decision.decide", NULL, decide_activated);
}

static void
mamori_takeout_decision_dialog_init (MamoriTakeoutDecisionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MamoriTakeoutDecisionDialog *
mamori_takeout_decision_dialog_new (MamoriSession *session,
                                    MamoriTakeoutDecision decision,
                                    const MamoriTakeoutRequest *request)
{
  MamoriTakeoutDecisionDialog *self;
  g_autofree char *items = NULL;
  g_autofree char *summary = NULL;
  const char *title, *button;
  guint step;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->decision = decision;
  self->request_id = g_strdup (request->id);
  step = g_strv_length (request->steps) + 1;
  switch (decision)
    {
    case MAMORI_TAKEOUT_DECISION_APPROVE:
      title = step < request->n_steps ? _ ("Sign the Review?") : _ ("Approve the Request?");
      button = step < request->n_steps ? _ ("_Sign Review") : _ ("_Approve");
      gtk_widget_add_css_class (GTK_WIDGET (self->decide_button), "suggested-action");
      break;
    case MAMORI_TAKEOUT_DECISION_REJECT:
      title = _ ("Decline the Request?");
      button = _ ("_Decline");
      gtk_widget_add_css_class (GTK_WIDGET (self->decide_button), "destructive-action");
      gtk_widget_set_visible (GTK_WIDGET (self->reason_row), TRUE);
      break;
    case MAMORI_TAKEOUT_DECISION_CONFIRM_RETURN:
    default:
      title = _ ("Confirm the Return?");
      button = _ ("_Confirm Return");
      gtk_widget_add_css_class (GTK_WIDGET (self->decide_button), "suggested-action");
      break;
    }
  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (self->decide_button, button);
  items = mamori_takeout_items_describe (request);
  if (decision == MAMORI_TAKEOUT_DECISION_APPROVE && request->n_steps > 1)
    /* Translators: the items, who asked, then which step of the approval this is. */
    summary = g_strdup_printf (_ ("%s (%s). Step %u of %u of the approval."), items,
                               request->requester_name != NULL ? request->requester_name : "", step,
                               request->n_steps);
  else
    /* Translators: the items, then who asked. */
    summary = g_strdup_printf (_ ("%s (%s)."), items,
                               request->requester_name != NULL ? request->requester_name : "");
  gtk_label_set_label (self->summary_label, summary);
  update_action (self);
  return self;
}
