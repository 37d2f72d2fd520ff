/* mamori-session-unlock.c — the session making a new vault and unlocking one
 *
 * Both derive a key (about a second) and read the policy in a job's thread; back in the
 * main thread the session takes the unlocked vault (_mamori_session_unlocked()).  A new
 * vault's recovery code is kept, in secure memory, until the window has shown it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mamori-session-private.h"

/* The errors after which the vault can still be unlocked by someone. */
static gboolean
is_user_error (const GError *error)
{
  return g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE)
         || g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NO_SUCH_USER)
         || g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED)
         || g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BUSY);
}

/* In the worker thread: the vault's policy, ready to search. */
MamoriLookup *
_mamori_session_load_lookup (MamoriVault *vault, GError **error)
{
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, error);

  if (policy == NULL)
    {
      mamori_vault_lock (vault);
      return NULL;
    }

  return mamori_lookup_new (policy);
}

gboolean
_mamori_session_keep_recovery_code (const char *recovery_code, gpointer user_data, GError **error)
{
  char **out = user_data;

  *out = mamori_secure_strdup (recovery_code);
  return TRUE;
}

gboolean
_mamori_session_make_directory (GTask *task, const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  int saved_errno;

  if (g_mkdir_with_parents (directory, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
                           directory, g_strerror (saved_errno));
  return FALSE;
}

void
_mamori_session_return_new_vault (GTask *task,
                                  MamoriSessionJob *job,
                                  MamoriVault *vault,
                                  GError *error)
{
  g_autoptr (MamoriVault) made = vault;
  MamoriLookup *lookup;

  if (made == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  lookup = _mamori_session_load_lookup (made, &error);
  if (lookup == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->vault = g_steal_pointer (&made);
  g_task_return_pointer (task, lookup, g_object_unref);
}

static void
create_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;
  MamoriVault *vault;

  if (!_mamori_session_make_directory (task, job->path))
    return;
  vault = mamori_vault_create (job->path, job->school, job->user, job->role, job->passphrase,
                               _mamori_session_keep_recovery_code, &job->recovery_code, &error);
  _mamori_session_return_new_vault (task, job, vault, error);
}

static void
unlock_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  g_autoptr (GError) error = NULL;
  MamoriLookup *lookup;

  if (!mamori_vault_unlock (job->vault, job->user, job->passphrase, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lookup = _mamori_session_load_lookup (job->vault, &error);
  if (lookup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, lookup, g_object_unref);
}

/* Back in the main thread: the session takes the unlocked vault. */
void
_mamori_session_unlocked (MamoriSession *self, MamoriVault *vault, MamoriLookup *lookup)
{
  g_set_object (&self->vault, vault);
  _mamori_session_set_lookup (self, lookup);
  /* The unlock's thread is done: nothing else has the vault yet. */
  _mamori_session_note_policy (self);
  mamori_session_set_last_user (self, mamori_vault_get_user (vault));
  _mamori_session_set_state (self, MAMORI_SESSION_STATE_UNLOCKED);
}

void
_mamori_session_finish_new_vault (MamoriSession *self, GAsyncResult *result, GTask *task)
{
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (MamoriLookup) lookup = NULL;
  GError *error = NULL;

  _mamori_session_set_busy (self, FALSE);
  lookup = g_task_propagate_pointer (G_TASK (result), &error);
  if (lookup == NULL)
    {
      /* Another Mamori made one meanwhile: it is to be unlocked, not created. */
      if (g_error_matches (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_EXISTS))
        _mamori_session_open (self);
      g_task_return_error (task, error);
      return;
    }

  /* A lock asked for while a recovery code was made is not honoured: the code, shown
   * next, exists nowhere else.  The desktop's own lock screen covers it meanwhile. */
  if (job->recovery_code != NULL)
    {
      self->lock_pending = FALSE;
      _mamori_session_take_recovery_code (self, g_steal_pointer (&job->recovery_code), FALSE);
    }
  _mamori_session_unlocked (self, job->vault, lookup);
  g_task_return_boolean (task, TRUE);
  _mamori_session_lock_if_pending (self);
}

static void
create_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  _mamori_session_finish_new_vault (MAMORI_SESSION (source), result, task);
}

static void
unlock_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  g_autoptr (GTask) task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (MamoriLookup) lookup = NULL;
  GError *error = NULL;

  _mamori_session_set_busy (self, FALSE);
  lookup = g_task_propagate_pointer (G_TASK (result), &error);
  if (lookup == NULL)
    {
      self->lock_pending = FALSE;
      if (!is_user_error (error))
        _mamori_session_break (self, error);
      g_task_return_error (task, error);
      return;
    }

  _mamori_session_unlocked (self, job->vault, lookup);
  _mamori_session_lock_if_pending (self);
  g_task_return_boolean (task, TRUE);
}

void
mamori_session_create_async (MamoriSession *self,
                             const char *school,
                             const char *user,
                             MamoriRole role,
                             char *passphrase,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (school != NULL && user != NULL && passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_NO_VAULT && !self->busy);

  job = _mamori_session_job_new (self);
  job->path = g_strdup (self->path);
  job->school = g_strdup (school);
  job->user = g_strdup (user);
  job->role = role;
  job->passphrase = passphrase;

  _mamori_session_run_job (self, job, mamori_session_create_async, NULL, create_thread,
                           create_done_cb, callback, user_data);
}

gboolean
mamori_session_create_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_create_async, error);
}

void
mamori_session_unlock_async (MamoriSession *self,
                             const char *user,
                             char *passphrase,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (user != NULL && passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_LOCKED && !self->busy);

  job = _mamori_session_job_new (self);
  job->user = g_strdup (user);
  job->passphrase = passphrase;

  _mamori_session_run_job (self, job, mamori_session_unlock_async, NULL, unlock_thread,
                           unlock_done_cb, callback, user_data);
}

gboolean
mamori_session_unlock_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_unlock_async, error);
}
