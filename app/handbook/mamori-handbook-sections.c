/* mamori-handbook-sections.c — the handbook: cover, contents and its seven sections
 *
 * The order and the content follow Oita's 学校情報セキュリティハンドブック (the 実施手順's
 * 情報区分 and 日常の留意事項, with a check sheet) as the MEXT guidance describes it:
 * levels, assets by level, take-out, where information may be kept, daily scenes,
 * incidents and their contact chain, and the check sheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-sections-private.h"

#define HANDBOOK_TITLE "学校情報セキュリティハンドブック"

/* On the contents page when anything is marked (mamori-handbook-notes.c). */
static const char marks_explained[]
    = "<b>本文の印について</b>　本文のうち〔解釈〕を付けた箇所は、出典の記述をポリシーの作成者が"
      "解釈して示したもので、何をどう読んだかを「※」の注に記しています。〔学校の定め〕"
      "〔教育委員会の定め〕は、出典にない学校または教育委員会の定めです。印のない箇所は出典の"
      "記述のとおりです。";

static guint32
level_fill (MamoriHandbookSections *b, MamoriLevel *level)
{
  return mamori_handbook_level_fill (mamori_level_get_rank (level), b->n_levels);
}

void
mamori_handbook_section (MamoriHandbookSections *b, guint number, const char *title)
{
  g_autofree char *heading = g_strdup_printf ("%u　%s", number, title);

  mamori_handbook_notes_restart (b->notes);

  /* A section starts on a new page unless most of this one is still free. */
  if (mamori_handbook_writer_get_remaining (b->w)
      < mamori_handbook_writer_get_block (b->w)->height * 0.3)
    mamori_handbook_writer_new_page (b->w);
  else if (mamori_handbook_writer_get_y (b->w) > mamori_handbook_writer_get_block (b->w)->y)
    mamori_handbook_writer_skip (b->w, 8);

  /* The band and the first lines of the section together. */
  mamori_handbook_writer_ensure (b->w, 100);
  b->section_titles[number - 1] = title;
  b->section_pages[number - 1] = mamori_handbook_writer_get_page (b->w);
  mamori_handbook_writer_mark (b->w, heading);
  mamori_handbook_writer_heading (b->w, MAMORI_STYLE_H1, heading);
}

void
mamori_handbook_intro (MamoriHandbookSections *b, const char *markup)
{
  mamori_handbook_writer_paragraph (b->w, MAMORI_STYLE_BODY, markup, 0, MAMORI_INK);
  mamori_handbook_writer_skip (b->w, 8);
}

typedef const MamoriBasis *(*LevelBasisAt) (MamoriLevel *level, guint index);

/* "・a\n・b" for a table cell, each item marked by its basis, or a dash for none. */
static char *
cell_list (MamoriHandbookSections *b,
           MamoriLevel *level,
           const char *const *items,
           LevelBasisAt basis_at)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item
          = mamori_handbook_notes_mark_text (b->notes, items[i], basis_at (level, i));

      g_string_append_printf (text, "%s・%s", i > 0 ? "\n" : "", item);
    }
  if (text->len == 0)
    g_string_append (text, "—");
  return g_string_free (text, FALSE);
}

/* --- cover and contents ------------------------------------------------------------ */

