/* test-gui-handbook.c — the handbook page: viewer, find, print, files, the session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>

#include "mamori-handbook-page.h"
#include "mamori-handbook-print.h"
#include "mamori-handbook.h"
#include "mamori-test-util.h"

#define MM (72.0 / 25.4)
#define WAIT_LIMIT_USEC (30 * G_USEC_PER_SEC)

static const MamoriTestUser principal
    = { "山田 花子", MAMORI_ROLE_PRINCIPAL, "hanako-passphrase-1" };

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition, gpointer data, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_USEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
has_document (gpointer page)
{
  return mamori_handbook_page_get_document (page) != NULL;
}

static gboolean
has_rendered (gpointer view)
{
  return mamori_pdf_view_get_n_rendered (view) > 0;
}

static MamoriHandbookSource *
oita_source (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);

  g_assert_no_error (error);
  return mamori_handbook_source_new (policy, "テスト中学校");
}

/* A window showing only a handbook page of @source. */
static GtkWindow *
page_window (MamoriHandbookSource *source, MamoriHandbookPage **out_page)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *page = mamori_handbook_page_new ();

  gtk_window_set_default_size (window, 900, 700);
  gtk_window_set_child (window, page);
  if (source != NULL)
    mamori_handbook_page_set_source (MAMORI_HANDBOOK_PAGE (page), source);
  gtk_window_present (window);
  *out_page = MAMORI_HANDBOOK_PAGE (page);
  return window;
}

static void
destroy_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  mamori_test_flush ();
  g_assert_finalize_object (window);
}

static GBytes *
handbook_bytes (MamoriHandbookKind kind)
{
  g_autoptr (MamoriHandbookSource) source = oita_source ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriHandbook) handbook
      = mamori_handbook_new (source, kind, MAMORI_HANDBOOK_PAPER_B5, &error);
  GBytes *bytes;

  g_assert_no_error (error);
  bytes = mamori_handbook_to_pdf (handbook, FALSE, &error);
  g_assert_no_error (error);
  return bytes;
}

/* The viewer renders the handbook's first page off the main thread. */
static void
test_view_renders (void)
{
  g_autoptr (MamoriHandbookSource) source = oita_source ();
  MamoriHandbookPage *page;
  GtkWindow *window = page_window (source, &page);
  MamoriPdfView *view = mamori_handbook_page_get_view (page);
  MamoriPdfDocument *document;
  double first_scale;

  wait_for (has_document, page, "the handbook");
  document = mamori_handbook_page_get_document (page);
  g_assert_cmpuint (mamori_pdf_document_get_n_pages (document), >, 10);
  wait_for (has_rendered, view, "a rendered page");
  g_assert_cmpuint (mamori_pdf_view_get_page (view), ==, 0);

  /* A whole page fits; zooming in makes the pages larger, and renders again. */
  g_assert_cmpint (mamori_pdf_view_get_zoom_mode (view), ==, MAMORI_PDF_ZOOM_FIT_PAGE);
  first_scale = mamori_pdf_view_get_scale (view);
  g_assert_cmpfloat (first_scale, >, 0.3);
  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.zoom-in", NULL);
  mamori_test_flush ();
  g_assert_cmpint (mamori_pdf_view_get_zoom_mode (view), ==, MAMORI_PDF_ZOOM_FREE);
  g_assert_cmpfloat (mamori_pdf_view_get_scale (view), >, first_scale);
  wait_for (has_rendered, view, "a page at the new zoom");
  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.zoom-mode", "s", "fit-width");
  mamori_test_flush ();
  g_assert_cmpint (mamori_pdf_view_get_zoom_mode (view), ==, MAMORI_PDF_ZOOM_FIT_WIDTH);
  g_assert_cmpfloat (mamori_pdf_view_get_scale (view), >, first_scale);

  /* Page navigation. */
  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.next-page", NULL);
  mamori_test_flush ();
  g_assert_cmpuint (mamori_pdf_view_get_page (view), ==, 1);
  mamori_pdf_view_go_to_page (view, 5);
  mamori_test_flush ();
  g_assert_cmpuint (mamori_pdf_view_get_page (view), ==, 5);

  destroy_window (window);
}

