/* test-gui-takeout-print.c — the take-out form and the 持出簿 through GtkPrintOperation
 * (exported to PDF and read back with poppler), the page's print actions, the log's
 * dialog, and the filled example (記入例), in Japanese
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <poppler.h>

#include "mamori-takeout-example.h"
#include "mamori-takeout-log-dialog.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-print.h"
#include "mamori-takeout-row.h"
#include "mamori-test-util.h"

#define MM (72.0 / 25.4)

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
  { "田中 一郎", MAMORI_ROLE_TEACHER, "ichiro-passphrase-1" },
};

typedef struct
{
  char *dir;
  char *path;
  char *approved; /* the id of the approved request */
  MamoriSession *session;
  MamoriWindow *window;
  MamoriTakeoutPage *page;
} Fixture;

/* Two requests by the teacher in June, the first approved by the vice-principal. */
static char *
file_requests (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) teacher = mamori_test_open_vault (path, &users[1]);
  g_autoptr (MamoriVault) vice = NULL;
  g_autofree char *first = mamori_test_file_request (teacher, "成績一覧表", "成績処理");

  g_free (mamori_test_file_request (teacher, "面談記録", "面談の準備"));
  mamori_vault_lock (teacher);
  vice = mamori_test_open_vault (path, &users[0]);
  g_assert_true (mamori_takeout_approve (vice, first, users[0].passphrase, &error));
  g_assert_no_error (error);
  mamori_vault_lock (vice);
  return g_steal_pointer (&first);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GtkWidget *page;

  f->dir = mamori_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (f->path, users, G_N_ELEMENTS (users));
  f->approved = file_requests (f->path);
  f->window = mamori_test_open_window (f->path, &users[0], "takeout", &f->session, &page);
  f->page = MAMORI_TAKEOUT_PAGE (page);
  mamori_takeout_page_set_view (f->page, MAMORI_TAKEOUT_VIEW_ALL);
  mamori_test_flush ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  mamori_test_close_window (f->window, f->session);
  mamori_test_remove_dir (f->dir);
  g_free (f->approved);
  g_free (f->path);
  g_free (f->dir);
}

/* Runs @operation to a PDF file in @dir; the text of its first page, its size in
 * millimetres and its number of pages. */
static char *
print_to_pdf (GtkPrintOperation *operation,
              const char *dir,
              const char *name,
              double *width,
              double *height,
              int *n_pages)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr (GError) error = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  char *text;

  gtk_print_operation_set_allow_async (operation, FALSE);
  gtk_print_operation_set_export_filename (operation, path);
  g_assert_cmpint (
      gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
      GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (document);
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, width, height);
  *width /= MM;
  *height /= MM;
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  return text;
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

/* The approved request's form, printed: A4, its id, title, item and fingerprint. */
static void
test_print_form (Fixture *f, gconstpointer data)
{
  MamoriVault *vault = mamori_takeout_page_get_vault (f->page);
  MamoriDb *db = mamori_vault_get_store (vault);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, &error);
  g_autoptr (MamoriTakeoutRequest) request = mamori_takeout_find (db, f->approved, &error);
  g_autofree char *fingerprint = NULL;
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autofree char *text = NULL;
  double width, height;
  int n_pages;

  g_assert_no_error (error);
  fingerprint = mamori_takeout_form_fingerprint (db, request, &error);
  g_assert_nonnull (fingerprint);
  operation = mamori_takeout_print_form_new (mamori_takeout_form_new (db, policy, request, &error));
  g_assert_no_error (error);
  text = print_to_pdf (operation, f->dir, "form.pdf", &width, &height, &n_pages);
  g_assert_cmpint (n_pages, ==, 1);
  g_assert_cmpfloat_with_epsilon (width, 210, 1);
  g_assert_cmpfloat_with_epsilon (height, 297, 1);
  assert_contains (text, "持ち出し許可申請書");
  assert_contains (text, f->approved);
  assert_contains (text, "成績一覧表");
  assert_contains (text, "成績処理");
  assert_contains (text, "山田 花子");
  assert_contains (text, fingerprint);
  g_assert_null (strstr (text, "面談記録"));
  g_assert_null (strstr (text, "記入例"));
}

