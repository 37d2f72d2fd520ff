/* test-board.h — a board of education in a test, over HTTP: docs/protocol.md's
 * enrollment with a join code, session, push, pull and join over the records' own checks
 * (tests/records/records-board.c), served by a SoupServer in a thread of its own (the client
 * blocks), misbehaving on demand
 *
 * mamori-board itself is tested in tests/board/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "records-board.h"

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

/* Serves @board (db, key, epoch and school_id set) on 127.0.0.1; board->url says where. */
void
board_start (Board *board);
/* Stops serving and frees what @board holds. */
void
board_stop (Board *board);
