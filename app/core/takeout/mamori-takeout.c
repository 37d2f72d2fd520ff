/* mamori-takeout.c — take-out requests: reading the tables, and acting as the user who
 * unlocked the vault
 *
 * Every action builds its event's body and appends it signed (mamori_vault_append_event());
 * the fold (mamori-takeout-fold.c) decides whether the records allow it.  Nothing here
 * checks authority on its own: a window may hide a button, the fold refuses the event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-level.h"
#include "mamori-normalize.h"
#include "mamori-register.h"
#include "mamori-takeout-private.h"

/* --- items -------------------------------------------------------------------------- */

GPtrArray *
_mamori_takeout_items_from_json (JsonArray *array, GError **error)
{
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_item_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *asset, *name, *level, *rule;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      object = json_node_get_object (node);
      asset = json_object_get_string_member_with_default (object, "asset", NULL);
      name = json_object_get_string_member_with_default (object, "name", NULL);
      level = json_object_get_string_member_with_default (object, "level", NULL);
      rule = json_object_get_string_member_with_default (object, "rule", NULL);
      if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 200 || level == NULL
          || *level == '\0')
        goto invalid;
      g_ptr_array_add (items, mamori_takeout_item_new (asset, name, level, rule));
    }
  return g_steal_pointer (&items);

invalid:
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                       _ ("Each take-out item needs a name (at most 200 characters) and a level"));
  return NULL;
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

/* The items with @with_rule: the table keeps an entry's own rule, a body does not (the
 * fold reads it from the register). */
static void
add_items (JsonBuilder *builder, GPtrArray *items, gboolean with_rule)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      add_string (builder, "asset", item->asset);
      add_string (builder, "level", item->level);
      add_string (builder, "name", item->name);
      if (with_rule)
        add_string (builder, "rule", item->rule);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

JsonNode *
_mamori_takeout_items_to_json (GPtrArray *items)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  add_items (builder, items, TRUE);
  return json_builder_get_root (builder);
}

GStrv
_mamori_takeout_steps_from_text (const char *text)
{
  g_autoptr (JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *id = json_array_get_string_element (array, i);

          if (id != NULL)
            g_strv_builder_add (builder, id);
        }
    }
  return g_strv_builder_end (builder);
}

char *
_mamori_takeout_steps_to_text (const char *const *steps)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    json_builder_add_string_value (builder, steps[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* --- the policy in force ------------------------------------------------------------ */

/* A policy is 40–80 KiB of JSON; parsing it for every event of a rebuild would cost more
 * than the rest of the fold.  The text is compared, so a change of policy is seen. */
G_LOCK_DEFINE_STATIC (policy_cache);
static char *cached_json;
static MamoriPolicy *cached_policy;

MamoriPolicy *
_mamori_takeout_policy_in_force (MamoriDb *db, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT json FROM policy ORDER BY id DESC LIMIT 1", error);
  g_autoptr (MamoriPolicy) policy = NULL;
  const char *json;
  gboolean found = FALSE;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                           _ ("The school has no policy in force: take-out follows its rules"));
      return NULL;
    }
  json = (const char *)sqlite3_column_text (stmt, 0);
  G_LOCK (policy_cache);
  if (cached_json != NULL && g_str_equal (cached_json, json))
    policy = g_object_ref (cached_policy);
  G_UNLOCK (policy_cache);
  if (policy != NULL)
    return g_steal_pointer (&policy);
  policy = mamori_policy_new_from_data (json, strlen (json), "policy", error);
  if (policy == NULL)
    return NULL;
  G_LOCK (policy_cache);
  g_free (cached_json);
  cached_json = g_strdup (json);
  g_set_object (&cached_policy, policy);
  G_UNLOCK (policy_cache);
  return g_steal_pointer (&policy);
}

/* --- reading the tables ------------------------------------------------------------- */

static char *
column_dup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

