/* mamori-board-checking.c — the signatures a push left to check, checked in the
 * background before the events are served
 *
 * A push checks the signature of each author's last new event in the batch and the hash
 * links of the others (the fold's chain check: every payload names its predecessor's
 * id), which proves who wrote them.  Their own signatures are checked here, on worker
 * threads, because the events travel on with them: a client checks the last event of
 * each chain in a page it pulls, and `mamori-cli vault verify` every one, so a stored
 * event must carry a good signature of its own.  Until its signature is found good, an
 * event is held (mamori_board_store_hold_event()): neither it nor any later event of its
 * school is served.  One found bad stays held (docs/protocol.md, "Push").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <sys/resource.h>
#include <unistd.h>

#include "mamori-board-private.h"
#include "mamori-signing.h"

/* Events per job: a large batch is shared among the threads. */
#define CHECK_CHUNK 64
/* The checking threads' niceness (Linux: per thread), above the server's own thread's. */
#define CHECK_NICE 10

typedef struct
{
  gint64 seq;
  char *school;
  gboolean good;
} Checked;

static void
checked_free (Checked *checked)
{
  g_free (checked->school);
  g_free (checked);
}

typedef struct
{
  MamoriBoard *board; /* a reference */
  GPtrArray *events;  /* MamoriStoredEvent */
} Job;

static gboolean
release_checked (gpointer data)
{
  MamoriBoard *self = data;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)checked_free);
  g_autoptr (GError) error = NULL;
  Checked *checked;
  gboolean ok;

  while ((checked = g_async_queue_try_pop (self->checked)) != NULL)
    g_ptr_array_add (results, checked);
  if (results->len == 0)
    return G_SOURCE_REMOVE;
  ok = mamori_board_store_begin (self->store, &error);
  for (guint i = 0; ok && i < results->len; i++)
    {
      checked = results->pdata[i];
      ok = mamori_board_store_release_event (self->store, checked->seq, checked->good, &error);
    }
  if (ok)
    ok = mamori_board_store_commit (self->store, &error);
  else
    mamori_board_store_rollback (self->store);
  if (!ok)
    {
      /* A store busy with an admin command, say: the events stay held meanwhile. */
      g_warning ("Cannot record checked signatures, trying again in a second: %s", error->message);
      for (guint i = 0; i < results->len; i++)
        g_async_queue_push (self->checked, g_steal_pointer (&results->pdata[i]));
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 1, release_checked, g_object_ref (self),
                                  g_object_unref);
      return G_SOURCE_REMOVE;
    }
  for (guint i = 0; i < results->len; i++)
    {
      checked = results->pdata[i];
      if (!checked->good)
        g_message ("Event %" G_GINT64_FORMAT " of school %s does not carry its author’s "
                   "signature (its chain’s later signature vouched for it when it was pushed): "
                   "the school’s events from it on are not served",
                   checked->seq, checked->school);
    }
  g_signal_emit_by_name (self, "checked");
  return G_SOURCE_REMOVE;
}

static void
check_job (gpointer data, gpointer user_data)
{
  Job *job = data;

  /* A thread per core, but the server's thread, which answers and stores, comes first
   * when it has work: at the same priority the checkers took its core from it, and a
   * push of 1,000 events was answered at half the rate. */
  setpriority (PRIO_PROCESS, (id_t)gettid (), CHECK_NICE);
  for (guint i = 0; i < job->events->len; i++)
    {
      MamoriStoredEvent *stored = job->events->pdata[i];
      Checked *checked = g_new0 (Checked, 1);
      MamoriEventHeader header;
      gsize length, sig_length;
      const guint8 *payload = g_bytes_get_data (stored->payload, &length);
      const guint8 *sig = g_bytes_get_data (stored->sig, &sig_length);

      checked->seq = stored->seq;
      checked->school = g_strdup (stored->school);
      checked->good = sig_length == MAMORI_SIGNATURE_SIZE
                      && mamori_event_scan_header (payload, length, &header)
                      && mamori_signing_verify (header.author, payload, length, sig);
      g_async_queue_push (job->board->checked, checked);
    }
  g_idle_add_full (G_PRIORITY_DEFAULT, release_checked, g_object_ref (job->board), g_object_unref);
  g_object_unref (job->board);
  g_ptr_array_unref (job->events);
  g_free (job);
}

void
_mamori_board_check_later (MamoriBoard *self, GPtrArray *held)
{
  if (held->len == 0)
    {
      g_ptr_array_unref (held);
      return;
    }
  if (self->checker == NULL)
    {
      /* A thread per core: Ed25519 verification scales with them (libgcrypt's verify is
       * about 1.1 ms here on one thread, 0.57 ms in aggregate on two), and the server's
       * own thread waits on the disk for much of a push (its commit's fsync) and is
       * scheduled among them. */
      gint n_threads = MAX ((gint)g_get_num_processors (), 1);

      self->checked = g_async_queue_new_full ((GDestroyNotify)checked_free);
      self->checker = g_thread_pool_new (check_job, NULL, n_threads, FALSE, NULL);
    }
  for (guint first = 0; first < held->len; first += CHECK_CHUNK)
    {
      Job *job = g_new0 (Job, 1);
      guint n = MIN (CHECK_CHUNK, held->len - first);

      job->board = g_object_ref (self);
      job->events = g_ptr_array_new_full (n, (GDestroyNotify)mamori_stored_event_free);
      for (guint i = first; i < first + n; i++)
        g_ptr_array_add (job->events, g_steal_pointer (&held->pdata[i]));
      g_thread_pool_push (self->checker, job, NULL);
    }
  g_ptr_array_unref (held);
}

gboolean
mamori_board_check_held (MamoriBoard *self, GError **error)
{
  GPtrArray *held;

  g_return_val_if_fail (MAMORI_IS_BOARD (self), FALSE);

  held = mamori_board_store_read_held (self->store, error);
  if (held == NULL)
    return FALSE;
  _mamori_board_check_later (self, held);
  return TRUE;
}

void
_mamori_board_checking_stop (MamoriBoard *self)
{
  /* Waits for the jobs queued: what they find is recorded if the main loop runs again,
   * and checked again at the next start if not (the store still holds the events). */
  if (self->checker != NULL)
    g_thread_pool_free (g_steal_pointer (&self->checker), FALSE, TRUE);
  g_clear_pointer (&self->checked, g_async_queue_unref);
}
