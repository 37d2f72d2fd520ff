/* mamori-handbook-writer.c — the layout engine: pages, paragraphs, tables, boxes
 *
 * Type is set by Pango at 72 units per inch, so that font sizes and coordinates are all
 * points; hinting is off because the output is PDF.  Lines are drawn one at a time with
 * pango_cairo_show_layout_line () so that a paragraph or a table row can stop at the
 * bottom of a page and go on at the top of the next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-handbook-writer-private.h"

#define SANS "Noto Sans CJK JP"
#define SERIF "Noto Serif CJK JP"

typedef struct
{
  const char *family;
  double size;
  PangoWeight weight;
  double line_spacing; /* factor; 0 for the font's own */
} StyleSpec;

static const StyleSpec style_specs[MAMORI_N_STYLES] = {
  [MAMORI_STYLE_BODY] = { SERIF, 9.5, PANGO_WEIGHT_NORMAL, 1.55 },
  [MAMORI_STYLE_SMALL] = { SANS, 7.5, PANGO_WEIGHT_NORMAL, 1.35 },
  [MAMORI_STYLE_TABLE] = { SANS, 8.5, PANGO_WEIGHT_NORMAL, 1.35 },
  [MAMORI_STYLE_TABLE_HEADER] = { SANS, 8.5, PANGO_WEIGHT_BOLD, 1.2 },
  [MAMORI_STYLE_H1] = { SANS, 14.0, PANGO_WEIGHT_BOLD, 0 },
  [MAMORI_STYLE_H2] = { SANS, 11.0, PANGO_WEIGHT_BOLD, 0 },
  [MAMORI_STYLE_H3] = { SANS, 9.5, PANGO_WEIGHT_BOLD, 0 },
  [MAMORI_STYLE_RUNNING] = { SANS, 7.0, PANGO_WEIGHT_NORMAL, 0 },
  [MAMORI_STYLE_TITLE] = { SANS, 24.0, PANGO_WEIGHT_BOLD, 1.3 },
  [MAMORI_STYLE_SUBTITLE] = { SANS, 12.0, PANGO_WEIGHT_NORMAL, 1.4 },
};

static void
outline_entry_clear (gpointer data)
{
  MamoriOutlineEntry *entry = data;

  g_free (entry->title);
}

void
mamori_handbook_set_color (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

guint32
mamori_handbook_level_fill (guint rank, guint n_levels)
{
  /* The most sensitive level is the warmest; a scheme of two levels uses the two ends. */
  static const guint32 fills[] = { 0xf8d7d3, 0xfbe6c8, 0xdbe8f6, 0xdff0da };

  if (n_levels <= 1)
    return fills[0];
  if (n_levels <= G_N_ELEMENTS (fills))
    {
      guint step = (G_N_ELEMENTS (fills) - 1) / (n_levels - 1);
      return fills[MIN (rank * step, G_N_ELEMENTS (fills) - 1)];
    }
  return rank < G_N_ELEMENTS (fills) ? fills[rank] : 0xeeeeee;
}

/* Whether Pango finds a font with Japanese glyphs. */
static gboolean
has_japanese_font (PangoContext *context, const PangoFontDescription *description)
{
  g_autoptr (PangoFont) font = pango_context_load_font (context, description);
  g_autoptr (PangoCoverage) coverage = NULL;

  if (font == NULL)
    return FALSE;
  coverage = pango_font_get_coverage (font, pango_language_from_string ("ja"));
  return pango_coverage_get (coverage, 0x3042 /* あ */) == PANGO_COVERAGE_EXACT
         && pango_coverage_get (coverage, 0x6F22 /* 漢 */) == PANGO_COVERAGE_EXACT;
}

MamoriHandbookWriter *
mamori_handbook_writer_new (double page_width,
                            double page_height,
                            const MamoriHandbookRect *block,
                            double font_scale,
                            GError **error)
{
  g_autoptr (MamoriHandbookWriter) w = g_new0 (MamoriHandbookWriter, 1);
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  cairo_font_options_t *options = cairo_font_options_create ();

  w->page_width = page_width;
  w->page_height = page_height;
  w->block = *block;
  w->font_scale = font_scale;
  w->pages = g_ptr_array_new_with_free_func ((GDestroyNotify)cairo_surface_destroy);
  w->boxes = g_array_new (FALSE, FALSE, sizeof (MamoriHandbookBox));
  w->outline = g_array_new (FALSE, FALSE, sizeof (MamoriOutlineEntry));
  g_array_set_clear_func (w->outline, outline_entry_clear);

  w->context = pango_font_map_create_context (font_map);
  pango_cairo_context_set_resolution (w->context, 72);
  pango_context_set_language (w->context, pango_language_from_string ("ja"));
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (w->context, options);
  cairo_font_options_destroy (options);

  for (guint i = 0; i < MAMORI_N_STYLES; i++)
    {
      w->fonts[i] = pango_font_description_new ();
      pango_font_description_set_family (w->fonts[i], style_specs[i].family);
      pango_font_description_set_weight (w->fonts[i], style_specs[i].weight);
      pango_font_description_set_size (w->fonts[i],
                                       (int)(style_specs[i].size * font_scale * PANGO_SCALE + 0.5));
    }

  if (!has_japanese_font (w->context, w->fonts[MAMORI_STYLE_BODY])
      || !has_japanese_font (w->context, w->fonts[MAMORI_STYLE_TABLE]))
    {
      g_set_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_FONT,
                   _ ("No Japanese font is installed: install Noto Sans CJK JP and Noto Serif "
                      "CJK JP (the Debian package fonts-noto-cjk)"));
      return NULL;
    }

  return g_steal_pointer (&w);
}