static gboolean
has_matches (gpointer page)
{
  return mamori_handbook_page_get_n_matches (page) > 0;
}

/* Find highlights every match; next and previous go round them. */
static void
test_find (void)
{
  g_autoptr (MamoriHandbookSource) source = oita_source ();
  MamoriHandbookPage *page;
  GtkWindow *window = page_window (source, &page);
  MamoriPdfView *view = mamori_handbook_page_get_view (page);
  guint n;

  wait_for (has_document, page, "the handbook");
  mamori_handbook_page_find (page, "パスワード");
  wait_for (has_matches, page, "matches");
  n = mamori_handbook_page_get_n_matches (page);
  g_assert_cmpuint (n, >, 5);
  g_assert_cmpuint (mamori_handbook_page_get_current_match (page), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.find-next", NULL);
  g_assert_cmpuint (mamori_handbook_page_get_current_match (page), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.find-previous", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "handbook.find-previous", NULL);
  g_assert_cmpuint (mamori_handbook_page_get_current_match (page), ==, n - 1);
  mamori_test_flush ();
  /* The view went to the page of the last match (the check sheet, near the end). */
  g_assert_cmpuint (mamori_pdf_view_get_page (view), >, 3);

  /* A word that is not there. */
  mamori_handbook_page_find (page, "ぴよぴよ");
  mamori_test_flush ();
  g_usleep (200000);
  mamori_test_flush ();
  g_assert_cmpuint (mamori_handbook_page_get_n_matches (page), ==, 0);

  destroy_window (window);
}

static PopplerDocument *
load_pdf (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  return document;
}

/* Printing through the print operation, to a PDF file: page by page, and as a booklet. */
static void
test_print_to_pdf (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autoptr (GBytes) bytes = handbook_bytes (MAMORI_HANDBOOK_KIND_HANDBOOK);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPdfDocument) document = mamori_pdf_document_new (bytes, &error);
  guint n_pages;

  g_assert_no_error (error);
  n_pages = mamori_pdf_document_get_n_pages (document);

  for (guint booklet = 0; booklet < 2; booklet++)
    {
      g_autofree char *path = g_build_filename (dir, booklet ? "booklet.pdf" : "pages.pdf", NULL);
      g_autoptr (GtkPrintOperation) operation = mamori_handbook_print_new (document, booklet);
      PopplerDocument *printed;
      PopplerPage *first;
      double width, height;
      g_autofree char *text = NULL;

      gtk_print_operation_set_allow_async (operation, FALSE);
      gtk_print_operation_set_export_filename (operation, path);
      g_assert_cmpint (
          gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
          GTK_PRINT_OPERATION_RESULT_APPLY);
      g_assert_no_error (error);

      printed = load_pdf (path);
      g_assert_cmpint (poppler_document_get_n_pages (printed), ==,
                       booklet ? (int)((n_pages + 3) / 4 * 2) : (int)n_pages);
      first = poppler_document_get_page (printed, 0);
      poppler_page_get_size (first, &width, &height);
      text = poppler_page_get_text (first);
      /* B5 pages; a booklet's sheet is B4 landscape with the last page and the cover. */
      g_assert_cmpfloat_with_epsilon (width / MM, booklet ? 364 : 182, 1);
      g_assert_cmpfloat_with_epsilon (height / MM, 257, 1);
      g_assert_nonnull (strstr (text, "ハンドブック"));
      if (booklet)
        g_assert_nonnull (strstr (text, "テスト中学校"));
      g_object_unref (first);
      g_object_unref (printed);
    }
  mamori_test_remove_dir (dir);
}

/* Any PDF opens; a file that is not one says so. */
static void
test_open_file (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *pdf_path = g_build_filename (dir, "leaflet.pdf", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "notes.pdf", NULL);
  g_autoptr (GBytes) bytes = handbook_bytes (MAMORI_HANDBOOK_KIND_LEAFLET);
  g_autoptr (GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr (GFile) bad = g_file_new_for_path (bad_path);
  MamoriHandbookPage *page;
  GtkWindow *window = page_window (NULL, &page);

  g_assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  g_assert_true (g_file_set_contents (bad_path, "not a PDF at all", -1, NULL));
  mamori_test_flush ();
  g_assert_null (mamori_handbook_page_get_document (page));
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (window), "Handbook"));

  mamori_handbook_page_open_file (page, pdf);
  wait_for (has_document, page, "the opened file");
  g_assert_cmpuint (mamori_pdf_document_get_n_pages (mamori_handbook_page_get_document (page)), ==,
                    2);

  mamori_handbook_page_open_file (page, bad);
  g_assert_null (mamori_handbook_page_get_document (page));
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_USEC;

    while (mamori_test_find_label (GTK_WIDGET (window), "This File Cannot Be Shown") == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_null (mamori_handbook_page_get_document (page));

  destroy_window (window);
  mamori_test_remove_dir (dir);
}

/* The window's handbook page shows the unlocked school's handbook, and drops it on lock. */
static void
test_window_session (void)
{
  g_autofree char *dir = mamori_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  MamoriSession *session;
  MamoriWindow *window;
  MamoriHandbookPage *page;
  AdwViewStack *stack;
  g_autofree char *text = NULL;
  PopplerDocument *poppler;
  GBytes *bytes;

  mamori_test_create_vault (path, &principal, 1);
  session = mamori_session_new (path);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, principal.passphrase);
  mamori_test_wait_for_view (window, "main");

  page = MAMORI_HANDBOOK_PAGE (
      mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_HANDBOOK_PAGE) != NULL
          ? mamori_test_find_widget (GTK_WIDGET (window), MAMORI_TYPE_HANDBOOK_PAGE)
          : NULL);
  /* Not made until shown. */
  g_assert_null (page);
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "handbook");
  mamori_test_flush ();
  page = MAMORI_HANDBOOK_PAGE (adw_view_stack_get_visible_child (stack));
  wait_for (has_document, page, "the school's handbook");

  /* The school's name and its principal, from the vault. */
  bytes = mamori_pdf_document_get_bytes (mamori_handbook_page_get_document (page));
  poppler = poppler_document_new_from_bytes (bytes, NULL, NULL);
  {
    GString *all = g_string_new (NULL);

    for (int i = 0; i < poppler_document_get_n_pages (poppler); i++)
      {
        PopplerPage *p = poppler_document_get_page (poppler, i);
        g_autofree char *t = poppler_page_get_text (p);

        g_string_append (all, t);
        g_object_unref (p);
      }
    text = g_string_free (all, FALSE);
  }
  g_object_unref (poppler);
  g_assert_nonnull (strstr (text, "テスト小学校"));
  g_assert_nonnull (strstr (text, "山田 花子（校長）"));

  /* Locking leaves nothing of it. */
  mamori_session_lock (session);
  mamori_test_flush ();
  g_assert_null (mamori_handbook_page_get_document (page));
  g_assert_cmpuint (mamori_pdf_view_get_n_rendered (mamori_handbook_page_get_view (page)), ==, 0);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (session);
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

  g_test_add_func ("/gui/handbook/view-renders", test_view_renders);
  g_test_add_func ("/gui/handbook/find", test_find);
  g_test_add_func ("/gui/handbook/print-to-pdf", test_print_to_pdf);
  g_test_add_func ("/gui/handbook/open-file", test_open_file);
  g_test_add_func ("/gui/handbook/window-session", test_window_session);

  return g_test_run ();
}
