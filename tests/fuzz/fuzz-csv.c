/* fuzz-csv.c — libFuzzer target for the register's CSV reader (mamori-csv.h)
 *
 * Any bytes, read in each encoding: decoding and parsing never crash, leak or read out
 * of bounds (the target is built with AddressSanitizer), every field is UTF-8, every row
 * knows its line, and a file read without error reads back the same after being written
 * out again (fields with a carriage return aside: a line break inside a field is written
 * as Excel writes it, a lone LF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-csv.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
writes_back (GPtrArray *rows)
{
  for (guint r = 0; r < rows->len; r++)
    {
      MamoriCsvRow *row = g_ptr_array_index (rows, r);

      /* A row of one empty field is an empty line, which a reader skips. */
      if (row->fields->len == 1 && *(char *)g_ptr_array_index (row->fields, 0) == '\0')
        return FALSE;
      for (guint f = 0; f < row->fields->len; f++)
        if (strchr (g_ptr_array_index (row->fields, f), '\r') != NULL)
          return FALSE;
    }
  return TRUE;
}

static void
check_round_trip (GPtrArray *rows)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) errors
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_csv_error_free);
  g_autoptr (GPtrArray) again = NULL;

  for (guint r = 0; r < rows->len; r++)
    {
      MamoriCsvRow *row = g_ptr_array_index (rows, r);

      mamori_csv_append_row (out, (const char *const *)row->fields->pdata, row->fields->len);
    }
  again = mamori_csv_parse (out->str, errors);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpuint (again->len, ==, rows->len);
  for (guint r = 0; r < rows->len; r++)
    {
      MamoriCsvRow *a = g_ptr_array_index (rows, r), *b = g_ptr_array_index (again, r);

      g_assert_cmpuint (a->fields->len, ==, b->fields->len);
      for (guint f = 0; f < a->fields->len; f++)
        g_assert_cmpstr (g_ptr_array_index (a->fields, f), ==, g_ptr_array_index (b->fields, f));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const MamoriCsvEncoding encodings[]
      = { MAMORI_CSV_ENCODING_AUTO, MAMORI_CSV_ENCODING_UTF8, MAMORI_CSV_ENCODING_CP932 };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr (GPtrArray) errors
          = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_csv_error_free);
      g_autoptr (GPtrArray) rows = NULL;
      g_autofree char *text = NULL;
      MamoriCsvEncoding used;

      text = mamori_csv_decode (data, size, encodings[e], &used, errors);
      if (text == NULL)
        {
          g_assert_cmpuint (errors->len, ==, 1);
          continue;
        }
      g_assert_true (g_utf8_validate (text, -1, NULL));
      rows = mamori_csv_parse (text, errors);
      for (guint r = 0; r < rows->len; r++)
        {
          MamoriCsvRow *row = g_ptr_array_index (rows, r);

          g_assert_cmpuint (row->line, >=, 1);
          g_assert_cmpuint (row->fields->len, >=, 1);
          for (guint f = 0; f < row->fields->len; f++)
            g_assert_true (g_utf8_validate (g_ptr_array_index (row->fields, f), -1, NULL));
        }
      for (guint i = 0; i < errors->len; i++)
        g_assert_cmpuint (((MamoriCsvError *)g_ptr_array_index (errors, i))->line, >=, 1);
      if (errors->len == 0 && writes_back (rows))
        check_round_trip (rows);
    }
  return 0;
}
