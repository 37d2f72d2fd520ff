/* test-gui-staff.c — the staff page of the preferences: the roster, adding, changing a
 * role, removing, a new vault key, one's own passphrase, and the core's refusals
 *
 * The roster's rules are the core's and are tested there (tests/vault/test-roster.c);
 * these tests drive the page as a user would — its actions, its dialogs, their answers —
 * and check what the page offers, what it shows, and that what it did is in the vault.
 * Each test has its own vault in a temporary directory; key derivation is fast here
 * (MAMORI_KDF_TEST_FAST=1) but still runs in the session's thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mamori-preferences-window.h"
#include "mamori-staff-add-dialog.h"
#include "mamori-staff-member.h"
#include "mamori-staff-page.h"
#include "mamori-staff-passphrase-dialog.h"
#include "mamori-staff-row.h"
#include "mamori-test-util.h"
#include "mamori-unlock-page.h"

#define NEW_PASSPHRASE "sakura-no-kagi-7391"

static const MamoriTestUser yamada
    = { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" };
static const MamoriTestUser tanaka = { "田中 健", MAMORI_ROLE_PRINCIPAL, "ken-passphrase-3" };
static const MamoriTestUser suzuki = { "鈴木 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-2" };

typedef struct
{
  char *dir;
  char *path;
  MamoriSession *session;
  MamoriWindow *window;
  MamoriPreferencesWindow *preferences; /* weak: it closes itself when the vault locks */
  GtkWidget *page;
  GPtrArray *toasts; /* the titles of the page's toasts */
  guint changes;     /* emissions counted by count_cb (), which may come until the end */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = mamori_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "school.mamori", NULL);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->preferences != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->preferences));
  mamori_test_flush ();
  g_assert_null (fixture->preferences);
  if (fixture->window != NULL)
    {
      g_object_ref (fixture->window);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      mamori_test_flush ();
      g_assert_finalize_object (fixture->window);
    }
  if (fixture->session != NULL)
    g_assert_finalize_object (fixture->session);

  mamori_test_remove_dir (fixture->dir);
  g_ptr_array_unref (fixture->toasts);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Chooses @name on the unlock page and unlocks with @passphrase. */
static void
unlock_as (Fixture *fixture, const char *name, const char *passphrase)
{
  GtkWidget *root = GTK_WIDGET (fixture->window);
  MamoriUnlockPage *unlock_page;
  AdwComboRow *user_row;
  GListModel *users;

  mamori_test_wait_for_view (fixture->window, "unlock");
  unlock_page = MAMORI_UNLOCK_PAGE (mamori_test_find_widget (root, MAMORI_TYPE_UNLOCK_PAGE));
  user_row = ADW_COMBO_ROW (mamori_test_find_row (root, _ ("User")));
  users = adw_combo_row_get_model (user_row);
  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      adw_combo_row_set_selected (user_row, i);
      if (g_strcmp0 (mamori_unlock_page_get_user (unlock_page), name) == 0)
        break;
    }
  g_assert_cmpstr (mamori_unlock_page_get_user (unlock_page), ==, name);
  mamori_test_unlock (fixture->window, passphrase);
}

/* Whether the unlock page offers @name. */
static gboolean
unlock_page_offers (Fixture *fixture, const char *name)
{
  GListModel *users = adw_combo_row_get_model (
      ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (fixture->window), _ ("User"))));

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (users), i), name))
      return TRUE;
  return FALSE;
}

