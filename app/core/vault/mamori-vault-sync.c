/* mamori-vault-sync.c — the board link, the outbox and the pages a pull brings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-records-error.h"
#include "mamori-roster.h"
#include "mamori-vault-private.h"
#include "mamori-vault-sync.h"

void
mamori_board_link_free (MamoriBoardLink *link)
{
  if (link == NULL)
    return;
  g_free (link->url);
  g_clear_pointer (&link->certificate, g_bytes_unref);
  g_free (link->epoch);
  g_free (link);
}

/* Runs @body(@self, @data, error) in one write transaction of its own; what it changed
 * is rolled back when it fails. */
static gboolean
in_transaction (MamoriVault *self,
                gboolean (*body) (MamoriVault *self, gpointer data, GError **error),
                gpointer data,
                GError **error)
{
  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  g_return_val_if_fail (!mamori_db_in_transaction (&self->db), FALSE);
  if (!mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (body (self, data, error) && mamori_db_exec (&self->db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* The same with the key file: @body may change the roster, and each slot must go on
 * saying what the roster says (the unlock checks it does). */
typedef struct
{
  gboolean (*body) (MamoriVault *self, gpointer data, GError **error);
  gpointer data;
} RosterChange;

static gboolean
change_and_follow (MamoriVault *self, MamoriKeyFile *key_file, gpointer data, GError **error)
{
  RosterChange *change = data;

  return change->body (self, change->data, error)
         && _mamori_vault_follow_roster (self, key_file, error);
}

/* After the roster changed under the unlocked person: their role now, or the vault
 * locked when they hold no place on it any more. */
static gboolean
follow_own_role (MamoriVault *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriStaff) staff = NULL;

  if (self->user == NULL)
    return TRUE;
  staff = mamori_roster_find_signer (&self->db, self->public_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (staff == NULL && self->enrolling)
    return TRUE; /* the board's records are still on their way */
  if (staff == NULL)
    {
      mamori_vault_lock (self);
      return TRUE;
    }
  if (self->enrolling)
    {
      /* The records hold the person's key now: the vault opens as any other. */
      if (!mamori_db_exec (&self->db, "DELETE FROM meta WHERE key = 'enrolling'", error))
        return FALSE;
      self->enrolling = FALSE;
    }
  if (staff->role != self->role)
    {
      self->role = staff->role;
      _mamori_vault_notify (self, "user");
    }
  return TRUE;
}

static gboolean
in_roster_transaction (MamoriVault *self,
                       gboolean (*body) (MamoriVault *self, gpointer data, GError **error),
                       gpointer data,
                       GError **error)
{
  RosterChange change = { body, data };

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  return _mamori_vault_edit_key_file (self, change_and_follow, &change, error)
         && follow_own_role (self, error);
}

static MamoriBoardLink *
read_link (MamoriVault *self, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      &self->db, "SELECT url, certificate, epoch, cursor FROM board_link WHERE id = 1", error);
  MamoriBoardLink *link;
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (&self->db, stmt, &found, error) || !found)
    return NULL;
  link = g_new0 (MamoriBoardLink, 1);
  link->url = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  if (sqlite3_column_type (stmt, 1) == SQLITE_BLOB)
    link->certificate = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  link->epoch = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  link->cursor = sqlite3_column_int64 (stmt, 3);
  return link;
}

MamoriBoardLink *
mamori_vault_get_board_link (MamoriVault *self, GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  if (!_mamori_vault_require_unlocked (self, error))
    return NULL;
  return read_link (self, error);
}

/* --- joining ---------------------------------------------------------------------- */

typedef struct
{
  const char *board_id;
  const guint8 *board_key;
  const char *board_name;
  const char *url;
  GBytes *certificate;
} Join;

static gboolean
join_board (MamoriVault *self, gpointer data, GError **error)
{
  Join *join = data;
  g_autoptr (MamoriDbStatement) stmt = NULL;
  gboolean has_roster;

  /* A vault whose records have a root already is its school's: pinning a board makes the
   * board an administrator there, which only an administrator may decide. */
  if (!mamori_roster_exists (&self->db, &has_roster, error))
    return FALSE;
  if (has_roster && !mamori_vault_unlocked_by_administrator (self))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal or the vice-principal joins the school to a "
                              "board of education"));
      return FALSE;
    }
  if (!mamori_roster_pin_board (&self->db, join->board_id, join->board_key, join->board_name,
                                error))
    return FALSE;
  stmt = mamori_db_statement (&self->db,
                              "INSERT INTO board_link (id, url, certificate) VALUES (1, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET url = excluded.url, "
                              "certificate = excluded.certificate",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, join->url, -1, SQLITE_STATIC);
  if (join->certificate != NULL)
    sqlite3_bind_blob (stmt, 2, g_bytes_get_data (join->certificate, NULL),
                       g_bytes_get_size (join->certificate), SQLITE_STATIC);
  return mamori_db_step_done (&self->db, stmt, error);
}

