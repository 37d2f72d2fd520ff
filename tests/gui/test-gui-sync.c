/* test-gui-sync.c — the window of a school that joined its board: the session syncs by
 * itself once unlocked, the header bar says where it stands (同期済み, オフライン), a
 * click syncs now, and what another computer wrote reaches the register page; a take-out
 * request or a decision that sync brings is told in a GNotification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-board-group.h"
#include "mamori-level.h"
#include "mamori-preferences-window.h"
#include "mamori-register.h"
#include "mamori-sync-client.h"
#include "mamori-sync-indicator.h"
#include "mamori-takeout.h"
#include "mamori-test-util.h"
#include "mamori-vault-sync.h"
#include "test-board.h"
#include "vfs-test-util.h"

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
  { "佐藤 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-1" },
  { "田中 校長", MAMORI_ROLE_PRINCIPAL, "principal-passphrase-1" },
};

typedef struct
{
  char *dir;
  Board board;
  MamoriVault *other; /* the same school's vault on another computer */
  MamoriSession *session;
  MamoriWindow *window;
  guint records_changed;
} Fixture;

static void
sync_ok (MamoriVault *vault)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (vault, &error);

  g_assert_no_error (error);
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
records_changed_cb (MamoriSession *session, Fixture *f)
{
  f->records_changed++;
}

/* The school's vault, joined to the board (its history confirmed); a copy of it on
 * another computer; the window unlocked. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL, *other_path = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) heads = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->dir = mamori_test_make_dir ();
  path = g_build_filename (f->dir, "school.mamori", NULL);
  other_path = g_build_filename (f->dir, "other.mamori", NULL);
  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  test_copy_vault (path, other_path);

  vault = test_open_as (path, users[0].name, users[0].passphrase);
  f->board.key = signer_new ();
  f->board.db = db_new ();
  f->board.epoch = g_strdup ("e0000000000000000000000000000001");
  f->board.school_id = g_strdup (mamori_vault_get_school_id (vault));
  pin (f->board.db, f->board.key);
  board_start (&f->board);
  g_assert_true (mamori_vault_join_board (vault, BOARD_ID, f->board.key->public_key, BOARD_NAME,
                                          f->board.url, NULL, &error));
  g_assert_no_error (error);
  sync_ok (vault);
  heads = mamori_event_log_heads (f->board.db, f->board.school_id, &error);
  g_ptr_array_add (
      batch,
      sign_next (f->board.db, f->board.key, f->board.school_id, MAMORI_EVENT_SCHOOL_JOINED,
                 mamori_roster_school_joined_body (BOARD_ID, f->board.key->public_key, heads)));
  g_assert_cmpint (board_take (f->board.db, f->board.school_id, batch, seqs, &error), ==, -1);
  mamori_vault_lock (vault);

  f->other = test_open_as (other_path, users[0].name, users[0].passphrase);
  g_assert_true (mamori_vault_join_board (f->other, BOARD_ID, f->board.key->public_key, BOARD_NAME,
                                          f->board.url, NULL, &error));
  sync_ok (f->other);

  f->session = mamori_session_new (path);
  g_signal_connect (f->session, "records-changed", G_CALLBACK (records_changed_cb), f);
  mamori_session_set_last_user (f->session, users[0].name);
  f->window = g_object_new (MAMORI_TYPE_WINDOW, "session", f->session, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  mamori_test_flush ();
  mamori_test_unlock (f->window, users[0].passphrase);
  mamori_test_wait_for_view (f->window, "main");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  mamori_test_flush ();
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->session);
  g_clear_object (&f->other);
  board_stop (&f->board);
  mamori_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* Runs the main loop until the session's sync state is @state; at most 20 s. */
