/* mamori-pdf-view.c
 *
 * Layout: pages one under the other, GAP pixels apart and around, centred.  The view
 * asks for textures of the pages in sight and one screen ahead and behind; it keeps
 * at most CACHE_SIZE of them, dropping the farthest from sight first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-pdf"

#include "config.h"

#include "mamori-pdf-view-private.h"

static void
mamori_pdf_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MamoriPdfView,
                               mamori_pdf_view,
                               GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      mamori_pdf_view_scrollable_init))

enum
{
  PROP_0,
  PROP_DOCUMENT,
  PROP_ZOOM_MODE,
  PROP_SCALE,
  PROP_PAGE,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

static void
mamori_pdf_view_scrollable_init (GtkScrollableInterface *iface)
{
}

static double
content_height (MamoriPdfView *self)
{
  return self->total_height * self->scale + (_mamori_pdf_view_n_pages (self) + 1) * GAP;
}

static double
fit_scale (MamoriPdfView *self, int width, int height)
{
  double fit_width, max_height = 0;

  if (_mamori_pdf_view_n_pages (self) == 0 || width <= 0)
    return 1;
  fit_width = (width - 2 * GAP) / self->max_width;
  if (self->zoom_mode == MAMORI_PDF_ZOOM_FIT_WIDTH)
    return CLAMP (fit_width, MIN_SCALE, MAX_SCALE);
  for (guint i = 0; i < _mamori_pdf_view_n_pages (self); i++)
    {
      double w, h;

      _mamori_pdf_view_page_size (self, i, &w, &h);
      max_height = MAX (max_height, h);
    }
  return CLAMP (MIN (fit_width, (height - 2 * GAP) / max_height), MIN_SCALE, MAX_SCALE);
}

/* --- scrolling -------------------------------------------------------------------- */

static void
notify_later (MamoriPdfView *self);

static void
update_page (MamoriPdfView *self)
{
  double middle;
  guint first, last;

  if (_mamori_pdf_view_n_pages (self) == 0)
    return;
  middle = gtk_adjustment_get_value (self->vadjustment)
           + gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  _mamori_pdf_view_pages_between (self, middle, middle, &first, &last);
  if (first != self->page)
    {
      self->page = first;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
}

static void
adjustment_changed_cb (MamoriPdfView *self)
{
  notify_later (self);
  _mamori_pdf_view_update_renders (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (MamoriPdfView *self, GtkAdjustment **slot, GtkAdjustment *adjustment)
{
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, adjustment_changed_cb, self);
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_set_object (slot, adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self);
}

static void
configure (GtkAdjustment *adjustment, double value, double upper, double page_size)
{
  upper = MAX (upper, page_size);
  gtk_adjustment_configure (adjustment, CLAMP (value, 0, upper - page_size), 0, upper,
                            page_size * 0.1, page_size * 0.9, page_size);
}

static void
scroll_to_current_match (MamoriPdfView *self)
{
  const MamoriPdfMatch *match;
  graphene_rect_t page;
  double y, height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, width = gtk_widget_get_width (GTK_WIDGET (self));
  double value;

  if (self->matches == NULL || self->current_match >= self->matches->len)
    return;
  match = &g_array_index (self->matches, MamoriPdfMatch, self->current_match);
  _mamori_pdf_view_page_rect (self, match->page, &page);
  y = page.origin.y + match->rects[0].origin.y * self->scale;
  x = page.origin.x + match->rects[0].origin.x * self->scale;

  value = gtk_adjustment_get_value (self->vadjustment);
  if (y < value + GAP || y > value + height - 3 * GAP)
    gtk_adjustment_set_value (self->vadjustment, y - height / 3);
  value = gtk_adjustment_get_value (self->hadjustment);
  if (x < value || x > value + width - GAP)
    gtk_adjustment_set_value (self->hadjustment, x - width / 3);
}

/* --- GtkWidget ---------------------------------------------------------------------- */

static gboolean
notify_later_cb (gpointer data)
{
  MamoriPdfView *self = data;

  self->notify_source = 0;
  if (self->scale_changed)
    {
      self->scale_changed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
    }
  update_page (self);
  return G_SOURCE_REMOVE;
}

static void
notify_later (MamoriPdfView *self)
{
  if (self->notify_source == 0)
    self->notify_source = g_idle_add (notify_later_cb, self);
}

static void
mamori_pdf_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  MamoriPdfView *self = MAMORI_PDF_VIEW (widget);
  double old_scale = self->scale;
  double old_height = content_height (self);
  double fraction = old_height > 0 ? gtk_adjustment_get_value (self->vadjustment) / old_height : 0;

  if (self->zoom_mode != MAMORI_PDF_ZOOM_FREE)
    self->scale = fit_scale (self, width, height);
  if (!G_APPROX_VALUE (old_scale, self->scale, 1e-9))
    self->scale_changed = TRUE;

  configure (self->hadjustment, gtk_adjustment_get_value (self->hadjustment),
             self->max_width * self->scale + 2 * GAP, width);
  /* Keep the same place of the document in sight across a zoom. */
  configure (self->vadjustment, fraction * content_height (self), content_height (self), height);

  if (self->scroll_to_match)
    {
      self->scroll_to_match = FALSE;
      scroll_to_current_match (self);
    }
  notify_later (self);
  _mamori_pdf_view_update_renders (self);
}

static void
append_page (MamoriPdfView *self, GtkSnapshot *snapshot, guint page, const graphene_rect_t *rect)
{
  PageCache *cache = &self->cache[page];
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA shadow = { 0, 0, 0, 0.18 };
  GdkRGBA highlight = { 1.0, 0.86, 0.0, 0.40 };
  GdkRGBA current = { 1.0, 0.55, 0.0, 0.55 };
  GskRoundedRect outline;
  float shadow_width[4] = { 1, 1, 1, 1 };
  GdkRGBA shadow_colors[4] = { shadow, shadow, shadow, shadow };

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (rect->origin.x - 1, rect->origin.y - 1,
                                                        rect->size.width + 2,
                                                        rect->size.height + 2),
                                   0);
  gtk_snapshot_append_border (snapshot, &outline, shadow_width, shadow_colors);
  gtk_snapshot_append_color (snapshot, &white, rect);
  if (cache->texture != NULL)
    gtk_snapshot_append_texture (snapshot, cache->texture, rect);

  if (self->matches == NULL)
    return;
  for (guint i = 0; i < self->matches->len; i++)
    {
      const MamoriPdfMatch *match = &g_array_index (self->matches, MamoriPdfMatch, i);

      if (match->page != page)
        continue;
      for (guint r = 0; r < match->n_rects; r++)
        {
          const graphene_rect_t *m = &match->rects[r];

          gtk_snapshot_append_color (
              snapshot, i == self->current_match ? &current : &highlight,
              &GRAPHENE_RECT_INIT (rect->origin.x + m->origin.x * self->scale,
                                   rect->origin.y + m->origin.y * self->scale,
                                   m->size.width * self->scale, m->size.height * self->scale));
        }
    }
}