void
mamori_handbook_writer_free (MamoriHandbookWriter *w)
{
  g_clear_pointer (&w->cr, cairo_destroy);
  g_clear_pointer (&w->pages, g_ptr_array_unref);
  g_clear_pointer (&w->boxes, g_array_unref);
  g_clear_pointer (&w->outline, g_array_unref);
  g_clear_object (&w->context);
  for (guint i = 0; i < MAMORI_N_STYLES; i++)
    g_clear_pointer (&w->fonts[i], pango_font_description_free);
  g_free (w->running_left);
  g_free (w->running_right);
  g_clear_pointer (&w->table, _mamori_handbook_table_free);
  g_clear_object (&w->heading);
  g_free (w);
}

GPtrArray *
mamori_handbook_writer_steal_pages (MamoriHandbookWriter *w)
{
  if (w->heading != NULL)
    mamori_handbook_writer_ensure (w, 0);
  g_clear_pointer (&w->cr, cairo_destroy);
  return g_steal_pointer (&w->pages);
}

GArray *
mamori_handbook_writer_steal_boxes (MamoriHandbookWriter *w)
{
  return g_steal_pointer (&w->boxes);
}

GArray *
mamori_handbook_writer_steal_outline (MamoriHandbookWriter *w)
{
  return g_steal_pointer (&w->outline);
}

void
mamori_handbook_writer_mark (MamoriHandbookWriter *w, const char *title)
{
  MamoriOutlineEntry entry = { g_strdup (title), w->page, w->y };

  g_array_append_val (w->outline, entry);
}

void
mamori_handbook_writer_set_running (MamoriHandbookWriter *w, const char *left, const char *right)
{
  g_free (w->running_left);
  g_free (w->running_right);
  w->running_left = left != NULL ? g_markup_escape_text (left, -1) : NULL;
  w->running_right = right != NULL ? g_markup_escape_text (right, -1) : NULL;
}

void
mamori_handbook_writer_record (MamoriHandbookWriter *w,
                               MamoriHandbookBoxKind kind,
                               const MamoriHandbookRect *rect)
{
  MamoriHandbookBox box = { .page = w->page, .kind = kind, .rect = *rect };

  g_array_append_val (w->boxes, box);
}

PangoLayout *
mamori_handbook_writer_layout (MamoriHandbookWriter *w,
                               MamoriTextStyle style,
                               const char *markup,
                               double width)
{
  PangoLayout *layout = pango_layout_new (w->context);

  pango_layout_set_font_description (layout, w->fonts[style]);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  /* Pango breaks Japanese text between characters under the line-breaking rules
   * (no 。 or 」 at the start of a line); WORD_CHAR also breaks a long Latin word
   * (a URL) rather than let it run past the margin. */
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (style_specs[style].line_spacing > 0)
    pango_layout_set_line_spacing (layout, (float)style_specs[style].line_spacing);
  pango_layout_set_markup (layout, markup, -1);

  return layout;
}

