/* mamori-session-register.c — reading the register for the page, and importing a
 * register file, as session jobs
 *
 * The page's table reads every present entry and sorts them (a second for 100,000), its
 * places view reads them and folds them into places; the request form reads the table
 * too.  A reading waits for the vault to be free (mamori_session_when_free()), then runs
 * as a job of its own.
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

#include "mamori-register-places.h"
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

/* A reading of the register (for the page's table, for its places view, for the request
 * form): what the thread does with the vault, and to whom the result goes. */
typedef gpointer (*ReadFunc) (MamoriPolicy *policy,
                              MamoriDb *db,
                              GCancellable *cancellable,
                              GError **error);

typedef struct
{
  ReadFunc read;
  GDestroyNotify result_free;
  MamoriPolicy *policy;
  gpointer source_tag;
  GCancellable *cancellable;
  GAsyncReadyCallback callback;
  gpointer user_data;
} Reading;

static void
reading_free (gpointer pointer)
{
  Reading *reading = pointer;

  g_clear_object (&reading->policy);
  g_clear_object (&reading->cancellable);
  g_free (reading);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  Reading *reading = job->data;
  gpointer result;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  result = reading->read (job->policy, mamori_vault_get_store (job->vault), cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, reading->result_free);
}

static void
read_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  GDestroyNotify result_free = ((Reading *)job->data)->result_free;
  GError *error = NULL;
  gpointer read = g_task_propagate_pointer (G_TASK (result), &error);

  _mamori_session_job_ended (MAMORI_SESSION (source));
  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, result_free);
}

/* The vault is free (or was locked meanwhile: @error): the reading starts as a job. */
static void
read_when_free_cb (MamoriSession *self, const GError *error, gpointer user_data)
{
  Reading *reading = user_data;
  MamoriSessionJob *job;

  GError *why = error != NULL ? g_error_copy (error) : NULL;

  if (why != NULL || g_cancellable_set_error_if_cancelled (reading->cancellable, &why))
    {
      g_task_report_error (self, reading->callback, reading->user_data, reading->source_tag, why);
      reading_free (reading);
      return;
    }
  job = _mamori_session_job_new (self);
  job->policy = g_steal_pointer (&reading->policy);
  job->data = reading;
  job->data_free = reading_free;
  _mamori_session_run_job (self, job, reading->source_tag, reading->cancellable, read_thread,
                           read_done_cb, reading->callback, reading->user_data);
}

/* Reads with @read in a job of its own, as soon as no other job has the vault
 * (mamori_session_when_free()). */
static void
read_async (MamoriSession *self,
            MamoriPolicy *policy,
            ReadFunc read,
            GDestroyNotify result_free,
            gpointer source_tag,
            GCancellable *cancellable,
            GAsyncReadyCallback callback,
            gpointer user_data)
{
  Reading *reading = g_new0 (Reading, 1);

  reading->read = read;
  reading->result_free = result_free;
  reading->policy = g_object_ref (policy);
  reading->source_tag = source_tag;
  reading->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  reading->callback = callback;
  reading->user_data = user_data;
  /* Not cancelled through the queue: a cancelled reading is still reported. */
  mamori_session_when_free (self, NULL, read_when_free_cb, reading);
}

static gpointer
read_finish (MamoriSession *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));

  read_async (self, policy, (ReadFunc)mamori_register_snapshot_read,
              (GDestroyNotify)mamori_register_snapshot_free, mamori_session_register_read_async,
              cancellable, callback, user_data);
}

MamoriRegisterSnapshot *
mamori_session_register_read_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return read_finish (self, result, mamori_session_register_read_async, error);
}

void
mamori_session_register_read_places_async (MamoriSession *self,
                                           MamoriPolicy *policy,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));

  read_async (self, policy, (ReadFunc)mamori_register_places_read,
              (GDestroyNotify)g_ptr_array_unref, mamori_session_register_read_places_async,
              cancellable, callback, user_data);
}

GPtrArray *
mamori_session_register_read_places_finish (MamoriSession *self,
                                            GAsyncResult *result,
                                            GError **error)
{
  return read_finish (self, result, mamori_session_register_read_places_async, error);
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
