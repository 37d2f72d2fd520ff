/* mamori-session-sync.c — the session keeps the school's records in step with its board
 *
 * A round (MamoriSyncClient: push the outbox, pull until nothing is left) runs as a
 * session job, in a thread with the vault to itself, so the window stays responsive and
 * nothing else touches the vault meanwhile.  Rounds are short (no long poll: the session
 * would be busy for its whole wait), one every SYNC_INTERVAL seconds while all is well,
 * and after a failure when mamori_sync_next_delay() says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-session-private.h"
#include "mamori-roster.h"
#include "mamori-sync-join.h"
#include "mamori-vault-sync.h"

#define SYNC_INTERVAL 15

static void
schedule_round (MamoriSession *self, guint delay_ms);

static void
set_sync (MamoriSession *self, MamoriSyncState state, guint unsent, const char *message)
{
  if (self->sync_state != state)
    {
      self->sync_state = state;
      _mamori_session_notify (self, "sync-state");
    }
  if (self->unsent != unsent)
    {
      self->unsent = unsent;
      _mamori_session_notify (self, "unsent");
    }
  if (g_strcmp0 (self->sync_message, message) != 0)
    {
      g_free (self->sync_message);
      self->sync_message = g_strdup (message);
      _mamori_session_notify (self, "sync-message");
    }
}

static gboolean
is_joined (MamoriSession *self)
{
  g_autoptr (MamoriBoardLink) link = NULL;

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->vault == NULL)
    return FALSE;
  link = mamori_vault_get_board_link (self->vault, NULL);
  return link != NULL;
}

gboolean
mamori_session_can_sync (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return !self->busy && self->sync_state != MAMORI_SYNC_STATE_NOT_JOINED;
}

void
_mamori_session_follow_sync (MamoriSession *self)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  self->sync_failures = 0;
  if (!is_joined (self))
    {
      set_sync (self, MAMORI_SYNC_STATE_NOT_JOINED, 0, NULL);
      return;
    }
  set_sync (self, MAMORI_SYNC_STATE_SYNCING, self->unsent, NULL);
  schedule_round (self, 0);
}

/* --- a round ---------------------------------------------------------------------------- */

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  g_autoptr (MamoriSyncClient) client = NULL;
  GError *error = NULL;

  client = mamori_sync_client_new (job->vault, &error);
  if (client == NULL
      || !mamori_sync_client_sync (client, 0, cancellable, &job->sync_report, &error))
    {
      /* The outbox is counted even so: the header bar says what waits. */
      mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
      g_task_return_error (task, error);
      return;
    }
  mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  GTask *task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean changed = job->sync_report.received > 0
                     || (job->sync_report.undone != NULL && job->sync_report.undone->len > 0);
  guint unsent = (guint)CLAMP (job->unsent, 0, G_MAXUINT);

  _mamori_session_set_busy (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->sync_failures = 0;
      set_sync (self, unsent > 0 ? MAMORI_SYNC_STATE_UNSENT : MAMORI_SYNC_STATE_SYNCED, unsent,
                job->sync_report.undone_reason);
      schedule_round (self, SYNC_INTERVAL * 1000);
      if (changed)
        _mamori_session_records_changed (self);
      g_task_return_boolean (task, TRUE);
    }
  else if (g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE))
    {
      set_sync (self, MAMORI_SYNC_STATE_OFFLINE, unsent, error->message);
      schedule_round (self, mamori_sync_next_delay (++self->sync_failures, 0));
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      /* Revoked, refused, a certificate that is not the pinned one: nothing will change
       * by itself; 今すぐ同期 tries again. */
      set_sync (self, MAMORI_SYNC_STATE_ERROR, unsent, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  g_object_unref (task);
  _mamori_session_lock_if_pending (self);
}

void
mamori_session_sync_async (MamoriSession *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (mamori_session_can_sync (self));

  g_clear_handle_id (&self->sync_source, g_source_remove);
  _mamori_session_run_job (self, _mamori_session_job_new (self), mamori_session_sync_async,
                           cancellable, sync_thread, sync_done_cb, callback, user_data);
}

gboolean
mamori_session_sync_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_sync_async, error);
}

