/* mamori-board-server.c — docs/protocol.md over libsoup3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

/* Connections the kernel queues before the server accepts them (capped by
 * net.core.somaxconn). */
#define LISTEN_BACKLOG 4096

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mamori-board-server-private.h"
#include "mamori-crypto.h"
#include "mamori-policy-record.h"

G_DEFINE_FINAL_TYPE (MamoriBoardServer, mamori_board_server, G_TYPE_OBJECT)

static void
session_free (Session *session)
{
  g_free (session->school);
  g_free (session->join_code);
  g_free (session->found_school);
  g_clear_pointer (&session->found_staff, mamori_staff_free);
  g_free (session);
}

static void
mamori_board_server_dispose (GObject *object)
{
  MamoriBoardServer *self = MAMORI_BOARD_SERVER (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  mamori_board_server_sync_clear (self);
  g_clear_pointer (&self->fronts, mamori_board_fronts_free);
  g_clear_object (&self->certificate);
  g_clear_object (&self->board);
  G_OBJECT_CLASS (mamori_board_server_parent_class)->dispose (object);
}

static void
mamori_board_server_finalize (GObject *object)
{
  MamoriBoardServer *self = MAMORI_BOARD_SERVER (object);

  g_hash_table_unref (self->challenges);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->attempts);
  g_free (self->epoch);
  G_OBJECT_CLASS (mamori_board_server_parent_class)->finalize (object);
}

static void
mamori_board_server_class_init (MamoriBoardServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mamori_board_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = mamori_board_server_finalize;
}

static void
mamori_board_server_init (MamoriBoardServer *self)
{
  self->challenges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)session_free);
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)mamori_board_server_waiters_free);
  mamori_board_server_sync_init (self);
}

/* --- answers ------------------------------------------------------------------------- */

static void
respond_json (SoupServerMessage *msg, guint status, JsonNode *root)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
mamori_board_server_respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  respond_json (msg, status, root);
}

void
mamori_board_server_respond_error (SoupServerMessage *msg,
                                   guint status,
                                   const char *code,
                                   const char *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, status, builder);
}

/* 503, to be asked again in a moment. */
static void
respond_unavailable (SoupServerMessage *msg, const char *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  mamori_board_server_respond_error (msg, 503, "unavailable", message);
}

/* A failure of the board itself, or one of MamoriBoardError. */
void
mamori_board_server_respond_gerror (SoupServerMessage *msg, const GError *error)
{
  static const struct
  {
    MamoriBoardError code;
    guint status;
    const char *word;
  } map[] = {
    { MAMORI_BOARD_ERROR_NOT_FOUND, 404, "not-found" },
    { MAMORI_BOARD_ERROR_BAD_REQUEST, 400, "bad-request" },
    { MAMORI_BOARD_ERROR_CODE_UNKNOWN, 403, "code-unknown" },
    { MAMORI_BOARD_ERROR_CODE_USED, 403, "code-used" },
    { MAMORI_BOARD_ERROR_CODE_EXPIRED, 403, "code-expired" },
    { MAMORI_BOARD_ERROR_REVOKED, 403, "revoked" },
    { MAMORI_BOARD_ERROR_NOT_PERMITTED, 403, "not-permitted" },
    { MAMORI_BOARD_ERROR_NOT_JOINED, 409, "not-joined" },
    { MAMORI_BOARD_ERROR_HISTORY_INCOMPLETE, 409, "history-incomplete" },
  };

  if (error->domain == MAMORI_BOARD_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
      if ((gint)map[i].code == error->code)
        {
          mamori_board_server_respond_error (msg, map[i].status, map[i].word, error->message);
          return;
        }
  g_warning ("%s", error->message);
  respond_unavailable (msg, error->message);
}

void
mamori_board_server_respond_stopping (SoupServerMessage *msg)
{
  respond_unavailable (msg, "The board is stopping");
}

void
mamori_board_server_add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
mamori_board_server_add_hex (JsonBuilder *builder,
                             const char *member,
                             const guint8 *bytes,
                             gsize length)
{
  g_autofree char *hex = mamori_hex_encode (bytes, length);

  mamori_board_server_add_string (builder, member, hex);
}

/* {author, payload, sig} (and seq, when @seq > 0). */
void
mamori_board_server_add_event (JsonBuilder *builder, GBytes *payload, const guint8 *sig, gint64 seq)
{
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);
  g_autofree char *text = g_strndup (data, length);
  MamoriEventHeader header;

  json_builder_begin_object (builder);
  if (seq > 0)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, seq);
    }
  if (mamori_event_scan_header ((const guint8 *)data, length, &header))
    mamori_board_server_add_hex (builder, "author", header.author, sizeof header.author);
  mamori_board_server_add_string (builder, "payload", text);
  mamori_board_server_add_hex (builder, "sig", sig, MAMORI_SIGNATURE_SIZE);
  json_builder_end_object (builder);
}