MamoriTakeoutRequest *
_mamori_takeout_request_from_row (sqlite3_stmt *stmt)
{
  MamoriTakeoutRequest *request = g_new0 (MamoriTakeoutRequest, 1);
  g_autoptr (JsonNode) items = json_from_string ((const char *)sqlite3_column_text (stmt, 3), NULL);

  request->id = column_dup (stmt, 0);
  request->requester = column_dup (stmt, 1);
  request->requester_name = column_dup (stmt, 2);
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    request->items = _mamori_takeout_items_from_json (json_node_get_array (items), NULL);
  if (request->items == NULL)
    request->items = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_item_free);
  request->level = column_dup (stmt, 4);
  mamori_takeout_rule_from_string ((const char *)sqlite3_column_text (stmt, 5), &request->rule);
  mamori_takeout_medium_from_string ((const char *)sqlite3_column_text (stmt, 6), &request->medium);
  request->destination = column_dup (stmt, 7);
  request->purpose = column_dup (stmt, 8);
  request->date_from = column_dup (stmt, 9);
  request->date_until = column_dup (stmt, 10);
  mamori_takeout_state_from_string ((const char *)sqlite3_column_text (stmt, 11), &request->state);
  request->reason = column_dup (stmt, 12);
  request->version = column_dup (stmt, 13);
  request->approved_by = column_dup (stmt, 14);
  request->approved_by_name = column_dup (stmt, 15);
  request->grant = column_dup (stmt, 16);
  request->noted_by = column_dup (stmt, 17);
  request->confirmed_by = column_dup (stmt, 18);
  request->created_seq = sqlite3_column_int64 (stmt, 19);
  request->created_at = column_dup (stmt, 20);
  request->updated_seq = sqlite3_column_int64 (stmt, 21);
  request->rejected_by = column_dup (stmt, 22);
  request->steps = _mamori_takeout_steps_from_text ((const char *)sqlite3_column_text (stmt, 23));
  request->n_steps = MAX (sqlite3_column_int (stmt, 24), 1);
  return request;
}

void
mamori_takeout_request_free (MamoriTakeoutRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->id);
  g_free (request->requester);
  g_free (request->requester_name);
  g_clear_pointer (&request->items, g_ptr_array_unref);
  g_free (request->level);
  g_free (request->destination);
  g_free (request->purpose);
  g_free (request->date_from);
  g_free (request->date_until);
  g_free (request->reason);
  g_free (request->version);
  g_strfreev (request->steps);
  g_free (request->approved_by);
  g_free (request->approved_by_name);
  g_free (request->rejected_by);
  g_free (request->grant);
  g_free (request->noted_by);
  g_free (request->confirmed_by);
  g_free (request->created_at);
  g_free (request);
}

void
mamori_takeout_grant_free (MamoriTakeoutGrant *grant)
{
  if (grant == NULL)
    return;
  g_free (grant->id);
  g_free (grant->grantee);
  g_free (grant->grantee_name);
  g_free (grant->max_level);
  g_free (grant->date_until);
  g_free (grant->granted_by);
  g_free (grant->granted_by_name);
  g_free (grant->granted_at);
  g_free (grant);
}

/* Every row of @stmt as a request. */
static GPtrArray *
collect (MamoriDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) requests
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_request_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (requests, _mamori_takeout_request_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&requests);
}

MamoriTakeoutRequest *
mamori_takeout_find (MamoriDb *db, const char *id, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM "WHERE r.id = ?",
      error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!mamori_db_step_row (db, stmt, &found, error) || !found)
    return NULL;
  return _mamori_takeout_request_from_row (stmt);
}

GPtrArray *
mamori_takeout_list (MamoriDb *db, const MamoriTakeoutFilter *filter, GError **error)
{
  /* One statement per kind of filter, so that each uses its index (a condition such as
   * "?1 IS NULL OR state = ?1" would make SQLite read every request). */
  static const char *const sql[] = {
    "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
    "ORDER BY r.created_seq DESC",
    "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
    "WHERE r.state = ?1 ORDER BY r.created_seq DESC",
    "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
    "WHERE r.requester = ?2 ORDER BY r.created_seq DESC",
    "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
    "WHERE r.requester = ?2 AND r.state = ?1 ORDER BY r.created_seq DESC",
  };
  gboolean by_state = filter != NULL && filter->state >= 0;
  gboolean by_requester = filter != NULL && filter->requester != NULL;
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, sql[(by_requester ? 2 : 0) + (by_state ? 1 : 0)], error);

  if (stmt == NULL)
    return NULL;
  if (by_state)
    sqlite3_bind_text (stmt, 1, mamori_takeout_state_to_string (filter->state), -1, SQLITE_STATIC);
  if (by_requester)
    sqlite3_bind_text (stmt, 2, filter->requester, -1, SQLITE_TRANSIENT);
  return collect (db, stmt, error);
}

