/* mamori-board.h — the board of education's copy of every school's records
 *
 * A MamoriBoard is a data directory opened: the store (mamori-board-store.h), the
 * board's Ed25519 key (in libgcrypt secure memory), and, for each school it has touched,
 * a copy of that school's records folded as every school computer folds them
 * (mamori-event-log.h with MAMORI_APPEND_AT_BOARD).  That copy is a cache, rebuilt from
 * the store when the board opens and brought up to date with what other processes
 * stored (an admin command beside `serve`) at the start of every write.  Every event the
 * board stores — pushed by a school's computer or signed here — has first been folded
 * into it, so the board refuses whatever a school's own computer would.
 *
 * The admin commands and the protocol's operations (docs/protocol.md) are methods here;
 * mamori-board-server.c puts HTTP in front of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-board-store.h"
#include "mamori-event.h"
#include "mamori-policy.h"
#include "mamori-roster.h"

G_BEGIN_DECLS

#define MAMORI_BOARD_ERROR (mamori_board_error_quark ())

typedef enum
{
  MAMORI_BOARD_ERROR_NOT_FOUND,          /* no such school, person or key */
  MAMORI_BOARD_ERROR_EXISTS,             /* the data directory holds a board already */
  MAMORI_BOARD_ERROR_BAD_REQUEST,        /* malformed input */
  MAMORI_BOARD_ERROR_CODE_UNKNOWN,       /* enrollment code */
  MAMORI_BOARD_ERROR_CODE_USED,          /* enrollment code */
  MAMORI_BOARD_ERROR_CODE_EXPIRED,       /* enrollment code */
  MAMORI_BOARD_ERROR_REVOKED,            /* the key was revoked, or its person removed */
  MAMORI_BOARD_ERROR_NOT_PERMITTED,      /* the records do not allow it */
  MAMORI_BOARD_ERROR_REFUSED,            /* a pushed event was refused (MamoriBoardRefusal) */
  MAMORI_BOARD_ERROR_NOT_JOINED,         /* a school with its own vault has not sent its history */
  MAMORI_BOARD_ERROR_HISTORY_INCOMPLETE, /* the board holds other chains than those named */
  MAMORI_BOARD_ERROR_LEVELS_UNMAPPED,    /* registers use levels a policy lacks, no mapping */
} MamoriBoardError;

GQuark
mamori_board_error_quark (void);

#define MAMORI_TYPE_BOARD (mamori_board_get_type ())
G_DECLARE_FINAL_TYPE (MamoriBoard, mamori_board, MAMORI, BOARD, GObject)

/* The default lifetime of an enrollment code. */
#define MAMORI_BOARD_CODE_DAYS 14
/* An enrollment code: 12 characters of Crockford's base32 (60 bits). */
#define MAMORI_BOARD_CODE_LEN 12

/* Makes a new board in @dir (created if missing; refused when it holds one). */
MamoriBoard *
mamori_board_create (const char *dir, const char *name, GError **error);
MamoriBoard *
mamori_board_open (const char *dir, GError **error);

const char *
mamori_board_get_id (MamoriBoard *self);
const char *
mamori_board_get_name (MamoriBoard *self);
/* The store's epoch, read again each time (a restored copy has another). */
char *
mamori_board_get_epoch (MamoriBoard *self, GError **error);
const guint8 *
mamori_board_get_public_key (MamoriBoard *self);
MamoriBoardStore *
mamori_board_get_store (MamoriBoard *self);

/* --- admin ----------------------------------------------------------------------------- */

/* A new school, created by the board (its school-created); its id. */
char *
mamori_board_add_school (MamoriBoard *self, const char *name, GError **error);
/* A school that kept its own vault, under its own id: nothing is signed for it until its
 * history arrived (docs/protocol.md, "Joining with an existing vault").  *@out_code is a
 * join code for one of its administrators, valid for @valid_days. */
gboolean
mamori_board_add_joining_school (MamoriBoard *self,
                                 const char *id,
                                 const char *name,
                                 guint valid_days,
                                 char **out_code,
                                 GError **error);
/* The board signs staff-added for a new person without keys, and keeps the SHA-256 of a
 * new one-time code, valid for @valid_days: *@out_code in display form (XXXX-XXXX-XXXX). */
