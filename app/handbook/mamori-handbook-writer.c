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

#include "mamori-handbook-private.h"

/* Rounding slack when comparing positions, in points. */
#define EPSILON 0.01

#define SANS "Noto Sans CJK JP"
#define SERIF "Noto Serif CJK JP"

#define CELL_PAD_X 3.5
#define CELL_PAD_Y 3.5
#define CHECKBOX_SIZE 9.0

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

typedef struct
{
  MamoriTableColumn *columns;
  gboolean header_drawn; /* not before the first row: the two go together */
  guint n_columns;
  double *x;     /* left edge of each column */
  double *width; /* of each column */
} Table;

struct _MamoriHandbookWriter
{
  double page_width, page_height;
  MamoriHandbookRect block;
  double font_scale;

  GPtrArray *pages; /* cairo_surface_t, recordings */
  guint page;       /* the page being drawn */
  cairo_t *cr;
  double y;

  GArray *boxes;   /* MamoriHandbookBox */
  GArray *outline; /* MamoriOutlineEntry */
  PangoContext *context;
  PangoFontDescription *fonts[MAMORI_N_STYLES];

  char *running_left, *running_right;
  Table *table; /* the table being laid out, or NULL */

  /* A heading waits for what follows it, so that the two start on the same page. */
  PangoLayout *heading;
  MamoriTextStyle heading_style;
};

static void
table_free (Table *table)
{
  g_free (table->columns);
  g_free (table->x);
  g_free (table->width);
  g_free (table);
}

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
  g_clear_pointer (&w->table, table_free);
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

/* Draws the lines of @layout from @first_line whose bottom stays above @max_bottom, the
 * first of them with its top at @y.  At least one line is drawn when @force.  Returns the
 * first line not drawn (the line count when all were); @out_bottom gets the bottom of
 * the last line drawn (@y when none). */
static guint
show_lines (MamoriHandbookWriter *w,
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

  show_lines (w, layout, x, y, 0, G_MAXDOUBLE, TRUE, color, &bottom);
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

  show_lines (w, left, w->block.x, rule_y - 3 - height, 0, G_MAXDOUBLE, TRUE, MAMORI_INK_SOFT,
              &(double){ 0 });
  show_lines (w, right, w->block.x + w->block.width / 2, rule_y - 3 - height, 0, G_MAXDOUBLE, TRUE,
              MAMORI_INK_SOFT, &(double){ 0 });
  rule = (MamoriHandbookRect){ w->block.x, rule_y, w->block.width, 0.5 };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_HEADER, &rule, MAMORI_RULE, 0, 0, 0);

  number = mamori_handbook_writer_layout (w, MAMORI_STYLE_RUNNING, page_number, w->block.width);
  pango_layout_set_alignment (number, PANGO_ALIGN_CENTER);
  show_lines (w, number, w->block.x, footer_y, 0, G_MAXDOUBLE, TRUE, MAMORI_INK_SOFT,
              &(double){ 0 });

  /* The running lines are text boxes like any other; mark them as the margins' own. */
  for (guint i = first_box; i < w->boxes->len; i++)
    {
      MamoriHandbookBox *box = &g_array_index (w->boxes, MamoriHandbookBox, i);

      if (box->kind == MAMORI_HANDBOOK_BOX_TEXT)
        box->kind
            = box->rect.y > w->block.y ? MAMORI_HANDBOOK_BOX_FOOTER : MAMORI_HANDBOOK_BOX_HEADER;
    }
}

static void
draw_table_header (MamoriHandbookWriter *w);
static void
start_table (MamoriHandbookWriter *w, double height);

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
    draw_table_header (w);
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

static double
block_bottom (MamoriHandbookWriter *w)
{
  return w->block.y + w->block.height;
}