GPtrArray *
mamori_takeout_list_overdue (MamoriDb *db, const char *today, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
      "WHERE r.state = 'out' AND r.date_until < ? ORDER BY r.date_until, r.created_seq",
      error);

  g_return_val_if_fail (today != NULL, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  return collect (db, stmt, error);
}

GPtrArray *
mamori_takeout_list_due_soon (MamoriDb *db, const char *today, guint days, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
      "WHERE r.state = 'out' AND r.date_until >= ?1 AND r.date_until <= date(?1, ?2) "
      "ORDER BY r.date_until, r.created_seq",
      error);
  g_autofree char *offset = g_strdup_printf ("+%u days", days);

  g_return_val_if_fail (mamori_takeout_date_is_valid (today), NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, offset, -1, SQLITE_TRANSIENT);
  return collect (db, stmt, error);
}

gboolean
mamori_takeout_request_is_overdue (const MamoriTakeoutRequest *request, const char *today)
{
  g_return_val_if_fail (request != NULL && today != NULL, FALSE);

  return request->state == MAMORI_TAKEOUT_STATE_OUT && strcmp (request->date_until, today) < 0;
}

GPtrArray *
mamori_takeout_list_queue (MamoriDb *db, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
      "WHERE r.state IN ('pending', 'returned', 'recorded', 'out') AND (r.state IN "
      "('pending', 'returned') OR (r.rule = 'notify' AND r.noted_by IS NULL)) "
      "ORDER BY r.created_seq",
      error);

  return stmt != NULL ? collect (db, stmt, error) : NULL;
}

/* Read straight from the log by the numbers the fold noted: a request's timeline costs its
 * own few events, not a pass over every take-out event of the school. */
GPtrArray *
mamori_takeout_history (MamoriDb *db, const char *id, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db,
                             "SELECT e.seq, e.payload, e.sig, e.server_seq FROM takeout_history h "
                             "JOIN events e ON e.seq = h.seq WHERE h.request = ? ORDER BY h.seq",
                             error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GBytes) payload
          = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      MamoriEvent *event;

      if (sqlite3_column_bytes (stmt, 2) != MAMORI_SIGNATURE_SIZE)
        {
          g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                               _ ("A take-out event is stored damaged"));
          return NULL;
        }
      event = mamori_event_parse (payload, sqlite3_column_blob (stmt, 2), error);
      if (event == NULL)
        return NULL;
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->server_seq = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

#define GRANT_SELECT                                                                               \
  "SELECT g.id, g.grantee, s.name, g.max_level, g.date_until, g.granted_by, b.name, "              \
  "g.granted_at, g.revoked_seq IS NOT NULL FROM takeout_grants g "                                 \
  "LEFT JOIN staff s ON s.id = g.grantee LEFT JOIN staff b ON b.id = g.granted_by "

static MamoriTakeoutGrant *
grant_from_row (sqlite3_stmt *stmt)
{
  MamoriTakeoutGrant *grant = g_new0 (MamoriTakeoutGrant, 1);

  grant->id = column_dup (stmt, 0);
  grant->grantee = column_dup (stmt, 1);
  grant->grantee_name = column_dup (stmt, 2);
  grant->max_level = column_dup (stmt, 3);
  grant->date_until = column_dup (stmt, 4);
  grant->granted_by = column_dup (stmt, 5);
  grant->granted_by_name = column_dup (stmt, 6);
  grant->granted_at = column_dup (stmt, 7);
  grant->revoked = sqlite3_column_int (stmt, 8);
  return grant;
}

GPtrArray *
mamori_takeout_list_grants (MamoriDb *db, gboolean include_revoked, GError **error)
{
  g_autoptr (GPtrArray) grants
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_grant_free);
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, GRANT_SELECT "WHERE ?1 OR g.revoked_seq IS NULL ORDER BY g.granted_seq DESC", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_revoked);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (grants, grant_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&grants);
}

gboolean
mamori_takeout_grant_is_valid (const MamoriTakeoutGrant *grant, const char *today)
{
  g_return_val_if_fail (grant != NULL && today != NULL, FALSE);

  return !grant->revoked && strcmp (grant->date_until, today) >= 0;
}

gboolean
mamori_takeout_grant_is_for (const MamoriTakeoutGrant *grant, const char *staff_id)
{
  g_return_val_if_fail (grant != NULL, FALSE);

  return g_str_equal (grant->grantee, MAMORI_TAKEOUT_GRANTEE_ALL)
         || g_strcmp0 (grant->grantee, staff_id) == 0;
}

