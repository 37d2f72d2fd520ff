/* test-gui-takeout.c — the take-out page: the approvals queue and its badge, approving
 * and declining as the vice-principal (the passphrase asked again: a wrong one is said in
 * the dialog, which stays open, and signs nothing), and a teacher who is offered no
 * decision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mamori-roster.h"
#include "mamori-takeout-decision-dialog.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-row.h"
#include "mamori-test-util.h"

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
  { "田中 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-1" },
  { "佐藤 校長", MAMORI_ROLE_PRINCIPAL, "principal-passphrase-1" },
};

typedef struct
{
  char *dir;
  char *path;
  MamoriSession *session;
  MamoriWindow *window;
  MamoriTakeoutPage *page;
  AdwViewStack *stack;
} Fixture;

/* @n requests by the teacher, as another window (or process) would file them. */
static void
file_requests (const char *path, guint n)
{
  g_autoptr (MamoriVault) vault = mamori_test_open_vault (path, &users[1]);

  for (guint i = 0; i < n; i++)
    g_free (mamori_test_file_request (vault, i == 0 ? "成績一覧表" : "面談記録", "成績処理"));
  mamori_vault_lock (vault);
}

/* Level B's approval in two steps: the vice-principal reviews, the principal approves. */
static void
install_steps (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = mamori_test_open_vault (path, &users[0]);
  g_autoptr (MamoriPolicy) policy = NULL, stepped = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL, *text = NULL;
  JsonArray *levels;

  policy = mamori_vault_load_policy (vault, &error);
  g_assert_no_error (error);
  json = mamori_policy_to_json (policy, NULL);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  levels = json_object_get_array_member (json_node_get_object (root), "levels");
  json_object_set_member (
      json_array_get_object_element (levels, 1), "approval_steps",
      json_from_string ("[{\"roles\": [\"vice-principal\"]}, {\"roles\": [\"principal\"]}]", NULL));
  text = json_to_string (root, FALSE);
  stepped = mamori_policy_new_from_data (text, strlen (text), "steps.json", &error);
  g_assert_no_error (error);
  g_assert_true (mamori_vault_store_policy (vault, stepped, &error));
  mamori_vault_lock (vault);
}

static void
set_up (Fixture *f, const MamoriTestUser *user, gboolean steps)
{
  GtkWidget *page;

  f->dir = mamori_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (f->path, users, G_N_ELEMENTS (users));
  if (steps)
    install_steps (f->path);
  file_requests (f->path, 2);
  f->window = mamori_test_open_window (f->path, user, "takeout", &f->session, &page);
  f->page = MAMORI_TAKEOUT_PAGE (page);
  f->stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  set_up (f, data, FALSE);
}

static void
fixture_set_up_steps (Fixture *f, gconstpointer data)
{
  set_up (f, data, TRUE);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  mamori_test_close_window (f->window, f->session);
  mamori_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (mamori_takeout_page_get_selection (f->page)));
}

static const MamoriTakeoutRequest *
row_request (Fixture *f, guint position)
{
  g_autoptr (MamoriTakeoutRow) row = g_list_model_get_item (
      G_LIST_MODEL (mamori_takeout_page_get_selection (f->page)), position);

  return mamori_takeout_row_get_request (row);
}

static void
select_row (Fixture *f, guint position)
{
  gtk_single_selection_set_selected (mamori_takeout_page_get_selection (f->page), position);
  mamori_test_flush ();
}

static gboolean
settled_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop a while: the page reads the vault again a quarter of a second after
 * its file changes, which resets the selection. */
static void
settle (void)
{
  gboolean settled = FALSE;

  g_timeout_add (600, settled_cb, &settled);
  while (!settled)
    g_main_context_iteration (NULL, TRUE);
  mamori_test_flush ();
}

/* The decision dialog @action opened: the passphrase typed, the decision asked for, and
 * the main loop run until the session has signed it or not.  Returns the dialog if it is
 * still open. */
