/* mamori-sync-client.c — a vault talking to its board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mamori-event-wire.h"
#include "mamori-records-error.h"
#include "mamori-sync-client.h"
#include "mamori-sync-private.h"
#include "mamori-vault-sync.h"

/* docs/protocol.md, "Numbers": a push stays under both limits. */
#define PUSH_MAX_EVENTS 1000
#define PUSH_MAX_BYTES (4 * 1024 * 1024)
#define PULL_LIMIT 1000
#define CERTIFICATE_HASH_SIZE 32

struct _MamoriSyncClient
{
  GObject parent_instance;

  MamoriVault *vault; /* owned */
  SoupSession *session;
  SoupSession *watch_session; /* mamori-sync-watch.c's, made by the first watch */
  char *url;                  /* without a trailing slash */
  GBytes *certificate;        /* SHA-256 of the pinned certificate, or NULL (loopback) */
  char *token;                /* the session's, or NULL */
  guint retry_after;          /* seconds, from the last refusal */
  gboolean wrong_certificate;
};

G_DEFINE_FINAL_TYPE (MamoriSyncClient, mamori_sync_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (mamori - sync - error - quark, mamori_sync_error)

void
mamori_sync_report_clear (MamoriSyncReport *report)
{
  g_clear_pointer (&report->undone, g_ptr_array_unref);
  g_clear_pointer (&report->arrived, g_ptr_array_unref);
  g_clear_pointer (&report->undone_reason, g_free);
  g_clear_pointer (&report->undone_code, g_free);
}

/* --- HTTP ---------------------------------------------------------------------------- */

GBytes *
mamori_sync_certificate_hash (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  guint8 *hash = g_malloc (CERTIFICATE_HASH_SIZE);

  g_object_get (certificate, "certificate", &der, NULL);
  gcry_md_hash_buffer (GCRY_MD_SHA256, hash, der->data, der->len);
  return g_bytes_new_take (hash, CERTIFICATE_HASH_SIZE);
}

gboolean
_mamori_sync_is_pinned (GBytes *pin, GTlsCertificate *certificate)
{
  g_autoptr (GBytes) hash = NULL;

  if (pin == NULL || certificate == NULL)
    return FALSE;
  hash = mamori_sync_certificate_hash (certificate);
  return g_bytes_equal (hash, pin);
}

static gboolean
is_pinned (MamoriSyncClient *self, GTlsCertificate *certificate)
{
  return _mamori_sync_is_pinned (self->certificate, certificate);
}

/* The board's certificate is the one pinned at enrollment, whether or not a CA signed
 * it: a self-signed one is accepted only so. */
static gboolean
accept_certificate_cb (SoupMessage *message,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags errors,
                       gpointer user_data)
{
  MamoriSyncClient *self = user_data;

  if (is_pinned (self, certificate))
    return TRUE;
  self->wrong_certificate = TRUE;
  return FALSE;
}

static gboolean
fail (GError **error, MamoriSyncError code, const char *message)
{
  g_set_error_literal (error, MAMORI_SYNC_ERROR, code, message);
  return FALSE;
}

gboolean
_mamori_sync_wrong_certificate (GError **error)
{
  return fail (error, MAMORI_SYNC_ERROR_CERTIFICATE,
               _ ("The board’s certificate is not the one this computer saw when it joined: "
                  "someone may be in between.  Ask the board of education"));
}

guint
_mamori_sync_parse_retry_after (SoupMessage *message)
{
  const char *value
      = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  guint64 seconds;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, 24 * 60 * 60, &seconds, NULL))
    return 0;
  return seconds;
}

/* Sends @body (or nothing) to @path; the status and the parsed answer.  A network error,
 * a 5xx, a 429 are MAMORI_SYNC_ERROR_UNREACHABLE; a certificate other than the pinned
 * one is _CERTIFICATE. */
