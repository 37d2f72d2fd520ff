/* test-gui-board.c — 学校, the board role's page, against a real mamori-board on
 * loopback: two schools, one with take-outs waiting and declined and an asset kept below
 * its template's level; the page shows the counts and the entry; a preset published
 * from the page reaches a school's vault at its next sync; a policy lacking levels a
 * register uses is refused, saying which school, and the page asks where each level goes
 * (reading the policy in force once no job has the vault) and publishes it again with
 * that mapping; nobody else sees the page
 *
 * Usage: test-gui-board PATH/TO/mamori-board
 * With MAMORI_SCREENSHOT_DIR set, the window is saved there as board-*.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "board-test-util.h"
#include "mamori-board-page.h"
#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-level-mapping-dialog.h"
#include "mamori-policy-record.h"
#include "mamori-register.h"
#include "mamori-session-board.h"
#include "mamori-session-private.h"
#include "mamori-sync-join.h"
#include "mamori-takeout.h"
#include "mamori-test-util.h"

#define PASSPHRASE "board test passphrase"

/* A person's vault on a computer of their own, enrolled with @code. */
static MamoriVault *
enroll (const char *dir, const char *who, const char *url, const char *code)
{
  g_autofree char *path = g_build_filename (dir, who, "school.mamori", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_auto (MamoriSyncReport) report = { 0 };
  g_autoptr (GError) error = NULL;
  MamoriVault *vault = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  mamori_sync_enroll (path, url, code, PASSPHRASE, who, NULL, NULL, &vault, &report, &error);
  g_assert_no_error (error);
  return vault;
}

static void
sync_vault (MamoriVault *vault)
{
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (vault, NULL);
  g_auto (MamoriSyncReport) report = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (client);
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, &report, &error));
  g_assert_no_error (error);
}

static char *
file_request (MamoriVault *teacher)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "通知表の下書き", "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_PAPER;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("所見の記入");
  draft->date_from = g_strdup ("2099-01-06");
  draft->date_until = g_strdup ("2099-01-10");
  request = mamori_takeout_file (teacher, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  return g_strdup (request->id);
}

/* さくら小学校's records: two requests, one of them declined, and an asset at C whose
 * template says B. */
static void
fill_school (const char *dir, const char *url, const char *vp_code, const char *teacher_code)
{
  g_autoptr (MamoriVault) vp = enroll (dir, "vp", url, vp_code);
  g_autoptr (MamoriVault) teacher = enroll (dir, "teacher", url, teacher_code);
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vp, NULL);
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autofree char *waiting = NULL, *declined = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *assets = mamori_policy_get_assets (policy);

  waiting = file_request (teacher);
  declined = file_request (teacher);
  sync_vault (teacher);
  sync_vault (vp);
  g_assert_true (mamori_takeout_reject (vp, declined, "期末までは校内で", PASSPHRASE, &error));
  g_assert_no_error (error);
  for (guint i = 0; entry == NULL; i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);

      if (g_str_equal (mamori_level_get_id (mamori_asset_get_level (asset)), "B"))
        entry = mamori_register_entry_new_from_template (asset, policy);
    }
  g_free (entry->level);
  entry->level = g_strdup ("C");
  entry->reason = g_strdup ("氏名を伏せた写しのみ");
  g_assert_true (mamori_register_add (vp, policy, entry, &error));
  g_assert_no_error (error);
  sync_vault (vp);
}

static guint
count_policies (MamoriVault *vault)
{
  const char *types[] = { MAMORI_EVENT_POLICY_INSTALLED, NULL };
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;

  events = mamori_event_log_list (mamori_vault_get_store (vault), types, &error);
  g_assert_no_error (error);
  return events->len;
}

/* Generous: the sanitizer pass runs this beside the heaviest GUI tests, on two cores. */
#define WAIT_USEC (60 * G_USEC_PER_SEC)

