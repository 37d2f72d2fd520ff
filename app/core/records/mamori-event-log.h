/* mamori-event-log.h — the school's signed event log and the folds that keep the record
 * tables
 *
 * Every change to the school's records is an event (mamori-event.h), appended here.
 * Appending checks the event — its school, that it is not already in the log, that it
 * continues its author's chain (no gap, no fork), its signature — and then hands it to
 * the fold of its type, which checks the author's authority against the records as they
 * are and applies the change to the tables it keeps.  The event and the change are
 * written under one savepoint: an event that is refused leaves no trace.  The tables are
 * a cache of the log: mamori_event_log_rebuild() folds the whole log again.
 *
 * The log lives in the vault's database (table `events`); these functions work on the
 * connection of an unlocked vault (mamori-db.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-db.h"
#include "mamori-event.h"

G_BEGIN_DECLS

/* Checks @event against the records as they are (its author's authority first) and
 * applies it to the tables this fold keeps; on failure the caller discards every change
 * (the log rolls back to its savepoint). */
typedef gboolean (*MamoriFoldFunc) (MamoriDb *db, const MamoriEvent *event, GError **error);

typedef struct
{
  const char *type;
  MamoriFoldFunc fold;
} MamoriEventHandler;

/* A part of the records (the roster, the register, …): the event types it folds, and the
 * SQL that empties its tables before the whole log is folded again. */
typedef struct
{
  const MamoriEventHandler *handlers;
  guint n_handlers;
  const char *reset_sql;
} MamoriFoldModule;

typedef enum
{
  MAMORI_APPEND_DEFAULT = 0,
  /* Signed in this process a moment ago with the vault's own key: checking the
   * signature again would only cost time. */
  MAMORI_APPEND_SIGNED_HERE = 1 << 0,
  /* Sent by the board, or pushed to it: the event is the school's whatever the records'
   * state makes of it.  When the fold finds that state no longer allows it
   * (MAMORI_RECORDS_ERROR_CONFLICT: decided already, removed already, …) it is kept with
   * no effect, and event->effect says why (docs/records.md, "Canonical order").  When
   * events not yet sent precede it here, any refusal of the fold is kept so and the log
   * is marked out of order (mamori_event_log_put_in_order()). */
  MAMORI_APPEND_RECEIVED = 1 << 1,
  /* The board's own copy of a school's records, whose order is the order of truth:
   * event->server_seq is the number the board gives the event.  A conflict is kept with
   * no effect, as when received; any other refusal refuses. */
  MAMORI_APPEND_AT_BOARD = 1 << 2,
  /* A batch from the board whose signatures the caller checks before it commits, one per
   * chain: the last event of each author's run in the batch (mamori_event_verify()).
   * Each event names its predecessor's hash, so the last one's signature vouches for
   * every event before it. */
  MAMORI_APPEND_SIGNATURE_LATER = 1 << 3,
  /* Part of a run of appends that the caller rolls back whole when one fails, then
   * appends again one by one without this flag (a pull's page): the event gets no
   * savepoint of its own, and any refusal of its fold fails the append, since what the
   * fold wrote before it refused is only undone with the run.  Savepoints cost a copy of
   * every page an event touches; most pages of a pull hold no refusal at all. */
  MAMORI_APPEND_OPTIMISTIC = 1 << 4,
} MamoriAppendFlags;

/* Checks and appends @event (see above); sets event->seq.  Errors are
 * MAMORI_RECORDS_ERROR with the precise reason, or a MAMORI_VAULT_ERROR from the
 * database. */
gboolean
mamori_event_log_append (
    MamoriDb *db, const char *school, MamoriEvent *event, MamoriAppendFlags flags, GError **error);

/* The author's last event in @school's records: its author_seq (0 when the author has
 * none) and id. */
gboolean
mamori_event_log_head (MamoriDb *db,
                       const char *school,
                       const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                       gint64 *out_author_seq,
                       guint8 out_id[MAMORI_EVENT_ID_SIZE],
                       GError **error);

typedef struct
{
  guint n_events;
  guint n_authors;
  guint n_signatures_checked;
} MamoriLogCheck;

/* The check made when a vault opens: every event's id is the hash of its payload, each
 * author's events continue one another by author_seq and prev, and the last event of
 * each author carries that author's signature — so no event can be changed, removed or
 * inserted without breaking a chain.  @all_signatures checks every signature as well
 * (mamori-cli vault verify).  MAMORI_RECORDS_ERROR_BROKEN_CHAIN or _BAD_SIGNATURE name
 * the event. */
gboolean
mamori_event_log_check (MamoriDb *db,
                        gboolean all_signatures,
                        MamoriLogCheck *out_check,
                        GError **error);

/* Empties every fold's tables and folds the whole log again, in log order.  An event
 * the fold refuses now is kept with no effect (event->effect): the log is what the
 * school's computers agreed on, and the fold only reads it.  In a transaction. */
gboolean
mamori_event_log_rebuild (MamoriDb *db, const char *school, GError **error);

/* The events of the given types (NULL: all), in log order. */
GPtrArray *
mamori_event_log_list (MamoriDb *db, const char *const *types, GError **error);

/* --- the board's order (docs/records.md, "Canonical order") ------------------------- */

/* The board holds the event @id as its number @server_seq; *@out_found is FALSE when
 * the log has no such event. */
gboolean
mamori_event_log_set_server_seq (MamoriDb *db,
                                 const guint8 id[MAMORI_EVENT_ID_SIZE],
                                 gint64 server_seq,
                                 gboolean *out_found,
                                 GError **error);
/* The events the board has not acknowledged, in log order: at most @limit (0: all). */
GPtrArray *
mamori_event_log_list_unsent (MamoriDb *db, guint limit, GError **error);
/* The board was restored from an older copy: none of its numbers holds any more. */
gboolean
mamori_event_log_forget_server_seqs (MamoriDb *db, GError **error);
/* When events were folded in another order than the canonical one (the board's, then
 * the unsent in log order), renumbers the log in canonical order and folds it again;
 * *@out_refolded says whether it had to.  In a transaction. */
gboolean
mamori_event_log_put_in_order (MamoriDb *db,
                               const char *school,
                               gboolean *out_refolded,
                               GError **error);
/* The board refused an event: removes it and the author's later events in that chain
 * that the board does not have either (nobody else has seen them), and returns them, in
 * chain order.  Fold the log again afterwards (mamori_event_log_put_in_order() does
 * when the log is marked out of order, which this does).  In a transaction. */
GPtrArray *
mamori_event_log_remove_unsent (MamoriDb *db,
                                const char *school,
                                const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                                gint64 from_author_seq,
                                GError **error);

/* The last event of one author's chain in a school. */
typedef struct
{
  guint8 author[MAMORI_SIGNING_KEY_SIZE];
  gint64 author_seq;
  guint8 id[MAMORI_EVENT_ID_SIZE];
} MamoriChainHead;

/* The last event of every chain in @school's records (what a school-joined confirms),
 * ordered by author. */
GArray *
mamori_event_log_heads (MamoriDb *db, const char *school, GError **error);

/* Whether the log holds an event with this id. */
gboolean
mamori_event_log_contains (MamoriDb *db,
                           const guint8 id[MAMORI_EVENT_ID_SIZE],
                           gboolean *out_found,
                           GError **error);

/* The number of events in the log. */
gboolean
mamori_event_log_count (MamoriDb *db, gint64 *out_count, GError **error);

/* The fold for @type, or NULL. */
const MamoriEventHandler *
mamori_event_handler_find (const char *type);

G_END_DECLS
