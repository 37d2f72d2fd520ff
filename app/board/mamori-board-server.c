/* mamori-board-server.c — docs/protocol.md over libsoup3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mamori-board-server.h"
#include "mamori-crypto.h"
#include "mamori-policy-record.h"

#define SESSION_PREFIX "mamori-session-v1:"
#define CHALLENGE_SECONDS 60
#define TOKEN_SECONDS (15 * 60)
#define MAX_EVENTS 1000
#define MAX_BODY (8 * 1024 * 1024)
#define DEFAULT_LIMIT 500
#define MAX_WAIT 60
#define ENROLL_FAILURES 10
#define ENROLL_WINDOW 60
/* How often the store is looked at for events that another process stored. */
#define WATCH_MS 500

typedef struct
{
  guint8 device[MAMORI_SIGNING_KEY_SIZE];
  gint64 expires; /* monotonic µs */
} Session;

typedef struct
{
  gint64 window_start; /* monotonic s */
  guint failures;
} Attempts;

typedef struct
{
  MamoriBoardServer *server;
  SoupServerMessage *msg;
  char *school; /* NULL: every event (the board role) */
  gint64 since;
  guint limit;
  guint timeout_id;
} Waiter;

struct _MamoriBoardServer
{
  GObject parent_instance;
  MamoriBoard *board;
  SoupServer *soup;
  GHashTable *challenges; /* hex → gint64 expiry (monotonic µs), boxed */
  GHashTable *tokens;     /* hex → Session */
  GHashTable *attempts;   /* remote address → Attempts */
  GList *waiters;         /* Waiter */
  gint64 last_seq;
  guint watch_id;
};

G_DEFINE_FINAL_TYPE (MamoriBoardServer, mamori_board_server, G_TYPE_OBJECT)

static void
waiter_free (Waiter *waiter)
{
  if (waiter->timeout_id != 0)
    g_source_remove (waiter->timeout_id);
  g_free (waiter->school);
  g_free (waiter);
}

static void
mamori_board_server_dispose (GObject *object)
{
  MamoriBoardServer *self = MAMORI_BOARD_SERVER (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_list_free_full (g_steal_pointer (&self->waiters), (GDestroyNotify)waiter_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
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
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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

static void
respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  respond_json (msg, status, root);
}

static void
respond_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  respond_builder (msg, status, builder);
}

/* A failure of the board itself, or one of MamoriBoardError. */
static void
respond_gerror (SoupServerMessage *msg, const GError *error)
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
  };

  if (error->domain == MAMORI_BOARD_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
      if ((gint)map[i].code == error->code)
        {
          respond_error (msg, map[i].status, map[i].word, error->message);
          return;
        }
  g_warning ("%s", error->message);
  soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  respond_error (msg, 503, "unavailable", error->message);
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_hex (JsonBuilder *builder, const char *member, const guint8 *bytes, gsize length)
{
  g_autofree char *hex = mamori_hex_encode (bytes, length);

  add_string (builder, member, hex);
}

/* {author, payload, sig} (and seq, when @seq > 0). */
static void
add_event (JsonBuilder *builder, GBytes *payload, const guint8 *sig, gint64 seq)
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
    add_hex (builder, "author", header.author, sizeof header.author);
  add_string (builder, "payload", text);
  add_hex (builder, "sig", sig, MAMORI_SIGNATURE_SIZE);
  json_builder_end_object (builder);
}

/* --- requests -------------------------------------------------------------------------- */