static GtkWindow *
decide (Fixture *f, const char *passphrase)
{
  GtkWindow *dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);

  g_assert_nonnull (dialog);
  mamori_test_type_into (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "Your Passphrase"),
                         passphrase);
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "decision.decide", NULL));
  mamori_test_flush ();
  mamori_test_wait_for_session (f->session);
  settle ();
  return mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);
}

static void
test_approver (Fixture *f, gconstpointer data)
{
  AdwViewStackPage *stack_page = adw_view_stack_get_page (f->stack, GTK_WIDGET (f->page));
  GtkWidget *approve = mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve");
  g_autofree char *declined = NULL;
  g_autofree char *approved_title = NULL;
  GtkWindow *dialog;

  /* The queue, and its count on the page's switcher. */
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpuint (mamori_takeout_page_get_queue_count (f->page), ==, 2);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 2);
  g_assert_nonnull (approve);
  g_assert_false (gtk_widget_is_sensitive (approve));

  /* Approve the first: a wrong passphrase signs nothing and the dialog says so… */
  select_row (f, 0);
  g_assert_true (gtk_widget_is_sensitive (approve));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.approve", NULL);
  mamori_test_flush ();
  dialog = decide (f, "not the passphrase");
  g_assert_nonnull (dialog);
  g_assert_nonnull (mamori_test_find_label (
      GTK_WIDGET (dialog),
      g_dgettext (GETTEXT_PACKAGE,
                  "That passphrase is not right. Nothing was signed: type it again.")));
  g_assert_cmpuint (n_rows (f), ==, 2);
  /* …the right one approves, and the dialog closes. */
  g_assert_null (decide (f, users[0].passphrase));
  g_assert_cmpuint (n_rows (f), ==, 1);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 1);

  /* Decline the other, with a reason. */
  select_row (f, 0);
  declined = g_strdup (row_request (f, 0)->id);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.reject", NULL);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);
  g_assert_nonnull (dialog);
  mamori_test_type_into (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "Your Passphrase"),
                         users[0].passphrase);
  mamori_test_flush ();
  /* No reason yet: nothing to decline with. */
  g_assert_false (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (dialog), "decision.decide")));
  mamori_test_type_into (GTK_WIDGET (dialog),
                         g_dgettext (GETTEXT_PACKAGE, "Reason (the requester sees it)"),
                         "期間が長すぎます");
  g_assert_null (decide (f, users[0].passphrase));
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 0);

  /* The declined requests, with the reason in a column of their own. */
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_DECLINED);
  mamori_test_flush ();
  g_assert_cmpuint (n_rows (f), ==, 1);
  g_assert_cmpstr (row_request (f, 0)->id, ==, declined);
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (f->page), "期間が長すぎます"));

  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_ALL);
  mamori_test_flush ();
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpstr (row_request (f, 0)->id, ==, declined);
  g_assert_null (mamori_test_find_label (GTK_WIDGET (f->page), "期間が長すぎます"));

  /* A request's timeline: filed, then declined. */
  g_signal_emit_by_name (mamori_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_COLUMN_VIEW),
                         "activate", 0);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (dialog), "Filed"));
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (dialog), "Declined"));
  g_assert_null (mamori_test_find_row (GTK_WIDGET (dialog), "Approved"));
  gtk_window_destroy (dialog);
  mamori_test_flush ();

  /* The other's: approved, by whom in which role. */
  g_signal_emit_by_name (mamori_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_COLUMN_VIEW),
                         "activate", 1);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  approved_title = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s (%s)"),
                                    mamori_takeout_step_get_label (1, 1),
                                    mamori_role_get_label (MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (dialog), approved_title));
  gtk_window_destroy (dialog);
  mamori_test_flush ();

  /* All requests: one approved, one declined with its reason. */
  for (guint i = 0; i < 2; i++)
    {
      const MamoriTakeoutRequest *request = row_request (f, i);

      if (g_str_equal (request->id, declined))
        {
          g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_REJECTED);
          g_assert_cmpstr (request->reason, ==, "期間が長すぎます");
        }
      else
        g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_APPROVED);
    }
}

/* Two steps: the vice-principal's review leaves the request waiting for the principal,
 * whose step they may not sign; the timeline says who reviewed. */