static gboolean
round_due_cb (gpointer data)
{
  MamoriSession *self = data;

  self->sync_source = 0;
  if (self->sync_state == MAMORI_SYNC_STATE_NOT_JOINED)
    return G_SOURCE_REMOVE;
  /* Busy with something else: try again shortly. */
  if (self->busy)
    schedule_round (self, 1000);
  else
    mamori_session_sync_async (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_round (MamoriSession *self, guint delay_ms)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  self->sync_source = g_timeout_add (delay_ms, round_due_cb, self);
}

MamoriSyncState
mamori_session_get_sync_state (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), MAMORI_SYNC_STATE_NOT_JOINED);

  return self->sync_state;
}

guint
mamori_session_get_unsent (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), 0);

  return self->unsent;
}

const char *
mamori_session_get_sync_message (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->sync_message;
}

/* --- joining ------------------------------------------------------------------------------ */

gboolean
mamori_session_can_join_board (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return !self->busy && self->state == MAMORI_SESSION_STATE_UNLOCKED
         && self->sync_state == MAMORI_SYNC_STATE_NOT_JOINED
         && mamori_vault_unlocked_by_administrator (self->vault);
}

char *
mamori_session_dup_board_name (MamoriSession *self)
{
  g_autoptr (MamoriBoardPin) pin = NULL;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->busy)
    return NULL;
  pin = mamori_roster_get_board (mamori_vault_get_store (self->vault), NULL);
  return pin != NULL ? g_strdup (pin->name) : NULL;
}

char *
mamori_session_dup_board_url (MamoriSession *self)
{
  g_autoptr (MamoriBoardLink) link = NULL;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->busy)
    return NULL;
  link = mamori_vault_get_board_link (self->vault, NULL);
  return link != NULL ? g_strdup (link->url) : NULL;
}

static void
join_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;

  if (mamori_sync_join_board (job->vault, job->board_url, job->join_code, g_get_host_name (), NULL,
                              cancellable, &job->sync_report, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
}

static void
join_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  _mamori_session_set_busy (self, FALSE);
  /* Pinned even when a later step failed: the session syncs, and syncing finishes it. */
  _mamori_session_follow_sync (self);
  _mamori_session_records_changed (self);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  _mamori_session_lock_if_pending (self);
}

void
mamori_session_join_board_async (MamoriSession *self,
                                 const char *url,
                                 const char *code,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (url != NULL && code != NULL);
  g_return_if_fail (mamori_session_can_join_board (self));

  job = _mamori_session_job_new (self);
  job->board_url = g_strdup (url);
  job->join_code = mamori_secure_strdup (code);
  _mamori_session_run_job (self, job, mamori_session_join_board_async, cancellable, join_thread,
                           join_done_cb, callback, user_data);
}

gboolean
mamori_session_join_board_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_join_board_async, error);
}

/* --- a computer without the school's vault ------------------------------------------------ */

static void
enroll_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  MamoriVault *vault = NULL;
  GError *error = NULL;

  if (!_mamori_session_make_directory (task, job->path))
    return;
  /* Once enrolled a vault is kept even when the first sync fails: the session syncs
   * again by itself. */
  mamori_sync_enroll (job->path, job->board_url, job->join_code, job->passphrase,
                      g_get_host_name (), NULL, cancellable, &vault, &job->sync_report, &error);
  if (vault != NULL)
    g_clear_error (&error);
  _mamori_session_return_new_vault (task, job, vault, error);
}

static void
enroll_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  _mamori_session_finish_new_vault (MAMORI_SESSION (source), result, task);
}

void
mamori_session_enroll_async (MamoriSession *self,
                             const char *url,
                             const char *code,
                             char *passphrase,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (url != NULL && code != NULL && passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_NO_VAULT && !self->busy);

  job = _mamori_session_job_new (self);
  job->path = g_strdup (self->path);
  job->board_url = g_strdup (url);
  job->join_code = mamori_secure_strdup (code);
  job->passphrase = passphrase;
  _mamori_session_run_job (self, job, mamori_session_enroll_async, cancellable, enroll_thread,
                           enroll_done_cb, callback, user_data);
}

gboolean
mamori_session_enroll_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_enroll_async, error);
}