GPtrArray *
mamori_takeout_list_usable_grants (MamoriDb *db,
                                   const char *requester,
                                   const char *filed_on,
                                   GError **error)
{
  g_autoptr (GPtrArray) grants
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_grant_free);
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      GRANT_SELECT "WHERE g.revoked_seq IS NULL AND (g.grantee = ?1 OR g.grantee = 'all') "
                   "AND g.granted_by != ?1 AND g.date_until >= ?2 ORDER BY g.granted_seq",
      error);
  int rc;

  g_return_val_if_fail (requester != NULL && filed_on != NULL, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, requester, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, filed_on, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (grants, grant_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&grants);
}

const MamoriTakeoutGrant *
mamori_takeout_grants_find_covering (GPtrArray *grants,
                                     MamoriPolicy *policy,
                                     MamoriLevel *level,
                                     const char *date_until)
{
  g_return_val_if_fail (grants != NULL && date_until != NULL, NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy) && MAMORI_IS_LEVEL (level), NULL);

  for (guint i = 0; i < grants->len; i++)
    {
      const MamoriTakeoutGrant *grant = g_ptr_array_index (grants, i);
      MamoriLevel *max = mamori_policy_lookup_level (policy, grant->max_level);

      /* Rank 0 is the most sensitive: the grant covers its level and those below. */
      if (strcmp (grant->date_until, date_until) >= 0 && max != NULL
          && mamori_level_get_rank (level) >= mamori_level_get_rank (max))
        return grant;
    }
  return NULL;
}

MamoriTakeoutGrant *
mamori_takeout_find_covering_grant (MamoriDb *db,
                                    MamoriPolicy *policy,
                                    const char *requester,
                                    MamoriLevel *level,
                                    const char *date_until,
                                    const char *filed_on,
                                    GError **error)
{
  g_autoptr (GPtrArray) grants = mamori_takeout_list_usable_grants (db, requester, filed_on, error);
  const MamoriTakeoutGrant *grant;
  guint index;

  if (grants == NULL)
    return NULL;
  grant = mamori_takeout_grants_find_covering (grants, policy, level, date_until);
  if (grant == NULL || !g_ptr_array_find (grants, grant, &index))
    return NULL;
  return g_ptr_array_steal_index (grants, index);
}

/* --- event bodies ------------------------------------------------------------------- */

JsonNode *
mamori_takeout_request_body (const char *id, const MamoriTakeoutDraft *draft)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "acknowledged");
  json_builder_add_boolean_value (builder, TRUE);
  add_string (builder, "from", draft->date_from);
  add_string (builder, "id", id);
  json_builder_set_member_name (builder, "items");
  add_items (builder, draft->items, FALSE);
  add_string (builder, "medium", mamori_takeout_medium_to_string (draft->medium));
  add_string (builder, "purpose", draft->purpose);
  add_string (builder, "to", draft->destination);
  add_string (builder, "until", draft->date_until);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_takeout_decision_body (const char *id, const char *version, guint step, const char *reason)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", id);
  add_string (builder, "reason", reason);
  if (step > 0)
    {
      json_builder_set_member_name (builder, "step");
      json_builder_add_int_value (builder, step);
    }
  add_string (builder, "version", version);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_takeout_id_body (const char *id)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_takeout_grant_body (const char *grant,
                           const char *grantee,
                           const char *max_level,
                           const char *date_until)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "grant", grant);
  add_string (builder, "max_level", max_level);
  add_string (builder, "to", grantee);
  add_string (builder, "until", date_until);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- acting ------------------------------------------------------------------------- */

#define MAX_SIMILAR 5

/* Up to MAX_SIMILAR names of entries that contain @name, text compared as the lookup
 * compares it (full and half width, katakana and hiragana, brackets dropped), joined with
 * 「、」; NULL when there are none.  Only when a name was not found: it reads the whole
 * register once. */
