/* mamori-takeout-form.c — the take-out request form (持ち出し許可申請書)
 *
 * Drawn with cairo and Pango in points on A4, in Noto Sans CJK JP, which a PDF embeds
 * (subset), so that the form prints the same on any computer.  The 記入例 is the same
 * form from fixed data, its boxes ticked and its seal stamped, marked as an example.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-level.h"
#include "mamori-takeout-form.h"
#include "mamori-takeout-paper-private.h"

#define PAGE_WIDTH MAMORI_TAKEOUT_FORM_WIDTH
#define PAGE_HEIGHT MAMORI_TAKEOUT_FORM_HEIGHT
#define MARGIN 56.0
#define LABEL_WIDTH 120.0
#define PAD 6.0
#define LABEL_SIZE 13.0
#define VALUE_SIZE 14.0
#define SEAL 64.0

typedef struct
{
  cairo_t *cr;
  PangoContext *context;
  const MamoriTakeoutForm *form;
  double y;
} Page;

static PangoLayout *
layout_new (Page *page, const char *text, double size, gboolean bold, double width)
{
  return _mamori_takeout_paper_layout (page->context, text, size, bold, width);
}

static void
show (Page *page, PangoLayout *layout, double x, double y)
{
  _mamori_takeout_paper_show (page->cr, layout, x, y);
}

/* The grey label cell and the value cell of a row @height high at the current line. */
static void
row_frame (Page *page, double height)
{
  cairo_t *cr = page->cr;

  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  cairo_rectangle (cr, MARGIN, page->y, LABEL_WIDTH, height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, MARGIN, page->y, LABEL_WIDTH, height);
  cairo_rectangle (cr, MARGIN + LABEL_WIDTH, page->y, PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH,
                   height);
  cairo_stroke (cr);
}

/* A row of the table: the label on the left, the value (several lines) on the right. */
static void
row (Page *page, const char *label, const char *value, double min_height)
{
  double value_width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH - 2 * PAD;
  g_autoptr (PangoLayout) left = layout_new (page, label, LABEL_SIZE, TRUE, LABEL_WIDTH - 2 * PAD);
  g_autoptr (PangoLayout) right = layout_new (page, value, VALUE_SIZE, FALSE, value_width);
  double height = MAX (
      min_height,
      MAX (_mamori_takeout_paper_height (left), _mamori_takeout_paper_height (right)) + 2 * PAD);

  row_frame (page, height);
  show (page, left, MARGIN + PAD, page->y + PAD);
  show (page, right, MARGIN + LABEL_WIDTH + PAD, page->y + PAD);
  page->y += height;
}

/* A tick in the box at (@x, @y), as a pen would make it. */
static void
tick (cairo_t *cr, double x, double y)
{
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.1, 0.2, 0.6);
  cairo_set_line_width (cr, 1.6);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x + 1.5, y + 5.5);
  cairo_line_to (cr, x + 4.5, y + 9);
  cairo_line_to (cr, x + 11, y - 1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The measures, each with a box to tick (ticked on the example). */
static void
measures_row (Page *page)
{
  const char *const *measures = (const char *const *)page->form->measures;
  double x = MARGIN + LABEL_WIDTH + PAD, width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH - 2 * PAD;
  double top = page->y, y = top + PAD, box = 10;
  g_autoptr (PangoLayout) label
      = layout_new (page, _ ("Required measures"), LABEL_SIZE, TRUE, LABEL_WIDTH - 2 * PAD);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; measures != NULL && measures[i] != NULL; i++)
    g_ptr_array_add (lines, layout_new (page, measures[i], VALUE_SIZE - 1, FALSE, width - 18));
  if (lines->len == 0)
    g_ptr_array_add (
        lines, layout_new (page, _ ("None required by the policy"), VALUE_SIZE - 1, FALSE, width));
  for (guint i = 0; i < lines->len; i++)
    y += _mamori_takeout_paper_height (lines->pdata[i]) + 4;
  y = MAX (y + PAD - 4, top + _mamori_takeout_paper_height (label) + 2 * PAD);
  row_frame (page, y - top);
  show (page, label, MARGIN + PAD, top + PAD);

  y = top + PAD;
  for (guint i = 0; i < lines->len; i++)
    {
      gboolean none = measures == NULL || measures[0] == NULL;

      if (!none)
        {
          cairo_set_line_width (page->cr, 0.8);
          cairo_rectangle (page->cr, x, y + 4, box, box);
          cairo_stroke (page->cr);
          if (page->form->example)
            tick (page->cr, x, y + 4);
        }
      show (page, lines->pdata[i], none ? x : x + 18, y);
      y += _mamori_takeout_paper_height (lines->pdata[i]) + 4;
    }
  g_ptr_array_unref (lines);
  page->y = MAX (y + PAD - 4, top + _mamori_takeout_paper_height (label) + 2 * PAD);
}

