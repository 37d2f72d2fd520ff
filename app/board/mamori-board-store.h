/* mamori-board-store.h — where mamori-board keeps what it holds
 *
 * The board's order of every event it stored (one sequence for all schools and its
 * own), the schools it keeps, the enrollment codes it gave, which school a signing key
 * belongs to, and its own settings (id, name, epoch).  The records' rules are not here:
 * MamoriBoard checks each event against its copy of the school's records before it asks
 * the store to keep it.  MamoriBoardStoreSqlite is the embedded store (one SQLite file in
 * WAL mode); a PostgreSQL store for a prefecture that outgrows one machine implements
 * the same interface, and must hand out sequence numbers so that a reader never skips
 * one (docs/board.md, "The store").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MAMORI_TYPE_BOARD_STORE (mamori_board_store_get_type ())
G_DECLARE_INTERFACE (MamoriBoardStore, mamori_board_store, MAMORI, BOARD_STORE, GObject)

/* One stored event. */
typedef struct
{
  gint64 seq;
  char *school;
  GBytes *payload;
  GBytes *sig;
} MamoriStoredEvent;

void
mamori_stored_event_free (MamoriStoredEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriStoredEvent, mamori_stored_event_free)

typedef struct
{
  char *id;
  char *name;
  gboolean joined; /* FALSE for a school with its own vault until its history arrived */
} MamoriStoredSchool;

void
mamori_stored_school_free (MamoriStoredSchool *school);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriStoredSchool, mamori_stored_school_free)

/* What an enrollment code is, when found. */
typedef enum
{
  MAMORI_CODE_UNKNOWN,
  MAMORI_CODE_VALID,
  MAMORI_CODE_USED,
  MAMORI_CODE_EXPIRED,
} MamoriCodeState;

typedef struct
{
  gint64 schools;
  gint64 events;
  gint64 keys;
  gint64 codes_open;
  gint64 codes_used;
} MamoriStoreStats;

struct _MamoriBoardStoreInterface
{
  GTypeInterface parent_iface;

  char *(*get_setting) (MamoriBoardStore *self, const char *key, GError **error);
  gboolean (*set_setting) (MamoriBoardStore *self,
                           const char *key,
                           const char *value,
                           GError **error);
  gboolean (*begin) (MamoriBoardStore *self, GError **error);
  gboolean (*commit) (MamoriBoardStore *self, GError **error);
  void (*rollback) (MamoriBoardStore *self);
  gboolean (*add_school) (
      MamoriBoardStore *self, const char *id, const char *name, gboolean joined, GError **error);
  gboolean (*set_joined) (MamoriBoardStore *self, const char *id, GError **error);
  GPtrArray *(*list_schools) (MamoriBoardStore *self, GError **error);
  MamoriStoredSchool *(*find_school) (MamoriBoardStore *self, const char *id, GError **error);
  gboolean (*put_event) (MamoriBoardStore *self,
                         const char *school,
                         const guint8 *id,
                         GBytes *payload,
                         const guint8 *sig,
                         gint64 *out_seq,
                         GError **error);
  gboolean (*find_event) (MamoriBoardStore *self,
                          const guint8 *id,
                          gint64 *out_seq,
                          GError **error);
  GPtrArray *(*read_events) (
      MamoriBoardStore *self, const char *school, gint64 since, guint limit, GError **error);
  gboolean (*last_seq) (MamoriBoardStore *self,
                        const char *school,
                        gint64 *out_seq,
                        GError **error);
  gboolean (*hold_event) (MamoriBoardStore *self, gint64 seq, const char *school, GError **error);
  gboolean (*release_event) (MamoriBoardStore *self, gint64 seq, gboolean good, GError **error);
  GPtrArray *(*read_held) (MamoriBoardStore *self, GError **error);
  GPtrArray *(*read_bad) (MamoriBoardStore *self, GError **error);
  GPtrArray *(*read_school) (MamoriBoardStore *self,
                             const char *school,
                             gint64 since,
                             GError **error);
  gboolean (*drop_events) (MamoriBoardStore *self,
                           const gint64 *seqs,
                           guint n_seqs,
                           GError **error);
  gboolean (*put_code) (MamoriBoardStore *self,
                        const guint8 *hash,
                        const char *school,
                        const char *staff,
                        gint64 expires_at,
                        GError **error);
  gboolean (*find_code) (MamoriBoardStore *self,
                         const guint8 *hash,
                         gint64 now,
                         MamoriCodeState *out_state,
                         char **out_school,
                         char **out_staff,
                         GError **error);
  gboolean (*use_code) (MamoriBoardStore *self, const guint8 *hash, gint64 now, GError **error);
  gboolean (*note_key) (MamoriBoardStore *self,
                        const guint8 *key,
                        const char *school,
                        GError **error);
  char *(*find_key) (MamoriBoardStore *self, const guint8 *key, GError **error);
  gboolean (*stats) (MamoriBoardStore *self, MamoriStoreStats *out, GError **error);
  gboolean (*defer_sync) (MamoriBoardStore *self, GError **error);
  gboolean (*sync) (MamoriBoardStore *self, GError **error);
  gboolean (*backup) (MamoriBoardStore *self,
                      const char *path,
                      const char *new_epoch,
                      GError **error);
};

/* A setting (board id, name, public key, epoch); NULL without an error when unset. */
char *
mamori_board_store_get_setting (MamoriBoardStore *self, const char *key, GError **error);
gboolean
mamori_board_store_set_setting (MamoriBoardStore *self,
                                const char *key,
                                const char *value,
                                GError **error);

