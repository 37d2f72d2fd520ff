/* test-board.c — a board of education in a test, over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-event-wire.h"
#include "mamori-records-error.h"
#include "mamori-signing.h"
#include "test-board.h"

/* --- the board ------------------------------------------------------------------------ */

static void
answer (SoupServerMessage *msg, guint status, JsonNode *body)
{
  g_autofree char *text = json_to_string (body, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
  json_node_unref (body);
}

static JsonNode *
error_body (const char *code, const char *reason, gint64 index)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "refused by the test board");
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, index);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonObject *
request_object (SoupServerMessage *msg, JsonParser *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
session_challenge (Board *board, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  guint8 random[32];

  mamori_crypto_random (random, sizeof random);
  g_free (board->challenge);
  board->challenge = mamori_hex_encode (random, sizeof random);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "challenge");
  json_builder_add_string_value (builder, board->challenge);
  json_builder_end_object (builder);
  answer (msg, 200, json_builder_get_root (builder));
}

static void
session (Board *board, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = request_object (msg, parser);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = g_strconcat ("mamori-session-v1:", board->challenge, NULL);
  guint8 device[MAMORI_SIGNING_KEY_SIZE], sig[MAMORI_SIGNATURE_SIZE], random[32];

  g_assert_true (
      mamori_hex_decode (json_object_get_string_member (object, "device"), device, sizeof device));
  g_assert_true (
      mamori_hex_decode (json_object_get_string_member (object, "sig"), sig, sizeof sig));
  g_assert_true (mamori_signing_verify (device, (const guint8 *)text, strlen (text), sig));
  g_clear_pointer (&board->challenge, g_free);
  mamori_crypto_random (random, sizeof random);
  g_free (board->token);
  board->token = mamori_hex_encode (random, sizeof random);
  board->sessions++;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, board->token);
  json_builder_end_object (builder);
  answer (msg, 200, json_builder_get_root (builder));
}

static void
push (Board *board, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *sent = json_object_get_array_member (request_object (msg, parser), "events");
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GError) error = NULL;
  int refused;

  for (guint i = 0; i < json_array_get_length (sent); i++)
    {
      MamoriEvent *event = mamori_event_from_wire (json_array_get_element (sent, i), FALSE, &error);

      g_assert_no_error (error);
      g_ptr_array_add (batch, event);
    }
  if (board->refuse_as != NULL)
    {
      answer (msg, 422, error_body ("refused", board->refuse_as, 0));
      board->refuse_as = NULL;
      return;
    }
  refused = board_take (board->db, board->school_id, batch, seqs, &error);
  if (refused >= 0)
    {
      answer (msg, 422,
              error_body (
                  "refused",
                  g_error_matches (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED)
                      ? "not-permitted"
                      : "invalid",
                  refused));
      return;
    }
  if (board->lose_ack)
    {
      board->lose_ack = FALSE;
      answer (msg, 503, error_body ("unavailable", NULL, 0));
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, board->epoch);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    {
      g_autofree char *id
          = mamori_hex_encode (((MamoriEvent *)batch->pdata[i])->id, MAMORI_EVENT_ID_SIZE);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, g_array_index (seqs, gint64, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  answer (msg, 200, json_builder_get_root (builder));
}

static void
pull (Board *board, SoupServerMessage *msg, GHashTable *query)
{
  gint64 since = g_ascii_strtoll (g_hash_table_lookup (query, "since"), NULL, 10);
  guint limit = g_ascii_strtoull (g_hash_table_lookup (query, "limit"), NULL, 10);
  g_autoptr (GPtrArray) events = board_events_since (board->db, since, limit + 1);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  gboolean more = events->len > limit;
  gint64 next = since;

  if (more)
    g_ptr_array_set_size (events, limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, board->epoch);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      const MamoriEvent *event = events->pdata[i];

      json_builder_add_value (builder, mamori_event_to_wire (event, TRUE));
      next = event->server_seq;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_add_int_value (builder, next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);
  answer (msg, 200, json_builder_get_root (builder));
}

static JsonNode *
enrollment_answer (Board *board, const char *token)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = mamori_hex_encode (board->key->public_key, MAMORI_SIGNING_KEY_SIZE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "board");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, BOARD_ID);
  json_builder_set_member_name (builder, "signing_key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, BOARD_NAME);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "school");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, board->school_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "さくら小学校");
  json_builder_end_object (builder);
  if (token != NULL)
    {
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* POST /v1/enroll[/peek] with the join code of a school that has its own vault. */
static void
enroll (Board *board, SoupServerMessage *msg, gboolean peek)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object = request_object (msg, parser);
  const char *code = json_object_get_string_member (object, "code");
  g_autofree char *text = g_strconcat ("mamori-enroll-v1:", code, NULL);
  guint8 key[MAMORI_SIGNING_KEY_SIZE], proof[MAMORI_SIGNATURE_SIZE], random[32];

  if (board->join_code == NULL || !g_str_equal (code, board->join_code))
    return answer (msg, 403, error_body ("code-unknown", NULL, 0));
  if (board->code_used)
    return answer (msg, 403, error_body ("code-used", NULL, 0));
  if (peek)
    return answer (msg, 200, enrollment_answer (board, NULL));
  g_assert_true (json_object_get_boolean_member (object, "history"));
  g_assert_true (
      mamori_hex_decode (json_object_get_string_member (object, "signing_key"), key, sizeof key));
  g_assert_true (
      mamori_hex_decode (json_object_get_string_member (object, "proof"), proof, sizeof proof));
  g_assert_true (mamori_signing_verify (key, (const guint8 *)text, strlen (text), proof));
  mamori_crypto_random (random, sizeof random);
  g_free (board->token);
  board->token = mamori_hex_encode (random, sizeof random);
  answer (msg, 200, enrollment_answer (board, board->token));
}

/* POST /v1/join: the heads must be the board's; it confirms them. */
static void
join (Board *board, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *sent = json_object_get_array_member (request_object (msg, parser), "heads");
  g_autoptr (GArray) heads = mamori_event_log_heads (board->db, board->school_id, NULL);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (json_array_get_length (sent) != heads->len)
    return answer (msg, 409, error_body ("history-incomplete", NULL, 0));
  g_ptr_array_add (
      batch,
      sign_next (board->db, board->key, board->school_id, MAMORI_EVENT_SCHOOL_JOINED,
                 mamori_roster_school_joined_body (BOARD_ID, board->key->public_key, heads)));
  g_assert_cmpint (board_take (board->db, board->school_id, batch, seqs, NULL), ==, -1);
  board->code_used = TRUE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "school_joined");
  json_builder_add_value (builder, mamori_event_to_wire (batch->pdata[0], FALSE));
  json_builder_end_object (builder);
  answer (msg, 200, json_builder_get_root (builder));
}

