/* mamori-handbook-table.c — tables: a header row repeated on every page, rows that break
 * between lines only when a row is taller than a page, group rows kept with the next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-writer-private.h"

static void
start_table (MamoriHandbookWriter *w, double height);

void
_mamori_handbook_table_free (Table *table)
{
  g_free (table->columns);
  g_free (table->x);
  g_free (table->width);
  g_free (table);
}

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
  double max_bottom = _mamori_handbook_writer_block_bottom (w) - CELL_PAD_Y;
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
  row_bottom = MIN (row_bottom, _mamori_handbook_writer_block_bottom (w));

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
      cursors[c]
          = _mamori_handbook_writer_show_lines (w, layouts[c], x, y, cursors[c], max_bottom, at_top,
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
  if (w->y + height > _mamori_handbook_writer_block_bottom (w) + EPSILON
      && height <= _mamori_handbook_writer_block_bottom (w) - w->block.y - 40)
    mamori_handbook_writer_new_page (w);

  while (!draw_row_part (w, layouts, cursors, fills, style, FALSE))
    mamori_handbook_writer_new_page (w);
}

void
_mamori_handbook_table_draw_header (MamoriHandbookWriter *w)
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
  _mamori_handbook_table_draw_header (w);
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
  if (w->y + height + 28 > _mamori_handbook_writer_block_bottom (w) + EPSILON)
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
  g_clear_pointer (&w->table, _mamori_handbook_table_free);
  mamori_handbook_writer_skip (w, 10);
}