static void
cover (MamoriHandbookSections *b)
{
  MamoriHandbookWriter *w = b->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  const char *school = mamori_handbook_source_get_school (b->source);
  g_autofree char *date = mamori_handbook_format_date (mamori_handbook_source_get_date (b->source));
  g_autofree char *policy = g_markup_escape_text (mamori_policy_get_title (b->policy), -1);
  g_autoptr (PangoLayout) title = NULL, subtitle = NULL, about = NULL, school_layout = NULL,
                          date_layout = NULL, alert = NULL;
  g_autofree char *school_markup = NULL;
  g_autofree char *date_markup = NULL;
  MamoriHandbookRect rule, emblem, frame, icon;
  double y = block->y + 18;
  double alert_height;

  mamori_handbook_writer_new_page (w);

  subtitle = mamori_handbook_writer_layout (w, MAMORI_STYLE_SUBTITLE, policy, block->width);
  y += mamori_handbook_writer_show (w, subtitle, block->x, y, MAMORI_INK_SOFT) + 10;
  title = mamori_handbook_writer_layout (w, MAMORI_STYLE_TITLE,
                                         "学校情報セキュリティ\nハンドブック", block->width);
  y += mamori_handbook_writer_show (w, title, block->x, y, MAMORI_ACCENT) + 12;
  rule = (MamoriHandbookRect){ block->x, y, block->width, 2.5 };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &rule, MAMORI_ACCENT, 0, 0, 0);
  y += 20;

  about = mamori_handbook_writer_layout (
      w, MAMORI_STYLE_BODY,
      "このハンドブックは、情報セキュリティ実施手順のうち、毎日の校務でよく確かめる項目を"
      "まとめたものです。いつも手元に置き、迷ったときに開いてください。巻末のチェックシートで、"
      "定期的に自分の取扱いを点検しましょう。",
      block->width);
  y += mamori_handbook_writer_show (w, about, block->x, y, MAMORI_INK);

  /* The emblem, in the middle of what is left above the school's name. */
  emblem = (MamoriHandbookRect){ block->x + (block->width - 110) / 2,
                                 y + (block->y + block->height * 0.70 - y - 110) / 2, 110, 110 };
  mamori_handbook_draw_icon (w, "security-high-symbolic", &emblem, 0xc8d6e5);

  y = block->y + block->height * 0.70;
  school_markup = *school != '\0' ? g_markup_escape_text (school, -1)
                                  : g_strdup ("学校名　＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿");
  school_layout = mamori_handbook_writer_layout (w, MAMORI_STYLE_H1, school_markup, block->width);
  y += mamori_handbook_writer_show (w, school_layout, block->x, y, MAMORI_INK) + 6;
  date_markup = g_strdup_printf ("%s　発行", date);
  date_layout = mamori_handbook_writer_layout (w, MAMORI_STYLE_SUBTITLE, date_markup, block->width);
  mamori_handbook_writer_show (w, date_layout, block->x, y, MAMORI_INK_SOFT);

  /* What to remember if nothing else: report at once. */
  alert = mamori_handbook_writer_layout (w, MAMORI_STYLE_H3,
                                         "情報の紛失・盗難・漏えいに気付いたら、自分で判断せず、"
                                         "すぐに校長（情報セキュリティ管理者）へ報告してください。",
                                         block->width - 44);
  alert_height = mamori_handbook_layout_height (alert) + 16;
  frame = (MamoriHandbookRect){ block->x, block->y + block->height - alert_height, block->width,
                                alert_height };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &frame, 0xfdf1ef, MAMORI_WARN, 1, 4);
  icon = (MamoriHandbookRect){ block->x + 10, frame.y + (alert_height - 18) / 2, 18, 18 };
  mamori_handbook_draw_icon (w, "dialog-warning-symbolic", &icon, MAMORI_WARN);
  mamori_handbook_writer_show (w, alert, block->x + 36, frame.y + 8, MAMORI_WARN);
}

