/* mamori-csv.h — CSV as Excel writes it in Japan: UTF-8 (with or without a BOM) or
 * CP932, RFC 4180 quoting, CRLF
 *
 * Reading keeps the line each row starts on (a quoted field may hold line breaks) so
 * that every error can be given as line:column.  Writing quotes what needs quoting and
 * ends every row with CRLF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  MAMORI_CSV_ENCODING_AUTO, /* a BOM or valid UTF-8 is UTF-8; anything else CP932 */
  MAMORI_CSV_ENCODING_UTF8,
  MAMORI_CSV_ENCODING_CP932,
} MamoriCsvEncoding;

/* "utf-8" or "cp932" (any case, also "utf8", "shift_jis", "sjis"). */
gboolean
mamori_csv_encoding_from_string (const char *text, MamoriCsvEncoding *out_encoding);
const char *
mamori_csv_encoding_to_string (MamoriCsvEncoding encoding);

/* Files larger than this are refused: a register of 100,000 entries is about 15 MB. */
#define MAMORI_CSV_MAX_BYTES (256 * 1024 * 1024)

/* Where a file is wrong, and why (translated). */
typedef struct
{
  guint line;   /* 1-based */
  guint column; /* 1-based field number; 0 when the whole line is wrong */
  char *message;
} MamoriCsvError;

void
mamori_csv_error_free (MamoriCsvError *error);
/* Appends a MamoriCsvError to @errors. */
void
mamori_csv_add_error (GPtrArray *errors, guint line, guint column, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
/* "line:column: message", as the command line prints it. */
char *
mamori_csv_error_to_string (const MamoriCsvError *error);

typedef struct
{
  guint line;        /* where the row starts */
  GPtrArray *fields; /* char *, UTF-8 */
} MamoriCsvRow;

void
mamori_csv_row_free (MamoriCsvRow *row);

/* @data as UTF-8 text without its BOM, and the encoding it was in; NULL with a
 * MamoriCsvError in @errors (where the first byte that is not text of the encoding is)
 * otherwise. */
char *
mamori_csv_decode (const guint8 *data,
                   gsize length,
                   MamoriCsvEncoding encoding,
                   MamoriCsvEncoding *out_used,
                   GPtrArray *errors);

/* The rows of @text (MamoriCsvRow); rows with no field are skipped.  Broken quoting is a
 * MamoriCsvError in @errors, after which nothing more is read. */
GPtrArray *
mamori_csv_parse (const char *text, GPtrArray *errors);
/* The same, looking at @cancellable every thousand lines or so: NULL with
 * G_IO_ERROR_CANCELLED once it is cancelled. */
GPtrArray *
mamori_csv_parse_cancellable (const char *text,
                              GCancellable *cancellable,
                              GPtrArray *errors,
                              GError **error);

/* Appends one row, quoted as RFC 4180 asks and ended with CRLF. */
void
mamori_csv_append_row (GString *out, const char *const *fields, guint n_fields);

/* @text (UTF-8) in @encoding: UTF-8 gets a BOM, which Excel needs to read it as UTF-8.
 * NULL with G_CONVERT_ERROR when a character has no CP932 form. */
GBytes *
mamori_csv_encode (const char *text, MamoriCsvEncoding encoding, GError **error);

G_END_DECLS
