/* test-gui-register.c — the register page: empty state, the template's items, sorting by
 * a column header, search as you type, removal and undo, the edit dialog's checks, the
 * import preview and import in the session's thread (and cancelled), what a teacher may
 * not do, and the register moving with the policy when the preferences change it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mamori-level-mapping-dialog.h"
#include "mamori-policy-install.h"
#include "mamori-preferences-window.h"
#include "mamori-register-dialog.h"
#include "mamori-register-import.h"
#include "mamori-register.h"
#include "mamori-register-import-dialog.h"
#include "mamori-register-page.h"
#include "mamori-register-template-dialog.h"
#include "mamori-test-util.h"

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
  { "田中 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-1" },
};

typedef struct
{
  char *dir;
  MamoriSession *session;
  MamoriWindow *window;
  MamoriRegisterPage *page;
} Fixture;

/* Whether the column view shows every row the table has (it shows a few more a frame
 * after its rows were all replaced). */
static gboolean
list_complete (MamoriRegisterPage *page)
{
  GtkWidget *view = mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW);

  return view == NULL
         || g_list_model_get_n_items (
                G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view))))
                == g_list_model_get_n_items (G_LIST_MODEL (mamori_register_page_get_table (page)));
}

/* Runs the main loop until the page shows the register as the vault holds it (it reads
 * it in the session's thread), every row of it; at most 30 s. */
static void
wait_for_page (MamoriRegisterPage *page, MamoriSession *session)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  mamori_test_flush ();
  while (mamori_register_page_get_loading (page) || mamori_session_get_busy (session)
         || !list_complete (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const MamoriTestUser *user = data;
  g_autofree char *path = NULL;
  AdwViewStack *stack;

  f->dir = mamori_test_make_dir ();
  path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  f->session = mamori_session_new (path);
  mamori_session_set_last_user (f->session, user->name);
  f->window = g_object_new (MAMORI_TYPE_WINDOW, "session", f->session, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  mamori_test_flush ();
  mamori_test_unlock (f->window, user->passphrase);
  mamori_test_wait_for_view (f->window, "main");
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "register");
  mamori_test_flush ();
  f->page = MAMORI_REGISTER_PAGE (adw_view_stack_get_visible_child (stack));
  wait_for_page (f->page, f->session);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  mamori_test_flush ();
  /* A reading of the register the page began holds the session until its thread ends. */
  mamori_test_wait_for_session (f->session);
  g_assert_finalize_object (f->window);
  g_assert_finalize_object (f->session);
  mamori_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The open toplevel of @type, or NULL. */
static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (mamori_register_page_get_table (f->page)));
}

static MamoriRegisterRow *
shown_row (Fixture *f, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (mamori_register_page_get_table (f->page)), position);
}