static void
contents (MamoriHandbookSections *b, guint page)
{
  MamoriHandbookWriter *w = b->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  g_autofree char *note = NULL;
  cairo_t *cr;

  mamori_handbook_writer_switch_to_page (w, page);
  cr = mamori_handbook_writer_get_cairo (w);
  mamori_handbook_writer_heading (w, MAMORI_STYLE_H1, "目次");
  mamori_handbook_writer_skip (w, 6);

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      g_autofree char *title = g_markup_printf_escaped ("%u　%s", i + 1, b->section_titles[i]);
      g_autofree char *number = g_strdup_printf ("%u", b->section_pages[i] + 1);
      g_autoptr (PangoLayout) left
          = mamori_handbook_writer_layout (w, MAMORI_STYLE_H3, title, block->width - 40);
      g_autoptr (PangoLayout) right
          = mamori_handbook_writer_layout (w, MAMORI_STYLE_H3, number, 40);
      PangoRectangle extents;
      double y = mamori_handbook_writer_get_y (w);
      double height;

      pango_layout_set_alignment (right, PANGO_ALIGN_RIGHT);
      height = mamori_handbook_writer_show (w, left, block->x, y, MAMORI_INK);
      mamori_handbook_writer_show (w, right, block->x + block->width - 40, y, MAMORI_INK);

      /* Dot leaders from the title to the page number. */
      pango_layout_get_extents (left, NULL, &extents);
      mamori_handbook_set_color (cr, MAMORI_RULE);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]){ 1, 3 }, 2, 0);
      cairo_move_to (cr, block->x + (double)extents.width / PANGO_SCALE + 6, y + height * 0.7);
      cairo_line_to (cr, block->x + block->width - 18, y + height * 0.7);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      mamori_handbook_writer_set_y (w, y + height + 10);
    }

  mamori_handbook_writer_skip (w, 16);
  note = g_markup_printf_escaped (
      "このハンドブックは、教育委員会の情報セキュリティポリシー「%s」と学校の情報資産台帳から、"
      "Mamori が作成しました。ポリシーや台帳が改められたときは、新しいハンドブックを作成して"
      "差し替えてください。",
      mamori_policy_get_title (b->policy));
  mamori_handbook_writer_paragraph (w, MAMORI_STYLE_BODY, note, 0, MAMORI_INK);
  mamori_handbook_writer_skip (w, 6);
  note
      = (g_free (note), g_markup_printf_escaped ("出典：%s", mamori_policy_get_source (b->policy)));
  mamori_handbook_writer_paragraph (w, MAMORI_STYLE_SMALL, note, 0, MAMORI_INK_SOFT);
  if (mamori_handbook_notes_any_mark (b->notes))
    {
      mamori_handbook_writer_skip (w, 10);
      mamori_handbook_writer_paragraph (w, MAMORI_STYLE_SMALL, marks_explained, 0, MAMORI_INK_SOFT);
    }
}

/* --- 1 levels ------------------------------------------------------------------------ */

static void
levels_section (MamoriHandbookSections *b)
{
  GListModel *levels = mamori_policy_get_levels (b->policy);
  static const MamoriTableColumn columns[] = {
    { "重要度", 0.16, TRUE, FALSE },
    { "定義", 0.68, FALSE, FALSE },
    { "個人情報", 0.16, TRUE, FALSE },
  };
  g_autofree char *text = g_strdup_printf (
      "学校が持つ情報資産は、漏えいしたときの影響の大きさに応じて、次の%u段階の重要度に"
      "分けて取り扱います。重要度の異なる情報が一つのUSBメモリやフォルダ、一回の持ち出しに"
      "混在するときは、その中で<b>最も高い重要度</b>として取り扱います。",
      b->n_levels);

  mamori_handbook_section (b, 1, "情報の重要度");
  mamori_handbook_intro (b, text);
  mamori_handbook_writer_table_begin (b->w, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < b->n_levels; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autofree char *label
          = g_markup_printf_escaped ("<b>%s</b>", mamori_level_get_label (level));
      g_autofree char *definition = mamori_handbook_notes_mark_text (
          b->notes, mamori_level_get_definition (level), mamori_level_get_basis (level));
      const char *cells[]
          = { label, definition, mamori_level_get_personal_info (level) ? "含む" : "含まない" };
      guint32 fills[] = { level_fill (b, level), MAMORI_NO_FILL, MAMORI_NO_FILL };

      mamori_handbook_writer_table_row (b->w, cells, fills);
    }
  mamori_handbook_writer_table_end (b->w);
  mamori_handbook_notes_flush (b->notes, b->w, 0);
}

/* --- 2 assets ------------------------------------------------------------------------ */

