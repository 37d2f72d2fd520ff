/* test-handbook.c — the handbook and leaflet PDFs, read back with poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>

#include "mamori-booklet.h"
#include "mamori-handbook.h"

#define MM (72.0 / 25.4)

/* poppler-glib declares its autoptrs only from releases later than Debian 12's 22.12:
 * these tests hold documents as GObjects. */
/* Rounding slack, in points. */
#define SLACK 0.05

static MamoriPolicy *
load_preset (const char *id)
{
  g_autoptr (GError) error = NULL;
  MamoriPolicy *policy = mamori_policy_new_from_preset (id, &error);

  g_assert_no_error (error);
  return policy;
}

static MamoriHandbook *
make (MamoriHandbookSource *source, MamoriHandbookKind kind, MamoriHandbookPaper paper)
{
  g_autoptr (GError) error = NULL;
  MamoriHandbook *handbook = mamori_handbook_new (source, kind, paper, &error);

  g_assert_no_error (error);
  g_assert_nonnull (handbook);
  return handbook;
}

static PopplerDocument *
open_pdf (MamoriHandbook *handbook, gboolean booklet)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = mamori_handbook_to_pdf (handbook, booklet, &error);
  PopplerDocument *document;

  g_assert_no_error (error);
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  return document;
}

/* All the text of @document, without line breaks (a name may wrap in a cell). */
static char *
document_text (PopplerDocument *document)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_object_unref (page);
      for (const char *c = page_text; *c != '\0'; c++)
        if (*c != '\n' && *c != ' ')
          g_string_append_c (text, *c);
    }
  return g_string_free (text, FALSE);
}

static void
assert_page_size (PopplerDocument *document, double width_mm, double height_mm)
{
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      double width, height;

      poppler_page_get_size (page, &width, &height);
      g_object_unref (page);
      g_assert_cmpfloat_with_epsilon (width / MM, width_mm, 0.1);
      g_assert_cmpfloat_with_epsilon (height / MM, height_mm, 0.1);
    }
}

/* --- booklet order ------------------------------------------------------------------ */

static void
assert_sides (guint n_pages, const int (*expected)[2], guint n_sides)
{
  g_assert_cmpuint (mamori_booklet_get_n_sides (n_pages), ==, n_sides);
  for (guint side = 0; side < n_sides; side++)
    {
      int left, right;

      mamori_booklet_get_side (n_pages, side, &left, &right);
      g_assert_cmpint (left, ==, expected[side][0]);
      g_assert_cmpint (right, ==, expected[side][1]);
    }
}

static void
test_booklet_order (void)
{
  /* 1-based, as a printer's imposition sheet reads; 0 is a blank page. */
  static const int four[][2] = { { 4, 1 }, { 2, 3 } };
  static const int eight[][2] = { { 8, 1 }, { 2, 7 }, { 6, 3 }, { 4, 5 } };
  static const int twelve[][2] = { { 12, 1 }, { 2, 11 }, { 10, 3 }, { 4, 9 }, { 8, 5 }, { 6, 7 } };
  /* 13 pages: padded to 16, pages 14–16 blank. */
  static const int thirteen[][2]
      = { { 0, 1 }, { 2, 0 }, { 0, 3 }, { 4, 13 }, { 12, 5 }, { 6, 11 }, { 10, 7 }, { 8, 9 } };
  const struct
  {
    guint n_pages;
    const int (*sides)[2];
    guint n_sides;
  } cases[] = { { 4, four, 2 }, { 8, eight, 4 }, { 12, twelve, 6 }, { 13, thirteen, 8 } };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      int zero_based[8][2];

      for (guint s = 0; s < cases[c].n_sides; s++)
        for (guint k = 0; k < 2; k++)
          zero_based[s][k] = cases[c].sides[s][k] - 1;
      assert_sides (cases[c].n_pages, (const int (*)[2])zero_based, cases[c].n_sides);
    }
  g_assert_cmpuint (mamori_booklet_get_n_padded_pages (13), ==, 16);
  g_assert_cmpuint (mamori_booklet_get_n_padded_pages (0), ==, 0);
}

