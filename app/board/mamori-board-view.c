/* mamori-board-view.c — the board's view of its schools (GET /v1/schools)
 *
 * Everything here is read from the board's copy of each school's records, folded as the
 * school's own computers fold them: the take-out counts are the take-out fold's lists,
 * the lowered entries the register's, the template level the policy in force there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <string.h>

#include "mamori-board-private.h"
#include "mamori-register-history.h"
#include "mamori-register.h"
#include "mamori-takeout.h"

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

/* The policy in force in @fold's records (the newest row of `policy`; a school that
 * has none yet uses the default preset, as its computers do), parsed once per view for
 * all the schools that share it: @policies maps a document's text to its policy. */
static MamoriPolicy *
policy_in_force (MamoriSchoolFold *fold, GHashTable *policies, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = mamori_db_prepare (fold->db, "SELECT json FROM policy ORDER BY id DESC LIMIT 1", error);
  const char *json = "";
  MamoriPolicy *policy;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    json = (const char *)sqlite3_column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      mamori_db_fail (fold->db, rc, error);
      return NULL;
    }
  policy = g_hash_table_lookup (policies, json);
  if (policy != NULL)
    return policy;
  policy = *json != '\0' ? mamori_policy_new_from_data (json, strlen (json), "policy", error)
                         : mamori_policy_new_from_preset (mamori_policy_default_preset (), error);
  if (policy != NULL)
    g_hash_table_insert (policies, g_strdup (json), policy);
  return policy;
}

/* The level the policy's template gives @entry, or NULL for an asset of the school's own
 * (or one the policy no longer names). */
static const char *
template_level (MamoriPolicy *policy, const MamoriRegisterEntry *entry)
{
  MamoriAsset *asset = mamori_register_find_template (policy, entry->name, entry->qualifier);

  return asset != NULL ? mamori_level_get_id (mamori_asset_get_level (asset)) : NULL;
}

/* Who set @entry's level or its reason last, and when: from the signed events that
 * touched it (the register's history). */
static gboolean
add_lowered_by (MamoriSchoolFold *fold,
                const MamoriRegisterEntry *entry,
                JsonBuilder *builder,
                GError **error)
{
  g_autoptr (GPtrArray) history = mamori_register_history (fold->db, entry->id, error);
  MamoriRegisterHistoryItem *last = NULL;
  g_autoptr (MamoriStaff) staff = NULL;

  if (history == NULL)
    return FALSE;
  for (guint i = 0; i < history->len; i++)
    {
      MamoriRegisterHistoryItem *item = history->pdata[i];

      for (guint j = 0; j < item->changes->len; j++)
        {
          MamoriRegisterFieldChange *change = item->changes->pdata[j];

          if (change->field == MAMORI_REGISTER_FIELD_LEVEL
              || change->field == MAMORI_REGISTER_FIELD_REASON)
            last = item;
        }
    }
  /* "by" in the board's own language; name and role apart, for a client to say in its
   * user's. */
  if (last != NULL && last->author_id != NULL)
    staff = mamori_roster_find_by_id (fold->db, last->author_id, NULL);
  add_string (builder, "by", last != NULL ? last->author : NULL);
  add_string (builder, "by_name", staff != NULL ? staff->name : NULL);
  add_string (builder, "by_role", staff != NULL ? mamori_role_to_string (staff->role) : NULL);
  add_string (builder, "at", last != NULL ? last->created_at : NULL);
  return TRUE;
}

/* The register's entries below their template's level, with why, who and when. */
static gboolean
add_lowered (MamoriSchoolFold *fold, GHashTable *policies, JsonBuilder *builder, GError **error)
{
  g_autoptr (GPtrArray) entries = mamori_register_list (fold->db, error);
  MamoriPolicy *policy;

  if (entries == NULL)
    return FALSE;
  policy = policy_in_force (fold, policies, error);
  if (policy == NULL)
    return FALSE;
  json_builder_set_member_name (builder, "lowered");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = entries->pdata[i];

      if (!entry->lowered)
        continue;
      json_builder_begin_object (builder);
      add_string (builder, "entry", entry->id);
      add_string (builder, "name", entry->name);
      add_string (builder, "qualifier", entry->qualifier);
      add_string (builder, "level", entry->level);
      add_string (builder, "template_level", template_level (policy, entry));
      add_string (builder, "reason", entry->reason);
      if (!add_lowered_by (fold, entry, builder, error))
        return FALSE;
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return TRUE;
}

/* The school's take-out requests waiting for an approver, out past their period on the
 * board's @today, and declined. */
static gboolean
add_takeout (MamoriSchoolFold *fold, const char *today, JsonBuilder *builder, GError **error)
{
  MamoriTakeoutFilter pending_filter = { MAMORI_TAKEOUT_STATE_PENDING, NULL };
  MamoriTakeoutFilter declined_filter = { MAMORI_TAKEOUT_STATE_REJECTED, NULL };
  g_autoptr (GPtrArray) pending = mamori_takeout_list (fold->db, &pending_filter, error);
  g_autoptr (GPtrArray) overdue = NULL;
  g_autoptr (GPtrArray) declined = NULL;

  if (pending == NULL)
    return FALSE;
  overdue = mamori_takeout_list_overdue (fold->db, today, error);
  if (overdue == NULL)
    return FALSE;
  declined = mamori_takeout_list (fold->db, &declined_filter, error);
  if (declined == NULL)
    return FALSE;
  json_builder_set_member_name (builder, "takeout");
  json_builder_begin_object (builder);
  add_int (builder, "pending", pending->len);
  add_int (builder, "overdue", overdue->len);
  add_int (builder, "declined", declined->len);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
add_school (MamoriBoard *self,
            MamoriStoredSchool *school,
            const char *today,
            GHashTable *policies,
            JsonBuilder *builder,
            GError **error)
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
      ok = add_takeout (fold, today, builder, error)
           && add_lowered (fold, policies, builder, error);
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
  g_autoptr (GHashTable) policies
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autofree char *today = mamori_takeout_today ();

  if (schools == NULL)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; i < schools->len; i++)
    if (!add_school (self, schools->pdata[i], today, policies, builder, error))
      return NULL;
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
