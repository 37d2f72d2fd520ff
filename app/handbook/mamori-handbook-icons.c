/* mamori-handbook-icons.c — the scenes' symbolic icons, drawn as vectors into the PDF
 *
 * The policy names each scene's icon from the icon theme the app shows it with; the
 * handbook draws the same SVG with librsvg, recoloured by a style sheet (symbolic icons
 * are one colour), so that the printed leaflet matches the screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <librsvg/rsvg.h>

#include "mamori-handbook-private.h"

static const char *const themes[] = { "Adwaita", "hicolor" };

static char *
find_in_theme (const char *data_dir, const char *theme, const char *file_name)
{
  g_autofree char *scalable = g_build_filename (data_dir, "icons", theme, "scalable", NULL);
  g_autoptr (GDir) dir = g_dir_open (scalable, 0, NULL);
  const char *context;

  if (dir == NULL)
    return NULL;
  while ((context = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scalable, context, file_name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static char *
find_icon (const char *icon_name)
{
  g_autofree char *file_name = g_strconcat (icon_name, ".svg", NULL);
  const char *const *system_dirs = g_get_system_data_dirs ();

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      char *path = find_in_theme (g_get_user_data_dir (), themes[t], file_name);

      for (guint i = 0; path == NULL && system_dirs[i] != NULL; i++)
        path = find_in_theme (system_dirs[i], themes[t], file_name);
      if (path != NULL)
        return path;
    }
  return NULL;
}

gboolean
mamori_handbook_draw_icon (MamoriHandbookWriter *w,
                           const char *icon_name,
                           const MamoriHandbookRect *rect,
                           guint32 color)
{
  g_autofree char *path = NULL;
  g_autofree char *css = NULL;
  /* librsvg 2.54 declares no autoptr for its handle. */
  g_autoptr (GObject) handle_object = NULL;
  RsvgHandle *handle;
  RsvgRectangle viewport = { rect->x, rect->y, rect->width, rect->height };
  cairo_t *cr = mamori_handbook_writer_get_cairo (w);
  gboolean drawn;

  if (icon_name == NULL || (path = find_icon (icon_name)) == NULL)
    return FALSE;
  handle = rsvg_handle_new_from_file (path, NULL);
  if (handle == NULL)
    return FALSE;
  handle_object = G_OBJECT (handle);

  /* Symbolic icons carry their colour in fill attributes (and some in style); a style
   * sheet overrides both. */
  css = g_strdup_printf ("* { fill: #%06x !important; stroke: none !important; }", color);
  if (!rsvg_handle_set_stylesheet (handle, (const guint8 *)css, strlen (css), NULL))
    return FALSE;

  cairo_save (cr);
  drawn = rsvg_handle_render_document (handle, cr, &viewport, NULL);
  cairo_restore (cr);
  if (drawn)
    mamori_handbook_writer_record (w, MAMORI_HANDBOOK_BOX_SHAPE, rect);
  return drawn;
}
