/* bench-handbook.c — making the handbook, rendering its pages, the viewer's first page
 *
 * The handbook of oita-abcd with a synthesized 300-entry register: its layout and PDF
 * (target: under 0.5 s), every page rendered at 100 % by the viewer's renderer (poppler;
 * target: median under 30 ms), and, with a display, the time from opening the PDF to
 * its first page on screen (target: under 200 ms).  The template-only handbook is made
 * in the same run, for the register's share of the cost.  One figure a line,
 * `name: value unit`.
 *
 *   meson compile -C _build bench-handbook && _build/tests/bench/bench-handbook [--quick]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "mamori-handbook.h"
#include "mamori-pdf-view.h"

#define REGISTER_ENTRIES 300

static const char *const categories[]
    = { "学籍情報", "生徒指導関連",       "成績情報",
        "進路関連", "教務関係・保健関係", "学校運営・学校経営・その他",
        "事務関連" };
static const char *const heads[]
    = { "第1学年", "第2学年", "第3学年", "特別支援学級", "職員", "PTA", "部活動", "保健室" };
static const char *const bodies[]
    = { "出席簿", "成績一覧表", "健康調査票",   "面談記録",     "緊急連絡網", "学級通信",
        "会計簿", "写真データ", "進路希望調査", "行事のしおり", "指導記録",   "配布プリント" };

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static MamoriHandbookSource *
make_source (MamoriPolicy *policy, guint n_entries)
{
  MamoriHandbookSource *source = mamori_handbook_source_new (policy, "みまもり市立さくら小学校");
  static const char *const levels[] = { "A", "B", "C", "D" };

  mamori_handbook_source_add_contact (source, "山田 花子", MAMORI_ROLE_PRINCIPAL);
  mamori_handbook_source_add_contact (source, "鈴木 一郎", MAMORI_ROLE_VICE_PRINCIPAL);
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *name
          = g_strdup_printf ("%s %s（%u）", heads[i % G_N_ELEMENTS (heads)],
                             bodies[(i / G_N_ELEMENTS (heads)) % G_N_ELEMENTS (bodies)], i + 1);

      mamori_handbook_source_add_entry (source, name, categories[i % G_N_ELEMENTS (categories)],
                                        levels[(i * 7) % 4], i % 9 == 0 ? "写し" : NULL, NULL);
    }
  return source;
}

/* Milliseconds to lay out and write the PDF of @source; @out_pdf keeps the last one. */
static double
time_generation (MamoriHandbookSource *source, MamoriHandbookKind kind, GBytes **out_pdf)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (MamoriHandbook) handbook
      = mamori_handbook_new (source, kind, MAMORI_HANDBOOK_PAPER_B5, &error);
  GBytes *pdf;

  g_assert_no_error (error);
  pdf = mamori_handbook_to_pdf (handbook, FALSE, &error);
  g_assert_no_error (error);
  if (out_pdf != NULL)
    {
      g_clear_pointer (out_pdf, g_bytes_unref);
      *out_pdf = pdf;
    }
  else
    g_bytes_unref (pdf);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
first_page_shown (MamoriPdfView *view)
{
  return mamori_pdf_view_get_n_rendered (view) > 0;
}

static void
after_paint_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* From the PDF's bytes to its first page painted in @view's window, in milliseconds.
 * The window is made once: its renderer's set-up is not the viewer's to pay. */
static double
time_first_page (MamoriPdfView *view, GBytes *pdf)
{
  g_autoptr (MamoriPdfDocument) document = NULL;
  g_autoptr (GError) error = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  gboolean painted = FALSE;
  gint64 start;
  double elapsed;
  gulong handler;

  mamori_pdf_view_set_document (view, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  start = g_get_monotonic_time ();
  document = mamori_pdf_document_new (pdf, &error);
  g_assert_no_error (error);
  mamori_pdf_view_set_document (view, document);
  while (!first_page_shown (view))
    g_main_context_iteration (NULL, TRUE);
  /* The texture is there: the next frame paints it. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (view));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  g_signal_handler_disconnect (clock, handler);
  return elapsed;
}

static MamoriPdfView *
viewer_window (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = mamori_pdf_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (view))
    g_main_context_iteration (NULL, TRUE);
  return MAMORI_PDF_VIEW (view);
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");
  guint runs = quick ? 2 : 9;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);
  g_autoptr (MamoriHandbookSource) with_register = NULL;
  g_autoptr (MamoriHandbookSource) template_only = NULL;
  g_autoptr (GArray) generation = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) template_generation = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) leaflet_generation = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) renders = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (MamoriPdfDocument) document = NULL;
  double slowest = 0;
  guint n_pages;

  g_assert_no_error (error);
  with_register = make_source (policy, REGISTER_ENTRIES);
  template_only = make_source (policy, 0);

  /* One warm-up: fontconfig's and Pango's caches are filled once per process. */
  time_generation (template_only, MAMORI_HANDBOOK_KIND_HANDBOOK, NULL);
  for (guint i = 0; i < runs; i++)
    {
      double ms = time_generation (with_register, MAMORI_HANDBOOK_KIND_HANDBOOK, &pdf);
      g_array_append_val (generation, ms);
      ms = time_generation (template_only, MAMORI_HANDBOOK_KIND_HANDBOOK, NULL);
      g_array_append_val (template_generation, ms);
      ms = time_generation (with_register, MAMORI_HANDBOOK_KIND_LEAFLET, NULL);
      g_array_append_val (leaflet_generation, ms);
    }

  document = mamori_pdf_document_new (pdf, &error);
  g_assert_no_error (error);
  n_pages = mamori_pdf_document_get_n_pages (document);
  for (guint i = 0; i < n_pages; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GdkTexture) texture = mamori_pdf_document_render (document, i, 1.0);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_array_append_val (renders, ms);
      slowest = MAX (slowest, ms);
    }

  g_print ("handbook-pages: %u pages\n", n_pages);
  g_print ("handbook-pdf-size: %.0f KiB\n", g_bytes_get_size (pdf) / 1024.0);
  g_print ("handbook-generate-register-%u: %.1f ms\n", REGISTER_ENTRIES, median (generation));
  g_print ("handbook-generate-template: %.1f ms\n", median (template_generation));
  g_print ("handbook-generate-register-vs-template: %.2f ratio\n",
           median (generation) / median (template_generation));
  g_print ("leaflet-generate: %.1f ms\n", median (leaflet_generation));
  g_print ("page-render-100%%-median: %.1f ms\n", median (renders));
  g_print ("page-render-100%%-slowest: %.1f ms\n", slowest);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_print ("viewer-first-page: skipped (no display; run under xvfb-run)\n");
  else
    {
      g_autoptr (GArray) first = g_array_new (FALSE, FALSE, sizeof (double));

      MamoriPdfView *view;

      gtk_init ();
      adw_init ();
      view = viewer_window ();
      time_first_page (view, pdf);
      for (guint i = 0; i < runs; i++)
        {
          double ms = time_first_page (view, pdf);
          g_array_append_val (first, ms);
        }
      gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));
      g_print ("viewer-first-page: %.1f ms\n", median (first));
    }
  return 0;
}
