/* mamori-staff-page-actions.c — the staff page's actions, and the dialogs that ask before
 * and tell after
 *
 *   staff.add                the add dialog (mamori-staff-add-dialog.c)
 *   staff.change-role NAME   a message dialog with the roles
 *   staff.remove NAME        a confirmation; then, for someone else, the offer to replace
 *                            the vault's key, since an old copy of the key file still
 *                            holds the person's slot
 *   staff.change-passphrase  the unlocked user's own (mamori-staff-passphrase-dialog.c)
 *   staff.rotate-key         a confirmation, then the new key, with a dialog that stays
 *                            while the database is encrypted again
 *
 * Each change goes through the session, in a thread.  The core decides: what it refuses
 * is told in a message dialog with its own words, and nothing has changed then.  What
 * was done is told in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-staff-add-dialog.h"
#include "mamori-staff-member.h"
#include "mamori-staff-page-private.h"
#include "mamori-staff-passphrase-dialog.h"
#include "mamori-staff-roles.h"

/* A change to one person, from the question to the answer. */
typedef struct
{
  MamoriStaffPage *page;
  char *name;
  MamoriRole role;          /* the current one, then the one asked for */
  AdwComboRow *role_row;    /* borrowed: the question's */
  AdwMessageDialog *dialog; /* borrowed: the question */
} StaffChange;

static StaffChange *
staff_change_new (MamoriStaffPage *page, const char *name, MamoriRole role)
{
  StaffChange *change = g_new0 (StaffChange, 1);

  change->page = g_object_ref (page);
  change->name = g_strdup (name);
  change->role = role;
  return change;
}

static void
staff_change_free (StaffChange *change)
{
  g_object_unref (change->page);
  g_free (change->name);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StaffChange, staff_change_free)

/* Frees the change a dialog's "response" handler carries, with the dialog. */
static void
staff_change_closure_notify (gpointer data, GClosure *closure)
{
  staff_change_free (data);
}

static gboolean
mamori_staff_page_is_gone (MamoriStaffPage *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static gboolean
mamori_staff_page_is_idle (MamoriStaffPage *self)
{
  return self->session != NULL
         && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED
         && !mamori_session_get_busy (self->session);
}

static MamoriStaffMember *
mamori_staff_page_find_member (MamoriStaffPage *self, const char *name)
{
  GListModel *staff = mamori_session_get_staff (self->session);

  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (staff, i);

      if (g_str_equal (mamori_staff_member_get_name (member), name))
        return g_steal_pointer (&member);
    }
  return NULL;
}

/* Tells what the core refused, in its words. */
static void
mamori_staff_page_tell (MamoriStaffPage *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  mamori_staff_present_window (GTK_WINDOW (dialog), GTK_WIDGET (self));
}

/* A question with "cancel" (@cancel_label) and @response (@label); a destructive answer
 * is not the default. */
static AdwMessageDialog *
mamori_staff_page_ask (const char *heading,
                       const char *body,
                       const char *cancel_label,
                       const char *response,
                       const char *label,
                       AdwResponseAppearance appearance)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", cancel_label, response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (
      dialog, appearance == ADW_RESPONSE_DESTRUCTIVE ? "cancel" : response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

/* --- staff.add, staff.change-passphrase ------------------------------------------------ */

static void
staff_added_cb (MamoriStaffPage *self, const char *name, MamoriRole role)
{
  /* Translators: 「鈴木 一郎 を 教職員 として追加しました」. */
  g_autofree char *message
      = g_strdup_printf (_ ("%s was added as %s"), name, mamori_role_get_label (role));

  _mamori_staff_page_toast (self, message);
}

void
_mamori_staff_page_add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (widget);
  MamoriStaffAddDialog *dialog;

  g_return_if_fail (mamori_staff_page_is_idle (self));

  dialog = mamori_staff_add_dialog_new (self->session);
  g_signal_connect_object (dialog, "added", G_CALLBACK (staff_added_cb), self, G_CONNECT_SWAPPED);
  mamori_staff_present_window (GTK_WINDOW (dialog), widget);
}

static void
passphrase_changed_cb (MamoriStaffPage *self)
{
  _mamori_staff_page_toast (self, _ ("Your passphrase was changed"));
}

void
_mamori_staff_page_change_passphrase_action (GtkWidget *widget,
                                             const char *action_name,
                                             GVariant *parameter)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (widget);
  MamoriStaffPassphraseDialog *dialog;

  g_return_if_fail (mamori_staff_page_is_idle (self));

  dialog = mamori_staff_passphrase_dialog_new (self->session);
  g_signal_connect_object (dialog, "passphrase-changed", G_CALLBACK (passphrase_changed_cb), self,
                           G_CONNECT_SWAPPED);
  mamori_staff_present_window (GTK_WINDOW (dialog), widget);
}