typedef struct
{
  const char *category;
  const char *name; /* with its qualifier */
  const char *note;
  const MamoriBasis *basis; /* of the policy's asset; the register's entries are the school's */
  MamoriLevel *level;
  guint order;
} AssetRow;

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const AssetRow *ra = a, *rb = b;
  guint rank_a = mamori_level_get_rank (ra->level), rank_b = mamori_level_get_rank (rb->level);

  if (rank_a != rank_b)
    return rank_a < rank_b ? -1 : 1;
  return ra->order < rb->order ? -1 : ra->order > rb->order;
}

/* The categories in the policy's order, then those only the register names. */
static GPtrArray *
ordered_categories (MamoriHandbookSections *b, GArray *rows)
{
  const char *const *ids = mamori_policy_get_category_ids (b->policy);
  GPtrArray *categories = g_ptr_array_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (categories, (gpointer)mamori_policy_get_category_label (b->policy, ids[i]));
  for (guint i = 0; i < rows->len; i++)
    {
      const char *category = g_array_index (rows, AssetRow, i).category;

      if (!g_ptr_array_find_with_equal_func (categories, category, g_str_equal, NULL))
        g_ptr_array_add (categories, (gpointer)category);
    }
  return categories;
}

static void
assets_section (MamoriHandbookSections *b)
{
  static const MamoriTableColumn columns[] = {
    { "情報資産", 0.80, FALSE, FALSE },
    { "重要度", 0.20, TRUE, FALSE },
  };
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (AssetRow));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) categories = NULL;
  g_autofree char *text = NULL;
  guint n_entries;
  const MamoriHandbookEntry *entries = mamori_handbook_source_get_entries (b->source, &n_entries);

  if (n_entries > 0)
    for (guint i = 0; i < n_entries; i++)
      {
        char *name = entries[i].qualifier != NULL
                         ? g_strdup_printf ("%s（%s）", entries[i].name, entries[i].qualifier)
                         : g_strdup (entries[i].name);
        AssetRow row = { entries[i].category,
                         name,
                         NULL,
                         NULL,
                         mamori_policy_lookup_level (b->policy, entries[i].level_id),
                         i };

        g_ptr_array_add (names, name);
        g_array_append_val (rows, row);
      }
  else
    {
      GListModel *assets = mamori_policy_get_assets (b->policy);

      for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
        {
          g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);
          AssetRow row
              = { mamori_asset_get_category_label (asset), mamori_asset_get_display_name (asset),
                  mamori_asset_get_note (asset),           mamori_asset_get_basis (asset),
                  mamori_asset_get_level (asset),          i };

          g_array_append_val (rows, row);
        }
    }
  g_array_sort (rows, compare_rows);
  categories = ordered_categories (b, rows);

  mamori_handbook_section (b, 2, "情報資産と重要度");
  if (n_entries > 0)
    text = g_strdup_printf (
        "本校の情報資産台帳に登録されている%u件の情報資産と、その重要度を分類ごとに示します"
        "（重要度の高い順）。台帳にない情報資産を扱うときは、管理職に重要度を確認してください。",
        n_entries);
  else if (rows->len > 0)
    text = g_strdup_printf (
        "教育委員会のポリシーが例示する%u件の情報資産と、その重要度を分類ごとに示します"
        "（重要度の高い順）。学校の情報資産台帳に登録されたものは、台帳の重要度に従います。",
        rows->len);
  else
    text = g_strdup ("このポリシーは情報資産の例を示していません。個々の情報資産の重要度は、"
                     "学校の情報資産台帳で確認してください。");
  mamori_handbook_intro (b, text);
  if (rows->len == 0)
    return;

  mamori_handbook_writer_table_begin (b->w, columns, G_N_ELEMENTS (columns));
  for (guint c = 0; c < categories->len; c++)
    {
      const char *category = g_ptr_array_index (categories, c);
      gboolean grouped = FALSE;

      for (guint i = 0; i < rows->len; i++)
        {
          AssetRow *row = &g_array_index (rows, AssetRow, i);
          g_autoptr (GString) name = g_string_new (NULL);
          g_autofree char *escaped = NULL;
          g_autofree char *level = NULL;
          guint32 fills[2] = { MAMORI_NO_FILL, level_fill (b, row->level) };
          const char *cells[2];

          if (!g_str_equal (row->category, category))
            continue;
          if (!grouped)
            {
              g_autofree char *group = g_markup_escape_text (category, -1);

              mamori_handbook_writer_table_group (b->w, group);
              grouped = TRUE;
            }
          escaped = g_markup_escape_text (row->name, -1);
          g_string_append (name, escaped);
          mamori_handbook_notes_mark (b->notes, name, row->basis);
          if (row->note != NULL)
            {
              g_autofree char *note
                  = g_markup_printf_escaped ("\n<span size=\"small\">※%s</span>", row->note);

              g_string_append (name, note);
            }
          level = g_markup_escape_text (mamori_level_get_label (row->level), -1);
          cells[0] = name->str;
          cells[1] = level;
          mamori_handbook_writer_table_row (b->w, cells, fills);
        }
    }
  mamori_handbook_writer_table_end (b->w);
  mamori_handbook_notes_flush (b->notes, b->w, 0);
}

