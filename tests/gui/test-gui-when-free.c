/* test-gui-when-free.c — the main thread writes to the vault only when no job has it
 *
 * A job holds the session's vault (a test hook: a job that does nothing until it is let
 * go, as a sync round would hold it for a moment): 申請 in the new-request form, Save in
 * the register's form and an approval wait, writing nothing, and happen exactly once when
 * the job ends.  A form closed while it waits writes nothing, and a lock tells the forms
 * that still wait.  The new-request form reads the register for its search when the
 * vault is free, in the session's thread, and an entry picked when it is free.  The
 * take-out page reads nothing while the vault is held, nor the handbook page when shown,
 * nor an entry's form for its history, nor the blanket approvals' list and form; nor the
 * session the roster when a job starts as a staff change ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "mamori-crypto.h"
#include "mamori-handbook-page.h"
#include "mamori-level.h"
#include "mamori-register-dialog.h"
#include "mamori-register.h"
#include "mamori-session-private.h"
#include "mamori-takeout-decision-dialog.h"
#include "mamori-takeout-grant-dialog.h"
#include "mamori-takeout-grant-form.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-takeout.h"
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
  GtkWidget *page;
  GCancellable *release; /* lets the holding job go */
  char *request_id;      /* filed before the window opened */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
  g_autoptr (GError) error = NULL;

  f->dir = mamori_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (f->path, users, G_N_ELEMENTS (users));
  vault = mamori_test_open_vault (f->path, VICE_PRINCIPAL);
  policy = mamori_vault_load_policy (vault, NULL);
  entry->name = g_strdup ("通知表");
  entry->category = g_strdup ("seiseki");
  entry->level = g_strdup ("B");
  entry->location = g_strdup ("職員室");
  g_assert_true (mamori_register_add (vault, policy, entry, &error));
  g_assert_no_error (error);
  mamori_vault_lock (vault);
  g_clear_object (&vault);
  vault = mamori_test_open_vault (f->path, TEACHER);
  f->request_id = mamori_test_file_request (vault, "学年だより", "下書き");
  mamori_vault_lock (vault);
  f->release = g_cancellable_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_cancellable_cancel (f->release);
  if (f->window != NULL)
    {
      mamori_test_wait_for_session (f->session);
      mamori_test_close_window (g_steal_pointer (&f->window), g_steal_pointer (&f->session));
    }
  g_clear_object (&f->release);
  mamori_test_remove_dir (f->dir);
  g_free (f->request_id);
  g_free (f->path);
  g_free (f->dir);
}

static void
open_window (Fixture *f, const MamoriTestUser *user, const char *page)
{
  f->window = mamori_test_open_window (f->path, user, page, &f->session, &f->page);
}

/* A job has the vault until release(). */
static void
hold (Fixture *f)
{
  g_assert_false (mamori_session_get_busy (f->session));
  _mamori_session_hold_for_test (f->session, f->release);
  g_assert_true (mamori_session_get_busy (f->session));
}

static void
release (Fixture *f)
{
  g_cancellable_cancel (f->release);
  mamori_test_wait_for_session (f->session);
}

/* Runs the main loop a while with the vault held: what waits goes on waiting. */
static void
linger (void)
{
  gint64 until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  mamori_test_flush ();
}

static guint
n_requests (Fixture *f)
{
  MamoriTakeoutFilter filter = { .state = -1 };
  g_autoptr (GPtrArray) requests = mamori_takeout_list (
      mamori_vault_get_store (mamori_session_get_vault (f->session)), &filter, NULL);

  g_assert_nonnull (requests);
  return requests->len;
}

static guint
n_entries (Fixture *f)
{
  g_autoptr (GPtrArray) entries
      = mamori_register_list (mamori_vault_get_store (mamori_session_get_vault (f->session)), NULL);

  g_assert_nonnull (entries);
  return entries->len;
}

