/* mamori-event.c — one signed event of the school's records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-canonical-json.h"
#include "mamori-event.h"

G_DEFINE_QUARK (mamori - records - error - quark, mamori_records_error)

/* The payload's members, in the order they are written. */
static const char *const envelope_members[]
    = { "v", "type", "school", "author", "author_seq", "prev", "created_at", "body" };

void
mamori_event_free (MamoriEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->type);
  g_free (event->school);
  g_free (event->created_at);
  g_free (event->effect);
  g_clear_pointer (&event->body, json_node_unref);
  g_clear_pointer (&event->payload, g_bytes_unref);
  g_free (event);
}

void
mamori_event_hash (const guint8 *data, gsize length, guint8 out_id[MAMORI_EVENT_ID_SIZE])
{
  gcry_md_hash_buffer (GCRY_MD_SHA256, out_id, data, length);
}

char *
mamori_hex_encode (const guint8 *bytes, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  char *text = g_malloc (2 * len + 1);

  for (gsize i = 0; i < len; i++)
    {
      text[2 * i] = digits[bytes[i] >> 4];
      text[2 * i + 1] = digits[bytes[i] & 0xf];
    }
  text[2 * len] = '\0';
  return text;
}

static int
lower_hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gboolean
mamori_hex_decode (const char *text, guint8 *out, gsize len)
{
  if (text == NULL || strlen (text) != 2 * len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int hi = lower_hex_value (text[2 * i]), lo = lower_hex_value (text[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = hi << 4 | lo;
    }
  return TRUE;
}

char *
mamori_event_format_time (GDateTime *time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("Not a valid event: %s"), what);
  return FALSE;
}

static gboolean
valid_type (const char *type)
{
  gsize len = strlen (type);

  if (len == 0 || len > MAMORI_EVENT_TYPE_MAX || !g_ascii_islower (type[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (type[i]) && !g_ascii_isdigit (type[i]) && type[i] != '-')
      return FALSE;
  return type[len - 1] != '-';
}

static gboolean
valid_school (const char *school)
{
  guint8 bytes[MAMORI_SCHOOL_ID_LEN / 2];

  return mamori_hex_decode (school, bytes, sizeof bytes);
}

/* The exact form mamori_event_format_time() writes, and a real time. */
static gboolean
valid_time (const char *text)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *again = NULL;

  if (strlen (text) != strlen (pattern))
    return FALSE;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
      return FALSE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return FALSE;
  again = mamori_event_format_time (time);
  return g_str_equal (again, text);
}

/* The payload of an event with these members; NULL when the body has no canonical
 * form. */
static GBytes *
build_payload (const MamoriEvent *event)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *author = mamori_hex_encode (event->author, sizeof event->author);

  g_string_append_printf (out, "{\"v\":%d,\"type\":", MAMORI_EVENT_FORMAT_VERSION);
  mamori_canonical_json_append_string (out, event->type);
  g_string_append (out, ",\"school\":");
  mamori_canonical_json_append_string (out, event->school);
  g_string_append_printf (out, ",\"author\":\"%s\",\"author_seq\":%" G_GINT64_FORMAT ",\"prev\":",
                          author, event->author_seq);
  if (event->has_prev)
    {
      g_autofree char *prev = mamori_hex_encode (event->prev, sizeof event->prev);

      g_string_append_printf (out, "\"%s\"", prev);
    }
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"created_at\":");
  mamori_canonical_json_append_string (out, event->created_at);
  g_string_append (out, ",\"body\":");
  if (!mamori_canonical_json_append (out, event->body))
    return NULL;
  g_string_append_c (out, '}');
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
check_members (const MamoriEvent *event, GError **error)
{
  if (!valid_type (event->type))
    return invalid (error, _ ("the type must be lowercase words joined by hyphens"));
  if (!valid_school (event->school))
    return invalid (error, _ ("the school id must be 32 lowercase hex digits"));
  if (event->author_seq < 1)
    return invalid (error, _ ("author_seq must be 1 or more"));
  if ((event->author_seq == 1) == event->has_prev)
    return invalid (error, _ ("prev must be null for an author’s first event, and only then"));
  if (!valid_time (event->created_at))
    return invalid (error, _ ("created_at must be a UTC time written as 2026-04-01T09:00:00Z"));
  if (event->body == NULL || !JSON_NODE_HOLDS_OBJECT (event->body))
    return invalid (error, _ ("the body must be an object"));
  return TRUE;
}

MamoriEvent *
mamori_event_new (const char *type,
                  const char *school,
                  const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                  gint64 author_seq,
                  const guint8 *prev,
                  GDateTime *created_at,
                  JsonNode *body,
                  GError **error)
{
  g_autoptr (MamoriEvent) event = g_new0 (MamoriEvent, 1);
  gsize length;
  const guint8 *data;

  event->type = g_strdup (type);
  event->school = g_strdup (school);
  memcpy (event->author, author, sizeof event->author);
  event->author_seq = author_seq;
  event->has_prev = prev != NULL;
  if (prev != NULL)
    memcpy (event->prev, prev, sizeof event->prev);
  event->created_at = mamori_event_format_time (created_at);
  event->body = body;

  if (!check_members (event, error))
    return NULL;
  event->payload = build_payload (event);
  if (event->payload == NULL)
    {
      invalid (error, _ ("the body holds a value with no canonical form (a fraction or a string "
                         "that is not UTF-8)"));
      return NULL;
    }
  data = g_bytes_get_data (event->payload, &length);
  if (length > MAMORI_EVENT_PAYLOAD_MAX)
    {
      invalid (error, _ ("the payload is larger than 60 KiB"));
      return NULL;
    }
  mamori_event_hash (data, length, event->id);
  return g_steal_pointer (&event);
}

/* A member of the payload object, of the JSON kind wanted. */
static JsonNode *
member (JsonObject *object, const char *name, GType value_type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return NULL;
  if (value_type == G_TYPE_NONE)
    return node;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != value_type)
    return NULL;
  return node;
}