/* A window over a session on the vault, unlocked as @user. */
static void
fixture_open (Fixture *fixture, const MamoriTestUser *user)
{
  fixture->session = mamori_session_new (fixture->path);
  fixture->window = g_object_new (MAMORI_TYPE_WINDOW, "session", fixture->session, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mamori_test_flush ();
  unlock_as (fixture, user->name, user->passphrase);
  mamori_test_wait_for_view (fixture->window, "main");
}

static void
toast_cb (GtkWidget *page, AdwToast *toast, Fixture *fixture)
{
  g_ptr_array_add (fixture->toasts, g_strdup (adw_toast_get_title (toast)));
}

/* The preferences, on the staff page. */
static void
fixture_open_staff_page (Fixture *fixture)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.mamori.Mamori");

  fixture->preferences = mamori_preferences_window_new (settings, fixture->session);
  g_object_add_weak_pointer (G_OBJECT (fixture->preferences), (gpointer *)&fixture->preferences);
  gtk_window_set_transient_for (GTK_WINDOW (fixture->preferences), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (fixture->preferences));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->preferences),
                                                "staff");
  mamori_test_flush ();
  fixture->page
      = mamori_test_find_widget (GTK_WIDGET (fixture->preferences), MAMORI_TYPE_STAFF_PAGE);
  g_assert_nonnull (fixture->page);
  g_signal_connect (fixture->page, "add-toast", G_CALLBACK (toast_cb), fixture);
}

static void
activate (GtkWidget *widget, const char *action, const char *target)
{
  g_assert_true (gtk_widget_activate_action (widget, action, target != NULL ? "s" : NULL, target));
  mamori_test_flush ();
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* Gives @dialog's answer as a click would, and closes it. */
static void
answer (AdwMessageDialog *dialog, const char *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

static MamoriStaffRow *
find_staff_row (Fixture *fixture, const char *name)
{
  GtkWidget *row = mamori_test_find_row (fixture->page, name);

  g_assert_true (MAMORI_IS_STAFF_ROW (row));
  return MAMORI_STAFF_ROW (row);
}

/* The actions the row's menu offers, "staff.change-role staff.remove", or "" for none
 * (and then the row shows no menu). */
static char *
row_menu (Fixture *fixture, const char *name)
{
  GtkWidget *button
      = mamori_test_find_widget (GTK_WIDGET (find_staff_row (fixture, name)), GTK_TYPE_MENU_BUTTON);
  g_autoptr (GStrvBuilder) actions = g_strv_builder_new ();
  g_auto (GStrv) list = NULL;
  GMenuModel *menu;

  if (button == NULL)
    return g_strdup ("");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *target = NULL;

      g_assert_true (
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_true (
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_TARGET, "s", &target));
      g_assert_cmpstr (target, ==, name);
      g_strv_builder_add (actions, action);
    }
  list = g_strv_builder_end (actions);
  return g_strjoinv (" ", list);
}

static void
assert_row_menu (Fixture *fixture, const char *name, const char *expected)
{
  g_autofree char *menu = row_menu (fixture, name);

  g_assert_cmpstr (menu, ==, expected);
}

static MamoriStaffMember *
find_member (Fixture *fixture, const char *name)
{
  GListModel *staff = mamori_session_get_staff (fixture->session);

  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (staff, i);

      if (g_str_equal (mamori_staff_member_get_name (member), name))
        return member;
    }
  return NULL;
}

/* Connected swapped: counts emissions. */
static void
count_cb (guint *count)
{
  (*count)++;
}

/* The add dialog's form, filled. */
static void
fill_add_dialog (GtkWidget *dialog,
                 const char *name,
                 MamoriRole role,
                 const char *passphrase,
                 const char *confirmation)
{
  AdwComboRow *role_row = ADW_COMBO_ROW (mamori_test_find_row (dialog, _ ("Role")));
  GListModel *roles = adw_combo_row_get_model (role_row);
  guint n = g_list_model_get_n_items (roles);

  mamori_test_type_into (dialog, _ ("Name"), name);
  /* Every role is offered. */
  g_assert_cmpuint (n, ==, MAMORI_N_ROLES);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (roles), i),
                     mamori_role_get_label (role)))
      adw_combo_row_set_selected (role_row, i);
  mamori_test_type_into (dialog, _ ("Passphrase"), passphrase);
  mamori_test_type_into (dialog, _ ("Confirm Passphrase"), confirmation);
}

static gboolean
is_label_containing (GtkWidget *widget, gconstpointer part)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), part) != NULL;
}

