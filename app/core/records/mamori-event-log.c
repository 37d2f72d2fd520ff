/* mamori-event-log.c — the school's signed event log and the folds that keep the record
 * tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-register.h"
#include "mamori-policy-record.h"
#include "mamori-roster.h"
#include "mamori-takeout.h"

/* Every part of the records that folds events. */
static const MamoriFoldModule *const fold_modules[] = {
  &mamori_roster_fold_module,
  &mamori_register_fold_module,
  &mamori_policy_fold_module,
  &mamori_takeout_fold_module,
};

const MamoriEventHandler *
mamori_event_handler_find (const char *type)
{
  for (gsize m = 0; m < G_N_ELEMENTS (fold_modules); m++)
    for (guint i = 0; i < fold_modules[m]->n_handlers; i++)
      if (g_str_equal (fold_modules[m]->handlers[i].type, type))
        return &fold_modules[m]->handlers[i];
  return NULL;
}

/* A short, stable way to name an event or an author in a message. */
static char *
short_hex (const guint8 *bytes)
{
  return mamori_hex_encode (bytes, 6);
}

gboolean
mamori_event_log_head (MamoriDb *db,
                       const char *school,
                       const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                       gint64 *out_author_seq,
                       guint8 out_id[MAMORI_EVENT_ID_SIZE],
                       GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  gboolean found;

  stmt = mamori_db_statement (db,
                              "SELECT author_seq, id FROM events WHERE school = ? AND author = ? "
                              "ORDER BY author_seq DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, school, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, author, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  if (!mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  *out_author_seq = 0;
  memset (out_id, 0, MAMORI_EVENT_ID_SIZE);
  if (found)
    {
      *out_author_seq = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_bytes (stmt, 1) == MAMORI_EVENT_ID_SIZE)
        memcpy (out_id, sqlite3_column_blob (stmt, 1), MAMORI_EVENT_ID_SIZE);
    }
  return TRUE;
}

gboolean
mamori_event_log_contains (MamoriDb *db,
                           const guint8 id[MAMORI_EVENT_ID_SIZE],
                           gboolean *out_found,
                           GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT 1 FROM events WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, id, MAMORI_EVENT_ID_SIZE, SQLITE_STATIC);
  return mamori_db_step_row (db, stmt, out_found, error);
}

gboolean
mamori_event_log_count (MamoriDb *db, gint64 *out_count, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT count(*) FROM events", error);
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Where @event stands in its author's chain: the next event, or why not.  (Numbers go
 * into messages as text: xgettext cannot read G_GINT64_FORMAT inside a message.) */
