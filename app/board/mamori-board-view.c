/* mamori-board-view.c — the board's view of its schools (GET /v1/schools)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include "mamori-board-private.h"

/* The one integer (or text) @sql gives on @fold's records. */
static gboolean
query (MamoriSchoolFold *fold, const char *sql, gint64 *out_int, char **out_text, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (fold->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return mamori_db_fail (fold->db, rc, error);
  if (out_int != NULL)
    *out_int = sqlite3_column_int64 (stmt, 0);
  if (out_text != NULL)
    *out_text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  return TRUE;
}

static void
add_int (JsonBuilder *builder, const char *member, gint64 value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The register's entries below their template's level, with why. */
static gboolean
add_lowered (MamoriSchoolFold *fold, JsonBuilder *builder, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = mamori_db_prepare (fold->db,
                           "SELECT id, name, level, reason FROM register_entries "
                           "WHERE lowered AND removed_seq IS NULL ORDER BY created_seq",
                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  json_builder_set_member_name (builder, "lowered");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      add_string (builder, "entry", (const char *)sqlite3_column_text (stmt, 0));
      add_string (builder, "name", (const char *)sqlite3_column_text (stmt, 1));
      add_string (builder, "level", (const char *)sqlite3_column_text (stmt, 2));
      add_string (builder, "reason", (const char *)sqlite3_column_text (stmt, 3));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return rc == SQLITE_DONE || mamori_db_fail (fold->db, rc, error);
}

static gboolean
add_school (MamoriBoard *self, MamoriStoredSchool *school, JsonBuilder *builder, GError **error)
{
  g_autofree char *last_event_at = NULL;
  MamoriSchoolFold *fold = _mamori_board_fold_begin (self, school->id, error);
  gint64 staff = 0, devices = 0, events = 0;
  gboolean ok;

  if (fold == NULL)
    return FALSE;
  ok = query (fold, "SELECT count(*) FROM staff WHERE removed_seq IS NULL", &staff, NULL, error)
       && query (fold,
                 "SELECT count(*) FROM signing_keys WHERE retired_seq IS NULL "
                 "AND holder != 'recovery'",
                 &devices, NULL, error)
       && query (fold, "SELECT count(*) FROM events", &events, NULL, error)
       && query (fold, "SELECT max(created_at) FROM events", NULL, &last_event_at, error);
  if (ok)
    {
      json_builder_begin_object (builder);
      add_string (builder, "id", school->id);
      add_string (builder, "name", school->name);
      json_builder_set_member_name (builder, "joined");
      json_builder_add_boolean_value (builder, school->joined);
      add_int (builder, "staff", staff);
      add_int (builder, "devices", devices);
      add_int (builder, "events", events);
      add_string (builder, "last_event_at", last_event_at);
      ok = add_lowered (fold, builder, error);
      json_builder_end_object (builder);
    }
  _mamori_board_fold_commit (self, fold, NULL);
  return ok;
}

JsonNode *
mamori_board_schools_view (MamoriBoard *self, GError **error)
{
  g_autoptr (GPtrArray) schools = mamori_board_store_list_schools (self->store, error);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (schools == NULL)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; i < schools->len; i++)
    if (!add_school (self, schools->pdata[i], builder, error))
      return NULL;
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
