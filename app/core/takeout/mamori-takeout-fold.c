/* mamori-takeout-fold.c — the take-out tables, kept by folding the take-out events
 *
 * `takeout_requests` holds each request as it stands, `takeout_history` which events
 * touched it (its timeline is read back from the log), `takeout_grants` the blanket
 * grants.  The fold reads the policy in force at the event's place in the log (the
 * policy is a record: policy-installed), and the register as it stands there, so folding
 * the log again gives the same tables.
 *
 * The order of the checks matters: authority (NOT_PERMITTED: never kept, whatever the
 * state) comes before the state of the request (CONFLICT: a copy that receives the event
 * late keeps it with no effect).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "mamori-level.h"
#include "mamori-register.h"
#include "mamori-roster.h"
#include "mamori-takeout-private.h"
#include "mamori-text.h"

/* Text members: what a person types in a form, not a document. */
#define TEXT_MAX 1000

gboolean
_mamori_takeout_refuse (GError **error, MamoriRecordsError code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (MAMORI_RECORDS_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

gboolean
_mamori_takeout_is_hex_id (const char *text, gsize bytes)
{
  g_autofree guint8 *buffer = g_malloc (bytes);

  return text != NULL && mamori_hex_decode (text, buffer, bytes);
}

static const char *
body_text (const MamoriEvent *event, const char *member, GError **error)
{
  const char *text = mamori_event_body_string (event, member, error);
  gunichar hidden;

  if (text == NULL)
    return NULL;
  if (*text == '\0' || g_utf8_strlen (text, -1) > TEXT_MAX)
    {
      _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                              _ ("“%s” of a %s event must hold 1 to %d characters"), member,
                              event->type, TEXT_MAX);
      return NULL;
    }
  /* Shown in lists, printed on the form and in the 持出簿, written to CSV: nothing that
   * could show otherwise than it is stored (an escape sequence, a bidirectional override). */
  if ((hidden = mamori_text_find_hidden (text)) != 0)
    {
      _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                              _ ("“%s” of a %s event contains the invisible or control "
                                 "character U+%04X"),
                              member, event->type, hidden);
      return NULL;
    }
  return text;
}

const char *
_mamori_takeout_body_date (const MamoriEvent *event, const char *member, GError **error)
{
  const char *date = mamori_event_body_string (event, member, error);

  if (date != NULL && !mamori_takeout_date_is_valid (date))
    {
      _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                              _ ("“%s” of a %s event must be a date YYYY-MM-DD"), member,
                              event->type);
      return NULL;
    }
  return date;
}

static const char *
body_request_id (const MamoriEvent *event, GError **error)
{
  const char *id = mamori_event_body_string (event, "id", error);

  if (id != NULL && !_mamori_takeout_is_hex_id (id, 16))
    {
      _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                              _ ("A take-out request’s id must be 32 lowercase hex digits"));
      return NULL;
    }
  return id;
}

static MamoriTakeoutRequest *
find_request (MamoriDb *db, const MamoriEvent *event, const char *id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriTakeoutRequest *request = mamori_takeout_find (db, id, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (request == NULL)
    _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                            _ ("There is no take-out request %s to %s"), id, event->type);
  return request;
}

static gboolean
add_history (MamoriDb *db, const char *id, gint64 seq, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "INSERT INTO takeout_history (request, seq) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  return mamori_db_step_done (db, stmt, error);
}