gboolean
mamori_board_add_staff (MamoriBoard *self,
                        const char *school,
                        const char *name,
                        MamoriRole role,
                        guint valid_days,
                        char **out_staff,
                        char **out_code,
                        GError **error);
gboolean
mamori_board_remove_staff (MamoriBoard *self,
                           const char *school,
                           const char *staff,
                           GError **error);
gboolean
mamori_board_revoke_device (MamoriBoard *self,
                            const char *school,
                            const guint8 key[MAMORI_SIGNING_KEY_SIZE],
                            GError **error);
/* A school whose register uses levels that a policy to publish lacks. */
typedef struct
{
  char *school; /* its id */
  char *name;
  GStrv levels; /* the levels lacking, in order */
} MamoriBoardUnmapped;

void
mamori_board_unmapped_free (MamoriBoardUnmapped *unmapped);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardUnmapped, mamori_board_unmapped_free)

/* Signs policy-installed in every school that has joined (and in each school added
 * later), and with @map_spec ("A=I,B=II,…", nullable) the asset-changed events moving
 * each school's register to the new levels, all in one transaction: in how many schools,
 * *@out_schools, how many entries moved, *@out_relevelled.  Without a mapping, refused
 * (MAMORI_BOARD_ERROR_LEVELS_UNMAPPED, the message naming schools and levels) when a
 * register uses a level the policy lacks; then *@out_unmapped (nullable) is set to
 * those schools (MamoriBoardUnmapped), otherwise to NULL. */
gboolean
mamori_board_publish_policy (MamoriBoard *self,
                             MamoriPolicy *policy,
                             const char *map_spec,
                             guint *out_schools,
                             guint *out_relevelled,
                             GPtrArray **out_unmapped,
                             GError **error);

typedef struct
{
  MamoriStoreStats store;
  char *epoch;
} MamoriBoardStats;

gboolean
mamori_board_stats (MamoriBoard *self, MamoriBoardStats *out, GError **error);
gboolean
mamori_board_backup (MamoriBoard *self, const char *path, GError **error);

/* Why `drop-held` drops an event. */
typedef enum
{
  MAMORI_BOARD_DROP_BAD_SIGNATURE, /* held: its own signature is not its author's */
  MAMORI_BOARD_DROP_CHAIN,         /* a later event of a dropped one's author: it names it */
  MAMORI_BOARD_DROP_REFUSED,       /* the school's records refuse it without those dropped */
} MamoriBoardDropReason;

typedef struct
{
  gint64 seq;
  char *school;
  char *school_name;
  char *type;
  char *author; /* the signing key, hex */
  gint64 author_seq;
  MamoriBoardDropReason reason;
} MamoriBoardDropped;

void
mamori_board_dropped_free (MamoriBoardDropped *dropped);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardDropped, mamori_board_dropped_free)

/* Drops the events held for a bad signature and what cannot stand without them, in one
 * transaction, and takes a new epoch (*@out_epoch, nullable): MamoriBoardDropped in the
 * board's order, empty when none is held bad.  With @dry_run only says which. */
GPtrArray *
mamori_board_drop_held (MamoriBoard *self, gboolean dry_run, char **out_epoch, GError **error);

/* --- the protocol ------------------------------------------------------------------------ */

/* The normal form of a code as typed (upper case, no hyphens, I and L read as 1, O as
 * 0); NULL when it cannot be a code. */
char *
mamori_board_normalize_code (const char *typed);

typedef struct
{
  char *school;
  char *school_name;
  char *staff;
  char *staff_name;
  MamoriRole role;
  MamoriEvent *device_added; /* NULL for a peek and a join code */
  gboolean history;          /* a join code: staff is NULL */
} MamoriBoardEnrollment;

void
mamori_board_enrollment_free (MamoriBoardEnrollment *enrollment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardEnrollment, mamori_board_enrollment_free)

/* Enrolls a device with a one-time code (normal form): the board signs device-added and
 * marks the code used, in one transaction.  @proof is the device's signature over
 * "mamori-enroll-v1:" and the code.  With @keys NULL, only says whom the code is for.
 * @history says the device sends its school's history: the code must be a join code
 * (which is used only when the school joins), and only then. */
