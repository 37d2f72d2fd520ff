/* mamori-session-sync.c — the session keeps the school's records in step with its board
 *
 * A round (MamoriSyncClient: push the outbox, pull until nothing is left) runs as a
 * session job, in a thread with the vault to itself, so the window stays responsive and
 * nothing else touches the vault meanwhile (the main thread's writers wait with
 * mamori_session_when_free(), and go first when the round ends).  Rounds are short: they never
 * long-poll, since the session would be busy for the whole wait.
 *
 * Between rounds a watch (mamori-sync-watch.h) waits on the board instead, with the
 * token and the cursor the last round left and a connection of its own, holding no
 * vault; when the board has news (or no longer takes the token) the watch ends and a
 * round starts, after which a new watch waits from the new cursor.  A change written on
 * this computer (the vault's file changes and the outbox is not empty) starts a round
 * at once.  So a request filed on one computer reaches the approver's within about a
 * second, and the approval comes back the same way (docs/architecture.md, "Live sync in
 * the app").
 *
 * Besides, a round every "sync-interval" seconds (a fallback: 120 by default) while all
 * is well, and after a failure of a round or of the watch when mamori_sync_next_delay()
 * says (with the board's Retry-After).  Locking stops all of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-session"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-session-private.h"
#include "mamori-roster.h"
#include "mamori-session-board.h"
#include "mamori-sync-join.h"
#include "mamori-sync-watch.h"
#include "mamori-vault-sync.h"

/* Seconds a watch waits: under the board's limit (MAMORI_SYNC_MAX_WAIT), so that an
 * answer comes back before any proxy in between gives up on a quiet connection. */
#define WATCH_WAIT 50
/* Milliseconds between looks at the outbox after the vault's file changed (and while
 * a job has the vault). */
#define PUSH_DELAY 50
/* Seconds between the rounds the board role's watch starts (board_spacing()). */
#define BOARD_SPACING 10

static void
schedule_round (MamoriSession *self, guint delay_ms);
static void
start_watch (MamoriSession *self);

static void
set_sync (MamoriSession *self, MamoriSyncState state, guint unsent, const char *message)
{
  if (self->sync_state != state)
    {
      self->sync_state = state;
      _mamori_session_notify (self, "sync-state");
    }
  if (self->unsent != unsent)
    {
      self->unsent = unsent;
      _mamori_session_notify (self, "unsent");
    }
  if (g_strcmp0 (self->sync_message, message) != 0)
    {
      g_free (self->sync_message);
      self->sync_message = g_strdup (message);
      _mamori_session_notify (self, "sync-message");
    }
}

static gboolean
is_joined (MamoriSession *self)
{
  g_autoptr (MamoriBoardLink) link = NULL;

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->vault == NULL)
    return FALSE;
  link = mamori_vault_get_board_link (self->vault, NULL);
  return link != NULL;
}

gboolean
mamori_session_can_sync (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return !self->busy && self->sync_state != MAMORI_SYNC_STATE_NOT_JOINED;
}

/* --- the watch ---------------------------------------------------------------------------- */

static void
set_live (MamoriSession *self, gboolean live)
{
  if (self->sync_live == live)
    return;
  self->sync_live = live;
  _mamori_session_notify (self, "sync-live");
}

static void
stop_watch (MamoriSession *self)
{
  self->watch_wanted = FALSE;
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);
  set_live (self, FALSE);
}

/* The board role's watch wakes for every school's events, which its vault (one school's)
 * passes over: its rounds come at most every BOARD_SPACING seconds, so that a busy
 * prefecture does not keep the person's vault busy.  The milliseconds left to wait. */
static guint
board_spacing (MamoriSession *self)
{
  gint64 next = self->round_ended + BOARD_SPACING * G_USEC_PER_SEC;
  gint64 now = g_get_monotonic_time ();

  if (!mamori_session_is_board (self) || now >= next)
    return 0;
  return (guint)((next - now) / 1000);
}

