/* mamori-register-history.c — an entry's history, read back from its signed events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <string.h>

#include "mamori-event-log.h"
#include "mamori-policy-axis.h"
#include "mamori-register-history.h"
#include "mamori-register-private.h"
#include "mamori-roster.h"

static void
field_change_free (MamoriRegisterFieldChange *change)
{
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

void
mamori_register_history_item_free (MamoriRegisterHistoryItem *item)
{
  if (item == NULL)
    return;
  g_free (item->type);
  g_free (item->author);
  g_free (item->author_id);
  g_free (item->created_at);
  g_free (item->file);
  g_ptr_array_unref (item->changes);
  g_free (item);
}

static void
add_change (GPtrArray *changes, MamoriRegisterField field, char *old_value, char *new_value)
{
  MamoriRegisterFieldChange *change = g_new0 (MamoriRegisterFieldChange, 1);

  change->field = field;
  change->old_value = old_value;
  change->new_value = new_value;
  g_ptr_array_add (changes, change);
}

/* A value of a body as text: a string, or axes as "id=value" pairs. */
static char *
value_text (JsonNode *node, MamoriRegisterField field)
{
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();

  if (node == NULL || !_mamori_register_entry_set (entry, field, node, NULL))
    return NULL;
  return mamori_register_entry_dup_value (entry, field);
}

static void
read_added (JsonObject *element, GPtrArray *changes)
{
  JsonNode *entry_node = json_object_get_member (element, "entry");
  g_autoptr (MamoriRegisterEntry) entry = NULL;

  if (entry_node == NULL || !JSON_NODE_HOLDS_OBJECT (entry_node))
    return;
  entry = _mamori_register_entry_from_object (json_node_get_object (entry_node), NULL);
  for (guint i = 0; entry != NULL && i < MAMORI_REGISTER_N_FIELDS; i++)
    {
      char *value = mamori_register_entry_dup_value (entry, i);

      if (value != NULL)
        add_change (changes, i, NULL, value);
    }
}

static void
read_changed (JsonObject *element, GPtrArray *changes)
{
  JsonNode *changes_node = json_object_get_member (element, "changes");
  g_autoptr (GList) members = NULL;
  JsonObject *object;

  if (changes_node == NULL || !JSON_NODE_HOLDS_OBJECT (changes_node))
    return;
  object = json_node_get_object (changes_node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *change = json_object_get_member (object, l->data);
      MamoriRegisterField field;
      JsonObject *pair;

      if (!mamori_register_field_from_string (l->data, &field) || !JSON_NODE_HOLDS_OBJECT (change))
        continue;
      pair = json_node_get_object (change);
      add_change (changes, field, value_text (json_object_get_member (pair, "old"), field),
                  value_text (json_object_get_member (pair, "new"), field));
    }
}

static int
compare_changes (gconstpointer a, gconstpointer b)
{
  const MamoriRegisterFieldChange *ca = *(MamoriRegisterFieldChange *const *)a;
  const MamoriRegisterFieldChange *cb = *(MamoriRegisterFieldChange *const *)b;

  return (int)ca->field - (int)cb->field;
}

/* The element of an assets-imported list (@member) that is about entry @id. */
static JsonObject *
find_element (JsonObject *body, const char *member, const char *id)
{
  JsonNode *node = json_object_get_member (body, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element),
                                                                    "id", NULL),
                        id)
                 == 0)
        return json_node_get_object (element);
    }
  return NULL;
}

