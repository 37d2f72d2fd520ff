/* mamori-register.c — the register's event bodies, queries and changes signed by the
 * unlocked user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-canonical-json.h"
#include "mamori-register-private.h"

G_DEFINE_QUARK (mamori - register - error - quark, mamori_register_error)

const char *const mamori_register_event_types[] = {
  MAMORI_EVENT_ASSET_ADDED,
  MAMORI_EVENT_ASSET_CHANGED,
  MAMORI_EVENT_ASSET_REMOVED,
  MAMORI_EVENT_ASSETS_IMPORTED,
  NULL,
};

gboolean
mamori_register_role_can_edit (MamoriRole role)
{
  return mamori_role_is_administrator (role) || role == MAMORI_ROLE_OFFICE;
}

gboolean
mamori_register_can_edit (MamoriVault *vault)
{
  MamoriRole role;

  return mamori_vault_get_role (vault, &role) && mamori_register_role_can_edit (role);
}

char *
mamori_register_new_id (void)
{
  guint8 bytes[16];

  /* An id needs to be unique, not secret: libgcrypt's nonce generator, not the very
   * strong random pool that keys come from (3 ms a call: 5 minutes for 100,000 ids). */
  gcry_create_nonce (bytes, sizeof bytes);
  return mamori_hex_encode (bytes, sizeof bytes);
}

/* --- the axes as text ------------------------------------------------------------- */

static JsonNode *
axes_node (GHashTable *axes)
{
  g_autoptr (JsonObject) object = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;
  JsonNode *node;

  g_hash_table_iter_init (&iter, axes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (object, key, value);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

char *
_mamori_register_axes_to_json (GHashTable *axes)
{
  g_autoptr (JsonNode) node = NULL;
  GString *text;

  if (axes == NULL || g_hash_table_size (axes) == 0)
    return NULL;
  node = axes_node (axes);
  text = g_string_new (NULL);
  mamori_canonical_json_append (text, node);
  return g_string_free (text, FALSE);
}

static GHashTable *
axes_from_object (JsonObject *object, GError **error)
{
  g_autoptr (GHashTable) axes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                       _ ("The value of axis “%s” must be text"), (const char *)l->data);
          return NULL;
        }
      g_hash_table_insert (axes, g_strdup (l->data), g_strdup (json_node_get_string (value)));
    }
  return g_hash_table_size (axes) > 0 ? g_steal_pointer (&axes) : NULL;
}

GHashTable *
_mamori_register_axes_from_json (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return JSON_NODE_HOLDS_OBJECT (root) ? axes_from_object (json_node_get_object (root), NULL)
                                       : NULL;
}

/* --- bodies ------------------------------------------------------------------------ */

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

/* @field of @entry as a JSON value: a string, an object of axes or null. */
static JsonNode *
field_node (const MamoriRegisterEntry *entry, MamoriRegisterField field)
{
  g_autofree char *text = NULL;

  if (field == MAMORI_REGISTER_FIELD_AXES)
    return entry->axes != NULL && g_hash_table_size (entry->axes) > 0
               ? axes_node (entry->axes)
               : json_node_new (JSON_NODE_NULL);
  text = mamori_register_entry_dup_value (entry, field);
  return text != NULL ? json_node_init_string (json_node_alloc (), text)
                      : json_node_new (JSON_NODE_NULL);
}