/* The new-request form filled for 通知表 (B), ready to file. */
static GtkWidget *
open_request_form (Fixture *f)
{
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", NULL);
  const char *const *measures
      = mamori_level_get_measures (mamori_policy_lookup_level (policy, "B"));
  GtkWidget *form;
  GtkWidget *entry;
  GtkWidget *row;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_widget_activate_action (f->page, "takeout.new-request", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_nonnull (form);
  entry = mamori_test_find_widget (form, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "通知");
  while ((row = mamori_test_find_row (form, "通知表")) == NULL
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  mamori_test_flush ();
  mamori_test_type_into (form, "Destination", "自宅");
  mamori_test_type_into (form, "Purpose", "所見の下書き");
  for (guint i = 0; measures[i] != NULL; i++)
    {
      row = mamori_test_find_row (form, measures[i]);
      g_assert_nonnull (row);
      gtk_check_button_set_active (
          GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), TRUE);
    }
  mamori_test_flush ();
  g_assert_true (gtk_widget_is_sensitive (mamori_test_find_actionable (form, "request.file")));
  return form;
}

static void
test_request_waits (Fixture *f, gconstpointer data)
{
  GtkWidget *form;

  open_window (f, TEACHER, "takeout");
  form = open_request_form (f);
  g_assert_cmpuint (n_requests (f), ==, 1);

  hold (f);
  g_assert_true (gtk_widget_activate_action (form, "request.file", NULL));
  linger ();
  /* Working: 申請 insensitive, nothing filed, the form open. */
  g_assert_cmpuint (n_requests (f), ==, 1);
  g_assert_true (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG) == (gpointer)form);
  g_assert_false (gtk_widget_is_sensitive (mamori_test_find_actionable (form, "request.file")));
  /* Pressed again meanwhile: still once. */
  gtk_widget_activate_action (form, "request.file", NULL);

  release (f);
  g_assert_null (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_cmpuint (n_requests (f), ==, 2);
}

static void
test_request_closed_while_waiting (Fixture *f, gconstpointer data)
{
  GtkWidget *form;

  open_window (f, TEACHER, "takeout");
  form = open_request_form (f);
  hold (f);
  g_assert_true (gtk_widget_activate_action (form, "request.file", NULL));
  linger ();
  g_object_ref (form);
  gtk_window_destroy (GTK_WINDOW (form));
  mamori_test_flush ();
  g_assert_finalize_object (form);

  release (f);
  g_assert_cmpuint (n_requests (f), ==, 1);
}

static void
test_request_locked_while_waiting (Fixture *f, gconstpointer data)
{
  GtkWidget *form;

  open_window (f, TEACHER, "takeout");
  form = open_request_form (f);
  hold (f);
  g_assert_true (gtk_widget_activate_action (form, "request.file", NULL));
  linger ();
  mamori_session_lock (f->session);
  release (f);
  g_assert_cmpint (mamori_session_get_state (f->session), ==, MAMORI_SESSION_STATE_LOCKED);
  /* Told, and no longer working: it says why nothing was filed. */
  g_assert_nonnull (mamori_test_find_label (
      form, g_dgettext (GETTEXT_PACKAGE,
                        "The vault was locked before it was free: nothing was changed.")));
  gtk_window_destroy (GTK_WINDOW (form));
  mamori_test_flush ();
}

/* The form reads the register for its search in the session's thread, once the vault is
 * free: it opens at once and says so meanwhile; what was typed is searched once it has
 * read.  A form closed before then is let go. */
static void
test_request_reads_register (Fixture *f, gconstpointer data)
{
  const char *reading = g_dgettext (GETTEXT_PACKAGE, "Reading the register…");
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkWidget *form;

  open_window (f, TEACHER, "takeout");
  hold (f);
  gtk_widget_activate_action (f->page, "takeout.new-request", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_nonnull (form);
  g_object_ref (form);
  gtk_window_destroy (GTK_WINDOW (form));
  mamori_test_flush ();
  g_assert_finalize_object (form);

  gtk_widget_activate_action (f->page, "takeout.new-request", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_nonnull (form);
  gtk_editable_set_text (GTK_EDITABLE (mamori_test_find_widget (form, GTK_TYPE_SEARCH_ENTRY)),
                         "通知");
  linger ();
  g_assert_nonnull (mamori_test_find_label (form, reading));
  g_assert_null (mamori_test_find_row (form, "通知表"));

  release (f);
  while (mamori_test_find_row (form, "通知表") == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (mamori_test_find_row (form, "通知表"));
  g_assert_null (mamori_test_find_label (form, reading));

  /* Picked while a job has the vault: read and added once it is free. */
  g_object_unref (f->release);
  f->release = g_cancellable_new ();
  hold (f);
  gtk_widget_activate (mamori_test_find_row (form, "通知表"));
  linger ();
  g_assert_null (mamori_test_find_actionable (form, "request.remove-item"));
  release (f);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_actionable (form, "request.remove-item"));
  gtk_window_destroy (GTK_WINDOW (form));
  mamori_test_flush ();
}

static void
test_register_save_waits (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  GtkWidget *dialog;

  open_window (f, VICE_PRINCIPAL, "register");
  policy = mamori_vault_load_policy (mamori_session_get_vault (f->session), NULL);
  dialog = mamori_register_dialog_new (f->session, policy, NULL, TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  mamori_test_flush ();
  mamori_test_type_into (dialog, "Name", "学級日誌");
  mamori_test_flush ();
  g_assert_cmpuint (n_entries (f), ==, 1);

  hold (f);
  g_assert_true (gtk_widget_activate_action (dialog, "entry.save", NULL));
  linger ();
  g_assert_cmpuint (n_entries (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_false (gtk_widget_is_sensitive (mamori_test_find_actionable (dialog, "entry.save")));

  release (f);
  g_assert_null (mamori_test_find_toplevel (MAMORI_TYPE_REGISTER_DIALOG));
  g_assert_cmpuint (n_entries (f), ==, 2);
}

/* Rows under @root whose title is a change by @author ("when — who (role)"). */
static guint
count_changes_by (GtkWidget *root, const char *author)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  if (ADW_IS_ACTION_ROW (root)
      && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), author) != NULL)
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_changes_by (child, author);
  return n;
}

/* An entry's form opened while a job has the vault shows its history once the job ends. */
static void
test_register_history_waits (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *author = g_strdup_printf (" — %s", VICE_PRINCIPAL->name);
  const char *history = g_dgettext (GETTEXT_PACKAGE, "History");
  GtkWidget *dialog;

  open_window (f, VICE_PRINCIPAL, "register");
  policy = mamori_vault_load_policy (mamori_session_get_vault (f->session), NULL);
  entries
      = mamori_register_list (mamori_vault_get_store (mamori_session_get_vault (f->session)), NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  /* The register page reads the register in a job of its own as it opens. */
  mamori_test_wait_for_session (f->session);

  hold (f);
  dialog = mamori_register_dialog_new (f->session, policy, g_ptr_array_index (entries, 0), FALSE);
  gtk_window_present (GTK_WINDOW (dialog));
  linger ();
  g_assert_nonnull (mamori_test_find_label (dialog, "通知表"));
  g_assert_null (mamori_test_find_label (dialog, history));
  g_assert_cmpuint (count_changes_by (dialog, author), ==, 0);

  release (f);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (dialog, history));
  g_assert_cmpuint (count_changes_by (dialog, author), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

/* The blanket approvals, opened while a job has the vault: the grants and what the user
 * may do are read once it ends, once; so is the roster for a new grant's form. */
static void
test_grants_wait (Fixture *f, gconstpointer data)
{
  const char *all_staff = g_dgettext (GETTEXT_PACKAGE, "All Staff");
  g_autoptr (MamoriPolicy) policy = NULL;
  GtkWidget *dialog;
  GtkWidget *form;
  AdwComboRow *grantees;

  mamori_test_grant_blanket (f->path, VICE_PRINCIPAL, NULL, "C");
  open_window (f, VICE_PRINCIPAL, "takeout");
  policy = mamori_vault_load_policy (mamori_session_get_vault (f->session), NULL);
  mamori_test_wait_for_session (f->session);

  hold (f);
  dialog = GTK_WIDGET (mamori_takeout_grant_dialog_new (f->session, policy));
  gtk_window_present (GTK_WINDOW (dialog));
  linger ();
  g_assert_null (mamori_test_find_row (dialog, all_staff));
  g_assert_null (mamori_test_find_actionable (dialog, "grants.new"));

  release (f);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_row (dialog, all_staff));
  g_assert_cmpuint (mamori_test_count_actionables (dialog, "grants.revoke"), ==, 1);
  g_assert_nonnull (mamori_test_find_actionable (dialog, "grants.new"));

  /* A new grant's form, opened while a job has the vault, offers the staff once it ends. */
  g_object_unref (f->release);
  f->release = g_cancellable_new ();
  hold (f);
  gtk_widget_activate_action (dialog, "grants.new", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_FORM));
  g_assert_nonnull (form);
  grantees = ADW_COMBO_ROW (mamori_test_find_row (form, g_dgettext (GETTEXT_PACKAGE, "For")));
  g_assert_nonnull (grantees);
  linger ();
  g_assert_null (adw_combo_row_get_model (grantees));
  release (f);
  mamori_test_flush ();
  /* All staff, and the teacher (nobody grants to themselves). */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (grantees)), ==, 2);
  gtk_window_destroy (GTK_WINDOW (form));
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

static guint
n_events (MamoriDb *db, const char *id)
{
  g_autoptr (GPtrArray) events = mamori_takeout_history (db, id, NULL);

  g_assert_nonnull (events);
  return events->len;
}

static void
test_approval_waits (Fixture *f, gconstpointer data)
{
  MamoriDb *db;
  GtkWindow *dialog;
  guint before;

  open_window (f, VICE_PRINCIPAL, "takeout");
  db = mamori_vault_get_store (mamori_session_get_vault (f->session));
  before = n_events (db, f->request_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                        mamori_takeout_page_get_selection (MAMORI_TAKEOUT_PAGE (f->page)))),
                    ==, 1);
  gtk_single_selection_set_selected (
      mamori_takeout_page_get_selection (MAMORI_TAKEOUT_PAGE (f->page)), 0);
  mamori_test_flush ();
  gtk_widget_activate_action (f->page, "takeout.approve", NULL);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG);
  g_assert_nonnull (dialog);
  mamori_test_type_into (GTK_WIDGET (dialog), "Your Passphrase", VICE_PRINCIPAL->passphrase);
  mamori_test_flush ();

  hold (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "decision.decide", NULL));
  linger ();
  /* Waiting, not refused: working, nothing signed. */
  g_assert_false (gtk_widget_is_sensitive (
      mamori_test_find_actionable (GTK_WIDGET (dialog), "decision.decide")));
  g_assert_true (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG) == dialog);
  g_assert_cmpuint (n_events (db, f->request_id), ==, before);

  /* The approval's own job follows the one that held the vault. */
  release (f);
  mamori_test_wait_for_session (f->session);
  g_assert_null (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG));
  g_assert_cmpuint (n_events (db, f->request_id), ==, before + 1);
}