static void
test_editor (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);
  GtkWindow *dialog;
  GtkColumnView *view;
  GListModel *columns;
  g_autoptr (GtkColumnViewColumn) level_column = NULL;
  g_autoptr (MamoriRegisterRow) first = NULL;
  g_autoptr (MamoriRegisterRow) last = NULL;
  g_autofree char *removed = NULL;
  GtkSingleSelection *selection;
  gint64 deadline;
  guint n;

  /* A new school: the empty state offers the template and a file. */
  g_assert_nonnull (mamori_test_find_label (page, "The Register Is Empty"));
  g_assert_cmpuint (mamori_test_count_actionables (page, "register.add-from-template"), >=, 1);

  /* Every template item, chosen by default for a new school, in one go. */
  g_assert_true (gtk_widget_activate_action (page, "register.add-from-template", NULL));
  mamori_test_flush ();
  dialog = find_window (MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "template.add", NULL));
  wait_for_page (f->page, f->session);
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG));
  g_assert_cmpuint (mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page)),
                    ==, 80);
  g_assert_cmpuint (n_shown (f), ==, 80);

  /* Clicking a header sorts the table: the level column, descending, puts D first. */
  view = GTK_COLUMN_VIEW (mamori_test_find_widget (page, GTK_TYPE_COLUMN_VIEW));
  columns = gtk_column_view_get_columns (view);
  level_column = g_list_model_get_item (columns, 2);
  gtk_column_view_sort_by_column (view, level_column, GTK_SORT_DESCENDING);
  mamori_test_flush ();
  first = shown_row (f, 0);
  last = shown_row (f, n_shown (f) - 1);
  g_assert_cmpuint (mamori_register_row_get_level_rank (first), ==, 3);
  g_assert_cmpuint (mamori_register_row_get_level_rank (last), ==, 0);

  /* Search as you type, with the lookup's normalisation (katakana finds hiragana). */
  gtk_editable_set_text (GTK_EDITABLE (mamori_test_find_widget (page, GTK_TYPE_SEARCH_ENTRY)),
                         "出席簿");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_shown (f) != 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (n_shown (f), ==, 1);

  /* Removal with an undo. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  gtk_single_selection_set_selected (selection, 0);
  mamori_test_flush ();
  removed
      = g_strdup (mamori_register_row_get_id (gtk_single_selection_get_selected_item (selection)));
  g_assert_true (gtk_widget_activate_action (page, "register.delete", NULL));
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page)),
                    ==, 79);
  g_assert_true (gtk_widget_activate_action (page, "register.restore", "s", removed));
  wait_for_page (f->page, f->session);
  n = mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page));
  g_assert_cmpuint (n, ==, 80);
}

static void
test_dialog_checks (Fixture *f, gconstpointer data)
{
  MamoriVault *vault = mamori_session_get_vault (f->session);
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, NULL);
  GtkWidget *dialog = mamori_register_dialog_new (f->session, policy, NULL, TRUE);
  AdwComboRow *level_row;

  gtk_window_present (GTK_WINDOW (dialog));
  mamori_test_flush ();
  /* Nothing typed yet: Save waits. */
  gtk_widget_activate_action (dialog, "entry.save", NULL);
  mamori_test_flush ();
  g_assert_cmpuint (mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page)),
                    ==, 0);

  mamori_test_type_into (dialog, "Name", "出席簿");
  mamori_test_flush ();
  level_row = ADW_COMBO_ROW (mamori_test_find_row (dialog, "Level"));
  /* 出席簿 is A in the template; D needs a reason. */
  adw_combo_row_set_selected (level_row, 3);
  mamori_test_flush ();
  g_assert_nonnull (mamori_test_find_row (dialog, "Reason (the board sees it)"));
  g_assert_nonnull (mamori_test_find_css_class (dialog, "error"));
  gtk_widget_activate_action (dialog, "entry.save", NULL);
  mamori_test_flush ();
  g_assert_true (gtk_widget_get_visible (dialog));

  mamori_test_type_into (dialog, "Reason (the board sees it)", "氏名を伏せた写し");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (dialog, "entry.save", NULL));
  mamori_test_flush ();
  mamori_register_page_reload (f->page);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (n_shown (f), ==, 1);
  {
    g_autoptr (MamoriRegisterRow) row = shown_row (f, 0);

    g_assert_true (mamori_register_row_get_lowered (row));
  }
}

