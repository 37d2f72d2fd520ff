/* mamori-board-server-front.c — the board's connections, spread over front threads
 *
 * GLib's main loop looks at every source of its context at each turn (poll() is given
 * every descriptor), so with the thousands of long polls a board holds — 500 schools ×
 * 20 computers is 10,000 connections — a turn of one context costs milliseconds, and
 * every request waits for many turns.  So the connections live on a few front threads,
 * each with a GMainContext and a SoupServer of its own; one of them accepts and hands
 * each new connection to the next in turn.  A front only speaks HTTP: it pauses each
 * request and hands it to the server's thread (the one that created the server), which
 * owns the store, the folds, the sessions and the long polls.  That thread answers by
 * filling in the message, and hands it back to be unpaused where its connection lives:
 * libsoup's messages belong to the thread of their context.
 *
 * Why our own accept loop rather than soup_server_listen_socket() on each front: one
 * listening socket has to be shared, and libsoup's listener stops listening for good at
 * the first failed accept(), which a socket shared by several pollers meets all the
 * time.  Connections are then given to libsoup with soup_server_accept_iostream(), after
 * GIO's TLS handshake when the board has a certificate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "mamori-board-server-private.h"

/* At least this many, for the descriptors per context; more on a machine with more
 * cores, up to FRONTS_MOST. */
#define FRONTS_LEAST 4
#define FRONTS_MOST 16
/* The most requests the server's thread takes from the fronts in one turn of its loop,
 * so that its timers and the group commit's answers are not starved. */
#define POSTS_PER_TURN 64
/* After a failed accept() other than "nothing to accept" (out of descriptors, say). */
#define ACCEPT_PAUSE_MS 250

typedef struct _MamoriBoardFronts Fronts;

typedef struct
{
  Fronts *fronts;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;          /* the front's thread's */
  GCancellable *cancellable; /* TLS handshakes under way */
  guint handshakes;          /* under way */
} Front;

/* A request on its way between a front and the server's thread (a GAtomicRcBox). */
typedef struct
{
  Front *front;
  SoupServerMessage *msg; /* a reference, dropped on the front's thread when answered */
  char *path;
  GHashTable *query;
  /* The server's thread's. */
  gboolean held;     /* mamori_board_server_hold() */
  gboolean answered; /* handed back to the front */
  MamoriBoardGoneFunc gone;
  gpointer gone_data;
  /* The front's. */
  gulong disconnected_id;
  gboolean disconnected;
} Relay;

typedef enum
{
  POST_REQUEST,
  POST_GONE,
} PostKind;

typedef struct
{
  PostKind kind;
  Relay *relay; /* a reference */
} Post;

typedef struct
{
  GSource source;
  Fronts *fronts;
} InboxSource;

struct _MamoriBoardFronts
{
  MamoriBoardServer *server; /* it owns this */
  GMainContext *server_context;
  GAsyncQueue *inbox; /* Post, from the fronts to the server's thread */
  GSource *inbox_source;
  GTlsCertificate *certificate;
  Front *fronts;
  guint n_fronts;
  /* The first front's thread's. */
  GSocket *listener;
  GSource *accept_source;
  gboolean accept_failing; /* said once, until a connection is accepted again */
  guint next;
};

static GQuark
relay_quark (void)
{
  return g_quark_from_static_string ("mamori-board-relay");
}

static void
relay_clear (Relay *relay)
{
  /* Still set only for a request never handed back, the fronts gone. */
  g_clear_object (&relay->msg);
  g_free (relay->path);
  g_clear_pointer (&relay->query, g_hash_table_unref);
}

static void
relay_unref (Relay *relay)
{
  g_atomic_rc_box_release_full (relay, (GDestroyNotify)relay_clear);
}

static void
post (Fronts *fronts, PostKind kind, Relay *relay)
{
  Post *item = g_new (Post, 1);

  item->kind = kind;
  item->relay = g_atomic_rc_box_acquire (relay);
  g_async_queue_push (fronts->inbox, item);
  g_main_context_wakeup (fronts->server_context);
}

