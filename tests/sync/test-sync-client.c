/* test-sync-client.c — MamoriSyncClient against a board in the test that misbehaves on
 * demand: a session that expires, acknowledgements lost after the events were stored,
 * a board that is down, refusals, a board restored from an older copy
 *
 * The board here is docs/protocol.md's session, push and pull over the records' own
 * checks (board-test-util.c), served by a SoupServer in a thread of its own (the client
 * blocks); mamori-board itself is tested in tests/board/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sys/wait.h>
#include <string.h>

#include "board-test-util.h"
#include "mamori-event-log.h"
#include "mamori-event-wire.h"
#include "mamori-level.h"
#include "mamori-policy.h"
#include "mamori-records-error.h"
#include "mamori-register.h"
#include "mamori-signing.h"
#include "mamori-sync-client.h"
#include "mamori-sync-join.h"
#include "mamori-vault-sync.h"
#include "vfs-test-util.h"

#define PRINCIPAL "校長 佐藤"
#define PRINCIPAL_PASS "principal sync pass"
#define OFFICE "事務 鈴木"
#define OFFICE_PASS "office sync pass"

typedef struct
{
  /* The board, touched only by the server thread while a client talks to it. */
  MamoriDb *db;
  Signer *key;
  char *school_id;
  char *epoch;
  char *challenge;
  char *token;
  /* Misbehaviour, set by the test between rounds. */
  guint down;            /* answer the next N requests 503 */
  gboolean lose_ack;     /* store the next push, then answer 503 */
  gboolean expire;       /* the next authorised request: 401 */
  const char *refuse_as; /* answer the next push 422 with this reason */
  const char *join_code; /* the school's join code, in normal form */
  gboolean code_used;
  guint sessions;

  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GThread *thread;
  char *url;
  GMutex lock;
  GCond ready;
} Board;

static const char *cli_path;

typedef struct
{
  char *dir;
  Board board;
  MamoriVault *principal;
  MamoriVault *office;
} Fixture;

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

static void
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

static void
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

/* --- the school ----------------------------------------------------------------------- */

static gboolean
keep_code (const char *recovery_code, gpointer user_data, GError **error)
{
  return TRUE;
}

static MamoriVault *
open_as (const char *path, const char *user, const char *passphrase)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = mamori_vault_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (mamori_vault_unlock (vault, user, passphrase, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&vault);
}

static gboolean
sync_vault (MamoriVault *vault, MamoriSyncReport *report, GError **error)
{
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (vault, error);

  return client != NULL && mamori_sync_client_sync (client, 0, NULL, report, error);
}