static gboolean
check_chain (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autofree char *author = short_hex (event->author);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, event->author_seq);
  guint8 head_id[MAMORI_EVENT_ID_SIZE];
  gint64 head_seq;

  if (!mamori_event_log_head (db, event->school, event->author, &head_seq, head_id, error))
    return FALSE;
  if (event->author_seq <= head_seq)
    {
      gboolean found;

      if (!mamori_event_log_contains (db, event->id, &found, error))
        return FALSE;
      if (found)
        {
          g_autofree char *id = short_hex (event->id);

          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_DUPLICATE,
                       _ ("The records already hold event %s"), id);
        }
      else
        g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_FORK,
                     _ ("Author %s already has an event number %s: a second one is a fork of "
                        "their chain"),
                     author, number);
      return FALSE;
    }
  if (event->author_seq != head_seq + 1)
    {
      g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, head_seq);

      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                   _ ("Event number %s of author %s does not follow their last event, number %s"),
                   number, author, last);
      return FALSE;
    }
  if (head_seq > 0 && memcmp (event->prev, head_id, MAMORI_EVENT_ID_SIZE) != 0)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                   _ ("Event number %s of author %s names another previous event than their "
                      "last one"),
                   number, author);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_event (MamoriDb *db, MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  gsize length;
  const guint8 *payload = g_bytes_get_data (event->payload, &length);

  stmt = mamori_db_statement (db,
                              "INSERT INTO events (id, type, school, author, author_seq, prev, "
                              "created_at, payload, sig, server_seq) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, event->id, sizeof event->id, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->school, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, event->author, sizeof event->author, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, event->author_seq);
  if (event->has_prev)
    sqlite3_bind_blob (stmt, 6, event->prev, sizeof event->prev, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, event->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 8, payload, length, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 9, event->sig, sizeof event->sig, SQLITE_STATIC);
  if (event->server_seq > 0)
    sqlite3_bind_int64 (stmt, 10, event->server_seq);
  else
    sqlite3_bind_null (stmt, 10);
  if (!mamori_db_step_done (db, stmt, error))
    return FALSE;
  event->seq = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

/* The types the board signs for every school at once (`school` = the board's id). */
static const char *const board_wide_types[] = {
  MAMORI_EVENT_POLICY_INSTALLED,
  NULL,
};

/* @event is @school's, or the board's own for every school (docs/records.md, "Chains
 * per school"). */
static gboolean
check_school (MamoriDb *db, const char *school, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriBoardPin) board = NULL;
  g_autoptr (GError) local_error = NULL;

  if (g_str_equal (event->school, school))
    return TRUE;
  board = mamori_roster_get_board (db, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (board != NULL && g_str_equal (event->school, board->id)
      && memcmp (event->author, board->signing_key, MAMORI_SIGNING_KEY_SIZE) == 0
      && g_strv_contains (board_wide_types, event->type))
    return TRUE;
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_WRONG_SCHOOL,
               _ ("The event belongs to another school (%s)"), event->school);
  return FALSE;
}

static gboolean
exists (MamoriDb *db, const char *sql, gint64 a, gint64 b, gboolean *out_found, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return mamori_db_step_row (db, stmt, out_found, error);
}

/* Whether an event the board does not have yet was folded before the one at @seq. */
static gboolean
has_unsent_before (MamoriDb *db, gint64 seq, gboolean *out_found, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT 1 FROM events WHERE server_seq IS NULL AND seq < ? LIMIT 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return mamori_db_step_row (db, stmt, out_found, error);
}

static gboolean
is_out_of_order (MamoriDb *db, gboolean *out_dirty, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT 1 FROM meta WHERE key = 'order'", error);

  return stmt != NULL && mamori_db_step_row (db, stmt, out_dirty, error);
}

static gboolean
mark_out_of_order (MamoriDb *db, GError **error)
{
  return mamori_db_exec (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('order', 'dirty')",
                         error);
}

/* The event at @seq has the board's number @server_seq (0: none yet): marks the log out
 * of order when that puts it before an event folded earlier, or after one folded later. */
static gboolean
note_order (MamoriDb *db, gint64 seq, gint64 server_seq, GError **error)
{
  gboolean before = FALSE, after = FALSE;

  if (server_seq <= 0)
    return TRUE;
  /* Three queries, each a range on the index named for it (events_unsent, server_seq's,
   * seq: the unary + keeps SQLite from choosing another), so that a pull of the whole log
   * costs n log n, not n²: in the usual order each range is empty. */
  if (!exists (db, "SELECT 1 FROM events WHERE server_seq IS NULL AND seq < ?1 LIMIT 1", seq,
               server_seq, &before, error)
      || (!before
          && !exists (db, "SELECT 1 FROM events WHERE server_seq > ?2 AND +seq < ?1 LIMIT 1", seq,
                      server_seq, &before, error))
      || !exists (db, "SELECT 1 FROM events WHERE seq > ?1 AND +server_seq < ?2 LIMIT 1", seq,
                  server_seq, &after, error))
    return FALSE;
  return !(before || after) || mark_out_of_order (db, error);
}

static gboolean
set_effect (MamoriDb *db, MamoriEvent *event, const char *effect, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "UPDATE events SET effect = ? WHERE seq = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, effect, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, event->seq);
  g_free (event->effect);
  event->effect = g_strdup (effect);
  return mamori_db_step_done (db, stmt, error);
}

/* Folds @event, which is in the log already.  With @keep_refused, a refusal of the fold
 * (MAMORI_RECORDS_ERROR, and only that) leaves the tables as they were and is recorded
 * as the event's effect, and *@out_refusal (nullable) receives it. */
static gboolean
fold (MamoriDb *db,
      const MamoriEventHandler *handler,
      MamoriEvent *event,
      gboolean keep_refused,
      GError **out_refusal,
      GError **error)
{
  g_autoptr (GError) refusal = NULL;

  if (!keep_refused)
    return handler->fold (db, event, error);
  if (!mamori_db_exec (db, "SAVEPOINT fold_event", error))
    return FALSE;
  if (handler->fold (db, event, &refusal))
    return mamori_db_exec (db, "RELEASE fold_event", error);
  sqlite3_exec (db->handle, "ROLLBACK TO fold_event; RELEASE fold_event", NULL, NULL, NULL);
  if (refusal->domain != MAMORI_RECORDS_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }
  if (!set_effect (db, event, refusal->message, error))
    return FALSE;
  if (out_refusal != NULL)
    *out_refusal = g_steal_pointer (&refusal);
  return TRUE;
}

/* The checks and the fold, without the savepoint. */
static gboolean
append (
    MamoriDb *db, const char *school, MamoriEvent *event, MamoriAppendFlags flags, GError **error)
{
  const MamoriEventHandler *handler;
  g_autoptr (GError) refusal = NULL;
  gboolean unsent_before = FALSE, folded_out_of_order = FALSE;

  if (!check_school (db, school, event, error))
    return FALSE;
  handler = mamori_event_handler_find (event->type);
  if (handler == NULL)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_UNKNOWN_TYPE,
                   _ ("This version of Mamori does not know events of type “%s”"), event->type);
      return FALSE;
    }
  if (!check_chain (db, event, error))
    return FALSE;
  if (!(flags & (MAMORI_APPEND_SIGNED_HERE | MAMORI_APPEND_SIGNATURE_LATER))
      && !mamori_event_verify (event, error))
    return FALSE;
  /* The row goes in first, so that a fold sees the event's own seq. */
  if (!insert_event (db, event, error))
    return FALSE;
  if (!(flags & (MAMORI_APPEND_RECEIVED | MAMORI_APPEND_AT_BOARD))
      || (flags & MAMORI_APPEND_OPTIMISTIC))
    return (!(flags & MAMORI_APPEND_RECEIVED)
            || note_order (db, event->seq, event->server_seq, error))
           && handler->fold (db, event, error);

  if ((flags & MAMORI_APPEND_RECEIVED)
      && (!note_order (db, event->seq, event->server_seq, error)
          || !has_unsent_before (db, event->seq, &unsent_before, error)
          || !is_out_of_order (db, &folded_out_of_order, error)))
    return FALSE;
  if (!fold (db, handler, event, TRUE, &refusal, error))
    return FALSE;
  if (refusal == NULL
      || g_error_matches (refusal, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT))
    return TRUE;
  /* Refused for another reason than the records' state: fine only if events folded
   * before it that come after it in the board's order are why (this vault's unsent
   * ones, or later ones of the board's), and then folding again in that order will
   * tell. */
  if (folded_out_of_order)
    return TRUE;
  if (unsent_before)
    return mark_out_of_order (db, error);
  g_propagate_error (error, g_steal_pointer (&refusal));
  return FALSE;
}