/* --- staff.change-role ----------------------------------------------------------------- */

static void
role_changed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StaffChange) change = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean changed;

  changed = mamori_session_set_staff_role_finish (MAMORI_SESSION (source), result, &error);
  if (mamori_staff_page_is_gone (change->page))
    return;

  if (!changed)
    {
      mamori_staff_page_tell (change->page, _ ("The Role Was Not Changed"), error->message);
      return;
    }

  /* Translators: 「鈴木 一郎 は 副校長・教頭 になりました」 */
  text = g_strdup_printf (_ ("%s is now %s"), change->name, mamori_role_get_label (change->role));
  _mamori_staff_page_toast (change->page, text);
}

static void
role_selected_cb (AdwComboRow *row, GParamSpec *pspec, StaffChange *change)
{
  adw_message_dialog_set_response_enabled (change->dialog, "change",
                                           mamori_staff_role_row_get_role (row) != change->role);
}

static void
change_role_response_cb (AdwMessageDialog *dialog, const char *response, StaffChange *change)
{
  MamoriRole role = mamori_staff_role_row_get_role (change->role_row);

  if (!g_str_equal (response, "change") || !mamori_staff_page_is_idle (change->page))
    return;

  mamori_session_set_staff_role_async (change->page->session, change->name, role,
                                       change->page->cancellable, role_changed_cb,
                                       staff_change_new (change->page, change->name, role));
}

void
_mamori_staff_page_change_role_action (GtkWidget *widget,
                                       const char *action_name,
                                       GVariant *parameter)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr (MamoriStaffMember) member = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  StaffChange *change;
  GtkWidget *list;
  GtkWidget *role_row;

  g_return_if_fail (mamori_staff_page_is_idle (self));

  member = mamori_staff_page_find_member (self, name);
  change = staff_change_new (
      self, name, member != NULL ? mamori_staff_member_get_role (member) : MAMORI_ROLE_TEACHER);

  body = g_strdup_printf (_ ("The role of %s decides what they may do in Mamori. Nobody can "
                             "change their own role."),
                          name);
  dialog = mamori_staff_page_ask (_ ("Change Role"), body, _ ("_Cancel"), "change", _ ("C_hange"),
                                  ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "change", FALSE);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  role_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role_row), _ ("Role"));
  mamori_staff_role_row_init (ADW_COMBO_ROW (role_row), change->role);
  gtk_list_box_append (GTK_LIST_BOX (list), role_row);
  adw_message_dialog_set_extra_child (dialog, list);

  change->role_row = ADW_COMBO_ROW (role_row);
  change->dialog = dialog;
  g_signal_connect (role_row, "notify::selected", G_CALLBACK (role_selected_cb), change);
  g_signal_connect_data (dialog, "response", G_CALLBACK (change_role_response_cb), change,
                         staff_change_closure_notify, 0);
  mamori_staff_present_window (GTK_WINDOW (dialog), widget);
}

/* --- staff.rotate-key ------------------------------------------------------------------ */

/* The rotation's progress dialog: the core's refusal replaces its text. */
typedef struct
{
  MamoriStaffPage *page;
  AdwMessageDialog *dialog; /* weak */
} Rotation;

static void
rotation_free (Rotation *rotation)
{
  g_clear_weak_pointer (&rotation->dialog);
  g_object_unref (rotation->page);
  g_free (rotation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rotation, rotation_free)

/* The database is being encrypted again: no closing half way (it cannot be stopped). */
static gboolean
rotation_close_request_cb (AdwMessageDialog *dialog)
{
  return !adw_message_dialog_get_response_enabled (dialog, "close");
}

static void
rotate_key_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Rotation) rotation = user_data;
  g_autoptr (GError) error = NULL;
  gboolean rotated;

  rotated = mamori_session_rotate_key_finish (MAMORI_SESSION (source), result, &error);
  if (mamori_staff_page_is_gone (rotation->page) || rotation->dialog == NULL)
    return;

  adw_message_dialog_set_response_enabled (rotation->dialog, "close", TRUE);
  if (rotated)
    {
      gtk_window_destroy (GTK_WINDOW (rotation->dialog));
      _mamori_staff_page_toast (rotation->page, _ ("The vault’s key was replaced"));
      return;
    }

  adw_message_dialog_set_heading (rotation->dialog, _ ("The Key Was Not Replaced"));
  adw_message_dialog_set_body (rotation->dialog, error->message);
  adw_message_dialog_set_extra_child (rotation->dialog, NULL);
}

