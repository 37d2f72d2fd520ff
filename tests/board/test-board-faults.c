/* test-board-faults.c — a school's computers sync with a real mamori-board through a
 * proxy that loses requests, loses the board's answers, sends requests twice, sends old
 * pushes again after newer ones, and kills the board with SIGKILL at a random moment of a
 * push, starting it again (issue 11): afterwards every vault and the board hold exactly
 * the same events, none lost, none twice, and the computers agree on what they mean
 *
 * The proxy runs in a thread of its own with its own main context: the computers sync
 * one at a time from the test's thread with the blocking client, as mamori-cli does.
 *
 *   test-board-faults PATH/TO/mamori-board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-level.h"
#include "mamori-register.h"
#include "mamori-sync-join.h"
#include "mamori-takeout.h"

typedef enum
{
  FAULT_NONE,
  FAULT_DROP,      /* the request never reaches the board */
  FAULT_LOST_ACK,  /* the board does it; its answer is lost */
  FAULT_DUPLICATE, /* the board receives it twice */
  FAULT_KEEP,      /* kept, to reach the board again after newer requests */
  FAULT_KILL,      /* the board is killed (SIGKILL) while or just after it takes a push */
  N_FAULTS
} Fault;

typedef struct
{
  char *method;
  char *path; /* with the query */
  char *authorization;
  char *content_type;
  GBytes *body;
} Request;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->authorization);
  g_free (request->content_type);
  g_bytes_unref (request->body);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

typedef struct
{
  Board *board; /* its process and address change when the proxy kills and restarts it */
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupSession *session; /* the proxy thread's, to the board */
  char *uri;
  GRand *rand;
  gint faults_on; /* atomic */
  Request *kept;
  guint counts[N_FAULTS];
  guint replayed;
  guint pushes;
  guint answered_before_kill; /* kills that came after the board had answered */
} Proxy;

/* Sends @request to the board; its status, and its answer in *@out_body. */
static guint
forward (Proxy *proxy, const Request *request, GBytes **out_body, char **out_content_type)
{
  g_autofree char *url = g_strconcat (proxy->board->uri, request->path, NULL);
  g_autoptr (SoupMessage) message = soup_message_new (request->method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;

  if (request->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  request->authorization);
  if (g_str_equal (request->method, "POST"))
    soup_message_set_request_body_from_bytes (message, request->content_type, request->body);
  answer = soup_session_send_and_read (proxy->session, message, NULL, &error);
  if (answer == NULL)
    return SOUP_STATUS_BAD_GATEWAY;
  if (out_body != NULL)
    *out_body = g_steal_pointer (&answer);
  if (out_content_type != NULL)
    *out_content_type = g_strdup (
        soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL));
  return soup_message_get_status (message);
}

static Fault
choose_fault (Proxy *proxy, const Request *request)
{
  /* Sessions are not replayed: the board rightly refuses a challenge's answer twice. */
  gboolean events = g_str_has_prefix (request->path, "/v1/events");
  Fault fault;

  if (!g_atomic_int_get (&proxy->faults_on))
    return FAULT_NONE;
  /* Which requests come depends on timing (a session renewed, a retry): so that every
   * run meets every fault whatever the timing, every fourth push meets one it has not met
   * yet, if any. */
  if (events && g_str_equal (request->method, "POST") && ++proxy->pushes % 4 == 0)
    for (fault = FAULT_DROP; fault < N_FAULTS; fault++)
      if (proxy->counts[fault] == 0 && (fault != FAULT_KEEP || proxy->kept == NULL))
        return fault;
  fault = g_rand_int_range (proxy->rand, 0, 2 * N_FAULTS);
  if (fault >= N_FAULTS
      || (!events && (fault == FAULT_DUPLICATE || fault == FAULT_KEEP || fault == FAULT_KILL)))
    return FAULT_NONE;
  if ((fault == FAULT_KEEP || fault == FAULT_KILL) && !g_str_equal (request->method, "POST"))
    return FAULT_NONE;
  if (fault == FAULT_KEEP && proxy->kept != NULL)
    return FAULT_NONE;
  return fault;
}

