/* test-takeout-paper.c — the take-out form and the 持出簿 on paper: the log split into
 * pages (every request once, the header and the title on every page, numbered), an
 * empty log, the filled example, and every page's ink inside its paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <poppler.h>

#include "mamori-handbook.h"
#include "mamori-takeout-form.h"
#include "takeout-test-util.h"
#include "vfs-test-util.h"

#define N_REQUESTS 30

static char *
pdf_page_text (PopplerDocument *document, int index)
{
  PopplerPage *page = poppler_document_get_page (document, index);
  char *text = poppler_page_get_text (page);

  g_object_unref (page);
  return text;
}

static PopplerDocument *
pdf_open (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return document;
}

/* Whatever @draw puts on a page stays inside @width × @height points. */
static void
assert_ink_inside (void (*draw) (gconstpointer data, cairo_t *cr),
                   gconstpointer data,
                   double width,
                   double height)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  double x, y, w, h;

  draw (data, cr);
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (surface, &x, &y, &w, &h);
  cairo_surface_destroy (surface);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x + w, <=, width + 0.5);
  g_assert_cmpfloat (y + h, <=, height + 0.5);
}

static void
draw_form_marks (gconstpointer data, cairo_t *cr)
{
  mamori_takeout_form_draw (data, cr);
}

static void
draw_log_last_page (gconstpointer data, cairo_t *cr)
{
  mamori_takeout_log_pages_draw (data, mamori_takeout_log_pages_get_n_pages (data) - 1, cr);
}

/* Enough requests, with long purposes, to fill more than one landscape page. */
static void
test_log_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriTakeoutLogPages) log = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  PopplerDocument *document;
  guint n_pages;

  as (f, TEACHER);
  policy = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autoptr (MamoriTakeoutDraft) draft
          = draft_new ("C", MAMORI_TAKEOUT_MEDIUM_PAPER, "2026-06-01", "2026-06-03");
      g_autoptr (MamoriTakeoutRequest) request = NULL;

      g_free (draft->purpose);
      draft->purpose = g_strdup_printf ("用件%02u 学期末の成績処理と保護者面談の資料の準備", i);
      request = mamori_takeout_file (f->vault, draft, &error);
      g_assert_no_error (error);
    }
  log = mamori_takeout_log_pages_new (db_of (f), policy, "2026-06-01", "2026-06-30", &error);
  g_assert_no_error (error);
  n_pages = mamori_takeout_log_pages_get_n_pages (log);
  g_assert_cmpuint (n_pages, >=, 2);
  assert_ink_inside (draw_log_last_page, log, MAMORI_TAKEOUT_LOG_WIDTH, MAMORI_TAKEOUT_LOG_HEIGHT);

  pdf = mamori_takeout_log_pages_to_pdf (log, &error);
  g_assert_no_error (error);
  document = pdf_open (pdf);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, (int)n_pages);
  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autofree char *marker = g_strdup_printf ("用件%02u", i);
      guint found = 0;

      for (guint page = 0; page < n_pages; page++)
        {
          g_autofree char *text = pdf_page_text (document, (int)page);

          found += strstr (text, marker) != NULL;
        }
      g_assert_cmpuint (found, ==, 1);
    }
  for (guint page = 0; page < n_pages; page++)
    {
      g_autofree char *text = pdf_page_text (document, (int)page);
      g_autofree char *number = g_strdup_printf ("\n%u", page + 1);

      g_assert_nonnull (strstr (text, "Take-out log, 2026-06-01 to 2026-06-30"));
      g_assert_nonnull (strstr (text, "Approved by"));
      g_assert_nonnull (strstr (text, number));
    }
  g_object_unref (document);
}

/* A range without requests: one page that says so. */
static void
test_log_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (f->vault, &error);
  g_autoptr (MamoriTakeoutLogPages) log
      = mamori_takeout_log_pages_new (db_of (f), policy, "2020-01-01", "2020-01-31", &error);
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;

  g_assert_no_error (error);
  g_assert_cmpuint (mamori_takeout_log_pages_get_n_pages (log), ==, 1);
  pdf = mamori_takeout_log_pages_to_pdf (log, &error);
  g_assert_no_error (error);
  document = pdf_open (pdf);
  text = pdf_page_text (document, 0);
  g_assert_nonnull (strstr (text, "Nothing was taken out in this period."));
  g_object_unref (document);
}

/* A filed request's form, and the example: on the page, the example marked as one. */
static void
test_form (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (f->vault, &error);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (MamoriTakeoutForm) form = NULL;
  g_autoptr (MamoriTakeoutForm) example = mamori_takeout_form_new_example ();
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *example_text = NULL;
  PopplerDocument *document;

  as (f, TEACHER);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  form = mamori_takeout_form_new (db_of (f), policy, request, &error);
  g_assert_no_error (error);
  g_assert_null (form->approver);
  g_assert_null (form->fingerprint);
  assert_ink_inside (draw_form_marks, form, MAMORI_TAKEOUT_FORM_WIDTH, MAMORI_TAKEOUT_FORM_HEIGHT);
  assert_ink_inside (draw_form_marks, example, MAMORI_TAKEOUT_FORM_WIDTH,
                     MAMORI_TAKEOUT_FORM_HEIGHT);

  pdf = mamori_takeout_form_to_pdf (form, &error);
  g_assert_no_error (error);
  document = pdf_open (pdf);
  text = pdf_page_text (document, 0);
  g_object_unref (document);
  g_clear_pointer (&pdf, g_bytes_unref);
  g_assert_nonnull (strstr (text, request->id));
  g_assert_nonnull (strstr (text, "資料1（B）"));
  g_assert_null (strstr (text, "Example"));

  pdf = mamori_takeout_form_to_pdf (example, &error);
  g_assert_no_error (error);
  document = pdf_open (pdf);
  example_text = pdf_page_text (document, 0);
  g_object_unref (document);
  g_assert_nonnull (strstr (example_text, "Example"));
  g_assert_nonnull (strstr (example_text, "made up"));
  g_assert_nonnull (strstr (example_text, "Taro Yamada"));
  g_assert_nonnull (strstr (example_text, example->id));
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  vfs_test_init ();
  g_test_add ("/takeout/paper/log-pages", Fixture, NULL, fixture_set_up, test_log_pages,
              fixture_tear_down);
  g_test_add ("/takeout/paper/log-empty", Fixture, NULL, fixture_set_up, test_log_empty,
              fixture_tear_down);
  g_test_add ("/takeout/paper/form", Fixture, NULL, fixture_set_up, test_form, fixture_tear_down);
  status = g_test_run ();
  mamori_handbook_release_font_caches ();
  return status;
}