gboolean
mamori_event_log_append (
    MamoriDb *db, const char *school, MamoriEvent *event, MamoriAppendFlags flags, GError **error)
{
  g_return_val_if_fail (db != NULL && school != NULL && event != NULL, FALSE);
  g_return_val_if_fail (!(flags & MAMORI_APPEND_OPTIMISTIC) || mamori_db_in_transaction (db),
                        FALSE);

  if ((flags & MAMORI_APPEND_OPTIMISTIC) && append (db, school, event, flags, error))
    return TRUE;
  if (!(flags & MAMORI_APPEND_OPTIMISTIC))
    {
      if (!mamori_db_exec (db, "SAVEPOINT append_event", error))
        return FALSE;
      if (append (db, school, event, flags, error))
        return mamori_db_exec (db, "RELEASE append_event", error);
      sqlite3_exec (db->handle, "ROLLBACK TO append_event; RELEASE append_event", NULL, NULL, NULL);
    }
  event->seq = 0;
  g_clear_pointer (&event->effect, g_free);
  return FALSE;
}

/* --- reading and folding again ----------------------------------------------------- */

#define EVENT_COLUMNS "seq, payload, sig, server_seq, effect"

static MamoriEvent *
event_from_row (MamoriDb *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GBytes) payload = NULL;
  MamoriEvent *event;

  if (sqlite3_column_bytes (stmt, 2) != MAMORI_SIGNATURE_SIZE)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                   _ ("The records have been altered: an event’s signature is truncated"));
      return NULL;
    }
  payload = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  event = mamori_event_parse (payload, sqlite3_column_blob (stmt, 2), error);
  if (event != NULL)
    {
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->server_seq = sqlite3_column_int64 (stmt, 3);
      event->effect = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
    }
  return event;
}