/* --- 3 take-out ---------------------------------------------------------------------- */

static char *
takeout_cell (MamoriHandbookSections *b, MamoriLevel *level)
{
  MamoriTakeoutRule rule = mamori_level_get_takeout_rule (level);
  const char *text = mamori_level_get_takeout_text (level);
  guint n_approvers;
  const MamoriRole *approvers = mamori_level_get_approvers (level, &n_approvers);
  GString *cell = g_string_new (NULL);
  g_autofree char *label
      = g_markup_printf_escaped ("<b>%s</b>", mamori_handbook_takeout_label (rule));

  g_string_append (cell, label);
  if (text != NULL && !g_str_equal (text, mamori_handbook_takeout_label (rule)))
    {
      g_autofree char *words = g_markup_escape_text (text, -1);
      g_string_append_printf (cell, "\n%s", words);
    }
  mamori_handbook_notes_mark (b->notes, cell, mamori_level_get_takeout_basis (level));
  if (n_approvers > 0 && rule != MAMORI_TAKEOUT_FORBIDDEN && rule != MAMORI_TAKEOUT_FREE)
    {
      g_string_append (cell, "\n許可する人：");
      for (guint i = 0; i < n_approvers; i++)
        g_string_append_printf (cell, "%s%s", i > 0 ? "・" : "",
                                mamori_handbook_role_label (approvers[i]));
    }
  return g_string_free (cell, FALSE);
}

static void
takeout_section (MamoriHandbookSections *b)
{
  GListModel *levels = mamori_policy_get_levels (b->policy);
  static const MamoriTableColumn takeout_columns[] = {
    { "重要度", 0.14, TRUE, FALSE },
    { "持ち出し", 0.32, FALSE, FALSE },
    { "持ち出すときの措置", 0.54, FALSE, FALSE },
  };
  static const MamoriTableColumn keeping_columns[] = {
    { "重要度", 0.14, TRUE, FALSE },
    { "保管", 0.46, FALSE, FALSE },
    { "廃棄", 0.40, FALSE, FALSE },
  };

  mamori_handbook_section (b, 3, "持ち出しと保管のルール");
  mamori_handbook_intro (
      b, "情報資産（電子データ・紙文書）を校外へ持ち出すときは、重要度ごとに次の許可と措置が"
         "必要です。持ち出した情報資産は、用務が済んだら速やかに学校に戻してください。");
  mamori_handbook_writer_table_begin (b->w, takeout_columns, G_N_ELEMENTS (takeout_columns));
  for (guint i = 0; i < b->n_levels; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autofree char *label
          = g_markup_printf_escaped ("<b>%s</b>", mamori_level_get_label (level));
      g_autofree char *rule = takeout_cell (b, level);
      g_autofree char *measures
          = cell_list (b, level, mamori_level_get_measures (level), mamori_level_get_measure_basis);
      const char *cells[] = { label, rule, measures };
      guint32 fills[] = { level_fill (b, level), MAMORI_NO_FILL, MAMORI_NO_FILL };

      mamori_handbook_writer_table_row (b->w, cells, fills);
    }
  mamori_handbook_writer_table_end (b->w);
  mamori_handbook_notes_flush (b->notes, b->w, 0);

  mamori_handbook_writer_heading (b->w, MAMORI_STYLE_H2, "保管と廃棄");
  mamori_handbook_writer_table_begin (b->w, keeping_columns, G_N_ELEMENTS (keeping_columns));
  for (guint i = 0; i < b->n_levels; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autofree char *label
          = g_markup_printf_escaped ("<b>%s</b>", mamori_level_get_label (level));
      g_autofree char *storage
          = cell_list (b, level, mamori_level_get_storage (level), mamori_level_get_storage_basis);
      g_autofree char *disposal = cell_list (b, level, mamori_level_get_disposal (level),
                                             mamori_level_get_disposal_basis);
      const char *cells[] = { label, storage, disposal };
      guint32 fills[] = { level_fill (b, level), MAMORI_NO_FILL, MAMORI_NO_FILL };

      mamori_handbook_writer_table_row (b->w, cells, fills);
    }
  mamori_handbook_writer_table_end (b->w);
  mamori_handbook_notes_flush (b->notes, b->w, 0);
}