double
mamori_handbook_layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double)logical.height / PANGO_SCALE;
}

guint
_mamori_handbook_writer_show_lines (MamoriHandbookWriter *w,
                                    PangoLayout *layout,
                                    double x,
                                    double y,
                                    guint first_line,
                                    double max_bottom,
                                    gboolean force,
                                    guint32 color,
                                    double *out_bottom)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  guint index = 0;
  guint next = first_line;
  double origin = 0;

  *out_bottom = y;
  mamori_handbook_set_color (w->cr, color);
  do
    {
      PangoRectangle logical;
      double top, bottom, baseline;
      MamoriHandbookRect rect;

      if (index < first_line)
        {
          index++;
          continue;
        }

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double)logical.y / PANGO_SCALE;
      bottom = (double)(logical.y + logical.height) / PANGO_SCALE;
      if (index == first_line)
        origin = y - top;
      if (origin + bottom > max_bottom + EPSILON && !(force && index == first_line))
        break;

      baseline = (double)pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      cairo_move_to (w->cr, x + (double)logical.x / PANGO_SCALE, origin + baseline);
      pango_cairo_show_layout_line (w->cr, pango_layout_iter_get_line_readonly (iter));

      rect = (MamoriHandbookRect){ x + (double)logical.x / PANGO_SCALE, origin + top,
                                   (double)logical.width / PANGO_SCALE, bottom - top };
      mamori_handbook_writer_record (w, MAMORI_HANDBOOK_BOX_TEXT, &rect);
      *out_bottom = origin + bottom;
      next = ++index;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  return next;
}

double
mamori_handbook_writer_show (
    MamoriHandbookWriter *w, PangoLayout *layout, double x, double y, guint32 color)
{
  double bottom;

  _mamori_handbook_writer_show_lines (w, layout, x, y, 0, G_MAXDOUBLE, TRUE, color, &bottom);
  return bottom - y;
}

static void
draw_running (MamoriHandbookWriter *w)
{
  g_autoptr (PangoLayout) left = NULL, right = NULL, number = NULL;
  g_autofree char *page_number = g_strdup_printf ("%u", w->page + 1);
  double rule_y = w->block.y - 8;
  double footer_y
      = w->block.y + w->block.height + (w->page_height - w->block.y - w->block.height) / 2 - 5;
  MamoriHandbookRect rule;
  guint first_box = w->boxes->len;
  double height;

  left = mamori_handbook_writer_layout (w, MAMORI_STYLE_RUNNING, w->running_left,
                                        w->block.width / 2);
  right = mamori_handbook_writer_layout (w, MAMORI_STYLE_RUNNING, w->running_right,
                                         w->block.width / 2);
  pango_layout_set_alignment (right, PANGO_ALIGN_RIGHT);
  height = mamori_handbook_layout_height (left);

  _mamori_handbook_writer_show_lines (w, left, w->block.x, rule_y - 3 - height, 0, G_MAXDOUBLE,
                                      TRUE, MAMORI_INK_SOFT, &(double){ 0 });
  _mamori_handbook_writer_show_lines (w, right, w->block.x + w->block.width / 2,
                                      rule_y - 3 - height, 0, G_MAXDOUBLE, TRUE, MAMORI_INK_SOFT,
                                      &(double){ 0 });
  rule = (MamoriHandbookRect){ w->block.x, rule_y, w->block.width, 0.5 };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_HEADER, &rule, MAMORI_RULE, 0, 0, 0);

  number = mamori_handbook_writer_layout (w, MAMORI_STYLE_RUNNING, page_number, w->block.width);
  pango_layout_set_alignment (number, PANGO_ALIGN_CENTER);
  _mamori_handbook_writer_show_lines (w, number, w->block.x, footer_y, 0, G_MAXDOUBLE, TRUE,
                                      MAMORI_INK_SOFT, &(double){ 0 });

  /* The running lines are text boxes like any other; mark them as the margins' own. */
  for (guint i = first_box; i < w->boxes->len; i++)
    {
      MamoriHandbookBox *box = &g_array_index (w->boxes, MamoriHandbookBox, i);

      if (box->kind == MAMORI_HANDBOOK_BOX_TEXT)
        box->kind
            = box->rect.y > w->block.y ? MAMORI_HANDBOOK_BOX_FOOTER : MAMORI_HANDBOOK_BOX_HEADER;
    }
}