/* The events @stmt selects (EVENT_COLUMNS, then the type), of @types (NULL: all). */
static GPtrArray *
read_events (MamoriDb *db, sqlite3_stmt *stmt, const char *const *types, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *)sqlite3_column_text (stmt, 5);
      MamoriEvent *event;

      if (types != NULL && (type == NULL || !g_strv_contains (types, type)))
        continue;
      event = event_from_row (db, stmt, error);
      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

GPtrArray *
mamori_event_log_list (MamoriDb *db, const char *const *types, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT " EVENT_COLUMNS ", type FROM events ORDER BY seq", error);

  return stmt != NULL ? read_events (db, stmt, types, error) : NULL;
}

gboolean
mamori_event_log_rebuild (MamoriDb *db, const char *school, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (mamori_db_in_transaction (db), FALSE);

  events = mamori_event_log_list (db, NULL, error);
  if (events == NULL || !mamori_db_exec (db, "UPDATE events SET effect = NULL", error))
    return FALSE;
  for (gsize m = 0; m < G_N_ELEMENTS (fold_modules); m++)
    if (!mamori_db_exec (db, fold_modules[m]->reset_sql, error))
      return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      MamoriEvent *event = g_ptr_array_index (events, i);
      const MamoriEventHandler *handler = mamori_event_handler_find (event->type);

      g_clear_pointer (&event->effect, g_free);
      if (handler == NULL)
        {
          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_UNKNOWN_TYPE,
                       _ ("This version of Mamori does not know events of type “%s”"), event->type);
          return FALSE;
        }
      if (!check_school (db, school, event, error) || !fold (db, handler, event, TRUE, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* --- the board's order ------------------------------------------------------------- */

gboolean
mamori_event_log_set_server_seq (MamoriDb *db,
                                 const guint8 id[MAMORI_EVENT_ID_SIZE],
                                 gint64 server_seq,
                                 gboolean *out_found,
                                 GError **error)
{
  g_autoptr (MamoriDbStatement) find
      = mamori_db_statement (db, "SELECT seq, server_seq FROM events WHERE id = ?", error);
  g_autoptr (MamoriDbStatement) update = NULL;
  gint64 seq;

  g_return_val_if_fail (server_seq > 0, FALSE);

  if (find == NULL)
    return FALSE;
  sqlite3_bind_blob (find, 1, id, MAMORI_EVENT_ID_SIZE, SQLITE_STATIC);
  if (!mamori_db_step_row (db, find, out_found, error))
    return FALSE;
  if (!*out_found || sqlite3_column_int64 (find, 1) == server_seq)
    return TRUE;
  seq = sqlite3_column_int64 (find, 0);
  update = mamori_db_statement (db, "UPDATE events SET server_seq = ? WHERE seq = ?", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, server_seq);
  sqlite3_bind_int64 (update, 2, seq);
  return mamori_db_step_done (db, update, error) && note_order (db, seq, server_seq, error);
}

GPtrArray *
mamori_event_log_list_unsent (MamoriDb *db, guint limit, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db,
                             "SELECT " EVENT_COLUMNS ", type FROM events "
                             "WHERE server_seq IS NULL ORDER BY seq LIMIT ?",
                             error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64)limit : -1);
  return read_events (db, stmt, NULL, error);
}

gboolean
mamori_event_log_forget_server_seqs (MamoriDb *db, GError **error)
{
  /* The log's own order stays, and with no number left it is the canonical one. */
  return mamori_db_exec (db,
                         "UPDATE events SET server_seq = NULL WHERE server_seq IS NOT NULL;"
                         "DELETE FROM meta WHERE key = 'order'",
                         error);
}

