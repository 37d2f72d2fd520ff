/* mamori-csv.c — CSV as Excel writes it in Japan
 *
 * libcsv does the RFC 4180 parsing, in strict mode (a quote inside an unquoted field, or
 * anything but a separator after a closing quote, is an error, as is a quote left open
 * at the end).  It does not say where it is, so the text is handed to it one physical
 * line at a time: the line being read is where an error is, and the line a row starts on
 * is the line its first field ends on less the line breaks inside that field.
 * g_convert() turns CP932 into UTF-8 (glibc's CP932 has the NEC and IBM extensions:
 * ①, ㈱, 髙, 﨑).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <csv.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-csv.h"

static const guint8 utf8_bom[] = { 0xef, 0xbb, 0xbf };

gboolean
mamori_csv_encoding_from_string (const char *text, MamoriCsvEncoding *out_encoding)
{
  static const char *const utf8[] = { "utf-8", "utf8" };
  static const char *const cp932[] = { "cp932", "shift_jis", "shift-jis", "sjis", "windows-31j" };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (utf8); i++)
    if (g_ascii_strcasecmp (text, utf8[i]) == 0)
      {
        *out_encoding = MAMORI_CSV_ENCODING_UTF8;
        return TRUE;
      }
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (cp932); i++)
    if (g_ascii_strcasecmp (text, cp932[i]) == 0)
      {
        *out_encoding = MAMORI_CSV_ENCODING_CP932;
        return TRUE;
      }
  return FALSE;
}

const char *
mamori_csv_encoding_to_string (MamoriCsvEncoding encoding)
{
  switch (encoding)
    {
    case MAMORI_CSV_ENCODING_UTF8:
      return "utf-8";
    case MAMORI_CSV_ENCODING_CP932:
      return "cp932";
    case MAMORI_CSV_ENCODING_AUTO:
    default:
      return "auto";
    }
}

void
mamori_csv_error_free (MamoriCsvError *error)
{
  if (error == NULL)
    return;
  g_free (error->message);
  g_free (error);
}

void
mamori_csv_add_error (GPtrArray *errors, guint line, guint column, const char *format, ...)
{
  MamoriCsvError *error = g_new0 (MamoriCsvError, 1);
  va_list args;

  error->line = line;
  error->column = column;
  va_start (args, format);
  error->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (errors, error);
}

char *
mamori_csv_error_to_string (const MamoriCsvError *error)
{
  return g_strdup_printf ("%u:%u: %s", error->line, error->column, error->message);
}

void
mamori_csv_row_free (MamoriCsvRow *row)
{
  if (row == NULL)
    return;
  g_ptr_array_unref (row->fields);
  g_free (row);
}

/* --- decoding ---------------------------------------------------------------------- */

/* The line and field of byte @offset: the separators and quotes are ASCII in UTF-8 and in
 * CP932 alike (no CP932 trail byte is a quote, a comma or a line feed). */
static void
locate (const guint8 *data, gsize offset, guint *out_line, guint *out_column)
{
  gboolean quoted = FALSE;
  guint line = 1, column = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '"')
        quoted = !quoted;
      else if (data[i] == ',' && !quoted)
        column++;
      else if (data[i] == '\n')
        {
          line++;
          if (!quoted)
            column = 1;
        }
    }
  *out_line = line;
  *out_column = column;
}

static char *
decode_cp932 (const guint8 *data, gsize length, gsize *out_bad)
{
  g_autoptr (GError) error = NULL;
  gsize bytes_read = 0;
  char *text = g_convert ((const char *)data, length, "UTF-8", "CP932", &bytes_read, NULL, &error);

  if (text == NULL)
    *out_bad = bytes_read;
  return text;
}

char *
mamori_csv_decode (const guint8 *data,
                   gsize length,
                   MamoriCsvEncoding encoding,
                   MamoriCsvEncoding *out_used,
                   GPtrArray *errors)
{
  gboolean bom = length >= sizeof utf8_bom && memcmp (data, utf8_bom, sizeof utf8_bom) == 0;
  const char *end = NULL;
  gsize bad = 0;
  guint line, column;
  char *text;

  if (length > MAMORI_CSV_MAX_BYTES)
    {
      mamori_csv_add_error (errors, 1, 0, _ ("The file is larger than 256 MB"));
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      locate (data, (const guint8 *)memchr (data, '\0', length) - data, &line, &column);
      mamori_csv_add_error (errors, line, column,
                            _ ("The file holds a NUL byte: it is not a CSV text file"));
      return NULL;
    }
  if (encoding == MAMORI_CSV_ENCODING_AUTO)
    encoding = bom || g_utf8_validate ((const char *)data, length, NULL)
                   ? MAMORI_CSV_ENCODING_UTF8
                   : MAMORI_CSV_ENCODING_CP932;
  *out_used = encoding;
  if (encoding == MAMORI_CSV_ENCODING_UTF8)
    {
      gsize skip = bom ? sizeof utf8_bom : 0;

      if (g_utf8_validate ((const char *)data + skip, length - skip, &end))
        return g_strndup ((const char *)data + skip, length - skip);
      locate (data, (const guint8 *)end - data, &line, &column);
      mamori_csv_add_error (errors, line, column,
                            _ ("Bytes that are not UTF-8: save the file as UTF-8, or import it "
                               "as CP932 (Shift_JIS)"));
      return NULL;
    }
  text = decode_cp932 (data, length, &bad);
  if (text != NULL)
    return text;
  locate (data, bad, &line, &column);
  mamori_csv_add_error (errors, line, column,
                        _ ("Bytes that are not CP932 (Shift_JIS): save the file as CP932 or as "
                           "UTF-8"));
  return NULL;
}