/* A red seal (印影) with @name, as stamped in the seal box at (@x, @y). */
static void
stamp (Page *page, const char *name, double x, double y)
{
  cairo_t *cr = page->cr;
  double radius = SEAL / 2 - 12, cx = x + SEAL / 2, cy = y + SEAL / 2 + 6;
  g_autoptr (PangoLayout) layout = layout_new (page, name, 12, TRUE, 2 * radius);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  cairo_set_line_width (cr, 1.8);
  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  show (page, layout, cx - radius, cy - _mamori_takeout_paper_height (layout) / 2);
  cairo_restore (cr);
}

/* The approver, the date and the box for the seal. */
static void
approval_block (Page *page)
{
  const MamoriTakeoutForm *form = page->form;
  double width = PAGE_WIDTH - 2 * MARGIN - SEAL;
  g_autofree char *approver_text
      = g_strdup_printf (_ ("Approved by: %s"), form->approver != NULL ? form->approver : "");
  g_autofree char *date_text = g_strdup_printf (_ ("Date approved: %s"),
                                                form->approved_on != NULL ? form->approved_on : "");
  g_autoptr (PangoLayout) who
      = layout_new (page, approver_text, VALUE_SIZE, FALSE, width - 2 * PAD);
  g_autoptr (PangoLayout) when = layout_new (page, date_text, VALUE_SIZE, FALSE, width - 2 * PAD);
  g_autoptr (PangoLayout) seal_label = layout_new (page, _ ("Seal"), 10.5, FALSE, SEAL);
  double top = page->y + 14;

  cairo_set_line_width (page->cr, 0.6);
  cairo_rectangle (page->cr, MARGIN, top, width, SEAL);
  cairo_rectangle (page->cr, MARGIN + width, top, SEAL, SEAL);
  cairo_stroke (page->cr);
  show (page, who, MARGIN + PAD, top + PAD);
  show (page, when, MARGIN + PAD, top + SEAL / 2 + 2);
  pango_layout_set_alignment (seal_label, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (page->cr, 0.5, 0.5, 0.5);
  show (page, seal_label, MARGIN + width, top + 3);
  cairo_set_source_rgb (page->cr, 0, 0, 0);
  if (form->example)
    /* Translators: the family name in the seal stamped on the filled example of the form;
       the same person as the example's approver. */
    stamp (page, _ ("Sato"), MARGIN + width, top);
  page->y = top + SEAL;
}

/* The marks of the 記入例: a red label in the corner, the word across the page, a note. */
static void
example_marks (Page *page)
{
  cairo_t *cr = page->cr;
  g_autoptr (PangoLayout) badge = layout_new (page, _ ("Example"), 16, TRUE, 200);
  g_autoptr (PangoLayout) across = layout_new (page, _ ("Example"), 110, TRUE, PAGE_HEIGHT);
  g_autoptr (PangoLayout) note
      = layout_new (page, _ ("A filled example: the names and the details are made up."), 11, FALSE,
                    PAGE_WIDTH - 2 * MARGIN);
  PangoRectangle ink, logical;

  cairo_save (cr);
  cairo_set_source_rgba (cr, 0.85, 0.1, 0.1, 0.13);
  pango_layout_set_width (across, -1);
  pango_layout_get_extents (across, &ink, &logical);
  cairo_translate (cr, PAGE_WIDTH / 2, PAGE_HEIGHT / 2);
  cairo_rotate (cr, -G_PI / 6);
  show (page, across, -(double)logical.width / PANGO_SCALE / 2,
        -(double)logical.height / PANGO_SCALE / 2);
  cairo_restore (cr);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  pango_layout_set_width (badge, -1);
  pango_layout_get_extents (badge, &ink, &logical);
  cairo_set_line_width (cr, 1.5);
  cairo_rectangle (cr, MARGIN, MARGIN - 4, (double)logical.width / PANGO_SCALE + 16,
                   (double)logical.height / PANGO_SCALE + 8);
  cairo_stroke (cr);
  show (page, badge, MARGIN + 8, MARGIN);
  show (page, note, MARGIN, PAGE_HEIGHT - MARGIN - 58);
  cairo_restore (cr);
}

void
mamori_takeout_form_draw (const MamoriTakeoutForm *form, cairo_t *cr)
{
  PangoContext *context = _mamori_takeout_paper_context_new ();
  Page page = { cr, context, form, MARGIN };
  g_autofree char *filed_text = g_strdup_printf (_ ("Date filed: %s"), form->filed);
  /* Translators: a period of dates, from the first to the last. */
  g_autofree char *period = g_strdup_printf (_ ("%s to %s"), form->date_from, form->date_until);
  g_autofree char *footer
      = g_strdup_printf (_ ("Request id: %s\nApproval signature fingerprint: %s"), form->id,
                         form->fingerprint != NULL ? form->fingerprint : "—");
  g_autoptr (PangoLayout) title
      = layout_new (&page, _ ("Take-out request"), 24, TRUE, PAGE_WIDTH - 2 * MARGIN);
  g_autoptr (PangoLayout) filed
      = layout_new (&page, filed_text, VALUE_SIZE, FALSE, PAGE_WIDTH - 2 * MARGIN);
  g_autoptr (PangoLayout) foot = layout_new (&page, footer, 10.5, FALSE, PAGE_WIDTH - 2 * MARGIN);

  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_layout_set_alignment (title, PANGO_ALIGN_CENTER);
  show (&page, title, MARGIN, page.y);
  page.y += _mamori_takeout_paper_height (title) + 18;
  pango_layout_set_alignment (filed, PANGO_ALIGN_RIGHT);
  show (&page, filed, MARGIN, page.y);
  page.y += _mamori_takeout_paper_height (filed) + 8;
  row (&page, _ ("Requester"), form->requester, 28);
  row (&page, _ ("Information assets"), form->items, 28);
  row (&page, _ ("Level"), form->level, 28);
  row (&page, _ ("Medium"), form->medium, 28);
  row (&page, _ ("Destination"), form->destination, 28);
  row (&page, _ ("Purpose"), form->purpose, 40);
  row (&page, _ ("Period"), period, 28);
  measures_row (&page);
  approval_block (&page);
  show (&page, foot, MARGIN, PAGE_HEIGHT - MARGIN - _mamori_takeout_paper_height (foot));
  if (form->example)
    example_marks (&page);
  g_object_unref (context);
}

static void
draw_page (gconstpointer data, guint page, cairo_t *cr)
{
  mamori_takeout_form_draw (data, cr);
}

GBytes *
mamori_takeout_form_to_pdf (const MamoriTakeoutForm *form, GError **error)
{
  return _mamori_takeout_paper_pdf (_ ("Take-out request"), PAGE_WIDTH, PAGE_HEIGHT, 1, draw_page,
                                    form, error);
}

gboolean
mamori_takeout_form_save (const MamoriTakeoutForm *form, GFile *file, GError **error)
{
  g_autoptr (GBytes) pdf = mamori_takeout_form_to_pdf (form, error);

  return pdf != NULL
         && g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                     NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

void
mamori_takeout_form_free (MamoriTakeoutForm *form)
{
  if (form == NULL)
    return;
  g_free (form->id);
  g_free (form->filed);
  g_free (form->requester);
  g_free (form->items);
  g_free (form->level);
  g_free (form->medium);
  g_free (form->destination);
  g_free (form->purpose);
  g_free (form->date_from);
  g_free (form->date_until);
  g_strfreev (form->measures);
  g_free (form->approver);
  g_free (form->approved_on);
  g_free (form->fingerprint);
  g_free (form);
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

static const char *
level_label (MamoriPolicy *policy, const char *id)
{
  MamoriLevel *level = mamori_policy_lookup_level (policy, id);

  return level != NULL ? mamori_level_get_label (level) : id;
}

MamoriTakeoutForm *
mamori_takeout_form_new (MamoriDb *db,
                         MamoriPolicy *policy,
                         const MamoriTakeoutRequest *request,
                         GError **error)
{
  g_autoptr (MamoriTakeoutForm) form = g_new0 (MamoriTakeoutForm, 1);
  g_autoptr (GString) items = g_string_new (NULL);
  MamoriLevel *level = mamori_policy_lookup_level (policy, request->level);
  g_autoptr (GError) local_error = NULL;

  form->fingerprint = mamori_takeout_form_fingerprint (db, request, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  for (guint i = 0; i < request->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (request->items, i);

      g_string_append_printf (items, "%s%s（%s）", i > 0 ? "\n" : "", item->name,
                              level_label (policy, item->level));
    }
  form->id = g_strdup (request->id);
  form->filed = mamori_takeout_filed_on (request);
  form->requester = g_strdup (request->requester_name);
  form->items = g_string_free (g_steal_pointer (&items), FALSE);
  form->level = g_strdup (level_label (policy, request->level));
  form->medium = g_strdup (mamori_takeout_medium_get_label (request->medium));
  form->destination = g_strdup (request->destination);
  form->purpose = g_strdup (request->purpose);
  form->date_from = g_strdup (request->date_from);
  form->date_until = g_strdup (request->date_until);
  form->measures
      = level != NULL ? g_strdupv ((char **)mamori_level_get_measures (level)) : g_new0 (char *, 1);
  form->approver = g_strdup (request->approved_by_name);
  form->approved_on = approval_date (db, request);
  return g_steal_pointer (&form);
}

MamoriTakeoutForm *
mamori_takeout_form_new_example (void)
{
  MamoriTakeoutForm *form = g_new0 (MamoriTakeoutForm, 1);
  /* Translators: example data on the filled example of the take-out form (記入例); the
     level's name as the presets call level B. */
  const char *level = _ ("Level B");

  form->example = TRUE;
  form->id = g_strdup ("3f2a9c4e5b7d1a08c6e4f2b9d7a5c3e1");
  form->filed = g_strdup ("2026-07-15");
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->requester = g_strdup (_ ("Taro Yamada (teacher, class 2-1)"));
  form->items = g_strdup_printf ("%s（%s）\n%s（%s）",
                                 /* Translators: example data on the filled example of the
                                    take-out form (記入例). */
                                 _ ("Class 2-1 grades, first term"), level,
                                 /* Translators: example data on the filled example of the
                                    take-out form (記入例); the level's name as the presets
                                    call level D. */
                                 _ ("Year newsletter for July (draft)"), _ ("Level D"));
  form->level = g_strdup (level);
  form->medium = g_strdup (mamori_takeout_medium_get_label (MAMORI_TAKEOUT_MEDIUM_USB));
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->destination = g_strdup (_ ("Home"));
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->purpose = g_strdup (_ ("Entering and checking the first term’s grades"));
  form->date_from = g_strdup ("2026-07-18");
  form->date_until = g_strdup ("2026-07-20");
  form->measures = g_new0 (char *, 4);
  /* Translators: example data on the filled example of the take-out form (記入例): the
     measures a policy asks for an electronic file of level B. */
  form->measures[0] = g_strdup (_ ("Encrypt the file and carry it only on an official USB stick"));
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->measures[1] = g_strdup (_ ("Work on it only on a school work PC"));
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->measures[2] = g_strdup (_ ("Keep it on you and go straight to the destination"));
  /* Translators: example data on the filled example of the take-out form (記入例). */
  form->approver = g_strdup (_ ("Hanako Sato (vice-principal)"));
  form->approved_on = g_strdup ("2026-07-16");
  form->fingerprint = g_strdup ("9c41-7be0-52d3-a8f6");
  return form;
}

gboolean
mamori_takeout_form_write (MamoriDb *db,
                           MamoriPolicy *policy,
                           const MamoriTakeoutRequest *request,
                           GFile *file,
                           GError **error)
{
  g_autoptr (MamoriTakeoutForm) form = mamori_takeout_form_new (db, policy, request, error);

  return form != NULL && mamori_takeout_form_save (form, file, error);
}
