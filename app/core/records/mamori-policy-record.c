/* mamori-policy-record.c — the policy the school uses, as a signed record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-policy-record.h"
#include "mamori-roster.h"

/* Runs @data through @converter (GZlibCompressor or -Decompressor) in one go; NULL when
 * it fails or the output would pass @limit bytes. */
static GBytes *
convert (GConverter *converter, GBytes *data, gsize limit, GError **error)
{
  g_autoptr (GInputStream) base = g_memory_input_stream_new_from_bytes (data);
  g_autoptr (GInputStream) stream = g_converter_input_stream_new (base, converter);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 buffer[16384];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, error)) > 0)
    {
      if (out->len + (gsize)n > limit)
        {
          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                       _ ("The policy document is larger than %u MiB"),
                       (guint)(limit / (1024 * 1024)));
          return NULL;
        }
      g_byte_array_append (out, buffer, n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* @policy's document as the policy writes it: kept as is (the order of its members is the
 * order the policy gives things in), carried in the event as an opaque, compressed
 * string. */
static GBytes *
policy_document (MamoriPolicy *policy)
{
  gsize length;
  char *json = mamori_policy_to_json (policy, &length);

  return g_bytes_new_take (json, length);
}

static char *
sha256_hex (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

JsonNode *
mamori_policy_installed_body (MamoriPolicy *policy, const char *levels_mapped, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr (GBytes) document = policy_document (policy);
  g_autoptr (GBytes) compressed = NULL;
  g_autofree char *sha256 = NULL, *base64 = NULL;

  compressed = convert (G_CONVERTER (compressor), document, G_MAXSIZE, error);
  if (compressed == NULL)
    return NULL;
  sha256 = sha256_hex (document);
  base64 = g_base64_encode (g_bytes_get_data (compressed, NULL), g_bytes_get_size (compressed));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "policy");
  json_builder_add_string_value (builder, mamori_policy_get_id (policy));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, mamori_policy_get_title (policy));
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_set_member_name (builder, "document");
  json_builder_add_string_value (builder, base64);
  if (levels_mapped != NULL)
    {
      json_builder_set_member_name (builder, "levels_mapped");
      json_builder_add_string_value (builder, levels_mapped);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The document the body carries, checked against its hash and read as a policy. */
static GBytes *
read_document (const MamoriEvent *event, GError **error)
{
  g_autoptr (GZlibDecompressor) decompressor
      = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  const char *sha256 = mamori_event_body_string (event, "sha256", error);
  const char *base64 = sha256 != NULL ? mamori_event_body_string (event, "document", error) : NULL;
  g_autoptr (GBytes) compressed = NULL, document = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *hash = NULL;
  guchar *bytes;
  gsize length = 0;

  if (base64 == NULL)
    return NULL;
  bytes = g_base64_decode (base64, &length);
  compressed = g_bytes_new_take (bytes, length);
  document
      = convert (G_CONVERTER (decompressor), compressed, MAMORI_POLICY_DOCUMENT_MAX, &local_error);
  if (document == NULL)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                   _ ("The policy document of the event cannot be read: %s"),
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  hash = sha256_hex (document);
  if (!g_str_equal (hash, sha256))
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                           _ ("The policy document of the event does not match its SHA-256"));
      return NULL;
    }
  policy
      = mamori_policy_new_from_data (g_bytes_get_data (document, NULL), g_bytes_get_size (document),
                                     "policy-installed", &local_error);
  if (policy == NULL)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                   _ ("The event’s policy is not valid: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&document);
}

static gboolean
fold_policy_installed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  g_autoptr (GBytes) document = NULL;

  if (author == NULL)
    return FALSE;
  if (!mamori_role_is_administrator (author->role))
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
                   _ ("%s is %s: only the principal, the vice-principal or the board of "
                      "education can change the school’s policy"),
                   author->name, mamori_role_get_label (author->role));
      return FALSE;
    }
  document = read_document (event, error);
  if (document == NULL)
    return FALSE;
  stmt = mamori_db_statement (db, "INSERT INTO policy (json, installed_at, seq) VALUES (?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, g_bytes_get_data (document, NULL), g_bytes_get_size (document),
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, event->seq);
  return mamori_db_step_done (db, stmt, error);
}

static const MamoriEventHandler handlers[] = {
  { MAMORI_EVENT_POLICY_INSTALLED, fold_policy_installed },
};

/* Policies stored before the policy was a record (seq NULL) are history no event
 * gives back: a rebuild keeps them. */
const MamoriFoldModule mamori_policy_fold_module = {
  handlers,
  G_N_ELEMENTS (handlers),
  "DELETE FROM policy WHERE seq IS NOT NULL;",
};