static void
post_free (Post *item)
{
  relay_unref (item->relay);
  g_free (item);
}

/* --- on a front's thread ----------------------------------------------------------------- */

static void
front_disconnected (SoupServerMessage *msg, Relay *relay)
{
  relay->disconnected = TRUE;
  post (relay->front->fronts, POST_GONE, relay);
}

static void
front_handle (
    SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Front *front = data;
  Relay *relay = g_atomic_rc_box_new0 (Relay);

  relay->front = front;
  relay->msg = g_object_ref (msg);
  relay->path = g_strdup (path);
  relay->query = query != NULL ? g_hash_table_ref (query) : NULL;
  soup_server_message_pause (msg);
  relay->disconnected_id
      = g_signal_connect (msg, "disconnected", G_CALLBACK (front_disconnected), relay);
  g_object_set_qdata (G_OBJECT (msg), relay_quark (), relay);
  /* The front's own reference is dropped in front_finish(). */
  post (front->fronts, POST_REQUEST, relay);
}

/* The server's thread has answered (or dropped) the request. */
static gboolean
front_finish (gpointer data)
{
  Relay *relay = data;
  g_autoptr (SoupServerMessage) msg = g_steal_pointer (&relay->msg);

  g_signal_handler_disconnect (msg, relay->disconnected_id);
  g_object_set_qdata (G_OBJECT (msg), relay_quark (), NULL);
  if (!relay->disconnected)
    soup_server_message_unpause (msg);
  relay_unref (relay);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  Front *front;
  GSocketAddress *local;
  GSocketAddress *remote;
} Accepting;

static void
accepting_free (Accepting *accepting)
{
  g_object_unref (accepting->local);
  g_object_unref (accepting->remote);
  g_free (accepting);
}

static void
front_handshaken (GObject *source, GAsyncResult *result, gpointer data)
{
  Accepting *accepting = data;
  g_autoptr (GError) error = NULL;

  accepting->front->handshakes--;
  /* A failed handshake is the client's business (a scanner, a wrong certificate pin):
   * the connection just closes. */
  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error)
      && accepting->front->soup != NULL)
    soup_server_accept_iostream (accepting->front->soup, G_IO_STREAM (source), accepting->local,
                                 accepting->remote, NULL);
  else
    g_debug ("TLS handshake: %s", error != NULL ? error->message : "the board is stopping");
  accepting_free (accepting);
}

typedef struct
{
  Front *front;
  GSocket *socket;
} Handoff;

static void
handoff_free (Handoff *handoff)
{
  g_object_unref (handoff->socket);
  g_free (handoff);
}

static gboolean
front_accept (gpointer data)
{
  Handoff *handoff = data;
  Front *front = handoff->front;
  Fronts *fronts = front->fronts;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GError) error = NULL;
  Accepting *accepting;

  accepting = g_new0 (Accepting, 1);
  accepting->front = front;
  accepting->local = g_socket_get_local_address (handoff->socket, NULL);
  accepting->remote = g_socket_get_remote_address (handoff->socket, &error);
  if (accepting->local == NULL || accepting->remote == NULL)
    {
      /* Gone before it was taken up. */
      g_clear_object (&accepting->local);
      g_clear_object (&accepting->remote);
      g_free (accepting);
      return G_SOURCE_REMOVE;
    }
  g_socket_set_option (handoff->socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (handoff->socket);
  if (fronts->certificate == NULL)
    {
      soup_server_accept_iostream (front->soup, G_IO_STREAM (connection), accepting->local,
                                   accepting->remote, NULL);
      accepting_free (accepting);
      return G_SOURCE_REMOVE;
    }
  tls = g_tls_server_connection_new (G_IO_STREAM (connection), fronts->certificate, &error);
  if (tls == NULL)
    {
      g_debug ("TLS: %s", error->message);
      accepting_free (accepting);
      return G_SOURCE_REMOVE;
    }
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  front->handshakes++;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, front->cancellable,
                                    front_handshaken, accepting);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_ready (GSocket *socket, GIOCondition condition, gpointer data);

