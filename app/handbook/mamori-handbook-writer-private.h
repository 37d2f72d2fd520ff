/* mamori-handbook-writer-private.h — the writer's insides, shared by the layout engine's
 * two files (mamori-handbook-writer.c: pages, text; mamori-handbook-table.c: tables)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-handbook-private.h"

G_BEGIN_DECLS

/* Rounding slack when comparing positions, in points. */
#define EPSILON 0.01

#define CELL_PAD_X 3.5
#define CELL_PAD_Y 3.5
#define CHECKBOX_SIZE 9.0

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

/* Draws the lines of @layout from @first_line whose bottom stays above @max_bottom, the
 * first of them with its top at @y.  At least one line is drawn when @force.  Returns the
 * first line not drawn (the line count when all were); @out_bottom gets the bottom of
 * the last line drawn (@y when none). */
guint
_mamori_handbook_writer_show_lines (MamoriHandbookWriter *w,
                                    PangoLayout *layout,
                                    double x,
                                    double y,
                                    guint first_line,
                                    double max_bottom,
                                    gboolean force,
                                    guint32 color,
                                    double *out_bottom);
/* The bottom of the text block. */
double
_mamori_handbook_writer_block_bottom (MamoriHandbookWriter *w);

/* The header row of the table being laid out, at the current position. */
void
_mamori_handbook_table_draw_header (MamoriHandbookWriter *w);
void
_mamori_handbook_table_free (Table *table);

G_END_DECLS
