/* mamori-sync-client.c — a vault talking to its board: HTTP, the board's answers, the
 * session (a round's push and pull: mamori-sync-round.c)
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

#include "mamori-sync-client.h"
#include "mamori-sync-private.h"
#include "mamori-vault-sync.h"

#define CERTIFICATE_HASH_SIZE 32

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

gboolean
_mamori_sync_member_int (JsonNode *answer, const char *name, gint64 *out_value)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

JsonArray *
_mamori_sync_member_array (JsonNode *answer, const char *name)
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