/* Every page of the padded booklet is printed exactly once, whatever its length. */
static void
test_booklet_every_page_once (void)
{
  for (guint n = 1; n <= 41; n++)
    {
      guint padded = mamori_booklet_get_n_padded_pages (n);
      g_autofree guint *seen = g_new0 (guint, n);
      guint blanks = 0;

      for (guint side = 0; side < mamori_booklet_get_n_sides (n); side++)
        {
          int pages[2];

          mamori_booklet_get_side (n, side, &pages[0], &pages[1]);
          for (guint k = 0; k < 2; k++)
            if (pages[k] < 0)
              blanks++;
            else
              seen[pages[k]]++;
        }
      for (guint p = 0; p < n; p++)
        g_assert_cmpuint (seen[p], ==, 1);
      g_assert_cmpuint (blanks, ==, padded - n);
    }
}

/* --- the PDF ------------------------------------------------------------------------ */

static void
test_page_sizes_and_fonts (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, "テスト小学校");
  const struct
  {
    MamoriHandbookKind kind;
    MamoriHandbookPaper paper;
    gboolean booklet;
    double width, height;
  } cases[] = {
    { MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5, FALSE, 182, 257 },
    { MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_A4, FALSE, 210, 297 },
    /* Two pages side by side: B4 and A3, landscape. */
    { MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5, TRUE, 364, 257 },
    { MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_A4, TRUE, 420, 297 },
    { MAMORI_HANDBOOK_KIND_LEAFLET, MAMORI_HANDBOOK_PAPER_B5, FALSE, 210, 297 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (MamoriHandbook) handbook = make (source, cases[c].kind, cases[c].paper);
      g_autoptr (GObject) document_object = G_OBJECT (open_pdf (handbook, cases[c].booklet));
      PopplerDocument *document = POPPLER_DOCUMENT (document_object);
      PopplerFontInfo *info = poppler_font_info_new (document);
      PopplerFontsIter *iter = NULL;
      guint n_fonts = 0;
      int n_pages = poppler_document_get_n_pages (document);

      if (cases[c].booklet)
        g_assert_cmpint (n_pages, ==, (mamori_handbook_get_n_pages (handbook) + 3) / 4 * 2);
      else
        g_assert_cmpint (n_pages, ==, mamori_handbook_get_n_pages (handbook));
      assert_page_size (document, cases[c].width, cases[c].height);

      g_assert_true (poppler_font_info_scan (info, n_pages, &iter));
      do
        {
          g_assert_true (poppler_fonts_iter_is_embedded (iter));
          n_fonts++;
        }
      while (poppler_fonts_iter_next (iter));
      poppler_fonts_iter_free (iter);
      poppler_font_info_free (info);
      g_assert_cmpuint (n_fonts, >=, 2);
    }
}

static void
test_sections (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, "みまもり小学校");
  g_autoptr (MamoriHandbook) handbook = NULL;
  g_autoptr (GObject) document_object = NULL;
  PopplerDocument *document;
  g_autofree char *text = NULL;
  static const char *const expected[] = {
    "学校情報セキュリティハンドブック",
    "みまもり小学校",
    "目次",
    "1情報の重要度",
    "2情報資産と重要度",
    "3持ち出しと保管のルール",
    "4情報を扱ってよい場所",
    "5日常の留意事項",
    "6事故が起きたとき",
    "7情報セキュリティチェックシート",
    "ポリシーに記載なし",
    "留意事項",
    "禁止事項",
    "校長（情報セキュリティ管理者）",
    "山田花子（校長）",
    "鈴木一郎（副校長・教頭）",
    "教育委員会",
  };
  GListModel *levels = mamori_policy_get_levels (policy);
  GListModel *scenarios = mamori_policy_get_scenarios (policy);

  mamori_handbook_source_add_contact (source, "山田 花子", MAMORI_ROLE_PRINCIPAL);
  mamori_handbook_source_add_contact (source, "鈴木 一郎", MAMORI_ROLE_VICE_PRINCIPAL);
  handbook = make (source, MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5);
  document = open_pdf (handbook, FALSE);
  document_object = G_OBJECT (document);
  text = document_text (document);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (text, expected[i]) == NULL)
      g_error ("“%s” is not in the handbook", expected[i]);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_assert_nonnull (strstr (text, mamori_level_get_label (level)));
    }
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      g_assert_nonnull (strstr (text, mamori_scenario_get_title (scenario)));
    }
  /* Without a register, the template's assets. */
  g_assert_nonnull (strstr (text, "指導要録（学籍に関する記録）その写し及び抄本"));
  g_assert_nonnull (strstr (text, "進路のしおり等（個人情報を含まないもの）"));
}