/* --- 4 environments ------------------------------------------------------------------ */

static void
environments_section (MamoriHandbookSections *b)
{
  GListModel *levels = mamori_policy_get_levels (b->policy);
  MamoriTableColumn columns[1 + MAMORI_N_ENVIRONMENTS];

  columns[0] = (MamoriTableColumn){ "重要度", 0.12, TRUE, FALSE };
  for (guint e = 0; e < MAMORI_N_ENVIRONMENTS; e++)
    columns[1 + e] = (MamoriTableColumn){ mamori_handbook_environment_label (e),
                                          0.88 / MAMORI_N_ENVIRONMENTS, TRUE, FALSE };

  mamori_handbook_section (b, 4, "情報を扱ってよい場所");
  mamori_handbook_intro (
      b, "重要度ごとに、情報を保存したり扱ったりしてよい場所を示します。"
         "「ポリシーに記載なし」の場所で扱う必要があるときは、事前に管理職に確認してください。");
  mamori_handbook_writer_table_begin (b->w, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < b->n_levels; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autofree char *label
          = g_markup_printf_escaped ("<b>%s</b>", mamori_level_get_label (level));
      g_autoptr (GPtrArray) marked = g_ptr_array_new_with_free_func (g_free);
      const char *cells[1 + MAMORI_N_ENVIRONMENTS] = { label };
      guint32 fills[1 + MAMORI_N_ENVIRONMENTS] = { level_fill (b, level) };

      for (guint e = 0; e < MAMORI_N_ENVIRONMENTS; e++)
        {
          const MamoriBasis *basis = mamori_level_get_environment_basis (level, e);
          GString *cell;

          switch (mamori_level_get_environment (level, e))
            {
            case MAMORI_PERMISSION_ALLOWED:
              cell = g_string_new ("<span size=\"large\" weight=\"bold\">○</span>\n可");
              fills[1 + e] = MAMORI_NO_FILL;
              break;
            case MAMORI_PERMISSION_DENIED:
              cell = g_string_new (
                  "<span size=\"large\" weight=\"bold\" foreground=\"#b3261e\">×</span>"
                  "\n<span foreground=\"#b3261e\">不可</span>");
              fills[1 + e] = 0xfbeeec;
              break;
            case MAMORI_PERMISSION_UNSTATED:
            default:
              cell = g_string_new (
                  "<span foreground=\"#5a6570\" size=\"small\">ポリシーに\n記載なし</span>");
              fills[1 + e] = 0xf3f5f7;
              break;
            }
          /* The mark under the cell's word: a cell is too narrow to keep them on a line. */
          if (basis != NULL)
            g_string_append_c (cell, '\n');
          mamori_handbook_notes_mark (b->notes, cell, basis);
          cells[1 + e] = cell->str;
          g_ptr_array_add (marked, g_string_free (cell, FALSE));
        }
      mamori_handbook_writer_table_row (b->w, cells, fills);
    }
  mamori_handbook_writer_table_end (b->w);
  mamori_handbook_writer_paragraph (b->w, MAMORI_STYLE_SMALL,
                                    "○ 可：扱ってよい　　× 不可：扱ってはならない　　"
                                    "ポリシーに記載なし：定めがない（管理職に確認する）",
                                    0, MAMORI_INK_SOFT);
  mamori_handbook_notes_flush (b->notes, b->w, 0);
}

