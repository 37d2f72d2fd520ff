/* mamori-roster.h — the school's staff roster, as signed records
 *
 * Who may do what is a record, not a file.  The roster is the fold of these events:
 *
 *   school-created       the school's first event: by its first administrator (the root
 *                        of trust of the school's own records; names that person and the
 *                        recovery key), or by the board that created the school
 *   school-joined        the board confirms the history of a school that joins it
 *   staff-added          an administrator adds a person with a role (and their keys,
 *                        or none yet: the board adds people before their first device)
 *   staff-role-changed   an administrator changes another person's role
 *   staff-removed        an administrator removes a person; their keys sign nothing more
 *   staff-keys-changed   a person's new keys after a passphrase change (signed by the key
 *                        they replace) or a recovery (signed by the recovery key)
 *   device-added         an administrator gives a person a further key pair (a vault on
 *                        another computer)
 *   device-revoked       an administrator retires one of someone's keys
 *   recovery-changed     an administrator replaces the recovery key
 *
 * Once the school joined a board (mamori_roster_pin_board() and the board's first event),
 * the board's key is an administrator there: a person on the roster with the role
 * `board`, whose id is MAMORI_ROSTER_BOARD_ID.
 *
 * Administrators are the principal, the vice-principal and the board of education: only
 * they sign the events that add, remove or change people; nobody changes their own role
 * (so nobody raises it); the last administrator cannot be removed or demoted.  Every
 * change names who signed it, so an account an administrator adds is theirs to answer
 * for (the vice-principal who sets up the school's PCs adds the principal).  A person's keys are
 * their slot's X25519 public key (which the vault's master key is sealed to) and their Ed25519
 * signing key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-policy-types.h"

G_BEGIN_DECLS

#define MAMORI_EVENT_SCHOOL_CREATED "school-created"
#define MAMORI_EVENT_STAFF_ADDED "staff-added"
#define MAMORI_EVENT_STAFF_ROLE_CHANGED "staff-role-changed"
#define MAMORI_EVENT_STAFF_REMOVED "staff-removed"
#define MAMORI_EVENT_STAFF_KEYS_CHANGED "staff-keys-changed"
#define MAMORI_EVENT_RECOVERY_CHANGED "recovery-changed"
#define MAMORI_EVENT_SCHOOL_JOINED "school-joined"
#define MAMORI_EVENT_DEVICE_ADDED "device-added"
#define MAMORI_EVENT_DEVICE_REVOKED "device-revoked"

/* The staff id the board's key signs as. */
#define MAMORI_ROSTER_BOARD_ID "board"

/* The roster's event types, NULL-terminated. */
extern const char *const mamori_roster_event_types[];

extern const MamoriFoldModule mamori_roster_fold_module;

/* The public keys of a key slot. */
typedef struct
{
  guint8 slot_key[MAMORI_KEY_SIZE];
  guint8 signing_key[MAMORI_SIGNING_KEY_SIZE];
} MamoriRosterKeys;

typedef struct
{
  char *id;
  char *name;
  MamoriRole role;
  gint64 added_seq;
  gint64 removed_seq; /* 0 while on the roster */
} MamoriStaff;

void
mamori_staff_free (MamoriStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriStaff, mamori_staff_free)

/* A signing key someone holds or held, with the slot key that goes with it. */
typedef struct
{
  MamoriRosterKeys keys;
  gboolean has_slot_key; /* the board's key has none */
  char *holder;          /* a staff id, "recovery", or MAMORI_ROSTER_BOARD_ID */
  char *label;           /* the computer, as enrollment named it; NULL when not said */
  gint64 added_seq;
  gint64 retired_seq; /* 0 while in use */
} MamoriRosterKey;

void
mamori_roster_key_free (MamoriRosterKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriRosterKey, mamori_roster_key_free)

/* The board a school joined, as pinned. */
typedef struct
{
  char *id; /* 32 hex */
  guint8 signing_key[MAMORI_SIGNING_KEY_SIZE];
  char *name;
  gint64 joined_seq; /* the board's first event in the school; 0 before */
} MamoriBoardPin;

void
mamori_board_pin_free (MamoriBoardPin *pin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardPin, mamori_board_pin_free)

/* A new staff id: 16 random bytes in hex. */
char *
mamori_roster_new_staff_id (void);