/* The 持出簿 for June, printed on A4 landscape: both requests under its title. */
static void
test_print_log (Fixture *f, gconstpointer data)
{
  MamoriVault *vault = mamori_takeout_page_get_vault (f->page);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, &error);
  MamoriTakeoutLogPages *log = mamori_takeout_log_pages_new (mamori_vault_get_store (vault), policy,
                                                             "2026-06-01", "2026-06-30", &error);
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autofree char *text = NULL;
  double width, height;
  int n_pages;

  g_assert_no_error (error);
  g_assert_cmpuint (mamori_takeout_log_pages_get_n_pages (log), ==, 1);
  operation = mamori_takeout_print_log_new (log);
  text = print_to_pdf (operation, f->dir, "log.pdf", &width, &height, &n_pages);
  g_assert_cmpint (n_pages, ==, 1);
  g_assert_cmpfloat_with_epsilon (width, 297, 1);
  g_assert_cmpfloat_with_epsilon (height, 210, 1);
  assert_contains (text, "持出簿（2026-06-01 〜 2026-06-30）");
  assert_contains (text, "成績一覧表");
  assert_contains (text, "面談記録");
  assert_contains (text, "面談の準備");
}

/* The form's actions follow the selection; the log's dialog offers this month, refuses
 * a range that ends before it starts, and asks for an encoding only for CSV. */
static void
test_actions (Fixture *f, gconstpointer data)
{
  GtkSingleSelection *selection = mamori_takeout_page_get_selection (f->page);
  g_autofree char *today = mamori_takeout_today ();
  g_autofree char *month = g_strndup (today, 7);
  g_autofree char *first = g_strconcat (month, "-01", NULL);
  static const char *const actions[]
      = { "takeout.print-form", "takeout.export-form", "takeout.print-log", "takeout.export-log",
          "takeout.show-example" };
  GtkBox *box = GTK_BOX (mamori_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_BOX));
  GtkWidget *buttons[G_N_ELEMENTS (actions)];
  g_autofree char *chosen = NULL;
  MamoriTakeoutLogDialog *dialog;
  GtkWidget *encoding_row;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 2);
  /* A button for each action in the page, as the menu's items would be: enabled as the
   * actions are. */
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      buttons[i] = gtk_button_new ();
      gtk_actionable_set_action_name (GTK_ACTIONABLE (buttons[i]), actions[i]);
      gtk_box_append (box, buttons[i]);
    }
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  mamori_test_flush ();
  g_assert_false (gtk_widget_is_sensitive (buttons[0]));
  g_assert_false (gtk_widget_is_sensitive (buttons[1]));
  g_assert_true (gtk_widget_is_sensitive (buttons[2]));
  g_assert_true (gtk_widget_is_sensitive (buttons[3]));
  g_assert_true (gtk_widget_is_sensitive (buttons[4]));
  gtk_single_selection_set_selected (selection, 0);
  mamori_test_flush ();
  g_assert_true (gtk_widget_is_sensitive (buttons[0]));
  g_assert_true (gtk_widget_is_sensitive (buttons[1]));
  /* Read again, as after a change in another window: the same request stays chosen. */
  gtk_single_selection_set_selected (selection, 1);
  chosen = g_strdup (
      mamori_takeout_row_get_request (gtk_single_selection_get_selected_item (selection))->id);
  mamori_takeout_page_reload (f->page);
  mamori_test_flush ();
  g_assert_nonnull (gtk_single_selection_get_selected_item (selection));
  g_assert_cmpstr (
      mamori_takeout_row_get_request (gtk_single_selection_get_selected_item (selection))->id, ==,
      chosen);
  g_assert_true (gtk_widget_is_sensitive (buttons[0]));
  mamori_session_lock (f->session);
  mamori_test_flush ();
  for (guint i = 0; i < 4; i++)
    g_assert_false (gtk_widget_is_sensitive (buttons[i]));
  g_assert_true (gtk_widget_is_sensitive (buttons[4]));
  mamori_test_unlock (f->window, users[0].passphrase);
  mamori_test_wait_for_view (f->window, "main");
  mamori_test_flush ();
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_box_remove (box, buttons[i]);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.export-log", NULL);
  mamori_test_flush ();
  dialog = (MamoriTakeoutLogDialog *)mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_LOG_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (mamori_takeout_log_dialog_get_from (dialog), ==, first);
  g_assert_true (g_str_has_prefix (mamori_takeout_log_dialog_get_until (dialog), month));
  g_assert_cmpstr (mamori_takeout_log_dialog_get_until (dialog), >=, today);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "export"));
  /* Only a CSV file has an encoding to choose. */
  g_assert_null (mamori_test_find_row (GTK_WIDGET (dialog), "文字コード"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (GTK_WIDGET (dialog), "形式")),
                              1);
  mamori_test_flush ();
  encoding_row = mamori_test_find_row (GTK_WIDGET (dialog), "文字コード");
  g_assert_nonnull (encoding_row);
  g_assert_cmpint (mamori_takeout_log_dialog_get_format (dialog), ==,
                   MAMORI_TAKEOUT_LOG_FORMAT_CSV);
  g_assert_cmpint (mamori_takeout_log_dialog_get_encoding (dialog), ==, MAMORI_CSV_ENCODING_CP932);
  mamori_test_type_into (GTK_WIDGET (dialog), _ ("Until (YYYY-MM-DD)"), "2000-01-01");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "export"));
  mamori_test_type_into (GTK_WIDGET (dialog), _ ("Until (YYYY-MM-DD)"), "2026-13-01");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "export"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  mamori_test_flush ();
}

