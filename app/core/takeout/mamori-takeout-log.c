/* mamori-takeout-log.c — the 持出簿 (take-out log) for a range of dates, as CSV
 *
 * One row per request whose period meets the range, in the order filed: what the school
 * files as its take-out log.  Requests the policy refused at once are left out: nothing
 * was taken out, and the approvers see them in the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-level.h"
#include "mamori-takeout-private.h"

char *
mamori_takeout_items_describe (const MamoriTakeoutRequest *request)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < request->items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (request->items, i);

      if (i > 0)
        g_string_append (text, "、");
      g_string_append (text, item->name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
mamori_takeout_filed_on (const MamoriTakeoutRequest *request)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (request->created_at, NULL);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d")
                       : g_strndup (request->created_at, 10);
}

GPtrArray *
mamori_takeout_list_between (MamoriDb *db, const char *from, const char *until, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "SELECT " MAMORI_TAKEOUT_REQUEST_COLUMNS MAMORI_TAKEOUT_REQUEST_FROM
      "WHERE r.state != 'refused' AND r.date_from <= ?2 AND r.date_until >= ?1 "
      "ORDER BY r.created_seq",
      error);
  g_autoptr (GPtrArray) requests
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_request_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (requests, _mamori_takeout_request_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&requests);
}

GBytes *
mamori_takeout_log_csv (MamoriDb *db,
                        MamoriPolicy *policy,
                        const char *from,
                        const char *until,
                        MamoriCsvEncoding encoding,
                        GError **error)
{
  const char *header[] = {
    _ ("Filed"),   _ ("Requester"),   _ ("Information assets"),
    _ ("Level"),   _ ("Medium"),      _ ("Destination"),
    _ ("Purpose"), _ ("From"),        _ ("Until"),
    _ ("State"),   _ ("Approved by"), _ ("Request id"),
  };
  g_autoptr (GPtrArray) requests = mamori_takeout_list_between (db, from, until, error);
  g_autoptr (GString) text = g_string_new (NULL);

  if (requests == NULL)
    return NULL;
  mamori_csv_append_row (text, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < requests->len; i++)
    {
      const MamoriTakeoutRequest *r = g_ptr_array_index (requests, i);
      MamoriLevel *level = mamori_policy_lookup_level (policy, r->level);
      g_autofree char *filed = mamori_takeout_filed_on (r);
      g_autofree char *items = mamori_takeout_items_describe (r);
      const char *row[] = {
        filed,
        r->requester_name != NULL ? r->requester_name : r->requester,
        items,
        level != NULL ? mamori_level_get_label (level) : r->level,
        mamori_takeout_medium_get_label (r->medium),
        r->destination,
        r->purpose,
        r->date_from,
        r->date_until,
        mamori_takeout_state_get_label (r->state),
        r->approved_by_name != NULL ? r->approved_by_name : "",
        r->id,
      };

      mamori_csv_append_row (text, row, G_N_ELEMENTS (row));
    }
  return mamori_csv_encode (text->str, encoding, error);
}
