/* mamori-register-fold.c — the register's tables, kept by folding its events
 *
 * `register_entries` holds every entry ever added, present or removed (removed_seq), so
 * that an entry's history keeps its name; a partial unique index keeps one present entry
 * per key (mamori_register_entry_key()).  `register_history` says which events touched
 * which entry: an entry's history is those events, read back from the log.
 *
 * An assets-imported event carries hundreds of entries: the statements are prepared
 * once per event, not once per entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-normalize.h"
#include "mamori-register-private.h"
#include "mamori-roster.h"

typedef struct
{
  MamoriDb *db;
  const MamoriEvent *event;
  const char *author; /* the author's name, as the register shows who changed what */
  sqlite3_stmt *insert;
  sqlite3_stmt *update;
  sqlite3_stmt *select;
  sqlite3_stmt *history;
  GHashTable *normal; /* place or qualifier → its normalised form: few, each met often */
} Writer;

static void
writer_clear (Writer *writer)
{
  g_clear_pointer (&writer->insert, sqlite3_finalize);
  g_clear_pointer (&writer->update, sqlite3_finalize);
  g_clear_pointer (&writer->select, sqlite3_finalize);
  g_clear_pointer (&writer->history, sqlite3_finalize);
  g_clear_pointer (&writer->normal, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Writer, writer_clear)

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID, message);
  return FALSE;
}

/* The author, who must be on the roster with a role that changes the register. */
static MamoriStaff *
require_editor (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);

  if (author == NULL)
    return NULL;
  if (!mamori_register_role_can_edit (author->role))
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
                   _ ("%s (%s) may read the asset register but not change it: the principal, "
                      "the vice-principal, the board or the office staff do"),
                   author->name, mamori_role_get_label (author->role));
      return NULL;
    }
  return g_steal_pointer (&author);
}

static gboolean
writer_init (Writer *writer,
             MamoriDb *db,
             const MamoriEvent *event,
             const MamoriStaff *author,
             GError **error)
{
  writer->db = db;
  writer->event = event;
  writer->normal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  writer->author = author->name;
  writer->insert = mamori_db_prepare (
      db,
      "INSERT INTO register_entries (id, key, name, qualifier, category, level, medium, "
      "location, custodian, takeout, retention, notes, axes, reason, lowered, created_seq, "
      "created_by, created_at, updated_seq, updated_by, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?16, ?17, ?18)",
      error);
  writer->update = writer->insert == NULL
                       ? NULL
                       : mamori_db_prepare (
                           db,
                           "UPDATE register_entries SET key = ?2, name = ?3, qualifier = ?4, "
                           "category = ?5, level = ?6, medium = ?7, location = ?8, "
                           "custodian = ?9, takeout = ?10, retention = ?11, notes = ?12, "
                           "axes = ?13, reason = ?14, lowered = ?15, updated_seq = ?16, "
                           "updated_by = ?17, updated_at = ?18, removed_seq = NULL WHERE id = ?1",
                           error);
  writer->select = writer->update == NULL
                       ? NULL
                       : mamori_db_prepare (db,
                                            "SELECT " MAMORI_REGISTER_ENTRY_COLUMNS
                                            ", removed_seq FROM register_entries WHERE id = ?",
                                            error);
  writer->history = writer->select == NULL
                        ? NULL
                        : mamori_db_prepare (
                            db, "INSERT INTO register_history (entry, seq) VALUES (?, ?)", error);
  return writer->history != NULL;
}

