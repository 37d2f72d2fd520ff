/* mamori-session-staff.c — the staff roster of the unlocked vault, and the changes to the
 * staff and to the vault's keys
 *
 * "staff" lists the roster (the fold of signed events, mamori-roster.h) as
 * MamoriStaffMember objects.  It is read when the vault is unlocked and after each change
 * made here, and emptied when the vault locks.  It is updated in place — a person keeps
 * their object and a new role is a notification, the removed go, the added come at the
 * end (the roster's order is the order people were added) — so a list that shows it
 * keeps its rows, and its focus.
 *
 * Who may change what is the roster's business.  "can-manage-staff" says what it gives
 * the unlocked user, so that pages offer only that; the core refuses anything else,
 * whatever a page offered, and the refusal is passed on to be shown.
 *
 * Each change is a session job (mamori-session.c): adding someone and a new passphrase
 * derive a key (about a second), a new master key encrypts the database again.  After
 * each, made or refused, the roster is read again: another program may have changed it
 * meanwhile, and a refusal is often the first sign of that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include "mamori-roster.h"
#include "mamori-session-private.h"
#include "mamori-staff-member.h"

/* The member at @position is still @staff: the role may have changed. */
static gboolean
update_member (GListStore *store, guint position, const MamoriStaff *staff)
{
  g_autoptr (MamoriStaffMember) member = NULL;

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (store)))
    return FALSE;
  member = g_list_model_get_item (G_LIST_MODEL (store), position);
  if (!g_str_equal (mamori_staff_member_get_id (member), staff->id))
    return FALSE;
  mamori_staff_member_set_role (member, staff->role);
  return TRUE;
}

/* Makes the store the roster: both are in the order people were added, so the members
 * that stay keep their places, and the new ones are inserted where the roster has them. */
static void
merge_roster (GListStore *store, GPtrArray *roster, const char *user)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < roster->len; i++)
    g_hash_table_add (ids, ((MamoriStaff *)g_ptr_array_index (roster, i))->id);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (store)); i-- > 0;)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!g_hash_table_contains (ids, mamori_staff_member_get_id (member)))
        g_list_store_remove (store, i);
    }

  for (guint i = 0; i < roster->len; i++)
    {
      const MamoriStaff *staff = g_ptr_array_index (roster, i);
      g_autoptr (MamoriStaffMember) member = NULL;

      if (update_member (store, i, staff))
        continue;
      member = mamori_staff_member_new (staff->id, staff->name, staff->role,
                                        g_strcmp0 (staff->name, user) == 0);
      g_list_store_insert (store, i, member);
    }
}

void
_mamori_session_update_staff (MamoriSession *self)
{
  g_autoptr (GPtrArray) roster = NULL;
  g_autoptr (GError) error = NULL;
  const char *user;
  gboolean administrator = FALSE;

  self->staff_stale = FALSE;
  if (self->state != MAMORI_SESSION_STATE_UNLOCKED)
    {
      g_list_store_remove_all (self->staff);
      _mamori_session_set_can_manage_staff (self, FALSE);
      return;
    }

  roster = mamori_vault_list_staff (self->vault, FALSE, &error);
  if (roster == NULL)
    {
      /* The unlock has read and checked the roster already: this is a failing disk. */
      g_warning ("The staff roster cannot be read: %s", error->message);
      g_list_store_remove_all (self->staff);
      _mamori_session_set_can_manage_staff (self, FALSE);
      return;
    }

  user = mamori_vault_get_user (self->vault);
  merge_roster (self->staff, roster, user);
  for (guint i = 0; i < roster->len; i++)
    {
      const MamoriStaff *staff = g_ptr_array_index (roster, i);

      if (g_strcmp0 (staff->name, user) == 0)
        administrator = mamori_role_is_administrator (staff->role);
    }
  _mamori_session_set_can_manage_staff (self, administrator);
}

void
_mamori_session_update_staff_when_free (MamoriSession *self)
{
  if (self->busy && self->state == MAMORI_SESSION_STATE_UNLOCKED)
    self->staff_stale = TRUE;
  else
    _mamori_session_update_staff (self);
}

GListModel *
mamori_session_get_staff (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->staff);
}

gboolean
mamori_session_get_can_manage_staff (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return self->can_manage_staff;
}

/* --- the jobs ------------------------------------------------------------------------- */

