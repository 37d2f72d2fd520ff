/* mamori-preferences-window.c — the school's policy, when the vault locks, and the staff
 *
 * The policy is the school's, stored in its vault: choosing a preset, or a board's own
 * policy file, puts it in force through the session for every user of the vault, and
 * only a principal, a vice-principal or the board may do it; for anyone else the rows
 * say so and cannot be changed.  When the register uses levels the new policy does not
 * have, a dialog asks where each level goes (mamori-level-mapping-dialog.c) and the
 * entries move with the policy.  The locking rows are this computer's settings
 * ("auto-lock-minutes", "lock-on-screen-lock").  The second page is the staff roster
 * (mamori-staff-page.c), whose toasts the window shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-mapping-dialog.h"
#include "mamori-policy.h"
#include "mamori-preferences-window.h"
#include "mamori-board-group.h"
#include "mamori-staff-page.h"

struct _MamoriPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwComboRow *scheme_row;
  AdwActionRow *policy_file_row;
  GtkSpinButton *auto_lock_button;
  GtkSwitch *screen_lock_switch;
  MamoriStaffPage *staff_page;
  MamoriBoardGroup *board_group;

  /* Owned references */
  GSettings *settings;
  MamoriSession *session;
  GListStore *presets; /* the built-in policies, then the vault's when it is none of them */
  guint n_presets;

  /* The selection is being set to match the session, not chosen. */
  gboolean syncing;
  MamoriPolicy *installing; /* put in force when the vault is free */
  char *installing_spec;    /* with the levels' mapping, or NULL */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MamoriPreferencesWindow,
                     mamori_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
policy_title_cb (MamoriPolicy *policy)
{
  return g_strdup (mamori_policy_get_title (policy));
}

static void
mamori_preferences_window_load_presets (MamoriPreferencesWindow *self)
{
  const char *const *ids = mamori_policy_list_presets ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (ids[i], &error);

      if (policy == NULL)
        g_warning ("The built-in policy “%s” does not load: %s", ids[i], error->message);
      else
        g_list_store_append (self->presets, policy);
    }
  self->n_presets = g_list_model_get_n_items (G_LIST_MODEL (self->presets));
}

/* Chooses the policy in force among the presets (a board's own is shown after them), and
 * says whether it may be changed. */
static void
mamori_preferences_window_sync_policy (MamoriPreferencesWindow *self)
{
  MamoriLookup *lookup = mamori_session_get_lookup (self->session);
  MamoriPolicy *current = lookup != NULL ? mamori_lookup_get_policy (lookup) : NULL;
  guint n, selected = GTK_INVALID_LIST_POSITION;
  gboolean may_change = mamori_session_can_change_policy (self->session);

  self->syncing = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->presets));
  g_list_store_splice (self->presets, self->n_presets, n - self->n_presets, NULL, 0);
  for (guint i = 0; current != NULL && i < self->n_presets; i++)
    {
      g_autoptr (MamoriPolicy) policy = g_list_model_get_item (G_LIST_MODEL (self->presets), i);

      if (g_strcmp0 (mamori_policy_get_id (policy), mamori_policy_get_id (current)) == 0)
        selected = i;
    }
  if (current != NULL && selected == GTK_INVALID_LIST_POSITION)
    {
      g_list_store_append (self->presets, current);
      selected = self->n_presets;
    }
  adw_combo_row_set_selected (self->scheme_row, selected);
  self->syncing = FALSE;

  /* The policy's title is long: as the subtitle it shows whole.  For those who may not
   * change it, the subtitle says who may, and the title shows shortened. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->scheme_row), may_change);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_file_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->policy_file_row), may_change);
  adw_combo_row_set_use_subtitle (self->scheme_row, may_change);
  if (!may_change)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scheme_row),
                                 _ ("Only the principal, the vice-principal or the board of "
                                    "education can change the school’s policy."));
}

static void
mamori_preferences_window_toast_error (MamoriPreferencesWindow *self, const GError *error)
{
  g_autofree char *message
      = g_strdup_printf (_ ("The policy could not be changed: %s"), error->message);
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
mamori_preferences_window_install (MamoriPreferencesWindow *self,
                                   MamoriPolicy *policy,
                                   const char *spec);

static void
mapping_dialog_response_cb (MamoriLevelMappingDialog *dialog,
                            const char *response,
                            MamoriPreferencesWindow *self)
{
  g_autofree char *spec = NULL;

  if (!g_str_equal (response, "install"))
    {
      mamori_preferences_window_sync_policy (self);
      return;
    }
  spec = mamori_level_mapping_dialog_get_spec (dialog);
  mamori_preferences_window_install (self, mamori_level_mapping_dialog_get_policy (dialog), spec);
}

/* No job of the session has the vault: the policy goes in now; when the register's levels
 * need somewhere to go (and no mapping was given), asks where. */