static void
mamori_staff_page_rotate_key (MamoriStaffPage *self)
{
  AdwMessageDialog *dialog;
  Rotation *rotation;
  GtkWidget *spinner;

  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (NULL, _ ("Replacing the Vault’s Key…"),
                              _ ("The school’s records are being encrypted again with a new "
                                 "key. Keep Mamori open until it is done.")));
  adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
  adw_message_dialog_set_response_enabled (dialog, "close", FALSE);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Replacing the vault’s key"), -1);
  adw_message_dialog_set_extra_child (dialog, spinner);
  g_signal_connect (dialog, "close-request", G_CALLBACK (rotation_close_request_cb), NULL);
  mamori_staff_present_window (GTK_WINDOW (dialog), GTK_WIDGET (self));

  rotation = g_new0 (Rotation, 1);
  rotation->page = g_object_ref (self);
  g_set_weak_pointer (&rotation->dialog, dialog);
  mamori_session_rotate_key_async (self->session, self->cancellable, rotate_key_cb, rotation);
}

static void
rotate_response_cb (MamoriStaffPage *self, const char *response)
{
  if (g_str_equal (response, "rotate") && mamori_staff_page_is_idle (self))
    mamori_staff_page_rotate_key (self);
}

/* Asks whether to replace the key; after @removed was removed, as the second step. */
static void
mamori_staff_page_offer_rotation (MamoriStaffPage *self, const char *removed)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (removed != NULL)
    body = g_strdup_printf (
        _ ("An old copy of the key file still holds the vault’s key under %s’s passphrase. A "
           "new key makes such copies useless: the school’s records are encrypted again, which "
           "takes a moment. Any other Mamori that has this vault open must be closed first."),
        removed);
  else
    body = g_strdup (_ ("Old copies of the key file, with the slots of people removed since or "
                        "their old passphrases, become useless: the school’s records are "
                        "encrypted again, which takes a moment. Any other Mamori that has this "
                        "vault open must be closed first."));
  dialog = mamori_staff_page_ask (
      _ ("Replace the Vault’s Key?"), body, removed != NULL ? _ ("_Later") : _ ("_Cancel"),
      "rotate", removed != NULL ? _ ("_Replace the Key Now") : _ ("_Replace the Key"),
      ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rotate_response_cb), self,
                           G_CONNECT_SWAPPED);
  mamori_staff_present_window (GTK_WINDOW (dialog), GTK_WIDGET (self));
}

void
_mamori_staff_page_rotate_key_action (GtkWidget *widget,
                                      const char *action_name,
                                      GVariant *parameter)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (widget);

  g_return_if_fail (mamori_staff_page_is_idle (self));

  mamori_staff_page_offer_rotation (self, NULL);
}

/* --- staff.remove ---------------------------------------------------------------------- */

static void
removed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StaffChange) change = user_data;
  MamoriStaffPage *self = change->page;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean removed;

  removed = mamori_session_remove_staff_finish (MAMORI_SESSION (source), result, &error);
  if (mamori_staff_page_is_gone (self))
    return;

  if (!removed)
    {
      mamori_staff_page_tell (self, _ ("The Person Was Not Removed"), error->message);
      return;
    }

  /* Whoever removed themselves is locked out, and the preferences close. */
  if (mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    return;

  text = g_strdup_printf (_ ("%s was removed from the staff"), change->name);
  _mamori_staff_page_toast (self, text);
  mamori_staff_page_offer_rotation (self, change->name);
}

static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, StaffChange *change)
{
  if (!g_str_equal (response, "remove") || !mamori_staff_page_is_idle (change->page))
    return;

  mamori_session_remove_staff_async (change->page->session, change->name, change->page->cancellable,
                                     removed_cb,
                                     staff_change_new (change->page, change->name, change->role));
}

void
_mamori_staff_page_remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  const char *user = mamori_vault_get_user (mamori_session_get_vault (self->session));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (mamori_staff_page_is_idle (self));

  if (g_strcmp0 (name, user) == 0)
    body = g_strdup (_ ("You will no longer be able to open the vault, and nothing you sign is "
                        "accepted any more. Mamori locks as soon as you are removed."));
  else
    body = g_strdup_printf (_ ("%s will no longer be able to open the vault, and nothing they "
                               "sign is accepted any more; what they recorded stays. Afterwards, "
                               "replace the vault’s key so that old copies of the key file "
                               "with their slot are useless too."),
                            name);
  dialog = mamori_staff_page_ask (_ ("Remove From the Staff?"), body, _ ("_Cancel"), "remove",
                                  _ ("_Remove"), ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         staff_change_new (self, name, MAMORI_ROLE_TEACHER),
                         staff_change_closure_notify, 0);
  mamori_staff_present_window (GTK_WINDOW (dialog), widget);
}