/* --- requests -------------------------------------------------------------------------- */

/* The request's JSON object, or NULL having answered 400 or 413. */
JsonObject *
mamori_board_server_request_object (SoupServerMessage *msg, JsonParser *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  JsonNode *root;

  if (g_bytes_get_size (bytes) > MAX_BODY)
    {
      mamori_board_server_respond_error (msg, 413, "too-large", "More than 8 MiB in one request");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize)g_bytes_get_size (bytes), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      mamori_board_server_respond_error (msg, 400, "bad-request",
                                         "The request is not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

const char *
mamori_board_server_member_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A member holding exactly @length bytes in hex. */
gboolean
mamori_board_server_member_hex (JsonObject *object, const char *member, guint8 *out, gsize length)
{
  const char *hex = mamori_board_server_member_string (object, member);

  return hex != NULL && mamori_hex_decode (hex, out, length);
}

void
mamori_board_server_bad_request (SoupServerMessage *msg, const char *what)
{
  g_autofree char *message = g_strdup_printf ("Missing or malformed member “%s”", what);

  mamori_board_server_respond_error (msg, 400, "bad-request", message);
}

/* --- enrollment ------------------------------------------------------------------------ */

static Attempts *
attempts_for (MamoriBoardServer *self, SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);
  Attempts *attempts = g_hash_table_lookup (self->attempts, host != NULL ? host : "");
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  if (attempts == NULL)
    {
      attempts = g_new0 (Attempts, 1);
      g_hash_table_insert (self->attempts, g_strdup (host != NULL ? host : ""), attempts);
    }
  if (now - attempts->window_start >= ENROLL_WINDOW)
    {
      attempts->window_start = now;
      attempts->failures = 0;
    }
  return attempts;
}

static void
add_enrollment (MamoriBoardServer *self, JsonBuilder *builder, MamoriBoardEnrollment *enrollment)
{
  json_builder_set_member_name (builder, "board");
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "id", mamori_board_get_id (self->board));
  mamori_board_server_add_hex (builder, "signing_key", mamori_board_get_public_key (self->board),
                               MAMORI_SIGNING_KEY_SIZE);
  mamori_board_server_add_string (builder, "name", mamori_board_get_name (self->board));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "school");
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "id", enrollment->school);
  mamori_board_server_add_string (builder, "name", enrollment->school_name);
  json_builder_end_object (builder);
  if (enrollment->history)
    return;
  json_builder_set_member_name (builder, "staff");
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "id", enrollment->staff);
  mamori_board_server_add_string (builder, "name", enrollment->staff_name);
  mamori_board_server_add_string (builder, "role", mamori_role_to_string (enrollment->role));
  json_builder_end_object (builder);
}

