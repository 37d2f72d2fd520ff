/* mamori-register-xlsx.c — the register as XLSX, with libxlsxwriter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "mamori-register-places.h"
#include "mamori-register-private.h"
#include "mamori-register-xlsx.h"

/* Column widths, in characters of the default font; a wide character counts two. */
#define WIDTH_MIN 6
#define WIDTH_MAX 60
/* A cell holds at most 32,767 characters; a place's list of names stops well before. */
#define CELL_MAX_CHARS 20000

/* Tints for the levels, most sensitive first; levels past the last take the last. */
static const lxw_color_t level_tints[] = { 0xF4CCCC, 0xFCE5CD, 0xFFF2CC, 0xD9EAD3, 0xCFE2F3 };

typedef struct
{
  lxw_workbook *workbook;
  lxw_format *header;
  GPtrArray *tints; /* lxw_format *, by level rank (owned by the workbook) */
} Book;

static double
text_width (const char *text)
{
  double width = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static void
fit (GArray *widths, guint column, const char *text)
{
  double *width = &g_array_index (widths, double, column);
  double w = MIN (text_width (text) + 2, WIDTH_MAX);

  *width = MAX (*width, MAX (w, WIDTH_MIN));
}

static void
set_widths (lxw_worksheet *sheet, GArray *widths)
{
  for (guint i = 0; i < widths->len; i++)
    worksheet_set_column (sheet, i, i, g_array_index (widths, double, i), NULL);
}

static void
write_header (Book *book, lxw_worksheet *sheet, const char *const *headers, guint n, GArray *widths)
{
  for (guint i = 0; i < n; i++)
    {
      worksheet_write_string (sheet, 0, i, headers[i], book->header);
      fit (widths, i, headers[i]);
    }
  worksheet_freeze_panes (sheet, 1, 0);
}

static lxw_format *
level_format (Book *book, MamoriLevel *level)
{
  guint rank;

  if (level == NULL)
    return NULL;
  rank = MIN (mamori_level_get_rank (level), G_N_ELEMENTS (level_tints) - 1);
  return g_ptr_array_index (book->tints, rank);
}

static void
write_register (Book *book, MamoriPolicy *policy, GPtrArray *entries)
{
  lxw_worksheet *sheet = workbook_add_worksheet (book->workbook, "台帳");
  g_autoptr (GArray) columns = _mamori_register_columns (policy);
  g_autoptr (GArray) widths = g_array_new (FALSE, TRUE, sizeof (double));
  g_autofree const char **headers = g_new0 (const char *, columns->len);

  g_array_set_size (widths, columns->len);
  for (guint i = 0; i < columns->len; i++)
    headers[i] = _mamori_register_column_header (&g_array_index (columns, MamoriRegisterColumn, i));
  write_header (book, sheet, headers, columns->len, widths);
  for (guint e = 0; e < entries->len; e++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, e);

      for (guint i = 0; i < columns->len; i++)
        {
          const MamoriRegisterColumn *column = &g_array_index (columns, MamoriRegisterColumn, i);
          g_autofree char *value = _mamori_register_column_value (policy, entry, column);
          lxw_format *format
              = column->field == MAMORI_REGISTER_FIELD_LEVEL
                    ? level_format (book, mamori_register_entry_get_level (entry, policy))
                    : NULL;

          if (value == NULL || *value == '\0')
            {
              if (format != NULL)
                worksheet_write_blank (sheet, e + 1, i, format);
              continue;
            }
          worksheet_write_string (sheet, e + 1, i, value, format);
          fit (widths, i, value);
        }
    }
  set_widths (sheet, widths);
}

static char *
place_names (const MamoriRegisterPlace *place)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < place->entries->len; i++)
    {
      const MamoriRegisterEntry *entry = g_ptr_array_index (place->entries, i);

      if (g_utf8_strlen (names->str, -1) > CELL_MAX_CHARS)
        {
          g_string_append (names, "、…");
          break;
        }
      g_string_append_printf (names, "%s%s", i > 0 ? "、" : "", entry->name);
      if (entry->qualifier != NULL)
        g_string_append_printf (names, "（%s）", entry->qualifier);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
write_places (Book *book, MamoriPolicy *policy, GPtrArray *entries)
{
  const char *const headers[] = { "保管場所", "重要度", "件数", "情報資産" };
  lxw_worksheet *sheet = workbook_add_worksheet (book->workbook, "保管場所");
  g_autoptr (GPtrArray) places = mamori_register_places (policy, entries);
  g_autoptr (GArray) widths = g_array_new (FALSE, TRUE, sizeof (double));

  g_array_set_size (widths, G_N_ELEMENTS (headers));
  write_header (book, sheet, headers, G_N_ELEMENTS (headers), widths);
  for (guint p = 0; p < places->len; p++)
    {
      MamoriRegisterPlace *place = g_ptr_array_index (places, p);
      const char *location = place->location != NULL ? place->location : "（未設定）";
      const char *level = place->level != NULL ? mamori_level_get_label (place->level) : "";
      g_autofree char *names = place_names (place);

      worksheet_write_string (sheet, p + 1, 0, location, NULL);
      worksheet_write_string (sheet, p + 1, 1, level, level_format (book, place->level));
      worksheet_write_number (sheet, p + 1, 2, place->entries->len, NULL);
      worksheet_write_string (sheet, p + 1, 3, names, NULL);
      fit (widths, 0, location);
      fit (widths, 1, level);
      fit (widths, 3, names);
    }
  set_widths (sheet, widths);
}

gboolean
mamori_register_export_xlsx (MamoriPolicy *policy,
                             GPtrArray *entries,
                             const char *path,
                             GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.part-%08x", path, g_random_int ());
  g_autoptr (GPtrArray) tints = g_ptr_array_new ();
  Book book = { NULL, NULL, tints };
  lxw_error status;

  book.workbook = workbook_new (tmp);
  if (book.workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write %s"), path);
      return FALSE;
    }
  book.header = workbook_add_format (book.workbook);
  format_set_bold (book.header);
  format_set_bottom (book.header, LXW_BORDER_THIN);
  format_set_bg_color (book.header, 0xEEEEEE);
  for (guint i = 0; i < G_N_ELEMENTS (level_tints); i++)
    {
      lxw_format *tint = workbook_add_format (book.workbook);

      format_set_bg_color (tint, level_tints[i]);
      g_ptr_array_add (tints, tint);
    }
  write_register (&book, policy, entries);
  write_places (&book, policy, entries);
  status = workbook_close (book.workbook);
  if (status != LXW_NO_ERROR)
    {
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write %s: %s"), path,
                   lxw_strerror (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Cannot write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
