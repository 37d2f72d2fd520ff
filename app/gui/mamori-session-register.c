/* mamori-session-register.c — reading the register for the page, and importing a
 * register file, as session jobs
 *
 * The page's table reads every present entry and sorts them (a second for 100,000).
 * The preview reads the register's present entries and checks the whole file against
 * them; the import signs it in batches in one transaction.  All are session jobs: the
 * thread has the vault to itself, and back in the main thread the session is not busy
 * any more, and locks if a lock was asked for meanwhile, before the caller hears.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "mamori-session-private.h"
#include "mamori-session-register.h"

typedef struct
{
  MamoriPolicy *policy;
  GBytes *data;
  MamoriCsvEncoding encoding;
  char *file_name;
  MamoriRegisterImport *import;
} ImportJob;

static void
import_job_free (gpointer pointer)
{
  ImportJob *import_job = pointer;

  g_clear_object (&import_job->policy);
  g_clear_pointer (&import_job->data, g_bytes_unref);
  g_free (import_job->file_name);
  g_clear_pointer (&import_job->import, mamori_register_import_free);
  g_free (import_job);
}

static MamoriSessionJob *
import_job_new (MamoriSession *self, ImportJob *import_job)
{
  MamoriSessionJob *job = _mamori_session_job_new (self);

  job->data = import_job;
  job->data_free = import_job_free;
  return job;
}

/* The preview's working memory (every present entry read whole, the file decoded) is
 * tens of megabytes for a large register, given back once the preview is made. */
static void
give_back_memory (MamoriSessionJob *job)
{
  MamoriDb *db = mamori_vault_get_store (job->vault);

  if (db != NULL)
    sqlite3_db_release_memory (db->handle);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static void
prepare_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  ImportJob *import_job = job->data;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  current = mamori_register_list (mamori_vault_get_store (job->vault), &error);
  if (current == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  import = mamori_register_import_prepare_cancellable (import_job->policy, current,
                                                       import_job->data, import_job->encoding,
                                                       import_job->file_name, cancellable, &error);
  g_clear_pointer (&current, g_ptr_array_unref);
  give_back_memory (job);
  if (import == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&import),
                         (GDestroyNotify)mamori_register_import_free);
}

static void
apply_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  ImportJob *import_job = job->data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (mamori_register_import_apply (job->vault, import_job->import, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  MamoriRegisterSnapshot *snapshot;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  snapshot = mamori_register_snapshot_read (job->policy, mamori_vault_get_store (job->vault),
                                            cancellable, &error);
  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, (GDestroyNotify)mamori_register_snapshot_free);
}

static void
read_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  MamoriRegisterSnapshot *snapshot = g_task_propagate_pointer (G_TASK (result), &error);

  _mamori_session_job_ended (MAMORI_SESSION (source));
  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, (GDestroyNotify)mamori_register_snapshot_free);
}

static void
prepare_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  MamoriRegisterImport *import = g_task_propagate_pointer (G_TASK (result), &error);

  _mamori_session_job_ended (MAMORI_SESSION (source));
  if (import == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, import, (GDestroyNotify)mamori_register_import_free);
}

static void
apply_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  MamoriSession *self = MAMORI_SESSION (source);
  GError *error = NULL;

  _mamori_session_job_ended (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Every view of the register reads it again, whoever asked for the import. */
  if (self->state == MAMORI_SESSION_STATE_UNLOCKED)
    _mamori_session_records_changed (self);
  g_task_return_boolean (task, TRUE);
}

void
mamori_session_register_read_async (MamoriSession *self,
                                    MamoriPolicy *policy,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy);

  job = _mamori_session_job_new (self);
  job->policy = g_object_ref (policy);
  _mamori_session_run_job (self, job, mamori_session_register_read_async, cancellable, read_thread,
                           read_done_cb, callback, user_data);
}

MamoriRegisterSnapshot *
mamori_session_register_read_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
      g_task_get_source_tag (G_TASK (result)) == mamori_session_register_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mamori_session_register_import_prepare_async (MamoriSession *self,
                                              MamoriPolicy *policy,
                                              GBytes *data,
                                              MamoriCsvEncoding encoding,
                                              const char *file_name,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data)
{
  ImportJob *import_job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));
  g_return_if_fail (data != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy);

  import_job = g_new0 (ImportJob, 1);
  import_job->policy = g_object_ref (policy);
  import_job->data = g_bytes_ref (data);
  import_job->encoding = encoding;
  import_job->file_name = g_strdup (file_name);
  _mamori_session_run_job (self, import_job_new (self, import_job),
                           mamori_session_register_import_prepare_async, cancellable,
                           prepare_thread, prepare_done_cb, callback, user_data);
}

MamoriRegisterImport *
mamori_session_register_import_prepare_finish (MamoriSession *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                            == mamori_session_register_import_prepare_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mamori_session_register_import_apply_async (MamoriSession *self,
                                            MamoriRegisterImport *import,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  ImportJob *import_job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (import != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy);

  import_job = g_new0 (ImportJob, 1);
  import_job->import = import;
  _mamori_session_run_job (self, import_job_new (self, import_job),
                           mamori_session_register_import_apply_async, cancellable, apply_thread,
                           apply_done_cb, callback, user_data);
}

gboolean
mamori_session_register_import_apply_finish (MamoriSession *self,
                                             GAsyncResult *result,
                                             GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_register_import_apply_async,
                                     error);
}