static void
watch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = user_data;
  g_autoptr (GError) error = NULL;
  guint retry_after = 0;
  MamoriSyncNews news;

  news
      = mamori_sync_client_watch_finish (MAMORI_SYNC_CLIENT (source), result, &retry_after, &error);
  /* Stopped (a round, a lock, the session gone): @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->watch_cancellable);
  set_live (self, FALSE);
  if (error != NULL)
    {
      /* The board went away: said at once, and tried again as a failed round would be.
       * Anything else (revoked, another certificate) a round reports in its own words. */
      if (g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE))
        {
          set_sync (self, MAMORI_SYNC_STATE_OFFLINE, self->unsent, error->message);
          schedule_round (self, mamori_sync_next_delay (++self->sync_failures, retry_after));
        }
      else
        schedule_round (self, 0);
      return;
    }
  switch (news)
    {
    case MAMORI_SYNC_NEWS_NONE:
      /* A board (or a proxy) that does not hold the request would be asked without end:
       * its answers come further and further apart, from rounds. */
      if (g_get_monotonic_time () - self->watch_started < G_USEC_PER_SEC)
        {
          schedule_round (self, mamori_sync_next_delay (++self->idle_wakeups, 0));
          break;
        }
      self->idle_wakeups = 0;
      self->expired_in_row = 0;
      start_watch (self);
      break;
    case MAMORI_SYNC_NEWS_EVENTS:
      /* A round that then finds nothing new would make the next one wait longer, so a
       * board that keeps saying "news" is not asked again and again. */
      self->woken = TRUE;
      self->expired_in_row = 0;
      schedule_round (
          self, MAX (self->idle_wakeups > 0 ? mamori_sync_next_delay (self->idle_wakeups, 0) : 0,
                     board_spacing (self)));
      break;
    case MAMORI_SYNC_NEWS_EXPIRED:
    default:
      /* The round opens a new session with the person's key; the next watch takes its
       * token.  A board that refuses every new token is asked less and less often. */
      schedule_round (
          self, self->expired_in_row > 0 ? mamori_sync_next_delay (self->expired_in_row, 0) : 0);
      self->expired_in_row++;
      break;
    }
}

/* Waits on the board from the cursor of the round that just ended. */
static void
start_watch (MamoriSession *self)
{
  g_autoptr (MamoriBoardLink) link = NULL;

  stop_watch (self);
  if (self->lock_pending || self->sync_client == NULL
      || self->state != MAMORI_SESSION_STATE_UNLOCKED)
    return;
  /* Something took the vault the moment the round ended (a page that was waiting for
   * it): the watch starts once that is done (busy_changed_cb). */
  if (self->busy)
    {
      self->watch_wanted = TRUE;
      return;
    }
  link = mamori_vault_get_board_link (self->vault, NULL);
  if (link == NULL)
    return;
  self->watch_cursor = link->cursor;
  self->watch_started = g_get_monotonic_time ();
  self->watch_cancellable = g_cancellable_new ();
  mamori_sync_client_watch_async (self->sync_client, link->epoch, link->cursor, WATCH_WAIT,
                                  self->watch_cancellable, watch_done_cb, self);
  set_live (self, TRUE);
}

static void
busy_changed_cb (MamoriSession *self)
{
  if (!self->busy && self->watch_wanted)
    start_watch (self);
}

/* --- local changes ------------------------------------------------------------------------ */