/* The request's JSON object, or NULL having answered 400 or 413. */
static JsonObject *
request_object (SoupServerMessage *msg, JsonParser *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  JsonNode *root;

  if (g_bytes_get_size (bytes) > MAX_BODY)
    {
      respond_error (msg, 413, "too-large", "More than 8 MiB in one request");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize)g_bytes_get_size (bytes), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_error (msg, 400, "bad-request", "The request is not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static const char *
member_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A member holding exactly @length bytes in hex. */
static gboolean
member_hex (JsonObject *object, const char *member, guint8 *out, gsize length)
{
  const char *hex = member_string (object, member);

  return hex != NULL && mamori_hex_decode (hex, out, length);
}

static void
bad_request (SoupServerMessage *msg, const char *what)
{
  g_autofree char *message = g_strdup_printf ("Missing or malformed member “%s”", what);

  respond_error (msg, 400, "bad-request", message);
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
  add_string (builder, "id", mamori_board_get_id (self->board));
  add_hex (builder, "signing_key", mamori_board_get_public_key (self->board),
           MAMORI_SIGNING_KEY_SIZE);
  add_string (builder, "name", mamori_board_get_name (self->board));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "school");
  json_builder_begin_object (builder);
  add_string (builder, "id", enrollment->school);
  add_string (builder, "name", enrollment->school_name);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "staff");
  json_builder_begin_object (builder);
  add_string (builder, "id", enrollment->staff);
  add_string (builder, "name", enrollment->staff_name);
  add_string (builder, "role", mamori_role_to_string (enrollment->role));
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
      respond_error (msg, 429, "slow-down", "Too many failed enrollments from this address");
      return;
    }
  request = request_object (msg, parser);
  if (request == NULL)
    return;
  if (member_string (request, "code") == NULL)
    {
      bad_request (msg, "code");
      return;
    }
  code = mamori_board_normalize_code (member_string (request, "code"));
  if (!peek)
    {
      label = member_string (request, "label");
      if (!member_hex (request, "signing_key", keys.signing_key, sizeof keys.signing_key)
          || !member_hex (request, "slot_key", keys.slot_key, sizeof keys.slot_key)
          || !member_hex (request, "proof", proof, sizeof proof) || label == NULL)
        {
          bad_request (msg, "signing_key, slot_key, proof, label");
          return;
        }
    }
  if (code == NULL)
    g_set_error (&error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_UNKNOWN,
                 "This is not an enrollment code of this board");
  else
    enrollment = mamori_board_enroll (self->board, code, peek ? NULL : &keys, peek ? NULL : label,
                                      peek ? NULL : proof, &error);
  if (enrollment == NULL)
    {
      if (error->domain == MAMORI_BOARD_ERROR)
        attempts->failures++;
      respond_gerror (msg, error);
      return;
    }
  epoch = mamori_board_get_epoch (self->board, &error);
  if (epoch == NULL)
    {
      respond_gerror (msg, error);
      return;
    }
  json_builder_begin_object (builder);
  add_enrollment (self, builder, enrollment);
  if (enrollment->device_added != NULL)
    {
      json_builder_set_member_name (builder, "device_added");
      add_event (builder, enrollment->device_added->payload, enrollment->device_added->sig,
                 enrollment->device_added->server_seq);
      add_string (builder, "epoch", epoch);
    }
  json_builder_end_object (builder);
  respond_builder (msg, 200, builder);
}

/* --- sessions ------------------------------------------------------------------------- */

static void
handle_challenge (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonObject *request = request_object (msg, parser);
  guint8 device[MAMORI_SIGNING_KEY_SIZE], challenge[32];
  gint64 *expires;
  char *hex;

  if (request == NULL)
    return;
  if (!member_hex (request, "device", device, sizeof device))
    {
      bad_request (msg, "device");
      return;
    }
  mamori_crypto_random (challenge, sizeof challenge);
  hex = mamori_hex_encode (challenge, sizeof challenge);
  expires = g_new (gint64, 1);
  *expires = g_get_monotonic_time () + CHALLENGE_SECONDS * G_USEC_PER_SEC;
  g_hash_table_insert (self->challenges, hex, expires);
  json_builder_begin_object (builder);
  add_string (builder, "challenge", hex);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, CHALLENGE_SECONDS);
  json_builder_end_object (builder);
  respond_builder (msg, 200, builder);
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
  JsonObject *request = request_object (msg, parser);
  guint8 device[MAMORI_SIGNING_KEY_SIZE], sig[MAMORI_SIGNATURE_SIZE], token[32];
  const char *challenge;
  gint64 *expires;
  Session *session;
  char *token_hex;

  if (request == NULL)
    return;
  challenge = member_string (request, "challenge");
  if (!member_hex (request, "device", device, sizeof device) || challenge == NULL
      || !member_hex (request, "sig", sig, sizeof sig))
    {
      bad_request (msg, "device, challenge, sig");
      return;
    }
  /* A challenge answers once, whatever the answer. */
  expires = g_hash_table_lookup (self->challenges, challenge);
  if (expires == NULL || *expires < g_get_monotonic_time ())
    {
      g_hash_table_remove (self->challenges, challenge);
      respond_error (msg, 401, "unauthenticated", "Unknown or expired challenge");
      return;
    }
  g_hash_table_remove (self->challenges, challenge);
  signed_text = g_strconcat (SESSION_PREFIX, challenge, NULL);
  if (!mamori_signing_verify (device, (const guint8 *)signed_text, strlen (signed_text), sig))
    {
      respond_error (msg, 401, "unauthenticated", "The signature is not the device’s");
      return;
    }
  if (!mamori_board_find_device (self->board, device, &school, &staff, &error))
    {
      if (g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND))
        respond_error (msg, 401, "unauthenticated", error->message);
      else
        respond_gerror (msg, error);
      return;
    }
  mamori_crypto_random (token, sizeof token);
  token_hex = mamori_hex_encode (token, sizeof token);
  session = g_new0 (Session, 1);
  memcpy (session->device, device, sizeof device);
  session->expires = g_get_monotonic_time () + TOKEN_SECONDS * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, token_hex, session);
  json_builder_begin_object (builder);
  add_string (builder, "token", token_hex);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, TOKEN_SECONDS);
  add_string (builder, "role", mamori_role_to_string (staff->role));
  add_string (builder, "school", school);
  json_builder_end_object (builder);
  respond_builder (msg, 200, builder);
}