static void
handle_enroll (MamoriBoardServer *self, SoupServerMessage *msg, gboolean peek)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (MamoriBoardEnrollment) enrollment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *epoch = NULL;
  Attempts *attempts = attempts_for (self, msg);
  JsonNode *node;
  gboolean history = FALSE;
  JsonObject *request;
  MamoriRosterKeys keys;
  guint8 proof[MAMORI_SIGNATURE_SIZE];
  const char *label;

  if (attempts->failures >= ENROLL_FAILURES)
    {
      g_autofree char *after
          = g_strdup_printf ("%" G_GINT64_FORMAT, attempts->window_start + ENROLL_WINDOW
                                                      - g_get_monotonic_time () / G_USEC_PER_SEC);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    after);
      mamori_board_server_respond_error (msg, 429, "slow-down",
                                         "Too many failed enrollments from this address");
      return;
    }
  request = mamori_board_server_request_object (msg, parser);
  if (request == NULL)
    return;
  if (mamori_board_server_member_string (request, "code") == NULL)
    {
      mamori_board_server_bad_request (msg, "code");
      return;
    }
  code = mamori_board_normalize_code (mamori_board_server_member_string (request, "code"));
  node = json_object_get_member (request, "history");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          mamori_board_server_bad_request (msg, "history");
          return;
        }
      history = json_node_get_boolean (node);
    }
  if (!peek)
    {
      label = mamori_board_server_member_string (request, "label");
      if (!mamori_board_server_member_hex (request, "signing_key", keys.signing_key,
                                           sizeof keys.signing_key)
          || !mamori_board_server_member_hex (request, "slot_key", keys.slot_key,
                                              sizeof keys.slot_key)
          || !mamori_board_server_member_hex (request, "proof", proof, sizeof proof)
          || label == NULL)
        {
          mamori_board_server_bad_request (msg, "signing_key, slot_key, proof, label");
          return;
        }
    }
  if (code == NULL)
    g_set_error (&error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_UNKNOWN,
                 "This is not an enrollment code of this board");
  else
    enrollment = mamori_board_enroll (self->board, code, peek ? NULL : &keys, peek ? NULL : label,
                                      peek ? NULL : proof, history, &error);
  if (enrollment == NULL)
    {
      if (error->domain == MAMORI_BOARD_ERROR)
        attempts->failures++;
      mamori_board_server_respond_gerror (msg, error);
      return;
    }
  epoch = mamori_board_get_epoch (self->board, &error);
  if (epoch == NULL)
    {
      mamori_board_server_respond_gerror (msg, error);
      return;
    }
  if (enrollment->device_added != NULL && !mamori_board_server_sync_now (self, msg))
    return;
  json_builder_begin_object (builder);
  add_enrollment (self, builder, enrollment);
  if (enrollment->device_added != NULL)
    {
      json_builder_set_member_name (builder, "device_added");
      mamori_board_server_add_event (builder, enrollment->device_added->payload,
                                     enrollment->device_added->sig,
                                     enrollment->device_added->server_seq);
      mamori_board_server_add_string (builder, "epoch", epoch);
    }
  else if (enrollment->history && !peek)
    {
      guint8 token[32];
      Session *session = g_new0 (Session, 1);
      char *token_hex;

      mamori_crypto_random (token, sizeof token);
      token_hex = mamori_hex_encode (token, sizeof token);
      memcpy (session->device, keys.signing_key, sizeof session->device);
      session->expires = g_get_monotonic_time () + (gint64)HISTORY_SECONDS * G_USEC_PER_SEC;
      session->school = g_strdup (enrollment->school);
      session->join_code = g_strdup (code);
      g_hash_table_insert (self->tokens, token_hex, session);
      mamori_board_server_add_string (builder, "token", token_hex);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, HISTORY_SECONDS);
      mamori_board_server_add_string (builder, "epoch", epoch);
    }
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
}

/* --- sessions ------------------------------------------------------------------------- */

static void
handle_challenge (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonObject *request = mamori_board_server_request_object (msg, parser);
  guint8 device[MAMORI_SIGNING_KEY_SIZE], challenge[32];
  gint64 *expires;
  char *hex;

  if (request == NULL)
    return;
  if (!mamori_board_server_member_hex (request, "device", device, sizeof device))
    {
      mamori_board_server_bad_request (msg, "device");
      return;
    }
  mamori_crypto_random (challenge, sizeof challenge);
  hex = mamori_hex_encode (challenge, sizeof challenge);
  expires = g_new (gint64, 1);
  *expires = g_get_monotonic_time () + CHALLENGE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_insert (self->challenges, hex, expires);
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "challenge", hex);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, CHALLENGE_SECONDS);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
}

