/* mamori-canonical-json.c — the one byte form of a JSON value that Mamori signs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <string.h>

#include "mamori-canonical-json.h"

void
mamori_canonical_json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static gboolean
append_value (GString *out, JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);

        if (!g_utf8_validate (text, -1, NULL))
          return FALSE;
        mamori_canonical_json_append_string (out, text);
        return TRUE;
      }
    default:
      /* Doubles have no single decimal form. */
      return FALSE;
    }
}

gboolean
mamori_canonical_json_append (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;
    case JSON_NODE_VALUE:
      return append_value (out, node);
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!mamori_canonical_json_append (out, json_array_get_element (array, i)))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (object);
        g_autoptr (GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!g_utf8_validate (l->data, -1, NULL))
              return FALSE;
            g_ptr_array_add (names, l->data);
          }
        g_ptr_array_sort (names, compare_names);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            mamori_canonical_json_append_string (out, name);
            g_string_append_c (out, ':');
            if (!mamori_canonical_json_append (out, json_object_get_member (object, name)))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }
    default:
      return FALSE;
    }
}