/* The new-request form opened while a job has the vault: it reads the user's staff
 * record and blanket grants once the vault is free, and until then does not say that a
 * grant covers the request. */
static void
test_request_reads_grants (Fixture *f, gconstpointer data)
{
  GtkWidget *form, *level_row;
  GListModel *levels;

  mamori_test_grant_blanket (f->path, VICE_PRINCIPAL, TEACHER->name, "C");
  open_window (f, TEACHER, "takeout");
  hold (f);
  gtk_widget_activate_action (f->page, "takeout.new-request", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  g_assert_nonnull (form);
  /* An item not in the register, at C, which the grant covers. */
  adw_expander_row_set_expanded (
      ADW_EXPANDER_ROW (mamori_test_find_row (form, "Not in the Register")), TRUE);
  mamori_test_flush ();
  mamori_test_type_into (form, "Item", "学年だよりの下書き");
  level_row = mamori_test_find_row (form, "Level");
  levels = adw_combo_row_get_model (ADW_COMBO_ROW (level_row));
  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (levels), i), "重要度C"))
      adw_combo_row_set_selected (ADW_COMBO_ROW (level_row), i);
  g_assert_true (gtk_widget_activate_action (form, "request.add-item", NULL));
  linger ();
  g_assert_nonnull (mamori_test_find_label (form, "Needs Approval"));
  g_assert_null (mamori_test_find_label (form, "Covered by a Blanket Approval"));

  release (f);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_label (form, "Covered by a Blanket Approval"));
  gtk_window_destroy (GTK_WINDOW (form));
}