/* --- parsing ----------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *rows;
  MamoriCsvRow *row; /* being read */
  guint line;        /* the physical line being handed to libcsv */
} Reader;

static guint
count_newlines (const char *data, gsize length)
{
  guint n = 0;

  for (gsize i = 0; i < length; i++)
    n += data[i] == '\n';
  return n;
}

static void
field_read_cb (void *data, size_t length, void *user_data)
{
  Reader *reader = user_data;

  if (reader->row == NULL)
    {
      reader->row = g_new0 (MamoriCsvRow, 1);
      reader->row->fields = g_ptr_array_new_with_free_func (g_free);
      reader->row->line = reader->line - count_newlines (data, length);
    }
  g_ptr_array_add (reader->row->fields, g_strndup (data != NULL ? data : "", length));
}

static void
row_read_cb (int terminator, void *user_data)
{
  Reader *reader = user_data;

  if (reader->row != NULL)
    g_ptr_array_add (reader->rows, g_steal_pointer (&reader->row));
}

/* libcsv trims spaces and tabs around unquoted fields unless told that none is one:
 * what Excel wrote is kept as it is (the register trims names itself). */
static int
no_space (unsigned char c)
{
  return 0;
}

GPtrArray *
mamori_csv_parse (const char *text, GPtrArray *errors)
{
  return mamori_csv_parse_cancellable (text, NULL, errors, NULL);
}

/* Lines read between two looks at the cancellable. */
#define LINES_BETWEEN_CHECKS 1024

GPtrArray *
mamori_csv_parse_cancellable (const char *text,
                              GCancellable *cancellable,
                              GPtrArray *errors,
                              GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_csv_row_free);
  Reader reader = { rows, NULL, 0 };
  struct csv_parser parser;
  const char *p = text;
  gboolean failed = FALSE;
  gboolean cancelled = FALSE;

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    g_error ("libcsv could not be set up");
  csv_set_space_func (&parser, no_space);
  while (*p != '\0' && !failed)
    {
      const char *newline = strchr (p, '\n');
      gsize length = newline != NULL ? (gsize)(newline - p) + 1 : strlen (p);

      if (++reader.line % LINES_BETWEEN_CHECKS == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          cancelled = failed = TRUE;
          break;
        }
      if (csv_parse (&parser, p, length, field_read_cb, row_read_cb, &reader) != length)
        {
          guint column = reader.row != NULL ? reader.row->fields->len + 1 : 1;

          mamori_csv_add_error (errors, reader.line, column,
                                _ ("A quote (\") in the middle of a field: a field with quotes "
                                   "must be quoted whole, with each quote doubled (\"\")"));
          failed = TRUE;
        }
      p += length;
    }
  if (!failed && csv_fini (&parser, field_read_cb, row_read_cb, &reader) != 0)
    {
      guint line = reader.row != NULL ? reader.row->line : reader.line;

      mamori_csv_add_error (errors, line, reader.row != NULL ? reader.row->fields->len + 1 : 1,
                            _ ("A quoted field is not closed before the end of the file"));
      failed = TRUE;
    }
  csv_free (&parser);
  g_clear_pointer (&reader.row, mamori_csv_row_free);
  return cancelled ? NULL : g_steal_pointer (&rows);
}

/* --- writing ----------------------------------------------------------------------- */

void
mamori_csv_append_row (GString *out, const char *const *fields, guint n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');
      if (strpbrk (field, ",\"\r\n") == NULL && field[0] != ' ' && field[0] != '\t')
        {
          g_string_append (out, field);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *c = field; *c != '\0'; c++)
        {
          /* Line breaks inside a field as Excel writes them: a lone LF. */
          if (*c == '\r' && c[1] == '\n')
            continue;
          if (*c == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

GBytes *
mamori_csv_encode (const char *text, MamoriCsvEncoding encoding, GError **error)
{
  gsize length = 0;
  char *converted;

  if (encoding != MAMORI_CSV_ENCODING_CP932)
    {
      gsize text_length = strlen (text);
      guint8 *data = g_malloc (sizeof utf8_bom + text_length);

      memcpy (data, utf8_bom, sizeof utf8_bom);
      memcpy (data + sizeof utf8_bom, text, text_length);
      return g_bytes_new_take (data, sizeof utf8_bom + text_length);
    }
  converted = g_convert (text, -1, "CP932", "UTF-8", NULL, &length, error);
  return converted != NULL ? g_bytes_new_take (converted, length) : NULL;
}