static void
mamori_pdf_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MamoriPdfView *self = MAMORI_PDF_VIEW (widget);
  double top = gtk_adjustment_get_value (self->vadjustment);
  double left = gtk_adjustment_get_value (self->hadjustment);
  double height = gtk_widget_get_height (widget);
  guint first, last;

  /* A shade behind the paper, light or dark with the theme's own background. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0, 0, 0, 0.08 },
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), height));
  if (_mamori_pdf_view_n_pages (self) == 0)
    return;

  gtk_snapshot_push_clip (snapshot,
                          &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), height));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-left, -top));
  _mamori_pdf_view_pages_between (self, top, top + height, &first, &last);
  for (guint i = first; i <= last; i++)
    {
      graphene_rect_t rect;

      _mamori_pdf_view_page_rect (self, i, &rect);
      append_page (self, snapshot, i, &rect);
    }
  gtk_snapshot_pop (snapshot);
}

static void
mamori_pdf_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mamori_pdf_view_parent_class)->map (widget);
  _mamori_pdf_view_update_renders (MAMORI_PDF_VIEW (widget));
}

/* Ctrl+wheel zooms; a plain wheel scrolls (the scrolled window does it). */
static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, MamoriPdfView *self)
{
  GdkModifierType state
      = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;
  mamori_pdf_view_set_scale (self, self->scale * pow (ZOOM_STEP, -dy));
  return TRUE;
}

