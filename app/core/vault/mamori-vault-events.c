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

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-vault-private.h"

/* The signing of a batch, shared by the threads that sign it: each takes the next
 * unsigned event (next_to_sign) and marks it done; the thread that appends them to the
 * database signs too whenever the event it needs is not done yet. */
typedef struct
{
  const guint8 *seed;
  const guint8 *public_key;
  MamoriEvent **events;
  guint n;
  gint next_to_sign; /* atomic */
  gint *done;        /* atomic, one per event */
  gint failed;       /* atomic */
} Signing;

/* Signs the next event nobody has taken; FALSE when none is left. */
static gboolean
sign_next (Signing *signing)
{
  guint i = g_atomic_int_add (&signing->next_to_sign, 1);
  gsize length;
  const guint8 *payload;

  if (i >= signing->n)
    return FALSE;
  payload = g_bytes_get_data (signing->events[i]->payload, &length);
  if (!mamori_signing_sign (signing->seed, signing->public_key, payload, length,
                            signing->events[i]->sig, NULL))
    g_atomic_int_set (&signing->failed, TRUE);
  g_atomic_int_set (&signing->done[i], TRUE);
  return TRUE;
}

static gpointer
sign_thread (gpointer data)
{
  while (sign_next (data))
    ;
  return NULL;
}

/* Waits for event @i to be signed, signing others meanwhile. */
static gboolean
wait_signed (Signing *signing, guint i)
{
  while (!g_atomic_int_get (&signing->done[i]))
    if (!sign_next (signing))
      g_thread_yield ();
  return !g_atomic_int_get (&signing->failed);
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

  if (mamori_event_log_head (&self->db, self->school_id, self->public_key, &head_seq, head_id,
                             error))
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

/* Signs with @seed, the unlocked signer's key: the one kept since unlocking, or one
 * unwrapped again from their slot (mamori_vault_confirm_passphrase()). */
static GPtrArray *
append_signed_with (
    MamoriVault *self, const guint8 *seed, const MamoriEventDraft *drafts, guint n, GError **error)
{
  g_autoptr (GPtrArray) events = write_payloads (self, drafts, n, error);
  g_autofree gint *done = NULL;
  g_autofree GThread **threads = NULL;
  Signing signing = { 0 };
  guint n_threads;
  gboolean ok = TRUE;

  if (events == NULL)
    return NULL;
  /* The other cores sign while this thread appends (and signs when it has to wait). */
  done = g_new0 (gint, n);
  signing = (Signing){ seed, self->public_key, (MamoriEvent **)events->pdata, n, 0, done, FALSE };
  n_threads = n > 1 ? MAX (g_get_num_processors (), 2) - 1 : 0;
  threads = g_new0 (GThread *, n_threads + 1);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("mamori-sign", sign_thread, &signing);

  for (guint i = 0; i < n && ok; i++)
    {
      ok = wait_signed (&signing, i);
      if (!ok)
        g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                             "libgcrypt could not make an Ed25519 signature");
      else
        ok = mamori_event_log_append (&self->db, self->school_id, events->pdata[i],
                                      MAMORI_APPEND_SIGNED_HERE, error);
    }
  /* On failure the threads still finish the batch: they hold pointers into it. */
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  return ok ? g_steal_pointer (&events) : NULL;
}

GPtrArray *
_mamori_vault_append_events (MamoriVault *self,
                             const MamoriEventDraft *drafts,
                             guint n,
                             GError **error)
{
  return append_signed_with (self, self->keys->signing_seed, drafts, n, error);
}

MamoriEvent *
_mamori_vault_append (MamoriVault *self, const char *type, JsonNode *body, GError **error)
{
  MamoriEventDraft draft = { type, body };
  g_autoptr (GPtrArray) events = _mamori_vault_append_events (self, &draft, 1, error);

  return events != NULL ? g_ptr_array_steal_index (events, 0) : NULL;
}

static void
unref_bodies (const MamoriEventDraft *drafts, guint n)
{
  for (guint i = 0; i < n; i++)
    json_node_unref (drafts[i].body);
}