/* The take-out page does not read the vault while a job has it: what the selection
 * allows comes from what it read with the rows, and a view chosen meanwhile is read once
 * the job ends. */
static void
test_takeout_page_waits (Fixture *f, gconstpointer data)
{
  GtkSingleSelection *selection;

  open_window (f, VICE_PRINCIPAL, "takeout");
  selection = mamori_takeout_page_get_selection (MAMORI_TAKEOUT_PAGE (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);

  hold (f);
  gtk_single_selection_set_selected (selection, 0);
  mamori_test_flush ();
  /* Enabled (its dialog opens) from what was read with the rows. */
  gtk_widget_activate_action (f->page, "takeout.approve", NULL);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG));
  gtk_window_destroy (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_DECISION_DIALOG));
  /* Her own requests (none): the teacher's stays listed until the vault is free. */
  mamori_takeout_page_set_view (MAMORI_TAKEOUT_PAGE (f->page), MAMORI_TAKEOUT_VIEW_MINE);
  linger ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);

  release (f);
  mamori_test_flush ();
  while (g_list_model_get_n_items (G_LIST_MODEL (selection)) != 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_documents_cb (MamoriHandbookPage *page, GParamSpec *pspec, guint *n_documents)
{
  if (mamori_handbook_page_get_document (page) != NULL)
    (*n_documents)++;
}

/* The text of the handbook @page shows (this poppler has no g_autoptr). */
static char *
handbook_text (MamoriHandbookPage *page)
{
  GBytes *bytes = mamori_pdf_document_get_bytes (mamori_handbook_page_get_document (page));
  PopplerDocument *poppler = poppler_document_new_from_bytes (bytes, NULL, NULL);
  GString *text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (poppler); i++)
    {
      PopplerPage *sheet = poppler_document_get_page (poppler, i);
      g_autofree char *sheet_text = poppler_page_get_text (sheet);

      g_string_append (text, sheet_text);
      g_object_unref (sheet);
    }
  g_object_unref (poppler);
  return g_string_free (text, FALSE);
}