double
mamori_handbook_writer_get_remaining (MamoriHandbookWriter *w)
{
  return block_bottom (w) - w->y;
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
  if (w->y + heading_height (w) + height > block_bottom (w) + EPSILON
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
  w->y = MIN (w->y + height, block_bottom (w));
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

      line = show_lines (w, layout, x, w->y, line, block_bottom (w), w->y <= w->block.y + EPSILON,
                         color, &bottom);
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

/* --- tables -------------------------------------------------------------------------- */

static void
hline (MamoriHandbookWriter *w, double y, double line_width, guint32 color)
{
  MamoriHandbookRect rule = { w->block.x, y, w->block.width, line_width };

  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &rule, color, 0, 0, 0);
}

/* One row (or the part of it that fits on this page), cells from their line cursors.
 * Returns whether every cell is done. */
static gboolean
draw_row_part (MamoriHandbookWriter *w,
               PangoLayout **layouts,
               guint *cursors,
               const guint32 *fills,
               MamoriTextStyle style,
               gboolean header)
{
  Table *table = w->table;
  double top = w->y;
  double max_bottom = block_bottom (w) - CELL_PAD_Y;
  double row_bottom = top;
  gboolean done = TRUE;
  gboolean at_top = w->y <= w->block.y + EPSILON || header;
  double *heights = g_newa (double, table->n_columns);

  /* Measure first: backgrounds go under the text. */
  for (guint c = 0; c < table->n_columns; c++)
    {
      double cell_height = CHECKBOX_SIZE;

      if (layouts[c] != NULL)
        {
          /* The lines left: the whole layout less the lines already drawn. */
          PangoLayoutIter *iter = pango_layout_get_iter (layouts[c]);
          guint index = 0;
          double start = 0;

          do
            {
              PangoRectangle logical;

              pango_layout_iter_get_line_extents (iter, NULL, &logical);
              if (index == cursors[c])
                start = (double)logical.y / PANGO_SCALE;
              index++;
            }
          while (pango_layout_iter_next_line (iter));
          pango_layout_iter_free (iter);
          cell_height = cursors[c] >= (guint)pango_layout_get_line_count (layouts[c])
                            ? 0
                            : mamori_handbook_layout_height (layouts[c]) - start;
        }
      heights[c] = cell_height;
      row_bottom = MAX (row_bottom, top + cell_height + 2 * CELL_PAD_Y);
    }
  row_bottom = MIN (row_bottom, block_bottom (w));

  for (guint c = 0; c < table->n_columns; c++)
    {
      MamoriHandbookRect cell = { table->x[c], top, table->width[c], row_bottom - top };
      guint32 fill = fills != NULL ? fills[c] : MAMORI_NO_FILL;

      mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_CELL, &cell, fill, 0, 0, 0);
    }

  for (guint c = 0; c < table->n_columns; c++)
    {
      double x = table->x[c] + CELL_PAD_X;
      double y = top + CELL_PAD_Y;
      double bottom;

      if (table->columns[c].checkbox && !header)
        {
          MamoriHandbookRect box
              = { table->x[c] + (table->width[c] - CHECKBOX_SIZE) / 2,
                  top + (row_bottom - top - CHECKBOX_SIZE) / 2, CHECKBOX_SIZE, CHECKBOX_SIZE };

          if (cursors[c] == 0)
            mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_CHECKBOX, &box, MAMORI_WHITE,
                                         MAMORI_INK, 0.8, 1);
          cursors[c] = 1;
          continue;
        }
      if (layouts[c] == NULL)
        continue;
      if (table->columns[c].centered && heights[c] <= row_bottom - top - 2 * CELL_PAD_Y + EPSILON)
        y = top + (row_bottom - top - heights[c]) / 2;
      cursors[c] = show_lines (w, layouts[c], x, y, cursors[c], max_bottom, at_top,
                               header ? MAMORI_ACCENT : MAMORI_INK, &bottom);
      if (cursors[c] < (guint)pango_layout_get_line_count (layouts[c]))
        done = FALSE;
    }

  /* Rules: between columns, and under the row. */
  mamori_handbook_set_color (w->cr, MAMORI_RULE);
  cairo_set_line_width (w->cr, 0.4);
  for (guint c = 1; c < table->n_columns; c++)
    {
      cairo_move_to (w->cr, table->x[c], top);
      cairo_line_to (w->cr, table->x[c], row_bottom);
    }
  cairo_stroke (w->cr);
  hline (w, row_bottom - (header ? 0.8 : 0.4), header ? 0.8 : 0.4,
         header ? MAMORI_ACCENT : MAMORI_RULE);

  w->y = row_bottom;
  return done;
}

static void
draw_row (MamoriHandbookWriter *w,
          PangoLayout **layouts,
          const guint32 *fills,
          MamoriTextStyle style)
{
  Table *table = w->table;
  guint *cursors = g_newa (guint, table->n_columns);
  double height = 0;

  memset (cursors, 0, sizeof (guint) * table->n_columns);
  for (guint c = 0; c < table->n_columns; c++)
    if (layouts[c] != NULL)
      height = MAX (height, mamori_handbook_layout_height (layouts[c]));
  height = MAX (height, CHECKBOX_SIZE) + 2 * CELL_PAD_Y;
  start_table (w, height);

  /* A row that fits on a page is never split; a taller one breaks between lines. */
  if (w->y + height > block_bottom (w) + EPSILON && height <= block_bottom (w) - w->block.y - 40)
    mamori_handbook_writer_new_page (w);

  while (!draw_row_part (w, layouts, cursors, fills, style, FALSE))
    mamori_handbook_writer_new_page (w);
}

