/* mamori-event-log-check.c — the check of the whole log that every unlock makes
 * (mamori_event_log_check())
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-log.h"

static gboolean
altered (GError **error, gint code, const guint8 *author, gint64 author_seq, const char *why)
{
  g_autofree char *who = mamori_hex_encode (author, 6);
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
  const char *school;
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
  row->school = (const char *)sqlite3_column_text (stmt, 6);
  if (row->school != NULL && sqlite3_column_bytes (stmt, 0) == MAMORI_SIGNING_KEY_SIZE
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
  if (header.school_len != strlen (row->school)
      || memcmp (header.school, row->school, header.school_len) != 0)
    return altered (error, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, row->author, row->author_seq,
                    _ ("is filed under another school than its payload’s"));
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
  GString *school;
  gint64 author_seq;
  guint8 author[MAMORI_SIGNING_KEY_SIZE];
  guint8 id[MAMORI_EVENT_ID_SIZE];
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  GByteArray *payload;
} Head;

static void
head_take (Head *head, const Row *row)
{
  g_string_assign (head->school, row->school);
  head->author_seq = row->author_seq;
  memcpy (head->author, row->author, sizeof head->author);
  memcpy (head->id, row->id, sizeof head->id);
  memcpy (head->sig, row->sig, sizeof head->sig);
  g_byte_array_set_size (head->payload, 0);
  g_byte_array_append (head->payload, row->payload, row->length);
}

/* The check chain by chain, on the index of (school, author, author_seq): the rows of
 * one chain are far apart in the table when several people wrote in turn, and reading
 * them so decrypts each page of the table about once per author on it. */
static gboolean
check_by_chain (MamoriDb *db, gboolean all_signatures, MamoriLogCheck *out_check, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  g_autoptr (GByteArray) head_payload = g_byte_array_new ();
  g_autoptr (GString) head_school = g_string_new (NULL);
  Head head = { head_school, 0, { 0 }, { 0 }, { 0 }, head_payload };
  MamoriLogCheck check = { 0 };
  int rc;

  /* The unique index on (school, author, author_seq) gives each chain in order. */
  stmt = mamori_db_statement (db,
                              "SELECT author, author_seq, id, payload, sig, type, school "
                              "FROM events ORDER BY school, author, author_seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean same_author;
      Row row;

      if (!read_row (stmt, &row, error))
        return FALSE;
      same_author = head.author_seq > 0 && memcmp (row.author, head.author, sizeof head.author) == 0
                    && g_str_equal (row.school, head.school->str);
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
  *out_check = check;
  return TRUE;
}

/* A chain in the scan in log order: its school and author, and its last event so far. */
typedef struct
{
  guint8 key[MAMORI_SIGNING_KEY_SIZE + MAMORI_SCHOOL_ID_LEN + 1]; /* author, school, NUL */
  gint64 author_seq;
  gint64 seq;
  guint8 id[MAMORI_EVENT_ID_SIZE];
} Chain;

static guint
chain_hash (gconstpointer chain)
{
  const guint8 *key = ((const Chain *)chain)->key;
  guint hash;

  /* The author is a public key: its first bytes are as good as any hash. */
  memcpy (&hash, key, sizeof hash);
  return hash ^ g_str_hash ((const char *)key + MAMORI_SIGNING_KEY_SIZE);
}

static gboolean
chain_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (((const Chain *)a)->key, ((const Chain *)b)->key, sizeof ((Chain *)a)->key) == 0;
}

/* The same check in the log's order, which reads the table once from start to end and
 * keeps each chain's last event: FALSE without an error when it cannot tell (an event
 * before another of its chain that it follows, or anything wrong at all), and the check
 * chain by chain says what it is. */
static gboolean
check_in_log_order (MamoriDb *db,
                    gboolean all_signatures,
                    MamoriLogCheck *out_check,
                    GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL, head = NULL;
  g_autoptr (GHashTable) chains = g_hash_table_new_full (chain_hash, chain_equal, g_free, NULL);
  MamoriLogCheck check = { 0 };
  GHashTableIter iter;
  Chain *chain;
  int rc;

  stmt = mamori_db_statement (db,
                              "SELECT author, author_seq, id, payload, sig, type, school, seq "
                              "FROM events ORDER BY seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Chain key = { { 0 } };
      Row row;

      if (!read_row (stmt, &row, NULL) || strlen (row.school) > MAMORI_SCHOOL_ID_LEN)
        return FALSE;
      memcpy (key.key, row.author, MAMORI_SIGNING_KEY_SIZE);
      memcpy (key.key + MAMORI_SIGNING_KEY_SIZE, row.school, strlen (row.school));
      chain = g_hash_table_lookup (chains, &key);
      if (!check_row (&row, chain != NULL ? chain->author_seq + 1 : 1,
                      chain != NULL ? chain->id : NULL, NULL)
          || (all_signatures
              && !check_signature (row.author, row.author_seq, row.payload, row.length, row.sig,
                                   NULL)))
        return FALSE;
      if (chain == NULL)
        {
          chain = g_memdup2 (&key, sizeof key);
          g_hash_table_add (chains, chain);
        }
      chain->author_seq = row.author_seq;
      chain->seq = sqlite3_column_int64 (stmt, 7);
      memcpy (chain->id, row.id, sizeof chain->id);
      check.n_signatures_checked += all_signatures;
      check.n_events++;
    }
  if (rc != SQLITE_DONE)
    return mamori_db_fail (db, rc, error);
  check.n_authors = g_hash_table_size (chains);

  /* Each chain ends with its author's signature. */
  head = all_signatures
             ? NULL
             : mamori_db_statement (db, "SELECT payload, sig FROM events WHERE seq = ?", error);
  if (!all_signatures && head == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, chains);
  while (!all_signatures && g_hash_table_iter_next (&iter, (gpointer *)&chain, NULL))
    {
      gboolean found;

      sqlite3_bind_int64 (head, 1, chain->seq);
      if (!mamori_db_step_row (db, head, &found, error))
        return FALSE;
      if (!found || sqlite3_column_bytes (head, 1) != MAMORI_SIGNATURE_SIZE
          || !check_signature (chain->key, chain->author_seq, sqlite3_column_blob (head, 0),
                               sqlite3_column_bytes (head, 0), sqlite3_column_blob (head, 1), NULL))
        return FALSE;
      sqlite3_reset (head);
      check.n_signatures_checked++;
    }
  *out_check = check;
  return TRUE;
}

gboolean
mamori_event_log_check (MamoriDb *db,
                        gboolean all_signatures,
                        MamoriLogCheck *out_check,
                        GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriLogCheck check;

  if (!check_in_log_order (db, all_signatures, &check, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!check_by_chain (db, all_signatures, &check, error))
        return FALSE;
    }
  if (out_check != NULL)
    *out_check = check;
  return TRUE;
}
