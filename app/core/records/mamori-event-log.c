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

/* Every part of the records that folds events. */
static const MamoriFoldModule *const fold_modules[] = {
  &mamori_roster_fold_module,
  &mamori_register_fold_module,
  &mamori_policy_fold_module,
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
                       const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                       gint64 *out_author_seq,
                       guint8 out_id[MAMORI_EVENT_ID_SIZE],
                       GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  gboolean found;

  stmt = mamori_db_statement (db,
                              "SELECT author_seq, id FROM events WHERE author = ? "
                              "ORDER BY author_seq DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, author, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
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

  if (!mamori_event_log_head (db, event->author, &head_seq, head_id, error))
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
                              "INSERT INTO events (id, type, author, author_seq, prev, created_at, "
                              "payload, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, event->id, sizeof event->id, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->type, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, event->author, sizeof event->author, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, event->author_seq);
  if (event->has_prev)
    sqlite3_bind_blob (stmt, 5, event->prev, sizeof event->prev, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, event->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 7, payload, length, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 8, event->sig, sizeof event->sig, SQLITE_STATIC);
  if (!mamori_db_step_done (db, stmt, error))
    return FALSE;
  event->seq = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

/* The checks and the fold, without the savepoint. */
static gboolean
append (
    MamoriDb *db, const char *school, MamoriEvent *event, MamoriAppendFlags flags, GError **error)
{
  const MamoriEventHandler *handler;

  if (!g_str_equal (event->school, school))
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_WRONG_SCHOOL,
                   _ ("The event belongs to another school (%s)"), event->school);
      return FALSE;
    }
  handler = mamori_event_handler_find (event->type);
  if (handler == NULL)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_UNKNOWN_TYPE,
                   _ ("This version of Mamori does not know events of type “%s”"), event->type);
      return FALSE;
    }
  if (!check_chain (db, event, error))
    return FALSE;
  if (!(flags & MAMORI_APPEND_SIGNED_HERE) && !mamori_event_verify (event, error))
    return FALSE;
  /* The row goes in first, so that a fold sees the event's own seq. */
  return insert_event (db, event, error) && handler->fold (db, event, error);
}

gboolean
mamori_event_log_append (
    MamoriDb *db, const char *school, MamoriEvent *event, MamoriAppendFlags flags, GError **error)
{
  g_return_val_if_fail (db != NULL && school != NULL && event != NULL, FALSE);

  if (!mamori_db_exec (db, "SAVEPOINT append_event", error))
    return FALSE;
  if (append (db, school, event, flags, error))
    return mamori_db_exec (db, "RELEASE append_event", error);
  event->seq = 0;
  sqlite3_exec (db->handle, "ROLLBACK TO append_event; RELEASE append_event", NULL, NULL, NULL);
  return FALSE;
}

/* --- checking the whole log ------------------------------------------------------ */

static gboolean
altered (GError **error, gint code, const guint8 *author, gint64 author_seq, const char *why)
{
  g_autofree char *who = short_hex (author);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, author_seq);

  /* TRANSLATORS: "…: event number 3 of author 1a2b3c4d5e6f does not match its id" */
  g_set_error (error, MAMORI_RECORDS_ERROR, code,
               _ ("The records have been altered: event number %s of author %s %s"), number, who,
               why);
  return FALSE;
}

/* The row of mamori_event_log_check()'s scan that the statement is on. */
typedef struct
{
  const guint8 *author;
  gint64 author_seq;
  const guint8 *id;
  const guint8 *payload;
  gsize length;
  const guint8 *sig;
  const char *type;
  gsize type_len;
} Row;

static gboolean
read_row (sqlite3_stmt *stmt, Row *row, GError **error)
{
  row->author = sqlite3_column_blob (stmt, 0);
  row->author_seq = sqlite3_column_int64 (stmt, 1);
  row->id = sqlite3_column_blob (stmt, 2);
  row->payload = sqlite3_column_blob (stmt, 3);
  row->length = sqlite3_column_bytes (stmt, 3);
  row->sig = sqlite3_column_blob (stmt, 4);
  row->type = (const char *)sqlite3_column_text (stmt, 5);
  row->type_len = sqlite3_column_bytes (stmt, 5);
  if (sqlite3_column_bytes (stmt, 0) == MAMORI_SIGNING_KEY_SIZE
      && sqlite3_column_bytes (stmt, 2) == MAMORI_EVENT_ID_SIZE
      && sqlite3_column_bytes (stmt, 4) == MAMORI_SIGNATURE_SIZE && row->length > 0)
    return TRUE;
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
               _ ("The records have been altered: an event’s author, id, signature or payload "
                  "is missing or truncated"));
  return FALSE;
}

/* @row against itself, and against the author's event before it (@prev_id, or NULL
 * when @row should be the author's first). */
