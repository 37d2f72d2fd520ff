/* mamori-handbook-leaflet.c — one A4 sheet, both sides, of the everyday scenes
 *
 * Sendai hands its staff a leaflet of its 50-page guideline; this is Mamori's, for the
 * staff-room wall: a card per everyday scene (出勤時, 離席時, 退校時, USBメモリ, …) with
 * its icon, its cautions and its prohibitions, in two columns over the two sides.  The
 * type is set as large as lets every card fit on the two sides: a policy with more to
 * say gets smaller type, never a clipped card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-private.h"

#define GAP 10.0
#define CARD_PAD 7.0
#define LARGEST_SCALE 1.25
#define SMALLEST_SCALE 0.75
#define SCALE_STEP 0.05

typedef struct
{
  MamoriHandbookWriter *w;
  MamoriHandbookSource *source;
  GPtrArray *scenarios;
  double column_width;
  gboolean marked; /* some card marks what is not the source's words */
} Leaflet;

typedef const MamoriBasis *(*ScenarioBasisAt) (MamoriScenario *scenario, guint index);

/* One list of a card: a label, then its items with a marker hanging in front. */
static double
card_list (Leaflet *l,
           const char *label,
           const char *marker,
           guint32 color,
           MamoriScenario *scenario,
           const char *const *items,
           ScenarioBasisAt basis_at,
           double x,
           double y,
           gboolean draw)
{
  double width = l->column_width - 2 * CARD_PAD;
  g_autofree char *heading = g_markup_printf_escaped ("<b>%s</b>", label);
  g_autoptr (PangoLayout) label_layout = NULL;
  double top = y;
  double marker_width;

  if (items[0] == NULL)
    return 0;

  label_layout = mamori_handbook_writer_layout (l->w, MAMORI_STYLE_H3, heading, width);
  if (draw)
    mamori_handbook_writer_show (l->w, label_layout, x, y, color);
  y += mamori_handbook_layout_height (label_layout) + 2;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (items[i], -1);
      g_autoptr (GString) text = g_string_new (escaped);
      g_autoptr (PangoLayout) mark
          = mamori_handbook_writer_layout (l->w, MAMORI_STYLE_TABLE, marker, width);
      g_autoptr (PangoLayout) item = NULL;
      PangoRectangle extents;

      pango_layout_get_extents (mark, NULL, &extents);
      marker_width = (double)extents.width / PANGO_SCALE + 3;
      mamori_handbook_basis_mark (text, basis_at (scenario, i), MAMORI_INK_SOFT);
      item = mamori_handbook_writer_layout (l->w, MAMORI_STYLE_TABLE, text->str,
                                            width - marker_width);
      if (draw)
        {
          mamori_handbook_writer_show (l->w, mark, x, y, color);
          mamori_handbook_writer_show (l->w, item, x + marker_width, y, MAMORI_INK);
        }
      y += mamori_handbook_layout_height (item) + 1.5;
    }
  return y - top + 4;
}