/* Names made to be found: each unique, some long enough to wrap in their cell. */
static void
add_register (MamoriHandbookSource *source, guint n)
{
  static const char *const categories[] = { "学籍情報", "成績情報", "学校運営", "本校独自の分類" };
  static const char *const levels[] = { "A", "B", "C", "D" };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf (
          i % 7 == 0 ? "台帳項目%04u号　第%u学年の学級ごとの個人面談記録と保護者への連絡文書の控え"
                     : "台帳項目%04u号",
          i, i % 6 + 1);

      g_assert_true (mamori_handbook_source_add_entry (
          source, name, categories[i % 4], levels[i % 4], i % 5 == 0 ? "写し" : NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_register_entries (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, "台帳小学校");
  g_autoptr (MamoriHandbook) handbook = NULL;
  g_autoptr (GObject) document_object = NULL;
  PopplerDocument *document;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  add_register (source, 300);
  g_assert_false (mamori_handbook_source_add_entry (source, "不明", "学籍情報", "Z", NULL, &error));
  g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_INVALID);

  handbook = make (source, MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5);
  document = open_pdf (handbook, FALSE);
  document_object = G_OBJECT (document);
  text = document_text (document);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("台帳項目%04u号", i);

      if (strstr (text, name) == NULL)
        g_error ("the register entry %s is not in the handbook", name);
    }
  g_assert_nonnull (strstr (text, "台帳項目0000号第1学年の学級ごとの個人面談記録と保護者への連絡"
                                  "文書の控え（写し）"));
  g_assert_nonnull (strstr (text, "本校独自の分類"));
  g_assert_nonnull (strstr (text, "情報資産台帳に登録されている300件"));
  /* The register replaces the template. */
  g_assert_null (strstr (text, "卒業証書授与台帳"));
}

static guint
count_cautions (MamoriPolicy *policy)
{
  GListModel *scenarios = mamori_policy_get_scenarios (policy);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      n += g_strv_length ((GStrv)mamori_scenario_get_cautions (scenario));
    }
  return n;
}

static void
test_check_sheet (void)
{
  const char *const *presets = mamori_policy_list_presets ();

  for (guint p = 0; presets[p] != NULL; p++)
    {
      g_autoptr (MamoriPolicy) policy = load_preset (presets[p]);
      g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, NULL);
      g_autoptr (MamoriHandbook) handbook
          = make (source, MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5);
      g_autoptr (GObject) document_object = G_OBJECT (open_pdf (handbook, FALSE));
      PopplerDocument *document = POPPLER_DOCUMENT (document_object);
      g_autofree char *text = document_text (document);
      guint n_boxes;
      const MamoriHandbookBox *boxes = mamori_handbook_get_boxes (handbook, &n_boxes);
      guint n_checkboxes = 0;
      guint first_page = G_MAXUINT;
      guint n_items = count_cautions (policy);

      for (guint i = 0; i < n_boxes; i++)
        if (boxes[i].kind == MAMORI_HANDBOOK_BOX_CHECKBOX)
          {
            n_checkboxes++;
            first_page = MIN (first_page, boxes[i].page);
          }
      /* One box per item: one per caution of every scene. */
      g_assert_cmpuint (n_items, >, 0);
      g_assert_cmpuint (mamori_handbook_get_n_check_items (handbook), ==, n_items);
      g_assert_cmpuint (n_checkboxes, ==, n_items);

      /* The items are numbered 1…n, and the sheet is the last section. */
      {
        g_autofree char *last = g_strdup_printf ("%u", n_items);
        PopplerPage *page = poppler_document_get_page (document, first_page);
        g_autofree char *page_text = poppler_page_get_text (page);

        g_object_unref (page);
        g_assert_nonnull (strstr (page_text, "チェックシート"));
        g_assert_nonnull (strstr (text, last));
      }
    }
}

