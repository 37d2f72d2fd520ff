/* mamori-board-private.h — what the parts of MamoriBoard share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-board.h"
#include "mamori-db.h"

G_BEGIN_DECLS

/* A school's records as the board folds them: a plain SQLite database in a temporary
 * file (SQLite removes it on close), a cache of the store. */
typedef struct
{
  char *school;
  MamoriDb *db;
  gint64 applied; /* the store's events up to this number are folded (committed) */
  gint64 pending; /* the same within the open transaction */
} MamoriSchoolFold;

struct _MamoriBoard
{
  GObject parent_instance;
  char *dir;
  MamoriBoardStore *store;
  guint8 *seed; /* secure memory */
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  char *id;
  char *name;
  GHashTable *folds;    /* school id → MamoriSchoolFold */
  char *folds_epoch;    /* the store's epoch when the folds were made */
  GThreadPool *checker; /* checks held events' signatures; NULL until needed */
  GAsyncQueue *checked; /* what the checker found, for the main context */
};

/* @n_bytes (at most 32) random bytes in hex. */
char *
_mamori_board_random_hex (gsize n_bytes);

/* The event the store keeps as @stored, with its number; NULL if the store is damaged. */
MamoriEvent *
_mamori_board_parse_stored (MamoriStoredEvent *stored, GError **error);

/* A new, empty fold of @school's records, not kept (for drop-held's check). */
MamoriSchoolFold *
_mamori_board_fold_new (MamoriBoard *self, const char *school, GError **error);
void
_mamori_board_fold_free (MamoriSchoolFold *fold);

/* The school's fold, in a transaction of its own, brought up to date with the store. */
MamoriSchoolFold *
_mamori_board_fold_begin (MamoriBoard *self, const char *school, GError **error);
gboolean
_mamori_board_fold_commit (MamoriBoard *self, MamoriSchoolFold *fold, GError **error);
void
_mamori_board_fold_rollback (MamoriBoard *self, MamoriSchoolFold *fold);

/* A write: the store's transaction and the fold's.  Commit keeps both (the store first:
 * it is the truth, the fold only a cache). */
MamoriSchoolFold *
_mamori_board_begin (MamoriBoard *self, const char *school, GError **error);
gboolean
_mamori_board_commit (MamoriBoard *self, MamoriSchoolFold *fold, GError **error);
void
_mamori_board_rollback (MamoriBoard *self, MamoriSchoolFold *fold);

/* Stores @event (within _mamori_board_begin()) and folds it into @fold with @flags
 * (MAMORI_APPEND_AT_BOARD and more): sets event->server_seq. */
gboolean
_mamori_board_store_event (
    MamoriBoard *self, MamoriSchoolFold *fold, MamoriEvent *event, int flags, GError **error);

/* The board's next event in @school's chain (as @fold has it), signed. */
MamoriEvent *
_mamori_board_sign (
    MamoriBoard *self, MamoriSchoolFold *fold, const char *type, JsonNode *body, GError **error);

/* Checks the signatures of @held (MamoriStoredEvent, taken), events stored held, on
 * worker threads, and releases them in the main context (mamori-board-checking.c). */
void
_mamori_board_check_later (MamoriBoard *self, GPtrArray *held);
void
_mamori_board_checking_stop (MamoriBoard *self);

G_END_DECLS