void
mamori_handbook_writer_new_page (MamoriHandbookWriter *w)
{
  cairo_rectangle_t extents = { 0, 0, w->page_width, w->page_height };
  cairo_surface_t *page = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);

  g_ptr_array_add (w->pages, page);
  g_clear_pointer (&w->cr, cairo_destroy);
  w->cr = cairo_create (page);
  w->page = w->pages->len - 1;
  w->y = w->block.y;
  pango_cairo_update_context (w->cr, w->context);

  if (w->running_left != NULL)
    draw_running (w);
  if (w->table != NULL && w->table->header_drawn)
    _mamori_handbook_table_draw_header (w);
}

void
mamori_handbook_writer_switch_to_page (MamoriHandbookWriter *w, guint page)
{
  g_return_if_fail (page < w->pages->len);

  g_clear_pointer (&w->cr, cairo_destroy);
  w->cr = cairo_create (g_ptr_array_index (w->pages, page));
  w->page = page;
  w->y = w->block.y;
}

guint
mamori_handbook_writer_get_page (MamoriHandbookWriter *w)
{
  return w->page;
}

guint
mamori_handbook_writer_get_n_pages (MamoriHandbookWriter *w)
{
  return w->pages->len;
}

cairo_t *
mamori_handbook_writer_get_cairo (MamoriHandbookWriter *w)
{
  return w->cr;
}

const MamoriHandbookRect *
mamori_handbook_writer_get_block (MamoriHandbookWriter *w)
{
  return &w->block;
}

double
mamori_handbook_writer_get_y (MamoriHandbookWriter *w)
{
  return w->y;
}

void
mamori_handbook_writer_set_y (MamoriHandbookWriter *w, double y)
{
  w->y = y;
}

double
_mamori_handbook_writer_block_bottom (MamoriHandbookWriter *w)
{
  return w->block.y + w->block.height;
}

double
mamori_handbook_writer_get_remaining (MamoriHandbookWriter *w)
{
  return _mamori_handbook_writer_block_bottom (w) - w->y;
}

static double
heading_height (MamoriHandbookWriter *w)
{
  if (w->heading == NULL)
    return 0;
  return mamori_handbook_layout_height (w->heading)
         + (w->heading_style == MAMORI_STYLE_H1 ? 20 : 4);
}

static void
draw_heading (MamoriHandbookWriter *w)
{
  g_autoptr (PangoLayout) layout = g_steal_pointer (&w->heading);
  double height = mamori_handbook_layout_height (layout);

  if (w->heading_style == MAMORI_STYLE_H1)
    {
      MamoriHandbookRect band = { w->block.x, w->y, w->block.width, height + 10 };

      mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &band, MAMORI_ACCENT, 0, 0, 2);
      mamori_handbook_writer_show (w, layout, w->block.x + 8, w->y + 5, MAMORI_WHITE);
      w->y += height + 20;
      return;
    }
  if (w->heading_style == MAMORI_STYLE_H2)
    {
      MamoriHandbookRect bar = { w->block.x, w->y + 1, 3, height - 2 };

      mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &bar, MAMORI_ACCENT, 0, 0, 0);
    }
  mamori_handbook_writer_show (w, layout, w->block.x + 8, w->y,
                               w->heading_style == MAMORI_STYLE_H2 ? MAMORI_ACCENT : MAMORI_INK);
  w->y += height + 4;
}

void
mamori_handbook_writer_ensure (MamoriHandbookWriter *w, double height)
{
  if (w->y + heading_height (w) + height > _mamori_handbook_writer_block_bottom (w) + EPSILON
      && w->y > w->block.y + EPSILON)
    mamori_handbook_writer_new_page (w);
  if (w->heading != NULL)
    draw_heading (w);
}

void
mamori_handbook_writer_skip (MamoriHandbookWriter *w, double height)
{
  if (w->heading != NULL)
    mamori_handbook_writer_ensure (w, height);
  w->y = MIN (w->y + height, _mamori_handbook_writer_block_bottom (w));
}

