/* mamori-session.h — the school's vault as the application sees it: none yet, locked,
 * unlocked (with the lookup over the vault's policy and the staff roster), or unusable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-lookup.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_SESSION_STATE_NO_VAULT, /* nothing at the path yet: the first run creates it */
  MAMORI_SESSION_STATE_LOCKED,
  MAMORI_SESSION_STATE_UNLOCKED,
  MAMORI_SESSION_STATE_BROKEN, /* damaged, too new, key file missing: see get_error () */
} MamoriSessionState;

/* Where the school's records stand with its board of education. */
typedef enum
{
  MAMORI_SYNC_STATE_NOT_JOINED, /* the school has joined no board (or the vault is locked) */
  MAMORI_SYNC_STATE_SYNCING,    /* the first round since unlocking has not ended */
  MAMORI_SYNC_STATE_SYNCED,     /* the board has everything this computer wrote */
  MAMORI_SYNC_STATE_UNSENT,     /* some events wait in the outbox */
  MAMORI_SYNC_STATE_OFFLINE,    /* the board cannot be reached: nothing is lost */
  MAMORI_SYNC_STATE_ERROR,      /* sync stopped: see get_sync_message () */
} MamoriSyncState;

#define MAMORI_TYPE_SESSION (mamori_session_get_type ())
G_DECLARE_FINAL_TYPE (MamoriSession, mamori_session, MAMORI, SESSION, GObject)

/* Opens the vault at @path (reading its key slots only), or finds there is none. */
MamoriSession *
mamori_session_new (const char *path);
/* Where the application keeps the vault unless told otherwise:
 * $XDG_DATA_HOME/mamori/school.mamori. */
char *
mamori_session_get_default_path (void);

const char *
mamori_session_get_path (MamoriSession *self);
MamoriSessionState
mamori_session_get_state (MamoriSession *self);
/* Why the vault cannot be used, in the BROKEN state; NULL otherwise. */
const GError *
mamori_session_get_error (MamoriSession *self);
/* TRUE while a thread has the vault: it is being created or unlocked, or the staff or its
 * keys are being changed (the key derivation runs in a thread; the vault must not be
 * touched meanwhile). */
gboolean
mamori_session_get_busy (MamoriSession *self);
/* The vault, locked or unlocked; NULL in the NO_VAULT and BROKEN states. */
MamoriVault *
mamori_session_get_vault (MamoriSession *self);
/* The lookup over the vault's policy; NULL unless unlocked. */
MamoriLookup *
mamori_session_get_lookup (MamoriSession *self);
/* Who unlocked last (offered first on the unlock screen); the application keeps it in
 * the "last-user" setting. */
const char *
mamori_session_get_last_user (MamoriSession *self);
void
mamori_session_set_last_user (MamoriSession *self, const char *user);

/* Opens the path again: after the vault was restored or replaced. */
void
mamori_session_reload (MamoriSession *self);

/* Creates the vault with @user as its first user and unlocks it, with its recovery code
 * to show.  @passphrase is a MamoriSecret, taken (freed with mamori_secure_free ()).
 * Only in NO_VAULT, not busy. */
