/* mamori-sync-round.c — a round: the outbox pushed, then pages pulled until the board has
 * nothing more (docs/protocol.md, "Push" and "Pull")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mamori-event-wire.h"
#include "mamori-sync-client.h"
#include "mamori-sync-private.h"
#include "mamori-vault-sync.h"

/* docs/protocol.md, "Numbers": a push stays under both limits. */
#define PUSH_MAX_EVENTS 1000
#define PUSH_MAX_BYTES (4 * 1024 * 1024)
#define PULL_LIMIT 1000

/* --- push and pull ---------------------------------------------------------------------- */

/* The board's reasons for which the vault takes its event back (docs/records.md,
 * "Refused by the board"): the records changed under it.  Any other reason means a
 * vault that is not honest or a board that is not: nothing is dropped, sync stops. */
static gboolean
is_undoable (const char *reason)
{
  return g_strcmp0 (reason, "not-permitted") == 0 || g_strcmp0 (reason, "self-approval") == 0
         || g_strcmp0 (reason, "revoked") == 0;
}

/* Why the board refused, in the user's language: its own message is in the board's. */
static char *
undone_reason (const char *reason, const char *message)
{
  if (g_strcmp0 (reason, "not-permitted") == 0)
    return g_strdup (_ ("The board of education refused it: your role no longer permits it"));
  if (g_strcmp0 (reason, "self-approval") == 0)
    return g_strdup (_ ("The board of education refused it: an approval by the person who "
                        "asked"));
  if (g_strcmp0 (reason, "revoked") == 0)
    return g_strdup (_ ("The board of education refused it: this computer’s key was revoked"));
  return g_strdup (message != NULL ? message : reason);
}

static gboolean
take_back (MamoriSyncClient *self,
           GPtrArray *batch,
           JsonNode *answer,
           MamoriSyncReport *report,
           GError **error)
{
  const char *reason = _mamori_sync_member_string (answer, "reason");
  const char *message = _mamori_sync_member_string (answer, "message");
  g_autoptr (GPtrArray) undone = NULL;
  gint64 index;

  if (!_mamori_sync_member_int (answer, "index", &index) || index < 0 || index >= batch->len)
    return _mamori_sync_malformed (error, "422");
  if (!is_undoable (reason))
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_REFUSED,
                   _ ("The board of education refused an event of this computer (%s): %s"),
                   reason != NULL ? reason : "?", message != NULL ? message : "");
      return FALSE;
    }
  undone = mamori_vault_sync_undo_refused (self->vault, batch->pdata[index], error);
  if (undone == NULL)
    return FALSE;
  if (report->undone == NULL)
    report->undone = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  for (guint i = 0; i < undone->len; i++)
    g_ptr_array_add (report->undone, g_ptr_array_steal_index (undone, i--));
  g_free (report->undone_reason);
  report->undone_reason = undone_reason (reason, message);
  g_free (report->undone_code);
  report->undone_code = g_strdup (reason);
  return TRUE;
}

/* One batch of the outbox; *@out_done when it was empty. */
static gboolean
push_batch (MamoriSyncClient *self,
            gboolean *out_done,
            MamoriSyncReport *report,
            GCancellable *cancellable,
            GError **error)
{
  g_autoptr (GPtrArray) outbox = mamori_vault_sync_outbox (self->vault, PUSH_MAX_EVENTS, error);
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL, answer = NULL;
  g_autofree gint64 *seqs = NULL;
  JsonArray *stored;
  gsize bytes = 0;
  guint status;

  if (outbox == NULL)
    return FALSE;
  *out_done = outbox->len == 0;
  if (*out_done)
    return TRUE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < outbox->len; i++)
    {
      MamoriEvent *event = outbox->pdata[i];

      bytes += g_bytes_get_size (event->payload) + 2 * MAMORI_SIGNATURE_SIZE + 128;
      if (batch->len > 0 && bytes > PUSH_MAX_BYTES)
        break;
      json_builder_add_value (builder, mamori_event_to_wire (event, FALSE));
      g_ptr_array_add (batch, event);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  if (!_mamori_sync_client_authorized (self, "POST", "/v1/events", body, &status, &answer,
                                       cancellable, error))
    return FALSE;
  if (status == 422)
    return take_back (self, batch, answer, report, error);
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  stored = _mamori_sync_member_array (answer, "events");
  if (stored == NULL || json_array_get_length (stored) != batch->len)
    return _mamori_sync_malformed (error, "/v1/events");
  seqs = g_new (gint64, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      JsonNode *item = json_array_get_element (stored, i);
      const MamoriEvent *event = batch->pdata[i];
      guint8 id[MAMORI_EVENT_ID_SIZE];
      const char *id_hex;

      if (!JSON_NODE_HOLDS_OBJECT (item) || !_mamori_sync_member_int (item, "seq", &seqs[i])
          || seqs[i] <= 0 || (id_hex = _mamori_sync_member_string (item, "id")) == NULL
          || strlen (id_hex) != 2 * MAMORI_EVENT_ID_SIZE
          || !mamori_hex_decode (id_hex, id, sizeof id) || memcmp (id, event->id, sizeof id) != 0)
        return _mamori_sync_malformed (error, "/v1/events");
    }
  if (!mamori_vault_sync_acknowledge (self->vault, batch, seqs, error))
    return FALSE;
  report->pushed += batch->len;
  return TRUE;
}