static gboolean
parse_envelope (MamoriEvent *event, JsonObject *root, GError **error)
{
  JsonNode *v, *type, *school, *author, *author_seq, *prev, *created_at, *body;

  if (json_object_get_size (root) != G_N_ELEMENTS (envelope_members))
    return invalid (error, _ ("the payload must have exactly the members v, type, school, "
                              "author, author_seq, prev, created_at and body"));
  v = member (root, "v", G_TYPE_INT64);
  if (v == NULL)
    return invalid (error, _ ("v is missing"));
  if (json_node_get_int (v) != MAMORI_EVENT_FORMAT_VERSION)
    return invalid (error, _ ("this version of Mamori reads events of format 1 only"));
  type = member (root, "type", G_TYPE_STRING);
  school = member (root, "school", G_TYPE_STRING);
  author = member (root, "author", G_TYPE_STRING);
  author_seq = member (root, "author_seq", G_TYPE_INT64);
  prev = member (root, "prev", G_TYPE_NONE);
  created_at = member (root, "created_at", G_TYPE_STRING);
  body = member (root, "body", G_TYPE_NONE);
  if (type == NULL || school == NULL || author == NULL || author_seq == NULL || prev == NULL
      || created_at == NULL || body == NULL)
    return invalid (error, _ ("a member is missing or of the wrong kind"));

  event->type = g_strdup (json_node_get_string (type));
  event->school = g_strdup (json_node_get_string (school));
  event->created_at = g_strdup (json_node_get_string (created_at));
  event->author_seq = json_node_get_int (author_seq);
  event->body = json_node_copy (body);
  if (!mamori_hex_decode (json_node_get_string (author), event->author, sizeof event->author))
    return invalid (error, _ ("author must be 64 lowercase hex digits"));
  if (JSON_NODE_HOLDS_NULL (prev))
    event->has_prev = FALSE;
  else if (JSON_NODE_HOLDS_VALUE (prev) && json_node_get_value_type (prev) == G_TYPE_STRING
           && mamori_hex_decode (json_node_get_string (prev), event->prev, sizeof event->prev))
    event->has_prev = TRUE;
  else
    return invalid (error, _ ("prev must be null or 64 lowercase hex digits"));
  return check_members (event, error);
}

MamoriEvent *
mamori_event_parse (GBytes *payload, const guint8 sig[MAMORI_SIGNATURE_SIZE], GError **error)
{
  g_autoptr (MamoriEvent) event = g_new0 (MamoriEvent, 1);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) again = NULL;
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);

  if (length == 0 || length > MAMORI_EVENT_PAYLOAD_MAX)
    {
      invalid (error, _ ("the payload is empty or larger than 60 KiB"));
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL)
      || !json_parser_load_from_data (parser, data, length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, _ ("the payload is not a JSON object in UTF-8"));
      return NULL;
    }
  if (!parse_envelope (event, json_node_get_object (json_parser_get_root (parser)), error))
    return NULL;

  /* One meaning, one form: a payload that is not exactly what this event writes (member
   * order, white space, escapes, a duplicate member) is refused, so the bytes that were
   * signed are the only reading of the event. */
  again = build_payload (event);
  if (again == NULL || !g_bytes_equal (again, payload))
    {
      invalid (error, _ ("the payload is not in canonical form"));
      return NULL;
    }
  event->payload = g_bytes_ref (payload);
  mamori_event_hash ((const guint8 *)data, length, event->id);
  memcpy (event->sig, sig, sizeof event->sig);
  return g_steal_pointer (&event);
}