void
_mamori_takeout_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* Writes the whole row of @request, and the event in its history. */
static gboolean
write_request (MamoriDb *db,
               const MamoriTakeoutRequest *request,
               const MamoriEvent *event,
               GError **error)
{
  g_autoptr (JsonNode) items = _mamori_takeout_items_to_json (request->items);
  g_autofree char *items_text = json_to_string (items, FALSE);
  g_autofree char *steps_text = _mamori_takeout_steps_to_text ((const char *const *)request->steps);
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "INSERT OR REPLACE INTO takeout_requests (id, requester, items, level, rule, medium, "
      "destination, purpose, date_from, date_until, state, reason, version, approved_by, "
      "rejected_by, grant_id, noted_by, confirmed_by, created_seq, created_at, updated_seq, "
      "steps, steps_needed) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22, ?23)",
      error);

  if (stmt == NULL)
    return FALSE;
  _mamori_takeout_bind_text (stmt, 1, request->id);
  _mamori_takeout_bind_text (stmt, 2, request->requester);
  _mamori_takeout_bind_text (stmt, 3, items_text);
  _mamori_takeout_bind_text (stmt, 4, request->level);
  _mamori_takeout_bind_text (stmt, 5, mamori_takeout_rule_to_string (request->rule));
  _mamori_takeout_bind_text (stmt, 6, mamori_takeout_medium_to_string (request->medium));
  _mamori_takeout_bind_text (stmt, 7, request->destination);
  _mamori_takeout_bind_text (stmt, 8, request->purpose);
  _mamori_takeout_bind_text (stmt, 9, request->date_from);
  _mamori_takeout_bind_text (stmt, 10, request->date_until);
  _mamori_takeout_bind_text (stmt, 11, mamori_takeout_state_to_string (request->state));
  _mamori_takeout_bind_text (stmt, 12, request->reason);
  _mamori_takeout_bind_text (stmt, 13, request->version);
  _mamori_takeout_bind_text (stmt, 14, request->approved_by);
  _mamori_takeout_bind_text (stmt, 15, request->rejected_by);
  _mamori_takeout_bind_text (stmt, 16, request->grant);
  _mamori_takeout_bind_text (stmt, 17, request->noted_by);
  _mamori_takeout_bind_text (stmt, 18, request->confirmed_by);
  sqlite3_bind_int64 (stmt, 19, request->created_seq);
  _mamori_takeout_bind_text (stmt, 20, request->created_at);
  sqlite3_bind_int64 (stmt, 21, event->seq);
  _mamori_takeout_bind_text (stmt, 22, steps_text);
  sqlite3_bind_int (stmt, 23, MAX (request->n_steps, 1));
  return mamori_db_step_done (db, stmt, error) && add_history (db, request->id, event->seq, error);
}

/* --- filing and changing a request -------------------------------------------------- */

/* The items of the body, each entry of the register checked against the register as it
 * stands: present, and at the level the body says (a requester cannot lower it). */
static GPtrArray *
read_items (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  JsonObject *body = json_node_get_object (event->body);
  JsonNode *node = json_object_get_member (body, "items");
  g_autoptr (GPtrArray) items = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    {
      _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                              _ ("A take-out request needs “items”"));
      return NULL;
    }
  items = _mamori_takeout_items_from_json (json_node_get_array (node), error);
  if (items == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      MamoriTakeoutItem *item = g_ptr_array_index (items, i);
      g_autoptr (MamoriRegisterEntry) entry = NULL;
      g_autoptr (GError) local_error = NULL;

      if (item->asset == NULL)
        continue;
      entry = mamori_register_find (db, item->asset, FALSE, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (entry == NULL)
        {
          _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                  _ ("“%s” is not in the register (any more)"), item->name);
          return NULL;
        }
      if (g_strcmp0 (entry->level, item->level) != 0)
        {
          _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                  _ ("“%s” is at level %s in the register, not %s"), entry->name,
                                  entry->level, item->level);
          return NULL;
        }
      g_free (item->rule);
      item->rule = g_strdup (entry->takeout);
    }
  return g_steal_pointer (&items);
}

/* The blanket grant that covers @request, by someone other than its requester; NULL
 * (and no error) when none does. */
static char *
covering_grant (MamoriDb *db,
                MamoriPolicy *policy,
                const MamoriTakeoutRequest *request,
                MamoriLevel *level,
                char **out_grantor,
                GError **error)
{
  g_autofree char *filed_on = g_strndup (request->created_at, 10);
  g_autoptr (MamoriTakeoutGrant) grant = mamori_takeout_find_covering_grant (
      db, policy, request->requester, level, request->date_until, filed_on, error);

  if (grant == NULL)
    return NULL;
  *out_grantor = g_steal_pointer (&grant->granted_by);
  return g_steal_pointer (&grant->id);
}