/* The entry with @id, and whether it was removed; NULL without an error when none. */
static MamoriRegisterEntry *
writer_find (Writer *writer, const char *id, gboolean *out_removed, GError **error)
{
  MamoriRegisterEntry *entry = NULL;
  int rc;

  sqlite3_reset (writer->select);
  sqlite3_bind_text (writer->select, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (writer->select);
  if (rc == SQLITE_ROW)
    {
      entry = _mamori_register_entry_from_row (writer->select);
      *out_removed = sqlite3_column_type (writer->select, 18) != SQLITE_NULL;
    }
  else if (rc != SQLITE_DONE)
    mamori_db_fail (writer->db, rc, error);
  sqlite3_reset (writer->select);
  return entry;
}

/* @text outlives the statement's step: bound without a copy. */
static void
bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
normal_of (Writer *writer, const char *text)
{
  const char *normal;

  if (text == NULL)
    return "";
  normal = g_hash_table_lookup (writer->normal, text);
  if (normal == NULL)
    {
      normal = mamori_normalize (text);
      g_hash_table_insert (writer->normal, g_strdup (text), (char *)normal);
    }
  return normal;
}

/* mamori_register_entry_key(), with the place and qualifier normalised once per event. */
static char *
writer_key (Writer *writer, const MamoriRegisterEntry *entry)
{
  g_autofree char *name = mamori_normalize (entry->name);

  return g_strconcat (name, "\x1f", normal_of (writer, entry->qualifier), "\x1f",
                      normal_of (writer, entry->location), NULL);
}

/* What the fold itself can check: the rules that do not depend on the policy. */
static gboolean
check_shape (const MamoriRegisterEntry *entry, GError **error)
{
  guint8 id[16];

  if (entry->id == NULL || !mamori_hex_decode (entry->id, id, sizeof id))
    return invalid (error, _ ("A register entry’s id must be 32 lowercase hex digits"));
  if (entry->name == NULL || *entry->name == '\0' || entry->category == NULL
      || entry->level == NULL)
    return invalid (error, _ ("A register entry needs a name, a category and a level"));
  if (entry->lowered && (entry->reason == NULL || *entry->reason == '\0'))
    return invalid (error, _ ("A register entry below its template’s level needs a reason"));
  return TRUE;
}

/* Writes @entry with @stmt (the insert or the update); a second present entry with the
 * same key is a conflict. */
static gboolean
writer_write (Writer *writer,
              sqlite3_stmt *stmt,
              const MamoriRegisterEntry *entry,
              gboolean *out_id_taken,
              GError **error)
{
  g_autofree char *key = writer_key (writer, entry);
  g_autofree char *axes = _mamori_register_axes_to_json (entry->axes);
  int rc;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  bind_text (stmt, 1, entry->id);
  bind_text (stmt, 2, key);
  bind_text (stmt, 3, entry->name);
  bind_text (stmt, 4, entry->qualifier);
  bind_text (stmt, 5, entry->category);
  bind_text (stmt, 6, entry->level);
  bind_text (stmt, 7, mamori_medium_to_string (entry->medium));
  bind_text (stmt, 8, entry->location);
  bind_text (stmt, 9, entry->custodian);
  bind_text (stmt, 10, entry->takeout);
  bind_text (stmt, 11, entry->retention);
  bind_text (stmt, 12, entry->notes);
  bind_text (stmt, 13, axes);
  bind_text (stmt, 14, entry->lowered ? entry->reason : NULL);
  sqlite3_bind_int (stmt, 15, entry->lowered);
  sqlite3_bind_int64 (stmt, 16, writer->event->seq);
  bind_text (stmt, 17, writer->author);
  bind_text (stmt, 18, writer->event->created_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    rc = sqlite3_extended_errcode (writer->db->handle);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (writer->history);
      sqlite3_bind_text (writer->history, 1, entry->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (writer->history, 2, writer->event->seq);
      rc = sqlite3_step (writer->history);
      sqlite3_reset (writer->history);
      return rc == SQLITE_DONE || mamori_db_fail (writer->db, rc, error);
    }
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY && out_id_taken != NULL)
    {
      *out_id_taken = TRUE;
      return FALSE;
    }
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("“%s” kept in “%s” is already in the register"), entry->name,
                   entry->location != NULL ? entry->location : "");
      return FALSE;
    }
  return mamori_db_fail (writer->db, rc, error);
}

/* asset-added, and each addition of assets-imported: a new entry, or a removed one back. */
static gboolean
writer_add (Writer *writer, JsonObject *body, GError **error)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (MamoriRegisterEntry) existing = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *entry_node = json_object_get_member (body, "entry");
  const char *id = json_object_get_string_member_with_default (body, "id", NULL);
  gboolean removed = FALSE, id_taken = FALSE;

  if (entry_node == NULL || !JSON_NODE_HOLDS_OBJECT (entry_node))
    return invalid (error, _ ("An added register entry needs “entry”"));
  entry = _mamori_register_entry_from_object (json_node_get_object (entry_node), error);
  if (entry == NULL)
    return FALSE;
  entry->id = g_strdup (id);
  if (!check_shape (entry, error))
    return FALSE;
  /* Nearly always a new id: inserted at once, the id looked up only when taken. */
  if (writer_write (writer, writer->insert, entry, &id_taken, error))
    return TRUE;
  if (!id_taken)
    return FALSE;
  existing = writer_find (writer, entry->id, &removed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing == NULL || !removed)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("The register already has an entry %s"), entry->id);
      return FALSE;
    }
  return writer_write (writer, writer->update, entry, NULL, error);
}

/* asset-changed, and each change of assets-imported: the new values over the present
 * entry.  The old values are for history: the last writer in the log's order wins. */