gboolean
mamori_event_verify (const MamoriEvent *event, GError **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (event->payload, &length);
  g_autofree char *id = NULL;

  if (mamori_signing_verify (event->author, data, length, event->sig))
    return TRUE;
  id = mamori_hex_encode (event->id, 8);
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BAD_SIGNATURE,
               _ ("The signature of event %s (%s) is not its author’s"), id, event->type);
  return FALSE;
}

/* --- reading the chain fields without a JSON parser -------------------------------- */

typedef struct
{
  const char *p, *end;
} Scan;

static gboolean
scan_literal (Scan *scan, const char *literal)
{
  gsize len = strlen (literal);

  if ((gsize)(scan->end - scan->p) < len || memcmp (scan->p, literal, len) != 0)
    return FALSE;
  scan->p += len;
  return TRUE;
}

/* A string of characters that need no escape and are not a quote: the type, the school
 * id and the time are of that kind in a canonical payload. */
static gboolean
scan_plain_string (Scan *scan, const char **out_start, gsize *out_len)
{
  const char *start;

  if (!scan_literal (scan, "\""))
    return FALSE;
  start = scan->p;
  while (scan->p < scan->end && *scan->p != '"')
    {
      if (*scan->p == '\\' || (guchar)*scan->p < 0x20)
        return FALSE;
      scan->p++;
    }
  if (out_start != NULL)
    {
      *out_start = start;
      *out_len = scan->p - start;
    }
  return scan_literal (scan, "\"");
}

static gboolean
scan_hex (Scan *scan, guint8 *out, gsize len)
{
  char text[2 * MAMORI_EVENT_ID_SIZE + 1];

  if (len > MAMORI_EVENT_ID_SIZE || (gsize)(scan->end - scan->p) < 2 * len + 2 || scan->p[0] != '"'
      || scan->p[2 * len + 1] != '"')
    return FALSE;
  memcpy (text, scan->p + 1, 2 * len);
  text[2 * len] = '\0';
  scan->p += 2 * len + 2;
  return mamori_hex_decode (text, out, len);
}

gboolean
mamori_event_scan_header (const guint8 *payload, gsize length, MamoriEventHeader *out)
{
  Scan scan = { (const char *)payload, (const char *)payload + length };
  gint64 seq = 0;

  if (!scan_literal (&scan, "{\"v\":1,\"type\":")
      || !scan_plain_string (&scan, &out->type, &out->type_len)
      || !scan_literal (&scan, ",\"school\":")
      || !scan_plain_string (&scan, &out->school, &out->school_len)
      || !scan_literal (&scan, ",\"author\":")
      || !scan_hex (&scan, out->author, MAMORI_SIGNING_KEY_SIZE)
      || !scan_literal (&scan, ",\"author_seq\":"))
    return FALSE;
  /* Canonical integers have no leading zero; an author_seq is at least 1. */
  if (scan.p >= scan.end || *scan.p < '1' || *scan.p > '9')
    return FALSE;
  while (scan.p < scan.end && g_ascii_isdigit (*scan.p))
    {
      if (seq > (G_MAXINT64 - 9) / 10)
        return FALSE;
      seq = seq * 10 + (*scan.p++ - '0');
    }
  if (!scan_literal (&scan, ",\"prev\":"))
    return FALSE;
  out->has_prev = !scan_literal (&scan, "null");
  if (out->has_prev && !scan_hex (&scan, out->prev, MAMORI_EVENT_ID_SIZE))
    return FALSE;
  out->author_seq = seq;
  return scan_literal (&scan, ",\"created_at\":")
         && scan_plain_string (&scan, &out->created_at, &out->created_at_len)
         && scan_literal (&scan, ",\"body\":");
}

/* --- the body ---------------------------------------------------------------------- */

static gboolean
missing_member (const MamoriEvent *event, const char *member_name, GError **error)
{
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("The body of a “%s” event needs “%s”"), event->type, member_name);
  return FALSE;
}

const char *
mamori_event_body_string (const MamoriEvent *event, const char *member_name, GError **error)
{
  JsonNode *node = member (json_node_get_object (event->body), member_name, G_TYPE_STRING);

  if (node == NULL)
    {
      missing_member (event, member_name, error);
      return NULL;
    }
  return json_node_get_string (node);
}

gboolean
mamori_event_body_key (const MamoriEvent *event,
                       const char *member_name,
                       guint8 out_key[MAMORI_SIGNING_KEY_SIZE],
                       GError **error)
{
  JsonNode *node = member (json_node_get_object (event->body), member_name, G_TYPE_STRING);

  if (node == NULL
      || !mamori_hex_decode (json_node_get_string (node), out_key, MAMORI_SIGNING_KEY_SIZE))
    return missing_member (event, member_name, error);
  return TRUE;
}