/* Reads the request's fields from the body and applies the policy: the state it starts
 * in.  @request carries id, requester, created_* already. */
static gboolean
judge_request (MamoriDb *db,
               const MamoriEvent *event,
               MamoriTakeoutRequest *request,
               GError **error)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *medium, *to, *purpose, *from, *until;
  MamoriTakeoutVerdict verdict;
  JsonNode *acknowledged;

  if ((medium = mamori_event_body_string (event, "medium", error)) == NULL
      || (to = body_text (event, "to", error)) == NULL
      || (purpose = body_text (event, "purpose", error)) == NULL
      || (from = _mamori_takeout_body_date (event, "from", error)) == NULL
      || (until = _mamori_takeout_body_date (event, "until", error)) == NULL)
    return FALSE;
  if (!mamori_takeout_medium_from_string (medium, &request->medium))
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                                   _ ("“%s” is not a take-out medium"), medium);
  if (strcmp (from, until) > 0)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                                   _ ("A take-out period cannot end (%s) before it starts (%s)"),
                                   until, from);
  acknowledged = json_object_get_member (json_node_get_object (event->body), "acknowledged");
  if (acknowledged == NULL || !JSON_NODE_HOLDS_VALUE (acknowledged)
      || json_node_get_value_type (acknowledged) != G_TYPE_BOOLEAN
      || !json_node_get_boolean (acknowledged))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_INVALID,
        _ ("The requester must acknowledge the measures the policy requires"));
  g_clear_pointer (&request->items, g_ptr_array_unref);
  request->items = read_items (db, event, error);
  if (request->items == NULL)
    return FALSE;
  policy = _mamori_takeout_policy_in_force (db, error);
  if (policy == NULL)
    return FALSE;
  if (!mamori_takeout_judge (policy, request->items, request->medium, &verdict, &local_error))
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT, "%s",
                                   local_error->message);

  g_free (request->destination);
  request->destination = g_strdup (to);
  g_free (request->purpose);
  request->purpose = g_strdup (purpose);
  g_free (request->date_from);
  request->date_from = g_strdup (from);
  g_free (request->date_until);
  request->date_until = g_strdup (until);
  g_free (request->level);
  request->level = g_strdup (mamori_level_get_id (verdict.level));
  request->rule = verdict.rule;
  g_free (request->version);
  request->version = mamori_hex_encode (event->id, MAMORI_EVENT_ID_SIZE);
  g_clear_pointer (&request->reason, g_free);
  g_clear_pointer (&request->approved_by, g_free);
  g_clear_pointer (&request->grant, g_free);
  g_clear_pointer (&request->noted_by, g_free);
  /* A new version: every step of its approval is to be signed (again). */
  g_strfreev (request->steps);
  request->steps = g_new0 (char *, 1);
  request->n_steps = mamori_takeout_level_n_steps (verdict.level);

  if (verdict.refusal != MAMORI_TAKEOUT_REFUSAL_NONE)
    {
      request->state = MAMORI_TAKEOUT_STATE_REFUSED;
      request->reason = g_strdup (mamori_takeout_refusal_to_string (verdict.refusal));
      return TRUE;
    }
  switch (verdict.rule)
    {
    case MAMORI_TAKEOUT_APPROVAL_BLANKET:
      request->grant = covering_grant (db, policy, request, verdict.level, &request->approved_by,
                                       &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      request->state
          = request->grant != NULL ? MAMORI_TAKEOUT_STATE_APPROVED : MAMORI_TAKEOUT_STATE_PENDING;
      break;
    case MAMORI_TAKEOUT_NOTIFY:
    case MAMORI_TAKEOUT_FREE:
      request->state = MAMORI_TAKEOUT_STATE_RECORDED;
      break;
    case MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE:
    case MAMORI_TAKEOUT_FORBIDDEN:
    default:
      request->state = MAMORI_TAKEOUT_STATE_PENDING;
      break;
    }
  return TRUE;
}

