/* mamori-pdf-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-pdf"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "mamori-pdf-document.h"

struct _MamoriPdfDocument
{
  GObject parent_instance;

  GMutex lock; /* held around every call into poppler */
  PopplerDocument *document;
  GBytes *bytes;
  char *title;
  guint n_pages;
  double *sizes; /* width, height of each page, in points */
};

G_DEFINE_FINAL_TYPE (MamoriPdfDocument, mamori_pdf_document, G_TYPE_OBJECT)

static void
mamori_pdf_document_finalize (GObject *object)
{
  MamoriPdfDocument *self = MAMORI_PDF_DOCUMENT (object);

  g_clear_object (&self->document);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->title);
  g_free (self->sizes);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mamori_pdf_document_parent_class)->finalize (object);
}

static void
mamori_pdf_document_class_init (MamoriPdfDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_pdf_document_finalize;
}

static void
mamori_pdf_document_init (MamoriPdfDocument *self)
{
  g_mutex_init (&self->lock);
}

MamoriPdfDocument *
mamori_pdf_document_new (GBytes *bytes, GError **error)
{
  g_autoptr (MamoriPdfDocument) self = g_object_new (MAMORI_TYPE_PDF_DOCUMENT, NULL);
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  self->bytes = g_bytes_ref (bytes);
  self->document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (self->document == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("Not a PDF that can be read: %s"),
                   local_error->message);
      return NULL;
    }

  self->title = poppler_document_get_title (self->document);
  self->n_pages = poppler_document_get_n_pages (self->document);
  self->sizes = g_new (double, 2 * MAX (self->n_pages, 1));
  for (guint i = 0; i < self->n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->document, i);

      poppler_page_get_size (page, &self->sizes[2 * i], &self->sizes[2 * i + 1]);
      g_object_unref (page);
    }
  return g_steal_pointer (&self);
}

static void
new_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  MamoriPdfDocument *document = mamori_pdf_document_new (task_data, &error);

  if (document != NULL)
    g_task_return_pointer (task, document, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
mamori_pdf_document_new_async (GBytes *bytes,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mamori_pdf_document_new_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
  g_task_run_in_thread (task, new_thread);
}

MamoriPdfDocument *
mamori_pdf_document_new_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
mamori_pdf_document_get_bytes (MamoriPdfDocument *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_DOCUMENT (self), NULL);
  return self->bytes;
}

const char *
mamori_pdf_document_get_title (MamoriPdfDocument *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_DOCUMENT (self), NULL);
  return self->title;
}

guint
mamori_pdf_document_get_n_pages (MamoriPdfDocument *self)
{
  g_return_val_if_fail (MAMORI_IS_PDF_DOCUMENT (self), 0);
  return self->n_pages;
}

void
mamori_pdf_document_get_page_size (MamoriPdfDocument *self,
                                   guint page,
                                   double *out_width,
                                   double *out_height)
{
  g_return_if_fail (MAMORI_IS_PDF_DOCUMENT (self));
  g_return_if_fail (page < self->n_pages);

  *out_width = self->sizes[2 * page];
  *out_height = self->sizes[2 * page + 1];
}

/* --- rendering ------------------------------------------------------------------- */

typedef struct
{
  guint page;
  double scale;
} RenderJob;

/* The surface becomes the texture's memory without a copy (as Papers does): the bytes
 * hold a reference to the surface. */
static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr (GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new_with_free_func (
      cairo_image_surface_get_data (surface),
      (gsize)cairo_image_surface_get_height (surface) * cairo_image_surface_get_stride (surface),
      (GDestroyNotify)cairo_surface_destroy, cairo_surface_reference (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                 cairo_image_surface_get_height (surface), GDK_MEMORY_DEFAULT,
                                 bytes, cairo_image_surface_get_stride (surface));
}

GdkTexture *
mamori_pdf_document_render (MamoriPdfDocument *self, guint page_index, double scale)
{
  int width = MAX (1, (int)ceil (self->sizes[2 * page_index] * scale));
  int height = MAX (1, (int)ceil (self->sizes[2 * page_index + 1] * scale));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;
  PopplerPage *page;

  cairo_scale (cr, scale, scale);
  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->document, page_index);
  poppler_page_render (page, cr);
  g_object_unref (page);
  g_mutex_unlock (&self->lock);

  /* Paper is white: paint it under what the page drew. */
  cairo_set_operator (cr, CAIRO_OPERATOR_DEST_OVER);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);

  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  return texture;
}

static void
render_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RenderJob *job = task_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, mamori_pdf_document_render (source, job->page, job->scale),
                         g_object_unref);
}

void
mamori_pdf_document_render_async (MamoriPdfDocument *self,
                                  guint page,
                                  double scale,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  RenderJob *job = g_new (RenderJob, 1);

  g_return_if_fail (MAMORI_IS_PDF_DOCUMENT (self));
  g_return_if_fail (page < self->n_pages);

  *job = (RenderJob){ page, scale };
  g_task_set_source_tag (task, mamori_pdf_document_render_async);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, render_thread);
}

GdkTexture *
mamori_pdf_document_render_finish (MamoriPdfDocument *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mamori_pdf_document_render_for_printing (MamoriPdfDocument *self, guint page_index, cairo_t *cr)
{
  PopplerPage *page;

  g_return_if_fail (MAMORI_IS_PDF_DOCUMENT (self));
  g_return_if_fail (page_index < self->n_pages);

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->document, page_index);
  poppler_page_render_for_printing (page, cr);
  g_object_unref (page);
  g_mutex_unlock (&self->lock);
}

/* --- search ----------------------------------------------------------------------- */

static void
find_on_page (MamoriPdfDocument *self, guint page_index, const char *text, GArray *matches)
{
  PopplerPage *page;
  GList *found;
  MamoriPdfMatch match = { .page = page_index };
  double height = self->sizes[2 * page_index + 1];

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->document, page_index);
  found = poppler_page_find_text_with_options (page, text,
                                               POPPLER_FIND_DEFAULT | POPPLER_FIND_MULTILINE);
  g_object_unref (page);
  g_mutex_unlock (&self->lock);

  for (GList *l = found; l != NULL; l = l->next)
    {
      PopplerRectangle *rect = l->data;

      /* Poppler counts y from the bottom of the page. */
      if (match.n_rects < G_N_ELEMENTS (match.rects))
        graphene_rect_init (&match.rects[match.n_rects++], rect->x1, height - rect->y2,
                            rect->x2 - rect->x1, rect->y2 - rect->y1);
      if (!poppler_rectangle_find_get_match_continued (rect))
        {
          g_array_append_val (matches, match);
          match.n_rects = 0;
        }
    }
  g_list_free_full (found, (GDestroyNotify)poppler_rectangle_free);
}

static void
find_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriPdfDocument *self = source;
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (MamoriPdfMatch));

  for (guint i = 0; i < self->n_pages; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      find_on_page (self, i, task_data, matches);
    }
  g_task_return_pointer (task, g_steal_pointer (&matches), (GDestroyNotify)g_array_unref);
}

void
mamori_pdf_document_find_async (MamoriPdfDocument *self,
                                const char *text,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (MAMORI_IS_PDF_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  g_task_set_source_tag (task, mamori_pdf_document_find_async);
  g_task_set_task_data (task, g_strdup (text), g_free);
  g_task_run_in_thread (task, find_thread);
}

GArray *
mamori_pdf_document_find_finish (MamoriPdfDocument *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