static void
sync_ok (MamoriVault *vault, MamoriSyncReport *report)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = sync_vault (vault, report, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gint64
unsent (MamoriVault *vault)
{
  gint64 count = -1;

  g_assert_true (mamori_vault_sync_count_unsent (vault, &count, NULL));
  return count;
}

static gint64
count_events (MamoriDb *db)
{
  gint64 count = -1;

  g_assert_true (mamori_event_log_count (db, &count, NULL));
  return count;
}

static void
copy_file (const char *from, const char *to)
{
  g_autoptr (GBytes) bytes = vfs_test_read_file (from);

  vfs_test_write_file (to, bytes);
}

/* The school of test-vault-sync.c, joined to the board in the test through the client. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *principal_path = NULL, *office_path = NULL;
  g_autofree char *principal_keys = NULL, *office_keys = NULL;
  g_autoptr (GArray) heads = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto (MamoriSyncReport) report = { 0 };

  f->dir = vfs_test_make_dir ();
  principal_path = g_build_filename (f->dir, "principal.mamori", NULL);
  office_path = g_build_filename (f->dir, "office.mamori", NULL);
  f->principal
      = mamori_vault_create (principal_path, "さくら小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                             PRINCIPAL_PASS, keep_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->principal, OFFICE, MAMORI_ROLE_OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->principal);
  g_clear_object (&f->principal);
  principal_keys = mamori_vault_get_key_file_path (principal_path);
  office_keys = mamori_vault_get_key_file_path (office_path);
  copy_file (principal_path, office_path);
  copy_file (principal_keys, office_keys);

  f->board.key = signer_new ();
  f->board.db = db_new ();
  f->board.epoch = g_strdup ("e0000000000000000000000000000001");
  pin (f->board.db, f->board.key);
  board_start (&f->board);

  f->principal = open_as (principal_path, PRINCIPAL, PRINCIPAL_PASS);
  f->board.school_id = g_strdup (mamori_vault_get_school_id (f->principal));
  g_assert_true (mamori_vault_join_board (f->principal, BOARD_ID, f->board.key->public_key,
                                          BOARD_NAME, f->board.url, NULL, &error));
  g_assert_no_error (error);
  sync_ok (f->principal, &report);
  g_assert_cmpuint (report.pushed, ==, count_events (f->board.db));

  heads = mamori_event_log_heads (f->board.db, f->board.school_id, &error);
  g_assert_no_error (error);
  g_ptr_array_add (
      batch,
      sign_next (f->board.db, f->board.key, f->board.school_id, MAMORI_EVENT_SCHOOL_JOINED,
                 mamori_roster_school_joined_body (BOARD_ID, f->board.key->public_key, heads)));
  g_assert_cmpint (board_take (f->board.db, f->board.school_id, batch, seqs, &error), ==, -1);

  f->office = open_as (office_path, PRINCIPAL, PRINCIPAL_PASS);
  g_assert_true (mamori_vault_join_board (f->office, BOARD_ID, f->board.key->public_key, BOARD_NAME,
                                          f->board.url, NULL, &error));
  g_assert_no_error (error);
  mamori_vault_lock (f->office);
  g_assert_true (mamori_vault_unlock (f->office, OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  if (data != NULL)
    return; /* the test syncs the office itself */
  /* Its copy of the history goes too, and is stored once. */
  sync_ok (f->office, &report);
  g_assert_cmpuint (report.pushed, ==, count_events (f->board.db) - 1);
  g_assert_cmpuint (report.received, ==, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->principal);
  g_clear_object (&f->office);
  board_stop (&f->board);
  vfs_test_remove_dir (f->dir);
  g_free (f->dir);
}

static void
add_entry (MamoriVault *vault, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, &error);
  g_autoptr (MamoriLevel) level = g_list_model_get_item (mamori_policy_get_levels (policy), 0);
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();

  entry->name = g_strdup (name);
  entry->category = g_strdup ("gakuseki");
  entry->level = g_strdup (mamori_level_get_id (level));
  entry->medium = MAMORI_MEDIUM_PAPER;
  g_assert_true (mamori_register_add (vault, policy, entry, &error));
  g_assert_no_error (error);
}

static gint64
count_entries (MamoriVault *vault)
{
  gint64 count = -1;

  g_assert_true (mamori_register_count (mamori_vault_get_store (vault), &count, NULL));
  return count;
}

/* --- tests ------------------------------------------------------------------------------- */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_auto (MamoriSyncReport) sent = { 0 };
  g_auto (MamoriSyncReport) got = { 0 };
  gint64 before = count_events (f->board.db);

  /* The office has not synced since the school joined: it sends its copy of the history
   * (stored once) and its new entry, which the board numbers after school-joined; the
   * office then gets school-joined, numbered before its own entry, and folds again in
   * the board's order. */
  add_entry (f->office, "指導要録");
  sync_ok (f->office, &sent);
  g_assert_cmpuint (sent.pushed, ==, before);
  g_assert_cmpuint (sent.received, ==, 1);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);
  g_assert_cmpint (unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->office)), ==,
                   count_events (f->board.db));

  sync_ok (f->principal, &got);
  g_assert_cmpuint (got.received, ==, 2); /* school-joined, and the entry */
  g_assert_cmpint (count_entries (f->principal), ==, 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->principal)), ==,
                   count_events (f->board.db));
}

static void
test_lost_acknowledgement (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  gint64 before = count_events (f->board.db);

  /* The board stored the push, but its answer never came: the events stay in the outbox… */
  add_entry (f->office, "指導要録");
  f->board.lose_ack = TRUE;
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpint (unsent (f->office), ==, 1);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);

  /* …and sent again, they are stored once. */
  sync_ok (f->office, &report);
  g_assert_cmpint (unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (f->board.db), ==, before + 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (f->office)), ==,
                   count_events (f->board.db));
}

static void
test_session_expired (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriSyncClient) client = mamori_sync_client_new (f->office, NULL);
  g_autoptr (GError) error = NULL;
  guint sessions;

  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  sessions = f->board.sessions;
  /* The token has expired: a new session, once, and the round goes on. */
  f->board.expire = TRUE;
  add_entry (f->office, "指導要録");
  g_assert_true (mamori_sync_client_sync (client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->board.sessions, ==, sessions + 1);
  g_assert_cmpint (unsent (f->office), ==, 0);
}