gboolean
mamori_event_log_put_in_order (MamoriDb *db,
                               const char *school,
                               gboolean *out_refolded,
                               GError **error)
{
  gboolean dirty;

  g_return_val_if_fail (mamori_db_in_transaction (db), FALSE);

  *out_refolded = FALSE;
  if (!is_out_of_order (db, &dirty, error))
    return FALSE;
  if (!dirty)
    return TRUE;
  /* The fold tables name events by seq: the log is numbered again in canonical order
   * (through negative numbers, which no row has), then folded again whole. */
  if (!mamori_db_exec (db,
                       "CREATE TEMP TABLE canonical AS SELECT seq AS old, row_number() OVER "
                       "(ORDER BY server_seq IS NULL, server_seq, seq) AS new FROM events;"
                       "UPDATE events SET seq = -seq;"
                       "UPDATE events SET seq = (SELECT new FROM temp.canonical "
                       "WHERE old = -events.seq);"
                       "DROP TABLE temp.canonical;"
                       "DELETE FROM meta WHERE key = 'order'",
                       error)
      || !mamori_event_log_rebuild (db, school, error))
    return FALSE;
  *out_refolded = TRUE;
  return TRUE;
}

GPtrArray *
mamori_event_log_remove_unsent (MamoriDb *db,
                                const char *school,
                                const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                                gint64 from_author_seq,
                                GError **error)
{
  g_autoptr (MamoriDbStatement) select = NULL, remove = NULL;
  g_autoptr (GPtrArray) removed = NULL;

  g_return_val_if_fail (mamori_db_in_transaction (db), NULL);

  select = mamori_db_statement (db,
                                "SELECT " EVENT_COLUMNS ", type "
                                "FROM events WHERE school = ?1 AND author = ?2 "
                                "AND author_seq >= ?3 ORDER BY author_seq",
                                error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, school, -1, SQLITE_STATIC);
  sqlite3_bind_blob (select, 2, author, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (select, 3, from_author_seq);
  removed = read_events (db, select, NULL, error);
  if (removed == NULL)
    return NULL;
  for (guint i = 0; i < removed->len; i++)
    if (((MamoriEvent *)g_ptr_array_index (removed, i))->server_seq > 0)
      {
        g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                             _ ("The board has later events of this chain: an event before "
                                "them cannot be taken back"));
        return NULL;
      }

  remove = mamori_db_statement (
      db, "DELETE FROM events WHERE school = ?1 AND author = ?2 AND author_seq >= ?3", error);
  if (remove == NULL)
    return NULL;
  sqlite3_bind_text (remove, 1, school, -1, SQLITE_STATIC);
  sqlite3_bind_blob (remove, 2, author, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (remove, 3, from_author_seq);
  if (!mamori_db_step_done (db, remove, error) || !mark_out_of_order (db, error))
    return NULL;
  return g_steal_pointer (&removed);
}

GArray *
mamori_event_log_heads (MamoriDb *db, const char *school, GError **error)
{
  g_autoptr (GArray) heads = g_array_new (FALSE, TRUE, sizeof (MamoriChainHead));
  g_autoptr (MamoriDbStatement) stmt = NULL;
  int rc;

  /* SQLite takes the other columns from the row that has the max(). */
  stmt = mamori_db_statement (db,
                              "SELECT author, max(author_seq), id FROM events WHERE school = ? "
                              "GROUP BY author ORDER BY author",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, school, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MamoriChainHead head;

      if (sqlite3_column_bytes (stmt, 0) != MAMORI_SIGNING_KEY_SIZE
          || sqlite3_column_bytes (stmt, 2) != MAMORI_EVENT_ID_SIZE)
        {
          g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                               _ ("The records have been altered: an event’s author or id is "
                                  "truncated"));
          return NULL;
        }
      memcpy (head.author, sqlite3_column_blob (stmt, 0), MAMORI_SIGNING_KEY_SIZE);
      head.author_seq = sqlite3_column_int64 (stmt, 1);
      memcpy (head.id, sqlite3_column_blob (stmt, 2), MAMORI_EVENT_ID_SIZE);
      g_array_append_val (heads, head);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&heads);
}