static void
wait_for_state (MamoriBoardPage *page, const char *state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_USEC;

  while (g_strcmp0 (mamori_board_page_get_state (page), state) != 0)
    {
      if (g_get_monotonic_time () >= deadline)
        g_error ("The board page is still “%s”, not “%s”, after 60 s",
                 mamori_board_page_get_state (page), state);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_until_free (MamoriSession *session)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_USEC;

  while (mamori_session_get_busy (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

/* The message dialog that is showing now. */
static AdwMessageDialog *
find_dialog (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWindow *dialog;

  while ((dialog = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
respond (AdwMessageDialog *dialog, const char *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

/* Holds the vault with a job of the test's as soon as the job running now ends, until
 * @release is cancelled. */
typedef struct
{
  MamoriSession *session;
  GCancellable *release;
  gboolean held;
} Holder;

static void
hold_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  Holder *holder = user_data;

  g_assert_no_error (error);
  holder->held = TRUE;
  _mamori_session_hold_for_test (session, holder->release);
}

static guint
count_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        n++;
    }
  return n;
}

/* Publishes the preset @id through the page's dialogs; with @holder, the vault is held
 * as soon as the publication's job ends, before the page hears how it went. */
static void
publish_preset (MamoriBoardPage *page, const char *id, Holder *holder)
{
  const char *const *ids = mamori_policy_list_presets ();
  AdwMessageDialog *dialog;
  guint index = 0;

  while (!g_str_equal (ids[index], id))
    index++;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.publish", NULL));
  dialog = find_dialog ();
  gtk_drop_down_set_selected (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog)), index);
  respond (dialog, "preset");
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, "publish");
  /* The job has started, and cannot end before the main loop runs again. */
  if (holder != NULL)
    {
      g_assert_true (mamori_session_get_busy (holder->session));
      mamori_session_when_free (holder->session, NULL, hold_cb, holder);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

static void
test_board_page (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autoptr (Board) board = board_new_empty ();
  const char *data = board->dir;
  g_autofree char *path = g_build_filename (dir, "officer", "school.mamori", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *sakura = NULL, *momiji = NULL;
  g_autofree char *vp_code = NULL, *teacher_code = NULL, *officer_code = NULL,
                  *principal_code = NULL;
  g_autofree char *oita
      = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "policies", "oita-abcd.json", NULL);
  g_autoptr (MamoriSession) session = NULL;
  g_autoptr (MamoriVault) principal = NULL;
  g_autoptr (MamoriBoardSchool) first = NULL;
  g_autofree char *who = NULL;
  AdwMessageDialog *refusal;
  MamoriLevelMappingDialog *mapping;
  AdwComboRow *combo;
  g_autofree char *spec = NULL;
  GPtrArray *lowered;
  GtkWidget *row;
  MamoriBoardPage *page;
  GtkSingleSelection *selection;
  MamoriWindow *window;
  Holder holder = { NULL, NULL, FALSE };
  gint64 deadline;

  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", data, "さくら小学校", NULL }, &sakura),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", data, "もみじ中学校", NULL }, &momiji),
      ==, 0);
  /* Take-out follows the policy in force: the board's, in every school. */
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", data, oita, NULL }, NULL), ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", data, "--school", sakura, "--name",
                                   "佐藤 花子", "--role", "vice-principal", NULL },
                 &vp_code),
      ==, 0);
  g_assert_cmpint (board_run ((const char *[]){ "add-staff", "--data", data, "--school", sakura,
                                                "--name", "鈴木 一郎", "--role", "teacher", NULL },
                              &teacher_code),
                   ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", data, "--school", momiji, "--name",
                                   "高橋 校長", "--role", "principal", NULL },
                 &principal_code),
      ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "add-staff", "--data", data, "--school", momiji, "--name",
                                   "指導主事 山本", "--role", "board", NULL },
                 &officer_code),
      ==, 0);
  board_serve (board);
  fill_school (dir, board->uri, vp_code, teacher_code);
  principal = enroll (dir, "principal", board->uri, principal_code);

  /* The board's officer joins from the first run, and the window opens on 学校. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  session = mamori_session_new (path);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 640);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_session_enroll_async (session, board->uri, officer_code, mamori_secure_strdup (PASSPHRASE),
                               NULL, NULL, NULL);
  mamori_test_wait_for_view (window, "main");
  page = MAMORI_BOARD_PAGE (mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_BOARD_PAGE));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  wait_for_state (page, "schools");
  wait_until_free (session);

  /* さくら小学校: two waiting, one declined, one lowered asset (B → C, with why). */
  selection = mamori_board_page_get_selection (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  g_assert_cmpstr (mamori_board_school_get_name (first), ==, "さくら小学校");
  g_assert_cmpuint (mamori_board_school_get_pending (first), ==, 1);
  g_assert_cmpuint (mamori_board_school_get_declined (first), ==, 1);
  g_assert_cmpuint (mamori_board_school_get_overdue (first), ==, 0);
  gtk_single_selection_set_selected (selection, 0);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (page), "B → C"));
  row = mamori_test_find_row (GTK_WIDGET (page), "不審者対策等マニュアル");
  g_assert_nonnull (row);
  /* Who lowered it, with the role in the app's language, not the board's. */
  who = g_strdup_printf (_ ("%s (%s)"), "佐藤 花子",
                         mamori_role_get_label (MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), who));
  mamori_test_screenshot (GTK_WIDGET (window), "board-schools.png");

  /* 文部科学省's levels are not the register's: the board refuses, naming the school, and
   * the page asks where each level goes.  Cancelled: nothing is published. */
  g_assert_cmpuint (count_policies (principal), ==, 1);
  /* A job has the vault as the refusal comes back: the policy in force is read, and the
   * dialog shown, once it ends. */
  holder.session = session;
  holder.release = g_cancellable_new ();
  publish_preset (page, "mext-2025", &holder);
  deadline = g_get_monotonic_time () + WAIT_USEC;
  while (!holder.held)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_cancellable_cancel (holder.release);
  g_clear_object (&holder.release);
  wait_until_free (session);
  refusal = find_dialog ();
  g_assert_cmpuint (count_toplevels (MAMORI_TYPE_LEVEL_MAPPING_DIALOG), ==, 1);
  g_assert_true (MAMORI_IS_LEVEL_MAPPING_DIALOG (refusal));
  g_assert_nonnull (g_strstr_len (adw_message_dialog_get_body (refusal), -1, "さくら小学校"));
  spec = mamori_level_mapping_dialog_get_spec (MAMORI_LEVEL_MAPPING_DIALOG (refusal));
  g_assert_cmpstr (spec, ==, "A=I,B=II,C=III,D=IV");
  g_clear_pointer (&spec, g_free);
  respond (refusal, "cancel");
  wait_until_free (session);
  g_assert_null (mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  sync_vault (principal);
  g_assert_cmpuint (count_policies (principal), ==, 1);

  /* A preset whose levels fit reaches もみじ中学校's principal at the next sync. */
  g_assert_cmpuint (count_policies (principal), ==, 1);
  publish_preset (page, "oita-abcd", NULL);
  wait_until_free (session);
  wait_for_state (page, "schools");
  g_assert_nonnull (mamori_test_find_widget (GTK_WIDGET (page), ADW_TYPE_TOAST_OVERLAY));
  mamori_test_screenshot (GTK_WIDGET (window), "board-published.png");
  sync_vault (principal);
  g_assert_cmpuint (count_policies (principal), ==, 2);

  /* 文部科学省's again, with the levels placed (one of them changed): the board publishes
   * it and moves さくら小学校's entries; its lowered asset is not in 文部科学省's template,
   * so it is lowered no more. */
  publish_preset (page, "mext-2025", NULL);
  wait_until_free (session);
  mapping = MAMORI_LEVEL_MAPPING_DIALOG (find_dialog ());
  combo = ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (mapping), "重要度D"));
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (combo, 2);
  spec = mamori_level_mapping_dialog_get_spec (mapping);
  g_assert_cmpstr (spec, ==, "A=I,B=II,C=III,D=III");
  mamori_test_screenshot (GTK_WIDGET (mapping), "board-mapping.png");
  respond (ADW_MESSAGE_DIALOG (mapping), "install");
  wait_until_free (session);
  g_assert_null (mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  sync_vault (principal);
  g_assert_cmpuint (count_policies (principal), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.refresh", NULL));
  wait_until_free (session);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  lowered = mamori_board_school_get_lowered (first);
  g_assert_cmpuint (lowered->len, ==, 0);

  /* The board's server down: said so, with a way to try again. */
  g_clear_object (&principal);
  board_kill (board);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.refresh", NULL));
  wait_for_state (page, "error");
  wait_until_free (session);
  g_assert_nonnull (mamori_test_find_actionable (GTK_WIDGET (page), "page.refresh"));
  mamori_test_screenshot (GTK_WIDGET (window), "board-offline.png");

  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_clear_object (&session);
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
  /* The screenshots are the Japanese user guide's. */
  if (g_getenv ("MAMORI_SCREENSHOT_DIR") != NULL)
    mamori_test_use_japanese ();
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];

  g_test_add_func ("/gui/board/schools", test_board_page);
  return g_test_run ();
}