/* A scene's card at (@x, @y); returns its height.  Drawn only when @draw. */
static double
card (Leaflet *l, MamoriScenario *scenario, double x, double y, gboolean draw)
{
  g_autofree char *escaped = g_markup_escape_text (mamori_scenario_get_title (scenario), -1);
  g_autoptr (GString) title = g_string_new (escaped);
  const char *const *cautions = mamori_scenario_get_cautions (scenario);
  const char *const *prohibitions = mamori_scenario_get_prohibitions (scenario);
  g_autoptr (PangoLayout) title_layout = NULL;
  double title_height, icon_size, cautions_height, prohibitions_height, height;
  double body_y;

  /* On the band: light ink, not the soft grey that would not show on it. */
  mamori_handbook_basis_mark (title, mamori_scenario_get_basis (scenario), MAMORI_ACCENT_LIGHT);
  title_layout = mamori_handbook_writer_layout (l->w, MAMORI_STYLE_H2, title->str,
                                                l->column_width - 2 * CARD_PAD - 24);
  title_height = mamori_handbook_layout_height (title_layout) + 8;
  icon_size = title_height - 8;
  body_y = y + title_height + CARD_PAD;
  cautions_height = card_list (l, "留意事項", "○", MAMORI_ACCENT, scenario, cautions,
                               mamori_scenario_get_caution_basis, 0, 0, FALSE);
  prohibitions_height = card_list (l, "禁止事項", "×", MAMORI_WARN, scenario, prohibitions,
                                   mamori_scenario_get_prohibition_basis, 0, 0, FALSE);
  height = title_height + CARD_PAD + cautions_height + prohibitions_height + CARD_PAD - 4;

  if (draw)
    {
      MamoriHandbookRect frame = { x, y, l->column_width, height };
      MamoriHandbookRect band = { x, y, l->column_width, title_height };
      /* Square off the band's lower corners where it meets the card's body. */
      MamoriHandbookRect band_foot = { x, y + title_height / 2, l->column_width, title_height / 2 };
      MamoriHandbookRect icon = { x + CARD_PAD, y + 4, icon_size, icon_size };

      mamori_handbook_writer_rect (l->w, MAMORI_HANDBOOK_BOX_SHAPE, &frame, MAMORI_WHITE,
                                   MAMORI_ACCENT, 1, 5);
      mamori_handbook_writer_rect (l->w, MAMORI_HANDBOOK_BOX_SHAPE, &band, MAMORI_ACCENT, 0, 0, 5);
      mamori_handbook_writer_rect (l->w, MAMORI_HANDBOOK_BOX_SHAPE, &band_foot, MAMORI_ACCENT, 0, 0,
                                   0);
      mamori_handbook_draw_icon (l->w, mamori_scenario_get_icon_name (scenario), &icon,
                                 MAMORI_WHITE);
      mamori_handbook_writer_show (l->w, title_layout, x + CARD_PAD + icon_size + 6, y + 4,
                                   MAMORI_WHITE);
      card_list (l, "留意事項", "○", MAMORI_ACCENT, scenario, cautions,
                 mamori_scenario_get_caution_basis, x + CARD_PAD, body_y, TRUE);
      card_list (l, "禁止事項", "×", MAMORI_WARN, scenario, prohibitions,
                 mamori_scenario_get_prohibition_basis, x + CARD_PAD, body_y + cautions_height,
                 TRUE);
    }
  return height;
}

static double
title_band (Leaflet *l, gboolean front, gboolean draw)
{
  MamoriHandbookWriter *w = l->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  const char *school = mamori_handbook_source_get_school (l->source);
  g_autofree char *date = mamori_handbook_format_date (mamori_handbook_source_get_date (l->source));
  g_autofree char *byline = g_markup_printf_escaped (
      "%s%s%s発行%s", school, *school != '\0' ? "　" : "", date,
      /* The notes are in the handbook: the leaflet has no room. */
      !front && l->marked ? "\n〔解釈〕出典の記述の解釈（注はハンドブックに記載）" : "");
  g_autoptr (PangoLayout) title = mamori_handbook_writer_layout (
      w, front ? MAMORI_STYLE_TITLE : MAMORI_STYLE_H1,
      front ? "毎日の情報セキュリティ" : "毎日の情報セキュリティ（裏面）", block->width * 0.62);
  g_autoptr (PangoLayout) by
      = mamori_handbook_writer_layout (w, MAMORI_STYLE_TABLE, byline, block->width * 0.36 - 12);
  double height
      = MAX (mamori_handbook_layout_height (title), mamori_handbook_layout_height (by)) + 16;

  pango_layout_set_alignment (by, PANGO_ALIGN_RIGHT);
  if (draw)
    {
      MamoriHandbookRect band = { block->x, block->y, block->width, height };

      mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &band, MAMORI_ACCENT, 0, 0, 6);
      mamori_handbook_writer_show (w, title, block->x + 12, block->y + 8, MAMORI_WHITE);
      mamori_handbook_writer_show (w, by, block->x + block->width * 0.64,
                                   block->y + height - 8 - mamori_handbook_layout_height (by),
                                   MAMORI_WHITE);
    }
  return height + GAP;
}

