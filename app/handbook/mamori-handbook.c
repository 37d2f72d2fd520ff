/* mamori-handbook.c — a laid-out handbook or leaflet, and its PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "mamori-booklet.h"
#include "mamori-handbook-private.h"

#define MM (72.0 / 25.4)

struct _MamoriHandbook
{
  GObject parent_instance;

  MamoriHandbookKind kind;
  double page_width, page_height;
  MamoriHandbookRect block;
  char *title;
  char *subject;
  GDateTime *date;

  GPtrArray *pages; /* cairo_surface_t, recordings */
  GArray *boxes;    /* MamoriHandbookBox */
  GArray *outline;  /* MamoriOutlineEntry */
  guint n_check_items;
};

G_DEFINE_FINAL_TYPE (MamoriHandbook, mamori_handbook, G_TYPE_OBJECT)

G_DEFINE_QUARK (mamori - handbook - error - quark, mamori_handbook_error)

void
mamori_handbook_paper_get_size (MamoriHandbookPaper paper, double *out_width, double *out_height)
{
  switch (paper)
    {
    case MAMORI_HANDBOOK_PAPER_A4:
      *out_width = 210 * MM;
      *out_height = 297 * MM;
      break;

    case MAMORI_HANDBOOK_PAPER_B5:
    default:
      /* JIS B5, the size of Japanese school handbooks (ISO B5 is 176 × 250 mm). */
      *out_width = 182 * MM;
      *out_height = 257 * MM;
      break;
    }
}

gboolean
mamori_handbook_paper_from_string (const char *text, MamoriHandbookPaper *out_paper)
{
  if (g_ascii_strcasecmp (text, "b5") == 0)
    *out_paper = MAMORI_HANDBOOK_PAPER_B5;
  else if (g_ascii_strcasecmp (text, "a4") == 0)
    *out_paper = MAMORI_HANDBOOK_PAPER_A4;
  else
    return FALSE;
  return TRUE;
}

static void
mamori_handbook_finalize (GObject *object)
{
  MamoriHandbook *self = MAMORI_HANDBOOK (object);

  g_free (self->title);
  g_free (self->subject);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->boxes, g_array_unref);
  g_clear_pointer (&self->outline, g_array_unref);

  G_OBJECT_CLASS (mamori_handbook_parent_class)->finalize (object);
}

static void
mamori_handbook_class_init (MamoriHandbookClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_handbook_finalize;
}

static void
mamori_handbook_init (MamoriHandbook *self)
{
}

/* The text block: a booklet's margins leave room for the running header and the page
 * number; the leaflet, made to hang on a wall, uses more of its sheet. */
static void
text_block (MamoriHandbookKind kind,
            MamoriHandbookPaper paper,
            double width,
            double height,
            MamoriHandbookRect *block)
{
  double top, bottom, side;

  if (kind == MAMORI_HANDBOOK_KIND_LEAFLET)
    top = bottom = side = 12 * MM;
  else if (paper == MAMORI_HANDBOOK_PAPER_A4)
    {
      top = 24 * MM;
      bottom = 22 * MM;
      side = 22 * MM;
    }
  else
    {
      top = 21 * MM;
      bottom = 19 * MM;
      side = 17 * MM;
    }
  *block = (MamoriHandbookRect){ side, top, width - 2 * side, height - top - bottom };
}

static int
compare_outline (gconstpointer a, gconstpointer b)
{
  const MamoriOutlineEntry *ea = a, *eb = b;

  if (ea->page != eb->page)
    return ea->page < eb->page ? -1 : 1;
  return ea->y < eb->y ? -1 : ea->y > eb->y;
}

MamoriHandbook *
mamori_handbook_new (MamoriHandbookSource *source,
                     MamoriHandbookKind kind,
                     MamoriHandbookPaper paper,
                     GError **error)
{
  g_autoptr (MamoriHandbook) self = NULL;
  g_autoptr (MamoriHandbookWriter) w = NULL;
  const char *school;

  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (source), NULL);

  self = g_object_new (MAMORI_TYPE_HANDBOOK, NULL);
  self->kind = kind;
  if (kind == MAMORI_HANDBOOK_KIND_LEAFLET)
    paper = MAMORI_HANDBOOK_PAPER_A4;
  mamori_handbook_paper_get_size (paper, &self->page_width, &self->page_height);
  text_block (kind, paper, self->page_width, self->page_height, &self->block);

  if (kind == MAMORI_HANDBOOK_KIND_LEAFLET)
    mamori_handbook_lay_out_leaflet (source, self->page_width, self->page_height, &self->block, &w,
                                     error);
  else
    {
      w = mamori_handbook_writer_new (self->page_width, self->page_height, &self->block, 1.0,
                                      error);
      if (w != NULL)
        self->n_check_items = mamori_handbook_lay_out_booklet (w, source);
    }
  if (w == NULL)
    return NULL;

  self->pages = mamori_handbook_writer_steal_pages (w);
  self->boxes = mamori_handbook_writer_steal_boxes (w);
  self->outline = mamori_handbook_writer_steal_outline (w);
  g_array_sort (self->outline, compare_outline);

  school = mamori_handbook_source_get_school (source);
  self->title
      = g_strdup_printf ("%s%s%s",
                         kind == MAMORI_HANDBOOK_KIND_LEAFLET ? "毎日の情報セキュリティ"
                                                              : "学校情報セキュリティハンドブック",
                         *school != '\0' ? "　" : "", school);
  self->subject = g_strdup (mamori_policy_get_title (mamori_handbook_source_get_policy (source)));
  self->date = g_date_time_ref (mamori_handbook_source_get_date (source));

  return g_steal_pointer (&self);
}

