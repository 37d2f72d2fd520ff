/* mamori-event-wire.c — an event as it travels between a school and its board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-wire.h"
#include "mamori-records-error.h"

JsonNode *
mamori_event_to_wire (const MamoriEvent *event, gboolean with_seq)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *author = mamori_hex_encode (event->author, sizeof event->author);
  g_autofree char *sig = mamori_hex_encode (event->sig, sizeof event->sig);
  g_autofree char *payload = NULL;
  gsize length;
  const char *bytes = g_bytes_get_data (event->payload, &length);

  payload = g_strndup (bytes, length);
  json_builder_begin_object (builder);
  if (with_seq)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, event->server_seq);
    }
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, payload);
  json_builder_set_member_name (builder, "sig");
  json_builder_add_string_value (builder, sig);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static MamoriEvent *
invalid (GError **error, const char *detail)
{
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("An event from the board is malformed: %s"), detail);
  return NULL;
}

MamoriEvent *
mamori_event_from_wire (JsonNode *node, gboolean with_seq, GError **error)
{
  JsonObject *object;
  const char *author, *payload, *sig;
  guint8 author_key[MAMORI_SIGNING_KEY_SIZE];
  guint8 signature[MAMORI_SIGNATURE_SIZE];
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MamoriEvent) event = NULL;
  gint64 seq = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "not an object");
  object = json_node_get_object (node);
  author = string_member (object, "author");
  payload = string_member (object, "payload");
  sig = string_member (object, "sig");
  if (author == NULL || payload == NULL || sig == NULL)
    return invalid (error, "author, payload or sig missing");
  if (strlen (author) != 2 * MAMORI_SIGNING_KEY_SIZE
      || !mamori_hex_decode (author, author_key, sizeof author_key)
      || strlen (sig) != 2 * MAMORI_SIGNATURE_SIZE
      || !mamori_hex_decode (sig, signature, sizeof signature))
    return invalid (error, "author or sig is not hex of the right length");
  if (with_seq)
    {
      JsonNode *seq_node = json_object_get_member (object, "seq");

      if (seq_node == NULL || !JSON_NODE_HOLDS_VALUE (seq_node)
          || json_node_get_value_type (seq_node) != G_TYPE_INT64
          || (seq = json_node_get_int (seq_node)) <= 0)
        return invalid (error, "seq is not a positive integer");
    }
  bytes = g_bytes_new (payload, strlen (payload));
  event = mamori_event_parse (bytes, signature, error);
  if (event == NULL)
    return NULL;
  if (memcmp (event->author, author_key, sizeof author_key) != 0)
    return invalid (error, "author is not the payload’s");
  event->server_seq = seq;
  return g_steal_pointer (&event);
}
