/* test-gui-takeout-form.c — the new-request form and blanket approvals in the window
 *
 * A teacher files a request through the form: the policy's outcome follows the items and
 * the medium (a forbidden level, a medium the matrix denies), 申請 waits for the measures,
 * and the request then waits in the vice-principal's queue.  A blanket approval covers a
 * teacher's request in the form; the vice-principal grants and revokes one, and approves
 * a request with one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-register.h"
#include "mamori-takeout-grant-dialog.h"
#include "mamori-takeout-grant-form.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-takeout-row.h"
#include "mamori-test-util.h"

#define VICE_PRINCIPAL (&users[0])
#define TEACHER (&users[1])

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
  { "田中 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-1" },
};

typedef struct
{
  char *dir;
  char *path;
  MamoriSession *session;
  MamoriWindow *window;
  MamoriTakeoutPage *page;
} Fixture;

/* The register holds 通知表 (B) and 学年だより (C), entered by the vice-principal. */
static void
fill_register (const char *path)
{
  static const struct
  {
    const char *name, *level;
  } entries[] = { { "通知表", "B" }, { "学年だより", "C" } };
  g_autoptr (MamoriVault) vault = mamori_test_open_vault (path, VICE_PRINCIPAL);
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, NULL);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();

      entry->name = g_strdup (entries[i].name);
      entry->category = g_strdup ("seiseki");
      entry->level = g_strdup (entries[i].level);
      entry->location = g_strdup ("職員室");
      g_assert_true (mamori_register_add (vault, policy, entry, &error));
      g_assert_no_error (error);
    }
  mamori_vault_lock (vault);
}

static void
open_window (Fixture *f, const MamoriTestUser *user)
{
  GtkWidget *page;

  f->window = mamori_test_open_window (f->path, user, "takeout", &f->session, &page);
  f->page = MAMORI_TAKEOUT_PAGE (page);
}