/* --- 5 scenes ------------------------------------------------------------------------ */

static void
scene_heading (MamoriHandbookSections *b, MamoriScenario *scenario)
{
  MamoriHandbookWriter *w = b->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  g_autofree char *title = mamori_handbook_notes_mark_text (
      b->notes, mamori_scenario_get_title (scenario), mamori_scenario_get_basis (scenario));
  g_autoptr (PangoLayout) layout
      = mamori_handbook_writer_layout (w, MAMORI_STYLE_H2, title, block->width - 30);
  double height = mamori_handbook_layout_height (layout) + 8;
  MamoriHandbookRect band, icon;
  double y;

  mamori_handbook_writer_ensure (w, height + 50);
  y = mamori_handbook_writer_get_y (w);
  band = (MamoriHandbookRect){ block->x, y, block->width, height };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &band, MAMORI_ACCENT_LIGHT, 0, 0, 2);
  icon = (MamoriHandbookRect){ block->x + 6, y + (height - 14) / 2, 14, 14 };
  mamori_handbook_draw_icon (w, mamori_scenario_get_icon_name (scenario), &icon, MAMORI_ACCENT);
  mamori_handbook_writer_show (w, layout, block->x + 26, y + 4, MAMORI_ACCENT);
  mamori_handbook_writer_set_y (w, y + height + 5);
}

typedef const MamoriBasis *(*ScenarioBasisAt) (MamoriScenario *scenario, guint index);

static void
scene_list (MamoriHandbookSections *b,
            const char *label,
            const char *marker,
            guint32 color,
            MamoriScenario *scenario,
            const char *const *items,
            ScenarioBasisAt basis_at)
{
  g_autofree char *heading = NULL;

  if (items[0] == NULL)
    return;
  heading = g_markup_printf_escaped ("<span foreground=\"#%06x\"><b>%s</b></span>", color, label);
  mamori_handbook_writer_ensure (b->w, 34);
  mamori_handbook_writer_paragraph (b->w, MAMORI_STYLE_H3, heading, 4, color);
  mamori_handbook_writer_skip (b->w, 1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item
          = mamori_handbook_notes_mark_text (b->notes, items[i], basis_at (scenario, i));

      mamori_handbook_writer_item (b->w, MAMORI_STYLE_BODY, marker, color, item, 10);
    }
  mamori_handbook_writer_skip (b->w, 4);
}

static void
scenes_section (MamoriHandbookSections *b)
{
  GListModel *scenarios = mamori_policy_get_scenarios (b->policy);

  mamori_handbook_section (b, 5, "日常の留意事項");
  mamori_handbook_intro (
      b, "毎日の校務の場面ごとに、気を付けること（<b>留意事項</b>）と、してはならないこと"
         "（<b>禁止事項</b>）を示します。");
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      g_autofree char *source = NULL;

      scene_heading (b, scenario);
      if (mamori_scenario_get_summary (scenario) != NULL)
        {
          g_autofree char *summary
              = g_markup_escape_text (mamori_scenario_get_summary (scenario), -1);

          mamori_handbook_writer_paragraph (b->w, MAMORI_STYLE_BODY, summary, 4, MAMORI_INK_SOFT);
          mamori_handbook_writer_skip (b->w, 3);
        }
      scene_list (b, "留意事項", "○", MAMORI_ACCENT, scenario,
                  mamori_scenario_get_cautions (scenario), mamori_scenario_get_caution_basis);
      scene_list (b, "禁止事項", "×", MAMORI_WARN, scenario,
                  mamori_scenario_get_prohibitions (scenario),
                  mamori_scenario_get_prohibition_basis);
      source = g_markup_printf_escaped ("根拠：%s", mamori_scenario_get_source (scenario));
      mamori_handbook_writer_paragraph (b->w, MAMORI_STYLE_SMALL, source, 4, MAMORI_INK_SOFT);
      /* A scene's notes under it: the section runs over many pages. */
      mamori_handbook_notes_flush (b->notes, b->w, 4);
      mamori_handbook_writer_skip (b->w, 12);
    }
}