/* The handbook page, shown while a job has the vault, reads the school's records once the
 * job ends: an entry added meanwhile is in its handbook, made once. */
static void
test_handbook_page_waits (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  MamoriVault *vault;
  MamoriHandbookPage *page;
  AdwViewStack *stack;
  guint n_documents = 0;
  gint64 deadline;

  open_window (f, VICE_PRINCIPAL, "takeout");
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
  mamori_test_wait_for_session (f->session);
  hold (f);
  adw_view_stack_set_visible_child_name (stack, "handbook");
  mamori_test_flush ();
  page = MAMORI_HANDBOOK_PAGE (adw_view_stack_get_visible_child (stack));
  g_signal_connect (page, "notify::document", G_CALLBACK (count_documents_cb), &n_documents);
  /* Written while the page waits (the test's own write: the holding job does nothing). */
  vault = mamori_session_get_vault (f->session);
  entry->name = g_strdup ("学級日誌");
  entry->category = g_strdup ("seiseki");
  entry->level = g_strdup ("B");
  entry->location = g_strdup ("職員室");
  g_assert_true (mamori_register_add (
      vault, mamori_lookup_get_policy (mamori_session_get_lookup (f->session)), entry, &error));
  g_assert_no_error (error);
  linger ();
  g_assert_null (mamori_handbook_page_get_document (page));

  release (f);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (mamori_handbook_page_get_document (page) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (mamori_handbook_page_get_document (page));
  linger ();
  g_assert_cmpuint (n_documents, ==, 1);
  text = handbook_text (page);
  g_assert_nonnull (strstr (text, "通知表"));
  g_assert_nonnull (strstr (text, "学級日誌"));
  g_signal_handlers_disconnect_by_func (page, count_documents_cb, &n_documents);
}

static void
hold_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_no_error (error);
  _mamori_session_hold_for_test (session, f->release);
}

static void
staff_added_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *added = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_session_add_staff_finish (MAMORI_SESSION (source), result, &error));
  g_assert_no_error (error);
  *added = TRUE;
}

/* A staff change ends and a waiter takes the vault for a job of its own at once: the
 * session reads the roster again once that job is done, not while it runs. */
static void
test_roster_waits (Fixture *f, gconstpointer data)
{
  GListModel *staff;
  gboolean added = FALSE;

  open_window (f, VICE_PRINCIPAL, "takeout");
  mamori_test_wait_for_session (f->session);
  staff = mamori_session_get_staff (f->session);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 2);

  mamori_session_add_staff_async (f->session, "佐藤 次郎", MAMORI_ROLE_TEACHER,
                                  mamori_secure_strdup ("jiro-passphrase-1"), NULL, staff_added_cb,
                                  &added);
  g_assert_true (mamori_session_get_busy (f->session));
  mamori_session_when_free (f->session, NULL, hold_cb, f);
  while (!added)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mamori_session_get_busy (f->session));
  linger ();
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 2);

  release (f);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 3);
}

typedef struct
{
  Fixture *f;
  GPtrArray *log; /* what happened, in order */
  GCancellable *second_release;
} Order;