static void
close_window (Fixture *f)
{
  mamori_test_close_window (g_steal_pointer (&f->window), g_steal_pointer (&f->session));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = mamori_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (f->path, users, G_N_ELEMENTS (users));
  fill_register (f->path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    close_window (f);
  mamori_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Destroys @window and checks that nothing holds it. */
static void
destroy (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  mamori_test_flush ();
  g_assert_finalize_object (window);
}

static GtkWidget *
open_form (Fixture *f)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.new-request", NULL);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG);
  g_assert_nonnull (dialog);
  return GTK_WIDGET (dialog);
}

/* Searches the register in @form for @query and adds the entry named @name. */
static void
pick (GtkWidget *form, const char *query, const char *name)
{
  GtkWidget *entry = mamori_test_find_widget (form, GTK_TYPE_SEARCH_ENTRY);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWidget *row;

  gtk_editable_set_text (GTK_EDITABLE (entry), query);
  /* The search entry waits a moment before it says the text changed. */
  while ((row = mamori_test_find_row (form, name)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  mamori_test_flush ();
}

static gboolean
can_file (GtkWidget *form)
{
  GtkWidget *button = mamori_test_find_actionable (form, "request.file");

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* Ticks the check box of each measure of @level in @form but the last @leave. */
static void
tick_measures (GtkWidget *form, const char *level_id, guint leave)
{
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", NULL);
  const char *const *measures
      = mamori_level_get_measures (mamori_policy_lookup_level (policy, level_id));
  guint n = g_strv_length ((char **)measures);

  g_assert_cmpuint (n, >, leave);
  for (guint i = 0; i + leave < n; i++)
    {
      GtkWidget *row = mamori_test_find_row (form, measures[i]);

      g_assert_nonnull (row);
      gtk_check_button_set_active (
          GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), TRUE);
    }
  mamori_test_flush ();
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
test_file_request (Fixture *f, gconstpointer data)
{
  GtkWidget *form;
  GtkWidget *remove;
  g_autofree char *id = NULL;

  open_window (f, TEACHER);
  form = open_form (f);
  g_assert_nonnull (mamori_test_find_label (form, "No Items Yet"));
  g_assert_false (can_file (form));

  /* 通知表 is at B: approval each time, with the measures of B to acknowledge.  The
   * search splits words at the ideographic space too, and matches the place. */
  pick (form, "職員室　通知", "通知表");
  g_assert_nonnull (mamori_test_find_label (form, "Needs Approval"));
  g_assert_null (mamori_test_find_label (form, "No Items Yet"));

  /* A free-text item at A: forbidden, with the alternative the policy gives. */
  adw_expander_row_set_expanded (
      ADW_EXPANDER_ROW (mamori_test_find_row (form, "Not in the Register")), TRUE);
  mamori_test_flush ();
  mamori_test_type_into (form, "Item", "指導要録");
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "Level")), 0);
  gtk_widget_activate_action (form, "request.add-item", NULL);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_row (form, "指導要録"));
  g_assert_nonnull (mamori_test_find_label (form, "Not Allowed"));
  g_assert_null (mamori_test_find_label (form, "Needs Approval"));
  g_assert_nonnull (
      mamori_test_find_label (form, "重要度A may not be taken out of the school. Use remote "
                                    "access instead: the policy allows it for this level."));
  remove = mamori_test_find_actionable (form, "request.remove-item");
  g_assert_nonnull (remove);
  gtk_widget_activate_action (form, "request.remove-item", "u", 1);
  mamori_test_flush ();
  g_assert_null (mamori_test_find_row (form, "指導要録"));
  g_assert_nonnull (mamori_test_find_label (form, "Needs Approval"));

  /* A medium the environment matrix denies for B. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "Medium")),
                              MAMORI_TAKEOUT_MEDIUM_CLOUD);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (form, "Not Allowed"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "Medium")),
                              MAMORI_TAKEOUT_MEDIUM_USB);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (form, "Needs Approval"));

  /* The details, with the dates out of order first. */
  mamori_test_type_into (form, "Destination", "自宅");
  mamori_test_type_into (form, "Purpose", "所見の下書き");
  mamori_test_type_into (form, "From (YYYY-MM-DD)", "2026-06-03");
  mamori_test_type_into (form, "Until (YYYY-MM-DD)", "2026-06-01");
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (form, "The period ends before it starts."));
  tick_measures (form, "B", 0);
  g_assert_false (can_file (form));
  mamori_test_type_into (form, "Until (YYYY-MM-DD)", "2026-06-05");
  mamori_test_flush ();
  g_assert_null (mamori_test_find_label (form, "The period ends before it starts."));
  g_assert_true (can_file (form));

  /* Each measure must be acknowledged. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "Medium")),
                              MAMORI_TAKEOUT_MEDIUM_PAPER);
  mamori_test_flush ();
  g_assert_true (can_file (form));
  mamori_test_type_into (form, "Purpose", " ");
  mamori_test_flush ();
  g_assert_false (can_file (form));
  g_assert_nonnull (mamori_test_find_label (form, "Say what the items are taken out for."));
  mamori_test_type_into (form, "Purpose", "所見の下書き");
  {
    g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", NULL);
    const char *const *measures
        = mamori_level_get_measures (mamori_policy_lookup_level (policy, "B"));
    GtkWidget *row = mamori_test_find_row (form, measures[1]);

    gtk_check_button_set_active (
        GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), FALSE);
    mamori_test_flush ();
    g_assert_false (can_file (form));
    gtk_check_button_set_active (
        GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), TRUE);
    mamori_test_flush ();
  }
  g_assert_true (can_file (form));

  /* Filed: the form closes, and the teacher's own requests show it. */
  g_object_ref (form);
  gtk_widget_activate_action (form, "request.file", NULL);
  mamori_test_flush ();
  g_assert_false (gtk_widget_get_visible (form));
  g_object_unref (form);
  mamori_test_flush ();
  g_assert_null (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_cmpuint (n_rows (f), ==, 1);
  g_assert_cmpint (row_request (f, 0)->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_cmpint (row_request (f, 0)->medium, ==, MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpstr (row_request (f, 0)->level, ==, "B");
  g_assert_cmpstr (row_request (f, 0)->date_until, ==, "2026-06-05");
  g_assert_cmpuint (row_request (f, 0)->items->len, ==, 1);
  id = g_strdup (row_request (f, 0)->id);
  close_window (f);

  /* It waits for the vice-principal, who may approve it. */
  open_window (f, VICE_PRINCIPAL);
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_QUEUE);
  mamori_test_flush ();
  g_assert_cmpuint (n_rows (f), ==, 1);
  g_assert_cmpstr (row_request (f, 0)->id, ==, id);
  g_assert_cmpuint (mamori_takeout_page_get_queue_count (f->page), ==, 1);
  gtk_single_selection_set_selected (mamori_takeout_page_get_selection (f->page), 0);
  mamori_test_flush ();
  g_assert_true (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve")));
  /* Approval each time: not one a blanket approval could cover. */
  g_assert_false (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve-blanket")));
}

/* A blanket approval for the teacher covers a request at C, as the form says. */
static void
test_covered (Fixture *f, gconstpointer data)
{
  GtkWidget *form;
  GtkWindow *grants;

  mamori_test_grant_blanket (f->path, VICE_PRINCIPAL, TEACHER->name, "C");
  open_window (f, TEACHER);
  form = open_form (f);
  pick (form, "学年", "学年だより");
  g_assert_nonnull (mamori_test_find_label (form, "Covered by a Blanket Approval"));
  /* Paper is fine for C; a private stick is not. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "Medium")),
                              MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (form, "Not Allowed"));
  destroy (GTK_WINDOW (form));

  /* The teacher sees the grant that covers them, and may not revoke it. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.grants", NULL);
  mamori_test_flush ();
  grants = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_DIALOG);
  g_assert_nonnull (grants);
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (grants), TEACHER->name));
  g_assert_null (mamori_test_find_actionable (GTK_WIDGET (grants), "grants.revoke"));
  g_assert_null (mamori_test_find_actionable (GTK_WIDGET (grants), "grants.new"));
  destroy (grants);
}

static guint
n_grants (Fixture *f, gboolean include_revoked)
{
  MamoriVault *vault = mamori_session_get_vault (f->session);
  g_autoptr (GPtrArray) grants
      = mamori_takeout_list_grants (mamori_vault_get_store (vault), include_revoked, NULL);

  return grants->len;
}

static void
test_grant_and_revoke (Fixture *f, gconstpointer data)
{
  GtkWindow *grants;
  GtkWindow *form;
  GtkWindow *confirm;
  GtkWidget *revoke;

  open_window (f, VICE_PRINCIPAL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.grants", NULL);
  mamori_test_flush ();
  grants = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_DIALOG);
  g_assert_nonnull (grants);
  g_assert_null (mamori_test_find_row (GTK_WIDGET (grants), TEACHER->name));

  /* Grant the teacher a blanket approval up to C. */
  gtk_widget_activate_action (GTK_WIDGET (grants), "grants.new", NULL);
  mamori_test_flush ();
  form = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_FORM);
  g_assert_nonnull (form);
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (form), "For")), 1);
  adw_combo_row_set_selected (
      ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (form), "Up to Level")), 2);
  mamori_test_type_into (GTK_WIDGET (form), "Valid Until (YYYY-MM-DD)", "2000-01-01");
  mamori_test_flush ();
  g_assert_false (
      gtk_widget_is_sensitive (mamori_test_find_actionable (GTK_WIDGET (form), "grant.grant")));
  mamori_test_type_into (GTK_WIDGET (form), "Valid Until (YYYY-MM-DD)", "2999-03-31");
  mamori_test_flush ();
  /* Not without the passphrase; a wrong one is said in the form, and grants nothing. */
  g_assert_false (
      gtk_widget_is_sensitive (mamori_test_find_actionable (GTK_WIDGET (form), "grant.grant")));
  mamori_test_type_into (GTK_WIDGET (form), "Your Passphrase", "not-her-passphrase");
  mamori_test_flush ();
  gtk_widget_activate_action (GTK_WIDGET (form), "grant.grant", NULL);
  mamori_test_wait_for_session (f->session);
  mamori_test_flush ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form)));
  g_assert_nonnull (mamori_test_find_label (
      GTK_WIDGET (form), "That passphrase is not right. Nothing was signed: type it again."));
  g_assert_cmpuint (n_grants (f, FALSE), ==, 0);
  mamori_test_type_into (GTK_WIDGET (form), "Your Passphrase", VICE_PRINCIPAL->passphrase);
  mamori_test_flush ();
  g_object_ref (form);
  gtk_widget_activate_action (GTK_WIDGET (form), "grant.grant", NULL);
  mamori_test_wait_for_session (f->session);
  mamori_test_flush ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (form)));
  g_object_unref (form);
  g_assert_cmpuint (n_grants (f, FALSE), ==, 1);
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (grants), TEACHER->name));
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (grants),
                                            "Up to 重要度C, until 2999-03-31, granted by "
                                            "山田 花子"));

  /* Revoke it, after confirming. */
  revoke = mamori_test_find_actionable (GTK_WIDGET (grants), "grants.revoke");
  g_assert_nonnull (revoke);
  g_signal_emit_by_name (revoke, "clicked");
  mamori_test_flush ();
  confirm = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_object_ref (confirm);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  mamori_test_flush ();
  gtk_window_destroy (confirm);
  g_object_unref (confirm);
  mamori_test_flush ();
  g_assert_cmpuint (n_grants (f, FALSE), ==, 1);

  g_signal_emit_by_name (mamori_test_find_actionable (GTK_WIDGET (grants), "grants.revoke"),
                         "clicked");
  mamori_test_flush ();
  confirm = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_object_ref (confirm);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "revoke");
  mamori_test_flush ();
  gtk_window_destroy (confirm);
  g_object_unref (confirm);
  mamori_test_flush ();
  g_assert_cmpuint (n_grants (f, FALSE), ==, 0);
  g_assert_cmpuint (n_grants (f, TRUE), ==, 1);
  g_assert_null (mamori_test_find_row (GTK_WIDGET (grants), TEACHER->name));
  destroy (grants);
}