/* Every laid-out box stays inside the margins (the running header and the page number
 * inside the page, outside the text block), for every preset, paper and kind. */
static void
assert_inside_margins (MamoriHandbook *handbook, const char *what)
{
  MamoriHandbookRect block;
  double page_width, page_height;
  guint n_boxes;
  const MamoriHandbookBox *boxes = mamori_handbook_get_boxes (handbook, &n_boxes);
  guint n_pages = mamori_handbook_get_n_pages (handbook);
  g_autofree guint *per_page = g_new0 (guint, n_pages);

  mamori_handbook_get_text_block (handbook, &block);
  mamori_handbook_get_page_size (handbook, &page_width, &page_height);
  g_assert_cmpuint (n_boxes, >, 0);

  for (guint i = 0; i < n_boxes; i++)
    {
      const MamoriHandbookRect *r = &boxes[i].rect;
      gboolean margin_box = boxes[i].kind == MAMORI_HANDBOOK_BOX_HEADER
                            || boxes[i].kind == MAMORI_HANDBOOK_BOX_FOOTER;
      gboolean inside;

      g_assert_cmpuint (boxes[i].page, <, n_pages);
      per_page[boxes[i].page]++;
      g_assert_cmpfloat (r->width, >=, 0);
      g_assert_cmpfloat (r->height, >=, 0);
      if (margin_box)
        inside = r->x >= -SLACK && r->y >= -SLACK && r->x + r->width <= page_width + SLACK
                 && r->y + r->height <= page_height + SLACK
                 && (r->y + r->height <= block.y + SLACK || r->y >= block.y + block.height - SLACK);
      else
        inside = r->x >= block.x - SLACK && r->y >= block.y - SLACK
                 && r->x + r->width <= block.x + block.width + SLACK
                 && r->y + r->height <= block.y + block.height + SLACK;
      if (!inside)
        g_error ("%s: box %u (kind %d) on page %u at %.1f,%.1f %.1f×%.1f leaves the margins "
                 "(%.1f,%.1f %.1f×%.1f)",
                 what, i, boxes[i].kind, boxes[i].page + 1, r->x, r->y, r->width, r->height,
                 block.x, block.y, block.width, block.height);
    }
  /* No page is left empty by a break gone wrong. */
  for (guint p = 0; p < n_pages; p++)
    g_assert_cmpuint (per_page[p], >, 0);
}

/* --- basis: what is not the source's words ------------------------------------------ */

/* Each text unique, so that its mark can be looked for right after it. */
static const char basis_policy[]
    = "{\"format\":1,\"id\":\"basis\",\"title\":\"T\",\"source\":\"S\","
      "\"levels\":[{\"id\":\"A\",\"label\":\"重要度A\",\"definition\":\"定義アルファ\","
      "\"personal_info\":true,\"basis\":{\"kind\":\"reading\",\"note\":\"注記ブラボー\"},"
      "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[\"措置チャーリー\","
      "{\"text\":\"措置デルタ\",\"basis\":{\"kind\":\"school\"}},"
      "{\"text\":\"措置エコー\",\"basis\":{\"kind\":\"board\",\"note\":\"注記フォックス\"}}],"
      "\"basis\":{\"kind\":\"school\",\"note\":\"注記タンゴ\"}},"
      "\"storage\":[\"保管ゴルフ\"],"
      "\"environments\":{\"staff-pc\":{\"value\":true,\"basis\":{\"kind\":\"reading\","
      "\"note\":\"注記ホテル\"}},\"removable-media\":false}}],"
      "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],"
      "\"assets\":[{\"name\":\"資産インディア\",\"category\":\"c\",\"level\":\"A\","
      "\"basis\":{\"kind\":\"reading\",\"note\":\"注記ジュリエット\"}},"
      "{\"name\":\"資産キロ\",\"category\":\"c\",\"level\":\"A\"}],"
      "\"scenarios\":[{\"id\":\"s1\",\"title\":\"場面リマ\","
      "\"basis\":{\"kind\":\"reading\",\"note\":\"注記マイク\"},"
      "\"cautions\":[\"留意ノベンバー\",{\"text\":\"留意オスカー\",\"basis\":{\"kind\":\"reading\","
      "\"note\":\"注記パパ\"}}],"
      "\"prohibitions\":[{\"text\":\"禁止ケベック\",\"basis\":{\"kind\":\"reading\","
      "\"note\":\"注記パパ\"}},\"禁止ロミオ\"],\"source\":\"根拠シエラ\"}]}";

