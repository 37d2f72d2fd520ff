/* mamori-takeout-grant-form.c — grants a blanket approval, or approves a request with one
 *
 * The levels offered are those the unlocked user may approve (the fold refuses a grant
 * beyond them); the people, everyone on the roster but the user (nobody grants to
 * themselves).  The date defaults to the end of the school year (31 March).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-date-row.h"
#include "mamori-level.h"
#include "mamori-roster.h"
#include "mamori-takeout-grant-form.h"

struct _MamoriTakeoutGrantForm
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkRevealer *problem_revealer;
  GtkLabel *problem_label;
  AdwPreferencesGroup *group;
  GtkButton *grant_button;
  AdwComboRow *grantee_row;
  AdwComboRow *level_row;
  MamoriDateRow *until_row;
  GtkLabel *until_label;
  AdwPasswordEntryRow *passphrase_row;

  /* Owned references */
  MamoriSession *session;
  MamoriVault *vault;
  gboolean working;     /* the grant is being signed */
  char *request;        /* the request approved with the grant, or NULL */
  GPtrArray *grantees;  /* staff ids, MAMORI_TAKEOUT_GRANTEE_ALL first, as the row lists */
  GPtrArray *level_ids; /* as the level row lists them */
  /* What the rows offer is read from the roster once no job of the session has the vault
   * (mamori-session-free.c): the form may open while a sync round has it. */
  MamoriPolicy *policy;
  char *wanted_grantee;
  char *wanted_level;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutGrantForm, mamori_takeout_grant_form, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_GRANTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The last day of the school year (31 March) that is still ahead. */
static char *
end_of_school_year (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  int year = g_date_time_get_year (now) + (g_date_time_get_month (now) >= 4 ? 1 : 0);

  return g_strdup_printf ("%04d-03-31", year);
}

static gboolean
date_is_acceptable (MamoriTakeoutGrantForm *self)
{
  const char *until = gtk_editable_get_text (GTK_EDITABLE (self->until_row));
  g_autofree char *today = mamori_takeout_today ();

  return mamori_takeout_date_is_valid (until) && g_strcmp0 (until, today) >= 0;
}

static void
update_action (MamoriTakeoutGrantForm *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grant.grant",
                                 !self->working && self->level_ids->len > 0
                                     && date_is_acceptable (self) && passphrase[0] != '\0');
}

static void
show_problem (MamoriTakeoutGrantForm *self, const char *problem)
{
  if (problem != NULL)
    gtk_label_set_label (self->problem_label, problem);
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
}

static void
set_working (MamoriTakeoutGrantForm *self, gboolean working)
{
  self->working = working;
  gtk_widget_set_sensitive (GTK_WIDGET (self->group), !working);
  update_action (self);
}

static void
granted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriTakeoutGrantForm) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id
      = mamori_session_grant_takeout_finish (MAMORI_SESSION (source), result, &error);

  set_working (self, FALSE);
  if (id != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_GRANTED], 0, id);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE))
    {
      show_problem (self, _ ("That passphrase is not right. Nothing was signed: type it again."));
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }
  show_problem (self, error->message);
}

static void
passphrase_changed_cb (MamoriTakeoutGrantForm *self)
{
  update_action (self);
}

static void
passphrase_activated_cb (MamoriTakeoutGrantForm *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "grant.grant", NULL);
}

static void
until_changed_cb (MamoriTakeoutGrantForm *self)
{
  const char *until = gtk_editable_get_text (GTK_EDITABLE (self->until_row));
  g_autofree char *today = mamori_takeout_today ();
  const char *problem = NULL;

  if (!mamori_takeout_date_is_valid (until))
    problem = _ ("Write the date as YYYY-MM-DD, for example 2027-03-31.");
  else if (g_strcmp0 (until, today) < 0)
    problem = _ ("The date has passed.");
  gtk_label_set_label (self->until_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->until_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->until_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->until_row), "error");
  update_action (self);
}

/* No job of the session has the vault now: the grant's own job starts, first. */
static void
vault_free_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  g_autoptr (MamoriTakeoutGrantForm) self = user_data;
  guint grantee = adw_combo_row_get_selected (self->grantee_row);
  guint level = adw_combo_row_get_selected (self->level_row);
  const char *until = gtk_editable_get_text (GTK_EDITABLE (self->until_row));
  char *passphrase;

  if (error != NULL)
    {
      set_working (self, FALSE);
      show_problem (self, error->message);
      return;
    }
  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  mamori_session_grant_takeout_async (session, self->request,
                                      g_ptr_array_index (self->grantees, grantee),
                                      g_ptr_array_index (self->level_ids, level), until, passphrase,
                                      NULL, granted_cb, g_object_ref (self));
}

/* Signed with the key the passphrase unwraps again, in a session job (the key derivation
 * takes about a second), once no other job has the vault (a sync round may, at any
 * moment): the form stays open and working until it is done, and says so if the
 * passphrase is not right. */
static void
grant_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriTakeoutGrantForm *self = MAMORI_TAKEOUT_GRANT_FORM (widget);

  if (self->working || adw_combo_row_get_selected (self->grantee_row) >= self->grantees->len
      || adw_combo_row_get_selected (self->level_row) >= self->level_ids->len)
    return;
  show_problem (self, NULL);
  set_working (self, TRUE);
  /* Without a cancellable it is called once, whatever happens: it holds the form. */
  mamori_session_when_free (self->session, NULL, vault_free_cb, g_object_ref (self));
}