static void
mamori_pdf_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriPdfView *self = MAMORI_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_pdf_view_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  MamoriPdfView *self = MAMORI_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      mamori_pdf_view_set_document (self, g_value_get_object (value));
      break;
    case PROP_ZOOM_MODE:
      mamori_pdf_view_set_zoom_mode (self, g_value_get_int (value));
      break;
    case PROP_SCALE:
      mamori_pdf_view_set_scale (self, g_value_get_double (value));
      break;
    case PROP_PAGE:
      mamori_pdf_view_go_to_page (self, g_value_get_uint (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_pdf_view_dispose (GObject *object)
{
  MamoriPdfView *self = MAMORI_PDF_VIEW (object);

  _mamori_pdf_view_clear_cache (self);
  g_clear_handle_id (&self->notify_source, g_source_remove);
  g_clear_object (&self->document);
  g_clear_pointer (&self->matches, g_array_unref);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (mamori_pdf_view_parent_class)->dispose (object);
}

static void
mamori_pdf_view_class_init (MamoriPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_pdf_view_get_property;
  object_class->set_property = mamori_pdf_view_set_property;
  object_class->dispose = mamori_pdf_view_dispose;

  widget_class->size_allocate = mamori_pdf_view_size_allocate;
  widget_class->snapshot = mamori_pdf_view_snapshot;
  widget_class->map = mamori_pdf_view_map;

  properties[PROP_DOCUMENT]
      = g_param_spec_object ("document", NULL, NULL, MAMORI_TYPE_PDF_DOCUMENT,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE]
      = g_param_spec_int ("zoom-mode", NULL, NULL, MAMORI_PDF_ZOOM_FIT_WIDTH, MAMORI_PDF_ZOOM_FREE,
                          MAMORI_PDF_ZOOM_FIT_WIDTH,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE]
      = g_param_spec_double ("scale", NULL, NULL, MIN_SCALE, MAX_SCALE, 1,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE]
      = g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "pdfview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
mamori_pdf_view_init (MamoriPdfView *self)
{
  GtkEventController *scroll
      = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->scale = 1;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

GtkWidget *
mamori_pdf_view_new (void)
{
  return g_object_new (MAMORI_TYPE_PDF_VIEW, NULL);
}

MamoriPdfDocument *
mamori_pdf_view_get_document (MamoriPdfView *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_VIEW (self), NULL);
  return self->document;
}

void
mamori_pdf_view_set_document (MamoriPdfView *self, MamoriPdfDocument *document)
{
  double offset = 0;

  g_return_if_fail (MAMORI_IS_PDF_VIEW (self));
  g_return_if_fail (document == NULL || MAMORI_IS_PDF_DOCUMENT (document));

  if (self->document == document)
    return;
  _mamori_pdf_view_clear_cache (self);
  g_clear_pointer (&self->matches, g_array_unref);
  g_set_object (&self->document, document);

  self->max_width = self->total_height = 0;
  self->cache = g_new0 (PageCache, MAX (_mamori_pdf_view_n_pages (self), 1));
  self->offsets = g_new0 (double, MAX (_mamori_pdf_view_n_pages (self), 1));
  for (guint i = 0; i < _mamori_pdf_view_n_pages (self); i++)
    {
      double width, height;

      _mamori_pdf_view_page_size (self, i, &width, &height);
      self->offsets[i] = offset;
      offset += height;
      self->max_width = MAX (self->max_width, width);
    }
  self->total_height = offset;
  self->page = 0;
  gtk_adjustment_set_value (self->vadjustment, 0);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

MamoriPdfZoomMode
mamori_pdf_view_get_zoom_mode (MamoriPdfView *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_VIEW (self), 0);
  return self->zoom_mode;
}

void
mamori_pdf_view_set_zoom_mode (MamoriPdfView *self, MamoriPdfZoomMode mode)
{
  g_return_if_fail (MAMORI_IS_PDF_VIEW (self));

  if (self->zoom_mode == mode)
    return;
  self->zoom_mode = mode;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
}

double
mamori_pdf_view_get_scale (MamoriPdfView *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_VIEW (self), 1);
  return self->scale;
}

void
mamori_pdf_view_set_scale (MamoriPdfView *self, double scale)
{
  g_return_if_fail (MAMORI_IS_PDF_VIEW (self));

  scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  if (self->zoom_mode != MAMORI_PDF_ZOOM_FREE)
    {
      self->zoom_mode = MAMORI_PDF_ZOOM_FREE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
    }
  if (G_APPROX_VALUE (self->scale, scale, 1e-9))
    return;
  self->scale = scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

void
mamori_pdf_view_zoom_in (MamoriPdfView *self)
{
  mamori_pdf_view_set_scale (self, self->scale * ZOOM_STEP);
}

void
mamori_pdf_view_zoom_out (MamoriPdfView *self)
{
  mamori_pdf_view_set_scale (self, self->scale / ZOOM_STEP);
}

guint
mamori_pdf_view_get_page (MamoriPdfView *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_VIEW (self), 0);
  return self->page;
}

void
mamori_pdf_view_go_to_page (MamoriPdfView *self, guint page)
{
  graphene_rect_t rect;

  g_return_if_fail (MAMORI_IS_PDF_VIEW (self));

  if (_mamori_pdf_view_n_pages (self) == 0)
    return;
  page = MIN (page, _mamori_pdf_view_n_pages (self) - 1);
  _mamori_pdf_view_page_rect (self, page, &rect);
  gtk_adjustment_set_value (self->vadjustment, rect.origin.y - GAP);
  if (self->page != page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
}

void
mamori_pdf_view_set_matches (MamoriPdfView *self, GArray *matches, guint current)
{
  g_return_if_fail (MAMORI_IS_PDF_VIEW (self));

  if (self->matches != matches)
    {
      g_clear_pointer (&self->matches, g_array_unref);
      self->matches = matches;
    }
  self->current_match = current;
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    scroll_to_current_match (self);
  else
    self->scroll_to_match = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
mamori_pdf_view_get_n_rendered (MamoriPdfView *self)
{
  guint n = 0;

  g_return_val_if_fail (MAMORI_IS_PDF_VIEW (self), 0);

  for (guint i = 0; i < _mamori_pdf_view_n_pages (self); i++)
    if (self->cache[i].texture != NULL
        && G_APPROX_VALUE (self->cache[i].scale, _mamori_pdf_view_render_scale (self), 1e-6))
      n++;
  return n;
}