void
_mamori_register_build_entry (JsonBuilder *builder, const MamoriRegisterEntry *entry)
{
  json_builder_begin_object (builder);
  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    {
      JsonNode *value = field_node (entry, i);

      if (JSON_NODE_HOLDS_NULL (value))
        {
          json_node_unref (value);
          continue;
        }
      json_builder_set_member_name (builder, mamori_register_field_to_string (i));
      json_builder_add_value (builder, value);
    }
  if (entry->lowered)
    {
      json_builder_set_member_name (builder, "lowered");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
}

void
_mamori_register_build_changes (JsonBuilder *builder,
                                const MamoriRegisterEntry *before,
                                const MamoriRegisterEntry *after)
{
  json_builder_begin_object (builder);
  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    {
      if (!mamori_register_entry_field_differs (before, after, i))
        continue;
      json_builder_set_member_name (builder, mamori_register_field_to_string (i));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "new");
      json_builder_add_value (builder, field_node (after, i));
      json_builder_set_member_name (builder, "old");
      json_builder_add_value (builder, field_node (before, i));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
mamori_register_added_body (const MamoriRegisterEntry *entry)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entry");
  _mamori_register_build_entry (builder, entry);
  add_string (builder, "id", entry->id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_register_changed_body (const MamoriRegisterEntry *before, const MamoriRegisterEntry *after)
{
  g_autoptr (JsonBuilder) builder = NULL;

  if (mamori_register_entry_same_fields (before, after) && before->lowered == after->lowered)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  _mamori_register_build_changes (builder, before, after);
  add_string (builder, "id", before->id);
  json_builder_set_member_name (builder, "lowered");
  json_builder_add_boolean_value (builder, after->lowered);
  add_string (builder, "name", after->name);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_register_removed_body (const MamoriRegisterEntry *entry)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", entry->id);
  add_string (builder, "name", entry->name);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- reading bodies back --------------------------------------------------------- */

static gboolean
invalid_member (GError **error, const char *member)
{
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("The member “%s” of a register entry is not what it should be"), member);
  return FALSE;
}

gboolean
_mamori_register_entry_set (MamoriRegisterEntry *entry,
                            MamoriRegisterField field,
                            JsonNode *value,
                            GError **error)
{
  const char *member = mamori_register_field_to_string (field);
  const char *text = NULL;

  if (field == MAMORI_REGISTER_FIELD_AXES)
    {
      g_autoptr (GError) local_error = NULL;

      g_clear_pointer (&entry->axes, g_hash_table_unref);
      if (JSON_NODE_HOLDS_NULL (value))
        return TRUE;
      if (!JSON_NODE_HOLDS_OBJECT (value))
        return invalid_member (error, member);
      entry->axes = axes_from_object (json_node_get_object (value), &local_error);
      return local_error == NULL || invalid_member (error, member);
    }
  if (!JSON_NODE_HOLDS_NULL (value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return invalid_member (error, member);
      text = json_node_get_string (value);
    }
  if (field == MAMORI_REGISTER_FIELD_MEDIUM)
    {
      entry->medium = MAMORI_MEDIUM_UNSET;
      return text == NULL || mamori_medium_from_string (text, &entry->medium)
             || invalid_member (error, member);
    }
  mamori_register_entry_set_text (entry, field, text);
  return TRUE;
}

MamoriRegisterEntry *
_mamori_register_entry_from_object (JsonObject *object, GError **error)
{
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      MamoriRegisterField field;

      if (g_str_equal (l->data, "lowered"))
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            {
              invalid_member (error, "lowered");
              return NULL;
            }
          entry->lowered = json_node_get_boolean (value);
          continue;
        }
      if (!mamori_register_field_from_string (l->data, &field))
        {
          invalid_member (error, l->data);
          return NULL;
        }
      if (!_mamori_register_entry_set (entry, field, value, error))
        return NULL;
    }
  return g_steal_pointer (&entry);
}

/* --- queries ----------------------------------------------------------------------- */

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

MamoriRegisterEntry *
_mamori_register_entry_from_row (sqlite3_stmt *stmt)
{
  MamoriRegisterEntry *entry = mamori_register_entry_new ();
  const char *medium = (const char *)sqlite3_column_text (stmt, 5);

  entry->id = column_text (stmt, 0);
  entry->name = column_text (stmt, 1);
  entry->qualifier = column_text (stmt, 2);
  entry->category = column_text (stmt, 3);
  entry->level = column_text (stmt, 4);
  if (medium == NULL || !mamori_medium_from_string (medium, &entry->medium))
    entry->medium = MAMORI_MEDIUM_UNSET;
  entry->location = column_text (stmt, 6);
  entry->custodian = column_text (stmt, 7);
  entry->takeout = column_text (stmt, 8);
  entry->retention = column_text (stmt, 9);
  entry->notes = column_text (stmt, 10);
  entry->axes = _mamori_register_axes_from_json ((const char *)sqlite3_column_text (stmt, 11));
  entry->reason = column_text (stmt, 12);
  entry->lowered = sqlite3_column_int (stmt, 13) != 0;
  entry->created_by = column_text (stmt, 14);
  entry->created_at = column_text (stmt, 15);
  entry->updated_by = column_text (stmt, 16);
  entry->updated_at = column_text (stmt, 17);
  return entry;
}

GPtrArray *
mamori_register_list (MamoriDb *db, GError **error)
{
  g_autoptr (GPtrArray) entries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_entry_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = mamori_db_prepare (db,
                            "SELECT " MAMORI_REGISTER_ENTRY_COLUMNS " FROM register_entries "
                            "WHERE removed_seq IS NULL ORDER BY created_seq, rowid",
                            error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, _mamori_register_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static MamoriRegisterEntry *
find_one (MamoriDb *db, sqlite3_stmt *stmt, GError **error)
{
  gboolean found;

  if (!mamori_db_step_row (db, stmt, &found, error) || !found)
    return NULL;
  return _mamori_register_entry_from_row (stmt);
}

MamoriRegisterEntry *
mamori_register_find (MamoriDb *db, const char *id, gboolean include_removed, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (
      db,
      include_removed
          ? "SELECT " MAMORI_REGISTER_ENTRY_COLUMNS " FROM register_entries WHERE id = ?"
          : "SELECT " MAMORI_REGISTER_ENTRY_COLUMNS " FROM register_entries WHERE id = ? "
            "AND removed_seq IS NULL",
      error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return find_one (db, stmt, error);
}

gboolean
mamori_register_count (MamoriDb *db, gint64 *out_count, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (
      db, "SELECT count(*) FROM register_entries WHERE removed_seq IS NULL", error);
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* --- changes signed by the unlocked user --------------------------------------------- */

static gboolean
check_entry (MamoriRegisterEntry *entry, MamoriPolicy *policy, GError **error)
{
  g_autoptr (GPtrArray) problems = mamori_register_entry_check (entry, policy);
  MamoriRegisterProblem *first;

  if (problems->len == 0)
    return TRUE;
  first = g_ptr_array_index (problems, 0);
  g_set_error_literal (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_INVALID, first->message);
  return FALSE;
}

static gboolean
append (MamoriVault *vault, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = mamori_vault_append_event (vault, type, body, error);

  return event != NULL;
}

static MamoriDb *
require_store (MamoriVault *vault, GError **error)
{
  MamoriDb *db = mamori_vault_get_store (vault);

  if (db == NULL)
    g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED,
                         _ ("The vault is locked"));
  return db;
}

static MamoriRegisterEntry *
require_entry (MamoriVault *vault, const char *id, gboolean removed, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  MamoriDb *db = require_store (vault, error);

  if (db == NULL)
    return NULL;
  if (id == NULL)
    {
      g_set_error_literal (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_NOT_FOUND,
                           _ ("The entry has no id"));
      return NULL;
    }
  entry = mamori_register_find (db, id, removed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (entry == NULL)
    g_set_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_NOT_FOUND,
                 _ ("The register has no entry %s"), id);
  return g_steal_pointer (&entry);
}

gboolean
mamori_register_add (MamoriVault *vault,
                     MamoriPolicy *policy,
                     MamoriRegisterEntry *entry,
                     GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  if (require_store (vault, error) == NULL || !check_entry (entry, policy, error))
    return FALSE;
  g_free (entry->id);
  entry->id = mamori_register_new_id ();
  return append (vault, MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (entry), error);
}

gboolean
mamori_register_change (MamoriVault *vault,
                        MamoriPolicy *policy,
                        MamoriRegisterEntry *entry,
                        GError **error)
{
  g_autoptr (MamoriRegisterEntry) before = NULL;
  JsonNode *body;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  before = require_entry (vault, entry->id, FALSE, error);
  if (before == NULL || !check_entry (entry, policy, error))
    return FALSE;
  body = mamori_register_changed_body (before, entry);
  return body == NULL || append (vault, MAMORI_EVENT_ASSET_CHANGED, body, error);
}

gboolean
mamori_register_remove (MamoriVault *vault, const char *id, GError **error)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);

  entry = require_entry (vault, id, FALSE, error);
  return entry != NULL
         && append (vault, MAMORI_EVENT_ASSET_REMOVED, mamori_register_removed_body (entry), error);
}

gboolean
mamori_register_restore (MamoriVault *vault, const char *id, GError **error)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);

  entry = require_entry (vault, id, TRUE, error);
  return entry != NULL
         && append (vault, MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (entry), error);
}
