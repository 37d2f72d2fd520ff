/* mamori-takeout-log-pdf.c — the 持出簿 (take-out log) for a range of dates as PDF
 *
 * A4 landscape, one row per request as in the CSV (mamori_takeout_log_csv()), the header
 * repeated on every page, each page numbered.  Drawn with cairo and Pango in Noto Sans
 * CJK JP, embedded as a subset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "mamori-level.h"
#include "mamori-takeout-form.h"

#define PAGE_WIDTH 841.89
#define PAGE_HEIGHT 595.28
#define MARGIN 36.0
#define PAD 3.0
#define FONT "Noto Sans CJK JP"
#define N_COLUMNS 10

/* The share of the table's width each column takes. */
static const double widths[N_COLUMNS]
    = { 0.08, 0.09, 0.17, 0.07, 0.10, 0.10, 0.14, 0.11, 0.07, 0.07 };

static PangoLayout *
cell_layout (cairo_t *cr, const char *text, gboolean bold, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, 8 * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)((width - 2 * PAD) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

/* Draws a row of cells at @y; returns its height. */
static double
draw_row (cairo_t *cr, const char *const *cells, gboolean header, double y, gboolean measure_only)
{
  double table_width = PAGE_WIDTH - 2 * MARGIN, height = 0, x = MARGIN;
  PangoLayout *layouts[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      int h;

      layouts[c] = cell_layout (cr, cells[c], header, widths[c] * table_width);
      pango_layout_get_size (layouts[c], NULL, &h);
      height = MAX (height, (double)h / PANGO_SCALE + 2 * PAD);
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      double w = widths[c] * table_width;

      if (!measure_only)
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
          cairo_move_to (cr, x + PAD, y + PAD);
          pango_cairo_show_layout (cr, layouts[c]);
        }
      g_object_unref (layouts[c]);
      x += w;
    }
  return height;
}

static void
draw_page_top (cairo_t *cr, const char *title, guint page)
{
  g_autoptr (PangoLayout) heading = cell_layout (cr, title, TRUE, PAGE_WIDTH - 2 * MARGIN);
  g_autofree char *number = g_strdup_printf ("%u", page);
  g_autoptr (PangoLayout) footer = cell_layout (cr, number, FALSE, PAGE_WIDTH - 2 * MARGIN);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, 13 * PANGO_SCALE);
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (heading, font);
  cairo_move_to (cr, MARGIN, MARGIN - 8);
  pango_cairo_show_layout (cr, heading);
  pango_layout_set_alignment (footer, PANGO_ALIGN_CENTER);
  cairo_move_to (cr, MARGIN, PAGE_HEIGHT - MARGIN + 8);
  pango_cairo_show_layout (cr, footer);
}

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
mamori_takeout_log_pdf_write (MamoriDb *db,
                              MamoriPolicy *policy,
                              const char *from,
                              const char *until,
                              GFile *file,
                              GError **error)
{
  const char *header[N_COLUMNS] = {
    _ ("Filed"),       _ ("Requester"), _ ("Information assets"),
    _ ("Level"),       _ ("Medium"),    _ ("Destination"),
    _ ("Purpose"),     _ ("Period"),    _ ("State"),
    _ ("Approved by"),
  };
  g_autoptr (GPtrArray) requests = mamori_takeout_list_between (db, from, until, error);
  g_autoptr (GByteArray) data = g_byte_array_new ();
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double top, y;
  guint page = 1;

  if (requests == NULL)
    return FALSE;
  /* Translators: the title of the take-out log, with its range of dates. */
  title = g_strdup_printf (_ ("Take-out log, %s to %s"), from, until);
  surface = cairo_pdf_surface_create_for_stream (append_cb, data, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mamori " PACKAGE_VERSION);
  cr = cairo_create (surface);
  top = MARGIN + 16;
  draw_page_top (cr, title, page);
  y = top + draw_row (cr, header, TRUE, top, FALSE);
  for (guint i = 0; i < requests->len; i++)
    {
      const MamoriTakeoutRequest *r = g_ptr_array_index (requests, i);
      MamoriLevel *level = mamori_policy_lookup_level (policy, r->level);
      g_autofree char *filed = mamori_takeout_filed_on (r);
      g_autofree char *items = mamori_takeout_items_describe (r);
      g_autofree char *period = g_strdup_printf ("%s\n%s", r->date_from, r->date_until);
      const char *cells[N_COLUMNS] = {
        filed,
        r->requester_name,
        items,
        level != NULL ? mamori_level_get_label (level) : r->level,
        mamori_takeout_medium_get_label (r->medium),
        r->destination,
        r->purpose,
        period,
        mamori_takeout_state_get_label (r->state),
        r->approved_by_name,
      };

      if (y + draw_row (cr, cells, FALSE, y, TRUE) > PAGE_HEIGHT - MARGIN)
        {
          cairo_show_page (cr);
          draw_page_top (cr, title, ++page);
          y = top + draw_row (cr, header, TRUE, top, FALSE);
        }
      y += draw_row (cr, cells, FALSE, y, FALSE);
    }
  if (requests->len == 0)
    {
      g_autoptr (PangoLayout) none
          = cell_layout (cr, _ ("Nothing was taken out in this period."), FALSE, PAGE_WIDTH);

      cairo_move_to (cr, MARGIN, y + 8);
      pango_cairo_show_layout (cr, none);
    }
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The log could not be drawn: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return g_file_replace_contents (file, (const char *)data->data, data->len, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, NULL, error);
}