/* Runs the main loop until @dialog has shown its preview (or finished); at most 30 s. */
static void
wait_for_dialog (MamoriRegisterImportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (mamori_register_import_dialog_get_busy (dialog))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

/* Whether the buttons for @action_name in @root are live (the action is enabled). */
static gboolean
action_enabled (GtkWidget *root, const char *action_name)
{
  GtkWidget *button = mamori_test_find_actionable (root, action_name);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static guint
n_in_vault (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = mamori_register_list (
      mamori_vault_get_store (mamori_session_get_vault (f->session)), &error);

  g_assert_no_error (error);
  return entries->len;
}

static MamoriRegisterImportDialog *
open_import (Fixture *f, const char *text, const char *name)
{
  g_autoptr (MamoriPolicy) policy
      = g_object_ref (mamori_lookup_get_policy (mamori_session_get_lookup (f->session)));
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  GtkWidget *dialog = mamori_register_import_dialog_new (f->session, policy, bytes, name);

  gtk_window_present (GTK_WINDOW (dialog));
  return MAMORI_REGISTER_IMPORT_DIALOG (dialog);
}

static void
test_import_preview (Fixture *f, gconstpointer data)
{
  static const char bad[] = "名称,分類,重要度\r\n出席簿,学籍情報,重要度Z\r\n";
  static const char good[] = "名称,分類,重要度\r\n出席簿,学籍情報,重要度A\r\n";
  MamoriRegisterImportDialog *dialog = open_import (f, bad, "bad.csv");

  /* The file is read in the session's thread, not while the dialog is made. */
  g_assert_true (mamori_register_import_dialog_get_busy (dialog));
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (dialog), "Reading the File…"));
  wait_for_dialog (dialog);
  g_assert_false (mamori_session_get_busy (f->session));
  g_assert_cmpuint (mamori_register_import_dialog_get_n_errors (dialog), ==, 1);
  g_assert_nonnull (mamori_test_find_row (GTK_WIDGET (dialog), "Line 2, column 3"));
  /* A file with errors cannot be imported. */
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "import.apply"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.apply", NULL);
  mamori_test_flush ();
  g_assert_false (mamori_session_get_busy (f->session));
  g_assert_cmpuint (n_in_vault (f), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The import runs in the session's thread too, and completes through the main loop:
   * the page is read again and says what was imported. */
  dialog = open_import (f, good, "good.csv");
  wait_for_dialog (dialog);
  g_assert_cmpuint (mamori_register_import_dialog_get_n_errors (dialog), ==, 0);
  g_object_ref (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.apply", NULL));
  g_assert_true (mamori_register_import_dialog_get_busy (dialog));
  g_assert_true (mamori_session_get_busy (f->session));
  /* Once begun, the import is not cancelled: it is finished. */
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "import.cancel"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_nonnull (find_window (MAMORI_TYPE_REGISTER_IMPORT_DIALOG));
  wait_for_dialog (dialog);
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_IMPORT_DIALOG));
  g_assert_finalize_object (dialog);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (n_shown (f), ==, 1);
  g_assert_cmpuint (n_in_vault (f), ==, 1);
}

static void
test_import_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) big = g_string_new ("名称,分類,重要度,保管場所\r\n");
  MamoriRegisterImportDialog *dialog;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (big, "出席簿 その%u,学籍情報,重要度A,職員室\r\n", i + 1);

  /* Cancelled while the file is read: the dialog goes at once, nothing is imported, and
   * the session is free again once its thread has stopped. */
  dialog = open_import (f, big->str, "big.csv");
  g_object_ref (dialog);
  g_assert_true (mamori_register_import_dialog_get_busy (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  mamori_test_flush ();
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_IMPORT_DIALOG));
  mamori_test_wait_for_session (f->session);
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (n_in_vault (f), ==, 0);

  /* Cancelled at the preview, before Import: nothing is imported. */
  dialog = open_import (f, big->str, "big.csv");
  wait_for_dialog (dialog);
  g_assert_cmpuint (mamori_register_import_dialog_get_n_errors (dialog), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  mamori_test_flush ();
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_IMPORT_DIALOG));
  g_assert_false (mamori_session_get_busy (f->session));
  g_assert_cmpuint (n_in_vault (f), ==, 0);

  /* While a job has the vault, the page reads nothing: the template, which reads the
   * whole register, is off; adding stays on (its Save waits for the vault). */
  dialog = open_import (f, big->str, "big.csv");
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_true (action_enabled (GTK_WIDGET (f->page), "register.add"));
  g_assert_false (action_enabled (GTK_WIDGET (f->page), "register.add-from-template"));
  wait_for_dialog (dialog);
  g_object_ref (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.apply", NULL));
  wait_for_dialog (dialog);
  g_assert_finalize_object (dialog);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (n_in_vault (f), ==, 5000);
  g_assert_cmpuint (n_shown (f), ==, 5000);
}