static void
handle_session (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *signed_text = NULL;
  JsonObject *request = mamori_board_server_request_object (msg, parser);
  guint8 device[MAMORI_SIGNING_KEY_SIZE], sig[MAMORI_SIGNATURE_SIZE], token[32];
  const char *challenge;
  gint64 *expires;
  Session *session;
  char *token_hex;

  if (request == NULL)
    return;
  challenge = mamori_board_server_member_string (request, "challenge");
  if (!mamori_board_server_member_hex (request, "device", device, sizeof device)
      || challenge == NULL || !mamori_board_server_member_hex (request, "sig", sig, sizeof sig))
    {
      mamori_board_server_bad_request (msg, "device, challenge, sig");
      return;
    }
  /* A challenge answers once, whatever the answer. */
  expires = g_hash_table_lookup (self->challenges, challenge);
  if (expires == NULL || *expires < g_get_monotonic_time ())
    {
      g_hash_table_remove (self->challenges, challenge);
      mamori_board_server_respond_error (msg, 401, "unauthenticated",
                                         "Unknown or expired challenge");
      return;
    }
  g_hash_table_remove (self->challenges, challenge);
  signed_text = g_strconcat (SESSION_PREFIX, challenge, NULL);
  if (!mamori_signing_verify (device, (const guint8 *)signed_text, strlen (signed_text), sig))
    {
      mamori_board_server_respond_error (msg, 401, "unauthenticated",
                                         "The signature is not the device’s");
      return;
    }
  if (!mamori_board_find_device (self->board, device, &school, &staff, &error))
    {
      if (g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND))
        mamori_board_server_respond_error (msg, 401, "unauthenticated", error->message);
      else
        mamori_board_server_respond_gerror (msg, error);
      return;
    }
  mamori_crypto_random (token, sizeof token);
  token_hex = mamori_hex_encode (token, sizeof token);
  session = g_new0 (Session, 1);
  memcpy (session->device, device, sizeof device);
  session->expires = g_get_monotonic_time () + TOKEN_SECONDS * G_USEC_PER_SEC;
  /* A key belongs to one school for good (mamori_board_store_note_key()). */
  session->found_school = g_strdup (school);
  g_hash_table_insert (self->tokens, token_hex, session);
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "token", token_hex);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, TOKEN_SECONDS);
  mamori_board_server_add_string (builder, "role", mamori_role_to_string (staff->role));
  mamori_board_server_add_string (builder, "school", school);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
}

const char *
mamori_board_server_bearer (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    return NULL;
  return header + strlen ("Bearer ");
}

static MamoriStaff *
staff_copy (const MamoriStaff *staff)
{
  MamoriStaff *copy = g_memdup2 (staff, sizeof *staff);

  copy->id = g_strdup (staff->id);
  copy->name = g_strdup (staff->name);
  return copy;
}

/* A revoked key or a removed person loses the session at once: the roster entry found
 * for a session is used again only while no event was stored in its school since, by
 * this process or another (an admin command's revocation, say).  A request that finds it
 * still good costs one step down an index instead of the school's roster looked up in
 * its fold. */
gboolean
mamori_board_server_authenticate (MamoriBoardServer *self,
                                  SoupServerMessage *msg,
                                  char **out_school,
                                  MamoriStaff **out_staff,
                                  char **out_join_code)
{
  g_autoptr (GError) error = NULL;
  const char *token = mamori_board_server_bearer (msg);
  Session *session = token != NULL ? g_hash_table_lookup (self->tokens, token) : NULL;
  gint64 seq;

  if (session == NULL || session->expires < g_get_monotonic_time ())
    {
      if (session != NULL)
        g_hash_table_remove (self->tokens, token);
      mamori_board_server_respond_error (msg, 401, "unauthenticated",
                                         "No session, or an expired one");
      return FALSE;
    }
  if (session->join_code != NULL)
    {
      if (out_join_code == NULL)
        {
          mamori_board_server_respond_error (msg, 403, "not-permitted",
                                             "This session may only send the school’s history");
          return FALSE;
        }
      *out_school = g_strdup (session->school);
      *out_join_code = g_strdup (session->join_code);
      return TRUE;
    }
  /* Read before the roster is: an event stored meanwhile makes the entry found older
   * than this number says, never newer. */
  if (session->found_school == NULL
      || !mamori_board_school_last_seq (self->board, session->found_school, &seq, NULL))
    seq = -1;
  if (seq >= 0 && session->found_staff != NULL && seq == session->found_seq)
    {
      *out_school = g_strdup (session->found_school);
      *out_staff = staff_copy (session->found_staff);
      return TRUE;
    }
  g_clear_pointer (&session->found_staff, mamori_staff_free);
  if (!mamori_board_find_device (self->board, session->device, out_school, out_staff, &error))
    {
      if (g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REVOKED))
        g_hash_table_remove (self->tokens, token);
      mamori_board_server_respond_gerror (msg, error);
      return FALSE;
    }
  if (seq >= 0 && g_str_equal (*out_school, session->found_school))
    {
      session->found_staff = staff_copy (*out_staff);
      session->found_seq = seq;
    }
  return TRUE;
}

