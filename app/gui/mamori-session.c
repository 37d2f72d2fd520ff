/* mamori-session.c — the school's vault as the application sees it
 *
 * The session owns the MamoriVault and, while it is unlocked, the MamoriLookup over the
 * policy stored in it and the staff roster; windows and pages are views of its "state",
 * "lookup" and "staff".  This file is the vault's state (lock, the recovery code to show,
 * the policy, the jobs); mamori-session-unlock.c making and unlocking a vault;
 * mamori-session-staff.c the roster and the changes to the staff and to the vault's keys.
 *
 * Creating, unlocking and every change to the staff or the keys run in a GTask thread
 * (most derive a key: about a second).
 * While one runs the session is "busy" and nothing else touches the vault: the thread
 * has it to itself, and its notifications are not listened to (they would come from
 * that thread).  The session changes its state when the thread is done, in the main
 * thread, before it calls back.  The rule: the main thread touches the vault only when
 * no job has it; a widget that writes waits for its turn with mamori_session_when_free()
 * (mamori-session-free.c), called where busy becomes FALSE, before any other job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-gui-enums.h"
#include "mamori-policy-install.h"
#include "mamori-session-private.h"
#include "mamori-staff-member.h"

G_DEFINE_FINAL_TYPE (MamoriSession, mamori_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_STATE,
  PROP_BUSY,
  PROP_LOOKUP,
  PROP_LAST_USER,
  PROP_HAS_RECOVERY_CODE,
  PROP_STAFF,
  PROP_CAN_MANAGE_STAFF,
  PROP_SYNC_STATE,
  PROP_UNSENT,
  PROP_SYNC_MESSAGE,
  PROP_SYNC_LIVE,
  PROP_SYNC_INTERVAL,
  N_PROPS
};

enum
{
  RECORDS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GParamSpec *properties[N_PROPS];

MamoriSessionJob *
_mamori_session_job_new (MamoriSession *self)
{
  MamoriSessionJob *job = g_new0 (MamoriSessionJob, 1);

  if (self->vault != NULL)
    job->vault = g_object_ref (self->vault);
  return job;
}

void
_mamori_session_job_free (MamoriSessionJob *job)
{
  g_clear_object (&job->vault);
  g_free (job->path);
  g_free (job->school);
  g_free (job->user);
  mamori_secure_free (job->passphrase);
  mamori_secure_free (job->new_passphrase);
  mamori_secure_free (job->recovery_code);
  g_free (job->board_url);
  mamori_secure_free (job->join_code);
  g_free (job->request_id);
  g_free (job->reason);
  g_free (job->grantee);
  g_free (job->max_level);
  g_free (job->date_until);
  g_free (job->grant);
  mamori_sync_report_clear (&job->sync_report);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_clear_object (&job->policy);
  g_clear_object (&job->schools);
  g_free (job);
}

/* The roster follows the state: read on unlock, emptied on lock, before anyone hears. */
void
_mamori_session_set_state (MamoriSession *self, MamoriSessionState state)
{
  if (self->state == state)
    return;

  self->state = state;
  _mamori_session_update_staff (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  _mamori_session_follow_sync (self);
}

void
_mamori_session_notify (MamoriSession *self, const char *property)
{
  g_object_notify (G_OBJECT (self), property);
}

/* Records came (by sync, most often): a policy among them — the board published one —
 * is what the lookup and every page follow from now on, not only after the next unlock. */
static void
update_policy (MamoriSession *self)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriLookup) lookup = NULL;
  g_autoptr (GError) error = NULL;
  gint64 serial;

  self->policy_stale = FALSE;
  if (self->state != MAMORI_SESSION_STATE_UNLOCKED
      || !mamori_vault_get_policy_serial (self->vault, &serial, &error)
      || serial == self->policy_serial)
    return;
  policy = mamori_vault_load_policy (self->vault, &error);
  if (policy == NULL)
    {
      g_warning ("The policy that came cannot be read: %s", error->message);
      return;
    }
  self->policy_serial = serial;
  lookup = mamori_lookup_new (policy);
  _mamori_session_set_lookup (self, lookup);
}