static gboolean
fold_requested (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);
  g_autoptr (MamoriTakeoutRequest) existing = NULL;
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *id;

  if (author == NULL || (id = body_request_id (event, error)) == NULL)
    return FALSE;
  existing = mamori_takeout_find (db, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                   _ ("There is already a request %s"), id);
  request = g_new0 (MamoriTakeoutRequest, 1);
  request->id = g_strdup (id);
  request->requester = g_strdup (author->id);
  request->created_seq = event->seq;
  request->created_at = g_strdup (event->created_at);
  return judge_request (db, event, request, error) && write_request (db, request, event, error);
}

/* Who acts on an existing request: its requester, or an approver of its level who is
 * not its requester. */
typedef enum
{
  ACTOR_REQUESTER,
  ACTOR_APPROVER,
} Actor;

static gboolean
require_actor (MamoriDb *db,
               const MamoriEvent *event,
               const MamoriStaff *author,
               const MamoriTakeoutRequest *request,
               Actor actor,
               GError **error)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  MamoriLevel *level;

  if (actor == ACTOR_REQUESTER)
    {
      if (g_strcmp0 (author->id, request->requester) == 0)
        return TRUE;
      return _mamori_takeout_refuse (
          error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
          _ ("Only the requester may %s take-out request %s; %s did not file it"), event->type,
          request->id, author->name);
    }
  if (g_strcmp0 (author->id, request->requester) == 0)
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s filed take-out request %s and may not decide it (%s): another "
           "approver must"),
        author->name, request->id, event->type);
  policy = _mamori_takeout_policy_in_force (db, error);
  if (policy == NULL)
    return FALSE;
  level = mamori_policy_lookup_level (policy, request->level);
  if (level == NULL)
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_CONFLICT,
        _ ("The policy in force has no level %s any more: file the request again"), request->level);
  if (!mamori_takeout_level_can_approve (level, author->role))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s (%s) has no authority over take-outs at %s: the policy names other "
           "approvers"),
        author->name, mamori_role_get_label (author->role), mamori_level_get_label (level));
  return TRUE;
}

static gboolean
require_state (const MamoriEvent *event,
               const MamoriTakeoutRequest *request,
               const MamoriTakeoutState *states,
               guint n_states,
               GError **error)
{
  for (guint i = 0; i < n_states; i++)
    if (request->state == states[i])
      return TRUE;
  return _mamori_takeout_refuse (
      error, MAMORI_RECORDS_ERROR_CONFLICT, _ ("Take-out request %s is %s: it cannot take %s now"),
      request->id, mamori_takeout_state_get_label (request->state), event->type);
}

/* The request the event names, with its author allowed to act on it as @actor. */
static MamoriTakeoutRequest *
begin_step (
    MamoriDb *db, const MamoriEvent *event, Actor actor, MamoriStaff **out_author, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  const char *id;

  if (author == NULL || (id = body_request_id (event, error)) == NULL
      || (request = find_request (db, event, id, error)) == NULL
      || !require_actor (db, event, author, request, actor, error))
    return NULL;
  *out_author = g_steal_pointer (&author);
  return g_steal_pointer (&request);
}

static gboolean
fold_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[]
      = { MAMORI_TAKEOUT_STATE_PENDING, MAMORI_TAKEOUT_STATE_APPROVED,
          MAMORI_TAKEOUT_STATE_RECORDED };
  g_autoptr (MamoriStaff) author = NULL;
  g_autoptr (MamoriTakeoutRequest) request
      = begin_step (db, event, ACTOR_REQUESTER, &author, error);

  return request != NULL && require_state (event, request, from, G_N_ELEMENTS (from), error)
         && judge_request (db, event, request, error) && write_request (db, request, event, error);
}