static MamoriRegisterHistoryItem *
read_event (MamoriDb *db, const MamoriEvent *event, const char *id)
{
  g_autoptr (MamoriRosterKey) held = mamori_roster_find_key (db, event->author, NULL);
  MamoriRegisterHistoryItem *item = g_new0 (MamoriRegisterHistoryItem, 1);
  JsonObject *body = json_node_get_object (event->body);
  JsonObject *element;

  item->seq = event->seq;
  item->type = g_strdup (event->type);
  item->author = mamori_roster_describe_key (db, event->author);
  item->author_id = held != NULL ? g_strdup (held->holder) : NULL;
  item->created_at = g_strdup (event->created_at);
  item->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)field_change_free);
  if (g_str_equal (event->type, MAMORI_EVENT_ASSET_ADDED))
    read_added (body, item->changes);
  else if (g_str_equal (event->type, MAMORI_EVENT_ASSET_CHANGED))
    read_changed (body, item->changes);
  else if (g_str_equal (event->type, MAMORI_EVENT_ASSETS_IMPORTED))
    {
      item->file = g_strdup (json_object_get_string_member_with_default (body, "file", NULL));
      if ((element = find_element (body, "added", id)) != NULL)
        read_added (element, item->changes);
      else if ((element = find_element (body, "changed", id)) != NULL)
        read_changed (element, item->changes);
    }
  g_ptr_array_sort (item->changes, compare_changes);
  return item;
}

GPtrArray *
mamori_register_history (MamoriDb *db, const char *id, GError **error)
{
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_history_item_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = mamori_db_prepare (db,
                            "SELECT events.seq, events.payload, events.sig FROM register_history "
                            "JOIN events ON events.seq = register_history.seq "
                            "WHERE register_history.entry = ? ORDER BY events.seq",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GBytes) payload
          = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      g_autoptr (MamoriEvent) event = NULL;
      guint8 sig[MAMORI_SIGNATURE_SIZE] = { 0 };

      if (sqlite3_column_bytes (stmt, 2) == MAMORI_SIGNATURE_SIZE)
        memcpy (sig, sqlite3_column_blob (stmt, 2), sizeof sig);
      event = mamori_event_parse (payload, sig, error);
      if (event == NULL)
        return NULL;
      event->seq = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (items, read_event (db, event, id));
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

char *
mamori_register_format_value (MamoriPolicy *policy, MamoriRegisterField field, const char *value)
{
  MamoriTakeoutRule rule;
  MamoriMedium medium;
  MamoriLevel *level;
  const char *label;

  if (value == NULL)
    return g_strdup ("");
  switch (field)
    {
    case MAMORI_REGISTER_FIELD_CATEGORY:
      label = mamori_policy_get_category_label (policy, value);
      return g_strdup (label != NULL ? label : value);
    case MAMORI_REGISTER_FIELD_LEVEL:
      level = mamori_policy_lookup_level (policy, value);
      return g_strdup (level != NULL ? mamori_level_get_label (level) : value);
    case MAMORI_REGISTER_FIELD_MEDIUM:
      return g_strdup (mamori_medium_from_string (value, &medium) ? mamori_medium_get_label (medium)
                                                                  : value);
    case MAMORI_REGISTER_FIELD_TAKEOUT:
      return g_strdup (mamori_takeout_rule_from_string (value, &rule)
                           ? mamori_takeout_rule_get_label (rule)
                           : value);
    case MAMORI_REGISTER_FIELD_AXES:
      {
        g_auto (GStrv) pairs = g_strsplit (value, ", ", -1);
        g_autoptr (GString) text = g_string_new (NULL);

        for (guint i = 0; pairs[i] != NULL; i++)
          {
            g_auto (GStrv) parts = g_strsplit (pairs[i], "=", 2);
            MamoriAxis *axis = mamori_policy_lookup_axis (policy, parts[0]);
            MamoriAxisValue *axis_value = axis != NULL && parts[1] != NULL
                                              ? mamori_axis_lookup_value (axis, parts[1])
                                              : NULL;

            g_string_append_printf (text, "%s%s", i > 0 ? "、" : "",
                                    axis_value != NULL ? mamori_axis_value_get_label (axis_value)
                                                       : pairs[i]);
          }
        return g_string_free (g_steal_pointer (&text), FALSE);
      }
    default:
      return g_strdup (value);
    }
}