static void
draw_table_header (MamoriHandbookWriter *w)
{
  Table *table = w->table;
  PangoLayout **layouts = g_newa (PangoLayout *, table->n_columns);
  guint *cursors = g_newa (guint, table->n_columns);
  guint32 *fills = g_newa (guint32, table->n_columns);

  hline (w, w->y, 0.8, MAMORI_ACCENT);
  for (guint c = 0; c < table->n_columns; c++)
    {
      layouts[c] = mamori_handbook_writer_layout (
          w, MAMORI_STYLE_TABLE_HEADER, table->columns[c].title, table->width[c] - 2 * CELL_PAD_X);
      pango_layout_set_alignment (
          layouts[c], table->columns[c].centered || table->columns[c].checkbox ? PANGO_ALIGN_CENTER
                                                                               : PANGO_ALIGN_LEFT);
      cursors[c] = 0;
      fills[c] = MAMORI_ACCENT_LIGHT;
    }
  draw_row_part (w, layouts, cursors, fills, MAMORI_STYLE_TABLE_HEADER, TRUE);
  for (guint c = 0; c < table->n_columns; c++)
    g_object_unref (layouts[c]);
}

void
mamori_handbook_writer_table_begin (MamoriHandbookWriter *w,
                                    const MamoriTableColumn *columns,
                                    guint n_columns)
{
  Table *table = g_new0 (Table, 1);
  double x = w->block.x;

  g_return_if_fail (w->table == NULL);

  table->columns = g_memdup2 (columns, sizeof (MamoriTableColumn) * n_columns);
  table->n_columns = n_columns;
  table->x = g_new (double, n_columns);
  table->width = g_new (double, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      table->x[c] = x;
      table->width[c] = c + 1 == n_columns ? w->block.x + w->block.width - x
                                           : w->block.width * columns[c].fraction;
      x += table->width[c];
    }
  w->table = table;
}

/* The header row goes with the first row (or its first lines): @height of it. */
static void
start_table (MamoriHandbookWriter *w, double height)
{
  Table *table = w->table;
  double header = 0;

  if (table->header_drawn)
    return;
  for (guint c = 0; c < table->n_columns; c++)
    {
      g_autoptr (PangoLayout) layout = mamori_handbook_writer_layout (
          w, MAMORI_STYLE_TABLE_HEADER, table->columns[c].title, table->width[c] - 2 * CELL_PAD_X);

      header = MAX (header, mamori_handbook_layout_height (layout) + 2 * CELL_PAD_Y);
    }
  /* A row taller than a page is split anyway: then its first lines are enough. */
  mamori_handbook_writer_ensure (w,
                                 header + (height <= w->block.height - header - 40 ? height : 80));
  table->header_drawn = TRUE;
  draw_table_header (w);
}

void
mamori_handbook_writer_table_row (MamoriHandbookWriter *w,
                                  const char *const *cells,
                                  const guint32 *fills)
{
  Table *table = w->table;
  PangoLayout **layouts = g_newa (PangoLayout *, table->n_columns);

  g_return_if_fail (table != NULL);

  for (guint c = 0; c < table->n_columns; c++)
    {
      layouts[c] = NULL;
      if (table->columns[c].checkbox)
        continue;
      layouts[c] = mamori_handbook_writer_layout (w, MAMORI_STYLE_TABLE, cells[c],
                                                  table->width[c] - 2 * CELL_PAD_X);
      if (table->columns[c].centered)
        pango_layout_set_alignment (layouts[c], PANGO_ALIGN_CENTER);
    }
  draw_row (w, layouts, fills, MAMORI_STYLE_TABLE);
  for (guint c = 0; c < table->n_columns; c++)
    g_clear_object (&layouts[c]);
}

void
mamori_handbook_writer_table_group (MamoriHandbookWriter *w, const char *markup)
{
  Table *table = w->table;
  g_autoptr (PangoLayout) layout = NULL;
  MamoriHandbookRect band;
  double height;

  g_return_if_fail (table != NULL);

  layout = mamori_handbook_writer_layout (w, MAMORI_STYLE_TABLE_HEADER, markup,
                                          w->block.width - 2 * CELL_PAD_X);
  height = mamori_handbook_layout_height (layout) + 2 * CELL_PAD_Y;
  start_table (w, height + 28);
  /* With the first row of the group: about two lines of table text. */
  if (w->y + height + 28 > block_bottom (w) + EPSILON)
    mamori_handbook_writer_new_page (w);

  band = (MamoriHandbookRect){ w->block.x, w->y, w->block.width, height };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_CELL, &band, 0xf3f5f7, 0, 0, 0);
  mamori_handbook_writer_show (w, layout, w->block.x + CELL_PAD_X, w->y + CELL_PAD_Y, MAMORI_INK);
  hline (w, w->y + height - 0.4, 0.4, MAMORI_RULE);
  w->y += height;
}

void
mamori_handbook_writer_table_end (MamoriHandbookWriter *w)
{
  g_return_if_fail (w->table != NULL);

  if (w->table->header_drawn)
    hline (w, w->y - 0.8, 0.8, MAMORI_ACCENT);
  g_clear_pointer (&w->table, table_free);
  mamori_handbook_writer_skip (w, 10);
}
