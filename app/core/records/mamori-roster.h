/* mamori-roster.h — the school's staff roster, as signed records
 *
 * Who may do what is a record, not a file.  The roster is the fold of these events:
 *
 *   school-created       the first event of a vault, by its first administrator: the
 *                        root of trust of the school's own records; names that person
 *                        and the recovery key (the board's recovery code)
 *   staff-added          an administrator adds a person with a role and their keys
 *   staff-role-changed   an administrator changes another person's role
 *   staff-removed        an administrator removes a person; their keys sign nothing more
 *   staff-keys-changed   a person's new keys after a passphrase change (signed by their
 *                        own current key) or a recovery (signed by the recovery key)
 *   recovery-changed     an administrator replaces the recovery key
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
  MamoriRosterKeys keys;
  gint64 added_seq;
  gint64 removed_seq; /* 0 while on the roster */
} MamoriStaff;

void
mamori_staff_free (MamoriStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriStaff, mamori_staff_free)

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
JsonNode *
mamori_roster_staff_added_body (const char *id,
                                const char *name,
                                MamoriRole role,
                                const MamoriRosterKeys *keys);
JsonNode *
mamori_roster_staff_role_changed_body (const char *id, MamoriRole role);
JsonNode *
mamori_roster_staff_removed_body (const char *id);
JsonNode *
mamori_roster_staff_keys_changed_body (const char *id, const MamoriRosterKeys *keys);
JsonNode *
mamori_roster_recovery_changed_body (const MamoriRosterKeys *keys);

/* Whether the school has been created (its roster has a root). */
gboolean
mamori_roster_exists (MamoriDb *db, gboolean *out_exists, GError **error);
/* The person on the roster with this name; NULL without an error when there is none. */
MamoriStaff *
mamori_roster_find_by_name (MamoriDb *db, const char *name, GError **error);
/* Anybody ever on the roster, by id; NULL without an error when unknown. */
MamoriStaff *
mamori_roster_find_by_id (MamoriDb *db, const char *id, GError **error);
/* The person on the roster whose current signing key this is; NULL without an error
 * when nobody's (a removed person's, a replaced key, an unknown key). */
MamoriStaff *
mamori_roster_find_signer (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error);
/* Everyone on the roster (and, with @include_removed, who was), in the order added. */
GPtrArray *
mamori_roster_list (MamoriDb *db, gboolean include_removed, GError **error);
/* The recovery key's public keys. */
gboolean
mamori_roster_get_recovery (MamoriDb *db, MamoriRosterKeys *out_keys, GError **error);
/* Who a key belongs or belonged to, for display: a name and role, "the recovery code",
 * or the key's first hex digits. */
char *
mamori_roster_describe_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE]);

/* For the folds of other records: the author of @event is on the roster and signs
 * with their current key (MAMORI_RECORDS_ERROR_NOT_PERMITTED otherwise). */
MamoriStaff *
mamori_roster_require_author (MamoriDb *db, const MamoriEvent *event, GError **error);

G_END_DECLS