/* An approval or a rejection cites the version it decides: the latest one. */
static gboolean
require_version (const MamoriEvent *event, const MamoriTakeoutRequest *request, GError **error)
{
  const char *version = mamori_event_body_string (event, "version", error);

  if (version == NULL)
    return FALSE;
  if (g_strcmp0 (version, request->version) != 0)
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_CONFLICT,
        _ ("Take-out request %s was changed after the version this %s cites: the "
           "new version needs deciding again"),
        request->id, event->type);
  return TRUE;
}

/* The step an approval signs: its "step", or 1 for an approval made before approvals
 * had steps (it had one).  docs/records.md, "takeout-approved". */
static gboolean
body_step (const MamoriEvent *event, guint *out_step, GError **error)
{
  JsonNode *node = json_object_get_member (json_node_get_object (event->body), "step");
  gint64 step;

  if (node == NULL)
    {
      *out_step = 1;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || (step = json_node_get_int (node)) < 1 || step > MAMORI_TAKEOUT_MAX_STEPS)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                                   _ ("“step” of a %s event must be a whole number from 1 to %d"),
                                   event->type, MAMORI_TAKEOUT_MAX_STEPS);
  *out_step = step;
  return TRUE;
}

/* An approval signs one step: by a role the policy in force names for that step (never
 * kept otherwise), of the latest version, pending, the next step (a conflict otherwise),
 * and not by someone who signed another step of it (separation of duties: never kept). */
static gboolean
fold_approved (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[] = { MAMORI_TAKEOUT_STATE_PENDING };
  g_autoptr (MamoriStaff) author = NULL;
  g_autoptr (MamoriTakeoutRequest) request = begin_step (db, event, ACTOR_APPROVER, &author, error);
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GStrvBuilder) steps = NULL;
  MamoriLevel *level;
  guint step = 0, next, n_steps;

  if (request == NULL || !body_step (event, &step, error)
      || (policy = _mamori_takeout_policy_in_force (db, error)) == NULL)
    return FALSE;
  /* begin_step() found the level in this policy. */
  level = mamori_policy_lookup_level (policy, request->level);
  n_steps = mamori_takeout_level_n_steps (level);
  if (!mamori_takeout_level_step_allows (level, step, author->role))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s (%s) may not sign step %u of an approval at %s: the policy names "
           "other roles for it"),
        author->name, mamori_role_get_label (author->role), step, mamori_level_get_label (level));
  if (!require_version (event, request, error)
      || !require_state (event, request, from, G_N_ELEMENTS (from), error))
    return FALSE;
  next = g_strv_length (request->steps) + 1;
  if (step != next)
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_CONFLICT,
        _ ("Take-out request %s waits for step %u of its approval, not step %u"), request->id, next,
        step);
  if (g_strv_contains ((const char *const *)request->steps, author->id))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s signed another step of take-out request %s: each step is signed by "
           "someone else"),
        author->name, request->id);
  steps = g_strv_builder_new ();
  g_strv_builder_addv (steps, (const char **)request->steps);
  g_strv_builder_add (steps, author->id);
  g_strfreev (request->steps);
  request->steps = g_strv_builder_end (steps);
  request->n_steps = MAX (n_steps, step);
  if (step >= n_steps)
    {
      request->state = MAMORI_TAKEOUT_STATE_APPROVED;
      g_free (request->approved_by);
      request->approved_by = g_strdup (author->id);
    }
  return write_request (db, request, event, error);
}

static gboolean
fold_rejected (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[] = { MAMORI_TAKEOUT_STATE_PENDING };
  g_autoptr (MamoriStaff) author = NULL;
  g_autoptr (MamoriTakeoutRequest) request = begin_step (db, event, ACTOR_APPROVER, &author, error);
  const char *reason;

  if (request == NULL || (reason = body_text (event, "reason", error)) == NULL
      || !require_version (event, request, error)
      || !require_state (event, request, from, G_N_ELEMENTS (from), error))
    return FALSE;
  request->state = MAMORI_TAKEOUT_STATE_REJECTED;
  g_free (request->reason);
  request->reason = g_strdup (reason);
  g_free (request->rejected_by);
  request->rejected_by = g_strdup (author->id);
  return write_request (db, request, event, error);
}