static void
first_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  Order *order = user_data;

  g_assert_no_error (error);
  g_assert_false (mamori_session_get_busy (session));
  g_ptr_array_add (order->log, "first");
  /* A waiter that starts a job: the next one waits for it. */
  _mamori_session_hold_for_test (session, order->second_release);
}

static void
second_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  Order *order = user_data;

  g_assert_no_error (error);
  g_assert_false (mamori_session_get_busy (session));
  g_ptr_array_add (order->log, "second");
}

static void
never_cb (MamoriSession *session, const GError *error, gpointer user_data)
{
  g_assert_not_reached ();
}

static void
busy_cb (MamoriSession *session, GParamSpec *pspec, Order *order)
{
  g_ptr_array_add (order->log, mamori_session_get_busy (session) ? "busy" : "free");
}

/* The waiters go first, in order, before "busy" is heard; one that starts a job makes the
 * rest wait for it; a cancelled one is never called; one asking while free is called at
 * once. */
static void
test_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) log = g_ptr_array_new ();
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_autoptr (GCancellable) second_release = g_cancellable_new ();
  Order order = { f, log, second_release };
  gulong handler;

  open_window (f, TEACHER, "takeout");
  mamori_session_when_free (f->session, NULL, second_cb, &order);
  g_assert_cmpuint (log->len, ==, 1);
  g_ptr_array_set_size (log, 0);

  hold (f);
  handler = g_signal_connect (f->session, "notify::busy", G_CALLBACK (busy_cb), &order);
  mamori_session_when_free (f->session, cancelled, never_cb, NULL);
  mamori_session_when_free (f->session, NULL, first_cb, &order);
  mamori_session_when_free (f->session, NULL, second_cb, &order);
  g_cancellable_cancel (cancelled);
  linger ();
  g_assert_cmpuint (log->len, ==, 0);

  g_cancellable_cancel (f->release);
  while (log->len < 2)
    g_main_context_iteration (NULL, TRUE);
  /* The first waiter ran and started its job before anyone heard "busy" (once: busy). */
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "first");
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (log, 1), ==, "busy");
  g_assert_true (mamori_session_get_busy (f->session));

  g_cancellable_cancel (second_release);
  mamori_test_wait_for_session (f->session);
  g_assert_cmpuint (log->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (log, 2), ==, "second");
  g_assert_cmpstr (g_ptr_array_index (log, 3), ==, "free");
  g_signal_handler_disconnect (f->session, handler);
}

int
main (int argc, char **argv)
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }
  mamori_test_init (&argc, &argv);

  g_test_add ("/gui/when-free/request", Fixture, NULL, fixture_set_up, test_request_waits,
              fixture_tear_down);
  g_test_add ("/gui/when-free/request-closed", Fixture, NULL, fixture_set_up,
              test_request_closed_while_waiting, fixture_tear_down);
  g_test_add ("/gui/when-free/request-locked", Fixture, NULL, fixture_set_up,
              test_request_locked_while_waiting, fixture_tear_down);
  g_test_add ("/gui/when-free/register-save", Fixture, NULL, fixture_set_up,
              test_register_save_waits, fixture_tear_down);
  g_test_add ("/gui/when-free/request-reads-register", Fixture, NULL, fixture_set_up,
              test_request_reads_register, fixture_tear_down);
  g_test_add ("/gui/when-free/order", Fixture, NULL, fixture_set_up, test_order, fixture_tear_down);
  g_test_add ("/gui/when-free/approval", Fixture, NULL, fixture_set_up, test_approval_waits,
              fixture_tear_down);
  g_test_add ("/gui/when-free/request-reads-grants", Fixture, NULL, fixture_set_up,
              test_request_reads_grants, fixture_tear_down);
  g_test_add ("/gui/when-free/takeout-page", Fixture, NULL, fixture_set_up, test_takeout_page_waits,
              fixture_tear_down);
  g_test_add ("/gui/when-free/handbook-page", Fixture, NULL, fixture_set_up,
              test_handbook_page_waits, fixture_tear_down);
  g_test_add ("/gui/when-free/register-history", Fixture, NULL, fixture_set_up,
              test_register_history_waits, fixture_tear_down);
  g_test_add ("/gui/when-free/grants", Fixture, NULL, fixture_set_up, test_grants_wait,
              fixture_tear_down);
  g_test_add ("/gui/when-free/roster", Fixture, NULL, fixture_set_up, test_roster_waits,
              fixture_tear_down);
  return g_test_run ();
}