static char *
similar_names (MamoriDb *db, const char *name)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT name FROM register_entries WHERE removed_seq IS NULL ORDER BY created_seq", NULL);
  g_autofree char *wanted = mamori_normalize (name);
  g_autoptr (GString) found = g_string_new (NULL);
  guint n = 0;

  if (stmt == NULL || *wanted == '\0')
    return NULL;
  while (n < MAX_SIMILAR && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *candidate = (const char *)sqlite3_column_text (stmt, 0);
      g_autofree char *normal = mamori_normalize (candidate);

      if (strstr (normal, wanted) != NULL)
        g_string_append_printf (found, "%s%s", n++ > 0 ? "、" : "", candidate);
    }
  return n > 0 ? g_string_free (g_steal_pointer (&found), FALSE) : NULL;
}

MamoriTakeoutItem *
mamori_takeout_item_from_register (MamoriDb *db, const char *name, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "SELECT id, name, level, takeout FROM register_entries WHERE removed_seq IS NULL "
      "AND (name = ?1 OR id = ?1) ORDER BY created_seq LIMIT 2",
      error);
  g_autoptr (MamoriTakeoutItem) item = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (item != NULL)
        {
          g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_INVALID,
                       _ ("“%s” is in the register more than once (in different places): name "
                          "it by its id"),
                       name);
          return NULL;
        }
      item = mamori_takeout_item_new (
          (const char *)sqlite3_column_text (stmt, 0), (const char *)sqlite3_column_text (stmt, 1),
          (const char *)sqlite3_column_text (stmt, 2), (const char *)sqlite3_column_text (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  if (item == NULL)
    {
      g_autofree char *similar = similar_names (db, name);

      if (similar != NULL)
        g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_NOT_FOUND,
                     _ ("“%s” is not in the register; entries whose names contain it: %s"), name,
                     similar);
      else
        g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_NOT_FOUND,
                     _ ("“%s” is not in the register"), name);
    }
  return g_steal_pointer (&item);
}

static gboolean
append (MamoriVault *vault, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = mamori_vault_append_event (vault, type, body, error);

  return event != NULL;
}

MamoriTakeoutRequest *
_mamori_takeout_require_request (MamoriVault *vault, const char *id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriTakeoutRequest *request
      = mamori_takeout_find (mamori_vault_get_store (vault), id, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (request == NULL)
    g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_NOT_FOUND,
                 _ ("There is no take-out request %s"), id);
  return request;
}

static MamoriTakeoutRequest *
file_or_change (MamoriVault *vault,
                const char *type,
                const char *id,
                const MamoriTakeoutDraft *draft,
                GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (!append (vault, type, mamori_takeout_request_body (id, draft), error))
    return NULL;
  return _mamori_takeout_require_request (vault, id, error);
}

MamoriTakeoutRequest *
mamori_takeout_file (MamoriVault *vault, const MamoriTakeoutDraft *draft, GError **error)
{
  g_autofree char *id = mamori_register_new_id ();

  return file_or_change (vault, MAMORI_EVENT_TAKEOUT_REQUESTED, id, draft, error);
}

MamoriTakeoutRequest *
mamori_takeout_change (MamoriVault *vault,
                       const char *id,
                       const MamoriTakeoutDraft *draft,
                       GError **error)
{
  return file_or_change (vault, MAMORI_EVENT_TAKEOUT_CHANGED, id, draft, error);
}

static gboolean
step (MamoriVault *vault, const char *type, const char *id, GError **error)
{
  g_autoptr (MamoriTakeoutRequest) request = _mamori_takeout_require_request (vault, id, error);

  return request != NULL && append (vault, type, mamori_takeout_id_body (id), error);
}

gboolean
mamori_takeout_withdraw (MamoriVault *vault, const char *id, GError **error)
{
  return step (vault, MAMORI_EVENT_TAKEOUT_WITHDRAWN, id, error);
}

gboolean
mamori_takeout_take_out (MamoriVault *vault, const char *id, GError **error)
{
  return step (vault, MAMORI_EVENT_TAKEN_OUT, id, error);
}

gboolean
mamori_takeout_return (MamoriVault *vault, const char *id, GError **error)
{
  return step (vault, MAMORI_EVENT_RETURNED, id, error);
}

gboolean
mamori_takeout_acknowledge (MamoriVault *vault, const char *id, GError **error)
{
  return step (vault, MAMORI_EVENT_TAKEOUT_NOTIFIED, id, error);
}

gboolean
mamori_takeout_revoke (MamoriVault *vault, const char *grant_id, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "grant", grant_id);
  json_builder_end_object (builder);
  return append (vault, MAMORI_EVENT_BLANKET_REVOKED, json_builder_get_root (builder), error);
}