MamoriBoardEnrollment *
mamori_board_enroll (MamoriBoard *self,
                     const char *code,
                     const MamoriRosterKeys *keys,
                     const char *label,
                     const guint8 *proof,
                     gboolean history,
                     GError **error);

/* The school's history has arrived: when the board holds exactly the chains @heads
 * (MamoriChainHead) names, signs school-joined confirming them and uses the join @code;
 * MAMORI_BOARD_ERROR_HISTORY_INCOMPLETE otherwise. */
MamoriEvent *
mamori_board_join (
    MamoriBoard *self, const char *school, const char *code, GArray *heads, GError **error);

/* Who holds @key now: their school and roster entry; MAMORI_BOARD_ERROR_REVOKED when the
 * key was retired or its holder removed, _NOT_FOUND when the board never saw it. */
gboolean
mamori_board_find_device (MamoriBoard *self,
                          const guint8 key[MAMORI_SIGNING_KEY_SIZE],
                          char **out_school,
                          MamoriStaff **out_staff,
                          GError **error);

/* An event as pushed: the payload's bytes and the signature. */
typedef struct
{
  GBytes *payload;
  guint8 sig[MAMORI_SIGNATURE_SIZE];
} MamoriPushedEvent;

typedef struct
{
  guint index;
  guint8 id[MAMORI_EVENT_ID_SIZE];
  gboolean has_id;
  const char *reason; /* the protocol's word: "bad-signature", "fork", … */
  char *message;
} MamoriBoardRefusal;

void
mamori_board_refusal_clear (MamoriBoardRefusal *refusal);

typedef struct
{
  guint8 id[MAMORI_EVENT_ID_SIZE];
  gint64 seq;
  gboolean duplicate;
} MamoriPushResult;

/* Checks, in the background, the signatures of the events held by a server that stopped
 * before it had checked them (the `serve` command calls it when it starts).  The
 * ::checked signal says when some were released. */
gboolean
mamori_board_check_held (MamoriBoard *self, GError **error);

/* Checks and stores @events (MamoriPushedEvent) for a member of @school, in one
 * transaction: fills @results (MamoriPushResult) and returns TRUE, or FALSE with
 * MAMORI_BOARD_ERROR_REFUSED and @out_refusal, storing nothing.  @history: the school's
 * own history, before it joined (MAMORI_BOARD_ERROR_NOT_JOINED for anything else then). */
gboolean
mamori_board_push (MamoriBoard *self,
                   const char *school,
                   gboolean history,
                   GPtrArray *events,
                   GArray *results,
                   MamoriBoardRefusal *out_refusal,
                   GError **error);

/* What a member of @school (NULL: the board role) may see after @since, at most
 * @limit: MamoriStoredEvent; *@out_next and *@out_more as in docs/protocol.md. */
GPtrArray *
mamori_board_pull (MamoriBoard *self,
                   const char *school,
                   gint64 since,
                   guint limit,
                   gint64 *out_next,
                   gboolean *out_more,
                   GError **error);

/* The board's view of its schools: an array of {id, name, joined, staff, devices,
 * events, last_event_at, takeout: {pending, overdue, declined}, lowered: [{entry, name,
 * qualifier, level, template_level, reason, by, at}]} (docs/protocol.md); overdue as
 * of the board's clock. */
JsonNode *
mamori_board_schools_view (MamoriBoard *self, GError **error);

/* The highest number the store has given, for noticing what others stored. */
gboolean
mamori_board_last_seq (MamoriBoard *self, gint64 *out_seq, GError **error);
/* Group commit (mamori_board_store_defer_sync()): commits are made durable by
 * mamori_board_sync(), all those before it at once; it may run on another thread. */
gboolean
mamori_board_defer_sync (MamoriBoard *self, GError **error);
gboolean
mamori_board_sync (MamoriBoard *self, GError **error);

/* The same for one school's events (held ones too): while it stays the same, so does
 * everything the school's records say, its roster among them (by whichever process the
 * events were stored). */
gboolean
mamori_board_school_last_seq (MamoriBoard *self,
                              const char *school,
                              gint64 *out_seq,
                              GError **error);

G_END_DECLS