static gboolean
enabled (GtkWidget *root, const char *action)
{
  GtkWidget *button = mamori_test_find_actionable (root, action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static void
test_administrator_adds_teacher (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  const char *name = "高橋 さくら";
  g_autoptr (MamoriStaffMember) keep = NULL;
  GListModel *staff;
  GtkWidget *dialog;
  GtkWidget *you;
  MamoriRole role;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);

  /* The roster, in the order added; the unlocked user marked. */
  staff = mamori_session_get_staff (fixture->session);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 2);
  g_assert_cmpstr (
      adw_action_row_get_subtitle (ADW_ACTION_ROW (find_staff_row (fixture, suzuki.name))), ==,
      mamori_role_get_label (MAMORI_ROLE_TEACHER));
  you = mamori_test_find_label (
      GTK_WIDGET (find_staff_row (fixture, yamada.name)),
      g_dpgettext2 (GETTEXT_PACKAGE, "staff roster: the unlocked user", "You"));
  g_assert_nonnull (you);
  g_assert_null (mamori_test_find_label (GTK_WIDGET (find_staff_row (fixture, suzuki.name)),
                                         gtk_label_get_label (GTK_LABEL (you))));
  /* The only administrator: neither a new role nor removal for herself. */
  assert_row_menu (fixture, yamada.name, "");
  assert_row_menu (fixture, suzuki.name, "staff.change-role staff.remove");
  gtk_test_accessible_assert_property (
      GTK_ACCESSIBLE (mamori_test_find_widget (GTK_WIDGET (find_staff_row (fixture, suzuki.name)),
                                               GTK_TYPE_MENU_BUTTON)),
      GTK_ACCESSIBLE_PROPERTY_LABEL, "Actions for 鈴木 一郎");
  keep = g_object_ref (find_member (fixture, suzuki.name));

  gtk_test_accessible_assert_property (
      GTK_ACCESSIBLE (mamori_test_find_actionable (fixture->page, "staff.add")),
      GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Add Staff Member"));
  activate (mamori_test_find_actionable (fixture->page, "staff.add"), "staff.add", NULL);
  dialog = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_ADD_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_false (enabled (dialog, "staff-add.add"));

  /* The name: someone already on the roster, then one with a hidden direction mark. */
  fill_add_dialog (dialog, " 鈴木 一郎 ", MAMORI_ROLE_TEACHER, NEW_PASSPHRASE, NEW_PASSPHRASE);
  g_assert_nonnull (mamori_test_find_label (dialog, "鈴木 一郎 is already on the staff roster"));
  g_assert_false (enabled (dialog, "staff-add.add"));
  mamori_test_type_into (dialog, _ ("Name"), "高橋\u202Eさくら");
  g_assert_nonnull (mamori_test_find_matching (dialog, TRUE, is_label_containing, "U+202E"));
  g_assert_false (enabled (dialog, "staff-add.add"));
  /* The passphrases differ. */
  fill_add_dialog (dialog, name, MAMORI_ROLE_TEACHER, NEW_PASSPHRASE, NEW_PASSPHRASE "x");
  g_assert_false (enabled (dialog, "staff-add.add"));
  g_assert_nonnull (mamori_test_find_label (dialog, _ ("The passphrases do not match.")));

  fill_add_dialog (dialog, name, MAMORI_ROLE_TEACHER, NEW_PASSPHRASE, NEW_PASSPHRASE);
  g_assert_true (enabled (dialog, "staff-add.add"));
  g_signal_connect_swapped (staff, "items-changed", G_CALLBACK (count_cb), &fixture->changes);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  g_assert_true (gtk_widget_activate_action (dialog, "staff-add.add", NULL));

  /* The key is derived in a thread; the entries are empty at once. */
  g_assert_true (mamori_session_get_busy (fixture->session));
  g_assert_true (mamori_staff_dialog_get_working (MAMORI_STAFF_DIALOG (dialog)));
  g_assert_cmpstr (
      gtk_editable_get_text (GTK_EDITABLE (mamori_test_find_row (dialog, _ ("Passphrase")))), ==,
      "");
  mamori_test_wait_for_session (fixture->session);

  /* Done: the dialog gone, one new row, the others kept, and a toast. */
  g_assert_null (dialog);
  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 3);
  g_assert_true (find_member (fixture, suzuki.name) == keep);
  g_assert_nonnull (find_staff_row (fixture, name));
  assert_row_menu (fixture, name, "staff.change-role staff.remove");
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->toasts, 0), name));

  /* Locking empties the roster and closes the preferences; the new teacher unlocks. */
  mamori_session_lock (fixture->session);
  mamori_test_flush ();
  g_assert_null (fixture->preferences);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 0);
  g_assert_true (unlock_page_offers (fixture, name));
  unlock_as (fixture, name, NEW_PASSPHRASE);
  mamori_test_wait_for_view (fixture->window, "main");
  g_assert_cmpstr (mamori_vault_get_user (mamori_session_get_vault (fixture->session)), ==, name);
  g_assert_true (mamori_vault_get_role (mamori_session_get_vault (fixture->session), &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
}

static void
test_administrator_changes_role (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  AdwMessageDialog *dialog;
  AdwComboRow *role_row;
  MamoriStaffMember *member;
  guint position;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  member = find_member (fixture, suzuki.name);
  g_signal_connect_swapped (member, "notify::role", G_CALLBACK (count_cb), &fixture->changes);

  activate (fixture->page, "staff.change-role", suzuki.name);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  role_row = ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (dialog), _ ("Role")));
  g_assert_nonnull (role_row);

  /* Offered once another role is chosen. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  position = adw_combo_row_get_selected (role_row);
  g_assert_cmpstr (
      gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (role_row)), position),
      ==, mamori_role_get_label (MAMORI_ROLE_TEACHER));
  for (guint i = 0; i < MAMORI_N_ROLES; i++)
    if (g_str_equal (
            gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (role_row)), i),
            mamori_role_get_label (MAMORI_ROLE_PRINCIPAL)))
      adw_combo_row_set_selected (role_row, i);
  answer (dialog, "change");
  mamori_test_wait_for_session (fixture->session);

  /* The same member, its role changed once; the row says so.  With a second
   * administrator, removing herself is now offered. */
  g_assert_null (find_message_dialog ());
  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_cmpint (mamori_staff_member_get_role (member), ==, MAMORI_ROLE_PRINCIPAL);
  g_assert_cmpstr (
      adw_action_row_get_subtitle (ADW_ACTION_ROW (find_staff_row (fixture, suzuki.name))), ==,
      mamori_role_get_label (MAMORI_ROLE_PRINCIPAL));
  assert_row_menu (fixture, yamada.name, "staff.remove");
  g_assert_cmpuint (fixture->toasts->len, ==, 1);

  /* Cancelling changes nothing. */
  activate (fixture->page, "staff.change-role", suzuki.name);
  dialog = find_message_dialog ();
  adw_combo_row_set_selected (
      ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (dialog), _ ("Role"))), 0);
  answer (dialog, "cancel");
  g_assert_false (mamori_session_get_busy (fixture->session));
  g_assert_cmpint (mamori_staff_member_get_role (member), ==, MAMORI_ROLE_PRINCIPAL);
}