static gboolean
push_due_cb (gpointer data)
{
  MamoriSession *self = data;
  gint64 unsent = 0;

  /* A job has the vault: look again once it is done. */
  if (self->busy)
    return G_SOURCE_CONTINUE;
  self->push_source = 0;
  if (self->state != MAMORI_SESSION_STATE_UNLOCKED
      || !mamori_vault_sync_count_unsent (self->vault, &unsent, NULL) || unsent == 0)
    return G_SOURCE_REMOVE;
  /* Offline or stopped: the header bar counts it; the back-off or 今すぐ同期 sends it. */
  if (self->sync_state == MAMORI_SYNC_STATE_OFFLINE || self->sync_state == MAMORI_SYNC_STATE_ERROR)
    {
      set_sync (self, self->sync_state, (guint)CLAMP (unsent, 0, G_MAXUINT), self->sync_message);
      return G_SOURCE_REMOVE;
    }
  set_sync (self, MAMORI_SYNC_STATE_UNSENT, (guint)CLAMP (unsent, 0, G_MAXUINT), NULL);
  mamori_session_sync_async (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Whatever wrote it — a request filed, a decision, the register, mamori-cli — a change
 * to the vault's file may have put events in the outbox. */
static void
vault_changed_cb (
    GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer user_data)
{
  MamoriSession *self = user_data;

  if (self->push_source == 0)
    self->push_source = g_timeout_add (PUSH_DELAY, push_due_cb, self);
}

static void
watch_vault (MamoriSession *self)
{
  g_autoptr (GFile) file = g_file_new_for_path (self->path);

  if (self->vault_monitor != NULL)
    return;
  self->vault_monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);
  if (self->vault_monitor == NULL)
    return;
  /* Every change is looked at: a round writes the file too, and a change made right
   * after it must not wait for GLib's default 800 ms. */
  g_file_monitor_set_rate_limit (self->vault_monitor, PUSH_DELAY);
  g_signal_connect (self->vault_monitor, "changed", G_CALLBACK (vault_changed_cb), self);
}

/* --- following the session ---------------------------------------------------------------- */

void
_mamori_session_stop_sync (MamoriSession *self)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  g_clear_handle_id (&self->push_source, g_source_remove);
  stop_watch (self);
  if (self->vault_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vault_monitor, self);
      g_file_monitor_cancel (self->vault_monitor);
    }
  g_clear_object (&self->vault_monitor);
  /* Its connections close with it; a round still running holds its own reference. */
  g_clear_object (&self->sync_client);
}

void
_mamori_session_follow_sync (MamoriSession *self)
{
  _mamori_session_stop_sync (self);
  self->sync_failures = 0;
  self->idle_wakeups = 0;
  self->expired_in_row = 0;
  if (!is_joined (self))
    {
      set_sync (self, MAMORI_SYNC_STATE_NOT_JOINED, 0, NULL);
      return;
    }
  set_sync (self, MAMORI_SYNC_STATE_SYNCING, self->unsent, NULL);
  if (self->busy_handler == 0)
    self->busy_handler
        = g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), NULL);
  watch_vault (self);
  schedule_round (self, 0);
}

