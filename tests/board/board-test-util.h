/* board-test-util.h — a mamori-board process on loopback, and a device that talks to it
 * with libsoup, for the board's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mamori-event.h"
#include "mamori-roster.h"

G_BEGIN_DECLS

/* The mamori-board program under test (the test's first argument). */
extern const char *board_program;

/* Runs mamori-board with @args (NULL-terminated, after the command); its exit status,
 * and its standard output's last word in *@out_last_word when not NULL. */
int
board_run (const char *const *args, char **out_last_word);
/* The same, with all it wrote on standard output. */
int
board_run_output (const char *const *args, char **out_stdout);

typedef struct
{
  char *dir;
  char *school;
  GSubprocess *process;
  char *uri;              /* "http://127.0.0.1:PORT" with no slash at the end */
  guint descriptor_limit; /* the server's RLIMIT_NOFILE, soft and hard; 0: this process's */
} Board;

/* A board in a fresh directory with one school. */
Board *
board_new (void);
/* The same without a school. */
Board *
board_new_empty (void);
/* `serve` on 127.0.0.1 with a free port. */
void
board_serve (Board *board);
/* The same over HTTPS with this certificate and key. */
void
board_serve_tls (Board *board, const char *cert, const char *key);
/* Kills the server with SIGKILL (nothing is flushed or closed). */
void
board_kill (Board *board);
/* Stops the server with SIGTERM, and checks that it exited with 0. */
void
board_stop (Board *board);
void
board_free (Board *board);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Board, board_free)

/* A new person's code: add-staff. */
char *
board_add_staff (Board *board, const char *school, const char *name, const char *role);

/* A computer of a school: its keys, its session, the chain of what it signs. */
typedef struct
{
  guint8 *seed; /* secure memory */
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  MamoriRosterKeys keys;
  char *staff;
  char *school;
  char *token;
  gint64 author_seq;
  guint8 head[MAMORI_EVENT_ID_SIZE];
  SoupSession *session;
} Device;

Device *
device_new (void);
void
device_free (Device *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

/* An HTTP request with a JSON body (or none): the answer's JSON and *@out_status. */
JsonNode *
http (SoupSession *session,
      const char *method,
      const char *url,
      const char *token,
      JsonNode *body,
      guint *out_status);

/* A JSON object from a printf-style text. */
JsonNode *
json_from (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Enrolls @device with @code: the answer and its status. */
JsonNode *
device_enroll (Device *device, Board *board, const char *code, guint *out_status);
/* A session: the status (200 on success, token kept). */
guint
device_login (Device *device, Board *board);
/* The next event of the device's chain in its school, signed (the chain advances). */
MamoriEvent *
device_sign (Device *device, const char *type, JsonNode *body);
/* POST /v1/events with @events (MamoriEvent): the answer and its status. */
JsonNode *
device_push (Device *device, Board *board, MamoriEvent **events, guint n_events, guint *out_status);
/* GET /v1/events. */
JsonNode *
device_pull (
    Device *device, Board *board, gint64 since, guint limit, guint wait, guint *out_status);

const char *
member (JsonNode *node, const char *name);
gint64
int_member (JsonNode *node, const char *name);
JsonArray *
array_member (JsonNode *node, const char *name);

/* A board serving one school whose vice-principal (@vp) has enrolled and opened a
 * session. */
Board *
served_board (Device *vp);
/* The vice-principal adds a teacher whose keys are @teacher's: the teacher can sign. */
void
add_teacher (Device *vp, Board *board, Device *teacher, const char *name);
/* An error answer with this status and code, and a message. */
void
assert_error (JsonNode *answer, guint status, guint expected_status, const char *code);
/* Pushes @events and checks the board refused the one at @index for @reason. */
void
assert_refused (Device *device,
                Board *board,
                MamoriEvent **events,
                guint n_events,
                guint index,
                const char *reason);
/* How many events @device may see. */
gint64
count_events (Device *device, Board *board);

/* The ids (hex) of the events the board serves once it has checked the signatures
 * pushes left to check (docs/protocol.md, "Push"). */
GPtrArray *
pull_settled (Device *device, Board *board);

/* A long poll (wait=30) of @device's from @since, on a thread with a session of its
 * own: g_thread_new ("long-poll", long_poll, &poll), then g_thread_join(). */
typedef struct
{
  Board *board;
  Device *device;
  gint64 since;
  JsonNode *answer; /* the caller's, once joined */
  guint status;
  gint64 elapsed; /* µs */
  gint64 woke;    /* monotonic µs: when the answer came */
} LongPoll;

gpointer
long_poll (gpointer poll);

G_END_DECLS