/* The filled example, from the page's menu: marked 記入例, with the example's data; and
 * printed through the same operation as a request's form. */
static void
test_example (Fixture *f, gconstpointer data)
{
  MamoriTakeoutExample *example;
  MamoriPdfDocument *document;
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autoptr (GError) error = NULL;
  PopplerDocument *shown;
  PopplerPage *page;
  g_autofree char *shown_text = NULL;
  g_autofree char *text = NULL;
  double width, height;
  int n_pages;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "takeout.show-example", NULL));
  mamori_test_flush ();
  example = (MamoriTakeoutExample *)mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_EXAMPLE);
  g_assert_nonnull (example);
  document = mamori_takeout_example_get_document (example);
  g_assert_nonnull (document);
  shown = poppler_document_new_from_bytes (mamori_pdf_document_get_bytes (document), NULL, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (shown, 0);
  shown_text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (shown);
  assert_contains (shown_text, "記入例");
  assert_contains (shown_text, "持ち出し許可申請書");
  gtk_window_destroy (GTK_WINDOW (example));
  mamori_test_flush ();

  operation = mamori_takeout_print_form_new (mamori_takeout_form_new_example ());
  text = print_to_pdf (operation, f->dir, "example.pdf", &width, &height, &n_pages);
  g_assert_cmpint (n_pages, ==, 1);
  g_assert_cmpfloat_with_epsilon (width, 210, 1);
  assert_contains (text, "記入例");
  assert_contains (text, "持ち出し許可申請書");
  assert_contains (text, "山田 太郎");
  assert_contains (text, "2年1組 1学期の成績一覧表");
  assert_contains (text, "教頭 佐藤 花子");
  assert_contains (text, "2026-07-18 〜 2026-07-20");
}

int
main (int argc, char *argv[])
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  g_setenv ("LANGUAGE", "ja", TRUE);
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  /* gtk_test_init () sets the locale to en_US.UTF-8: set it again after. */
  mamori_test_init (&argc, &argv);
  if (setlocale (LC_ALL, "ja_JP.UTF-8") == NULL)
    {
      g_print ("1..0 # SKIP no ja_JP.UTF-8 locale\n");
      return MAMORI_TEST_EXIT_SKIP;
    }
  bindtextdomain (GETTEXT_PACKAGE, MAMORI_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add ("/gui/takeout-print/form", Fixture, NULL, fixture_set_up, test_print_form,
              fixture_tear_down);
  g_test_add ("/gui/takeout-print/log", Fixture, NULL, fixture_set_up, test_print_log,
              fixture_tear_down);
  g_test_add ("/gui/takeout-print/actions", Fixture, NULL, fixture_set_up, test_actions,
              fixture_tear_down);
  g_test_add ("/gui/takeout-print/example", Fixture, NULL, fixture_set_up, test_example,
              fixture_tear_down);

  return g_test_run ();
}