/* A step with no body of its own: from one of @from to @to, by @actor. */
static gboolean
fold_step (MamoriDb *db,
           const MamoriEvent *event,
           Actor actor,
           const MamoriTakeoutState *from,
           guint n_from,
           MamoriTakeoutState to,
           GError **error)
{
  g_autoptr (MamoriStaff) author = NULL;
  g_autoptr (MamoriTakeoutRequest) request = begin_step (db, event, actor, &author, error);

  if (request == NULL || !require_state (event, request, from, n_from, error))
    return FALSE;
  request->state = to;
  if (to == MAMORI_TAKEOUT_STATE_CLOSED)
    {
      g_free (request->confirmed_by);
      request->confirmed_by = g_strdup (author->id);
    }
  return write_request (db, request, event, error);
}

static gboolean
fold_withdrawn (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[]
      = { MAMORI_TAKEOUT_STATE_PENDING, MAMORI_TAKEOUT_STATE_APPROVED,
          MAMORI_TAKEOUT_STATE_RECORDED };

  return fold_step (db, event, ACTOR_REQUESTER, from, G_N_ELEMENTS (from),
                    MAMORI_TAKEOUT_STATE_WITHDRAWN, error);
}

static gboolean
fold_taken_out (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[]
      = { MAMORI_TAKEOUT_STATE_APPROVED, MAMORI_TAKEOUT_STATE_RECORDED };

  return fold_step (db, event, ACTOR_REQUESTER, from, G_N_ELEMENTS (from), MAMORI_TAKEOUT_STATE_OUT,
                    error);
}

static gboolean
fold_returned (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[] = { MAMORI_TAKEOUT_STATE_OUT };

  return fold_step (db, event, ACTOR_REQUESTER, from, G_N_ELEMENTS (from),
                    MAMORI_TAKEOUT_STATE_RETURNED, error);
}

static gboolean
fold_return_confirmed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  static const MamoriTakeoutState from[] = { MAMORI_TAKEOUT_STATE_RETURNED };

  return fold_step (db, event, ACTOR_APPROVER, from, G_N_ELEMENTS (from),
                    MAMORI_TAKEOUT_STATE_CLOSED, error);
}

static gboolean
fold_notified (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = NULL;
  g_autoptr (MamoriTakeoutRequest) request = begin_step (db, event, ACTOR_APPROVER, &author, error);

  if (request == NULL)
    return FALSE;
  if (request->rule != MAMORI_TAKEOUT_NOTIFY || request->noted_by != NULL
      || request->state == MAMORI_TAKEOUT_STATE_REFUSED)
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_CONFLICT,
        _ ("Take-out request %s has no notification waiting to be acknowledged"), request->id);
  request->noted_by = g_strdup (author->id);
  return write_request (db, request, event, error);
}

static const MamoriEventHandler handlers[] = {
  { MAMORI_EVENT_TAKEOUT_REQUESTED, fold_requested },
  { MAMORI_EVENT_TAKEOUT_CHANGED, fold_changed },
  { MAMORI_EVENT_TAKEOUT_APPROVED, fold_approved },
  { MAMORI_EVENT_TAKEOUT_REJECTED, fold_rejected },
  { MAMORI_EVENT_TAKEOUT_WITHDRAWN, fold_withdrawn },
  { MAMORI_EVENT_TAKEN_OUT, fold_taken_out },
  { MAMORI_EVENT_RETURNED, fold_returned },
  { MAMORI_EVENT_RETURN_CONFIRMED, fold_return_confirmed },
  { MAMORI_EVENT_TAKEOUT_NOTIFIED, fold_notified },
  { MAMORI_EVENT_BLANKET_GRANTED, _mamori_takeout_fold_granted },
  { MAMORI_EVENT_BLANKET_REVOKED, _mamori_takeout_fold_revoked },
};

const MamoriFoldModule mamori_takeout_fold_module = {
  handlers,
  G_N_ELEMENTS (handlers),
  "DELETE FROM takeout_requests; DELETE FROM takeout_history; DELETE FROM takeout_grants;",
};