static char *
handbook_text (MamoriPolicy *policy)
{
  g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, NULL);
  g_autoptr (MamoriHandbook) handbook
      = make (source, MAMORI_HANDBOOK_KIND_HANDBOOK, MAMORI_HANDBOOK_PAPER_B5);
  g_autoptr (GObject) document = G_OBJECT (open_pdf (handbook, FALSE));

  assert_inside_margins (handbook, "basis");
  return document_text (POPPLER_DOCUMENT (document));
}

/* As document_text () reads the PDF: without spaces (or line breaks). */
static void
strip_spaces (char *text)
{
  char *to = text;

  for (const char *from = text; *from != '\0'; from++)
    if (*from != ' ' && *from != '\n')
      *to++ = *from;
  *to = '\0';
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

static void
assert_in (const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the handbook", needle);
}

/* A mark follows the text it marks; the source's words carry none. */
static void
assert_unmarked (const char *text, const char *words)
{
  const char *at = strstr (text, words);

  g_assert_nonnull (at);
  g_assert_false (g_str_has_prefix (at + strlen (words), "〔"));
}

static void
test_basis_marks (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (basis_policy, sizeof basis_policy - 1, "basis.json", &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = handbook_text (policy);

  /* What the marks mean, once, on the contents page. */
  assert_in (text, "〔解釈〕を付けた箇所は");
  /* 1: the level's definition.  The numbers start again in every section. */
  assert_in (text, "定義アルファ〔解釈※1〕");
  assert_in (text, "※1解釈：注記ブラボー");
  /* 2: an asset of the policy. */
  assert_in (text, "資産インディア〔解釈※1〕");
  assert_in (text, "※1解釈：注記ジュリエット");
  assert_unmarked (text, "資産キロ");
  /* 3: the school's and the board's additions, a note numbered only when there is one. */
  assert_in (text, "持ち出し禁止〔学校の定め※1〕");
  assert_in (text, "措置デルタ〔学校の定め〕");
  assert_in (text, "措置エコー〔教育委員会の定め※2〕");
  assert_in (text, "※1学校の定め：注記タンゴ");
  assert_in (text, "※2教育委員会の定め：注記フォックス");
  assert_unmarked (text, "措置チャーリー");
  assert_unmarked (text, "保管ゴルフ");
  /* 4: a cell of the matrix, its note under the table. */
  assert_in (text, "※1解釈：注記ホテル");
  /* 5: the scene, and its items; one note for one reading of two items. */
  assert_in (text, "場面リマ〔解釈※1〕");
  assert_in (text, "留意オスカー〔解釈※2〕");
  assert_in (text, "禁止ケベック〔解釈※2〕");
  assert_in (text, "※1解釈：注記マイク");
  assert_in (text, "※2解釈：注記パパ");
  g_assert_cmpuint (count (text, "※2解釈：注記パパ"), ==, 1);
  assert_unmarked (text, "留意ノベンバー");
  assert_unmarked (text, "禁止ロミオ");
  /* 7: the check sheet carries its own notes (it is torn out). */
  assert_in (text, "留意オスカー〔解釈※1〕");
  assert_in (text, "※1解釈：注記パパ");

  /* Every mark: the definition, the asset, the cell, the scene, two items, the sheet. */
  g_assert_cmpuint (count (text, "〔解釈※"), ==, 7);
  g_assert_cmpuint (count (text, "〔学校の定め"), ==, 2 + 1);
  g_assert_cmpuint (count (text, "〔教育委員会の定め"), ==, 1 + 1);
}

/* The leaflet has no room for notes: the marks alone, and a word on them. */
static void
test_basis_leaflet (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (basis_policy, sizeof basis_policy - 1, "basis.json", &error);
  g_autoptr (MamoriHandbookSource) source = NULL;
  g_autoptr (MamoriHandbook) leaflet = NULL;
  g_autoptr (GObject) document = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  source = mamori_handbook_source_new (policy, NULL);
  leaflet = make (source, MAMORI_HANDBOOK_KIND_LEAFLET, MAMORI_HANDBOOK_PAPER_B5);
  document = G_OBJECT (open_pdf (leaflet, FALSE));
  text = document_text (POPPLER_DOCUMENT (document));
  assert_inside_margins (leaflet, "basis leaflet");

  assert_in (text, "場面リマ〔解釈〕");
  assert_in (text, "留意オスカー〔解釈〕");
  assert_in (text, "禁止ケベック〔解釈〕");
  assert_unmarked (text, "留意ノベンバー");
  assert_unmarked (text, "禁止ロミオ");
  assert_in (text, "〔解釈〕出典の記述の解釈");
  g_assert_null (strstr (text, "※"));
}

/* A policy that is all the source's words has no mark, nor the words about marks. */
static void
test_basis_none (void)
{
  static const char json[]
      = "{\"format\":1,\"id\":\"plain\",\"title\":\"T\",\"source\":\"S\","
        "\"levels\":[{\"id\":\"A\",\"label\":\"重要度A\",\"definition\":\"定義アルファ\","
        "\"personal_info\":true,\"basis\":{\"kind\":\"source\"},"
        "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[\"措置チャーリー\","
        "{\"text\":\"措置デルタ\",\"basis\":{\"kind\":\"source\"}}]},"
        "\"storage\":[\"保管ゴルフ\"],\"environments\":{\"staff-pc\":{\"value\":true},"
        "\"removable-media\":false}}],"
        "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],"
        "\"assets\":[{\"name\":\"資産キロ\",\"category\":\"c\",\"level\":\"A\"}],"
        "\"scenarios\":[{\"id\":\"s1\",\"title\":\"場面リマ\",\"cautions\":[\"留意ノベンバー\"],"
        "\"prohibitions\":[\"禁止ロミオ\"],\"source\":\"根拠シエラ\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (json, sizeof json - 1, "plain.json", &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = handbook_text (policy);
  assert_in (text, "措置デルタ");
  g_assert_null (strstr (text, "〔"));
  g_assert_null (strstr (text, "※1"));
}

/* The presets' readings of the seed reach the handbook with their notes. */
static void
test_basis_preset (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autofree char *text = handbook_text (policy);
  GListModel *assets = mamori_policy_get_assets (policy);
  guint n_marked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);
      const MamoriBasis *basis = mamori_asset_get_basis (asset);
      g_autofree char *name = NULL;
      g_autofree char *note = NULL;

      if (basis == NULL)
        {
          assert_unmarked (text, mamori_asset_get_display_name (asset));
          continue;
        }
      /* 進路のしおり等 at C and D: one reading of both, noted once under the table. */
      name = g_strdup_printf ("%s〔解釈※1〕", mamori_asset_get_display_name (asset));
      note = g_strdup_printf ("※1解釈：%s", mamori_basis_get_note (basis));
      strip_spaces (note);
      assert_in (text, name);
      assert_in (text, note);
      n_marked++;
    }
  g_assert_cmpuint (n_marked, ==, 2);
}