void
mamori_session_create_async (MamoriSession *self,
                             const char *school,
                             const char *user,
                             MamoriRole role,
                             char *passphrase,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean
mamori_session_create_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* The recovery code of the vault just created, or the one that just replaced it, in
 * secure memory, to be shown once: until mamori_session_forget_recovery_code () or a lock
 * ("has-recovery-code" follows). */
const char *
mamori_session_get_recovery_code (MamoriSession *self);
/* Whether that code replaces an older one (rather than belonging to a new vault). */
gboolean
mamori_session_get_recovery_code_replaced (MamoriSession *self);
void
mamori_session_forget_recovery_code (MamoriSession *self);

/* Unlocks as @user.  @passphrase is a MamoriSecret, taken.  Only in LOCKED, not busy.
 * A wrong passphrase or an unknown user leaves the session LOCKED; a damaged or too new
 * vault makes it BROKEN.  A lock asked for meanwhile locks it again at once. */
void
mamori_session_unlock_async (MamoriSession *self,
                             const char *user,
                             char *passphrase,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean
mamori_session_unlock_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* Wipes the keys and the recovery code and drops the lookup; while busy, locks as soon
 * as the work is done. */
void
mamori_session_lock (MamoriSession *self);

/* Called in the main thread when the vault is free for it: @error is NULL and @func may
 * read and write the vault (once, now: it returns before any job starts), or it is the
 * reason it may not (G_IO_ERROR_CLOSED: the session is not unlocked, or locked before the
 * vault was free) and nothing is to be written. */
typedef void (*MamoriSessionFreeFunc) (MamoriSession *session,
                                       const GError *error,
                                       gpointer user_data);

/* The main thread touches the vault only when no job has it.  Calls @func at once when
 * none has; otherwise as soon as the job that has it ends, before any other job can
 * start (a sync round started from a notify::busy handler waits for @func).  Waiters
 * are called in the order they asked.  If the session locks (or breaks) first, @func
 * is called with an error, so that a widget waiting to write leaves its working state
 * (windows are not closed on a lock).  Never called once @cancellable is cancelled:
 * widgets cancel it in dispose, so @user_data may be the widget, unreferenced.  Without
 * @cancellable, @func is called exactly once (it may hold a reference). */
void
mamori_session_when_free (MamoriSession *self,
                          GCancellable *cancellable,
                          MamoriSessionFreeFunc func,
                          gpointer user_data);

/* Whether the unlocked user may make a new recovery code (the principal, the
 * vice-principal and the board of education), and the session is not busy. */
gboolean
mamori_session_can_replace_recovery_code (MamoriSession *self);
/* Makes a new recovery code in a thread (mamori_vault_replace_recovery_code ()); the old
 * one stops working.  On success the new code is held to be shown, as at creation, and a
 * lock asked for meanwhile is not honoured.  Only when
 * mamori_session_can_replace_recovery_code (). */
void
mamori_session_replace_recovery_code_async (MamoriSession *self,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean
mamori_session_replace_recovery_code_finish (MamoriSession *self,
                                             GAsyncResult *result,
                                             GError **error);

/* Whether the unlocked user's role may change the school's policy: the principal, the
 * vice-principal and the board of education. */
gboolean
mamori_session_can_change_policy (MamoriSession *self);
/* Puts @policy in force in the vault (mamori_policy_install ()) and looks up in it from
 * now on.  @mapping_spec (nullable, "A=I,…") moves the register's entries to the new
 * levels; without it, MAMORI_POLICY_ERROR_MAPPING when the register uses a level the new
 * policy does not have. */
gboolean
mamori_session_set_policy (MamoriSession *self,
                           MamoriPolicy *policy,
                           const char *mapping_spec,
                           GError **error);

/* The staff (mamori-session-staff.c) ------------------------------------------------- */

/* The roster of the unlocked vault (MamoriStaffMember), in the order people were added;
 * empty unless unlocked.  Read again after each change made through the session, and
 * updated in place (a person keeps their object; a new role is a notification). */
GListModel *
mamori_session_get_staff (MamoriSession *self);
/* Whether the roster makes the unlocked user an administrator (the principal, the
 * vice-principal, the board of education): who may add and remove people and change
 * their roles.  For what to offer; the core refuses whatever its rules do not allow. */
gboolean
mamori_session_get_can_manage_staff (MamoriSession *self);

/* The changes below run in a thread, as the unlocked user, only when unlocked and not
 * busy.  @cancellable stops one only before it has started on the vault; one that has
 * started is made, and reported.  The roster's refusals are MAMORI_RECORDS_ERROR_
 * NOT_PERMITTED or _CONFLICT, with a message to show; the roster is read again after
 * each, made or refused.  A lock asked for meanwhile locks when it is done. */

/* Adds @name with @role and an initial @passphrase (a MamoriSecret, taken), from which
 * the new key slot is derived.  An invalid name is MAMORI_TEXT_ERROR_INVALID. */
void
mamori_session_add_staff_async (MamoriSession *self,
                                const char *name,
                                MamoriRole role,
                                char *passphrase,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean
mamori_session_add_staff_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* Removes @name from the roster: their slot opens the vault no more.  Removing the
 * unlocked user locks the session once done. */
void
mamori_session_remove_staff_async (MamoriSession *self,
                                   const char *name,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean
mamori_session_remove_staff_finish (MamoriSession *self, GAsyncResult *result, GError **error);
void
mamori_session_set_staff_role_async (MamoriSession *self,
                                     const char *name,
                                     MamoriRole role,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean
mamori_session_set_staff_role_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* The unlocked user's new passphrase; both are MamoriSecrets, taken.  A wrong
 * @old_passphrase is MAMORI_VAULT_ERROR_WRONG_PASSPHRASE, and nothing changes. */
void
mamori_session_change_passphrase_async (MamoriSession *self,
                                        char *old_passphrase,
                                        char *new_passphrase,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean
mamori_session_change_passphrase_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* Replaces the vault's master key (mamori_vault_rotate_key ()): the database is
 * encrypted again, and old copies of the key file, with the slots of people since
 * removed, open nothing.  MAMORI_VAULT_ERROR_BUSY while another Mamori has the vault
 * open (after waiting some seconds for it). */
void
mamori_session_rotate_key_async (MamoriSession *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean
mamori_session_rotate_key_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* --- take-out decisions (mamori-session-takeout.c) --------------------------------- */

typedef enum
{
  MAMORI_TAKEOUT_DECISION_APPROVE,
  MAMORI_TAKEOUT_DECISION_REJECT,
  MAMORI_TAKEOUT_DECISION_CONFIRM_RETURN,
} MamoriTakeoutDecision;

/* Decides take-out request @id as the unlocked user, in a thread: the core unwraps their
 * signing key again with @passphrase (a MamoriSecret, taken), which takes about a second
 * (mamori-takeout.h).  @reason: a rejection's.  A wrong passphrase is
 * MAMORI_VAULT_ERROR_WRONG_PASSPHRASE and nothing is signed; what the records refuse is
 * MAMORI_RECORDS_ERROR_NOT_PERMITTED or _CONFLICT.  Only when unlocked and not busy. */
void
mamori_session_decide_takeout_async (MamoriSession *self,
                                     MamoriTakeoutDecision decision,
                                     const char *id,
                                     const char *reason,
                                     char *passphrase,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean
mamori_session_decide_takeout_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* Grants a blanket approval (mamori_takeout_grant()) as the unlocked user, in a thread, with
 * @passphrase (a MamoriSecret, taken) asked again as for a decision: to @grantee (a staff id
 * or MAMORI_TAKEOUT_GRANTEE_ALL), up to @max_level, until @date_until; with @request_id,
 * approves that request by the grant (mamori_takeout_approve_with_grant()).  The finish
 * returns the grant's id. */
void
mamori_session_grant_takeout_async (MamoriSession *self,
                                    const char *request_id,
                                    const char *grantee,
                                    const char *max_level,
                                    const char *date_until,
                                    char *passphrase,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
char *
mamori_session_grant_takeout_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* --- sync with the board (mamori-session-sync.c) ------------------------------------ */

/* While unlocked in a school that joined a board, the session syncs by itself: a round
 * once unlocked, then a watch waits on the board (a long poll that holds no vault) and
 * starts a round as soon as the board has news; a change made on this computer is
 * pushed at once; a round every "sync-interval" seconds besides, and after a failure
 * when mamori_sync_next_delay() says.  After a round that brought or took back events
 * the session emits "records-changed". */
MamoriSyncState
mamori_session_get_sync_state (MamoriSession *self);
/* The events waiting to be sent. */
guint
mamori_session_get_unsent (MamoriSession *self);
/* Why sync stopped or cannot reach the board, or what the board refused; NULL when all
 * is well. */
const char *
mamori_session_get_sync_message (MamoriSession *self);
/* One round now (今すぐ同期), with the session busy while it runs. */
void
mamori_session_sync_async (MamoriSession *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data);
gboolean
mamori_session_sync_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* Joins the school to its board with the join code the board gave (mamori-sync-join.h),
 * as the unlocked administrator, then syncs from then on. */
void
mamori_session_join_board_async (MamoriSession *self,
                                 const char *url,
                                 const char *code,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean
mamori_session_join_board_finish (MamoriSession *self, GAsyncResult *result, GError **error);
/* On a computer without the school's vault (the NO_VAULT state): with the enrollment
 * code the board gave the person, makes their vault under @passphrase (secure memory,
 * taken), enrolls and syncs (mamori-sync-join.h); the session is then unlocked as them.
 * Once enrolled, a failed first sync is not an error: the session syncs again by itself. */
void
mamori_session_enroll_async (MamoriSession *self,
                             const char *url,
                             const char *code,
                             char *passphrase,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean
mamori_session_enroll_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* Whether the school may join a board now: unlocked by an administrator, joined to none,
 * not busy. */
gboolean
mamori_session_can_join_board (MamoriSession *self);
/* The board the school joined (its name) and where it is; NULL when none. */
char *
mamori_session_dup_board_name (MamoriSession *self);
char *
mamori_session_dup_board_url (MamoriSession *self);

/* Whether a watch waits on the board now: news arrives within seconds. */
gboolean
mamori_session_get_sync_live (MamoriSession *self);
/* The seconds between rounds while all is well (the watch brings news meanwhile). */
guint
mamori_session_get_sync_interval (MamoriSession *self);
void
mamori_session_set_sync_interval (MamoriSession *self, guint seconds);

/* Whether a round may start now (unlocked, joined, not busy). */
gboolean
mamori_session_can_sync (MamoriSession *self);

G_END_DECLS
