/* mamori-vault-events.c — the unlocked user signs events and appends them to the records
 *
 * An event's id is the hash of its payload, not of its signature, so the payloads of a
 * batch can be written one after the other (each names the previous one's id) and then
 * signed all at once on every core: Ed25519 signing in libgcrypt costs about 0.3 ms, and
 * an import of a whole register is many events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <string.h>

#include "mamori-event-log.h"
#include "mamori-vault-private.h"

/* Below this many events, starting threads costs more than it saves. */
#define PARALLEL_SIGNING_MIN 16

typedef struct
{
  const guint8 *seed;
  const guint8 *public_key;
  MamoriEvent **events;
  guint n;
  gboolean ok;
} SignJob;

static gpointer
sign_range (gpointer data)
{
  SignJob *job = data;

  job->ok = TRUE;
  for (guint i = 0; i < job->n && job->ok; i++)
    {
      gsize length;
      const guint8 *payload = g_bytes_get_data (job->events[i]->payload, &length);

      job->ok = mamori_signing_sign (job->seed, job->public_key, payload, length,
                                     job->events[i]->sig, NULL);
    }
  return NULL;
}

/* Signs every event of @events with the unlocked user's key, on every core. */
static gboolean
sign_all (MamoriVault *self, GPtrArray *events, GError **error)
{
  guint n_threads = events->len < PARALLEL_SIGNING_MIN ? 1 : MAX (g_get_num_processors (), 1);
  g_autofree SignJob *jobs = g_new0 (SignJob, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  guint per_thread = (events->len + n_threads - 1) / n_threads;
  gboolean ok = TRUE;

  for (guint t = 0; t < n_threads; t++)
    {
      guint start = MIN (t * per_thread, events->len);

      jobs[t] = (SignJob){ self->keys->signing_seed, self->public_key,
                           (MamoriEvent **)events->pdata + start,
                           MIN (per_thread, events->len - start), FALSE };
      /* The calling thread takes the first range itself. */
      if (t > 0)
        threads[t] = g_thread_new ("mamori-sign", sign_range, &jobs[t]);
    }
  sign_range (&jobs[0]);
  for (guint t = 0; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      ok = ok && jobs[t].ok;
    }
  if (!ok)
    g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                         "libgcrypt could not make an Ed25519 signature");
  return ok;
}

/* The events of @drafts (bodies taken), chained after the unlocked user's last event. */
static GPtrArray *
write_payloads (MamoriVault *self, const MamoriEventDraft *drafts, guint n, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_full (n, (GDestroyNotify)mamori_event_free);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  guint8 head_id[MAMORI_EVENT_ID_SIZE];
  gint64 head_seq;
  guint taken = 0; /* bodies handed to mamori_event_new(), which takes them */

  if (mamori_event_log_head (&self->db, self->public_key, &head_seq, head_id, error))
    while (taken < n)
      {
        MamoriEvent *event
            = mamori_event_new (drafts[taken].type, self->school_id, self->public_key, head_seq + 1,
                                head_seq > 0 ? head_id : NULL, now, drafts[taken].body, error);

        taken++;
        if (event == NULL)
          break;
        g_ptr_array_add (events, event);
        head_seq++;
        memcpy (head_id, event->id, sizeof head_id);
      }
  for (guint i = taken; i < n; i++)
    json_node_unref (drafts[i].body);
  return events->len == n ? g_steal_pointer (&events) : NULL;
}

GPtrArray *
_mamori_vault_append_events (MamoriVault *self,
                             const MamoriEventDraft *drafts,
                             guint n,
                             GError **error)
{
  g_autoptr (GPtrArray) events = write_payloads (self, drafts, n, error);

  if (events == NULL || !sign_all (self, events, error))
    return NULL;
  for (guint i = 0; i < events->len; i++)
    if (!mamori_event_log_append (&self->db, self->school_id, g_ptr_array_index (events, i),
                                  MAMORI_APPEND_SIGNED_HERE, error))
      return NULL;
  return g_steal_pointer (&events);
}

MamoriEvent *
_mamori_vault_append (MamoriVault *self, const char *type, JsonNode *body, GError **error)
{
  MamoriEventDraft draft = { type, body };
  g_autoptr (GPtrArray) events = _mamori_vault_append_events (self, &draft, 1, error);

  return events != NULL ? g_ptr_array_steal_index (events, 0) : NULL;
}

GPtrArray *
mamori_vault_append_events (MamoriVault *self,
                            const MamoriEventDraft *drafts,
                            guint n,
                            GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  gboolean own_transaction;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (drafts != NULL || n == 0, NULL);

  if (!_mamori_vault_require_user (self, error))
    {
      for (guint i = 0; i < n; i++)
        json_node_unref (drafts[i].body);
      return NULL;
    }
  own_transaction = !mamori_db_in_transaction (&self->db);
  if (own_transaction && !mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    {
      for (guint i = 0; i < n; i++)
        json_node_unref (drafts[i].body);
      return NULL;
    }
  events = _mamori_vault_append_events (self, drafts, n, error);
  if (own_transaction
      && (events == NULL || !mamori_db_exec (&self->db, "COMMIT", events != NULL ? error : NULL)))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      g_clear_pointer (&events, g_ptr_array_unref);
    }
  return g_steal_pointer (&events);
}

MamoriEvent *
mamori_vault_append_event (MamoriVault *self, const char *type, JsonNode *body, GError **error)
{
  MamoriEventDraft draft = { type, body };
  g_autoptr (GPtrArray) events = mamori_vault_append_events (self, &draft, 1, error);

  return events != NULL ? g_ptr_array_steal_index (events, 0) : NULL;
}