/* Appends in a transaction of its own unless the caller has one open. */
static GPtrArray *
append_in_transaction (
    MamoriVault *self, const guint8 *seed, const MamoriEventDraft *drafts, guint n, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  gboolean own_transaction = !mamori_db_in_transaction (&self->db);

  if (own_transaction && !mamori_db_exec (&self->db, "BEGIN IMMEDIATE", error))
    {
      unref_bodies (drafts, n);
      return NULL;
    }
  events = append_signed_with (self, seed, drafts, n, error);
  if (own_transaction
      && (events == NULL || !mamori_db_exec (&self->db, "COMMIT", events != NULL ? error : NULL)))
    {
      sqlite3_exec (self->db.handle, "ROLLBACK", NULL, NULL, NULL);
      g_clear_pointer (&events, g_ptr_array_unref);
    }
  return g_steal_pointer (&events);
}

GPtrArray *
mamori_vault_append_events (MamoriVault *self,
                            const MamoriEventDraft *drafts,
                            guint n,
                            GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (drafts != NULL || n == 0, NULL);

  if (!_mamori_vault_require_user (self, error))
    {
      unref_bodies (drafts, n);
      return NULL;
    }
  return append_in_transaction (self, self->keys->signing_seed, drafts, n, error);
}

MamoriEvent *
mamori_vault_append_event (MamoriVault *self, const char *type, JsonNode *body, GError **error)
{
  MamoriEventDraft draft = { type, body };
  g_autoptr (GPtrArray) events = mamori_vault_append_events (self, &draft, 1, error);

  return events != NULL ? g_ptr_array_steal_index (events, 0) : NULL;
}

/* --- a decision signed with the passphrase asked again ---------------------------- */

struct _MamoriVaultSigner
{
  MamoriSlotKeys *keys; /* secure memory: the slot's secrets, the signing seed among them */
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  char *user;
};

void
mamori_vault_signer_free (MamoriVaultSigner *signer)
{
  if (signer == NULL)
    return;
  mamori_slot_keys_free (signer->keys);
  g_free (signer->user);
  g_free (signer);
}

MamoriVaultSigner *
mamori_vault_confirm_passphrase (MamoriVault *self, const char *passphrase, GError **error)
{
  g_autoptr (MamoriVaultSigner) signer = NULL;
  const MamoriKeySlot *slot;

  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!_mamori_vault_require_user (self, error))
    return NULL;
  slot = mamori_key_file_find_user (self->key_file, self->user);
  if (slot == NULL)
    {
      _mamori_vault_no_such_user (error, self->user);
      return NULL;
    }
  signer = g_new0 (MamoriVaultSigner, 1);
  signer->keys = mamori_slot_keys_new ();
  if (!_mamori_vault_open_user_slot (slot, passphrase, signer->keys, error))
    return NULL;
  /* The slot as this vault last read it: its key is the one the user has been signing
   * with since unlocking, unless their keys were replaced meanwhile (elsewhere). */
  if (memcmp (slot->signing_public, self->public_key, MAMORI_SIGNING_KEY_SIZE) != 0)
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Your keys changed since the vault was unlocked: lock it and "
                              "unlock it again"));
      return NULL;
    }
  memcpy (signer->public_key, slot->signing_public, MAMORI_SIGNING_KEY_SIZE);
  signer->user = g_strdup (self->user);
  return g_steal_pointer (&signer);
}

GPtrArray *
mamori_vault_append_events_as (MamoriVault *self,
                               MamoriVaultSigner *signer,
                               const MamoriEventDraft *drafts,
                               guint n,
                               GError **error)
{
  g_return_val_if_fail (MAMORI_IS_VAULT (self), NULL);
  g_return_val_if_fail (signer != NULL, NULL);
  g_return_val_if_fail (drafts != NULL || n == 0, NULL);

  if (!_mamori_vault_require_user (self, error))
    {
      unref_bodies (drafts, n);
      return NULL;
    }
  if (g_strcmp0 (signer->user, self->user) != 0
      || memcmp (signer->public_key, self->public_key, MAMORI_SIGNING_KEY_SIZE) != 0)
    {
      unref_bodies (drafts, n);
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("The passphrase was confirmed by someone other than the user who "
                              "unlocked the vault"));
      return NULL;
    }
  return append_in_transaction (self, signer->keys->signing_seed, drafts, n, error);
}