gboolean
_mamori_sync_client_request (MamoriSyncClient *self,
                             const char *method,
                             const char *path,
                             JsonNode *body,
                             guint *out_status,
                             JsonNode **out_answer,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autofree char *uri = g_strconcat (self->url, path, NULL);
  g_autoptr (SoupMessage) message = soup_message_new (method, uri);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint status;

  if (message == NULL)
    return fail (error, MAMORI_SYNC_ERROR_PROTOCOL, _ ("The board’s address is not valid"));
  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    bearer);
    }
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr (GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  self->wrong_certificate = FALSE;
  answer = soup_session_send_and_read (self->session, message, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (self->wrong_certificate)
        return _mamori_sync_wrong_certificate (error);
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE,
                   _ ("The board of education cannot be reached: %s"), local_error->message);
      return FALSE;
    }
  /* A CA's certificate passes the system's check without asking: it must still be the
   * pinned one. */
  if (g_str_has_prefix (self->url, "https:") && self->certificate == NULL)
    self->certificate
        = mamori_sync_certificate_hash (soup_message_get_tls_peer_certificate (message));
  else if (g_str_has_prefix (self->url, "https:")
           && !is_pinned (self, soup_message_get_tls_peer_certificate (message)))
    return _mamori_sync_wrong_certificate (error);

  status = soup_message_get_status (message);
  self->retry_after = _mamori_sync_parse_retry_after (message);
  if (status >= 500 || status == 429)
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE,
                   _ ("The board of education is busy (HTTP %u): trying again later"), status);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_PROTOCOL,
                   _ ("The board of education answered something that is not JSON (HTTP %u)"),
                   status);
      return FALSE;
    }
  *out_status = status;
  *out_answer = json_node_ref (json_parser_get_root (parser));
  return TRUE;
}

const char *
_mamori_sync_member_string (JsonNode *answer, const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonNode *answer, const char *name, gint64 *out_value)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

static JsonArray *
member_array (JsonNode *answer, const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
_mamori_sync_malformed (GError **error, const char *what)
{
  g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_PROTOCOL,
               _ ("The board of education answered %s without what the protocol says it holds"),
               what);
  return FALSE;
}

/* An error answer (docs/protocol.md, "Errors") as a GError. */
gboolean
_mamori_sync_refusal (JsonNode *answer, guint status, GError **error)
{
  const char *code = _mamori_sync_member_string (answer, "error");
  const char *message = _mamori_sync_member_string (answer, "message");

  if (g_strcmp0 (code, "revoked") == 0)
    return fail (error, MAMORI_SYNC_ERROR_REVOKED,
                 _ ("The board of education has revoked this computer’s key (or removed its "
                    "user): it syncs no more.  Ask the board for a new enrollment code"));
  if (g_strcmp0 (code, "code-unknown") == 0)
    return fail (error, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                 _ ("The board of education does not know this enrollment code: check it, or "
                    "ask the board for a new one"));
  if (g_strcmp0 (code, "code-used") == 0)
    return fail (error, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                 _ ("This enrollment code has been used already: ask the board of education "
                    "for a new one"));
  if (g_strcmp0 (code, "code-expired") == 0)
    return fail (error, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                 _ ("This enrollment code has expired: ask the board of education for a new "
                    "one"));
  if (g_strcmp0 (code, "not-permitted") == 0)
    return fail (error, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                 _ ("The board of education does not permit this to your role"));
  g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_PROTOCOL,
               _ ("The board of education refused the request (HTTP %u, %s): %s"), status,
               code != NULL ? code : "?", message != NULL ? message : "");
  return FALSE;
}

/* --- the session ------------------------------------------------------------------------ */

