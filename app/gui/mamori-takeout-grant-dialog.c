/* mamori-takeout-grant-dialog.c — 包括承認: the blanket approvals in force
 *
 * Whether the user approves anything decides what is offered: an approver (someone whose
 * role may approve a level of the policy) sees every grant in force, with "grants.new"
 * and a revoke button on each; anyone else the grants for them or for all staff.  The
 * fold decides whether a grant or a revocation stands (the grantor, or an approver of its
 * level, may revoke); what it refuses is shown above the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-roster.h"
#include "mamori-takeout-grant-dialog.h"
#include "mamori-takeout-grant-form.h"
#include "mamori-takeout.h"

struct _MamoriTakeoutGrantDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkRevealer *problem_revealer;
  GtkLabel *problem_label;
  AdwPreferencesGroup *group;
  GtkListBox *grants_list;
  GtkWidget *new_button;

  /* Owned references */
  MamoriSession *session;
  MamoriVault *vault;
  MamoriPolicy *policy;
  MamoriStaff *me;
  GPtrArray *grants; /* MamoriTakeoutGrant: those in force, read with the rows */
  char *revoking;    /* the grant revoked when the vault is free */
  GCancellable *cancellable;
  gboolean approver;
  gboolean reload_pending;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutGrantDialog, mamori_takeout_grant_dialog, ADW_TYPE_WINDOW)

static void
say_problem (MamoriTakeoutGrantDialog *self, const char *problem)
{
  if (problem != NULL)
    gtk_label_set_label (self->problem_label, problem);
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
}

static const char *
grantee_name (const MamoriTakeoutGrant *grant)
{
  if (g_str_equal (grant->grantee, MAMORI_TAKEOUT_GRANTEE_ALL))
    return _ ("All Staff");
  return grant->grantee_name != NULL ? grant->grantee_name : grant->grantee;
}

static const char *
level_label (MamoriTakeoutGrantDialog *self, const char *id)
{
  MamoriLevel *level = mamori_policy_lookup_level (self->policy, id);

  return level != NULL ? mamori_level_get_label (level) : id;
}

static GtkWidget *
grant_row (MamoriTakeoutGrantDialog *self, const MamoriTakeoutGrant *grant)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_strdup_printf (
      _ ("Up to %s, until %s, granted by %s"), level_label (self, grant->max_level),
      grant->date_until,
      grant->granted_by_name != NULL ? grant->granted_by_name : grant->granted_by);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), grantee_name (grant));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (self->approver)
    {
      GtkWidget *revoke = gtk_button_new_with_mnemonic (_ ("_Revoke…"));

      gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (revoke), "grants.revoke");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (revoke), "s", grant->id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke);
    }
  g_object_set_data_full (G_OBJECT (row), "grant", g_strdup (grant->id), g_free);
  return row;
}

/* Whether @role may approve take-outs at some level of @policy. */
static gboolean
approves_anything (MamoriPolicy *policy, MamoriRole role)
{
  GListModel *levels = mamori_policy_get_levels (policy);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      if (mamori_takeout_level_can_approve (level, role))
        return TRUE;
    }
  return FALSE;
}

/* No job of the session has the vault: the user and the grants are read now. */
static void
reload_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutGrantDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *today = mamori_takeout_today ();
  GtkWidget *child;
  guint shown = 0;

  self->reload_pending = FALSE;
  if (free_error != NULL)
    {
      say_problem (self, free_error->message);
      return;
    }
  g_clear_pointer (&self->me, mamori_staff_free);
  self->me = mamori_roster_find_by_name (mamori_vault_get_store (self->vault),
                                         mamori_vault_get_user (self->vault), NULL);
  self->approver = self->me != NULL && approves_anything (self->policy, self->me->role);
  gtk_widget_set_visible (self->new_button, self->approver);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grants.new", self->approver);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grants_list))) != NULL)
    gtk_list_box_remove (self->grants_list, child);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  self->grants = mamori_takeout_list_grants (mamori_vault_get_store (self->vault), FALSE, &error);
  if (self->grants == NULL)
    {
      say_problem (self, error->message);
      return;
    }
  for (guint i = 0; i < self->grants->len; i++)
    {
      const MamoriTakeoutGrant *grant = g_ptr_array_index (self->grants, i);

      if (!mamori_takeout_grant_is_valid (grant, today)
          || (!self->approver
              && !mamori_takeout_grant_is_for (grant, self->me != NULL ? self->me->id : NULL)))
        continue;
      gtk_list_box_append (self->grants_list, grant_row (self, grant));
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->grants_list), shown > 0);
  if (shown == 0)
    adw_preferences_group_set_description (self->group,
                                           self->approver ? _ ("No blanket approval is in force.")
                                                          : _ ("No blanket approval covers you."));
  else
    adw_preferences_group_set_description (
        self->group, self->approver
                         ? _ ("Requests up to the level, until the date, are approved as they "
                              "are filed.")
                         : _ ("Your requests up to the level, until the date, are approved as "
                              "they are filed."));
}