void
_mamori_session_records_changed (MamoriSession *self)
{
  _mamori_session_update_staff_when_free (self);
  if (self->busy && self->state == MAMORI_SESSION_STATE_UNLOCKED)
    self->policy_stale = TRUE;
  else
    update_policy (self);
  g_signal_emit (self, signals[RECORDS_CHANGED], 0);
}

void
_mamori_session_note_policy (MamoriSession *self)
{
  self->policy_serial = 0;
  if (self->vault != NULL)
    mamori_vault_get_policy_serial (self->vault, &self->policy_serial, NULL);
}

void
_mamori_session_set_lookup (MamoriSession *self, MamoriLookup *lookup)
{
  if (g_set_object (&self->lookup, lookup))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKUP]);
}

void
_mamori_session_set_busy (MamoriSession *self, gboolean busy)
{
  self->busy = busy;
  if (!busy)
    _mamori_session_call_waiters (self);
  /* A waiter started a job: that one said so already. */
  if (self->busy != busy)
    return;
  if (!busy && self->staff_stale)
    _mamori_session_update_staff (self);
  if (!busy && self->policy_stale)
    update_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_mamori_session_set_can_manage_staff (MamoriSession *self, gboolean can_manage_staff)
{
  if (self->can_manage_staff == can_manage_staff)
    return;

  self->can_manage_staff = can_manage_staff;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_MANAGE_STAFF]);
}

void
_mamori_session_job_ended (MamoriSession *self)
{
  /* Known before the waiters are called: they do not write to a vault about to lock. */
  if (self->vault != NULL && !mamori_vault_is_unlocked (self->vault))
    self->lock_pending = TRUE;
  _mamori_session_set_busy (self, FALSE);
  _mamori_session_lock_if_pending (self);
}

void
_mamori_session_lock_if_pending (MamoriSession *self)
{
  if (!self->lock_pending)
    return;

  self->lock_pending = FALSE;
  mamori_session_lock (self);
}

void
_mamori_session_break (MamoriSession *self, const GError *error)
{
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_clear_object (&self->vault);
  _mamori_session_set_lookup (self, NULL);
  _mamori_session_set_state (self, MAMORI_SESSION_STATE_BROKEN);
  _mamori_session_drop_waiters (self);
}

void
_mamori_session_open (MamoriSession *self)
{
  g_autofree char *key_path = mamori_vault_get_key_file_path (self->path);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = NULL;

  g_clear_error (&self->error);
  g_clear_object (&self->vault);
  _mamori_session_set_lookup (self, NULL);

  /* Either file alone is a vault that lost the other half, not a first run. */
  if (!g_file_test (self->path, G_FILE_TEST_EXISTS) && !g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      _mamori_session_set_state (self, MAMORI_SESSION_STATE_NO_VAULT);
      return;
    }

  vault = mamori_vault_open (self->path, &error);
  if (vault == NULL)
    {
      _mamori_session_break (self, error);
      return;
    }

  self->vault = g_steal_pointer (&vault);
  _mamori_session_set_state (self, MAMORI_SESSION_STATE_LOCKED);
}

void
_mamori_session_take_recovery_code (MamoriSession *self, char *recovery_code, gboolean replaced)
{
  mamori_secure_free (self->recovery_code);
  self->recovery_code = recovery_code;
  self->recovery_code_replaced = replaced;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_RECOVERY_CODE]);
}