static void
test_administrator_removes (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  g_autofree char *key_path = mamori_vault_get_key_file_path (fixture->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto (GStrv) slots = NULL;
  AdwMessageDialog *dialog;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  g_signal_connect_swapped (mamori_session_get_staff (fixture->session), "items-changed",
                            G_CALLBACK (count_cb), &fixture->changes);

  /* Asked first; cancelling changes nothing. */
  activate (fixture->page, "staff.remove", suzuki.name);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  answer (dialog, "cancel");
  g_assert_false (mamori_session_get_busy (fixture->session));
  g_assert_cmpuint (fixture->changes, ==, 0);

  activate (fixture->page, "staff.remove", suzuki.name);
  answer (find_message_dialog (), "remove");
  mamori_test_wait_for_session (fixture->session);
  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_null (find_member (fixture, suzuki.name));
  slots = mamori_vault_list_users (mamori_session_get_vault (fixture->session));
  g_assert_false (g_strv_contains ((const char *const *)slots, suzuki.name));
  g_assert_cmpuint (fixture->toasts->len, ==, 1);

  /* Then the offer of a new key, which encrypts the vault again. */
  g_assert_true (g_file_get_contents (key_path, &before, NULL, NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "rotate");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (mamori_session_get_busy (fixture->session));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "close"));
  /* It cannot be closed half way. */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (find_message_dialog () == dialog);
  mamori_test_wait_for_session (fixture->session);
  g_assert_null (find_message_dialog ());
  g_assert_true (g_file_get_contents (key_path, &after, NULL, NULL));
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpuint (fixture->toasts->len, ==, 2);

  /* Still unlocked on the new key, and the roster reads. */
  g_assert_cmpint (mamori_session_get_state (fixture->session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  g_assert_cmpuint (g_list_model_get_n_items (mamori_session_get_staff (fixture->session)), ==, 1);
  mamori_session_lock (fixture->session);
  mamori_test_flush ();
  g_assert_false (unlock_page_offers (fixture, suzuki.name));
  unlock_as (fixture, yamada.name, yamada.passphrase);
  mamori_test_wait_for_view (fixture->window, "main");
}

/* Another Mamori has the vault open: the new key waits, then says so. */
static void
test_rotation_busy (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  g_autoptr (MamoriVault) other = NULL;
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  other = mamori_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  mamori_vault_unlock (other, suzuki.name, suzuki.passphrase, &error);
  g_assert_no_error (error);

  activate (mamori_test_find_actionable (fixture->page, "staff.rotate-key"), "staff.rotate-key",
            NULL);
  answer (find_message_dialog (), "rotate");
  mamori_test_wait_for_session (fixture->session);

  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _ ("The Key Was Not Replaced"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   _ ("The vault is busy: another Mamori has it open. Close Mamori on this "
                      "computer (or lock it) and try again"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "close"));
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
  g_assert_cmpint (mamori_session_get_state (fixture->session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  answer (dialog, "close");
  mamori_vault_lock (other);
}

static void
test_teacher_sees_no_editing (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  g_autofree char *who = NULL;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &suzuki);
  fixture_open_staff_page (fixture);

  /* The roster, and who may change it; nothing to change it with. */
  g_assert_nonnull (find_staff_row (fixture, yamada.name));
  g_assert_nonnull (mamori_test_find_label (
      fixture->page, _ ("Only the principal, the vice-principal and the board of education can "
                        "change the staff.")));
  g_assert_null (mamori_test_find_actionable (fixture->page, "staff.add"));
  g_assert_null (mamori_test_find_actionable (fixture->page, "staff.rotate-key"));
  g_assert_null (mamori_test_find_widget (fixture->page, GTK_TYPE_MENU_BUTTON));
  assert_row_menu (fixture, yamada.name, "");
  assert_row_menu (fixture, suzuki.name, "");

  /* The actions are off too: asking for them opens nothing. */
  gtk_widget_activate_action (fixture->page, "staff.add", NULL);
  gtk_widget_activate_action (fixture->page, "staff.remove", "s", yamada.name);
  mamori_test_flush ();
  g_assert_null (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_ADD_DIALOG));
  g_assert_null (find_message_dialog ());

  /* Their own passphrase, they may change. */
  g_assert_true (enabled (fixture->page, "staff.change-passphrase"));
  who = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "user and role", "%s (%s)"), suzuki.name,
                         mamori_role_get_label (MAMORI_ROLE_TEACHER));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                       mamori_test_find_row (fixture->page, _ ("_Change Passphrase…")))),
                   ==, who);
}