/* The place shown in the row with @id (and where), or NULL when it is not shown. */
static const char *
shown_location (Fixture *f, const char *id, guint *out_position)
{
  MamoriRegisterTable *table = mamori_register_page_get_table (f->page);
  guint position = mamori_register_table_find (table, id);
  g_autoptr (MamoriRegisterRow) row = NULL;

  if (position == G_MAXUINT)
    return NULL;
  *out_position = position;
  row = g_list_model_get_item (G_LIST_MODEL (table), position);
  return g_intern_string (mamori_register_row_get_text (row, MAMORI_REGISTER_FIELD_LOCATION));
}

static void
test_loading (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);
  MamoriVault *vault = mamori_session_get_vault (f->session);
  MamoriPolicy *policy = mamori_lookup_get_policy (mamori_session_get_lookup (f->session));
  g_autoptr (GString) csv = g_string_new ("名称,分類,重要度,保管場所\r\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  GtkSingleSelection *selection;
  GtkWindow *dialog;
  AdwViewStack *stack;
  guint position = 0;

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (csv, "出席簿 その%05u,学籍情報,重要度A,職員室 %u\r\n", i + 1, i % 50);
  bytes = g_bytes_new (csv->str, csv->len);
  import = mamori_register_import_prepare (policy, NULL, bytes, 0, "large.csv");
  g_assert_true (mamori_register_import_apply (vault, import, &error));
  g_assert_no_error (error);

  /* Locked and unlocked with another page showing: the register is read when its page
   * is first shown, in the session's thread, and the page says so meanwhile. */
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "lookup");
  mamori_session_lock (f->session);
  mamori_test_wait_for_view (f->window, "unlock");
  mamori_test_unlock (f->window, users[0].passphrase);
  mamori_test_wait_for_view (f->window, "main");
  g_assert_false (mamori_session_get_busy (f->session));
  adw_view_stack_set_visible_child_name (stack, "register");
  g_assert_true (mamori_register_page_get_loading (f->page));
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_nonnull (mamori_test_find_label (page, "Loading the Register…"));
  g_assert_true (
      gtk_spinner_get_spinning (GTK_SPINNER (mamori_test_find_widget (page, GTK_TYPE_SPINNER))));
  g_assert_cmpuint (n_shown (f), ==, 0);
  /* Then the entries, the list's rows a few a frame: all of them in the end. */
  wait_for_page (f->page, f->session);
  g_assert_null (mamori_test_find_label (page, "Loading the Register…"));
  g_assert_cmpuint (n_shown (f), ==, 6000);
  g_assert_nonnull (mamori_test_find_label (page, "6000 entries"));
  vault = mamori_session_get_vault (f->session);
  policy = mamori_lookup_get_policy (mamori_session_get_lookup (f->session));

  /* A change is read again in the thread while the list stays shown, and the selected
   * entry stays selected with what it now holds. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (
      GTK_COLUMN_VIEW (mamori_test_find_widget (page, GTK_TYPE_COLUMN_VIEW))));
  gtk_single_selection_set_selected (selection, 2345);
  id = g_strdup (mamori_register_row_get_id (gtk_single_selection_get_selected_item (selection)));
  g_assert_cmpstr (shown_location (f, id, &position), ==, "職員室 45");
  entry = mamori_register_find (mamori_vault_get_store (vault), id, FALSE, &error);
  g_assert_no_error (error);
  g_free (entry->location);
  entry->location = g_strdup ("理科準備室");
  g_assert_true (mamori_register_change (vault, policy, entry, &error));
  g_assert_no_error (error);
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_null (mamori_test_find_label (page, "Loading the Register…"));
  g_assert_nonnull (mamori_test_find_widget (page, GTK_TYPE_COLUMN_VIEW));
  wait_for_page (f->page, f->session);
  g_assert_cmpstr (shown_location (f, id, &position), ==, "理科準備室");
  g_assert_cmpuint (position, ==, 2345);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2345);

  /* Saved in the dialog: the one entry is read alone and shown in place at once, no
   * reading of the whole register, the selection kept. */
  g_assert_true (gtk_widget_activate_action (page, "register.edit", "s", id));
  mamori_test_flush ();
  dialog = find_window (MAMORI_TYPE_REGISTER_DIALOG);
  g_assert_nonnull (dialog);
  mamori_test_type_into (GTK_WIDGET (dialog), "Kept in (a system, folder, cabinet or USB stick)",
                         "保健室");
  mamori_test_flush ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "entry.save", NULL));
  g_assert_false (mamori_session_get_busy (f->session));
  g_assert_false (mamori_register_page_get_loading (f->page));
  g_assert_cmpstr (shown_location (f, id, &position), ==, "保健室");
  g_assert_cmpuint (position, ==, 2345);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2345);
  mamori_test_flush ();
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_DIALOG));

  /* Locked while it reads: the reading is dropped and nothing of the register shows. */
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  mamori_session_lock (f->session);
  mamori_test_wait_for_session (f->session);
  g_assert_cmpint (mamori_session_get_state (f->session), ==, MAMORI_SESSION_STATE_LOCKED);
  g_assert_false (mamori_register_page_get_loading (f->page));
  g_assert_cmpuint (mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page)),
                    ==, 0);
}