static void
listen_again (Fronts *fronts)
{
  fronts->accept_source = g_socket_create_source (fronts->listener, G_IO_IN, NULL);
  g_source_set_callback (fronts->accept_source, G_SOURCE_FUNC (accept_ready), fronts, NULL);
  g_source_attach (fronts->accept_source, fronts->fronts[0].context);
}

static gboolean
accept_resume (gpointer data)
{
  Fronts *fronts = data;

  g_clear_pointer (&fronts->accept_source, g_source_unref);
  listen_again (fronts);
  return G_SOURCE_REMOVE;
}

/* On the first front's thread. */
static gboolean
accept_ready (GSocket *socket, GIOCondition condition, gpointer data)
{
  Fronts *fronts = data;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      GSocket *client = g_socket_accept (socket, NULL, &error);
      Handoff *handoff;

      if (client == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          /* Out of descriptors, say: the connection waits in the kernel's queue, which
           * would wake this at once, again and again; look again a moment later. */
          if (!fronts->accept_failing)
            g_message ("Cannot accept a connection: %s", error->message);
          fronts->accept_failing = TRUE;
          g_source_unref (fronts->accept_source);
          fronts->accept_source = g_timeout_source_new (ACCEPT_PAUSE_MS);
          g_source_set_callback (fronts->accept_source, accept_resume, fronts, NULL);
          g_source_attach (fronts->accept_source, fronts->fronts[0].context);
          return G_SOURCE_REMOVE;
        }
      fronts->accept_failing = FALSE;
      handoff = g_new (Handoff, 1);
      handoff->front = &fronts->fronts[fronts->next++ % fronts->n_fronts];
      handoff->socket = client;
      g_main_context_invoke_full (handoff->front->context, G_PRIORITY_DEFAULT, front_accept,
                                  handoff, (GDestroyNotify)handoff_free);
    }
}