/* The reminder at the foot of the back: whom to tell, at once. */
static double
footer (Leaflet *l, gboolean draw)
{
  MamoriHandbookWriter *w = l->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  guint n_contacts;
  const MamoriHandbookContact *contacts
      = mamori_handbook_source_get_contacts (l->source, &n_contacts);
  GString *text = g_string_new ("<b>事故のときは、自分で判断せず、すぐに報告</b>　"
                                "報告先：校長（情報セキュリティ管理者）");
  g_autoptr (PangoLayout) layout = NULL;
  double height;

  for (guint i = 0; i < n_contacts; i++)
    if (contacts[i].role == MAMORI_ROLE_PRINCIPAL || contacts[i].role == MAMORI_ROLE_VICE_PRINCIPAL)
      {
        g_autofree char *name = g_markup_escape_text (contacts[i].name, -1);

        g_string_append_printf (text, "　%s（%s）", name,
                                mamori_handbook_role_label (contacts[i].role));
      }
  layout = mamori_handbook_writer_layout (w, MAMORI_STYLE_H3, text->str, block->width - 44);
  g_string_free (text, TRUE);
  height = mamori_handbook_layout_height (layout) + 14;

  if (draw)
    {
      MamoriHandbookRect frame
          = { block->x, block->y + block->height - height, block->width, height };
      MamoriHandbookRect icon = { block->x + 10, frame.y + (height - 18) / 2, 18, 18 };

      mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &frame, 0xfdf1ef, MAMORI_WARN, 1,
                                   5);
      mamori_handbook_draw_icon (w, "dialog-warning-symbolic", &icon, MAMORI_WARN);
      mamori_handbook_writer_show (w, layout, block->x + 36, frame.y + 7, MAMORI_WARN);
    }
  return height + GAP;
}

/* Places the cards in order, each in the shorter of the two columns where it fits, on
 * as many pages as that takes (cards never split).  Returns the number of pages; with
 * @draw, draws them. */
static guint
place_cards (Leaflet *l, gboolean draw)
{
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (l->w);
  guint page = 0;
  double top = block->y + title_band (l, TRUE, draw);
  double bottom = block->y + block->height;
  double column_y[2] = { top, top };

  for (guint i = 0; i < l->scenarios->len; i++)
    {
      MamoriScenario *scenario = g_ptr_array_index (l->scenarios, i);
      double height = card (l, scenario, 0, 0, FALSE);
      guint column = column_y[1] < column_y[0] ? 1 : 0;

      if (column_y[column] + height > bottom && column_y[1 - column] + height <= bottom)
        column = 1 - column;
      if (column_y[column] + height > bottom && column_y[column] > top)
        {
          page++;
          if (draw)
            mamori_handbook_writer_new_page (l->w);
          top = block->y + title_band (l, FALSE, draw);
          /* The back ends with the reminder of whom to tell. */
          bottom = block->y + block->height - (page == 1 ? footer (l, draw) : 0);
          column_y[0] = column_y[1] = top;
          column = 0;
        }
      if (draw)
        card (l, scenario, block->x + column * (l->column_width + GAP), column_y[column], TRUE);
      column_y[column] += height + GAP;
    }
  if (page == 0 && draw)
    {
      mamori_handbook_writer_new_page (l->w);
      title_band (l, FALSE, TRUE);
      footer (l, TRUE);
    }
  return page + 1;
}

void
mamori_handbook_lay_out_leaflet (MamoriHandbookSource *source,
                                 double page_width,
                                 double page_height,
                                 const MamoriHandbookRect *block,
                                 MamoriHandbookWriter **out_writer,
                                 GError **error)
{
  g_autoptr (GPtrArray) scenarios
      = mamori_handbook_everyday_scenarios (mamori_handbook_source_get_policy (source));
  Leaflet l
      = { .source = source, .scenarios = scenarios, .column_width = (block->width - GAP) / 2 };
  double scale;

  for (guint i = 0; i < scenarios->len; i++)
    l.marked |= mamori_handbook_scenario_has_basis (g_ptr_array_index (scenarios, i));

  /* The largest type with which the cards fit on the two sides. */
  for (scale = LARGEST_SCALE; scale > SMALLEST_SCALE + 1e-6; scale -= SCALE_STEP)
    {
      g_autoptr (MamoriHandbookWriter) w
          = mamori_handbook_writer_new (page_width, page_height, block, scale, error);

      if (w == NULL)
        return;
      l.w = w;
      if (place_cards (&l, FALSE) <= 2)
        break;
    }

  l.w = mamori_handbook_writer_new (page_width, page_height, block, MAX (scale, SMALLEST_SCALE),
                                    error);
  if (l.w == NULL)
    return;
  mamori_handbook_writer_new_page (l.w);
  place_cards (&l, TRUE);
  *out_writer = l.w;
}