static void
test_steps (Fixture *f, gconstpointer data)
{
  AdwViewStackPage *stack_page = adw_view_stack_get_page (f->stack, GTK_WIDGET (f->page));
  GtkWidget *approve = mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve");
  g_autofree char *reviewed_title = NULL;
  guint reviewed = G_MAXUINT;
  GtkWindow *dialog;

  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 2);
  select_row (f, 0);
  g_assert_cmpuint (row_request (f, 0)->n_steps, ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.approve", NULL);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_null (decide (f, users[0].passphrase));

  /* Still waiting (for the principal): listed, not counted, not for this approver. */
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 1);
  for (guint i = 0; i < 2; i++)
    if (g_strv_length (row_request (f, i)->steps) == 1)
      reviewed = i;
  g_assert_cmpuint (reviewed, <, 2);
  g_assert_cmpint (row_request (f, reviewed)->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  select_row (f, reviewed);
  g_assert_cmpuint (gtk_single_selection_get_selected (mamori_takeout_page_get_selection (f->page)),
                    ==, reviewed);
  g_assert_false (gtk_widget_is_sensitive (approve));
  g_signal_emit_by_name (mamori_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_COLUMN_VIEW),
                         "activate", reviewed);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  reviewed_title = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s (%s)"),
                                    mamori_takeout_step_get_label (1, 2),
                                    mamori_role_get_label (MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (dialog), reviewed_title));
  gtk_window_destroy (dialog);
  mamori_test_flush ();
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

/* A blanket grant through the session asks for the passphrase again too. */
static char *
grant (Fixture *f, const char *passphrase, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (MamoriStaff) staff = mamori_roster_find_by_name (
      mamori_vault_get_store (mamori_session_get_vault (f->session)), users[1].name, NULL);

  g_assert_nonnull (staff);
  mamori_session_grant_takeout_async (f->session, NULL, staff->id, "C", "2099-03-31",
                                      mamori_secure_strdup (passphrase), NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return mamori_session_grant_takeout_finish (f->session, result, error);
}

static void
test_grant (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wrong = grant (f, "not the passphrase", &error);
  g_autofree char *right = NULL;

  g_assert_null (wrong);
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  right = grant (f, users[0].passphrase, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (right), ==, 32);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A request filed elsewhere on the same vault reaches the page while it is open. */
static void
test_another_window (Fixture *f, gconstpointer data)
{
  gint64 deadline;
  guint tick = g_timeout_add (100, tick_cb, NULL); /* wakes the loop to look at the clock */

  g_assert_cmpuint (mamori_takeout_page_get_queue_count (f->page), ==, 2);
  file_requests (f->path, 1);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (mamori_takeout_page_get_queue_count (f->page) != 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (mamori_takeout_page_get_queue_count (f->page), ==, 3);
  g_assert_cmpuint (n_rows (f), ==, 3);
}

static void
test_teacher (Fixture *f, gconstpointer data)
{
  /* Their own requests wait for someone else: nothing to decide here, and no badge. */
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpuint (mamori_takeout_page_get_queue_count (f->page), ==, 0);
  select_row (f, 0);
  g_assert_false (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve")));
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_MINE);
  mamori_test_flush ();
  g_assert_cmpuint (n_rows (f), ==, 2);
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_DUE);
  mamori_test_flush ();
  g_assert_cmpuint (n_rows (f), ==, 0);
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

  g_test_add ("/gui/takeout/approver", Fixture, &users[0], fixture_set_up, test_approver,
              fixture_tear_down);
  g_test_add ("/gui/takeout/steps", Fixture, &users[0], fixture_set_up_steps, test_steps,
              fixture_tear_down);
  g_test_add ("/gui/takeout/grant", Fixture, &users[0], fixture_set_up, test_grant,
              fixture_tear_down);
  g_test_add ("/gui/takeout/another-window", Fixture, &users[0], fixture_set_up,
              test_another_window, fixture_tear_down);
  g_test_add ("/gui/takeout/teacher", Fixture, &users[1], fixture_set_up, test_teacher,
              fixture_tear_down);

  return g_test_run ();
}