gboolean
_mamori_sync_client_push (MamoriSyncClient *self,
                          MamoriSyncReport *report,
                          GCancellable *cancellable,
                          GError **error)
{
  gboolean done = FALSE;

  while (!done)
    if (!push_batch (self, &done, report, cancellable, error))
      return FALSE;
  return TRUE;
}

/* The board's page of events after @since into @events; its epoch, next and more. */
static gboolean
fetch_page (MamoriSyncClient *self,
            gint64 since,
            guint wait,
            GPtrArray *events,
            char **out_epoch,
            gint64 *out_next,
            gboolean *out_more,
            GCancellable *cancellable,
            GError **error)
{
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  JsonNode *more;
  JsonArray *page;
  const char *epoch;
  guint status;

  path = g_strdup_printf ("/v1/events?since=%" G_GINT64_FORMAT "&limit=%u&wait=%u", since,
                          PULL_LIMIT, wait);
  if (!_mamori_sync_client_authorized (self, "GET", path, NULL, &status, &answer, cancellable,
                                       error))
    return FALSE;
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  epoch = _mamori_sync_member_string (answer, "epoch");
  page = _mamori_sync_member_array (answer, "events");
  more = json_object_get_member (json_node_get_object (answer), "more");
  if (epoch == NULL || page == NULL || !_mamori_sync_member_int (answer, "next", out_next)
      || more == NULL || !JSON_NODE_HOLDS_VALUE (more)
      || json_node_get_value_type (more) != G_TYPE_BOOLEAN)
    return _mamori_sync_malformed (error, "/v1/events");
  for (guint i = 0; i < json_array_get_length (page); i++)
    {
      MamoriEvent *event = mamori_event_from_wire (json_array_get_element (page, i), TRUE, error);

      if (event == NULL)
        return FALSE;
      /* A person whose role is the board is sent every school's events (docs/protocol.md,
       * "Pull"); their vault is one school's, and keeps that school's. */
      if (g_strcmp0 (event->school, mamori_vault_get_school_id (self->vault)) != 0)
        {
          mamori_event_free (event);
          continue;
        }
      g_ptr_array_add (events, event);
    }
  *out_epoch = g_strdup (epoch);
  *out_more = json_node_get_boolean (more);
  return TRUE;
}

/* The board's pages after the cursor, as many as one transaction takes
 * (MAMORI_VAULT_SYNC_RECEIVE_BATCH), applied; *@out_more when the board has more now,
 * *@out_restarted when the board was restored (everything must be pushed again). */
static gboolean
pull_page (MamoriSyncClient *self,
           guint wait,
           gboolean *out_more,
           gboolean *out_restarted,
           MamoriSyncReport *report,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (MamoriBoardLink) link = mamori_vault_get_board_link (self->vault, error);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autofree char *epoch = NULL;
  MamoriSyncApplied applied;
  gint64 next;
  gboolean more;

  if (link == NULL)
    return FALSE;
  if (!fetch_page (self, link->cursor, wait, events, &epoch, &next, &more, cancellable, error))
    return FALSE;
  /* A first pull brings the board's pages one after another: each transaction costs its
   * syncs to disk, so several pages go into one. */
  while (more && events->len < MAMORI_VAULT_SYNC_RECEIVE_BATCH)
    {
      g_autoptr (GPtrArray) following
          = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
      g_autofree char *following_epoch = NULL;
      gint64 following_next;
      gboolean following_more;

      if (!fetch_page (self, next, 0, following, &following_epoch, &following_next, &following_more,
                       cancellable, error))
        return FALSE;
      /* Restored in between: the next round starts again from what this one applies. */
      if (!g_str_equal (following_epoch, epoch))
        break;
      g_ptr_array_extend_and_steal (events, g_steal_pointer (&following));
      next = following_next;
      more = following_more;
    }
  if (!mamori_vault_sync_receive (self->vault, epoch, events, next, &applied, error))
    return FALSE;
  report->received += applied.received;
  /* What was appended has its place in the log; what was held already has none. */
  for (guint i = 0; i < events->len; i++)
    if (((MamoriEvent *)events->pdata[i])->seq > 0)
      {
        if (report->arrived == NULL)
          report->arrived = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
        g_ptr_array_add (report->arrived, g_ptr_array_steal_index (events, i--));
      }
  *out_restarted = applied.epoch_changed;
  *out_more = more || applied.epoch_changed;
  return TRUE;
}

gboolean
mamori_sync_client_sync (MamoriSyncClient *self,
                         guint wait,
                         GCancellable *cancellable,
                         MamoriSyncReport *out_report,
                         GError **error)
{
  MamoriSyncReport report = { 0 };
  gboolean more = TRUE, restarted = FALSE;
  gboolean ok;

  g_return_val_if_fail (MAMORI_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (wait <= MAMORI_SYNC_MAX_WAIT, FALSE);

  ok = _mamori_sync_client_push (self, &report, cancellable, error);
  while (ok && more)
    {
      /* Only the first page waits: after it, the board says whether it has more. */
      ok = pull_page (self, wait, &more, &restarted, &report, cancellable, error);
      wait = 0;
      /* A restored board lacks what it had after its backup: this vault gives it back. */
      if (ok && restarted)
        ok = _mamori_sync_client_push (self, &report, cancellable, error);
    }
  if (out_report != NULL)
    *out_report = report;
  else
    mamori_sync_report_clear (&report);
  return ok;
}
