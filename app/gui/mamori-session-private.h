/* mamori-session-private.h — the session's insides, shared by mamori-session.c (the
 * vault's state: create, unlock, lock, the recovery code, the policy) and
 * mamori-session-staff.c (the staff roster and the changes to it), the jobs' files and
 * mamori-session-free.c (the main thread's turn with the vault: it touches the vault only
 * when no job has it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-session.h"
#include "mamori-sync-client.h"

G_BEGIN_DECLS

struct _MamoriSession
{
  GObject parent_instance;

  /* Owned references */
  char *path;
  GError *error;
  MamoriVault *vault;
  MamoriLookup *lookup;
  char *last_user;
  char *recovery_code; /* secure memory */
  GListStore *staff;   /* MamoriStaffMember: the roster while unlocked, else empty */

  MamoriSessionState state;
  gboolean recovery_code_replaced;
  gboolean busy;
  gboolean lock_pending;
  gboolean can_manage_staff;
  gboolean staff_stale;  /* the roster changed while a job had the vault: read once free */
  gint64 policy_serial;  /* mamori_vault_get_policy_serial() of the lookup's policy */
  gboolean policy_stale; /* records came while a job had the vault: the policy too, maybe */

  /* Who waits for the vault to be free (mamori-session-free.c) */
  GQueue waiters;
  gboolean calling_waiters;

  /* Sync with the board (mamori-session-sync.c) */
  MamoriSyncState sync_state;
  char *sync_message;
  guint unsent;
  guint sync_failures;
  guint sync_source; /* the next round's timeout, or 0 */
  guint sync_interval;
  MamoriSyncClient *sync_client;   /* the rounds' and the watch's (its token), or NULL */
  GCancellable *watch_cancellable; /* the watch waiting now, or NULL */
  gint64 watch_cursor;             /* where it waits from */
  gint64 watch_started;            /* monotonic µs */
  gint64 round_ended;              /* monotonic µs */
  gboolean sync_live;
  gboolean watch_wanted; /* to start once the job that has the vault is done */
  gulong busy_handler;
  gboolean woken;              /* the round that runs now was started by the watch's news */
  guint idle_wakeups;          /* rounds in a row the watch started that moved nothing */
  guint expired_in_row;        /* watches in a row whose token the board did not take */
  GFileMonitor *vault_monitor; /* local changes, pushed at once */
  guint push_source;
};

typedef struct _MamoriSessionJob MamoriSessionJob;

/* What a staff job does in the worker thread, with the vault to itself. */
typedef gboolean (*MamoriSessionJobWork) (MamoriSessionJob *job, GError **error);

/* What a worker thread works on: its own copies, and the passphrases in secure memory. */
struct _MamoriSessionJob
{
  MamoriVault *vault;
  char *path;
  char *school;
  char *user;
  MamoriRole role;
  char *passphrase;
  char *new_passphrase;
  char *recovery_code;
  MamoriSessionJobWork work;
  char *board_url;
  char *join_code; /* secure memory */
  MamoriSyncReport sync_report;
  gint64 unsent;
  gboolean lock_when_done; /* the unlocked user was removed: their keys open nothing now */
  gpointer data;           /* a job's own data (mamori-session-register.c), freed with it */
  GDestroyNotify data_free;
  /* The board role (mamori-session-board.c) */
  MamoriPolicy *policy;           /* to publish */
  GListModel *schools;            /* what the board answered */
  guint published;                /* in how many schools */
  MamoriTakeoutDecision decision; /* mamori-session-takeout.c */
  char *request_id;
  char *reason;
  char *grantee; /* a blanket grant's: a staff id or "all" */
  char *max_level;
  char *date_until;
  char *grant; /* the grant made */
};

/* A job on the session's vault (a reference of its own). */
MamoriSessionJob *
_mamori_session_job_new (MamoriSession *self);
void
_mamori_session_job_free (MamoriSessionJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriSessionJob, _mamori_session_job_free)

/* Runs @thread on @job (which the worker owns) with the session busy; @done_cb, back in
 * the main thread, completes the caller's task, tagged with @source_tag.  @cancellable
 * stops the job only before the thread has started on the vault: a change once begun is
 * made and reported as made. */
void
_mamori_session_run_job (MamoriSession *self,
                         MamoriSessionJob *job,
                         gpointer source_tag,
                         GCancellable *cancellable,
                         GTaskThreadFunc thread,
                         GAsyncReadyCallback done_cb,
                         GAsyncReadyCallback callback,
                         gpointer user_data);