static const char *
bearer (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    return NULL;
  return header + strlen ("Bearer ");
}

/* The caller's school and person, checked again on every request (a revoked key or a
 * removed person loses the session at once); FALSE having answered. */
static gboolean
authenticate (MamoriBoardServer *self,
              SoupServerMessage *msg,
              char **out_school,
              MamoriStaff **out_staff)
{
  g_autoptr (GError) error = NULL;
  const char *token = bearer (msg);
  Session *session = token != NULL ? g_hash_table_lookup (self->tokens, token) : NULL;

  if (session == NULL || session->expires < g_get_monotonic_time ())
    {
      if (session != NULL)
        g_hash_table_remove (self->tokens, token);
      respond_error (msg, 401, "unauthenticated", "No session, or an expired one");
      return FALSE;
    }
  if (!mamori_board_find_device (self->board, session->device, out_school, out_staff, &error))
    {
      if (g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REVOKED))
        g_hash_table_remove (self->tokens, token);
      respond_gerror (msg, error);
      return FALSE;
    }
  return TRUE;
}

static void
handle_end_session (MamoriBoardServer *self, SoupServerMessage *msg)
{
  const char *token = bearer (msg);

  if (token == NULL || !g_hash_table_remove (self->tokens, token))
    {
      respond_error (msg, 401, "unauthenticated", "No such session");
      return;
    }
  soup_server_message_set_status (msg, 204, NULL);
}

/* --- pull and long poll ----------------------------------------------------------------- */

/* Answers @msg with what the caller may see after @since; FALSE (not answered) when there
 * is nothing and @hold_empty. */
static gboolean
answer_pull (MamoriBoardServer *self,
             SoupServerMessage *msg,
             const char *school,
             gint64 since,
             guint limit,
             gboolean hold_empty)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = mamori_board_get_epoch (self->board, &error);
  gint64 next;
  gboolean more;

  if (epoch != NULL)
    events = mamori_board_pull (self->board, school, since, limit, &next, &more, &error);
  if (events == NULL)
    {
      respond_gerror (msg, error);
      return TRUE;
    }
  if (events->len == 0 && hold_empty)
    return FALSE;
  json_builder_begin_object (builder);
  add_string (builder, "epoch", epoch);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      MamoriStoredEvent *stored = events->pdata[i];

      add_event (builder, stored->payload, g_bytes_get_data (stored->sig, NULL), stored->seq);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_add_int_value (builder, next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);
  respond_builder (msg, 200, builder);
  return TRUE;
}

static void
waiter_done (Waiter *waiter)
{
  MamoriBoardServer *self = waiter->server;

  self->waiters = g_list_remove (self->waiters, waiter);
  g_signal_handlers_disconnect_by_data (waiter->msg, waiter);
  soup_server_message_unpause (waiter->msg);
  g_object_unref (waiter->msg);
  waiter_free (waiter);
}

