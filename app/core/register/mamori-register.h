/* mamori-register.h — the school's asset register (情報資産台帳) as signed records
 *
 * Every change to the register is a signed event (docs/records.md, "The register"):
 *
 *   asset-added      an entry, with a new random id (or the id of a removed entry it
 *                    brings back: undoing a removal)
 *   asset-changed    the fields that changed, each with its old and new value, so that
 *                    history needs no diffing
 *   asset-removed    an entry leaves the register (its history stays)
 *   assets-imported  a batch of additions and changes from one file: one signature for
 *                    up to MAMORI_REGISTER_BATCH_MAX entries
 *
 * The fold keeps `register_entries` (current and removed entries) and
 * `register_history` (which events touched which entry).  It checks authority: the
 * principal, the vice-principal, the board (mamori_role_is_administrator()) and the
 * office staff change the register; teachers read it (MAMORI_RECORDS_ERROR_NOT_PERMITTED
 * otherwise).  It also keeps the register whole: one present entry per name, qualifier
 * and place, and no lowered level without a reason.  What depends on the policy (its
 * levels and categories, which level the template gives an asset, whether a take-out
 * rule is stricter) is checked here before signing (mamori_register_entry_check()): the
 * policy is not a record yet, and a fold that read it would make rebuilding the tables
 * depend on today's policy rather than the one in force when the event was signed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-event-log.h"
#include "mamori-register-entry.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

#define MAMORI_EVENT_ASSET_ADDED "asset-added"
#define MAMORI_EVENT_ASSET_CHANGED "asset-changed"
#define MAMORI_EVENT_ASSET_REMOVED "asset-removed"
#define MAMORI_EVENT_ASSETS_IMPORTED "assets-imported"

/* The most entries one assets-imported event carries, and the most bytes its payload
 * is estimated to take.  The bytes bound the batch well below MAMORI_EVENT_PAYLOAD_MAX:
 * libgcrypt copies the data it signs into its secure memory, a pool of 64 KiB
 * (mamori-crypto.c), and aborts the process when a payload does not fit. */
#define MAMORI_REGISTER_BATCH_MAX 500
#define MAMORI_REGISTER_BATCH_BYTES (48 * 1024)

/* The register's event types, NULL-terminated. */
extern const char *const mamori_register_event_types[];

extern const MamoriFoldModule mamori_register_fold_module;

#define MAMORI_REGISTER_ERROR (mamori_register_error_quark ())

typedef enum
{
  MAMORI_REGISTER_ERROR_INVALID,   /* the entry breaks a rule (the message says which) */
  MAMORI_REGISTER_ERROR_NOT_FOUND, /* no entry with that id */
  MAMORI_REGISTER_ERROR_BAD_FILE,  /* an import file with errors: nothing imported */
} MamoriRegisterError;

GQuark
mamori_register_error_quark (void);

/* Whether @role may change the register: what the fold checks, for front ends that
 * show editing controls only to those who may use them. */
gboolean
mamori_register_role_can_edit (MamoriRole role);
/* Whether the user who unlocked @vault may change the register. */
gboolean
mamori_register_can_edit (MamoriVault *vault);

/* A new entry id: 16 random bytes as hex. */
char *
mamori_register_new_id (void);

/* Event bodies (docs/records.md). */
JsonNode *
mamori_register_added_body (const MamoriRegisterEntry *entry);
/* Only the fields in which @before and @after differ; NULL when none does. */
JsonNode *
mamori_register_changed_body (const MamoriRegisterEntry *before, const MamoriRegisterEntry *after);
JsonNode *
mamori_register_removed_body (const MamoriRegisterEntry *entry);

/* The register's present entries, in the order they were added. */
GPtrArray *
mamori_register_list (MamoriDb *db, GError **error);
/* The entry with this id (also a removed one when @include_removed); NULL without an
 * error when there is none. */
MamoriRegisterEntry *
mamori_register_find (MamoriDb *db, const char *id, gboolean include_removed, GError **error);
gboolean
mamori_register_count (MamoriDb *db, gint64 *out_count, GError **error);

/* Checks @entry against @policy (mamori_register_entry_check(): the first problem is
 * MAMORI_REGISTER_ERROR_INVALID), gives it a new id and appends asset-added signed by
 * the unlocked user. */
gboolean
mamori_register_add (MamoriVault *vault,
                     MamoriPolicy *policy,
                     MamoriRegisterEntry *entry,
                     GError **error);
/* Appends asset-changed with what differs between the entry with @entry's id and
 * @entry; nothing (and TRUE) when nothing does.  MAMORI_REGISTER_ERROR_NOT_FOUND when
 * the register has no such entry. */
gboolean
mamori_register_change (MamoriVault *vault,
                        MamoriPolicy *policy,
                        MamoriRegisterEntry *entry,
                        GError **error);
gboolean
mamori_register_remove (MamoriVault *vault, const char *id, GError **error);
/* Brings back a removed entry as it was (asset-added with its id): undoing a removal. */
gboolean
mamori_register_restore (MamoriVault *vault, const char *id, GError **error);

G_END_DECLS
