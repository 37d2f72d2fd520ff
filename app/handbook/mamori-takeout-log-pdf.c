/* mamori-takeout-log-pdf.c — the 持出簿 (take-out log) for a range of dates, on paper
 *
 * A4 landscape, one row per request as in the CSV (mamori_takeout_log_csv()), the header
 * repeated on every page, each page numbered.  The rows are split into pages once, when
 * the log is read, so that a printer knows the number of pages before it draws any.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-level.h"
#include "mamori-takeout-form.h"
#include "mamori-takeout-paper-private.h"

#define PAGE_WIDTH MAMORI_TAKEOUT_LOG_WIDTH
#define PAGE_HEIGHT MAMORI_TAKEOUT_LOG_HEIGHT
#define MARGIN 36.0
#define TABLE_TOP (MARGIN + 16)
#define PAD 3.0
#define CELL_SIZE 10.0
#define N_COLUMNS 10

struct _MamoriTakeoutLogPages
{
  char *title;
  GPtrArray *rows;   /* char *[N_COLUMNS], NULL-terminated */
  GArray *page_rows; /* guint: the first row of each page */
};

/* The share of the table's width each column takes. */
static const double widths[N_COLUMNS]
    = { 0.08, 0.11, 0.16, 0.06, 0.10, 0.09, 0.12, 0.09, 0.08, 0.11 };

static PangoLayout *
cell_layout (PangoContext *context, const char *text, gboolean bold, double width)
{
  return _mamori_takeout_paper_layout (context, text, CELL_SIZE, bold, width - 2 * PAD);
}

/* Draws a row of cells at @y (on @cr; only measures without one); returns its height. */
static double
draw_row (PangoContext *context, cairo_t *cr, const char *const *cells, gboolean header, double y)
{
  double table_width = PAGE_WIDTH - 2 * MARGIN, height = 0, x = MARGIN;
  PangoLayout *layouts[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      layouts[c] = cell_layout (context, cells[c], header, widths[c] * table_width);
      height = MAX (height, _mamori_takeout_paper_height (layouts[c]) + 2 * PAD);
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      double w = widths[c] * table_width;

      if (cr != NULL)
        {
          if (header)
            {
              cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
              cairo_rectangle (cr, x, y, w, height);
              cairo_fill (cr);
              cairo_set_source_rgb (cr, 0, 0, 0);
            }
          cairo_set_line_width (cr, 0.5);
          cairo_rectangle (cr, x, y, w, height);
          cairo_stroke (cr);
          _mamori_takeout_paper_show (cr, layouts[c], x + PAD, y + PAD);
        }
      g_object_unref (layouts[c]);
      x += w;
    }
  return height;
}

static const char *const *
header_cells (void)
{
  static const char *header[N_COLUMNS + 1];

  header[0] = _ ("Filed");
  header[1] = _ ("Requester");
  header[2] = _ ("Information assets");
  header[3] = _ ("Level");
  header[4] = _ ("Medium");
  header[5] = _ ("Destination");
  header[6] = _ ("Purpose");
  header[7] = _ ("Period");
  header[8] = _ ("State");
  header[9] = _ ("Approved by");
  return header;
}

static void
draw_page_top (PangoContext *context, cairo_t *cr, const char *title, guint page)
{
  g_autoptr (PangoLayout) heading
      = _mamori_takeout_paper_layout (context, title, 17, TRUE, PAGE_WIDTH - 2 * MARGIN);
  g_autofree char *number = g_strdup_printf ("%u", page + 1);
  g_autoptr (PangoLayout) footer = cell_layout (context, number, FALSE, PAGE_WIDTH - 2 * MARGIN);

  _mamori_takeout_paper_show (cr, heading, MARGIN, MARGIN - 8);
  pango_layout_set_alignment (footer, PANGO_ALIGN_CENTER);
  _mamori_takeout_paper_show (cr, footer, MARGIN, PAGE_HEIGHT - MARGIN + 8);
}

