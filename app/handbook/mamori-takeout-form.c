/* mamori-takeout-form.c — the take-out request form (持ち出し許可申請書) as PDF
 *
 * Drawn with cairo and Pango at 72 units per inch on A4, in Noto Sans CJK JP, which the
 * PDF embeds (subset), so that the form prints the same on any computer.
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

#define PAGE_WIDTH 595.28
#define PAGE_HEIGHT 841.89
#define MARGIN 56.0
#define LABEL_WIDTH 120.0
#define PAD 6.0
#define FONT "Noto Sans CJK JP"

typedef struct
{
  cairo_t *cr;
  double y;
} Form;

static PangoLayout *
layout_new (Form *form, const char *text, double size, gboolean bold, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (form->cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, (int)(size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double)height / PANGO_SCALE;
}

static void
show (Form *form, PangoLayout *layout, double x, double y)
{
  cairo_move_to (form->cr, x, y);
  pango_cairo_show_layout (form->cr, layout);
}

/* A row of the table: the label on the left, the value (several lines) on the right. */
static void
row (Form *form, const char *label, const char *value, double min_height)
{
  double value_width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH - 2 * PAD;
  g_autoptr (PangoLayout) left = layout_new (form, label, 10, TRUE, LABEL_WIDTH - 2 * PAD);
  g_autoptr (PangoLayout) right
      = layout_new (form, value != NULL ? value : "", 10.5, FALSE, value_width);
  double height = MAX (min_height, MAX (layout_height (left), layout_height (right)) + 2 * PAD);

  cairo_set_source_rgb (form->cr, 0.93, 0.93, 0.93);
  cairo_rectangle (form->cr, MARGIN, form->y, LABEL_WIDTH, height);
  cairo_fill (form->cr);
  cairo_set_source_rgb (form->cr, 0, 0, 0);
  cairo_set_line_width (form->cr, 0.6);
  cairo_rectangle (form->cr, MARGIN, form->y, LABEL_WIDTH, height);
  cairo_rectangle (form->cr, MARGIN + LABEL_WIDTH, form->y, PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH,
                   height);
  cairo_stroke (form->cr);
  show (form, left, MARGIN + PAD, form->y + PAD);
  show (form, right, MARGIN + LABEL_WIDTH + PAD, form->y + PAD);
  form->y += height;
}

/* The measures, each with a box to tick. */
static void
measures_row (Form *form, const char *const *measures)
{
  double x = MARGIN + LABEL_WIDTH + PAD, width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH - 2 * PAD;
  double top = form->y, y = top + PAD;
  g_autoptr (PangoLayout) label
      = layout_new (form, _ ("Required measures"), 10, TRUE, LABEL_WIDTH - 2 * PAD);

  for (guint i = 0; measures[i] != NULL; i++)
    {
      g_autoptr (PangoLayout) text = layout_new (form, measures[i], 10, FALSE, width - 16);

      cairo_set_line_width (form->cr, 0.8);
      cairo_rectangle (form->cr, x, y + 3, 9, 9);
      cairo_stroke (form->cr);
      show (form, text, x + 16, y);
      y += layout_height (text) + 4;
    }
  if (measures[0] == NULL)
    {
      g_autoptr (PangoLayout) none
          = layout_new (form, _ ("None required by the policy"), 10, FALSE, width);

      show (form, none, x, y);
      y += layout_height (none) + 4;
    }
  y = MAX (y + PAD - 4, top + layout_height (label) + 2 * PAD);
  cairo_set_source_rgb (form->cr, 0.93, 0.93, 0.93);
  cairo_rectangle (form->cr, MARGIN, top, LABEL_WIDTH, y - top);
  cairo_fill (form->cr);
  cairo_set_source_rgb (form->cr, 0, 0, 0);
  cairo_set_line_width (form->cr, 0.6);
  cairo_rectangle (form->cr, MARGIN, top, LABEL_WIDTH, y - top);
  cairo_rectangle (form->cr, MARGIN + LABEL_WIDTH, top, PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH,
                   y - top);
  cairo_stroke (form->cr);
  show (form, label, MARGIN + PAD, top + PAD);
  form->y = y;
}