/* A request at C that no grant covers: the vice-principal approves it with a blanket
 * approval, which covers the teacher's next one. */
static void
test_approve_as_blanket (Fixture *f, gconstpointer data)
{
  GtkWindow *form;

  {
    g_autoptr (MamoriVault) vault = mamori_test_open_vault (f->path, TEACHER);
    g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
    g_autoptr (MamoriTakeoutRequest) request = NULL;
    g_autoptr (GError) error = NULL;

    g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "学級通信の原稿", "C", NULL));
    draft->medium = MAMORI_TAKEOUT_MEDIUM_USB;
    draft->destination = g_strdup ("自宅");
    draft->purpose = g_strdup ("作成");
    draft->date_from = g_strdup ("2026-06-01");
    draft->date_until = g_strdup ("2026-06-02");
    request = mamori_takeout_file (vault, draft, &error);
    g_assert_no_error (error);
    g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
    mamori_vault_lock (vault);
  }
  open_window (f, VICE_PRINCIPAL);
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_single_selection_set_selected (mamori_takeout_page_get_selection (f->page), 0);
  mamori_test_flush ();
  g_assert_true (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (f->page), "takeout.approve-blanket")));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.approve-blanket", NULL);
  mamori_test_flush ();
  form = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_FORM);
  g_assert_nonnull (form);
  /* For the requester, up to the request's level, by default. */
  g_assert_cmpuint (
      adw_combo_row_get_selected (ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (form), "For"))),
      ==, 1);
  mamori_test_type_into (GTK_WIDGET (form), "Your Passphrase", VICE_PRINCIPAL->passphrase);
  mamori_test_flush ();
  g_object_ref (form);
  gtk_widget_activate_action (GTK_WIDGET (form), "grant.grant", NULL);
  mamori_test_wait_for_session (f->session);
  mamori_test_flush ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (form)));
  g_object_unref (form);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpuint (n_grants (f, FALSE), ==, 1);
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_ALL);
  mamori_test_flush ();
  g_assert_cmpint (row_request (f, 0)->state, ==, MAMORI_TAKEOUT_STATE_APPROVED);
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

  g_test_add ("/gui/takeout-form/file", Fixture, NULL, fixture_set_up, test_file_request,
              fixture_tear_down);
  g_test_add ("/gui/takeout-form/covered", Fixture, NULL, fixture_set_up, test_covered,
              fixture_tear_down);
  g_test_add ("/gui/takeout-form/grant-revoke", Fixture, NULL, fixture_set_up,
              test_grant_and_revoke, fixture_tear_down);
  g_test_add ("/gui/takeout-form/approve-as-blanket", Fixture, NULL, fixture_set_up,
              test_approve_as_blanket, fixture_tear_down);

  return g_test_run ();
}