/* --- a round ---------------------------------------------------------------------------- */

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  MamoriSyncClient *client = job->data;
  g_autoptr (MamoriSyncClient) own = NULL;
  GError *error = NULL;

  /* The session could not make one: this one says why. */
  if (client == NULL)
    client = own = mamori_sync_client_new (job->vault, &error);
  if (client == NULL
      || !mamori_sync_client_sync (client, 0, cancellable, &job->sync_report, &error))
    {
      /* The outbox is counted even so: the header bar says what waits. */
      mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
      g_task_return_error (task, error);
      return;
    }
  mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  GTask *task = user_data;
  MamoriSessionJob *job = g_task_get_task_data (G_TASK (result));
  /* Let go in this thread: the client's watch connections belong to it. */
  g_autoptr (MamoriSyncClient) client = g_steal_pointer (&job->data);
  g_autoptr (GError) error = NULL;
  gboolean changed = job->sync_report.received > 0
                     || (job->sync_report.undone != NULL && job->sync_report.undone->len > 0);
  guint unsent = (guint)CLAMP (job->unsent, 0, G_MAXUINT);
  gboolean woken = self->woken;
  g_autoptr (MamoriBoardLink) link = NULL;

  job->data_free = NULL;
  self->woken = FALSE;
  self->round_ended = g_get_monotonic_time ();
  /* Read while the vault is still the round's: a waiter called as it ends may start a
   * job of its own. */
  if (woken && self->vault != NULL && mamori_vault_is_unlocked (self->vault))
    link = mamori_vault_get_board_link (self->vault, NULL);
  _mamori_session_set_busy (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (woken)
        self->idle_wakeups
            = link != NULL && link->cursor == self->watch_cursor ? self->idle_wakeups + 1 : 0;
      self->sync_failures = 0;
      set_sync (self, unsent > 0 ? MAMORI_SYNC_STATE_UNSENT : MAMORI_SYNC_STATE_SYNCED, unsent,
                job->sync_report.undone_reason);
      schedule_round (self, self->sync_interval * 1000);
      start_watch (self);
      if (changed)
        _mamori_session_records_changed (self);
      g_task_return_boolean (task, TRUE);
    }
  else if (g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE))
    {
      set_sync (self, MAMORI_SYNC_STATE_OFFLINE, unsent, error->message);
      schedule_round (self, mamori_sync_next_delay (
                                ++self->sync_failures,
                                client != NULL ? mamori_sync_client_get_retry_after (client) : 0));
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      /* Revoked, refused, a certificate that is not the pinned one: nothing will change
       * by itself; 今すぐ同期 tries again. */
      set_sync (self, MAMORI_SYNC_STATE_ERROR, unsent, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  g_object_unref (task);
  _mamori_session_lock_if_pending (self);
}

void
mamori_session_sync_async (MamoriSession *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (mamori_session_can_sync (self));

  g_clear_handle_id (&self->sync_source, g_source_remove);
  /* The round pulls what the watch waited for; a new watch follows it. */
  stop_watch (self);
  /* One client for every round while unlocked: its token serves the rounds and the
   * watch, so a round opens a session only when the token has expired. */
  if (self->sync_client == NULL)
    self->sync_client = mamori_sync_client_new (self->vault, NULL);
  job = _mamori_session_job_new (self);
  if (self->sync_client != NULL)
    {
      job->data = g_object_ref (self->sync_client);
      job->data_free = g_object_unref;
    }
  _mamori_session_run_job (self, job, mamori_session_sync_async, cancellable, sync_thread,
                           sync_done_cb, callback, user_data);
}

gboolean
mamori_session_sync_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_sync_async, error);
}

static gboolean
round_due_cb (gpointer data)
{
  MamoriSession *self = data;

  self->sync_source = 0;
  if (self->sync_state == MAMORI_SYNC_STATE_NOT_JOINED)
    return G_SOURCE_REMOVE;
  /* Busy with something else: try again as soon as it is done. */
  if (self->busy)
    schedule_round (self, PUSH_DELAY);
  else
    mamori_session_sync_async (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_round (MamoriSession *self, guint delay_ms)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  self->sync_source = g_timeout_add (delay_ms, round_due_cb, self);
}

gboolean
mamori_session_get_sync_live (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return self->sync_live;
}

guint
mamori_session_get_sync_interval (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), 0);

  return self->sync_interval;
}

void
mamori_session_set_sync_interval (MamoriSession *self, guint seconds)
{
  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / 1000);

  if (self->sync_interval == seconds)
    return;
  self->sync_interval = seconds;
  /* The next fallback round from now on, when one is waiting after a good round. */
  if (self->sync_source != 0 && self->sync_failures == 0 && self->sync_live)
    schedule_round (self, seconds * 1000);
  _mamori_session_notify (self, "sync-interval");
}

MamoriSyncState
mamori_session_get_sync_state (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), MAMORI_SYNC_STATE_NOT_JOINED);

  return self->sync_state;
}

guint
mamori_session_get_unsent (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), 0);

  return self->unsent;
}

const char *
mamori_session_get_sync_message (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  return self->sync_message;
}

/* --- joining ------------------------------------------------------------------------------ */

gboolean
mamori_session_can_join_board (MamoriSession *self)
{
  g_return_val_if_fail (MAMORI_IS_SESSION (self), FALSE);

  return !self->busy && self->state == MAMORI_SESSION_STATE_UNLOCKED
         && self->sync_state == MAMORI_SYNC_STATE_NOT_JOINED
         && mamori_vault_unlocked_by_administrator (self->vault);
}