JsonNode *
_mamori_sync_object_node (const char *name, const char *value, ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, value);
  while (name != NULL)
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
      name = va_arg (args, const char *);
      if (name != NULL)
        value = va_arg (args, const char *);
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Challenge–response with the unlocked person's signing key. */
static gboolean
open_session (MamoriSyncClient *self, GCancellable *cancellable, GError **error)
{
  const guint8 *key = mamori_vault_get_public_key (self->vault);
  g_autofree char *device = NULL, *signed_text = NULL, *sig_hex = NULL;
  g_autoptr (JsonNode) body = NULL, answer = NULL, session_body = NULL, session = NULL;
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  const char *challenge, *token;
  guint status;

  g_clear_pointer (&self->token, g_free);
  if (key == NULL)
    return fail (error, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                 _ ("A person syncs, with their own key: unlock the vault as a user"));
  device = mamori_hex_encode (key, MAMORI_SIGNING_KEY_SIZE);
  body = _mamori_sync_object_node ("device", device, NULL);
  if (!_mamori_sync_client_request (self, "POST", "/v1/session/challenge", body, &status, &answer,
                                    cancellable, error))
    return FALSE;
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  challenge = _mamori_sync_member_string (answer, "challenge");
  if (challenge == NULL)
    return _mamori_sync_malformed (error, "/v1/session/challenge");
  signed_text = g_strconcat ("mamori-session-v1:", challenge, NULL);
  if (!mamori_vault_sign (self->vault, (const guint8 *)signed_text, strlen (signed_text), sig,
                          error))
    return FALSE;
  sig_hex = mamori_hex_encode (sig, sizeof sig);
  session_body
      = _mamori_sync_object_node ("device", device, "challenge", challenge, "sig", sig_hex, NULL);
  if (!_mamori_sync_client_request (self, "POST", "/v1/session", session_body, &status, &session,
                                    cancellable, error))
    return FALSE;
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (session, status, error);
  token = _mamori_sync_member_string (session, "token");
  if (token == NULL)
    return _mamori_sync_malformed (error, "/v1/session");
  self->token = g_strdup (token);
  return TRUE;
}

/* request() with the session token, opening a session first, and once more when the
 * token has expired. */
static gboolean
authorized (MamoriSyncClient *self,
            const char *method,
            const char *path,
            JsonNode *body,
            guint *out_status,
            JsonNode **out_answer,
            GCancellable *cancellable,
            GError **error)
{
  if (self->token == NULL && !open_session (self, cancellable, error))
    return FALSE;
  if (!_mamori_sync_client_request (self, method, path, body, out_status, out_answer, cancellable,
                                    error))
    return FALSE;
  if (*out_status != SOUP_STATUS_UNAUTHORIZED)
    return TRUE;
  g_clear_pointer (out_answer, json_node_unref);
  return open_session (self, cancellable, error)
         && _mamori_sync_client_request (self, method, path, body, out_status, out_answer,
                                         cancellable, error);
}

gboolean
_mamori_sync_client_authorized (MamoriSyncClient *self,
                                const char *method,
                                const char *path,
                                JsonNode *body,
                                guint *out_status,
                                JsonNode **out_answer,
                                GCancellable *cancellable,
                                GError **error)
{
  return authorized (self, method, path, body, out_status, out_answer, cancellable, error);
}

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

  if (!member_int (answer, "index", &index) || index < 0 || index >= batch->len)
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

  if (!authorized (self, "POST", "/v1/events", body, &status, &answer, cancellable, error))
    return FALSE;
  if (status == 422)
    return take_back (self, batch, answer, report, error);
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  stored = member_array (answer, "events");
  if (stored == NULL || json_array_get_length (stored) != batch->len)
    return _mamori_sync_malformed (error, "/v1/events");
  seqs = g_new (gint64, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      JsonNode *item = json_array_get_element (stored, i);
      const MamoriEvent *event = batch->pdata[i];
      guint8 id[MAMORI_EVENT_ID_SIZE];
      const char *id_hex;

      if (!JSON_NODE_HOLDS_OBJECT (item) || !member_int (item, "seq", &seqs[i]) || seqs[i] <= 0
          || (id_hex = _mamori_sync_member_string (item, "id")) == NULL
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
  if (!authorized (self, "GET", path, NULL, &status, &answer, cancellable, error))
    return FALSE;
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  epoch = _mamori_sync_member_string (answer, "epoch");
  page = member_array (answer, "events");
  more = json_object_get_member (json_node_get_object (answer), "more");
  if (epoch == NULL || page == NULL || !member_int (answer, "next", out_next) || more == NULL
      || !JSON_NODE_HOLDS_VALUE (more) || json_node_get_value_type (more) != G_TYPE_BOOLEAN)
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

guint
mamori_sync_client_get_retry_after (MamoriSyncClient *self)
{
  g_return_val_if_fail (MAMORI_IS_SYNC_CLIENT (self), 0);

  return self->retry_after;
}

guint
mamori_sync_next_delay (guint failures, guint retry_after)
{
  guint base;

  g_return_val_if_fail (failures >= 1, 0);

  if (retry_after > 0)
    return MIN (retry_after, 24 * 60 * 60) * 1000;
  base = failures > 9 ? 300 : MIN (1u << (failures - 1), 300);
  return (guint)(base * 1000 * g_random_double_range (0.5, 1.5));
}

/* --- the object ---------------------------------------------------------------------- */

/* Plain HTTP only to this computer (the tests' boards): anywhere else the records and
 * the session travel under TLS. */
static gboolean
is_allowed_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_str_equal (g_uri_get_scheme (uri), "https"))
    return TRUE;
  host = g_uri_get_host (uri);
  return g_str_equal (g_uri_get_scheme (uri), "http")
         && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
             || g_str_equal (host, "localhost"));
}