typedef struct
{
  GSubprocess *process;
  gulong delay_us;
} Killer;

static gpointer
killer_thread (gpointer data)
{
  Killer *killer = data;

  g_usleep (killer->delay_us);
  g_subprocess_send_signal (killer->process, SIGKILL);
  return NULL;
}

/* Forwards @request while a thread kills the board at a random moment from 0 to 30 ms
 * (a push takes a few): in the middle of its transaction, before it, or after it
 * answered.  Then the board is started again, on a new port, from what it had stored. */
static guint
forward_and_kill (Proxy *proxy, const Request *request, GBytes **out_body, char **out_content_type)
{
  Killer killer = { proxy->board->process, g_rand_int_range (proxy->rand, 0, 30000) };
  GThread *thread = g_thread_new ("killer", killer_thread, &killer);
  guint status = forward (proxy, request, out_body, out_content_type);

  g_thread_join (thread);
  if (status == SOUP_STATUS_OK)
    proxy->answered_before_kill++;
  board_kill (proxy->board);
  board_serve (proxy->board);
  return status;
}

static void
handle_cb (SoupServer *server,
           SoupServerMessage *message,
           const char *path,
           GHashTable *query,
           gpointer data)
{
  Proxy *proxy = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr (Request) request = g_new0 (Request, 1);
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  guint status = SOUP_STATUS_BAD_GATEWAY;
  Fault fault;

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_uri_get_query (uri) != NULL
                      ? g_strconcat (path, "?", g_uri_get_query (uri), NULL)
                      : g_strdup (path);
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  fault = choose_fault (proxy, request);
  proxy->counts[fault]++;

  /* Now and then an old push kept earlier reaches the board after newer ones. */
  if (proxy->kept != NULL && g_rand_boolean (proxy->rand))
    {
      forward (proxy, proxy->kept, NULL, NULL);
      g_clear_pointer (&proxy->kept, request_free);
      proxy->replayed++;
    }

  switch (fault)
    {
    case FAULT_DROP:
      break;
    case FAULT_LOST_ACK:
      forward (proxy, request, NULL, NULL);
      break;
    case FAULT_DUPLICATE:
      forward (proxy, request, NULL, NULL);
      status = forward (proxy, request, &body, &content_type);
      break;
    case FAULT_KEEP:
      status = forward (proxy, request, &body, &content_type);
      proxy->kept = g_steal_pointer (&request);
      break;
    case FAULT_KILL:
      status = forward_and_kill (proxy, request, &body, &content_type);
      break;
    case FAULT_NONE:
    default:
      status = forward (proxy, request, &body, &content_type);
      break;
    }
  soup_server_message_set_status (message, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static gpointer
proxy_thread (gpointer data)
{
  Proxy *proxy = data;
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (proxy->context);
  proxy->session = soup_session_new ();
  soup_server_add_handler (server, NULL, handle_cb, proxy, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  proxy->uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_main_loop_run (proxy->loop);
  soup_server_disconnect (server);
  g_clear_object (&proxy->session);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

static Proxy *
proxy_start (Board *board, guint32 seed)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  proxy->board = board;
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->thread = g_thread_new ("proxy", proxy_thread, proxy);
  while (!g_main_loop_is_running (proxy->loop))
    g_usleep (1000);
  return proxy;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
proxy_stop (Proxy *proxy)
{
  g_main_context_invoke (proxy->context, quit_cb, proxy->loop);
  g_thread_join (proxy->thread);
  g_clear_pointer (&proxy->kept, request_free);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_rand_free (proxy->rand);
  g_free (proxy->uri);
  g_free (proxy);
}

typedef struct
{
  const char *name;
  const char *role;
  MamoriVault *vault;
  MamoriSyncClient *client;
} Computer;

static const char passphrase[] = "correct-horse-battery-staple";

static void
enroll (Computer *computer, Board *board, const char *url, const char *dir)
{
  g_autofree char *code = board_add_staff (board, board->school, computer->name, computer->role);
  g_autofree char *path = g_strdup_printf ("%s/%s.mamori", dir, computer->role);
  g_auto (MamoriSyncReport) report = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_sync_enroll (path, url, code, passphrase, computer->name, NULL, NULL,
                                     &computer->vault, &report, &error));
  g_assert_no_error (error);
  computer->client = mamori_sync_client_new (computer->vault, &error);
  g_assert_no_error (error);
}

/* A round through the faulty proxy: it may fail for want of the board, never otherwise. */
static void
sync_through_faults (Computer *computer)
{
  g_autoptr (GError) error = NULL;

  if (!mamori_sync_client_sync (computer->client, 0, NULL, NULL, &error))
    g_assert_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE);
}

static void
sync_ok (Computer *computer)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_sync_client_sync (computer->client, 0, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
file_request (Computer *computer, guint n)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (draft->items,
                   mamori_takeout_item_new (NULL, n % 2 ? "成績一覧表" : "面談記録", "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_USB;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup_printf ("成績処理 %u", n);
  draft->date_from = g_strdup ("2026-06-01");
  draft->date_until = g_strdup ("2026-06-03");
  request = mamori_takeout_file (computer->vault, draft, &error);
  g_assert_no_error (error);
}

/* An approver decides on a request waiting in their own vault's queue.  Another
 * approver may have decided it on their computer already: the fold keeps the first. */
static void
decide (Computer *computer, GRand *rand)
{
  MamoriDb *db = mamori_vault_get_store (computer->vault);
  g_autoptr (GPtrArray) queue = mamori_takeout_list_queue (db, NULL);
  const MamoriTakeoutRequest *request;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (queue);
  if (queue->len == 0)
    return;
  request = g_ptr_array_index (queue, g_rand_int_range (rand, 0, queue->len));
  if (g_rand_boolean (rand))
    g_assert_true (mamori_takeout_approve (computer->vault, request->id, passphrase, &error));
  else
    g_assert_true (mamori_takeout_reject (computer->vault, request->id, "期間が長すぎます",
                                          passphrase, &error));
  g_assert_no_error (error);
}

static void
add_entry (Computer *computer, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (computer->vault, &error);
  g_autoptr (MamoriLevel) level = NULL;
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();

  g_assert_no_error (error);
  level = g_list_model_get_item (mamori_policy_get_levels (policy), 0);
  entry->name = g_strdup_printf ("学級名簿 %u", n);
  entry->category = g_strdup ("gakuseki");
  entry->level = g_strdup (mamori_level_get_id (level));
  entry->medium = MAMORI_MEDIUM_PAPER;
  g_assert_true (mamori_register_add (computer->vault, policy, entry, &error));
  g_assert_no_error (error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The ids of every event in @vault's log, sorted. */
static char *
log_ids (MamoriVault *vault, guint *out_n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events
      = mamori_event_log_list (mamori_vault_get_store (vault), NULL, &error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const MamoriEvent *event = g_ptr_array_index (events, i);

      g_ptr_array_add (ids, mamori_hex_encode (event->id, MAMORI_EVENT_ID_SIZE));
    }
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s\n", (char *)ids->pdata[i]);
  *out_n = ids->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What the take-out records mean on @vault: each request's id and state. */
static char *
takeout_states (MamoriVault *vault)
{
  MamoriTakeoutFilter filter = { -1, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) requests
      = mamori_takeout_list (mamori_vault_get_store (vault), &filter, &error);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < requests->len; i++)
    {
      const MamoriTakeoutRequest *request = g_ptr_array_index (requests, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", request->id,
                                               mamori_takeout_state_to_string (request->state)));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *)lines->pdata[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* How many events of the school the board holds, as `mamori-board stats --json` says. */
static gint64
board_count (Board *board)
{
  g_autofree char *output = NULL;
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (
      board_run_output ((const char *[]){ "stats", "--data", board->dir, "--json", NULL }, &output),
      ==, 0);
  stats = json_from_string (output, &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (stats), "events");
}

static void
test_faults (gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data);
  g_autoptr (Board) board = board_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  /* The computers' vaults in the board's directory, which board_free() removes. */
  g_autofree char *dir = g_build_filename (board->dir, "computers", NULL);
  g_autofree char *first_ids = NULL, *first_states = NULL;
  g_autoptr (GError) error = NULL;
  Computer computers[] = {
    { "山田 花子", "vice-principal" },
    { "田中 一郎", "principal" },
    { "佐藤 健", "teacher" },
  };
  Proxy *proxy;
  guint n_first = 0;

  g_autofree char *policy
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, policy, NULL }, NULL),
      ==, 0);
  board_serve (board);
  proxy = proxy_start (board, seed);
  for (guint i = 0; i < G_N_ELEMENTS (computers); i++)
    enroll (&computers[i], board, proxy->uri, dir);
  for (guint i = 0; i < G_N_ELEMENTS (computers); i++)
    sync_ok (&computers[i]);

  g_atomic_int_set (&proxy->faults_on, TRUE);
  for (guint step = 0; step < 40; step++)
    {
      Computer *computer = &computers[g_rand_int_range (rand, 0, G_N_ELEMENTS (computers))];

      if (g_str_equal (computer->role, "teacher"))
        file_request (computer, step);
      else if (g_rand_int_range (rand, 0, 3) == 0)
        add_entry (computer, step);
      else
        decide (computer, rand);
      sync_through_faults (computer);
    }

  /* Every kind of fault happened. */
  for (Fault fault = FAULT_DROP; fault < N_FAULTS; fault++)
    g_assert_cmpuint (proxy->counts[fault], >, 0);
  g_assert_cmpuint (proxy->replayed, >, 0);
  g_test_message ("faults: %u dropped, %u answers lost, %u twice, %u kept, %u killed (%u of "
                  "them after the board answered), %u replayed",
                  proxy->counts[FAULT_DROP], proxy->counts[FAULT_LOST_ACK],
                  proxy->counts[FAULT_DUPLICATE], proxy->counts[FAULT_KEEP],
                  proxy->counts[FAULT_KILL], proxy->answered_before_kill, proxy->replayed);

  /* The network heals: two rounds each, and everyone has all.  The board is started once
   * more, by this thread: one the proxy's thread started would die with that thread
   * (PR_SET_PDEATHSIG is per thread). */
  g_atomic_int_set (&proxy->faults_on, FALSE);
  board_kill (board);
  board_serve (board);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (computers); i++)
      sync_ok (&computers[i]);

  first_ids = log_ids (computers[0].vault, &n_first);
  first_states = takeout_states (computers[0].vault);
  g_assert_cmpuint (n_first, >, 20);
  for (guint i = 1; i < G_N_ELEMENTS (computers); i++)
    {
      g_autofree char *states = takeout_states (computers[i].vault);
      g_autofree char *ids = NULL;
      guint n;

      ids = log_ids (computers[i].vault, &n);
      g_assert_cmpstr (ids, ==, first_ids);
      g_assert_cmpstr (states, ==, first_states);
    }
  for (guint i = 0; i < G_N_ELEMENTS (computers); i++)
    {
      g_autoptr (GPtrArray) outbox
          = mamori_event_log_list_unsent (mamori_vault_get_store (computers[i].vault), 10, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (outbox->len, ==, 0);
    }
  /* The board holds exactly these. */
  g_assert_cmpint (board_count (board), ==, n_first);

  for (guint i = 0; i < G_N_ELEMENTS (computers); i++)
    {
      g_clear_object (&computers[i].client);
      g_clear_object (&computers[i].vault);
    }
  proxy_stop (proxy);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];
  for (guint seed = 1; seed <= 2; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/board/faults/%u", seed);

      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_faults);
    }
  return g_test_run ();
}