static void
vault_work_thread (GTask *task,
                   gpointer source_object,
                   gpointer task_data,
                   GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->work (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
staff_job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  g_autoptr (GTask) task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gboolean done;

  _mamori_session_set_busy (self, FALSE);
  done = g_task_propagate_boolean (G_TASK (result), &error);

  /* The core locks the vault itself when another program replaced its key meanwhile. */
  if ((done && job->lock_when_done) || !mamori_vault_is_unlocked (self->vault))
    self->lock_pending = TRUE;
  if (self->lock_pending)
    _mamori_session_lock_if_pending (self);
  else
    _mamori_session_update_staff_when_free (self);

  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
mamori_session_run_staff_job (MamoriSession *self,
                              MamoriSessionJob *job,
                              MamoriSessionJobWork work,
                              gpointer source_tag,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  job->work = work;
  _mamori_session_run_job (self, job, source_tag, cancellable, vault_work_thread, staff_job_done_cb,
                           callback, user_data);
}

static gboolean
mamori_session_may_run_job (MamoriSession *self)
{
  return self->state == MAMORI_SESSION_STATE_UNLOCKED && !self->busy;
}

/* --- people --------------------------------------------------------------------------- */

static gboolean
add_staff_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_add_user (job->vault, job->user, job->role, job->passphrase, error);
}

void
mamori_session_add_staff_async (MamoriSession *self,
                                const char *name,
                                MamoriRole role,
                                char *passphrase,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (name != NULL && passphrase != NULL);
  g_return_if_fail (role < MAMORI_N_ROLES);
  g_return_if_fail (mamori_session_may_run_job (self));

  job = _mamori_session_job_new (self);
  job->user = g_strdup (name);
  job->role = role;
  job->passphrase = passphrase;
  mamori_session_run_staff_job (self, job, add_staff_work, mamori_session_add_staff_async,
                                cancellable, callback, user_data);
}

gboolean
mamori_session_add_staff_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_add_staff_async, error);
}

static gboolean
remove_staff_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_remove_user (job->vault, job->user, error);
}

void
mamori_session_remove_staff_async (MamoriSession *self,
                                   const char *name,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (mamori_session_may_run_job (self));

  job = _mamori_session_job_new (self);
  job->user = g_strdup (name);
  job->lock_when_done = g_strcmp0 (name, mamori_vault_get_user (self->vault)) == 0;
  mamori_session_run_staff_job (self, job, remove_staff_work, mamori_session_remove_staff_async,
                                cancellable, callback, user_data);
}

gboolean
mamori_session_remove_staff_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_remove_staff_async, error);
}

static gboolean
set_staff_role_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_set_role (job->vault, job->user, job->role, error);
}

void
mamori_session_set_staff_role_async (MamoriSession *self,
                                     const char *name,
                                     MamoriRole role,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (role < MAMORI_N_ROLES);
  g_return_if_fail (mamori_session_may_run_job (self));

  job = _mamori_session_job_new (self);
  job->user = g_strdup (name);
  job->role = role;
  mamori_session_run_staff_job (self, job, set_staff_role_work, mamori_session_set_staff_role_async,
                                cancellable, callback, user_data);
}

gboolean
mamori_session_set_staff_role_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_set_staff_role_async, error);
}

/* --- keys ----------------------------------------------------------------------------- */

static gboolean
change_passphrase_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_change_passphrase (job->vault, job->passphrase, job->new_passphrase, error);
}

void
mamori_session_change_passphrase_async (MamoriSession *self,
                                        char *old_passphrase,
                                        char *new_passphrase,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (old_passphrase != NULL && new_passphrase != NULL);
  g_return_if_fail (mamori_session_may_run_job (self));

  job = _mamori_session_job_new (self);
  job->passphrase = old_passphrase;
  job->new_passphrase = new_passphrase;
  mamori_session_run_staff_job (self, job, change_passphrase_work,
                                mamori_session_change_passphrase_async, cancellable, callback,
                                user_data);
}

gboolean
mamori_session_change_passphrase_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_change_passphrase_async, error);
}

static gboolean
rotate_key_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_rotate_key (job->vault, error);
}

void
mamori_session_rotate_key_async (MamoriSession *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (mamori_session_may_run_job (self));

  mamori_session_run_staff_job (self, _mamori_session_job_new (self), rotate_key_work,
                                mamori_session_rotate_key_async, cancellable, callback, user_data);
}

gboolean
mamori_session_rotate_key_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_rotate_key_async, error);
}

/* --- the recovery code (a roster event too: recovery-changed) ------------------------- */

gboolean
mamori_session_can_replace_recovery_code (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return mamori_session_may_run_job (self) && mamori_vault_unlocked_by_administrator (self->vault);
}

static gboolean
replace_recovery_code_work (MamoriSessionJob *job, GError **error)
{
  return mamori_vault_replace_recovery_code (job->vault, _mamori_session_keep_recovery_code,
                                             &job->recovery_code, error);
}

static void
replace_recovery_code_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  g_autoptr (GTask) task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  _mamori_session_set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _mamori_session_lock_if_pending (self);
      g_task_return_error (task, error);
      return;
    }

  /* As at creation, a lock asked for meanwhile is not honoured: the old code no longer
   * works and the new one exists nowhere else. */
  self->lock_pending = FALSE;
  _mamori_session_take_recovery_code (self, g_steal_pointer (&job->recovery_code), TRUE);
  g_task_return_boolean (task, TRUE);
}

void
mamori_session_replace_recovery_code_async (MamoriSession *self,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (mamori_session_can_replace_recovery_code (self));

  job = _mamori_session_job_new (self);
  job->work = replace_recovery_code_work;
  _mamori_session_run_job (self, job, mamori_session_replace_recovery_code_async, NULL,
                           vault_work_thread, replace_recovery_code_done_cb, callback, user_data);
}

gboolean
mamori_session_replace_recovery_code_finish (MamoriSession *self,
                                             GAsyncResult *result,
                                             GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_replace_recovery_code_async,
                                     error);
}