MamoriHandbookKind
mamori_handbook_get_kind (MamoriHandbook *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK (self), 0);
  return self->kind;
}

guint
mamori_handbook_get_n_pages (MamoriHandbook *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK (self), 0);
  return self->pages->len;
}

void
mamori_handbook_get_page_size (MamoriHandbook *self, double *out_width, double *out_height)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK (self));
  *out_width = self->page_width;
  *out_height = self->page_height;
}

void
mamori_handbook_get_text_block (MamoriHandbook *self, MamoriHandbookRect *out_rect)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK (self));
  *out_rect = self->block;
}

const MamoriHandbookBox *
mamori_handbook_get_boxes (MamoriHandbook *self, guint *n_boxes)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK (self), NULL);
  *n_boxes = self->boxes->len;
  return (const MamoriHandbookBox *)self->boxes->data;
}

guint
mamori_handbook_get_n_check_items (MamoriHandbook *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK (self), 0);
  return self->n_check_items;
}

/* --- PDF ------------------------------------------------------------------------- */

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
paint_page (cairo_t *cr, cairo_surface_t *page, double x)
{
  cairo_save (cr);
  cairo_set_source_surface (cr, page, x, 0);
  cairo_paint (cr);
  cairo_restore (cr);
}

GBytes *
mamori_handbook_to_pdf (MamoriHandbook *self, gboolean booklet, GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  double sheet_width = booklet ? 2 * self->page_width : self->page_width;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *date = g_date_time_format (self->date, "%Y-%m-%dT%H:%M:%S%:z");

  g_return_val_if_fail (MAMORI_IS_HANDBOOK (self), NULL);

  surface = cairo_pdf_surface_create_for_stream (append_cb, data, sheet_width, self->page_height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, self->subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mamori " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cr = cairo_create (surface);

  if (booklet)
    for (guint side = 0; side < mamori_booklet_get_n_sides (self->pages->len); side++)
      {
        int left, right;

        mamori_booklet_get_side (self->pages->len, side, &left, &right);
        if (left >= 0)
          paint_page (cr, g_ptr_array_index (self->pages, left), 0);
        if (right >= 0)
          paint_page (cr, g_ptr_array_index (self->pages, right), self->page_width);
        cairo_show_page (cr);
      }
  else
    {
      for (guint i = 0; i < self->pages->len; i++)
        {
          paint_page (cr, g_ptr_array_index (self->pages, i), 0);
          cairo_show_page (cr);
        }
      /* Bookmarks to the sections: the page numbers of an imposed booklet are sheets. */
      for (guint i = 0; i < self->outline->len; i++)
        {
          MamoriOutlineEntry *entry = &g_array_index (self->outline, MamoriOutlineEntry, i);
          g_autofree char *link
              = g_strdup_printf ("page=%u pos=[0 %.0f]", entry->page + 1, entry->y);

          cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, entry->title, link, 0);
        }
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE,
                   _ ("Could not make the PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static gboolean
write_all (int fd, const guint8 *data, gsize length)
{
  while (length > 0)
    {
      ssize_t written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      data += written;
      length -= written;
    }
  return TRUE;
}

gboolean
mamori_handbook_save_bytes (GBytes *bytes, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *hidden = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temp = g_build_filename (dir, hidden, NULL);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  int fd;
  int saved_errno;

  g_return_val_if_fail (bytes != NULL && path != NULL, FALSE);

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE,
                   _ ("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_all (fd, data, length) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (temp);
      g_set_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE,
                   _ ("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (close (fd) != 0 || g_rename (temp, path) != 0)
    {
      saved_errno = errno;
      g_unlink (temp);
      g_set_error (error, MAMORI_HANDBOOK_ERROR, MAMORI_HANDBOOK_ERROR_WRITE,
                   _ ("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

void
mamori_handbook_release_font_caches (void)
{
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
}
