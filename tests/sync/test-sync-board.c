/* test-sync-board.c — the board role's client calls against a real mamori-board on
 * loopback: the schools' view, publishing a policy that reaches a school's vault at its
 * next sync, refused for the levels a register uses until a mapping says where they go,
 * and both refused to a school's own staff; a vault syncing after `drop-held`
 *
 * Usage: test-sync-board PATH/TO/mamori-board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-register.h"
#include "mamori-sync-board.h"
#include "mamori-sync-join.h"
#include "mamori-sync-private.h"
#include "mamori-sync-watch.h"
#include "mamori-vault-sync.h"
#include "vfs-test-util.h"

/* A person's vault, enrolled with @code. */
static MamoriVault *
enroll (const char *dir, const char *name, const char *url, const char *code)
{
  g_autofree char *path = g_build_filename (dir, name, "school.mamori", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_auto (MamoriSyncReport) report = { 0 };
  g_autoptr (GError) error = NULL;
  MamoriVault *vault = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  mamori_sync_enroll (path, url, code, "test passphrase for the board", "PC", NULL, NULL, &vault,
                      &report, &error);
  g_assert_no_error (error);
  return vault;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GListModel *
fetch (MamoriSyncClient *client, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  mamori_sync_client_fetch_schools_async (client, NULL, result_cb, &result);
  return mamori_sync_client_fetch_schools_finish (client, wait_for (&result), error);
}

static gboolean
publish (MamoriSyncClient *client,
         const char *preset,
         const char *level_map,
         guint *out_schools,
         GError **error)
{
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (preset, NULL);
  g_autoptr (GAsyncResult) result = NULL;

  mamori_sync_client_publish_policy_async (client, policy, level_map, NULL, result_cb, &result);
  return mamori_sync_client_publish_policy_finish (client, wait_for (&result), out_schools, NULL,
                                                   error);
}

/* An entry at @level (one of @policy's template's) in @vault's register. */
static void
add_entry (MamoriVault *vault, MamoriPolicy *policy, const char *level)
{
  GListModel *assets = mamori_policy_get_assets (policy);
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; entry == NULL; i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);

      g_assert_nonnull (asset);
      if (g_str_equal (mamori_level_get_id (mamori_asset_get_level (asset)), level))
        entry = mamori_register_entry_new_from_template (asset, policy);
    }
  g_assert_true (mamori_register_add (vault, policy, entry, &error));
  g_assert_no_error (error);
}