/* Fills the choices; selects @grantee and @level when offered. */
static void
fill (MamoriTakeoutGrantForm *self, MamoriPolicy *policy, const char *grantee, const char *level)
{
  MamoriDb *db = mamori_vault_get_store (self->vault);
  g_autoptr (MamoriStaff) me
      = mamori_roster_find_by_name (db, mamori_vault_get_user (self->vault), NULL);
  g_autoptr (GPtrArray) staff = mamori_roster_list (db, FALSE, NULL);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) levels = gtk_string_list_new (NULL);
  GListModel *policy_levels = mamori_policy_get_levels (policy);

  g_ptr_array_add (self->grantees, g_strdup (MAMORI_TAKEOUT_GRANTEE_ALL));
  gtk_string_list_append (names, _ ("All Staff"));
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      const MamoriStaff *member = g_ptr_array_index (staff, i);

      if (me != NULL && g_str_equal (member->id, me->id))
        continue;
      g_ptr_array_add (self->grantees, g_strdup (member->id));
      gtk_string_list_append (names, member->name);
    }
  for (guint i = 0; i < g_list_model_get_n_items (policy_levels); i++)
    {
      g_autoptr (MamoriLevel) each = g_list_model_get_item (policy_levels, i);

      if (me == NULL || !mamori_takeout_level_can_approve (each, me->role))
        continue;
      g_ptr_array_add (self->level_ids, g_strdup (mamori_level_get_id (each)));
      gtk_string_list_append (levels, mamori_level_get_label (each));
    }
  /* The models are set before the choices are selected: a new model resets them. */
  adw_combo_row_set_model (self->grantee_row, G_LIST_MODEL (names));
  adw_combo_row_set_model (self->level_row, G_LIST_MODEL (levels));
  for (guint i = 0; i < self->grantees->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->grantees, i), grantee) == 0)
      adw_combo_row_set_selected (self->grantee_row, i);
  /* The least sensitive level by default, unless one is asked for. */
  if (self->level_ids->len > 0)
    adw_combo_row_set_selected (self->level_row, self->level_ids->len - 1);
  for (guint i = 0; i < self->level_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->level_ids, i), level) == 0)
      adw_combo_row_set_selected (self->level_row, i);
}

/* No job of the session has the vault: the roster is read, and the choices offered. */
static void
fill_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriTakeoutGrantForm *self = user_data;

  if (free_error != NULL)
    {
      show_problem (self, free_error->message);
      return;
    }
  fill (self, self->policy, self->wanted_grantee, self->wanted_level);
  update_action (self);
}

static void
mamori_takeout_grant_form_dispose (GObject *object)
{
  MamoriTakeoutGrantForm *self = MAMORI_TAKEOUT_GRANT_FORM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->wanted_grantee, g_free);
  g_clear_pointer (&self->wanted_level, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_TAKEOUT_GRANT_FORM);
  g_clear_object (&self->vault);
  g_clear_object (&self->session);
  g_clear_pointer (&self->request, g_free);
  g_clear_pointer (&self->grantees, g_ptr_array_unref);
  g_clear_pointer (&self->level_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (mamori_takeout_grant_form_parent_class)->dispose (object);
}

static void
mamori_takeout_grant_form_class_init (MamoriTakeoutGrantFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_takeout_grant_form_dispose;

  signals[SIGNAL_GRANTED] = g_signal_new ("granted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MAMORI_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-grant-form.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, group);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, grant_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, grantee_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, level_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, until_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, until_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutGrantForm, passphrase_row);
  gtk_widget_class_bind_template_callback (widget_class, until_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activated_cb);

  gtk_widget_class_install_action (widget_class, "grant.grant", NULL, grant_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_takeout_grant_form_init (MamoriTakeoutGrantForm *self)
{
  self->grantees = g_ptr_array_new_with_free_func (g_free);
  self->level_ids = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

MamoriTakeoutGrantForm *
mamori_takeout_grant_form_new (MamoriSession *session,
                               MamoriPolicy *policy,
                               const MamoriTakeoutRequest *request)
{
  MamoriTakeoutGrantForm *self;
  g_autofree char *until = end_of_school_year ();

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_VAULT (mamori_session_get_vault (session)), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_TAKEOUT_GRANT_FORM, NULL);
  self->session = g_object_ref (session);
  self->vault = g_object_ref (mamori_session_get_vault (session));
  self->policy = g_object_ref (policy);
  self->wanted_grantee = g_strdup (request != NULL ? request->requester : NULL);
  self->wanted_level = g_strdup (request != NULL ? request->level : NULL);
  if (request != NULL)
    {
      g_autofree char *items = mamori_takeout_items_describe (request);
      g_autofree char *title
          = g_strdup_printf (_ ("Approve %s’s Request"), request->requester_name);
      g_autofree char *description = g_strdup_printf (
          _ ("%s. Later requests up to the level, until the date, are approved as they are "
             "filed; you can revoke the blanket approval at any time."),
          items);

      self->request = g_strdup (request->id);
      gtk_window_set_title (GTK_WINDOW (self), _ ("Approve with a Blanket Approval"));
      adw_preferences_group_set_title (self->group, title);
      adw_preferences_group_set_description (self->group, description);
      gtk_button_set_label (self->grant_button, _ ("_Approve and Grant"));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), until);
  mamori_session_when_free (session, self->cancellable, fill_free_cb, self);
  return self;
}