/* While the whole register is read again, adding, editing and removing are on: each waits
 * for the reading to end, and what it changed is shown once the register is read again. */
static void
test_edit_while_reading (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);
  MamoriVault *vault = mamori_session_get_vault (f->session);
  MamoriPolicy *policy = mamori_lookup_get_policy (mamori_session_get_lookup (f->session));
  static const char *const names[] = { "通知表", "学年だより" };
  g_autofree char *ids[G_N_ELEMENTS (names)] = { NULL };
  GtkSingleSelection *selection;
  GtkWindow *dialog;
  guint position = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
      g_autoptr (GError) error = NULL;

      entry->name = g_strdup (names[i]);
      entry->category = g_strdup ("seiseki");
      entry->level = g_strdup ("B");
      entry->location = g_strdup ("職員室");
      g_assert_true (mamori_register_add (vault, policy, entry, &error));
      g_assert_no_error (error);
      ids[i] = g_strdup (entry->id);
    }
  mamori_register_page_reload (f->page);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (n_shown (f), ==, 2);

  /* Edit asked for during a reading: the entry's form opens once it has ended. */
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_true (action_enabled (page, "register.add"));
  g_assert_true (gtk_widget_activate_action (page, "register.edit", "s", ids[0]));
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_DIALOG));
  wait_for_page (f->page, f->session);
  dialog = find_window (MAMORI_TYPE_REGISTER_DIALOG);
  g_assert_nonnull (dialog);

  /* Saved during the next reading: written once it ends, shown once read again. */
  mamori_test_type_into (GTK_WIDGET (dialog), "Kept in (a system, folder, cabinet or USB stick)",
                         "保健室");
  mamori_test_flush ();
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "entry.save", NULL));
  wait_for_page (f->page, f->session);
  g_assert_cmpstr (shown_location (f, ids[0], &position), ==, "保健室");
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_DIALOG));

  /* Removed during a reading: once it has ended, and the list read again without it. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (
      GTK_COLUMN_VIEW (mamori_test_find_widget (page, GTK_TYPE_COLUMN_VIEW))));
  g_assert_nonnull (shown_location (f, ids[1], &position));
  gtk_single_selection_set_selected (selection, position);
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  gtk_widget_activate_action (page, "register.delete", NULL);
  g_assert_cmpuint (n_shown (f), ==, 2);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (n_in_vault (f), ==, 1);
  g_assert_cmpuint (n_shown (f), ==, 1);
  g_assert_null (shown_location (f, ids[1], &position));
}

static void
test_teacher (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);

  /* A teacher reads: no editing controls, and the actions do nothing. */
  g_assert_nonnull (mamori_test_find_label (page, "The Register Is Empty"));
  g_assert_cmpuint (mamori_test_count_actionables (page, "register.add"), ==, 0);
  g_assert_cmpuint (mamori_test_count_actionables (page, "register.add-from-template"), ==, 0);
  gtk_widget_activate_action (page, "register.add", NULL);
  gtk_widget_activate_action (page, "register.add-from-template", NULL);
  mamori_test_flush ();
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_DIALOG));
  g_assert_null (find_window (MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG));
}

