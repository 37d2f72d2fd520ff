/* mamori-board-server-private.h — what the parts of the board's HTTP front share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "mamori-board-server.h"

G_BEGIN_DECLS

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

/* A school with its own vault has this long to send its history. */
#define HISTORY_SECONDS 3600

typedef struct
{
  guint8 device[MAMORI_SIGNING_KEY_SIZE];
  gint64 expires;  /* monotonic µs */
  char *school;    /* for a history session */
  char *join_code; /* a history session: it may push the school's history, and join */
  /* An ordinary session: the device's school, and the roster entry last found for the
   * device, which holds while the school's last event is still number found_seq (a
   * revocation, a removal, a role change is an event of the school). */
  char *found_school;
  MamoriStaff *found_staff;
  gint64 found_seq;
} Session;

typedef struct
{
  gint64 window_start; /* monotonic s */
  guint failures;
} Attempts;

typedef struct
{
  SoupServerMessage *msg;
  char *school; /* NULL: every event (the board role) */
  gint64 since;
  guint limit;
  gint64 deadline; /* monotonic µs: answered empty then */
  GQueue *queue;   /* the one of MamoriBoardServer.waiters it is in */
  GList link;      /* its place there */
} Waiter;

typedef struct _MamoriBoardFronts MamoriBoardFronts;

struct _MamoriBoardServer
{
  GObject parent_instance;
  MamoriBoard *board;
  GTlsCertificate *certificate; /* NULL: plain HTTP, on loopback */
  MamoriBoardFronts *fronts;
  GHashTable *challenges; /* hex → gint64 expiry (monotonic µs), boxed */
  GHashTable *tokens;     /* hex → Session */
  GHashTable *attempts;   /* remote address → Attempts */
  /* The long polls held, by the school they see ("" for the board role's, which see
   * every school): a push wakes its school's only. */
  GHashTable *waiters; /* school → GQueue of Waiter */
  /* Group commit (mamori-board-server-sync.c). */
  GPtrArray *acks;  /* pushes committed, answered when the next sync is done */
  gboolean syncing; /* a sync is under way */
  /* The first event this process stored that is not known durable yet, by the sync
   * under way and after it (0: none): pulls serve the events before it only, those of
   * other processes being durable when committed. */
  gint64 syncing_first;
  gint64 unsynced_first;
  gint64 last_seq;
  char *epoch; /* the store's, as the last look at it found it */
  guint watch_id;
};

/* A request, on the server's thread (mamori-board-server.c): answered when it returns,
 * unless it calls mamori_board_server_hold(). */
void
mamori_board_server_route (MamoriBoardServer *self,
                           SoupServerMessage *msg,
                           const char *path,
                           GHashTable *query);

/* mamori-board-server-front.c: the connections, on threads of their own. */
MamoriBoardFronts *
mamori_board_fronts_new (MamoriBoardServer *server, GTlsCertificate *certificate);
/* Accepts the connections @socket (bound and listening) is given. */
void
mamori_board_fronts_listen (MamoriBoardFronts *fronts, GSocket *socket);
/* Stops the threads, closing their connections: answer the requests held before. */
void
mamori_board_fronts_free (MamoriBoardFronts *fronts);

typedef void (*MamoriBoardGoneFunc) (gpointer data);
/* Keeps @msg, being routed, unanswered until mamori_board_server_answer(); @gone is
 * called instead if its client goes away meanwhile (and @msg may not be used after). */
void
mamori_board_server_hold (SoupServerMessage *msg, MamoriBoardGoneFunc gone, gpointer data);
/* Sends what is set in @msg, being routed or held; it may not be used after. */
void
mamori_board_server_answer (SoupServerMessage *msg);

/* Answers. */
void
mamori_board_server_respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder);
void
mamori_board_server_respond_error (SoupServerMessage *msg,
                                   guint status,
                                   const char *code,
                                   const char *message);
/* A failure of the board itself (503), or one of MamoriBoardError. */
void
mamori_board_server_respond_gerror (SoupServerMessage *msg, const GError *error);
/* 503 with Retry-After: the server is stopping. */
void
mamori_board_server_respond_stopping (SoupServerMessage *msg);
void
mamori_board_server_add_string (JsonBuilder *builder, const char *member, const char *value);
void
mamori_board_server_add_hex (JsonBuilder *builder,
                             const char *member,
                             const guint8 *bytes,
                             gsize length);
/* {author, payload, sig} (and seq, when @seq > 0). */
void
mamori_board_server_add_event (JsonBuilder *builder,
                               GBytes *payload,
                               const guint8 *sig,
                               gint64 seq);

/* Requests. */
JsonObject *
mamori_board_server_request_object (SoupServerMessage *msg, JsonParser *parser);
const char *
mamori_board_server_member_string (JsonObject *object, const char *member);
gboolean
mamori_board_server_member_hex (JsonObject *object, const char *member, guint8 *out, gsize length);
void
mamori_board_server_bad_request (SoupServerMessage *msg, const char *what);
/* The token of "Authorization: Bearer …", or NULL. */
const char *
mamori_board_server_bearer (SoupServerMessage *msg);
/* The caller's school and roster entry, checked again on every request; FALSE having
 * answered.  A history session (*@out_join_code set, *@out_staff NULL) is accepted only
 * where @out_join_code is given. */
gboolean
mamori_board_server_authenticate (MamoriBoardServer *self,
                                  SoupServerMessage *msg,
                                  char **out_school,
                                  MamoriStaff **out_staff,
                                  char **out_join_code);
void
mamori_board_server_handle_join (MamoriBoardServer *self, SoupServerMessage *msg);

/* mamori-board-server-events.c */
void
mamori_board_server_waiters_free (GQueue *queue);
void
mamori_board_server_handle_pull (MamoriBoardServer *self,
                                 SoupServerMessage *msg,
                                 GHashTable *query);
void
mamori_board_server_handle_push (MamoriBoardServer *self, SoupServerMessage *msg);
/* Every WATCH_MS: wakes the long polls when another process stored something, and
 * answers those whose wait has passed; at a new epoch (`drop-held`) answers them all
 * and ends every session. */
gboolean
mamori_board_server_watch_store (gpointer data);
/* MamoriBoard::checked: events held until their signatures were checked may be served. */
void
mamori_board_server_checked (MamoriBoardServer *self);
void
mamori_board_server_handle_schools (MamoriBoardServer *self, SoupServerMessage *msg);
void
mamori_board_server_handle_policy (MamoriBoardServer *self, SoupServerMessage *msg);

/* mamori-board-server-sync.c */
void
mamori_board_server_sync_init (MamoriBoardServer *self);
void
mamori_board_server_sync_clear (MamoriBoardServer *self);
/* Pauses @msg, answered (as set already) when the commits so far are durable; then wakes
 * @school's long polls.  @first_new: the first event the push stored (0: none). */
void
mamori_board_server_when_durable (MamoriBoardServer *self,
                                  SoupServerMessage *msg,
                                  const char *school,
                                  gint64 first_new);
/* The last event a pull may serve (G_MAXINT64: any). */
gint64
mamori_board_server_durable_seq (MamoriBoardServer *self);
/* Starts a sync when commits are left that no sync covers (one that failed, say). */
void
mamori_board_server_sync_store (MamoriBoardServer *self);
/* Makes the commits so far durable before an answer; FALSE having answered 503. */
gboolean
mamori_board_server_sync_now (MamoriBoardServer *self, SoupServerMessage *msg);
/* Answers @school's long polls (NULL: every school's) that have something to see. */
void
mamori_board_server_wake (MamoriBoardServer *self, const char *school);

G_END_DECLS