static void
test_board_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strdup (f->board.url);

  add_entry (f->office, "指導要録");
  f->board.down = 1;
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpint (unsent (f->office), ==, 1);
  g_assert_cmpint (count_entries (f->office), ==, 1);

  /* Nobody listening at all. */
  board_stop (&f->board);
  memset (&f->board, 0, sizeof f->board);
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpint (unsent (f->office), ==, 1);

  /* The tear-down stops a board: a new, empty one on another port. */
  f->board.key = signer_new ();
  f->board.db = db_new ();
  f->board.epoch = g_strdup ("e0000000000000000000000000000009");
  board_start (&f->board);
  g_assert_cmpstr (f->board.url, !=, url);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };

  /* A refusal an honest vault cannot meet: nothing is dropped, sync stops. */
  add_entry (f->office, "指導要録");
  f->board.refuse_as = "bad-signature";
  g_assert_false (sync_vault (f->office, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (unsent (f->office), ==, 1);
  g_assert_cmpint (count_entries (f->office), ==, 1);

  /* The records changed under the vault: 鈴木 is a teacher now, the entry is taken back
   * and the report says so. */
  sync_ok (f->principal, NULL);
  g_assert_true (mamori_vault_set_role (f->principal, OFFICE, MAMORI_ROLE_TEACHER, &error));
  g_assert_no_error (error);
  sync_ok (f->principal, NULL);
  sync_ok (f->office, &report);
  g_assert_nonnull (report.undone);
  g_assert_cmpuint (report.undone->len, ==, 1);
  g_assert_cmpstr (((MamoriEvent *)report.undone->pdata[0])->type, ==, MAMORI_EVENT_ASSET_ADDED);
  g_assert_cmpint (unsent (f->office), ==, 0);
  g_assert_cmpint (count_entries (f->office), ==, 0);
}

static void
test_board_restored (Fixture *f, gconstpointer data)
{
  g_auto (MamoriSyncReport) report = { 0 };
  gint64 before;

  add_entry (f->office, "指導要録");
  sync_ok (f->office, NULL);
  sync_ok (f->principal, NULL);
  before = count_events (f->board.db);

  /* Restored from a copy older than everything: a new epoch, only the board's pin. */
  db_free (f->board.db);
  f->board.db = db_new ();
  pin (f->board.db, f->board.key);
  g_free (f->board.epoch);
  f->board.epoch = g_strdup ("e0000000000000000000000000000002");
  sync_ok (f->principal, &report);
  g_assert_cmpint (count_events (f->board.db), ==, before);
  sync_ok (f->office, NULL);
  g_assert_cmpint (unsent (f->office), ==, 0);
  g_assert_cmpint (count_events (f->board.db), ==, before);
  g_assert_cmpint (count_entries (f->principal), ==, 1);
}

/* `mamori-cli sync --once --json` as a script runs it: its exit status and output. */
static int
run_sync_cli (Fixture *f, char **out_json)
{
  g_autofree char *vault = g_build_filename (f->dir, "principal.mamori", NULL);
  g_autofree char *pass = g_build_filename (f->dir, "pass", NULL);
  const char *argv[]
      = { cli_path, "sync",   "--vault", vault, "--user", PRINCIPAL, "--passphrase-file",
          pass,     "--once", "--json",  NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  /* The client's leaks are looked for in mamori-cli, whatever this process tolerates
   * (meson.build says why). */
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS",
                                         "detect_leaks=1:check_initialization_order=1", TRUE);
  int wait_status;

  g_assert_true (g_file_set_contents (pass, PRINCIPAL_PASS "\n", -1, NULL));

  g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, out_json,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("mamori-cli: %s", err);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *offline = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;

  add_entry (f->office, "指導要録");
  sync_ok (f->office, NULL);
  g_clear_object (&f->principal);

  g_assert_cmpint (run_sync_cli (f, &out), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (report, "pushed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (report, "unsent"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "undone")), ==, 0);

  /* The board down: exit 10, nothing lost. */
  f->board.down = 1;
  g_assert_cmpint (run_sync_cli (f, &offline), ==, 10);
}

static void
test_join (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriBoardLink) link = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  Board board = { 0 };
  gint64 unjoined;

  vault = mamori_vault_create (path, "さくら小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                               PRINCIPAL_PASS, keep_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mamori_vault_add_user (vault, OFFICE, MAMORI_ROLE_OFFICE, OFFICE_PASS, &error));
  add_entry (vault, "指導要録");
  unjoined = count_events (mamori_vault_get_store (vault));

  board.key = signer_new ();
  board.db = db_new ();
  board.epoch = g_strdup ("e0000000000000000000000000000001");
  board.school_id = g_strdup ("0123456789abcdef0123456789abcdef");
  board.join_code = "7KQM2XHD94TC";
  pin (board.db, board.key);
  board_start (&board);

  /* A code for another school is not spent on this one. */
  g_assert_false (mamori_sync_join_board (vault, board.url, "7kqm-2xhd-94tc", "職員室PC", NULL,
                                          NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_null (mamori_vault_get_board_link (vault, &error));
  g_assert_no_error (error);

  /* The right school: the history goes, the board confirms it, and it comes back. */
  g_free (board.school_id);
  board.school_id = g_strdup (mamori_vault_get_school_id (vault));
  g_assert_false (mamori_sync_join_board (vault, board.url, "NOT-A-CODE", "職員室PC", NULL, NULL,
                                          NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_true (mamori_sync_join_board (vault, board.url, "7kqm-2xhd-94tc", "職員室PC", NULL, NULL,
                                         &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.received, ==, 1);
  g_assert_cmpint (count_events (board.db), ==, unjoined + 1);
  g_assert_cmpint (count_events (mamori_vault_get_store (vault)), ==, unjoined + 1);
  g_assert_cmpint (unsent (vault), ==, 0);
  link = mamori_vault_get_board_link (vault, &error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->url, ==, board.url);

  /* The code is spent. */
  g_assert_false (mamori_sync_join_board (vault, board.url, "7KQM-2XHD-94TC", "職員室PC", NULL,
                                          NULL, NULL, &error));
  g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED);

  g_clear_object (&vault);
  board_stop (&board);
  vfs_test_remove_dir (dir);
}

static void
test_normalize_code (void)
{
  static const struct
  {
    const char *typed, *normal;
  } cases[] = {
    { "7KQM-2XHD-94TC", "7KQM2XHD94TC" },
    { "7kqm 2xhd 94tc", "7KQM2XHD94TC" },
    { "OIL0-2XHD-94TC", "0110"
                        "2XHD94TC" },
    { "7KQM-2XHD-94T", NULL },
    { "7KQM-2XHD-94TCX", NULL },
    { "7KQM-2XHD-94TU", NULL },
    { "7KQM-2XHD-94T!", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal = mamori_sync_normalize_code (cases[i].typed);

      g_assert_cmpstr (normal, ==, cases[i].normal);
    }
}

static void
test_next_delay (void)
{
  /* What the board asked, else 1, 2, 4 … 300 seconds, each ×0.5–1.5. */
  g_assert_cmpuint (mamori_sync_next_delay (1, 7), ==, 7000);
  for (guint i = 0; i < 200; i++)
    {
      guint first = mamori_sync_next_delay (1, 0);
      guint fourth = mamori_sync_next_delay (4, 0);
      guint late = mamori_sync_next_delay (40, 0);

      g_assert_cmpuint (first, >=, 500);
      g_assert_cmpuint (first, <=, 1500);
      g_assert_cmpuint (fourth, >=, 4000);
      g_assert_cmpuint (fourth, <=, 12000);
      g_assert_cmpuint (late, >=, 150000);
      g_assert_cmpuint (late, <=, 450000);
    }
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add ("/sync-client/round-trip", Fixture, "office not synced", fixture_set_up,
              test_round_trip, fixture_tear_down);
  ADD ("/sync-client/lost-acknowledgement", test_lost_acknowledgement);
  ADD ("/sync-client/session-expired", test_session_expired);
  ADD ("/sync-client/board-down", test_board_down);
  ADD ("/sync-client/refused", test_refused);
  ADD ("/sync-client/board-restored", test_board_restored);
  ADD ("/sync-client/cli", test_cli);
#undef ADD
  g_test_add_func ("/sync-client/next-delay", test_next_delay);
  g_test_add_func ("/sync-client/join", test_join);
  g_test_add_func ("/sync-client/normalize-code", test_normalize_code);
  return g_test_run ();
}