/* What the page does not offer, the core refuses: the last administrator removing herself,
 * anyone changing their own role.  The refusal is shown and nothing changes. */
static void
test_core_refusal_shown (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  assert_row_menu (fixture, yamada.name, "");
  before = mamori_test_snapshot_dir (fixture->dir);

  activate (fixture->page, "staff.remove", yamada.name);
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   _ ("You will no longer be able to open the vault, and nothing you sign is "
                      "accepted any more. Mamori locks as soon as you are removed."));
  answer (dialog, "remove");
  mamori_test_wait_for_session (fixture->session);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _ ("The Person Was Not Removed"));
  message = g_strdup_printf (_ ("%s is the school’s last administrator: add another principal, "
                                "vice-principal or board member first"),
                             yamada.name);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, message);
  answer (dialog, "close");

  activate (fixture->page, "staff.change-role", yamada.name);
  dialog = find_message_dialog ();
  adw_combo_row_set_selected (
      ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (dialog), _ ("Role"))), 0);
  answer (dialog, "change");
  mamori_test_wait_for_session (fixture->session);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _ ("The Role Was Not Changed"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   _ ("Nobody can change their own role: ask another administrator"));
  answer (dialog, "close");

  /* Nothing changed: not the files, not the roster, not the session. */
  after = mamori_test_snapshot_dir (fixture->dir);
  mamori_test_assert_same_snapshot (before, after);
  g_assert_cmpint (mamori_session_get_state (fixture->session), ==, MAMORI_SESSION_STATE_UNLOCKED);
  g_assert_cmpint (mamori_staff_member_get_role (find_member (fixture, yamada.name)), ==,
                   MAMORI_ROLE_VICE_PRINCIPAL);
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
}