static gboolean
waiter_timeout (gpointer data)
{
  Waiter *waiter = data;

  waiter->timeout_id = 0;
  answer_pull (waiter->server, waiter->msg, waiter->school, waiter->since, waiter->limit, FALSE);
  waiter_done (waiter);
  return G_SOURCE_REMOVE;
}

static void
waiter_gone (SoupServerMessage *msg, Waiter *waiter)
{
  MamoriBoardServer *self = waiter->server;

  self->waiters = g_list_remove (self->waiters, waiter);
  g_signal_handlers_disconnect_by_data (msg, waiter);
  g_object_unref (waiter->msg);
  waiter_free (waiter);
}

/* Something was stored: answers every long poll that now has something to see. */
static void
wake_waiters (MamoriBoardServer *self)
{
  g_autoptr (GList) waiters = g_list_copy (self->waiters);

  mamori_board_last_seq (self->board, &self->last_seq, NULL);
  for (GList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (answer_pull (self, waiter->msg, waiter->school, waiter->since, waiter->limit, TRUE))
        waiter_done (waiter);
    }
}

static gboolean
watch_store (gpointer data)
{
  MamoriBoardServer *self = data;
  gint64 last = 0;

  if (self->waiters != NULL && mamori_board_last_seq (self->board, &last, NULL)
      && last != self->last_seq)
    wake_waiters (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
query_int (GHashTable *query, const char *name, gint64 fallback, gint64 max, gint64 *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, (guint64)max, &value, NULL))
    return FALSE;
  *out = (gint64)value;
  return TRUE;
}

static void
handle_pull (MamoriBoardServer *self, SoupServerMessage *msg, GHashTable *query)
{
  g_autofree char *school = NULL;
  g_autoptr (MamoriStaff) staff = NULL;
  gint64 since, limit, wait;
  Waiter *waiter;

  if (!query_int (query, "since", 0, G_MAXINT64, &since)
      || !query_int (query, "limit", DEFAULT_LIMIT, MAX_EVENTS, &limit)
      || !query_int (query, "wait", 0, MAX_WAIT, &wait) || limit == 0)
    {
      respond_error (msg, 400, "bad-request", "since, limit (1–1000) and wait (0–60) are numbers");
      return;
    }
  if (!authenticate (self, msg, &school, &staff))
    return;
  /* The board role sees every school. */
  if (staff->role == MAMORI_ROLE_BOARD)
    g_clear_pointer (&school, g_free);
  if (answer_pull (self, msg, school, since, (guint)limit, wait > 0))
    return;
  waiter = g_new0 (Waiter, 1);
  waiter->server = self;
  waiter->msg = g_object_ref (msg);
  waiter->school = g_steal_pointer (&school);
  waiter->since = since;
  waiter->limit = (guint)limit;
  waiter->timeout_id = g_timeout_add ((guint)wait * 1000, waiter_timeout, waiter);
  g_signal_connect (msg, "disconnected", G_CALLBACK (waiter_gone), waiter);
  self->waiters = g_list_prepend (self->waiters, waiter);
  soup_server_message_pause (msg);
}

/* --- push ------------------------------------------------------------------------------ */

static void
pushed_event_free (MamoriPushedEvent *event)
{
  g_bytes_unref (event->payload);
  g_free (event);
}

static GPtrArray *
read_pushed (SoupServerMessage *msg, JsonObject *request)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)pushed_event_free);
  JsonNode *node = json_object_get_member (request, "events");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      bad_request (msg, "events");
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_EVENTS)
    {
      respond_error (msg, 413, "too-large", "More than 1,000 events in one request");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      MamoriPushedEvent *event;
      const char *payload;

      if (!JSON_NODE_HOLDS_OBJECT (element)
          || (payload = member_string (json_node_get_object (element), "payload")) == NULL)
        {
          bad_request (msg, "events[].payload");
          return NULL;
        }
      event = g_new0 (MamoriPushedEvent, 1);
      event->payload = g_bytes_new (payload, strlen (payload));
      g_ptr_array_add (events, event);
      if (!member_hex (json_node_get_object (element), "sig", event->sig, sizeof event->sig))
        {
          bad_request (msg, "events[].sig");
          return NULL;
        }
    }
  return g_steal_pointer (&events);
}