MamoriSyncClient *
_mamori_sync_client_new_for (MamoriVault *vault,
                             const char *url,
                             GBytes *certificate,
                             GError **error)
{
  MamoriSyncClient *self;

  if (!is_allowed_url (url))
    {
      /* Not echoed: what was typed may hold anything, control characters too. */
      g_set_error_literal (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT,
                           _ ("That is not a board’s address: it starts with https:// (plain "
                              "http:// only to this computer)"));
      return NULL;
    }
  self = g_object_new (MAMORI_TYPE_SYNC_CLIENT, NULL);
  self->vault = vault != NULL ? g_object_ref (vault) : NULL;
  self->url = g_strdup (url);
  while (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->certificate = certificate != NULL ? g_bytes_ref (certificate) : NULL;
  return self;
}

void
_mamori_sync_client_set_vault (MamoriSyncClient *self, MamoriVault *vault)
{
  g_set_object (&self->vault, vault);
}

void
_mamori_sync_client_set_token (MamoriSyncClient *self, const char *token)
{
  g_free (self->token);
  self->token = g_strdup (token);
}

GBytes *
_mamori_sync_client_get_certificate (MamoriSyncClient *self)
{
  return self->certificate;
}

MamoriVault *
_mamori_sync_client_get_vault (MamoriSyncClient *self)
{
  return self->vault;
}

const char *
_mamori_sync_client_get_url (MamoriSyncClient *self)
{
  return self->url;
}

const char *
_mamori_sync_client_get_token (MamoriSyncClient *self)
{
  return self->token;
}

SoupSession *
_mamori_sync_client_get_watch_session (MamoriSyncClient *self)
{
  if (self->watch_session == NULL)
    self->watch_session = soup_session_new_with_options (
        "user-agent", "Mamori/" PACKAGE_VERSION, "timeout", MAMORI_SYNC_MAX_WAIT + 30, NULL);
  return self->watch_session;
}

MamoriSyncClient *
mamori_sync_client_new (MamoriVault *vault, GError **error)
{
  g_autoptr (MamoriBoardLink) link = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);

  link = mamori_vault_get_board_link (vault, &local_error);
  if (link == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        fail (error, MAMORI_SYNC_ERROR_NOT_JOINED,
              _ ("The school has not joined a board of education: join one first"));
      return NULL;
    }
  return _mamori_sync_client_new_for (vault, link->url, link->certificate, error);
}

static void
mamori_sync_client_finalize (GObject *object)
{
  MamoriSyncClient *self = MAMORI_SYNC_CLIENT (object);

  g_clear_object (&self->vault);
  g_clear_object (&self->session);
  g_clear_object (&self->watch_session);
  g_free (self->url);
  g_clear_pointer (&self->certificate, g_bytes_unref);
  g_free (self->token);
  G_OBJECT_CLASS (mamori_sync_client_parent_class)->finalize (object);
}

static void
mamori_sync_client_class_init (MamoriSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_sync_client_finalize;
}

static void
mamori_sync_client_init (MamoriSyncClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", "Mamori/" PACKAGE_VERSION, "timeout",
                                                 90, NULL);
}