static void
handle_end_session (MamoriBoardServer *self, SoupServerMessage *msg)
{
  const char *token = mamori_board_server_bearer (msg);

  if (token == NULL || !g_hash_table_remove (self->tokens, token))
    {
      mamori_board_server_respond_error (msg, 401, "unauthenticated", "No such session");
      return;
    }
  soup_server_message_set_status (msg, 204, NULL);
}

/* --- routing ---------------------------------------------------------------------------- */

void
mamori_board_server_route (MamoriBoardServer *self,
                           SoupServerMessage *msg,
                           const char *path,
                           GHashTable *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean post = g_str_equal (method, "POST");

  if (post && g_str_equal (path, "/v1/enroll"))
    handle_enroll (self, msg, FALSE);
  else if (post && g_str_equal (path, "/v1/enroll/peek"))
    handle_enroll (self, msg, TRUE);
  else if (post && g_str_equal (path, "/v1/session/challenge"))
    handle_challenge (self, msg);
  else if (post && g_str_equal (path, "/v1/session"))
    handle_session (self, msg);
  else if (g_str_equal (method, "DELETE") && g_str_equal (path, "/v1/session"))
    handle_end_session (self, msg);
  else if (post && g_str_equal (path, "/v1/events"))
    mamori_board_server_handle_push (self, msg);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/events"))
    mamori_board_server_handle_pull (self, msg, query);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/schools"))
    mamori_board_server_handle_schools (self, msg);
  else if (post && g_str_equal (path, "/v1/join"))
    mamori_board_server_handle_join (self, msg);
  else if (post && g_str_equal (path, "/v1/policy"))
    mamori_board_server_handle_policy (self, msg);
  else
    mamori_board_server_respond_error (msg, 404, "not-found", "No such path");
}

MamoriBoardServer *
mamori_board_server_new (MamoriBoard *board, GTlsCertificate *certificate)
{
  MamoriBoardServer *self = g_object_new (MAMORI_TYPE_BOARD_SERVER, NULL);
  g_autoptr (GError) error = NULL;

  self->board = g_object_ref (board);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->fronts = mamori_board_fronts_new (self, certificate);
  mamori_board_last_seq (board, &self->last_seq, NULL);
  self->epoch = mamori_board_get_epoch (board, NULL);
  if (!mamori_board_defer_sync (board, &error))
    {
      g_warning ("Each push commits with an fsync of its own: %s", error->message);
      g_clear_error (&error);
    }
  self->watch_id = g_timeout_add (WATCH_MS, mamori_board_server_watch_store, self);
  g_signal_connect_object (board, "checked", G_CALLBACK (mamori_board_server_checked), self,
                           G_CONNECT_SWAPPED);
  if (!mamori_board_check_held (board, &error))
    g_warning ("Cannot read the events a push left to check: %s", error->message);
  return self;
}

gboolean
mamori_board_server_listen (MamoriBoardServer *self,
                            GInetSocketAddress *address,
                            char **out_uri,
                            GError **error)
{
  gboolean tls = self->certificate != NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) local = NULL;
  g_autofree char *host = NULL;

  if (!tls && !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED,
                   _ ("Plain HTTP is served only on a loopback address: give --tls-cert and "
                      "--tls-key"));
      return FALSE;
    }
  /* A socket of our own for its backlog: GSocket's default of 10 pending connections
   * drops most of a school district's computers coming back at once (after a network
   * outage, say) until their SYNs are sent again, seconds later. */
  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error)
      || !g_socket_listen (socket, error)
      || (local = g_socket_get_local_address (socket, error)) == NULL)
    return FALSE;
  mamori_board_fronts_listen (self->fronts, socket);
  host = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  *out_uri = g_uri_join (G_URI_FLAGS_NONE, tls ? "https" : "http", NULL, host,
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), "/", NULL,
                         NULL);
  return TRUE;
}