static void
handle_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  Board *board = user_data;
  const char *authorization = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *bearer
      = board->token != NULL ? g_strconcat ("Bearer ", board->token, NULL) : NULL;

  if (board->down > 0)
    {
      board->down--;
      answer (msg, 503, error_body ("unavailable", NULL, 0));
      return;
    }
  if (g_str_equal (path, "/v1/session/challenge"))
    return session_challenge (board, msg);
  if (g_str_equal (path, "/v1/session"))
    return session (board, msg);
  if (g_str_equal (path, "/v1/enroll/peek"))
    return enroll (board, msg, TRUE);
  if (g_str_equal (path, "/v1/enroll"))
    return enroll (board, msg, FALSE);
  if (board->expire || bearer == NULL || g_strcmp0 (authorization, bearer) != 0)
    {
      board->expire = FALSE;
      g_clear_pointer (&board->token, g_free);
      answer (msg, 401, error_body ("unauthenticated", NULL, 0));
      return;
    }
  if (g_str_equal (path, "/v1/join"))
    return join (board, msg);
  if (g_str_equal (path, "/v1/events")
      && g_str_equal (soup_server_message_get_method (msg), "POST"))
    return push (board, msg);
  if (g_str_equal (path, "/v1/events"))
    return pull (board, msg, query);
  answer (msg, 404, error_body ("not-found", NULL, 0));
}

static gpointer
board_thread (gpointer data)
{
  Board *board = data;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (board->context);
  board->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (board->server, "/v1", handle_cb, board, NULL);
  g_assert_true (soup_server_listen_local (board->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (board->server);
  g_mutex_lock (&board->lock);
  board->url = g_uri_to_string (uris->data);
  g_cond_signal (&board->ready);
  g_mutex_unlock (&board->lock);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_main_loop_run (board->loop);
  /* Its connections are closed and let go before the thread ends. */
  soup_server_disconnect (board->server);
  g_clear_object (&board->server);
  while (g_main_context_iteration (board->context, FALSE))
    ;
  g_main_context_pop_thread_default (board->context);
  return NULL;
}

void
board_start (Board *board)
{
  g_mutex_init (&board->lock);
  g_cond_init (&board->ready);
  board->context = g_main_context_new ();
  board->loop = g_main_loop_new (board->context, FALSE);
  g_mutex_lock (&board->lock);
  board->thread = g_thread_new ("test-board", board_thread, board);
  while (board->url == NULL)
    g_cond_wait (&board->ready, &board->lock);
  g_mutex_unlock (&board->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
board_stop (Board *board)
{
  g_main_context_invoke (board->context, quit_cb, board->loop);
  g_thread_join (board->thread);
  g_main_loop_unref (board->loop);
  g_main_context_unref (board->context);
  g_mutex_clear (&board->lock);
  g_cond_clear (&board->ready);
  g_free (board->url);
  g_free (board->challenge);
  g_free (board->token);
  g_free (board->epoch);
  g_free (board->school_id);
  db_free (board->db);
  signer_free (board->key);
}