gboolean
mamori_vault_join_board (MamoriVault *self,
                         const char *board_id,
                         const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                         const char *board_name,
                         const char *url,
                         GBytes *certificate,
                         GError **error)
{
  Join join = { board_id, board_key, board_name, url, certificate };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (board_id != NULL && board_key != NULL && board_name != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  return in_transaction (self, join_board, &join, error);
}

/* --- pushing ---------------------------------------------------------------------- */

GPtrArray *
mamori_vault_sync_outbox (MamoriVault *self, guint limit, GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);

  if (!_mamori_vault_require_unlocked (self, error))
    return NULL;
  return mamori_event_log_list_unsent (&self->db, limit, error);
}

gboolean
mamori_vault_sync_count_unsent (MamoriVault *self, gint64 *out_count, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  if (!_mamori_vault_require_unlocked (self, error))
    return FALSE;
  stmt = mamori_db_statement (&self->db, "SELECT count(*) FROM events WHERE server_seq IS NULL",
                              error);
  if (stmt == NULL || !mamori_db_step_row (&self->db, stmt, &found, error))
    return FALSE;
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

typedef struct
{
  GPtrArray *events;
  const gint64 *seqs;
} Acknowledgement;

static gboolean
acknowledge (MamoriVault *self, gpointer data, GError **error)
{
  Acknowledgement *ack = data;
  gboolean refolded;

  for (guint i = 0; i < ack->events->len; i++)
    {
      const MamoriEvent *event = ack->events->pdata[i];
      gboolean found;

      if (!mamori_event_log_set_server_seq (&self->db, event->id, ack->seqs[i], &found, error))
        return FALSE;
    }
  return mamori_event_log_put_in_order (&self->db, self->school_id, &refolded, error);
}

gboolean
mamori_vault_sync_acknowledge (MamoriVault *self,
                               GPtrArray *events,
                               const gint64 *seqs,
                               GError **error)
{
  Acknowledgement ack = { events, seqs };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (events != NULL && (seqs != NULL || events->len == 0), FALSE);

  return in_transaction (self, acknowledge, &ack, error);
}

/* --- pulling ---------------------------------------------------------------------- */

typedef struct
{
  const char *epoch;
  GPtrArray *events;
  gint64 next;
  MamoriSyncApplied applied;
} Page;

static gboolean
set_cursor (MamoriVault *self, const char *epoch, gint64 cursor, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      &self->db, "UPDATE board_link SET epoch = ?, cursor = ? WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, epoch, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, cursor);
  return mamori_db_step_done (&self->db, stmt, error);
}

/* An author's chain in a school: the key of the last event appended in it. */
static char *
event_chain_key (const MamoriEvent *event)
{
  g_autofree char *author = mamori_hex_encode (event->author, sizeof event->author);

  return g_strconcat (event->school, "/", author, NULL);
}

typedef struct
{
  GPtrArray *events;
  gint next;     /* atomic */
  GError *error; /* the first failure, under lock */
  GMutex lock;
} Verifying;

static gpointer
verify_thread (gpointer data)
{
  Verifying *v = data;
  guint i;

  while ((i = (guint)g_atomic_int_add (&v->next, 1)) < v->events->len)
    {
      GError *error = NULL;

      if (mamori_event_verify (v->events->pdata[i], &error))
        continue;
      g_mutex_lock (&v->lock);
      if (v->error == NULL)
        v->error = error;
      else
        g_error_free (error);
      g_mutex_unlock (&v->lock);
    }
  return NULL;
}

/* Checks the signature of the last event of each chain a page brought, on every core:
 * Ed25519 costs about 2 ms a signature here, so a page costs that times its authors,
 * not its events. */
static gboolean
verify_heads (GHashTable *heads, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new ();
  g_autofree GThread **threads = NULL;
  Verifying v = { events, 0, NULL, { 0 } };
  GHashTableIter iter;
  gpointer event;
  guint n_threads;

  g_hash_table_iter_init (&iter, heads);
  while (g_hash_table_iter_next (&iter, NULL, &event))
    g_ptr_array_add (events, event);
  g_mutex_init (&v.lock);
  n_threads = MIN ((guint)g_get_num_processors (), events->len);
  threads = g_new0 (GThread *, n_threads + 1);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("mamori-verify", verify_thread, &v);
  verify_thread (&v);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  g_mutex_clear (&v.lock);
  if (v.error == NULL)
    return TRUE;
  g_propagate_error (error, v.error);
  return FALSE;
}

/* Appends the page's events that the log does not hold yet (@flags: see
 * MamoriAppendFlags) and gives each the board's number; @heads receives the last event
 * of each chain they continue. */
static gboolean
append_page (
    MamoriVault *self, Page *page, GHashTable *heads, MamoriAppendFlags flags, GError **error)
{
  for (guint i = 0; i < page->events->len; i++)
    {
      MamoriEvent *event = page->events->pdata[i];
      gboolean found;

      if (!mamori_event_log_set_server_seq (&self->db, event->id, event->server_seq, &found, error))
        return FALSE;
      if (found)
        continue;
      if (!mamori_event_log_append (&self->db, self->school_id, event,
                                    MAMORI_APPEND_RECEIVED | MAMORI_APPEND_SIGNATURE_LATER | flags,
                                    error))
        return FALSE;
      g_hash_table_insert (heads, event_chain_key (event), event);
      page->applied.received++;
    }
  return TRUE;
}

/* The page's events in the log: first all at once, in one savepoint; when one of them
 * fails (a fold that refuses it, which may be kept as an event with no effect, or one
 * that the page's order alone cannot place), the page again, event by event. */
static gboolean
append_page_fast (MamoriVault *self, Page *page, GHashTable *heads, GError **error)
{
  if (!mamori_db_exec (&self->db, "SAVEPOINT receive_page", error))
    return FALSE;
  if (append_page (self, page, heads, MAMORI_APPEND_OPTIMISTIC, NULL))
    return mamori_db_exec (&self->db, "RELEASE receive_page", error);
  sqlite3_exec (self->db.handle, "ROLLBACK TO receive_page; RELEASE receive_page", NULL, NULL,
                NULL);
  g_hash_table_remove_all (heads);
  page->applied.received = 0;
  for (guint i = 0; i < page->events->len; i++)
    {
      MamoriEvent *event = page->events->pdata[i];

      event->seq = 0;
      g_clear_pointer (&event->effect, g_free);
    }
  return append_page (self, page, heads, MAMORI_APPEND_DEFAULT, error);
}

static gboolean
receive_page (MamoriVault *self, gpointer data, GError **error)
{
  Page *page = data;
  /* The last event of each chain the page brought (owned by the page). */
  g_autoptr (GHashTable) heads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (MamoriBoardLink) link = read_link (self, error);

  if (link == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                             _ ("The school has not joined a board of education"));
      return FALSE;
    }
  if (link->epoch != NULL && !g_str_equal (link->epoch, page->epoch))
    {
      /* Restored from an older copy, the board holds fewer events or other numbers:
       * every event it does not send back is pushed again. */
      page->applied.epoch_changed = TRUE;
      return mamori_event_log_forget_server_seqs (&self->db, error)
             && set_cursor (self, page->epoch, 0, error);
    }
  return append_page_fast (self, page, heads, error) && verify_heads (heads, error)
         && mamori_event_log_put_in_order (&self->db, self->school_id, &page->applied.refolded,
                                           error)
         && set_cursor (self, page->epoch, MAX (page->next, link->cursor), error);
}