void
mamori_takeout_log_pages_draw (const MamoriTakeoutLogPages *log, guint page, cairo_t *cr)
{
  PangoContext *context;
  guint first, end;
  double y;

  g_return_if_fail (page < log->page_rows->len);

  context = _mamori_takeout_paper_context_new ();
  first = g_array_index (log->page_rows, guint, page);
  end = page + 1 < log->page_rows->len ? g_array_index (log->page_rows, guint, page + 1)
                                       : log->rows->len;
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_page_top (context, cr, log->title, page);
  y = TABLE_TOP + draw_row (context, cr, header_cells (), TRUE, TABLE_TOP);
  for (guint i = first; i < end; i++)
    y += draw_row (context, cr, log->rows->pdata[i], FALSE, y);
  if (log->rows->len == 0)
    {
      g_autoptr (PangoLayout) none
          = cell_layout (context, _ ("Nothing was taken out in this period."), FALSE, PAGE_WIDTH);

      _mamori_takeout_paper_show (cr, none, MARGIN, y + 8);
    }
  g_object_unref (context);
}

/* Which row starts each page: as many as fit under the header. */
static void
paginate (MamoriTakeoutLogPages *log)
{
  PangoContext *context = _mamori_takeout_paper_context_new ();
  double top = TABLE_TOP + draw_row (context, NULL, header_cells (), TRUE, TABLE_TOP), y = top;
  guint first = 0;

  g_array_append_val (log->page_rows, first);
  for (guint i = 0; i < log->rows->len; i++)
    {
      double height = draw_row (context, NULL, log->rows->pdata[i], FALSE, y);

      if (y + height > PAGE_HEIGHT - MARGIN && y > top)
        {
          g_array_append_val (log->page_rows, i);
          y = top;
        }
      y += height;
    }
  g_object_unref (context);
}

MamoriTakeoutLogPages *
mamori_takeout_log_pages_new (
    MamoriDb *db, MamoriPolicy *policy, const char *from, const char *until, GError **error)
{
  g_autoptr (GPtrArray) requests = mamori_takeout_list_between (db, from, until, error);
  MamoriTakeoutLogPages *log;

  if (requests == NULL)
    return NULL;
  log = g_new0 (MamoriTakeoutLogPages, 1);
  /* Translators: the title of the take-out log, with its range of dates. */
  log->title = g_strdup_printf (_ ("Take-out log, %s to %s"), from, until);
  log->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  log->page_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < requests->len; i++)
    {
      const MamoriTakeoutRequest *r = g_ptr_array_index (requests, i);
      MamoriLevel *level = mamori_policy_lookup_level (policy, r->level);
      char **cells = g_new0 (char *, N_COLUMNS + 1);

      cells[0] = mamori_takeout_filed_on (r);
      cells[1] = g_strdup (r->requester_name);
      cells[2] = mamori_takeout_items_describe (r);
      cells[3] = g_strdup (level != NULL ? mamori_level_get_label (level) : r->level);
      cells[4] = g_strdup (mamori_takeout_medium_get_label (r->medium));
      cells[5] = g_strdup (r->destination);
      cells[6] = g_strdup (r->purpose);
      cells[7] = g_strdup_printf ("%s\n%s", r->date_from, r->date_until);
      cells[8] = g_strdup (mamori_takeout_state_get_label (r->state));
      cells[9] = g_strdup (r->approved_by_name != NULL ? r->approved_by_name : "");
      g_ptr_array_add (log->rows, cells);
    }
  paginate (log);
  return log;
}

void
mamori_takeout_log_pages_free (MamoriTakeoutLogPages *log)
{
  if (log == NULL)
    return;
  g_free (log->title);
  g_ptr_array_unref (log->rows);
  g_array_unref (log->page_rows);
  g_free (log);
}

const char *
mamori_takeout_log_pages_get_title (const MamoriTakeoutLogPages *log)
{
  return log->title;
}

guint
mamori_takeout_log_pages_get_n_pages (const MamoriTakeoutLogPages *log)
{
  return log->page_rows->len;
}

static void
draw_page (gconstpointer data, guint page, cairo_t *cr)
{
  mamori_takeout_log_pages_draw (data, page, cr);
}

GBytes *
mamori_takeout_log_pages_to_pdf (const MamoriTakeoutLogPages *log, GError **error)
{
  return _mamori_takeout_paper_pdf (log->title, PAGE_WIDTH, PAGE_HEIGHT, log->page_rows->len,
                                    draw_page, log, error);
}

gboolean
mamori_takeout_log_pdf_write (MamoriDb *db,
                              MamoriPolicy *policy,
                              const char *from,
                              const char *until,
                              GFile *file,
                              GError **error)
{
  g_autoptr (MamoriTakeoutLogPages) log
      = mamori_takeout_log_pages_new (db, policy, from, until, error);
  g_autoptr (GBytes) pdf = log != NULL ? mamori_takeout_log_pages_to_pdf (log, error) : NULL;

  return pdf != NULL
         && g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                     NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}