gboolean
_mamori_session_job_finish (MamoriSession *self,
                            GAsyncResult *result,
                            gpointer source_tag,
                            GError **error);
/* The session is busy while a job has the vault.  When it stops being busy, those who
 * wait for the vault (mamori_session_when_free()) have it first, before "busy" is
 * notified. */
void
_mamori_session_set_busy (MamoriSession *self, gboolean busy);
/* Calls those who wait for the vault while it is free (mamori-session-free.c). */
void
_mamori_session_call_waiters (MamoriSession *self);
/* The session locks, breaks or goes: every waiter is told with an error, none waits on. */
void
_mamori_session_drop_waiters (MamoriSession *self);
/* For the tests only: a job that has the vault, doing nothing, until @release is
 * cancelled, so that a test decides when the session is free again. */
void
_mamori_session_hold_for_test (MamoriSession *self, GCancellable *release);
/* Back in the main thread after a job: the session is free again, and locks if a lock
 * was asked for meanwhile (or the core locked the vault itself: another program replaced
 * its key). */
void
_mamori_session_job_ended (MamoriSession *self);
/* Locks now if a lock was asked for while the session was busy. */
void
_mamori_session_lock_if_pending (MamoriSession *self);
/* The session's state and lookup, notified when they change (mamori-session.c). */
void
_mamori_session_set_state (MamoriSession *self, MamoriSessionState state);
void
_mamori_session_set_lookup (MamoriSession *self, MamoriLookup *lookup);
/* The vault cannot be used (damaged, too new, half missing): the session keeps @error for
 * the window and lets the vault go. */
void
_mamori_session_break (MamoriSession *self, const GError *error);
/* Opens the vault at the session's path, locked; NO_VAULT when there is none. */
void
_mamori_session_open (MamoriSession *self);
/* The session keeps a new recovery code (secure memory, taken) until it has been shown. */
void
_mamori_session_take_recovery_code (MamoriSession *self, char *recovery_code, gboolean replaced);
/* A MamoriRecoveryCodeSink: the code (in secure memory) into the char * at @user_data. */
gboolean
_mamori_session_keep_recovery_code (const char *recovery_code, gpointer user_data, GError **error);
void
_mamori_session_set_can_manage_staff (MamoriSession *self, gboolean can_manage_staff);

/* The lookup over @vault's policy; locks @vault and returns NULL when it cannot be read. */
MamoriLookup *
_mamori_session_load_lookup (MamoriVault *vault, GError **error);
/* In a job's thread: makes the directory of the vault at @path (0700), or returns the
 * error on @task and FALSE. */
gboolean
_mamori_session_make_directory (GTask *task, const char *path);
/* In a job's thread that made a vault (taken; NULL with @error, taken): returns the
 * lookup over its policy on @task and keeps the vault in @job, or the error. */
void
_mamori_session_return_new_vault (GTask *task,
                                  MamoriSessionJob *job,
                                  MamoriVault *vault,
                                  GError *error);
/* Back in the main thread: the session unlocked with the vault a job made, and @task
 * completed (a recovery code kept to be shown; another program's vault opened instead). */
void
_mamori_session_finish_new_vault (MamoriSession *self, GAsyncResult *result, GTask *task);
/* The session holds @vault, unlocked, and @lookup over its policy. */
void
_mamori_session_unlocked (MamoriSession *self, MamoriVault *vault, MamoriLookup *lookup);
/* Starts or stops syncing as the state and the vault allow (mamori-session-sync.c). */
void
_mamori_session_follow_sync (MamoriSession *self);
/* Stops every round to come, the watch and the watching of local changes. */
void
_mamori_session_stop_sync (MamoriSession *self);
/* Emits "records-changed", the roster and the policy (one the board published) read again
 * first. */
void
_mamori_session_records_changed (MamoriSession *self);
/* Notes which policy the lookup holds (mamori_vault_get_policy_serial()), when it was just
 * read from the vault and nothing else has it. */
void
_mamori_session_note_policy (MamoriSession *self);
/* Notifies a property of the session: sync-state, unsent, sync-message. */
void
_mamori_session_notify (MamoriSession *self, const char *property);

/* Reads the roster into "staff" while unlocked, empties it otherwise (mamori-session-staff.c). */
void
_mamori_session_update_staff (MamoriSession *self);
/* The same after a job ended, unless a waiter called as it ended (or a notify::busy
 * handler) started another: then once that one is done. */
void
_mamori_session_update_staff_when_free (MamoriSession *self);

G_END_DECLS