static gboolean
writer_change (Writer *writer, JsonObject *body, GError **error)
{
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *id = json_object_get_string_member_with_default (body, "id", "");
  JsonNode *changes_node = json_object_get_member (body, "changes");
  JsonNode *lowered = json_object_get_member (body, "lowered");
  g_autoptr (GList) members = NULL;
  JsonObject *changes;
  gboolean removed = FALSE;

  if (changes_node == NULL || !JSON_NODE_HOLDS_OBJECT (changes_node) || lowered == NULL
      || !JSON_NODE_HOLDS_VALUE (lowered) || json_node_get_value_type (lowered) != G_TYPE_BOOLEAN)
    return invalid (error, _ ("A register change needs “changes” and “lowered”"));
  entry = writer_find (writer, id, &removed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (entry == NULL || removed)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("The register has no entry %s to change"), id);
      return FALSE;
    }
  changes = json_node_get_object (changes_node);
  members = json_object_get_members (changes);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *change = json_object_get_member (changes, l->data);
      JsonNode *value;
      MamoriRegisterField field;

      if (!mamori_register_field_from_string (l->data, &field) || !JSON_NODE_HOLDS_OBJECT (change)
          || (value = json_object_get_member (json_node_get_object (change), "new")) == NULL)
        return invalid (error, _ ("A register change names a field it does not change"));
      if (!_mamori_register_entry_set (entry, field, value, error))
        return FALSE;
    }
  entry->lowered = json_node_get_boolean (lowered);
  if (!entry->lowered)
    g_clear_pointer (&entry->reason, g_free);
  return check_shape (entry, error) && writer_write (writer, writer->update, entry, NULL, error);
}

static gboolean
fold_added (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_editor (db, event, error);
  g_auto (Writer) writer = { 0 };

  return author != NULL && writer_init (&writer, db, event, author, error)
         && writer_add (&writer, json_node_get_object (event->body), error);
}

static gboolean
fold_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_editor (db, event, error);
  g_auto (Writer) writer = { 0 };

  return author != NULL && writer_init (&writer, db, event, author, error)
         && writer_change (&writer, json_node_get_object (event->body), error);
}

static gboolean
fold_removed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_editor (db, event, error);
  g_auto (Writer) writer = { 0 };
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *id;
  gboolean removed = FALSE;
  int rc;

  if (author == NULL || !writer_init (&writer, db, event, author, error))
    return FALSE;
  id = mamori_event_body_string (event, "id", error);
  if (id == NULL)
    return FALSE;
  entry = writer_find (&writer, id, &removed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (entry == NULL || removed)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("The register has no entry %s to remove"), id);
      return FALSE;
    }
  stmt = mamori_db_prepare (db,
                            "UPDATE register_entries SET removed_seq = ?1, updated_seq = ?1, "
                            "updated_by = ?2, updated_at = ?3 WHERE id = ?4",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  sqlite3_bind_text (stmt, 2, author->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, id, -1, SQLITE_STATIC);
  if (!mamori_db_step_done (db, stmt, error))
    return FALSE;
  sqlite3_reset (writer.history);
  sqlite3_bind_text (writer.history, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (writer.history, 2, event->seq);
  rc = sqlite3_step (writer.history);
  return rc == SQLITE_DONE || mamori_db_fail (db, rc, error);
}

/* Each element of the array @member of the body, handed to @apply. */
static gboolean
apply_each (Writer *writer,
            JsonObject *body,
            const char *member,
            gboolean (*apply) (Writer *, JsonObject *, GError **),
            GError **error)
{
  JsonNode *node = json_object_get_member (body, member);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _ ("An import’s additions and changes must be lists"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, _ ("An import’s additions and changes must be lists"));
      if (!apply (writer, json_node_get_object (element), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fold_imported (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_editor (db, event, error);
  g_auto (Writer) writer = { 0 };
  JsonObject *body = json_node_get_object (event->body);

  return author != NULL && writer_init (&writer, db, event, author, error)
         && apply_each (&writer, body, "added", writer_add, error)
         && apply_each (&writer, body, "changed", writer_change, error);
}

static const MamoriEventHandler handlers[] = {
  { MAMORI_EVENT_ASSET_ADDED, fold_added },
  { MAMORI_EVENT_ASSET_CHANGED, fold_changed },
  { MAMORI_EVENT_ASSET_REMOVED, fold_removed },
  { MAMORI_EVENT_ASSETS_IMPORTED, fold_imported },
};

const MamoriFoldModule mamori_register_fold_module = {
  handlers,
  G_N_ELEMENTS (handlers),
  "DELETE FROM register_entries; DELETE FROM register_history;",
};
