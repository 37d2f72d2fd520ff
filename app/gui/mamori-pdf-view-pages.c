/* mamori-pdf-view-pages.c — MamoriPdfView's pages: where each is laid out, and the
 * textures rendered of them (a cache of at most CACHE_SIZE, the farthest from sight
 * dropped first)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-pdf"

#include "config.h"

#include "mamori-pdf-view-private.h"

guint
_mamori_pdf_view_n_pages (MamoriPdfView *self)
{
  return self->document != NULL ? mamori_pdf_document_get_n_pages (self->document) : 0;
}

void
_mamori_pdf_view_page_size (MamoriPdfView *self, guint page, double *width, double *height)
{
  mamori_pdf_document_get_page_size (self->document, page, width, height);
}

void
_mamori_pdf_view_page_rect (MamoriPdfView *self, guint page, graphene_rect_t *rect)
{
  double width, height;
  double content_width
      = MAX (self->max_width * self->scale + 2 * GAP, gtk_widget_get_width (GTK_WIDGET (self)));

  _mamori_pdf_view_page_size (self, page, &width, &height);
  graphene_rect_init (rect, (content_width - width * self->scale) / 2,
                      GAP + self->offsets[page] * self->scale + page * GAP, width * self->scale,
                      height * self->scale);
}

static void
cache_clear_page (PageCache *cache)
{
  if (cache->rendering != NULL)
    g_cancellable_cancel (cache->rendering);
  g_clear_object (&cache->rendering);
  g_clear_object (&cache->texture);
}

/* --- rendering -------------------------------------------------------------------- */

typedef struct
{
  MamoriPdfView *view; /* weak */
  guint page;
  GCancellable *cancellable;
} RenderRequest;

static void
render_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RenderRequest *request = user_data;
  g_autoptr (GdkTexture) texture = NULL;
  MamoriPdfView *self = request->view;

  texture = mamori_pdf_document_render_finish (MAMORI_PDF_DOCUMENT (source), result, NULL);
  if (self != NULL && !g_cancellable_is_cancelled (request->cancellable) && texture != NULL)
    {
      PageCache *cache = &self->cache[request->page];

      g_set_object (&cache->texture, texture);
      cache->scale = cache->rendering_scale;
      g_clear_object (&cache->rendering);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      _mamori_pdf_view_update_renders (self);
    }
  if (self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *)&request->view);
  g_object_unref (request->cancellable);
  g_free (request);
}

double
_mamori_pdf_view_render_scale (MamoriPdfView *self)
{
  return self->scale * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
request_render (MamoriPdfView *self, guint page)
{
  PageCache *cache = &self->cache[page];
  double scale = _mamori_pdf_view_render_scale (self);
  RenderRequest *request;

  if ((cache->texture != NULL && G_APPROX_VALUE (cache->scale, scale, 1e-6))
      || (cache->rendering != NULL && G_APPROX_VALUE (cache->rendering_scale, scale, 1e-6)))
    return;
  if (cache->rendering != NULL)
    g_cancellable_cancel (cache->rendering);
  g_clear_object (&cache->rendering);

  cache->rendering = g_cancellable_new ();
  cache->rendering_scale = scale;
  request = g_new0 (RenderRequest, 1);
  request->view = self;
  request->page = page;
  request->cancellable = g_object_ref (cache->rendering);
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&request->view);
  mamori_pdf_document_render_async (self->document, page, scale, cache->rendering, render_done_cb,
                                    request);
}

void
_mamori_pdf_view_pages_between (
    MamoriPdfView *self, double top, double bottom, guint *first, guint *last)
{
  guint n = _mamori_pdf_view_n_pages (self);

  *first = 0;
  while (*first + 1 < n)
    {
      graphene_rect_t rect;

      _mamori_pdf_view_page_rect (self, *first, &rect);
      if (rect.origin.y + rect.size.height + GAP >= top)
        break;
      (*first)++;
    }
  *last = *first;
  while (*last + 1 < n)
    {
      graphene_rect_t rect;

      _mamori_pdf_view_page_rect (self, *last + 1, &rect);
      if (rect.origin.y > bottom)
        break;
      (*last)++;
    }
}

void
_mamori_pdf_view_update_renders (MamoriPdfView *self)
{
  double top, height;
  guint first, last, ahead_first, ahead_last, kept = 0;

  if (_mamori_pdf_view_n_pages (self) == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  top = gtk_adjustment_get_value (self->vadjustment);
  height = gtk_widget_get_height (GTK_WIDGET (self));
  _mamori_pdf_view_pages_between (self, top, top + height, &first, &last);
  _mamori_pdf_view_pages_between (self, top - height, top + 2 * height, &ahead_first, &ahead_last);

  for (guint i = first; i <= last; i++)
    request_render (self, i);
  /* The pages ahead wait for those in sight: they would queue for the same lock. */
  for (guint i = first; i <= last; i++)
    if (self->cache[i].rendering != NULL)
      return;
  for (guint i = ahead_first; i <= ahead_last; i++)
    request_render (self, i);

  for (guint i = 0; i < _mamori_pdf_view_n_pages (self); i++)
    if (self->cache[i].texture != NULL || self->cache[i].rendering != NULL)
      kept++;
  for (guint distance = _mamori_pdf_view_n_pages (self); kept > CACHE_SIZE && distance > 0;
       distance--)
    for (guint i = 0; i < _mamori_pdf_view_n_pages (self) && kept > CACHE_SIZE; i++)
      {
        guint away = i < first ? first - i : i > last ? i - last : 0;

        if (away == distance
            && (self->cache[i].texture != NULL || self->cache[i].rendering != NULL))
          {
            cache_clear_page (&self->cache[i]);
            kept--;
          }
      }
}

void
_mamori_pdf_view_clear_cache (MamoriPdfView *self)
{
  for (guint i = 0; i < _mamori_pdf_view_n_pages (self); i++)
    cache_clear_page (&self->cache[i]);
  g_clear_pointer (&self->cache, g_free);
  g_clear_pointer (&self->offsets, g_free);
}