static gboolean
check_row (const Row *row, gint64 expected_seq, const guint8 *prev_id, GError **error)
{
  MamoriEventHeader header;
  guint8 id[MAMORI_EVENT_ID_SIZE];

  mamori_event_hash (row->payload, row->length, id);
  if (memcmp (id, row->id, sizeof id) != 0)
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, row->author_seq,
                    _ ("does not match its id"));
  if (!mamori_event_scan_header (row->payload, row->length, &header)
      || memcmp (header.author, row->author, MAMORI_SIGNING_KEY_SIZE) != 0
      || header.author_seq != row->author_seq)
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, row->author_seq,
                    _ ("has a payload that says otherwise"));
  if (header.type_len != row->type_len || memcmp (header.type, row->type, row->type_len) != 0)
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, row->author_seq,
                    _ ("is filed under another type than its payload’s"));
  if (row->author_seq != expected_seq)
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, expected_seq,
                    _ ("is missing"));
  if (header.has_prev != (prev_id != NULL)
      || (prev_id != NULL && memcmp (header.prev, prev_id, MAMORI_EVENT_ID_SIZE) != 0))
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, row->author_seq,
                    _ ("does not follow the event before it"));
  return TRUE;
}

static gboolean
check_signature (const guint8 *author,
                 gint64 author_seq,
                 const guint8 *payload,
                 gsize length,
                 const guint8 *sig,
                 GError **error)
{
  if (mamori_signing_verify (author, payload, length, sig))
    return TRUE;
  return altered (error, MAMORI_RECORDS_ERROR_BAD_SIGNATURE, author, author_seq,
                  _ ("does not carry its author’s signature"));
}

/* The last event of the chain just scanned, kept until the scan knows it was the last. */
typedef struct
{
  gint64 author_seq;
  guint8 author[MAMORI_SIGNING_KEY_SIZE];
  guint8 id[MAMORI_EVENT_ID_SIZE];
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  GByteArray *payload;
} Head;

static void
head_take (Head *head, const Row *row)
{
  head->author_seq = row->author_seq;
  memcpy (head->author, row->author, sizeof head->author);
  memcpy (head->id, row->id, sizeof head->id);
  memcpy (head->sig, row->sig, sizeof head->sig);
  g_byte_array_set_size (head->payload, 0);
  g_byte_array_append (head->payload, row->payload, row->length);
}

gboolean
mamori_event_log_check (MamoriDb *db,
                        gboolean all_signatures,
                        MamoriLogCheck *out_check,
                        GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  g_autoptr (GByteArray) head_payload = g_byte_array_new ();
  Head head = { 0, { 0 }, { 0 }, { 0 }, head_payload };
  MamoriLogCheck check = { 0 };
  int rc;

  /* The unique index on (author, author_seq) gives each chain in order. */
  stmt = mamori_db_statement (db,
                              "SELECT author, author_seq, id, payload, sig, type FROM events "
                              "ORDER BY author, author_seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean same_author;
      Row row;

      if (!read_row (stmt, &row, error))
        return FALSE;
      same_author
          = head.author_seq > 0 && memcmp (row.author, head.author, sizeof head.author) == 0;
      /* A new chain begins: the one before ends with its author's signature. */
      if (!same_author && head.author_seq > 0 && !all_signatures)
        {
          if (!check_signature (head.author, head.author_seq, head.payload->data, head.payload->len,
                                head.sig, error))
            return FALSE;
          check.n_signatures_checked++;
        }
      if (!check_row (&row, same_author ? head.author_seq + 1 : 1, same_author ? head.id : NULL,
                      error))
        return FALSE;
      if (all_signatures)
        {
          if (!check_signature (row.author, row.author_seq, row.payload, row.length, row.sig,
                                error))
            return FALSE;
          check.n_signatures_checked++;
        }
      check.n_authors += !same_author;
      check.n_events++;
      head_take (&head, &row);
    }
  if (rc != SQLITE_DONE)
    return mamori_db_fail (db, rc, error);
  if (head.author_seq > 0 && !all_signatures)
    {
      if (!check_signature (head.author, head.author_seq, head.payload->data, head.payload->len,
                            head.sig, error))
        return FALSE;
      check.n_signatures_checked++;
    }
  if (out_check != NULL)
    *out_check = check;
  return TRUE;
}

/* --- reading and folding again ----------------------------------------------------- */

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
    event->seq = sqlite3_column_int64 (stmt, 0);
  return event;
}

GPtrArray *
mamori_event_log_list (MamoriDb *db, const char *const *types, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  int rc;

  stmt = mamori_db_statement (db, "SELECT seq, payload, sig, type FROM events ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *)sqlite3_column_text (stmt, 3);
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

gboolean
mamori_event_log_rebuild (MamoriDb *db, const char *school, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (mamori_db_in_transaction (db), FALSE);

  events = mamori_event_log_list (db, NULL, error);
  if (events == NULL)
    return FALSE;
  for (gsize m = 0; m < G_N_ELEMENTS (fold_modules); m++)
    if (!mamori_db_exec (db, fold_modules[m]->reset_sql, error))
      return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      MamoriEvent *event = g_ptr_array_index (events, i);
      const MamoriEventHandler *handler = mamori_event_handler_find (event->type);

      if (handler == NULL)
        {
          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_UNKNOWN_TYPE,
                       _ ("This version of Mamori does not know events of type “%s”"), event->type);
          return FALSE;
        }
      if (!g_str_equal (event->school, school))
        {
          g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_WRONG_SCHOOL,
                       _ ("The event belongs to another school (%s)"), event->school);
          return FALSE;
        }
      if (!handler->fold (db, event, error))
        return FALSE;
    }
  return TRUE;
}
