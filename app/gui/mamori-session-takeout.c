/* mamori-session-takeout.c — take-out decisions as session jobs
 *
 * Approving, declining, confirming a return and a blanket grant ask for the approver's
 * passphrase again:
 * the core unwraps their signing key with it (the key derivation, about a second), so the
 * decision runs in a thread with the session busy, as the changes to the staff do, and
 * nothing else touches the vault meanwhile (a sync round waits).  The forms start them
 * from mamori_session_when_free(): a decision asked for while a round has the vault waits
 * for it instead of being refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include "mamori-session-private.h"
#include "mamori-takeout.h"

static void
decide_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;
  gboolean done = FALSE;

  if (g_task_return_error_if_cancelled (task))
    return;
  switch (job->decision)
    {
    case MAMORI_TAKEOUT_DECISION_APPROVE:
      done = mamori_takeout_approve (job->vault, job->request_id, job->passphrase, &error);
      break;
    case MAMORI_TAKEOUT_DECISION_REJECT:
      done = mamori_takeout_reject (job->vault, job->request_id, job->reason, job->passphrase,
                                    &error);
      break;
    case MAMORI_TAKEOUT_DECISION_CONFIRM_RETURN:
    default:
      done = mamori_takeout_confirm_return (job->vault, job->request_id, job->passphrase, &error);
      break;
    }
  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
decide_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  _mamori_session_job_ended (self);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mamori_session_decide_takeout_async (MamoriSession *self,
                                     MamoriTakeoutDecision decision,
                                     const char *id,
                                     const char *reason,
                                     char *passphrase,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (id != NULL && passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy);

  job = _mamori_session_job_new (self);
  job->decision = decision;
  job->request_id = g_strdup (id);
  job->reason = g_strdup (reason);
  job->passphrase = passphrase;
  _mamori_session_run_job (self, job, mamori_session_decide_takeout_async, cancellable,
                           decide_thread, decide_done_cb, callback, user_data);
}

gboolean
mamori_session_decide_takeout_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_decide_takeout_async, error);
}

static void
grant_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->request_id != NULL)
    job->grant = mamori_takeout_approve_with_grant (job->vault, job->request_id, job->grantee,
                                                    job->max_level, job->date_until,
                                                    job->passphrase, &error);
  else
    job->grant = mamori_takeout_grant (job->vault, job->grantee, job->max_level, job->date_until,
                                       job->passphrase, &error);
  if (job->grant != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The job's grant goes with the result, for the finish. */
static void
grant_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));

  g_object_set_data_full (G_OBJECT (user_data), "mamori-grant", g_steal_pointer (&job->grant),
                          g_free);
  decide_done_cb (source, result, user_data);
}

void
mamori_session_grant_takeout_async (MamoriSession *self,
                                    const char *request_id,
                                    const char *grantee,
                                    const char *max_level,
                                    const char *date_until,
                                    char *passphrase,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (grantee != NULL && max_level != NULL && date_until != NULL);
  g_return_if_fail (passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy);

  job = _mamori_session_job_new (self);
  job->request_id = g_strdup (request_id);
  job->grantee = g_strdup (grantee);
  job->max_level = g_strdup (max_level);
  job->date_until = g_strdup (date_until);
  job->passphrase = passphrase;
  _mamori_session_run_job (self, job, mamori_session_grant_takeout_async, cancellable, grant_thread,
                           grant_done_cb, callback, user_data);
}

char *
mamori_session_grant_takeout_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  if (!_mamori_session_job_finish (self, result, mamori_session_grant_takeout_async, error))
    return NULL;
  return g_strdup (g_object_get_data (G_OBJECT (result), "mamori-grant"));
}