/* A write transaction: everything until commit is kept together or not at all. */
gboolean
mamori_board_store_begin (MamoriBoardStore *self, GError **error);
gboolean
mamori_board_store_commit (MamoriBoardStore *self, GError **error);
void
mamori_board_store_rollback (MamoriBoardStore *self);

gboolean
mamori_board_store_add_school (
    MamoriBoardStore *self, const char *id, const char *name, gboolean joined, GError **error);
/* A school with its own vault whose history has arrived and been confirmed. */
gboolean
mamori_board_store_set_joined (MamoriBoardStore *self, const char *id, GError **error);
/* MamoriStoredSchool, in the order added. */
GPtrArray *
mamori_board_store_list_schools (MamoriBoardStore *self, GError **error);
/* One school; NULL without an error when there is none. */
MamoriStoredSchool *
mamori_board_store_find_school (MamoriBoardStore *self, const char *id, GError **error);

/* Keeps an event (within a transaction) as the next number: *@out_seq. */
gboolean
mamori_board_store_put_event (MamoriBoardStore *self,
                              const char *school,
                              const guint8 *id,
                              GBytes *payload,
                              const guint8 *sig,
                              gint64 *out_seq,
                              GError **error);
/* The number of the event @id, 0 when the store has none. */
gboolean
mamori_board_store_find_event (MamoriBoardStore *self,
                               const guint8 *id,
                               gint64 *out_seq,
                               GError **error);
/* MamoriStoredEvent of @school (NULL: of every school) with seq > @since, in order, at
 * most @limit (0: all). */
GPtrArray *
mamori_board_store_read_events (
    MamoriBoardStore *self, const char *school, gint64 since, guint limit, GError **error);
/* The highest number given so far to an event of @school (NULL: of any school), held
 * ones included (0 when none). */
gboolean
mamori_board_store_last_seq (MamoriBoardStore *self,
                             const char *school,
                             gint64 *out_seq,
                             GError **error);

/* Signatures checked after the push (docs/protocol.md, "Push"): an event held is stored
 * but not read by read_events(), nor is any later event of its school (for a read of
 * every school: any later event), until it is released as good.  One released as bad
 * stays held. */
gboolean
mamori_board_store_hold_event (MamoriBoardStore *self,
                               gint64 seq,
                               const char *school,
                               GError **error);
gboolean
mamori_board_store_release_event (MamoriBoardStore *self,
                                  gint64 seq,
                                  gboolean good,
                                  GError **error);
/* The events held and not found bad, in order (a server that stopped before it checked
 * them checks them when it starts). */
GPtrArray *
mamori_board_store_read_held (MamoriBoardStore *self, GError **error);
/* The events held and found bad, in order (`mamori-board drop-held`). */
GPtrArray *
mamori_board_store_read_bad (MamoriBoardStore *self, GError **error);
/* Every event of @school with seq > @since, in order, held ones too: what the board's
 * copy of the school's records folds (read_events() serves what may leave the board). */
GPtrArray *
mamori_board_store_read_school (MamoriBoardStore *self,
                                const char *school,
                                gint64 since,
                                GError **error);
/* Removes the events numbered @seqs, and their holds (within a transaction).  The
 * embedded store may give the numbers of the last ones again: the board takes a new
 * epoch with the drop, so that no client relies on the numbers it knew. */
gboolean
mamori_board_store_drop_events (MamoriBoardStore *self,
                                const gint64 *seqs,
                                guint n_seqs,
                                GError **error);

/* Enrollment codes, by the SHA-256 of their normal form; times in seconds (Unix).  A
 * join code (for a school with its own vault) has the staff id "". */
gboolean
mamori_board_store_put_code (MamoriBoardStore *self,
                             const guint8 *hash,
                             const char *school,
                             const char *staff,
                             gint64 expires_at,
                             GError **error);
gboolean
mamori_board_store_find_code (MamoriBoardStore *self,
                              const guint8 *hash,
                              gint64 now,
                              MamoriCodeState *out_state,
                              char **out_school,
                              char **out_staff,
                              GError **error);
gboolean
mamori_board_store_use_code (MamoriBoardStore *self,
                             const guint8 *hash,
                             gint64 now,
                             GError **error);

/* Signing keys and the school whose roster has them (for opening a session). */
gboolean
mamori_board_store_note_key (MamoriBoardStore *self,
                             const guint8 *key,
                             const char *school,
                             GError **error);
/* The school of @key; NULL without an error when unknown. */
char *
mamori_board_store_find_key (MamoriBoardStore *self, const guint8 *key, GError **error);

gboolean
mamori_board_store_stats (MamoriBoardStore *self, MamoriStoreStats *out, GError **error);

/* Group commit: from now on a commit is visible to readers at once but made durable
 * only by mamori_board_store_sync(), which makes every commit before it durable at
 * once.  Who defers must not let anything leave the process that relies on a commit
 * before it is durable (docs/board.md, "Group commit"). */
gboolean
mamori_board_store_defer_sync (MamoriBoardStore *self, GError **error);
/* Makes every commit so far durable.  Called from any thread, beside the others. */
gboolean
mamori_board_store_sync (MamoriBoardStore *self, GError **error);

/* A consistent copy of the store at @path, taken while it is in use, whose epoch is
 * @new_epoch (a board restored from it never answers with its clients' epoch). */
gboolean
mamori_board_store_backup (MamoriBoardStore *self,
                           const char *path,
                           const char *new_epoch,
                           GError **error);

G_END_DECLS