/* --- 7 check sheet ------------------------------------------------------------------- */

static void
check_sheet (MamoriHandbookSections *b)
{
  GListModel *scenarios = mamori_policy_get_scenarios (b->policy);
  static const MamoriTableColumn columns[] = {
    { "No.", 0.08, TRUE, FALSE },
    { "確認すること", 0.80, FALSE, FALSE },
    { "確認", 0.12, TRUE, TRUE },
  };
  guint number = 0;

  /* The check sheet is torn out or copied: it starts on a page of its own. */
  if (mamori_handbook_writer_get_y (b->w) > mamori_handbook_writer_get_block (b->w)->y)
    mamori_handbook_writer_new_page (b->w);
  mamori_handbook_section (b, 7, "情報セキュリティチェックシート");
  mamori_handbook_intro (b,
                         "日常の留意事項を守れているか、定期的に点検しましょう。守れている項目の□に"
                         "✓を付けてください。守れていない項目は、第5章を読み直して改めましょう。");
  mamori_handbook_writer_paragraph (
      b->w, MAMORI_STYLE_H3,
      "点検日　　　　年　　　月　　　日　　　　氏名　＿＿＿＿＿＿＿＿＿＿＿＿＿＿", 0, MAMORI_INK);
  mamori_handbook_writer_skip (b->w, 10);

  mamori_handbook_writer_table_begin (b->w, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      const char *const *cautions = mamori_scenario_get_cautions (scenario);
      g_autofree char *group = NULL;

      if (cautions[0] == NULL)
        continue;
      group = g_markup_escape_text (mamori_scenario_get_title (scenario), -1);
      mamori_handbook_writer_table_group (b->w, group);
      for (guint j = 0; cautions[j] != NULL; j++)
        {
          g_autofree char *no = g_strdup_printf ("%u", ++number);
          g_autofree char *item = mamori_handbook_notes_mark_text (
              b->notes, cautions[j], mamori_scenario_get_caution_basis (scenario, j));
          const char *cells[] = { no, item, NULL };

          mamori_handbook_writer_table_row (b->w, cells, NULL);
        }
    }
  mamori_handbook_writer_table_end (b->w);
  /* The sheet is torn out or copied: its notes go with it. */
  mamori_handbook_notes_flush (b->notes, b->w, 0);
  b->n_check_items = number;
}

guint
mamori_handbook_lay_out_booklet (MamoriHandbookWriter *w, MamoriHandbookSource *source)
{
  const char *school = mamori_handbook_source_get_school (source);
  MamoriHandbookSections b = {
    .w = w, .source = source, .policy = mamori_handbook_source_get_policy (source), .n_levels = 0
  };
  g_autoptr (MamoriHandbookNotes) notes = mamori_handbook_notes_new ();
  guint contents_page;

  b.notes = notes;
  b.n_levels = g_list_model_get_n_items (mamori_policy_get_levels (b.policy));

  cover (&b);
  mamori_handbook_writer_set_running (
      w, HANDBOOK_TITLE, *school != '\0' ? school : mamori_policy_get_title (b.policy));
  mamori_handbook_writer_new_page (w);
  contents_page = mamori_handbook_writer_get_page (w);
  mamori_handbook_writer_new_page (w);

  levels_section (&b);
  assets_section (&b);
  takeout_section (&b);
  environments_section (&b);
  scenes_section (&b);
  mamori_handbook_incident_section (&b);
  check_sheet (&b);

  contents (&b, contents_page);
  return b.n_check_items;
}