/* Read once no job of the session has the vault (a sync round may, as the dialog opens or
 * a grant is made); the list stays as it is meanwhile. */
void
mamori_takeout_grant_dialog_reload (MamoriTakeoutGrantDialog *self)
{
  g_return_if_fail (MAMORI_IS_TAKEOUT_GRANT_DIALOG (self));

  if (self->reload_pending)
    return;
  self->reload_pending = TRUE;
  mamori_session_when_free (self->session, self->cancellable, reload_free_cb, self);
}

static void
granted_cb (MamoriTakeoutGrantDialog *self)
{
  say_problem (self, NULL);
  mamori_takeout_grant_dialog_reload (self);
}

static void
new_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutGrantDialog *self = MAMORI_TAKEOUT_GRANT_DIALOG (widget);
  MamoriTakeoutGrantForm *form = mamori_takeout_grant_form_new (self->session, self->policy, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (self));
  g_signal_connect_object (form, "granted", G_CALLBACK (granted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (form));
}

static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutGrantDialog *self = user_data;
  g_autofree char *id = g_steal_pointer (&self->revoking);
  g_autoptr (GError) error = NULL;

  if (free_error != NULL)
    say_problem (self, free_error->message);
  else if (!mamori_takeout_revoke (self->vault, id, &error))
    say_problem (self, error->message);
  else
    say_problem (self, NULL);
  mamori_takeout_grant_dialog_reload (self);
}

/* Revoked as soon as no job of the session has the vault (a sync round may). */
static void
revoke_response_cb (AdwMessageDialog *dialog, const char *response, MamoriTakeoutGrantDialog *self)
{
  if (!g_str_equal (response, "revoke") || self->revoking != NULL)
    return;
  self->revoking = g_strdup (g_object_get_data (G_OBJECT (dialog), "grant"));
  mamori_session_when_free (self->session, self->cancellable, vault_free_cb, self);
}

static void
revoke_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutGrantDialog *self = MAMORI_TAKEOUT_GRANT_DIALOG (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* The grants read with the rows: the vault may be a job's now. */
  for (guint i = 0; self->grants != NULL && i < self->grants->len && body == NULL; i++)
    {
      const MamoriTakeoutGrant *grant = g_ptr_array_index (self->grants, i);

      if (g_str_equal (grant->id, id))
        body = g_strdup_printf (_ ("The blanket approval for %s, up to %s, ends now. Their "
                                   "requests filed from now on need approval again."),
                                grantee_name (grant), level_label (self, grant->max_level));
    }
  if (body == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_WINDOW (self), _ ("Revoke the Blanket Approval?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "revoke", _ ("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "grant", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
mamori_takeout_grant_dialog_dispose (GObject *object)
{
  MamoriTakeoutGrantDialog *self = MAMORI_TAKEOUT_GRANT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->revoking, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_GRANT_DIALOG);
  g_clear_object (&self->vault);
  g_clear_object (&self->session);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->me, mamori_staff_free);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  G_OBJECT_CLASS (mamori_takeout_grant_dialog_parent_class)->dispose (object);
}

static void
mamori_takeout_grant_dialog_class_init (MamoriTakeoutGrantDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_takeout_grant_dialog_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-grant-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantDialog, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantDialog, group);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantDialog, grants_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantDialog, new_button);

  gtk_widget_class_install_action (widget_class, "grants.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "grants.revoke", "s", revoke_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_takeout_grant_dialog_init (MamoriTakeoutGrantDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

MamoriTakeoutGrantDialog *
mamori_takeout_grant_dialog_new (MamoriSession *session, MamoriPolicy *policy)
{
  MamoriTakeoutGrantDialog *self;
  MamoriVault *vault;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_VAULT (mamori_session_get_vault (session)), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  vault = mamori_session_get_vault (session);
  self = g_object_new (MAMORI_TYPE_TAKEOUT_GRANT_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->vault = g_object_ref (vault);
  self->policy = g_object_ref (policy);
  /* Offered once the user is read with the grants. */
  gtk_widget_set_visible (self->new_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grants.new", FALSE);
  mamori_takeout_grant_dialog_reload (self);
  return self;
}