/* Event bodies. */
JsonNode *
mamori_roster_school_created_body (const char *school_name,
                                   const char *founder_id,
                                   const char *founder_name,
                                   MamoriRole founder_role,
                                   const MamoriRosterKeys *founder,
                                   const MamoriRosterKeys *recovery);
/* The first event of a school the board creates. */
JsonNode *
mamori_roster_school_created_by_board_body (const char *school_name,
                                            const char *board_id,
                                            const guint8 board_key[MAMORI_SIGNING_KEY_SIZE]);
/* The board confirms a joining school's history: @heads (MamoriChainHead) are the last
 * events of every chain in the school. */
JsonNode *
mamori_roster_school_joined_body (const char *board_id,
                                  const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                                  GArray *heads);
/* @keys NULL: a person without keys yet (the board adds them before they enroll). */
JsonNode *
mamori_roster_staff_added_body (const char *id,
                                const char *name,
                                MamoriRole role,
                                const MamoriRosterKeys *keys);
JsonNode *
mamori_roster_device_added_body (const char *id, const MamoriRosterKeys *keys, const char *label);
JsonNode *
mamori_roster_device_revoked_body (const guint8 signing_key[MAMORI_SIGNING_KEY_SIZE]);
JsonNode *
mamori_roster_staff_role_changed_body (const char *id, MamoriRole role);
JsonNode *
mamori_roster_staff_removed_body (const char *id);
/* @replaces (nullable): the key the new ones take the place of, when the recovery key
 * signs (the person's own key replaces itself). */
JsonNode *
mamori_roster_staff_keys_changed_body (const char *id,
                                       const MamoriRosterKeys *keys,
                                       const guint8 *replaces);
JsonNode *
mamori_roster_recovery_changed_body (const MamoriRosterKeys *keys);

/* Pins the board the school joins: its id, key and name.  Refused
 * (MAMORI_RECORDS_ERROR_CONFLICT) when another board is pinned. */
gboolean
mamori_roster_pin_board (MamoriDb *db,
                         const char *board_id,
                         const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                         const char *name,
                         GError **error);
/* The pinned board; NULL without an error when the school has none. */
MamoriBoardPin *
mamori_roster_get_board (MamoriDb *db, GError **error);

/* Whether the school has been created (its roster has a root). */
gboolean
mamori_roster_exists (MamoriDb *db, gboolean *out_exists, GError **error);
/* The person on the roster with this name; NULL without an error when there is none. */
MamoriStaff *
mamori_roster_find_by_name (MamoriDb *db, const char *name, GError **error);
/* Anybody ever on the roster, by id; NULL without an error when unknown. */
MamoriStaff *
mamori_roster_find_by_id (MamoriDb *db, const char *id, GError **error);
/* The person on the roster whose current signing key this is (the board, for the pinned
 * board's key once it is in the school); NULL without an error when nobody's (a removed
 * person's, a replaced or revoked key, an unknown key). */
MamoriStaff *
mamori_roster_find_signer (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error);
/* A signing key anyone ever held; NULL without an error when unknown. */
MamoriRosterKey *
mamori_roster_find_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error);
/* The keys a person holds (and, with @include_retired, held), in the order added. */
GPtrArray *
mamori_roster_list_keys (MamoriDb *db,
                         const char *staff_id,
                         gboolean include_retired,
                         GError **error);
/* Everyone on the roster (and, with @include_removed, who was), in the order added. */
GPtrArray *
mamori_roster_list (MamoriDb *db, gboolean include_removed, GError **error);
/* The recovery key's public keys; *@out_found FALSE for a school the board created (it
 * has none). */
gboolean
mamori_roster_get_recovery (MamoriDb *db,
                            MamoriRosterKeys *out_keys,
                            gboolean *out_found,
                            GError **error);
/* Who a key belongs or belonged to, for display: a name and role, "the recovery code",
 * or the key's first hex digits. */
char *
mamori_roster_describe_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE]);

/* For the folds of other records: the author of @event is on the roster and signs
 * with their current key (MAMORI_RECORDS_ERROR_NOT_PERMITTED otherwise). */
MamoriStaff *
mamori_roster_require_author (MamoriDb *db, const MamoriEvent *event, GError **error);

G_END_DECLS