gboolean
mamori_vault_sync_receive (MamoriVault *self,
                           const char *epoch,
                           GPtrArray *events,
                           gint64 next,
                           MamoriSyncApplied *out_applied,
                           GError **error)
{
  Page page = { epoch, events, next, { 0 } };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), FALSE);
  g_return_val_if_fail (epoch != NULL && events != NULL, FALSE);

  /* A page of nothing (a long poll that timed out) moves the cursor only. */
  if (!(events->len > 0 ? in_roster_transaction : in_transaction) (self, receive_page, &page,
                                                                   error))
    return FALSE;
  if (out_applied != NULL)
    *out_applied = page.applied;
  return TRUE;
}

typedef struct
{
  const MamoriEvent *event;
  GPtrArray *removed;
} Undo;

static gboolean
undo_refused (MamoriVault *self, gpointer data, GError **error)
{
  Undo *undo = data;
  gboolean refolded;

  undo->removed = mamori_event_log_remove_unsent (&self->db, self->school_id, undo->event->author,
                                                  undo->event->author_seq, error);
  return undo->removed != NULL
         && mamori_event_log_put_in_order (&self->db, self->school_id, &refolded, error);
}

GPtrArray *
mamori_vault_sync_undo_refused (MamoriVault *self, const MamoriEvent *event, GError **error)
{
  Undo undo = { event, NULL };

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (!in_roster_transaction (self, undo_refused, &undo, error))
    {
      g_clear_pointer (&undo.removed, g_ptr_array_unref);
      return NULL;
    }
  return undo.removed;
}