static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriPreferencesWindow *self = user_data;
  g_autoptr (MamoriPolicy) policy = g_steal_pointer (&self->installing);
  g_autofree char *spec = g_steal_pointer (&self->installing_spec);
  g_autoptr (GError) error = NULL;
  MamoriLookup *lookup = mamori_session_get_lookup (session);

  if (free_error != NULL)
    {
      mamori_preferences_window_toast_error (self, free_error);
      mamori_preferences_window_sync_policy (self);
      return;
    }
  if (mamori_session_set_policy (session, policy, spec, &error))
    {
      mamori_preferences_window_sync_policy (self);
      return;
    }
  if (spec == NULL && lookup != NULL
      && g_error_matches (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING))
    {
      MamoriLevelMappingDialog *dialog = mamori_level_mapping_dialog_new (
          GTK_WINDOW (self), mamori_lookup_get_policy (lookup), policy);

      g_signal_connect_object (dialog, "response", G_CALLBACK (mapping_dialog_response_cb), self,
                               0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  mamori_preferences_window_toast_error (self, error);
  mamori_preferences_window_sync_policy (self);
}

/* Puts @policy in force (with the levels' mapping @spec, or NULL) as soon as no job of
 * the session has the vault (a sync round may), the policy's rows insensitive meanwhile. */
static void
mamori_preferences_window_install (MamoriPreferencesWindow *self,
                                   MamoriPolicy *policy,
                                   const char *spec)
{
  if (self->installing != NULL)
    return;
  self->installing = g_object_ref (policy);
  self->installing_spec = g_strdup (spec);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scheme_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_file_row), FALSE);
  mamori_session_when_free (self->session, self->cancellable, vault_free_cb, self);
}

static void
scheme_row_selected_cb (MamoriPreferencesWindow *self)
{
  MamoriPolicy *policy = adw_combo_row_get_selected_item (self->scheme_row);
  MamoriLookup *lookup;

  if (self->syncing || policy == NULL || self->session == NULL)
    return;
  lookup = mamori_session_get_lookup (self->session);
  if (lookup != NULL
      && g_strcmp0 (mamori_policy_get_id (mamori_lookup_get_policy (lookup)),
                    mamori_policy_get_id (policy))
             == 0)
    return;
  mamori_preferences_window_install (self, policy, NULL);
}

static void
policy_file_chosen_cb (GtkNativeDialog *chooser, int response, MamoriPreferencesWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL)
    return;

  policy = mamori_policy_new_from_file (file, &error);
  if (policy == NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), _ ("Not a Policy Mamori Can Use"), NULL));

      adw_message_dialog_set_body (dialog, error->message);
      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  mamori_preferences_window_install (self, policy, NULL);
}

static void
install_policy_file_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  /* GTK 4.8 has no GtkFileDialog: the portal-aware native chooser. */
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Install a Policy File"), GTK_WINDOW (self),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));

  gtk_file_filter_set_name (filter, _ ("Policy files (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (policy_file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
session_lookup_changed_cb (MamoriPreferencesWindow *self)
{
  mamori_preferences_window_sync_policy (self);
}

static void
staff_page_add_toast_cb (MamoriPreferencesWindow *self, AdwToast *toast)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), g_object_ref (toast));
}

static void
session_state_changed_cb (MamoriPreferencesWindow *self)
{
  if (mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    gtk_window_close (GTK_WINDOW (self));
}

static void
mamori_preferences_window_get_property (GObject *object,
                                        guint prop_id,
                                        GValue *value,
                                        GParamSpec *pspec)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_preferences_window_set_property (GObject *object,
                                        guint prop_id,
                                        const GValue *value,
                                        GParamSpec *pspec)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_preferences_window_constructed (GObject *object)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (mamori_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (G_IS_SETTINGS (self->settings));
  g_return_if_fail (MAMORI_IS_SESSION (self->session));

  g_settings_bind (self->settings, "auto-lock-minutes", self->auto_lock_button, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lock-on-screen-lock", self->screen_lock_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  mamori_staff_page_set_session (self->staff_page, self->session);
  mamori_board_group_set_session (self->board_group, self->session);

  g_signal_connect_object (self->session, "notify::lookup", G_CALLBACK (session_lookup_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  mamori_preferences_window_sync_policy (self);
}

static void
mamori_preferences_window_dispose (GObject *object)
{
  MamoriPreferencesWindow *self = MAMORI_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->installing);
  g_clear_pointer (&self->installing_spec, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_object (&self->presets);

  G_OBJECT_CLASS (mamori_preferences_window_parent_class)->dispose (object);
}

static void
mamori_preferences_window_class_init (MamoriPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_preferences_window_get_property;
  object_class->set_property = mamori_preferences_window_set_property;
  object_class->constructed = mamori_preferences_window_constructed;
  object_class->dispose = mamori_preferences_window_dispose;

  properties[PROP_SETTINGS]
      = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_STAFF_PAGE);
  g_type_ensure (MAMORI_TYPE_BOARD_GROUP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, policy_file_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, auto_lock_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, screen_lock_switch);
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, staff_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriPreferencesWindow, board_group);
  gtk_widget_class_bind_template_callback (widget_class, scheme_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, staff_page_add_toast_cb);

  gtk_widget_class_install_action (widget_class, "preferences.install-policy-file", NULL,
                                   install_policy_file_action);
}

static void
mamori_preferences_window_init (MamoriPreferencesWindow *self)
{
  g_autoptr (GtkExpression) title = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->presets = g_list_store_new (MAMORI_TYPE_POLICY);
  mamori_preferences_window_load_presets (self);

  title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (policy_title_cb),
                                       NULL, NULL);
  self->syncing = TRUE;
  adw_combo_row_set_expression (self->scheme_row, title);
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (self->presets));
  self->syncing = FALSE;
}

MamoriPreferencesWindow *
mamori_preferences_window_new (GSettings *settings, MamoriSession *session)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);

  return g_object_new (MAMORI_TYPE_PREFERENCES_WINDOW, "settings", settings, "session", session,
                       NULL);
}