/* The approver, the date and the box for the seal. */
static void
approval_block (Form *form, const char *approver, const char *date)
{
  double seal = 64.0, width = PAGE_WIDTH - 2 * MARGIN - seal;
  g_autofree char *approver_text
      = g_strdup_printf (_ ("Approved by: %s"), approver != NULL ? approver : "");
  g_autofree char *date_text = g_strdup_printf (_ ("Date approved: %s"), date != NULL ? date : "");
  g_autoptr (PangoLayout) who = layout_new (form, approver_text, 10.5, FALSE, width - 2 * PAD);
  g_autoptr (PangoLayout) when = layout_new (form, date_text, 10.5, FALSE, width - 2 * PAD);
  g_autoptr (PangoLayout) seal_label = layout_new (form, _ ("Seal"), 8, FALSE, seal);
  double top = form->y + 14;

  cairo_set_line_width (form->cr, 0.6);
  cairo_rectangle (form->cr, MARGIN, top, width, seal);
  cairo_rectangle (form->cr, MARGIN + width, top, seal, seal);
  cairo_stroke (form->cr);
  show (form, who, MARGIN + PAD, top + PAD);
  show (form, when, MARGIN + PAD, top + seal / 2 + 2);
  pango_layout_set_alignment (seal_label, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (form->cr, 0.5, 0.5, 0.5);
  show (form, seal_label, MARGIN + width, top + 3);
  cairo_set_source_rgb (form->cr, 0, 0, 0);
  form->y = top + seal;
}

char *
mamori_takeout_form_fingerprint (MamoriDb *db, const MamoriTakeoutRequest *request, GError **error)
{
  static const char *const approved[] = { MAMORI_EVENT_TAKEOUT_APPROVED, NULL };
  static const char *const granted[] = { MAMORI_EVENT_BLANKET_GRANTED, NULL };
  g_autoptr (GPtrArray) history = NULL;
  const MamoriEvent *event = NULL;
  guint8 hash[MAMORI_EVENT_ID_SIZE];
  g_autofree char *hex = NULL;

  if (request->approved_by == NULL)
    return NULL;
  if (request->grant == NULL)
    {
      history = mamori_takeout_history (db, request->id, error);
      if (history == NULL)
        return NULL;
      for (guint i = 0; i < history->len; i++)
        if (g_strv_contains (approved, ((MamoriEvent *)history->pdata[i])->type))
          event = history->pdata[i];
    }
  else
    {
      history = mamori_event_log_list (db, granted, error);
      if (history == NULL)
        return NULL;
      for (guint i = 0; i < history->len; i++)
        {
          MamoriEvent *grant = history->pdata[i];
          JsonObject *body = json_node_get_object (grant->body);

          if (g_strcmp0 (json_object_get_string_member_with_default (body, "grant", NULL),
                         request->grant)
              == 0)
            event = grant;
        }
    }
  if (event == NULL)
    return NULL;
  mamori_event_hash (event->sig, MAMORI_SIGNATURE_SIZE, hash);
  hex = mamori_hex_encode (hash, 8);
  return g_strdup_printf ("%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The approval's date, in the local time zone; NULL when not approved.  A request a
 * blanket grant covered was approved when it was filed (or last changed). */
static char *
approval_date (MamoriDb *db, const MamoriTakeoutRequest *request)
{
  static const char *const deciding[]
      = { MAMORI_EVENT_TAKEOUT_APPROVED, MAMORI_EVENT_TAKEOUT_REQUESTED,
          MAMORI_EVENT_TAKEOUT_CHANGED, NULL };
  g_autoptr (GPtrArray) history = NULL;
  const MamoriEvent *event = NULL;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (request->approved_by == NULL)
    return NULL;
  history = mamori_takeout_history (db, request->id, NULL);
  for (guint i = 0; history != NULL && i < history->len; i++)
    if (g_strv_contains (deciding, ((MamoriEvent *)history->pdata[i])->type))
      event = history->pdata[i];
  if (event == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (event->created_at, NULL);
  local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
}

gboolean
mamori_takeout_form_write (MamoriDb *db,
                           MamoriPolicy *policy,
                           const MamoriTakeoutRequest *request,
                           GFile *file,
                           GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  g_autoptr (GString) items = g_string_new (NULL);
  g_autofree char *filed = mamori_takeout_filed_on (request);
  g_autofree char *period = NULL, *footer = NULL, *fingerprint = NULL, *date = NULL;
  g_autoptr (GError) local_error = NULL;
  MamoriLevel *level = mamori_policy_lookup_level (policy, request->level);
  static const char *const no_measures[] = { NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  Form form = { 0 };

  fingerprint = mamori_takeout_form_fingerprint (db, request, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  date = approval_date (db, request);
  for (guint i = 0; i < request->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (request->items, i);
      MamoriLevel *item_level = mamori_policy_lookup_level (policy, item->level);

      g_string_append_printf (items, "%s%s（%s）", i > 0 ? "\n" : "", item->name,
                              item_level != NULL ? mamori_level_get_label (item_level)
                                                 : item->level);
    }
  /* Translators: a period of dates, from the first to the last. */
  period = g_strdup_printf (_ ("%s to %s"), request->date_from, request->date_until);

  surface = cairo_pdf_surface_create_for_stream (append_cb, data, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Take-out request"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mamori " PACKAGE_VERSION);
  form.cr = cairo_create (surface);
  form.y = MARGIN;
  {
    g_autoptr (PangoLayout) title
        = layout_new (&form, _ ("Take-out request"), 18, TRUE, PAGE_WIDTH - 2 * MARGIN);
    g_autofree char *filed_text = g_strdup_printf (_ ("Date filed: %s"), filed);
    g_autoptr (PangoLayout) filed_layout
        = layout_new (&form, filed_text, 10.5, FALSE, PAGE_WIDTH - 2 * MARGIN);

    pango_layout_set_alignment (title, PANGO_ALIGN_CENTER);
    show (&form, title, MARGIN, form.y);
    form.y += layout_height (title) + 18;
    pango_layout_set_alignment (filed_layout, PANGO_ALIGN_RIGHT);
    show (&form, filed_layout, MARGIN, form.y);
    form.y += layout_height (filed_layout) + 8;
  }
  row (&form, _ ("Requester"), request->requester_name, 28);
  row (&form, _ ("Information assets"), items->str, 28);
  row (&form, _ ("Level"), level != NULL ? mamori_level_get_label (level) : request->level, 28);
  row (&form, _ ("Medium"), mamori_takeout_medium_get_label (request->medium), 28);
  row (&form, _ ("Destination"), request->destination, 28);
  row (&form, _ ("Purpose"), request->purpose, 40);
  row (&form, _ ("Period"), period, 28);
  measures_row (&form, level != NULL ? mamori_level_get_measures (level) : no_measures);
  approval_block (&form, request->approved_by_name, date);
  {
    g_autoptr (PangoLayout) foot = NULL;

    footer = g_strdup_printf (_ ("Request id: %s\nApproval signature fingerprint: %s"), request->id,
                              fingerprint != NULL ? fingerprint : "—");
    foot = layout_new (&form, footer, 8, FALSE, PAGE_WIDTH - 2 * MARGIN);
    show (&form, foot, MARGIN, PAGE_HEIGHT - MARGIN - layout_height (foot));
  }
  cairo_show_page (form.cr);
  cairo_destroy (form.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The form could not be drawn: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return g_file_replace_contents (file, (const char *)data->data, data->len, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, NULL, error);
}