void
_mamori_session_run_job (MamoriSession *self,
                         MamoriSessionJob *job,
                         gpointer source_tag,
                         GCancellable *cancellable,
                         GTaskThreadFunc thread,
                         GAsyncReadyCallback done_cb,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) worker = NULL;

  /* What was done is reported, cancelled or not: the thread checks @cancellable only
   * before it starts. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, source_tag);
  worker = g_task_new (self, cancellable, done_cb, task);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_set_task_data (worker, job, (GDestroyNotify)_mamori_session_job_free);
  self->lock_pending = FALSE;
  _mamori_session_set_busy (self, TRUE);
  g_task_run_in_thread (worker, thread);
}

gboolean
_mamori_session_job_finish (MamoriSession *self,
                            GAsyncResult *result,
                            gpointer source_tag,
                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mamori_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriSession *self = MAMORI_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_LOOKUP:
      g_value_set_object (value, self->lookup);
      break;

    case PROP_LAST_USER:
      g_value_set_string (value, self->last_user);
      break;

    case PROP_HAS_RECOVERY_CODE:
      g_value_set_boolean (value, self->recovery_code != NULL);
      break;

    case PROP_STAFF:
      g_value_set_object (value, self->staff);
      break;

    case PROP_CAN_MANAGE_STAFF:
      g_value_set_boolean (value, self->can_manage_staff);
      break;

    case PROP_SYNC_STATE:
      g_value_set_enum (value, self->sync_state);
      break;

    case PROP_UNSENT:
      g_value_set_uint (value, self->unsent);
      break;

    case PROP_SYNC_MESSAGE:
      g_value_set_string (value, self->sync_message);
      break;

    case PROP_SYNC_LIVE:
      g_value_set_boolean (value, self->sync_live);
      break;

    case PROP_SYNC_INTERVAL:
      g_value_set_uint (value, self->sync_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MamoriSession *self = MAMORI_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_LAST_USER:
      mamori_session_set_last_user (self, g_value_get_string (value));
      break;

    case PROP_SYNC_INTERVAL:
      mamori_session_set_sync_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_session_constructed (GObject *object)
{
  MamoriSession *self = MAMORI_SESSION (object);

  G_OBJECT_CLASS (mamori_session_parent_class)->constructed (object);

  g_return_if_fail (self->path != NULL);

  _mamori_session_open (self);
}

static void
mamori_session_dispose (GObject *object)
{
  MamoriSession *self = MAMORI_SESSION (object);

  /* A thread still at work holds its own reference to the vault. */
  if (self->vault != NULL && !self->busy)
    mamori_vault_lock (self->vault);
  _mamori_session_drop_waiters (self);
  _mamori_session_stop_sync (self);
  g_clear_object (&self->vault);
  g_clear_object (&self->lookup);
  if (self->staff != NULL)
    g_list_store_remove_all (self->staff);

  G_OBJECT_CLASS (mamori_session_parent_class)->dispose (object);
}

static void
mamori_session_finalize (GObject *object)
{
  MamoriSession *self = MAMORI_SESSION (object);

  g_free (self->path);
  g_free (self->last_user);
  g_free (self->sync_message);
  mamori_secure_free (self->recovery_code);
  g_clear_object (&self->staff);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (mamori_session_parent_class)->finalize (object);
}

