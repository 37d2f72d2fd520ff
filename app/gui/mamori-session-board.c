/* mamori-session-board.c — the board role's requests, as session jobs
 *
 * The requests sign a session challenge with the person's key, so they run as session
 * jobs like a sync round: in a thread with the vault to itself, the session busy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include "mamori-session-board.h"
#include "mamori-session-private.h"

gboolean
mamori_session_is_board (MamoriSession *self)
{
  MamoriRole role;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  /* Only the board gives anyone this role: the school has joined it. */
  return self->state == MAMORI_SESSION_STATE_UNLOCKED && self->vault != NULL
         && mamori_vault_get_role (self->vault, &role) && role == MAMORI_ROLE_BOARD;
}

/* Back in the main thread: the job's outcome on the caller's task. */
static void
board_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  GTask *task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  _mamori_session_job_ended (self);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->schools != NULL)
        g_task_return_pointer (task, g_steal_pointer (&job->schools), g_object_unref);
      else
        g_task_return_int (task, job->published);
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fetch_schools_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  g_autoptr (MamoriSyncClient) client = NULL;
  GError *error = NULL;

  client = mamori_sync_client_new (job->vault, &error);
  if (client != NULL)
    job->schools = mamori_sync_client_fetch_schools (client, cancellable, &error);
  if (job->schools != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mamori_session_fetch_schools_async (MamoriSession *self,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (!self->busy && mamori_session_is_board (self));

  _mamori_session_run_job (self, _mamori_session_job_new (self), mamori_session_fetch_schools_async,
                           cancellable, fetch_schools_thread, board_done_cb, callback, user_data);
}

GListModel *
mamori_session_fetch_schools_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == mamori_session_fetch_schools_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
publish_policy_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  g_autoptr (MamoriSyncClient) client = NULL;
  GError *error = NULL;

  client = mamori_sync_client_new (job->vault, &error);
  if (client != NULL
      && mamori_sync_client_publish_policy (client, job->policy, job->data, &job->published, NULL,
                                            cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mamori_session_publish_policy_async (MamoriSession *self,
                                     MamoriPolicy *policy,
                                     const char *level_map,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));
  g_return_if_fail (!self->busy && mamori_session_is_board (self));

  job = _mamori_session_job_new (self);
  job->policy = g_object_ref (policy);
  job->data = g_strdup (level_map);
  job->data_free = g_free;
  _mamori_session_run_job (self, job, mamori_session_publish_policy_async, cancellable,
                           publish_policy_thread, board_done_cb, callback, user_data);
}

gboolean
mamori_session_publish_policy_finish (MamoriSession *self,
                                      GAsyncResult *result,
                                      guint *out_schools,
                                      GError **error)
{
  GError *local_error = NULL;
  gssize schools;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == mamori_session_publish_policy_async, FALSE);

  schools = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_schools != NULL)
    *out_schools = (guint)schools;
  return TRUE;
}