/* Adds every template item, as a new school would. */
static void
add_template (Fixture *f)
{
  GtkWindow *dialog;

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (f->page), "register.add-from-template", NULL));
  mamori_test_flush ();
  dialog = find_window (MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "template.add", NULL));
  wait_for_page (f->page, f->session);
}

/* How many of the vault's register entries are at @level_id. */
static guint
count_at_level (Fixture *f, const char *level_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = mamori_register_list (
      mamori_vault_get_store (mamori_session_get_vault (f->session)), &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    n += g_str_equal (((MamoriRegisterEntry *)g_ptr_array_index (entries, i))->level, level_id);
  return n;
}

static const char *
policy_in_force (Fixture *f)
{
  return mamori_policy_get_id (mamori_lookup_get_policy (mamori_session_get_lookup (f->session)));
}

/* Chooses the preset @id in the preferences' scheme row. */
static void
choose_scheme (AdwComboRow *row, const char *id)
{
  GListModel *policies = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (policies); i++)
    {
      g_autoptr (MamoriPolicy) policy = g_list_model_get_item (policies, i);

      if (g_str_equal (mamori_policy_get_id (policy), id))
        {
          adw_combo_row_set_selected (row, i);
          mamori_test_flush ();
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_policy_mapping (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.mamori.Mamori");
  g_autoptr (GBytes) mext = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) own = NULL;
  g_autoptr (GString) own_text = NULL;
  g_autofree char *spec = NULL;
  MamoriPreferencesWindow *preferences;
  MamoriLevelMappingDialog *dialog;
  AdwComboRow *row, *first_level;
  guint at_a;

  add_template (f);
  g_assert_cmpstr (policy_in_force (f), ==, "oita-abcd");
  at_a = count_at_level (f, "A");
  g_assert_cmpuint (at_a, >, 0);

  preferences = mamori_preferences_window_new (settings, f->session);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (preferences));
  mamori_test_flush ();
  row = ADW_COMBO_ROW (
      mamori_test_find_row (GTK_WIDGET (preferences), _ ("Classification Scheme")));
  g_assert_nonnull (
      mamori_test_find_actionable (GTK_WIDGET (preferences), "preferences.install-policy-file"));

  /* MEXT's levels are not 大分県's: the preferences ask where each goes, in order. */
  choose_scheme (row, "mext-2025");
  dialog = MAMORI_LEVEL_MAPPING_DIALOG (find_window (MAMORI_TYPE_LEVEL_MAPPING_DIALOG));
  g_assert_nonnull (dialog);
  spec = mamori_level_mapping_dialog_get_spec (dialog);
  g_assert_cmpstr (spec, ==, "A=I,B=II,C=III,D=IV");

  /* Cancelling changes nothing, and the row shows the policy in force again. */
  /* As a click does: the response, then the dialog closes. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
  g_assert_cmpstr (policy_in_force (f), ==, "oita-abcd");
  g_assert_cmpstr (mamori_policy_get_id (adw_combo_row_get_selected_item (row)), ==, "oita-abcd");
  g_assert_cmpuint (count_at_level (f, "A"), ==, at_a);

  /* Choosing where A goes moves every entry, and the page shows the new levels. */
  choose_scheme (row, "mext-2025");
  dialog = MAMORI_LEVEL_MAPPING_DIALOG (find_window (MAMORI_TYPE_LEVEL_MAPPING_DIALOG));
  g_assert_nonnull (dialog);
  first_level = ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (dialog), "重要度A"));
  g_assert_nonnull (first_level);
  adw_combo_row_set_selected (first_level, 1);
  g_clear_pointer (&spec, g_free);
  spec = mamori_level_mapping_dialog_get_spec (dialog);
  g_assert_cmpstr (spec, ==, "A=II,B=II,C=III,D=IV");
  /* As a click does: the response, then the dialog closes. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "install");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for_page (f->page, f->session);
  g_assert_cmpstr (policy_in_force (f), ==, "mext-2025");
  g_assert_cmpstr (mamori_policy_get_id (adw_combo_row_get_selected_item (row)), ==, "mext-2025");
  g_assert_cmpuint (count_at_level (f, "A") + count_at_level (f, "I"), ==, 0);
  g_assert_cmpuint (count_at_level (f, "II") + count_at_level (f, "III") + count_at_level (f, "IV"),
                    ==, 80);
  g_assert_cmpuint (mamori_register_table_get_n_entries (mamori_register_page_get_table (f->page)),
                    ==, 80);

  /* Four levels onto three: the ends stay ends, those between spread evenly. */
  choose_scheme (row, "suginami-3");
  dialog = MAMORI_LEVEL_MAPPING_DIALOG (find_window (MAMORI_TYPE_LEVEL_MAPPING_DIALOG));
  g_assert_nonnull (dialog);
  g_clear_pointer (&spec, g_free);
  spec = mamori_level_mapping_dialog_get_spec (dialog);
  g_assert_cmpstr (spec, ==, "I=high,II=mid,III=mid,IV=low");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
  g_assert_cmpstr (policy_in_force (f), ==, "mext-2025");

  /* A board's own policy (not a preset) shows after the presets, chosen. */
  mext = g_resources_lookup_data ("/io/github/mamori/Mamori/policies/mext-2025.json", 0, &error);
  g_assert_no_error (error);
  own_text = g_string_new_len (g_bytes_get_data (mext, NULL), g_bytes_get_size (mext));
  g_assert_cmpuint (
      g_string_replace (own_text, "\"id\": \"mext-2025\"", "\"id\": \"board-own\"", 1), ==, 1);
  own = mamori_policy_new_from_data (own_text->str, own_text->len, "board-own.json", &error);
  g_assert_no_error (error);
  g_assert_true (mamori_session_set_policy (f->session, own, NULL, &error));
  g_assert_no_error (error);
  wait_for_page (f->page, f->session);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    g_strv_length ((GStrv)mamori_policy_list_presets ()) + 1);
  g_assert_cmpstr (mamori_policy_get_id (adw_combo_row_get_selected_item (row)), ==, "board-own");

  gtk_window_destroy (GTK_WINDOW (preferences));
  mamori_test_flush ();
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

  g_test_add ("/gui/register/editor", Fixture, &users[0], fixture_set_up, test_editor,
              fixture_tear_down);
  g_test_add ("/gui/register/dialog-checks", Fixture, &users[0], fixture_set_up, test_dialog_checks,
              fixture_tear_down);
  g_test_add ("/gui/register/import-preview", Fixture, &users[0], fixture_set_up,
              test_import_preview, fixture_tear_down);
  g_test_add ("/gui/register/import-cancel", Fixture, &users[0], fixture_set_up, test_import_cancel,
              fixture_tear_down);
  g_test_add ("/gui/register/loading", Fixture, &users[0], fixture_set_up, test_loading,
              fixture_tear_down);
  g_test_add ("/gui/register/edit-while-reading", Fixture, &users[0], fixture_set_up,
              test_edit_while_reading, fixture_tear_down);
  g_test_add ("/gui/register/teacher", Fixture, &users[1], fixture_set_up, test_teacher,
              fixture_tear_down);
  g_test_add ("/gui/register/policy-mapping", Fixture, &users[0], fixture_set_up,
              test_policy_mapping, fixture_tear_down);

  return g_test_run ();
}