static void
test_margins (void)
{
  const char *const *presets = mamori_policy_list_presets ();
  const MamoriHandbookPaper papers[] = { MAMORI_HANDBOOK_PAPER_B5, MAMORI_HANDBOOK_PAPER_A4 };

  for (guint p = 0; presets[p] != NULL; p++)
    for (guint with_register = 0; with_register < 2; with_register++)
      {
        g_autoptr (MamoriPolicy) policy = load_preset (presets[p]);
        g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (
            policy, "とても長い名前の学校法人みまもり学園附属第二中等教育学校");
        GListModel *levels = mamori_policy_get_levels (policy);
        g_autoptr (MamoriHandbook) leaflet = NULL;
        g_autofree char *what = NULL;

        mamori_handbook_source_add_contact (source, "山田 花子", MAMORI_ROLE_PRINCIPAL);
        mamori_handbook_source_add_contact (source, "教育委員会 情報政策課", MAMORI_ROLE_BOARD);
        if (with_register)
          for (guint i = 0; i < 120; i++)
            {
              g_autoptr (MamoriLevel) level
                  = g_list_model_get_item (levels, i % g_list_model_get_n_items (levels));
              g_autofree char *name = g_strdup_printf (
                  "https://example.jp/very/long/unbreakable/path/%u/"
                  "とても長い情報資産の名前が表の列からはみ出さないことを確かめる項目",
                  i);

              g_assert_true (mamori_handbook_source_add_entry (
                  source, name, "分類", mamori_level_get_id (level), NULL, NULL));
            }

        for (guint k = 0; k < G_N_ELEMENTS (papers); k++)
          {
            g_autoptr (MamoriHandbook) handbook
                = make (source, MAMORI_HANDBOOK_KIND_HANDBOOK, papers[k]);

            what = (g_free (what), g_strdup_printf ("%s, %s%s", presets[p], k == 0 ? "B5" : "A4",
                                                    with_register ? ", register" : ""));
            assert_inside_margins (handbook, what);
          }
        leaflet = make (source, MAMORI_HANDBOOK_KIND_LEAFLET, MAMORI_HANDBOOK_PAPER_A4);
        what = (g_free (what), g_strdup_printf ("%s, leaflet", presets[p]));
        assert_inside_margins (leaflet, what);
      }
}