/* Flows @layout at @x over pages, from the current position. */
static void
flow (MamoriHandbookWriter *w, PangoLayout *layout, double x, guint32 color)
{
  guint n_lines = pango_layout_get_line_count (layout);
  guint line = 0;

  while (TRUE)
    {
      double bottom;

      line = _mamori_handbook_writer_show_lines (w, layout, x, w->y, line,
                                                 _mamori_handbook_writer_block_bottom (w),
                                                 w->y <= w->block.y + EPSILON, color, &bottom);
      w->y = bottom;
      if (line >= n_lines)
        break;
      mamori_handbook_writer_new_page (w);
    }
}

void
mamori_handbook_writer_paragraph (MamoriHandbookWriter *w,
                                  MamoriTextStyle style,
                                  const char *markup,
                                  double indent,
                                  guint32 color)
{
  g_autoptr (PangoLayout) layout
      = mamori_handbook_writer_layout (w, style, markup, w->block.width - indent);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  PangoRectangle first;

  pango_layout_iter_get_line_extents (iter, NULL, &first);
  pango_layout_iter_free (iter);
  mamori_handbook_writer_ensure (w, (double)first.height / PANGO_SCALE);
  flow (w, layout, w->block.x + indent, color);
}

void
mamori_handbook_writer_item (MamoriHandbookWriter *w,
                             MamoriTextStyle style,
                             const char *marker,
                             guint32 marker_color,
                             const char *markup,
                             double indent)
{
  double marker_width = style_specs[style].size * w->font_scale * 1.25;
  g_autoptr (PangoLayout) text
      = mamori_handbook_writer_layout (w, style, markup, w->block.width - indent - marker_width);
  g_autoptr (PangoLayout) mark = mamori_handbook_writer_layout (w, style, marker, marker_width);
  PangoLayoutIter *iter = pango_layout_get_iter (text);
  PangoRectangle first;
  double first_height;

  pango_layout_iter_get_line_extents (iter, NULL, &first);
  pango_layout_iter_free (iter);
  first_height = (double)first.height / PANGO_SCALE;

  /* The marker goes with the first line of the item. */
  mamori_handbook_writer_ensure (w, first_height);
  mamori_handbook_writer_show (w, mark, w->block.x + indent, w->y, marker_color);
  flow (w, text, w->block.x + indent + marker_width, MAMORI_INK);
}

void
mamori_handbook_writer_heading (MamoriHandbookWriter *w, MamoriTextStyle style, const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  if (w->heading != NULL)
    mamori_handbook_writer_ensure (w, 0);
  w->heading = mamori_handbook_writer_layout (w, style, markup,
                                              w->block.width - (style == MAMORI_STYLE_H1 ? 16 : 8));
  w->heading_style = style;
}

void
mamori_handbook_writer_rect (MamoriHandbookWriter *w,
                             MamoriHandbookBoxKind kind,
                             const MamoriHandbookRect *rect,
                             guint32 fill,
                             guint32 stroke,
                             double line_width,
                             double radius)
{
  cairo_t *cr = w->cr;
  /* The stroke is drawn inside the box, so that the box is all there is of it. */
  double inset = line_width / 2;
  double x = rect->x + inset, y = rect->y + inset;
  double width = rect->width - line_width, height = rect->height - line_width;

  cairo_new_path (cr);
  if (radius > 0)
    {
      double r = MIN (radius, MIN (width, height) / 2);

      cairo_arc (cr, x + width - r, y + r, r, -G_PI / 2, 0);
      cairo_arc (cr, x + width - r, y + height - r, r, 0, G_PI / 2);
      cairo_arc (cr, x + r, y + height - r, r, G_PI / 2, G_PI);
      cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
    }
  else
    cairo_rectangle (cr, x, y, width, height);

  if (fill != MAMORI_NO_FILL)
    {
      mamori_handbook_set_color (cr, fill);
      cairo_fill_preserve (cr);
    }
  if (line_width > 0)
    {
      mamori_handbook_set_color (cr, stroke);
      cairo_set_line_width (cr, line_width);
      cairo_stroke_preserve (cr);
    }
  cairo_new_path (cr);
  mamori_handbook_writer_record (w, kind, rect);
}
