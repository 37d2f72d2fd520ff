/* mamori-board-server-sync.c — group commit: pushes answered once their commit is
 * durable, many made durable by one fsync
 *
 * The store commits a push without an fsync (mamori_board_defer_sync()); the push's
 * answer waits, paused, until a sync on a worker thread has made its commit durable.
 * One sync covers every commit before it began, so the pushes that arrive while one is
 * under way share the next: under load, a sync per round of pushes rather than one per
 * push.  Until it is durable, no event leaves the board either: pulls serve the events
 * before the first one this process stored that no completed sync covers (numbers are
 * never skipped: the events of admin commands, durable when committed, after it wait
 * too), and the long polls of the schools pushed to are woken when it completes.  So what a client
 * holds, an acknowledgement or an event pulled, survives the machine's power failing.  Enrollment,
 * joining and publishing a policy, rare, sync before they answer (mamori_board_server_sync_now()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include "mamori-board-server-private.h"

typedef struct
{
  SoupServerMessage *msg; /* held; NULL when answered or its client went away */
  char *school;
} Ack;

static void
ack_gone (gpointer data)
{
  Ack *ack = data;

  ack->msg = NULL;
}

static void
ack_answer (Ack *ack)
{
  if (ack->msg != NULL)
    mamori_board_server_answer (g_steal_pointer (&ack->msg));
}

static void
ack_free (Ack *ack)
{
  /* The server is going, its sync failed or never ran: the push is sent again. */
  if (ack->msg != NULL)
    {
      mamori_board_server_respond_stopping (ack->msg);
      ack_answer (ack);
    }
  g_free (ack->school);
  g_free (ack);
}

void
mamori_board_server_sync_init (MamoriBoardServer *self)
{
  self->acks = g_ptr_array_new_with_free_func ((GDestroyNotify)ack_free);
}

void
mamori_board_server_sync_clear (MamoriBoardServer *self)
{
  /* A sync under way holds a reference to the server: none is, here. */
  g_clear_pointer (&self->acks, g_ptr_array_unref);
}

static void
sync_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  MamoriBoardServer *self = source;
  g_autoptr (GError) error = NULL;

  if (mamori_board_sync (self->board, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
start_sync (MamoriBoardServer *self);

static void
sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  MamoriBoardServer *self = MAMORI_BOARD_SERVER (source);
  g_autoptr (GPtrArray) acks = data;
  g_autoptr (GHashTable) schools = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  const char *school;

  self->syncing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The next sync covers them; they came before any stored since. */
      if (self->syncing_first > 0)
        self->unsynced_first = self->syncing_first;
      self->syncing_first = 0;
      g_warning ("Cannot make the pushes durable: %s", error->message);
      /* Stored, perhaps not durably: the clients push them again, and are answered
       * that they are duplicates once a sync succeeds. */
      for (guint i = 0; i < acks->len; i++)
        {
          Ack *ack = acks->pdata[i];

          if (ack->msg == NULL)
            continue;
          mamori_board_server_respond_gerror (ack->msg, error);
          ack_answer (ack);
        }
    }
  else
    {
      self->syncing_first = 0;
      for (guint i = 0; i < acks->len; i++)
        {
          Ack *ack = acks->pdata[i];

          g_hash_table_add (schools, ack->school);
          ack_answer (ack);
        }
      g_hash_table_iter_init (&iter, schools);
      while (g_hash_table_iter_next (&iter, (gpointer *)&school, NULL))
        mamori_board_server_wake (self, school);
    }
  if (self->acks != NULL && (self->acks->len > 0 || self->unsynced_first > 0))
    start_sync (self);
}

static void
start_sync (MamoriBoardServer *self)
{
  g_autoptr (GTask) task = NULL;
  GPtrArray *acks;

  if (self->syncing)
    return;
  /* It covers every commit so far. */
  self->syncing_first = self->unsynced_first;
  self->unsynced_first = 0;
  acks = g_steal_pointer (&self->acks);
  self->acks = g_ptr_array_new_with_free_func ((GDestroyNotify)ack_free);
  self->syncing = TRUE;
  task = g_task_new (self, NULL, sync_done, acks);
  g_task_run_in_thread (task, sync_thread);
}

void
mamori_board_server_when_durable (MamoriBoardServer *self,
                                  SoupServerMessage *msg,
                                  const char *school,
                                  gint64 first_new)
{
  Ack *ack = g_new0 (Ack, 1);

  if (first_new > 0 && self->unsynced_first == 0)
    self->unsynced_first = first_new;
  ack->msg = msg;
  ack->school = g_strdup (school);
  mamori_board_server_hold (msg, ack_gone, ack);
  g_ptr_array_add (self->acks, ack);
  start_sync (self);
}

gint64
mamori_board_server_durable_seq (MamoriBoardServer *self)
{
  if (self->syncing_first > 0)
    return self->syncing_first - 1;
  if (self->unsynced_first > 0)
    return self->unsynced_first - 1;
  return G_MAXINT64;
}

void
mamori_board_server_sync_store (MamoriBoardServer *self)
{
  if (self->unsynced_first > 0)
    start_sync (self);
}

void
mamori_board_server_drain (MamoriBoardServer *self)
{
  while (self->syncing)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
mamori_board_server_sync_now (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;

  if (!mamori_board_sync (self->board, &error))
    {
      mamori_board_server_respond_gerror (msg, error);
      return FALSE;
    }
  /* Every commit so far is durable; the pushes waiting for the sync under way are
   * answered when it is done. */
  self->unsynced_first = 0;
  self->syncing_first = 0;
  return TRUE;
}