/* The roster changed behind the dialog's back: another administrator made the one adding
 * a teacher.  The dialog shows the refusal and keeps the form; the page follows. */
static void
test_add_refused_keeps_form (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, tanaka, suzuki };
  g_autoptr (MamoriVault) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *message = NULL;
  AdwComboRow *role_row;
  GtkWidget *dialog;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  g_assert_true (mamori_session_get_can_manage_staff (fixture->session));

  activate (mamori_test_find_actionable (fixture->page, "staff.add"), "staff.add", NULL);
  dialog = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_ADD_DIALOG));
  fill_add_dialog (dialog, "高橋 さくら", MAMORI_ROLE_OFFICE, NEW_PASSPHRASE, NEW_PASSPHRASE);

  other = mamori_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  mamori_vault_unlock (other, tanaka.name, tanaka.passphrase, &error);
  g_assert_no_error (error);
  mamori_vault_set_role (other, yamada.name, MAMORI_ROLE_TEACHER, &error);
  g_assert_no_error (error);
  mamori_vault_lock (other);

  activate (dialog, "staff-add.add", NULL);
  mamori_test_wait_for_session (fixture->session);

  /* The core's words, in the dialog, which stays with the name and the role. */
  g_assert_true (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_ADD_DIALOG) == GTK_WINDOW (dialog));
  g_assert_false (mamori_staff_dialog_get_working (MAMORI_STAFF_DIALOG (dialog)));
  refusal = g_strdup_printf (_ ("%s is %s: only the principal, the vice-principal or the board "
                                "of education can change the staff roster"),
                             yamada.name, mamori_role_get_label (MAMORI_ROLE_TEACHER));
  message = g_strdup_printf (_ ("%s was not added: %s"), "高橋 さくら", refusal);
  g_assert_nonnull (mamori_test_find_label (dialog, message));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (mamori_test_find_row (dialog, _ ("Name")))),
                   ==, "高橋 さくら");
  role_row = ADW_COMBO_ROW (mamori_test_find_row (dialog, _ ("Role")));
  g_assert_cmpstr (
      gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (role_row))),
      ==, mamori_role_get_label (MAMORI_ROLE_OFFICE));
  g_assert_null (find_member (fixture, "高橋 さくら"));

  /* The roster was read again: she is a teacher now, and the page offers nothing more. */
  g_assert_false (mamori_session_get_can_manage_staff (fixture->session));
  g_assert_cmpint (mamori_staff_member_get_role (find_member (fixture, yamada.name)), ==,
                   MAMORI_ROLE_TEACHER);
  g_assert_null (mamori_test_find_actionable (fixture->page, "staff.add"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_change_passphrase (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, suzuki };
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *current;

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &suzuki);
  fixture_open_staff_page (fixture);

  activate (mamori_test_find_actionable (fixture->page, "staff.change-passphrase"),
            "staff.change-passphrase", NULL);
  dialog = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_PASSPHRASE_DIALOG));
  g_assert_nonnull (dialog);
  current = mamori_test_find_row (dialog, _ ("Current Passphrase"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), current)
                 || gtk_root_get_focus (GTK_ROOT (dialog)) == current);

  /* Rated against the user's own name; offered once complete. */
  mamori_test_type_into (dialog, _ ("New Passphrase"), "鈴木 一郎1234");
  mamori_test_type_into (dialog, _ ("Confirm New Passphrase"), "鈴木 一郎1234");
  g_assert_nonnull (
      mamori_test_find_label (dialog, _ ("Do not use your own name in the passphrase.")));
  g_assert_false (enabled (dialog, "staff-passphrase.change"));

  /* A wrong current passphrase: said, and nothing changed. */
  mamori_test_type_into (dialog, _ ("Current Passphrase"), "not-my-passphrase");
  mamori_test_type_into (dialog, _ ("New Passphrase"), NEW_PASSPHRASE);
  mamori_test_type_into (dialog, _ ("Confirm New Passphrase"), NEW_PASSPHRASE);
  g_assert_true (enabled (dialog, "staff-passphrase.change"));
  g_assert_true (gtk_widget_activate_action (dialog, "staff-passphrase.change", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (current)), ==, "");
  mamori_test_wait_for_session (fixture->session);
  g_assert_true (mamori_test_find_toplevel (MAMORI_TYPE_STAFF_PASSPHRASE_DIALOG)
                 == GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_has_css_class (current, "error"));
  g_assert_cmpuint (fixture->toasts->len, ==, 0);

  mamori_test_type_into (dialog, _ ("Current Passphrase"), suzuki.passphrase);
  g_assert_false (gtk_widget_has_css_class (current, "error"));
  mamori_test_type_into (dialog, _ ("New Passphrase"), NEW_PASSPHRASE);
  mamori_test_type_into (dialog, _ ("Confirm New Passphrase"), NEW_PASSPHRASE);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  activate (dialog, "staff-passphrase.change", NULL);
  mamori_test_wait_for_session (fixture->session);
  g_assert_null (dialog);
  g_assert_cmpuint (fixture->toasts->len, ==, 1);

  /* The new one opens the vault, the old one no more. */
  mamori_session_lock (fixture->session);
  mamori_test_flush ();
  vault = mamori_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (mamori_vault_unlock (vault, suzuki.name, suzuki.passphrase, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  unlock_as (fixture, suzuki.name, NEW_PASSPHRASE);
  mamori_test_wait_for_view (fixture->window, "main");
}

/* Removing oneself, while another administrator remains, locks at once. */
static void
test_remove_self_locks (Fixture *fixture, gconstpointer data)
{
  const MamoriTestUser users[] = { yamada, tanaka };

  mamori_test_create_vault (fixture->path, users, G_N_ELEMENTS (users));
  fixture_open (fixture, &yamada);
  fixture_open_staff_page (fixture);
  assert_row_menu (fixture, yamada.name, "staff.remove");

  activate (fixture->page, "staff.remove", yamada.name);
  answer (find_message_dialog (), "remove");
  mamori_test_wait_for_session (fixture->session);

  g_assert_cmpint (mamori_session_get_state (fixture->session), ==, MAMORI_SESSION_STATE_LOCKED);
  g_assert_null (fixture->preferences);
  g_assert_null (find_message_dialog ());
  mamori_test_wait_for_view (fixture->window, "unlock");
  g_assert_false (unlock_page_offers (fixture, yamada.name));
  g_assert_true (unlock_page_offers (fixture, tanaka.name));
}

int
main (int argc, char *argv[])
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  mamori_test_init (&argc, &argv);

#define ADD(path, func)                                                                            \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/gui/staff/administrator-adds-teacher", test_administrator_adds_teacher);
  ADD ("/gui/staff/administrator-changes-role", test_administrator_changes_role);
  ADD ("/gui/staff/administrator-removes", test_administrator_removes);
  ADD ("/gui/staff/rotation-busy", test_rotation_busy);
  ADD ("/gui/staff/teacher-sees-no-editing", test_teacher_sees_no_editing);
  ADD ("/gui/staff/core-refusal-shown", test_core_refusal_shown);
  ADD ("/gui/staff/add-refused-keeps-form", test_add_refused_keeps_form);
  ADD ("/gui/staff/change-passphrase", test_change_passphrase);
  ADD ("/gui/staff/remove-self-locks", test_remove_self_locks);
#undef ADD

  return g_test_run ();
}