static gboolean
front_quit (gpointer data)
{
  Front *front = data;

  g_main_loop_quit (front->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
front_run (gpointer data)
{
  Front *front = data;

  g_main_context_push_thread_default (front->context);
  front->soup = soup_server_new ("server-header", "mamori-board", NULL);
  soup_server_add_handler (front->soup, "/v1", front_handle, front, NULL);
  g_main_loop_run (front->loop);
  if (front == &front->fronts->fronts[0] && front->fronts->accept_source != NULL)
    {
      g_source_destroy (front->fronts->accept_source);
      g_clear_pointer (&front->fronts->accept_source, g_source_unref);
    }
  /* Stopping: what the server's thread handed back is sent on its way, the handshakes
   * under way end, and the connections close. */
  g_cancellable_cancel (front->cancellable);
  while (front->handshakes > 0)
    g_main_context_iteration (front->context, TRUE);
  while (g_main_context_iteration (front->context, FALSE))
    ;
  soup_server_disconnect (front->soup);
  g_clear_object (&front->soup);
  while (g_main_context_iteration (front->context, FALSE))
    ;
  g_main_context_pop_thread_default (front->context);
  return NULL;
}

/* --- on the server's thread ------------------------------------------------------------- */

static void
send_back (Relay *relay)
{
  relay->answered = TRUE;
  relay->held = FALSE;
  relay->gone = NULL;
  g_main_context_invoke_full (relay->front->context, G_PRIORITY_DEFAULT, front_finish,
                              g_atomic_rc_box_acquire (relay), (GDestroyNotify)relay_unref);
}

static Relay *
relay_of (SoupServerMessage *msg)
{
  Relay *relay = g_object_get_qdata (G_OBJECT (msg), relay_quark ());

  g_assert (relay != NULL && !relay->answered);
  return relay;
}

void
mamori_board_server_hold (SoupServerMessage *msg, MamoriBoardGoneFunc gone, gpointer data)
{
  Relay *relay = relay_of (msg);

  relay->held = TRUE;
  relay->gone = gone;
  relay->gone_data = data;
}

void
mamori_board_server_answer (SoupServerMessage *msg)
{
  send_back (relay_of (msg));
}

static void
take_post (Fronts *fronts, Post *item)
{
  Relay *relay = item->relay;
  MamoriBoardGoneFunc gone;

  if (item->kind == POST_REQUEST)
    {
      mamori_board_server_route (fronts->server, relay->msg, relay->path, relay->query);
      if (!relay->held && !relay->answered)
        send_back (relay);
    }
  else if (relay->held)
    {
      /* The client went away while its request waited. */
      gone = relay->gone;
      gone (relay->gone_data);
      send_back (relay);
    }
  post_free (item);
}

static gboolean
inbox_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return g_async_queue_length (((InboxSource *)source)->fronts->inbox) > 0;
}

static gboolean
inbox_check (GSource *source)
{
  return g_async_queue_length (((InboxSource *)source)->fronts->inbox) > 0;
}

static gboolean
inbox_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  Fronts *fronts = ((InboxSource *)source)->fronts;
  Post *item;

  for (guint i = 0; i < POSTS_PER_TURN && (item = g_async_queue_try_pop (fronts->inbox)) != NULL;
       i++)
    take_post (fronts, item);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs inbox_funcs = {
  .prepare = inbox_prepare,
  .check = inbox_check,
  .dispatch = inbox_dispatch,
};

MamoriBoardFronts *
mamori_board_fronts_new (MamoriBoardServer *server, GTlsCertificate *certificate)
{
  Fronts *fronts = g_new0 (Fronts, 1);

  fronts->server = server;
  fronts->server_context = g_main_context_ref_thread_default ();
  fronts->inbox = g_async_queue_new ();
  fronts->inbox_source = g_source_new (&inbox_funcs, sizeof (InboxSource));
  ((InboxSource *)fronts->inbox_source)->fronts = fronts;
  g_source_set_name (fronts->inbox_source, "mamori-board requests");
  g_source_attach (fronts->inbox_source, fronts->server_context);
  fronts->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  fronts->n_fronts = CLAMP (g_get_num_processors (), FRONTS_LEAST, FRONTS_MOST);
  fronts->fronts = g_new0 (Front, fronts->n_fronts);
  for (guint i = 0; i < fronts->n_fronts; i++)
    {
      Front *front = &fronts->fronts[i];
      g_autofree char *name = g_strdup_printf ("board-front-%u", i);

      front->fronts = fronts;
      front->context = g_main_context_new ();
      front->loop = g_main_loop_new (front->context, FALSE);
      front->cancellable = g_cancellable_new ();
      front->thread = g_thread_new (name, front_run, front);
    }
  return fronts;
}

void
mamori_board_fronts_listen (MamoriBoardFronts *self, GSocket *socket)
{
  Fronts *fronts = self;

  g_return_if_fail (fronts->listener == NULL);
  fronts->listener = g_object_ref (socket);
  g_socket_set_blocking (socket, FALSE);
  listen_again (fronts);
}

void
mamori_board_fronts_free (MamoriBoardFronts *self)
{
  Fronts *fronts = self;
  Post *item;

  /* The first front, which accepts, stops first: none is handed a connection after it
   * stopped. */
  for (guint i = 0; i < fronts->n_fronts; i++)
    {
      Front *front = &fronts->fronts[i];

      /* Through its context: a loop quit before it ran would run for ever. */
      g_main_context_invoke (front->context, front_quit, front);
      g_thread_join (front->thread);
      g_main_loop_unref (front->loop);
      g_main_context_unref (front->context);
      g_object_unref (front->cancellable);
    }
  /* The fronts are gone: what they handed over and nobody answered goes too. */
  while ((item = g_async_queue_try_pop (fronts->inbox)) != NULL)
    {
      /* And the front's own reference, front_finish() will not run. */
      if (item->kind == POST_REQUEST)
        relay_unref (item->relay);
      post_free (item);
    }
  g_clear_object (&fronts->listener);
  g_source_destroy (fronts->inbox_source);
  g_source_unref (fronts->inbox_source);
  g_async_queue_unref (fronts->inbox);
  g_main_context_unref (fronts->server_context);
  g_clear_object (&fronts->certificate);
  g_free (fronts->fronts);
  g_free (fronts);
}