static void
test_board_role (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autoptr (Board) board = board_new_empty ();
  const char *data = board->dir;
  g_autofree char *first = NULL, *second = NULL, *officer_code = NULL, *teacher_code = NULL;
  g_autoptr (MamoriVault) officer = NULL, teacher = NULL;
  g_autoptr (MamoriSyncClient) officer_client = NULL, teacher_client = NULL;
  g_autoptr (GListModel) schools = NULL, refused = NULL;
  g_autoptr (MamoriBoardSchool) school = NULL;
  g_autoptr (MamoriPolicy) in_force = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  guint n_schools = 0;

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", data, "教育委員会事務局", NULL },
                 &first),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", data, "本町中学校", NULL }, &second), ==,
      0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", data, "--school", first, "--name",
                                   "指導主事 山本", "--role", "board", NULL },
                 &officer_code),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", data, "--school", second, "--name",
                                   "田中 一郎", "--role", "principal", NULL },
                 &teacher_code),
      ==, 0);
  board_serve (board);
  officer = enroll (dir, "officer", board->uri, officer_code);
  teacher = enroll (dir, "teacher", board->uri, teacher_code);
  officer_client = mamori_sync_client_new (officer, &error);
  g_assert_no_error (error);
  teacher_client = mamori_sync_client_new (teacher, &error);
  g_assert_no_error (error);

  /* The board role sees both schools, with their counts. */
  schools = fetch (officer_client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (schools), ==, 2);
  school = g_list_model_get_item (schools, 1);
  g_assert_cmpstr (mamori_board_school_get_id (school), ==, second);
  g_assert_cmpstr (mamori_board_school_get_name (school), ==, "本町中学校");
  g_assert_true (mamori_board_school_get_joined (school));
  g_assert_cmpuint (mamori_board_school_get_staff (school), ==, 1);
  g_assert_cmpuint (mamori_board_school_get_pending (school), ==, 0);
  g_assert_cmpuint (mamori_board_school_get_lowered (school)->len, ==, 0);
  g_assert_nonnull (mamori_board_school_get_last_event_at (school));

  /* A school's principal is refused both. */
  refused = fetch (teacher_client, &error);
  g_assert_null (refused);
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_false (publish (teacher_client, "mext-2025", NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  /* The board's policy reaches the school at its next sync. */
  in_force = mamori_vault_load_policy (teacher, &error);
  g_assert_cmpstr (mamori_policy_get_id (in_force), ==, "oita-abcd");
  g_clear_object (&in_force);
  g_assert_true (publish (officer_client, "mext-2025", NULL, &n_schools, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_schools, ==, 2);
  g_assert_true (mamori_sync_client_sync (teacher_client, 0, NULL, &report, &error));
  g_assert_no_error (error);
  in_force = mamori_vault_load_policy (teacher, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mamori_policy_get_id (in_force), ==, "mext-2025");

  /* The school's register now uses 文部科学省's levels: 大分県's lacks them, which is
   * levels-unmapped, MAMORI_SYNC_ERROR_LEVELS, to the board role (a teacher asking is
   * not permitted); with a mapping the entries move. */
  add_entry (teacher, in_force, "II");
  g_assert_true (mamori_sync_client_sync (teacher_client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (publish (officer_client, "oita-abcd", NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_LEVELS);
  /* The client's own words, from the schools and levels the board lists (the board's
   * message for its administrator speaks of --map). */
  g_assert_true (g_str_has_prefix (error->message, "These schools’ registers use levels"));
  g_assert_true (g_str_has_suffix (error->message, ": 本町中学校 (II)"));
  g_assert_null (strstr (error->message, "--map"));
  g_clear_error (&error);
  g_assert_false (publish (teacher_client, "oita-abcd", "I=A,II=B,III=C,IV=D", NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_false (publish (officer_client, "oita-abcd", "I=A,II=B", NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_true (publish (officer_client, "oita-abcd", "I=A,II=B,III=C,IV=C", &n_schools, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_schools, ==, 2);
  g_assert_true (mamori_sync_client_sync (teacher_client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  entries = mamori_register_list (mamori_vault_get_store (teacher), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((MamoriRegisterEntry *)entries->pdata[0])->level, ==, "B");

  g_clear_object (&officer_client);
  g_clear_object (&teacher_client);
  g_clear_object (&officer);
  g_clear_object (&teacher);
  vfs_test_remove_dir (dir);
}

static MamoriSyncNews
watch (MamoriSyncClient *client, const char *epoch, gint64 cursor, guint wait, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  mamori_sync_client_watch_async (client, epoch, cursor, wait, NULL, result_cb, &result);
  return mamori_sync_client_watch_finish (client, wait_for (&result), NULL, error);
}

typedef struct
{
  MamoriSyncNews news;
  gboolean done;
} Watched;

static void
watched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Watched *watched = user_data;
  g_autoptr (GError) error = NULL;

  watched->news
      = mamori_sync_client_watch_finish (MAMORI_SYNC_CLIENT (source), result, NULL, &error);
  g_assert_no_error (error);
  watched->done = TRUE;
}

/* The watch (mamori-sync-watch.h): no token is EXPIRED; a quiet board NONE when the wait
 * ends; an event another computer pushes wakes it at once; another epoch is news; a
 * token the board does not take is EXPIRED; a cancelled watch says so; the board gone is
 * UNREACHABLE; over HTTPS, the pinned certificate is taken and another refused. */
static void
test_watch (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autoptr (Board) board = board_new ();
  g_autofree char *vp_code = NULL, *teacher_code = NULL;
  g_autoptr (MamoriVault) vp = NULL, teacher = NULL;
  g_autoptr (MamoriSyncClient) vp_client = NULL, teacher_client = NULL;
  g_autoptr (MamoriBoardLink) link = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autofree char *cert
      = g_test_build_filename (G_TEST_DIST, "board", "data", "test-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "board", "data", "test-key.pem", NULL);
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GBytes) pin = NULL, other_pin = NULL;
  g_autoptr (MamoriSyncClient) tls_client = NULL;
  Watched watched = { 0 };
  gint64 start;

  vp_code = board_add_staff (board, board->school, "佐藤 花子", "vice-principal");
  teacher_code = board_add_staff (board, board->school, "鈴木 一郎", "teacher");
  board_serve (board);
  vp = enroll (dir, "vp", board->uri, vp_code);
  teacher = enroll (dir, "teacher", board->uri, teacher_code);
  vp_client = mamori_sync_client_new (vp, &error);
  g_assert_no_error (error);
  teacher_client = mamori_sync_client_new (teacher, &error);
  g_assert_no_error (error);

  /* A client that has opened no session has no token to wait with. */
  g_assert_cmpint (watch (vp_client, NULL, 0, 1, &error), ==, MAMORI_SYNC_NEWS_EXPIRED);
  g_assert_no_error (error);
  g_assert_true (mamori_sync_client_sync (vp_client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  link = mamori_vault_get_board_link (vp, &error);
  g_assert_no_error (error);

  /* Nothing new: the board holds the request for the wait, then says so. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (watch (vp_client, link->epoch, link->cursor, 1, &error), ==,
                   MAMORI_SYNC_NEWS_NONE);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  /* Another epoch than the cursor's (a restored board) is news. */
  g_assert_cmpint (watch (vp_client, "00000000000000000000000000000000", link->cursor, 1, &error),
                   ==, MAMORI_SYNC_NEWS_EVENTS);
  g_assert_no_error (error);

  /* The vice-principal's computer pushes: the teacher's watch wakes long before its wait
   * ends. */
  g_assert_true (mamori_sync_client_sync (teacher_client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&link, mamori_board_link_free);
  link = mamori_vault_get_board_link (teacher, &error);
  g_assert_no_error (error);
  mamori_sync_client_watch_async (teacher_client, link->epoch, link->cursor, 30, NULL, watched_cb,
                                  &watched);
  policy = mamori_vault_load_policy (vp, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  add_entry (vp, policy, "B");
  g_assert_true (mamori_sync_client_sync (vp_client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  while (!watched.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (watched.news, ==, MAMORI_SYNC_NEWS_EVENTS);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* A token the board no longer takes (expired after 15 minutes, or never its own). */
  _mamori_sync_client_set_token (
      vp_client, "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpint (watch (vp_client, link->epoch, link->cursor, 1, &error), ==,
                   MAMORI_SYNC_NEWS_EXPIRED);
  g_assert_no_error (error);

  /* Cancelled. */
  mamori_sync_client_watch_async (vp_client, link->epoch, G_MAXINT32, 30, cancellable, result_cb,
                                  &result);
  g_cancellable_cancel (cancellable);
  mamori_sync_client_watch_finish (vp_client, wait_for (&result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The board gone. */
  board_kill (board);
  watch (vp_client, link->epoch, link->cursor, 1, &error);
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);

  /* Over HTTPS the watch takes the pinned certificate only (its sessions died with the
   * process: the board answers 401, after the handshake). */
  board_serve_tls (board, cert, key);
  certificate = g_tls_certificate_new_from_file (cert, &error);
  g_assert_no_error (error);
  pin = mamori_sync_certificate_hash (certificate);
  tls_client = _mamori_sync_client_new_for (vp, board->uri, pin, &error);
  g_assert_no_error (error);
  _mamori_sync_client_set_token (
      tls_client, "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpint (watch (tls_client, link->epoch, link->cursor, 1, &error), ==,
                   MAMORI_SYNC_NEWS_EXPIRED);
  g_assert_no_error (error);
  g_clear_object (&tls_client);
  other_pin = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  tls_client = _mamori_sync_client_new_for (vp, board->uri, other_pin, &error);
  g_assert_no_error (error);
  _mamori_sync_client_set_token (
      tls_client, "0000000000000000000000000000000000000000000000000000000000000000");
  watch (tls_client, link->epoch, link->cursor, 1, &error);
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_CERTIFICATE);
  g_clear_object (&tls_client);

  g_clear_object (&vp_client);
  g_clear_object (&teacher_client);
  g_clear_object (&vp);
  g_clear_object (&teacher);
  vfs_test_remove_dir (dir);
}

/* A board that dropped an event held for a bad signature (`mamori-board drop-held`): a
 * school's vault sees the new epoch at its next sync, pulls again from the start and
 * gets the school's later event that was held behind the dropped one; what it had, it
 * keeps, and the dropped event never reaches it. */
static void
test_drop_held (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autofree char *code = board_add_staff (board, board->school, "伊藤 校長", "principal");
  g_autofree char *later_code = NULL;
  g_autoptr (MamoriVault) principal = enroll (dir, "principal", board->uri, code);
  g_autoptr (MamoriSyncClient) client = NULL;
  g_autoptr (MamoriStaff) found = NULL;
  g_autoptr (MamoriEvent) first = NULL, forged = NULL, third = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GError) error = NULL;
  MamoriEvent *batch[3];
  guint status;
  int exit_status = 1;

  client = mamori_sync_client_new (principal, &error);
  g_assert_no_error (error);
  add_teacher (vp, board, teacher, "鈴木 一郎");
  /* A modified client's run, its middle event's signature not the author's. */
  first = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                       mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_OFFICE));
  forged = device_sign (
      vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
      mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_VICE_PRINCIPAL));
  forged->sig[5] ^= 0x40;
  third = device_sign (vp, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                       mamori_roster_staff_role_changed_body (teacher->staff, MAMORI_ROLE_TEACHER));
  batch[0] = first;
  batch[1] = forged;
  batch[2] = third;
  answer = device_push (vp, board, batch, 3, &status);
  g_assert_cmpuint (status, ==, 200);
  /* The board's own event, after it: held back too. */
  later_code = board_add_staff (board, board->school, "山田 三郎", "teacher");
  for (guint i = 0; i < 100 && exit_status != 0; i++)
    {
      exit_status = board_run (
          (const char *[]){ "drop-held", "--data", board->dir, "--dry-run", NULL }, NULL);
      if (exit_status != 0)
        g_usleep (100 * 1000);
    }
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  found = mamori_roster_find_by_name (mamori_vault_get_store (principal), "山田 三郎", &error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_cmpint (board_run ((const char *[]){ "drop-held", "--data", board->dir, NULL }, NULL),
                   ==, 0);
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  found = mamori_roster_find_by_name (mamori_vault_get_store (principal), "山田 三郎", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_clear_pointer (&found, mamori_staff_free);
  /* The run's first event is kept, the forged one and the next are not. */
  found = mamori_roster_find_by_name (mamori_vault_get_store (principal), "鈴木 一郎", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->role, ==, MAMORI_ROLE_OFFICE);

  g_clear_object (&client);
  g_clear_object (&principal);
  vfs_test_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/sync/board-role", test_board_role);
  g_test_add_func ("/sync/watch", test_watch);
  g_test_add_func ("/sync/drop-held", test_drop_held);
  return g_test_run ();
}
