/* mamori-pdf-view-private.h — what mamori-pdf-view.c and mamori-pdf-view-pages.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-pdf-view.h"

G_BEGIN_DECLS

#define GAP 16.0
#define CACHE_SIZE 16
#define MIN_SCALE 0.25
#define MAX_SCALE 8.0
#define ZOOM_STEP 1.2

typedef struct
{
  GdkTexture *texture;
  double scale;            /* of the texture */
  GCancellable *rendering; /* a render under way, or NULL */
  double rendering_scale;
} PageCache;

struct _MamoriPdfView
{
  GtkWidget parent_instance;

  MamoriPdfDocument *document;
  PageCache *cache; /* one per page */
  double *offsets;  /* top of each page at scale 1, without the gaps */

  GtkAdjustment *hadjustment, *vadjustment;
  GtkScrollablePolicy hscroll_policy, vscroll_policy;

  MamoriPdfZoomMode zoom_mode;
  double scale;
  double max_width, total_height; /* in points */
  guint page;

  /* Notifications of a zoom or page change found while allocating, sent once the frame
   * is laid out: listeners change labels, which must not happen during an allocation. */
  guint notify_source;
  gboolean scale_changed;

  GArray *matches; /* MamoriPdfMatch */
  guint current_match;
  gboolean scroll_to_match;
};

guint
_mamori_pdf_view_n_pages (MamoriPdfView *self);
void
_mamori_pdf_view_page_size (MamoriPdfView *self, guint page, double *width, double *height);
/* The page's rectangle in content coordinates (before scrolling). */
void
_mamori_pdf_view_page_rect (MamoriPdfView *self, guint page, graphene_rect_t *rect);
/* The pages between content y @top and @bottom. */
void
_mamori_pdf_view_pages_between (
    MamoriPdfView *self, double top, double bottom, guint *first, guint *last);
/* The scale textures are rendered at: the view's, in device pixels. */
double
_mamori_pdf_view_render_scale (MamoriPdfView *self);
/* Renders what is in sight and a screen around it; forgets the farthest beyond the
 * cache's size. */
void
_mamori_pdf_view_update_renders (MamoriPdfView *self);
/* Forgets every texture, and the layout. */
void
_mamori_pdf_view_clear_cache (MamoriPdfView *self);

G_END_DECLS
