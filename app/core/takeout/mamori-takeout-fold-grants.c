/* mamori-takeout-fold-grants.c — the fold of blanket grants (包括的承認): blanket-granted
 * and blanket-revoked
 *
 * A blanket grant approves in full for the requests it covers, so it is given by a role
 * the policy in force names for the last step of an approval at its level.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-level.h"
#include "mamori-roster.h"
#include "mamori-takeout-private.h"

gboolean
_mamori_takeout_fold_granted (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriDbStatement) stmt = NULL;
  const char *grant, *to, *max_level, *until;
  MamoriLevel *level;
  int rc;

  if (author == NULL || (grant = mamori_event_body_string (event, "grant", error)) == NULL
      || (to = mamori_event_body_string (event, "to", error)) == NULL
      || (max_level = mamori_event_body_string (event, "max_level", error)) == NULL
      || (until = _mamori_takeout_body_date (event, "until", error)) == NULL)
    return FALSE;
  if (!_mamori_takeout_is_hex_id (grant, 16))
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_INVALID,
                                   _ ("A blanket grant’s id must be 32 lowercase hex digits"));
  policy = _mamori_takeout_policy_in_force (db, error);
  if (policy == NULL)
    return FALSE;
  level = mamori_policy_lookup_level (policy, max_level);
  if (level == NULL)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                   _ ("The policy in force has no level %s"), max_level);
  if (!mamori_takeout_level_can_grant (level, author->role))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s (%s) has no authority over take-outs at %s and may not grant a "
           "blanket approval for it"),
        author->name, mamori_role_get_label (author->role), mamori_level_get_label (level));
  if (g_str_equal (to, author->id))
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
                                   _ ("%s may not grant a blanket approval to themselves"),
                                   author->name);
  if (!g_str_equal (to, MAMORI_TAKEOUT_GRANTEE_ALL))
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (MamoriStaff) grantee = mamori_roster_find_by_id (db, to, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (grantee == NULL || grantee->removed_seq != 0)
        return _mamori_takeout_refuse (
            error, MAMORI_RECORDS_ERROR_CONFLICT,
            _ ("A blanket grant is for someone on the staff, or for all staff"));
    }
  stmt = mamori_db_statement (
      db,
      "INSERT INTO takeout_grants (id, grantee, max_level, date_until, granted_by, granted_seq, "
      "granted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  _mamori_takeout_bind_text (stmt, 1, grant);
  _mamori_takeout_bind_text (stmt, 2, to);
  _mamori_takeout_bind_text (stmt, 3, max_level);
  _mamori_takeout_bind_text (stmt, 4, until);
  _mamori_takeout_bind_text (stmt, 5, author->id);
  sqlite3_bind_int64 (stmt, 6, event->seq);
  _mamori_takeout_bind_text (stmt, 7, event->created_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                   _ ("There is already a blanket grant %s"), grant);
  return mamori_db_fail (db, rc, error);
}

gboolean
_mamori_takeout_fold_revoked (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);
  g_autoptr (MamoriDbStatement) select = NULL;
  g_autoptr (MamoriDbStatement) update = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autofree char *max_level = NULL, *granted_by = NULL;
  gboolean found = FALSE, revoked;
  const char *grant;
  MamoriLevel *level;

  if (author == NULL || (grant = mamori_event_body_string (event, "grant", error)) == NULL)
    return FALSE;
  select = mamori_db_statement (
      db, "SELECT max_level, granted_by, revoked_seq FROM takeout_grants WHERE id = ?", error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_text (select, 1, grant, -1, SQLITE_STATIC);
  if (!mamori_db_step_row (db, select, &found, error))
    return FALSE;
  if (!found)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                   _ ("There is no blanket grant %s"), grant);
  max_level = g_strdup ((const char *)sqlite3_column_text (select, 0));
  granted_by = g_strdup ((const char *)sqlite3_column_text (select, 1));
  revoked = sqlite3_column_type (select, 2) != SQLITE_NULL;
  policy = _mamori_takeout_policy_in_force (db, error);
  if (policy == NULL)
    return FALSE;
  level = mamori_policy_lookup_level (policy, max_level);
  if (!g_str_equal (granted_by, author->id)
      && (level == NULL || !mamori_takeout_level_can_approve (level, author->role)))
    return _mamori_takeout_refuse (
        error, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
        _ ("%s (%s) may not revoke blanket grant %s: its grantor or an approver of "
           "its level does"),
        author->name, mamori_role_get_label (author->role), grant);
  if (revoked)
    return _mamori_takeout_refuse (error, MAMORI_RECORDS_ERROR_CONFLICT,
                                   _ ("Blanket grant %s was revoked already"), grant);
  update = mamori_db_statement (
      db, "UPDATE takeout_grants SET revoked_by = ?, revoked_seq = ? WHERE id = ?", error);
  if (update == NULL)
    return FALSE;
  _mamori_takeout_bind_text (update, 1, author->id);
  sqlite3_bind_int64 (update, 2, event->seq);
  _mamori_takeout_bind_text (update, 3, grant);
  return mamori_db_step_done (db, update, error);
}