char *
mamori_session_dup_board_name (MamoriSession *self)
{
  g_autoptr (MamoriBoardPin) pin = NULL;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->busy)
    return NULL;
  pin = mamori_roster_get_board (mamori_vault_get_store (self->vault), NULL);
  return pin != NULL ? g_strdup (pin->name) : NULL;
}

char *
mamori_session_dup_board_url (MamoriSession *self)
{
  g_autoptr (MamoriBoardLink) link = NULL;

  g_return_val_if_fail (MAMORI_IS_SESSION (self), NULL);

  if (self->state != MAMORI_SESSION_STATE_UNLOCKED || self->busy)
    return NULL;
  link = mamori_vault_get_board_link (self->vault, NULL);
  return link != NULL ? g_strdup (link->url) : NULL;
}

static void
join_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  GError *error = NULL;

  if (mamori_sync_join_board (job->vault, job->board_url, job->join_code, g_get_host_name (), NULL,
                              cancellable, &job->sync_report, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  mamori_vault_sync_count_unsent (job->vault, &job->unsent, NULL);
}

static void
join_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MamoriSession *self = MAMORI_SESSION (source);
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  /* Pinned even when a later step failed: the session syncs, and syncing finishes it.
   * Followed (the link read) while the vault is still the join's: a waiter called as it
   * ends may start a job of its own; the first round waits for the vault by itself. */
  _mamori_session_follow_sync (self);
  _mamori_session_set_busy (self, FALSE);
  _mamori_session_records_changed (self);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  _mamori_session_lock_if_pending (self);
}

void
mamori_session_join_board_async (MamoriSession *self,
                                 const char *url,
                                 const char *code,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (url != NULL && code != NULL);
  g_return_if_fail (mamori_session_can_join_board (self));

  job = _mamori_session_job_new (self);
  job->board_url = g_strdup (url);
  job->join_code = mamori_secure_strdup (code);
  _mamori_session_run_job (self, job, mamori_session_join_board_async, cancellable, join_thread,
                           join_done_cb, callback, user_data);
}

gboolean
mamori_session_join_board_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_join_board_async, error);
}

/* --- a computer without the school's vault ------------------------------------------------ */

static void
enroll_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MamoriSessionJob *job = task_data;
  MamoriVault *vault = NULL;
  GError *error = NULL;

  if (!_mamori_session_make_directory (task, job->path))
    return;
  /* Once enrolled a vault is kept even when the first sync fails: the session syncs
   * again by itself. */
  mamori_sync_enroll (job->path, job->board_url, job->join_code, job->passphrase,
                      g_get_host_name (), NULL, cancellable, &vault, &job->sync_report, &error);
  if (vault != NULL)
    g_clear_error (&error);
  _mamori_session_return_new_vault (task, job, vault, error);
}

static void
enroll_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  _mamori_session_finish_new_vault (MAMORI_SESSION (source), result, task);
}

void
mamori_session_enroll_async (MamoriSession *self,
                             const char *url,
                             const char *code,
                             char *passphrase,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  MamoriSessionJob *job;

  g_return_if_fail (MAMORI_IS_SESSION (self));
  g_return_if_fail (url != NULL && code != NULL && passphrase != NULL);
  g_return_if_fail (self->state == MAMORI_SESSION_STATE_NO_VAULT && !self->busy);

  job = _mamori_session_job_new (self);
  job->path = g_strdup (self->path);
  job->board_url = g_strdup (url);
  job->join_code = mamori_secure_strdup (code);
  job->passphrase = passphrase;
  _mamori_session_run_job (self, job, mamori_session_enroll_async, cancellable, enroll_thread,
                           enroll_done_cb, callback, user_data);
}

gboolean
mamori_session_enroll_finish (MamoriSession *self, GAsyncResult *result, GError **error)
{
  return _mamori_session_job_finish (self, result, mamori_session_enroll_async, error);
}