static void
handle_push (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GArray) results = g_array_new (FALSE, FALSE, sizeof (MamoriPushResult));
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *epoch = NULL;
  MamoriBoardRefusal refusal = { 0 };
  JsonObject *request;

  if (!authenticate (self, msg, &school, &staff))
    return;
  request = request_object (msg, parser);
  if (request == NULL || (events = read_pushed (msg, request)) == NULL)
    return;
  if (!mamori_board_push (self->board, school, events, results, &refusal, &error)
      || (epoch = mamori_board_get_epoch (self->board, &error)) == NULL)
    {
      if (!g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REFUSED))
        {
          respond_gerror (msg, error);
          mamori_board_refusal_clear (&refusal);
          return;
        }
      json_builder_begin_object (builder);
      add_string (builder, "error", "refused");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, refusal.index);
      if (refusal.has_id)
        add_hex (builder, "id", refusal.id, sizeof refusal.id);
      add_string (builder, "reason", refusal.reason);
      add_string (builder, "message", refusal.message);
      json_builder_end_object (builder);
      respond_builder (msg, 422, builder);
      mamori_board_refusal_clear (&refusal);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      MamoriPushResult *result = &g_array_index (results, MamoriPushResult, i);

      json_builder_begin_object (builder);
      add_hex (builder, "id", result->id, sizeof result->id);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, result->seq);
      json_builder_set_member_name (builder, "duplicate");
      json_builder_add_boolean_value (builder, result->duplicate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string (builder, "epoch", epoch);
  json_builder_end_object (builder);
  respond_builder (msg, 200, builder);
  wake_waiters (self);
}

/* --- the board role --------------------------------------------------------------------- */

static void
handle_policy (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *document = NULL;
  JsonObject *request;
  JsonNode *node;
  gsize length;

  if (!authenticate (self, msg, &school, &staff))
    return;
  if (staff->role != MAMORI_ROLE_BOARD)
    {
      respond_error (msg, 403, "not-permitted", "Only the board publishes a policy");
      return;
    }
  request = request_object (msg, parser);
  if (request == NULL)
    return;
  node = json_object_get_member (request, "document");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || json_object_has_member (request, "map"))
    {
      bad_request (msg, "document (a level map is not supported here yet)");
      return;
    }
  json_generator_set_root (generator, node);
  document = json_generator_to_data (generator, &length);
  policy = mamori_policy_new_from_data (document, length, "request", &error);
  if (policy == NULL)
    {
      respond_error (msg, 400, "bad-request", error->message);
      return;
    }
  if (!mamori_board_publish_policy (self->board, policy, &error))
    {
      respond_gerror (msg, error);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
  wake_waiters (self);
}

/* --- routing ---------------------------------------------------------------------------- */

static void
handle (
    SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  MamoriBoardServer *self = data;
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
    handle_push (self, msg);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/events"))
    handle_pull (self, msg, query);
  else if (post && g_str_equal (path, "/v1/policy"))
    handle_policy (self, msg);
  else
    respond_error (msg, 404, "not-found", "No such path");
}

MamoriBoardServer *
mamori_board_server_new (MamoriBoard *board, GTlsCertificate *certificate)
{
  MamoriBoardServer *self = g_object_new (MAMORI_TYPE_BOARD_SERVER, NULL);

  self->board = g_object_ref (board);
  self->soup
      = soup_server_new ("server-header", "mamori-board", "tls-certificate", certificate, NULL);
  soup_server_add_handler (self->soup, "/v1", handle, self, NULL);
  mamori_board_last_seq (board, &self->last_seq, NULL);
  self->watch_id = g_timeout_add (WATCH_MS, watch_store, self);
  return self;
}

gboolean
mamori_board_server_listen (MamoriBoardServer *self,
                            GInetSocketAddress *address,
                            char **out_uri,
                            GError **error)
{
  gboolean tls = soup_server_is_https (self->soup);
  GSList *uris;

  if (!tls && !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED,
                   _ ("Plain HTTP is served only on a loopback address: give --tls-cert and "
                      "--tls-key"));
      return FALSE;
    }
  if (!soup_server_listen (self->soup, G_SOCKET_ADDRESS (address),
                           tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  uris = soup_server_get_uris (self->soup);
  *out_uri = uris != NULL ? g_uri_to_string (uris->data) : g_strdup ("");
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return TRUE;
}