static void
test_leaflet (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autoptr (MamoriHandbookSource) source = mamori_handbook_source_new (policy, "壁の小学校");
  g_autoptr (MamoriHandbook) leaflet = NULL;
  g_autoptr (GObject) document_object = NULL;
  PopplerDocument *document;
  g_autofree char *text = NULL;
  static const char *const scenes[] = { "出勤時",     "離席時",     "退校時",   "USBメモリ",
                                        "パスワード", "電子メール", "持ち出し", "事故のとき" };

  leaflet = make (source, MAMORI_HANDBOOK_KIND_LEAFLET, MAMORI_HANDBOOK_PAPER_B5);
  document = open_pdf (leaflet, FALSE);
  document_object = G_OBJECT (document);
  text = document_text (document);

  /* One A4 sheet, both sides. */
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 2);
  assert_page_size (document, 210, 297);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    g_assert_nonnull (strstr (text, scenes[i]));
  g_assert_nonnull (strstr (text, "壁の小学校"));
  /* Not the other scenes: the leaflet is the everyday ones. */
  g_assert_null (strstr (text, "リモートアクセス"));
}

static void
test_save_bytes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-handbook-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "handbook.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "handbook.pdf", NULL);
  g_autofree char *subdir = g_build_filename (dir, "a-directory", NULL);
  g_autoptr (GBytes) bytes = g_bytes_new_static ("%PDF-1.5 test", 13);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GDir) listing = NULL;
  guint n_files = 0;

  g_assert_true (mamori_handbook_save_bytes (bytes, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "%PDF-1.5 test");

  g_assert_false (mamori_handbook_save_bytes (bytes, missing, &error));
  g_assert_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE);
  g_clear_error (&error);

  /* The rename fails onto a directory: the temporary file goes too. */
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
  g_assert_false (mamori_handbook_save_bytes (bytes, subdir, &error));
  g_assert_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE);

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2); /* handbook.pdf and a-directory */

  g_rmdir (subdir);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/handbook/booklet-order", test_booklet_order);
  g_test_add_func ("/handbook/booklet-every-page-once", test_booklet_every_page_once);
  g_test_add_func ("/handbook/page-sizes-and-fonts", test_page_sizes_and_fonts);
  g_test_add_func ("/handbook/sections", test_sections);
  g_test_add_func ("/handbook/register-entries", test_register_entries);
  g_test_add_func ("/handbook/check-sheet", test_check_sheet);
  g_test_add_func ("/handbook/margins", test_margins);
  g_test_add_func ("/handbook/basis-marks", test_basis_marks);
  g_test_add_func ("/handbook/basis-none", test_basis_none);
  g_test_add_func ("/handbook/basis-leaflet", test_basis_leaflet);
  g_test_add_func ("/handbook/basis-preset", test_basis_preset);
  g_test_add_func ("/handbook/leaflet", test_leaflet);
  g_test_add_func ("/handbook/save-bytes", test_save_bytes);

  status = g_test_run ();

  mamori_handbook_release_font_caches ();
  return status;
}