static void
wait_for_sync_state (Fixture *f, MamoriSyncState state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (mamori_session_get_sync_state (f->session) != state
         || mamori_session_get_busy (f->session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

static const char *
indicator_label (Fixture *f)
{
  GtkWidget *indicator
      = mamori_test_find_widget (GTK_WIDGET (f->window), MAMORI_TYPE_SYNC_INDICATOR);
  AdwButtonContent *content
      = ADW_BUTTON_CONTENT (mamori_test_find_widget (indicator, ADW_TYPE_BUTTON_CONTENT));

  g_assert_true (gtk_widget_get_visible (indicator));
  return adw_button_content_get_label (content);
}

static void
test_sync (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *synced = mamori_sync_indicator_describe (MAMORI_SYNC_STATE_SYNCED, 0);
  g_autofree char *offline = mamori_sync_indicator_describe (MAMORI_SYNC_STATE_OFFLINE, 0);
  GtkWidget *indicator
      = mamori_test_find_widget (GTK_WIDGET (f->window), MAMORI_TYPE_SYNC_INDICATOR);
  gint64 count = -1;

  /* Unlocked, it syncs at once: school-joined arrives. */
  wait_for_sync_state (f, MAMORI_SYNC_STATE_SYNCED);
  g_assert_cmpstr (indicator_label (f), ==, synced);
  g_assert_cmpuint (f->records_changed, ==, 1);

  /* Another computer adds an entry; 今すぐ同期 brings it, and the register page reads
   * the records again. */
  test_add_entry (f->other, "指導要録");
  sync_ok (f->other);
  g_assert_true (gtk_widget_activate_action (indicator, "sync.now", NULL));
  wait_for_sync_state (f, MAMORI_SYNC_STATE_SYNCED);
  g_assert_cmpuint (f->records_changed, ==, 2);
  g_assert_true (mamori_register_count (
      mamori_vault_get_store (mamori_session_get_vault (f->session)), &count, NULL));
  g_assert_cmpint (count, ==, 1);

  /* The board down: オフライン, with the reason in the tooltip; nothing is lost. */
  f->board.down = G_MAXUINT;
  g_assert_true (gtk_widget_activate_action (indicator, "sync.now", NULL));
  wait_for_sync_state (f, MAMORI_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (indicator_label (f), ==, offline);
  g_assert_nonnull (mamori_session_get_sync_message (f->session));
  g_assert_nonnull (
      strstr (gtk_widget_get_tooltip_text (mamori_test_find_widget (indicator, GTK_TYPE_BUTTON)),
              mamori_session_get_sync_message (f->session)));
  f->board.down = 0;
}

/* A desktop's notification server, as GNOME Shell runs it: the org.gtk.Notifications
 * interface GApplication sends to when that name is on the session bus. */
static const char notifications_xml[]
    = "<node><interface name='org.gtk.Notifications'>"
      "<method name='AddNotification'><arg type='s' direction='in'/>"
      "<arg type='s' direction='in'/><arg type='a{sv}' direction='in'/></method>"
      "<method name='RemoveNotification'><arg type='s' direction='in'/>"
      "<arg type='s' direction='in'/></method>"
      "</interface></node>";

typedef struct
{
  char *id;
  char *title;
  char *body;
} Shown;

static void
shown_free (Shown *shown)
{
  g_free (shown->id);
  g_free (shown->title);
  g_free (shown->body);
  g_free (shown);
}

static void
notifications_method_cb (GDBusConnection *connection,
                         const char *sender,
                         const char *object_path,
                         const char *interface_name,
                         const char *method_name,
                         GVariant *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer user_data)
{
  GPtrArray *shown = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr (GVariant) notification = NULL;
      Shown *one = g_new0 (Shown, 1);

      g_variant_get (parameters, "(s&s@a{sv})", NULL, NULL, &notification);
      g_variant_get_child (parameters, 1, "s", &one->id);
      g_variant_lookup (notification, "title", "s", &one->title);
      g_variant_lookup (notification, "body", "s", &one->body);
      g_ptr_array_add (shown, one);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb };

/* The notification with @id, shown since the array was last cleared; or NULL. */
static Shown *
find_shown (GPtrArray *shown, const char *id)
{
  for (guint i = 0; i < shown->len; i++)
    if (g_str_equal (((Shown *)shown->pdata[i])->id, id))
      return shown->pdata[i];
  return NULL;
}

/* Runs the main loop until a notification with @id was shown; at most 20 s. */
static Shown *
wait_for_shown (GPtrArray *shown, const char *id)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (find_shown (shown, id) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return find_shown (shown, id);
}

static MamoriTakeoutRequest *
file_request (MamoriVault *vault, const char *item)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (GError) error = NULL;
  MamoriTakeoutRequest *request;

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, item, "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_USB;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("成績処理");
  draft->date_from = g_strdup ("2026-06-01");
  draft->date_until = g_strdup ("2026-06-03");
  request = mamori_takeout_file (vault, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  return request;
}

/* Runs one sync round in the window, waits for it, and lets the pages read again. */
static void
sync_window (Fixture *f)
{
  GtkWidget *indicator
      = mamori_test_find_widget (GTK_WIDGET (f->window), MAMORI_TYPE_SYNC_INDICATOR);
  gint64 until;

  g_assert_true (gtk_widget_activate_action (indicator, "sync.now", NULL));
  wait_for_sync_state (f, MAMORI_SYNC_STATE_SYNCED);
  /* The take-out page also reads again a moment after the vault's file changes. */
  until = g_get_monotonic_time () + 600 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  mamori_test_flush ();
}

/* The vice-principal's window is told of a teacher's request that sync brought from
 * the teacher's computer, and of the principal's decision on her own request. */
static void
test_notify (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GApplication) application
      = g_application_new ("io.github.mamori.Mamori.TestNotify", G_APPLICATION_NON_UNIQUE);
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func ((GDestroyNotify)shown_free);
  g_autoptr (GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GDBusConnection) server = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.mamori", NULL);
  g_autoptr (MamoriTakeoutRequest) asked = NULL, mine = NULL;
  g_autoptr (MamoriVault) principal = NULL;
  g_autoptr (GVariant) reply = NULL;
  Shown *one;
  guint object_id;

  g_assert_no_error (error);
  server = g_dbus_connection_new_for_address_sync (
      address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  object_id
      = g_dbus_connection_register_object (server, "/org/gtk/Notifications", node->interfaces[0],
                                           &notifications_vtable, shown, NULL, &error);
  g_assert_no_error (error);
  /* Owned before the first notification: GApplication picks its way of sending then. */
  reply = g_dbus_connection_call_sync (
      server, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new ("(su)", "org.gtk.Notifications", 0), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_application_register (application, NULL, &error));
  g_assert_no_error (error);
  g_application_set_default (application);
  wait_for_sync_state (f, MAMORI_SYNC_STATE_SYNCED);
  mamori_test_flush ();

  /* The teacher files on the other computer; sync brings it to her queue. */
  g_clear_object (&f->other);
  f->other = test_open_as (other_path, users[1].name, users[1].passphrase);
  asked = file_request (f->other, "成績一覧表");
  sync_ok (f->other);
  sync_window (f);
  one = wait_for_shown (shown, "takeout-queue");
  g_assert_cmpstr (one->title, ==, _ ("New Take-out Request"));
  g_assert_nonnull (one->body);

  /* Her own request, declined by the principal on the other computer. */
  g_ptr_array_set_size (shown, 0);
  mine = file_request (mamori_session_get_vault (f->session), "面談記録");
  sync_window (f);
  g_assert_null (find_shown (shown, mine->id));
  g_clear_object (&f->other);
  principal = test_open_as (other_path, users[2].name, users[2].passphrase);
  sync_ok (principal);
  g_assert_true (mamori_takeout_reject (principal, mine->id, "期間を短くしてください",
                                        users[2].passphrase, &error));
  g_assert_no_error (error);
  sync_ok (principal);
  sync_window (f);
  one = wait_for_shown (shown, mine->id);
  g_assert_cmpstr (one->title, ==, _ ("Take-out Request Declined"));
  g_assert_cmpstr (one->body, ==, "期間を短くしてください");
  /* The queue's notification is not repeated for what it already told. */
  g_assert_null (find_shown (shown, "takeout-queue"));

  g_application_set_default (NULL);
  g_dbus_connection_unregister_object (server, object_id);
}

static void
test_not_joined (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autoptr (MamoriSession) session = NULL;
  MamoriWindow *window;

  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  session = mamori_session_new (path);
  mamori_session_set_last_user (session, users[0].name);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, users[0].passphrase);
  mamori_test_wait_for_view (window, "main");

  /* A school of its own: nothing about sync in the header bar. */
  g_assert_cmpint (mamori_session_get_sync_state (session), ==, MAMORI_SYNC_STATE_NOT_JOINED);
  g_assert_null (mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_SYNC_INDICATOR));
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_remove_dir (dir);
}

/* The preferences' form: a wrong code says so and keeps what was typed; the right one
 * joins, and the session syncs from then on. */
static void
test_join_from_preferences (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.mamori.Mamori");
  g_autoptr (MamoriSession) session = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  MamoriPreferencesWindow *preferences;
  MamoriWindow *window;
  GtkWidget *group, *error_label;
  Board board = { 0 };
  gint64 deadline;

  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  vault = test_open_as (path, users[0].name, users[0].passphrase);
  board.key = signer_new ();
  board.db = db_new ();
  board.epoch = g_strdup ("e0000000000000000000000000000001");
  board.school_id = g_strdup (mamori_vault_get_school_id (vault));
  board.join_code = "7KQM2XHD94TC";
  pin (board.db, board.key);
  board_start (&board);
  g_clear_object (&vault);

  session = mamori_session_new (path);
  mamori_session_set_last_user (session, users[0].name);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, users[0].passphrase);
  mamori_test_wait_for_view (window, "main");
  preferences = mamori_preferences_window_new (settings, session);
  gtk_window_present (GTK_WINDOW (preferences));
  mamori_test_flush ();
  group = mamori_test_find_widget (GTK_WIDGET (preferences), MAMORI_TYPE_BOARD_GROUP);
  g_assert_nonnull (group);

  /* Nothing typed: nothing to join with. */
  g_assert_cmpint (mamori_test_count_actionables (group, "board.join"), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (mamori_test_find_actionable (group, "board.join")));

  mamori_test_type_into (group, _ ("Server Address"), board.url);
  mamori_test_type_into (group, _ ("Join Code"), "AAAA-BBBB-CCCC");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (group, "board.join", NULL));
  mamori_test_wait_for_session (session);
  error_label = mamori_test_find_label (
      group, _ ("The board of education does not know this enrollment code: check it, or ask "
                "the board for a new one"));
  g_assert_nonnull (error_label);
  g_assert_cmpint (mamori_session_get_sync_state (session), ==, MAMORI_SYNC_STATE_NOT_JOINED);

  mamori_test_type_into (group, _ ("Join Code"), "7kqm-2xhd-94tc");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (group, "board.join", NULL));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (mamori_session_get_sync_state (session) != MAMORI_SYNC_STATE_SYNCED
         || mamori_session_get_busy (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_row (group, BOARD_NAME));
  g_assert_null (mamori_test_find_row (group, _ ("Join Code")));

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_clear_object (&session);
  board_stop (&board);
  mamori_test_remove_dir (dir);
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
  vfs_test_init ();

  g_test_add ("/gui/sync/round-trip", Fixture, NULL, fixture_set_up, test_sync, fixture_tear_down);
  g_test_add ("/gui/sync/notify", Fixture, NULL, fixture_set_up, test_notify, fixture_tear_down);
  g_test_add_func ("/gui/sync/not-joined", test_not_joined);
  g_test_add_func ("/gui/sync/join-from-preferences", test_join_from_preferences);
  return g_test_run ();
}