static void
mamori_session_class_init (MamoriSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mamori_session_get_property;
  object_class->set_property = mamori_session_set_property;
  object_class->constructed = mamori_session_constructed;
  object_class->dispose = mamori_session_dispose;
  object_class->finalize = mamori_session_finalize;

  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATE] = g_param_spec_enum (
      "state", NULL, NULL, MAMORI_TYPE_SESSION_STATE, MAMORI_SESSION_STATE_NO_VAULT,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOOKUP]
      = g_param_spec_object ("lookup", NULL, NULL, MAMORI_TYPE_LOOKUP,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_USER]
      = g_param_spec_string ("last-user", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_HAS_RECOVERY_CODE]
      = g_param_spec_boolean ("has-recovery-code", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STAFF] = g_param_spec_object ("staff", NULL, NULL, G_TYPE_LIST_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CAN_MANAGE_STAFF]
      = g_param_spec_boolean ("can-manage-staff", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_STATE]
      = g_param_spec_enum ("sync-state", NULL, NULL, MAMORI_TYPE_SYNC_STATE,
                           MAMORI_SYNC_STATE_NOT_JOINED, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_UNSENT] = g_param_spec_uint ("unsent", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_MESSAGE] = g_param_spec_string ("sync-message", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_LIVE]
      = g_param_spec_boolean ("sync-live", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Long: the watch brings the board's news, and local changes are pushed at once. */
  properties[PROP_SYNC_INTERVAL] = g_param_spec_uint (
      "sync-interval", NULL, NULL, 1, G_MAXUINT / 1000, 120,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Events came from the board or were taken back: what is shown from the records is
   * to be read again. */
  signals[RECORDS_CHANGED] = g_signal_new ("records-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mamori_session_init (MamoriSession *self)
{
  self->staff = g_list_store_new (MAMORI_TYPE_STAFF_MEMBER);
}

MamoriSession *
mamori_session_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (MAMORI_TYPE_SESSION, "path", path, NULL);
}

char *
mamori_session_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "mamori", "school.mamori", NULL);
}

const char *
mamori_session_get_path (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->path;
}

MamoriSessionState
mamori_session_get_state (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), MAMORI_SESSION_STATE_NO_VAULT);

  return self->state;
}

const GError *
mamori_session_get_error (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->error;
}

gboolean
mamori_session_get_busy (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return self->busy;
}

MamoriVault *
mamori_session_get_vault (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->vault;
}

MamoriLookup *
mamori_session_get_lookup (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->lookup;
}

const char *
mamori_session_get_last_user (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->last_user;
}

void
mamori_session_set_last_user (MamoriSession *self, const char *user)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));

  if (g_strcmp0 (self->last_user, user) == 0)
    return;

  g_free (self->last_user);
  self->last_user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_USER]);
}

void
mamori_session_reload (MamoriSession *self)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (!self->busy);

  mamori_session_forget_recovery_code (self);
  if (self->vault != NULL)
    mamori_vault_lock (self->vault);
  _mamori_session_open (self);
}

const char *
mamori_session_get_recovery_code (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->recovery_code;
}

gboolean
mamori_session_get_recovery_code_replaced (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return self->recovery_code_replaced;
}

void
mamori_session_forget_recovery_code (MamoriSession *self)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));

  if (self->recovery_code == NULL)
    return;

  g_clear_pointer (&self->recovery_code, mamori_secure_free);
  self->recovery_code_replaced = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_RECOVERY_CODE]);
}

void
mamori_session_lock (MamoriSession *self)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));

  if (self->busy)
    {
      self->lock_pending = TRUE;
      return;
    }

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED)
    return;

  mamori_session_forget_recovery_code (self);
  mamori_vault_lock (self->vault);
  _mamori_session_set_lookup (self, NULL);
  _mamori_session_set_state (self, MAMORI_SESSION_STATE_LOCKED);
  /* Once locked: a waiter told now that asks again is told at once, not run. */
  _mamori_session_drop_waiters (self);
}

gboolean
mamori_session_can_change_policy (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return self->state == MAMORI_SESSION_STATE_UNLOCKED
         && mamori_vault_unlocked_by_administrator (self->vault);
}

gboolean
mamori_session_set_policy (MamoriSession *self,
                           MamoriPolicy *policy,
                           const char *mapping_spec,
                           GError **error)
{
  g_autoptr (MamoriLookup) lookup = NULL;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (mamori_session_can_change_policy (self), FALSE);

  /* A thread has the vault (a new recovery code is being made). */
  if (self->busy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _ ("The vault is busy: try again in a moment"));
      return FALSE;
    }
  if (!mamori_policy_install (self->vault, policy, mapping_spec, NULL, error))
    return FALSE;

  lookup = mamori_lookup_new (policy);
  _mamori_session_set_lookup (self, lookup);
  _mamori_session_note_policy (self);

  return TRUE;
}
