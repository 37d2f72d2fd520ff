/* mamori-session-free.c — the main thread's turn with the vault
 *
 * The rule: the main thread touches the vault only when no job has it.  A job (a sync
 * round, a register read, an import, a decision) has the session's one connection to
 * itself in its thread, and live sync starts one often and by chance, so a widget that
 * writes does not refuse while the session is busy: it asks mamori_session_when_free()
 * and shows that it is working.  The waiters are called, in the order they asked, where
 * the session stops being busy, before "busy" is notified: no job (a round started from a
 * notify::busy handler) can start between the job that ended and them.  A waiter that
 * starts a job of its own leaves the rest waiting for that one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-session-private.h"

typedef struct
{
  GCancellable *cancellable;
  MamoriSessionFreeFunc func;
  gpointer user_data;
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

/* Calls @waiter (taken) unless it was cancelled meanwhile. */
static void
waiter_call (MamoriSession *self, Waiter *waiter, const GError *error)
{
  if (!g_cancellable_is_cancelled (waiter->cancellable))
    waiter->func (self, error, waiter->user_data);
  waiter_free (waiter);
}

static gboolean
is_free (MamoriSession *self)
{
  return !self->busy && !self->lock_pending && self->state == MAMORI_SESSION_STATE_UNLOCKED
         && self->vault != NULL && mamori_vault_is_unlocked (self->vault);
}

void
mamori_session_when_free (MamoriSession *self,
                          GCancellable *cancellable,
                          MamoriSessionFreeFunc func,
                          gpointer user_data)
{
  Waiter *waiter;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (func != NULL);

  waiter = g_new0 (Waiter, 1);
  waiter->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  waiter->func = func;
  waiter->user_data = user_data;

  if (self->busy && self->state == MAMORI_SESSION_STATE_UNLOCKED)
    {
      g_queue_push_tail (&self->waiters, waiter);
      return;
    }
  if (!is_free (self))
    {
      g_autoptr (GError) error = g_error_new_literal (
          G_IO_ERROR, G_IO_ERROR_CLOSED, _ ("The vault is locked: nothing was changed."));

      waiter_call (self, waiter, error);
      return;
    }
  /* Those who asked first go first (one of them may have started a job: this one waits). */
  g_queue_push_tail (&self->waiters, waiter);
  _mamori_session_call_waiters (self);
}

void
_mamori_session_call_waiters (MamoriSession *self)
{
  /* Not twice at once: a waiter asking again is queued for the loop below. */
  if (self->calling_waiters)
    return;

  self->calling_waiters = TRUE;
  while (is_free (self) && !g_queue_is_empty (&self->waiters))
    waiter_call (self, g_queue_pop_head (&self->waiters), NULL);
  self->calling_waiters = FALSE;
}

void
_mamori_session_drop_waiters (MamoriSession *self)
{
  g_autoptr (GError) error
      = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                             _ ("The vault was locked before it was free: nothing was changed."));
  Waiter *waiter;

  while ((waiter = g_queue_pop_head (&self->waiters)) != NULL)
    waiter_call (self, waiter, error);
}

static void
hold_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GCancellable *release = job->data;

  while (!g_cancellable_is_cancelled (release))
    g_usleep (G_TIME_SPAN_MILLISECOND);
  g_task_return_boolean (task, TRUE);
}

static void
hold_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  g_autoptr (GTask) task = user_data;

  _mamori_session_job_ended (self);
  g_task_return_boolean (task, TRUE);
}

void
_mamori_session_hold_for_test (MamoriSession *self, GCancellable *release)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (!self->busy);

  job = _mamori_session_job_new (self);
  job->data = g_object_ref (release);
  job->data_free = g_object_unref;
  _mamori_session_run_job (self, job, _mamori_session_hold_for_test, NULL, hold_thread,
                           hold_done_cb, NULL, NULL);
}
