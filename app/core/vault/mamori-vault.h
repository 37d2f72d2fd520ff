/* mamori-vault.h — the school's encrypted database, its users and their keys
 *
 * A vault is two files: the database ("school.mamori"), encrypted page by page with the
 * master key (mamori-vfs.h), and its key slots beside it ("school.mamori-keys",
 * mamori-keyslots.h).  Opening reads the slots only; unlocking as a user turns that
 * user's passphrase into the master key and their signing key, both kept in libgcrypt's
 * secure memory until mamori_vault_lock() wipes them.
 *
 * Passphrases and recovery codes are NUL-terminated UTF-8, ideally in secure memory
 * (mamori_secure_strdup()); the vault copies none of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "mamori-db.h"
#include "mamori-event.h"
#include "mamori-keyslots.h"
#include "mamori-policy-types.h"
#include "mamori-policy.h"
#include "mamori-signing.h"
#include "mamori-vault-error.h"

G_BEGIN_DECLS

/* The schema this Mamori writes; a vault with a higher PRAGMA user_version is refused
 * with MAMORI_VAULT_ERROR_TOO_NEW. */
#define MAMORI_VAULT_SCHEMA_VERSION 7

#define MAMORI_TYPE_VAULT (mamori_vault_get_type ())
G_DECLARE_FINAL_TYPE (MamoriVault, mamori_vault, MAMORI, VAULT, GObject)

/* The key-slot file of the database at @path: "@path-keys". */
char *
mamori_vault_get_key_file_path (const char *path);

/* Hands a new recovery code over to be shown, printed or written out, once: only when
 * it returns TRUE is the code committed (see mamori_vault_create() and
 * mamori_vault_replace_recovery_code()).  @recovery_code is secure memory that is wiped
 * after the call: copy it (mamori_secure_strdup()) to keep it. */
typedef gboolean (*MamoriRecoveryCodeSink) (const char *recovery_code,
                                            gpointer user_data,
                                            GError **error);

/* Creates the database and its key slots for @school with @user, an administrator, as
 * its first user and the root of its staff roster (the school-created event), stores the
 * default policy preset, hands the recovery code to @sink, and returns the vault
 * unlocked as @user.  Names are normalised (mamori-text.h): an invalid one is
 * MAMORI_TEXT_ERROR_INVALID.  MAMORI_VAULT_ERROR_EXISTS if either file exists; if @sink
 * fails, the vault is removed again. */
MamoriVault *
mamori_vault_create (const char *path,
                     const char *school,
                     const char *user,
                     MamoriRole role,
                     const char *passphrase,
                     MamoriRecoveryCodeSink sink,
                     gpointer sink_data,
                     GError **error);

/* Creates the vault of a person who enrolls with the board of education on this computer
 * (mamori-sync-join.h): their key slot under @passphrase (the slot's role @role is what
 * the board said; their authority comes with the board's records), the school's name and
 * id as the board gave them, no recovery slot and no records yet.  Returns it unlocked as
 * @user, "enrolling" (mamori_vault_is_enrolling()) until the records bring the person's
 * key. */
MamoriVault *
mamori_vault_create_enrolled (const char *path,
                              const char *school,
                              const char *school_id,
                              const char *user,
                              MamoriRole role,
                              const char *passphrase,
                              GError **error);

/* Whether the unlocked vault was made by enrolling and its records do not hold the user's
 * key yet: it has no authority until sync brings them. */
gboolean
mamori_vault_is_enrolling (MamoriVault *self);

/* Reads the key slots (no passphrase, nothing decrypted).  Finishes a key rotation that
 * a crash interrupted. */
MamoriVault *
mamori_vault_open (const char *path, GError **error);

const char *
mamori_vault_get_path (MamoriVault *self);
/* The school's name: from the key file while locked, from the database once unlocked. */
const char *
mamori_vault_get_school (MamoriVault *self);
/* The users who have a key slot, in the order they were added: what the unlock screen
 * offers (from the key file: the roster is inside the encrypted database). */
GStrv
mamori_vault_list_users (MamoriVault *self);
/* The role the key file shows for @user, for the unlock screen; the roster decides. */
gboolean
mamori_vault_lookup_role (MamoriVault *self, const char *user, MamoriRole *out_role);
/* The key slots as last read (for display: KDF parameters, roles). */
const MamoriKeyFile *
mamori_vault_get_key_file (MamoriVault *self);

/* MAMORI_VAULT_ERROR_WRONG_PASSPHRASE (nothing changed on disk), _NO_SUCH_USER,
 * _DAMAGED (naming the page, or saying how the key file or the records were altered:
 * a slot that is not the roster's opens nothing), _TOO_NEW, _BUSY, _NOT_ALLOWED (a
 * vault made before the roster, opened first by someone who is not an administrator).
 * The passphrase is taken in NFC.  Unlocking an unlocked vault locks it first. */
gboolean
mamori_vault_unlock (MamoriVault *self, const char *user, const char *passphrase, GError **error);
/* Unlocks with the board's recovery code, as no user: the vault can then be read,
 * verified and rotated, and a person's keys replaced (mamori_vault_recover()); the
 * recovery key signs nothing else. */
gboolean
mamori_vault_unlock_with_recovery (MamoriVault *self, const char *recovery_code, GError **error);
/* The recovery code gives @user a new passphrase (and, since the old signing key was
 * wrapped by the forgotten passphrase, a new signing key); the vault ends up unlocked
 * as @user. */
gboolean
mamori_vault_recover (MamoriVault *self,
                      const char *recovery_code,
                      const char *user,
                      const char *new_passphrase,
                      GError **error);
/* Closes the database and wipes every key from memory.  Notifies "locked". */
void
mamori_vault_lock (MamoriVault *self);
gboolean
mamori_vault_is_unlocked (MamoriVault *self);

/* The unlocked user and role; NULL / FALSE when locked or unlocked by recovery. */
const char *
mamori_vault_get_user (MamoriVault *self);
gboolean
mamori_vault_get_role (MamoriVault *self, MamoriRole *out_role);

/* These need an unlocked vault (MAMORI_VAULT_ERROR_LOCKED otherwise).  Changes to the
 * staff are signed roster events (records/mamori-roster.h): the roster's rules refuse
 * with MAMORI_RECORDS_ERROR_NOT_PERMITTED (a teacher adding staff, a vice-principal
 * adding a principal, removing the last administrator, …) or _CONFLICT (a name in use). */
gboolean
mamori_vault_add_user (MamoriVault *self,
                       const char *new_user,
                       MamoriRole role,
                       const char *new_passphrase,
                       GError **error);
/* An administrator who removes themselves (another administrator remaining) finds the
 * vault locked afterwards. */
gboolean
mamori_vault_remove_user (MamoriVault *self, const char *user, GError **error);
gboolean
mamori_vault_set_role (MamoriVault *self, const char *user, MamoriRole role, GError **error);
/* The unlocked user's passphrase; @old_passphrase is asked again so that an unattended
 * unlocked screen is not enough.  The slot gets new keys (staff-keys-changed), so an old
 * copy of the key file with the old passphrase opens nothing once the master key has
 * been replaced. */
gboolean
mamori_vault_change_passphrase (MamoriVault *self,
                                const char *old_passphrase,
                                const char *new_passphrase,
                                GError **error);
/* Whether a user who administers the vault unlocked it (mamori_role_is_administrator():
 * the principal, the vice-principal or the board of education): the one who may
 * install the policy and replace the recovery code.  Not the recovery code itself. */
gboolean
mamori_vault_unlocked_by_administrator (MamoriVault *self);
/* A new recovery code replaces the old one (recovery-changed): it is handed to @sink,
 * and only if @sink returns TRUE is the new recovery slot written; otherwise the old code
 * keeps working.  MAMORI_VAULT_ERROR_LOCKED when locked, _NOT_ALLOWED unless
 * mamori_vault_unlocked_by_administrator() (a replacement is made by a named person). */
gboolean
mamori_vault_replace_recovery_code (MamoriVault *self,
                                    MamoriRecoveryCodeSink sink,
                                    gpointer sink_data,
                                    GError **error);
/* A new master key (and database id): VACUUM INTO a new file, sealed to the slots of the
 * staff roster only (a slot it does not hold is dropped), then both files are renamed
 * into place, keeping their permissions.  MAMORI_VAULT_ERROR_BUSY while another program
 * has the vault open; _NOT_ALLOWED for a user who is not an administrator (the recovery
 * code may). */
gboolean
mamori_vault_rotate_key (MamoriVault *self, GError **error);
/* Decrypts every page, runs PRAGMA integrity_check and checks every event's signature. */
gboolean
mamori_vault_verify (MamoriVault *self, GError **error);

/* The open database connection (owned by the vault, valid until lock). */
sqlite3 *
mamori_vault_get_db (MamoriVault *self);
/* The same, with its VFS, for the records (NULL when locked). */
MamoriDb *
mamori_vault_get_store (MamoriVault *self);
/* The school's id in its events (NULL when locked). */
const char *
mamori_vault_get_school_id (MamoriVault *self);

/* Signs an event of @type with @body (taken) as the unlocked user and appends it to the
 * records (mamori-event-log.h), folding it into the tables it changes, in one
 * transaction (within the caller's, if one is open).  Returns the event. */
MamoriEvent *
mamori_vault_append_event (MamoriVault *self, const char *type, JsonNode *body, GError **error);

typedef struct
{
  const char *type;
  JsonNode *body; /* taken */
} MamoriEventDraft;

/* The same for @n events, in order, in one transaction: all are appended or none.  The
 * signatures are made on every core.  Returns the events (MamoriEvent). */
GPtrArray *
mamori_vault_append_events (MamoriVault *self,
                            const MamoriEventDraft *drafts,
                            guint n,
                            GError **error);

/* The unlocked user's signing key, unwrapped again from their key slot with their
 * passphrase asked again: what a decision is signed with (approving, declining,
 * confirming a return, a blanket grant: mamori-takeout.h), so that it is the passphrase
 * that authorises it, as a bank asks before a transfer, and not an unattended unlocked
 * screen.  The seed is in secure memory, wiped when the signer is freed. */
typedef struct _MamoriVaultSigner MamoriVaultSigner;

/* Runs the key derivation (about a second: not on a main loop's thread).
 * MAMORI_VAULT_ERROR_WRONG_PASSPHRASE when @passphrase (NUL-terminated, ideally secure
 * memory; never kept) does not open the unlocked user's slot; _LOCKED when no user has
 * unlocked; _NOT_ALLOWED when the user's keys were replaced since the unlock. */
MamoriVaultSigner *
mamori_vault_confirm_passphrase (MamoriVault *self, const char *passphrase, GError **error);
void
mamori_vault_signer_free (MamoriVaultSigner *signer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriVaultSigner, mamori_vault_signer_free)

/* As mamori_vault_append_events(), signed with @signer's key, which must be the unlocked
 * user's (MAMORI_VAULT_ERROR_NOT_ALLOWED otherwise).  No key derivation. */
GPtrArray *
mamori_vault_append_events_as (MamoriVault *self,
                               MamoriVaultSigner *signer,
                               const MamoriEventDraft *drafts,
                               guint n,
                               GError **error);

/* The staff roster (MamoriStaff, records/mamori-roster.h), in the order added. */
GPtrArray *
mamori_vault_list_staff (MamoriVault *self, gboolean include_removed, GError **error);
/* The roster's events (MamoriEvent), oldest first; each was checked when appended and
 * the chains when the vault was unlocked. */
GPtrArray *
mamori_vault_list_roster_events (MamoriVault *self, GError **error);
/* PRAGMA user_version of the unlocked database. */
int
mamori_vault_get_schema_version (MamoriVault *self);
/* From the meta table: school, created_at. */
char *
mamori_vault_get_meta (MamoriVault *self, const char *key);

/* The policy the school uses, as stored in the vault. */
MamoriPolicy *
mamori_vault_load_policy (MamoriVault *self, GError **error);
/* Which policy mamori_vault_load_policy() gives: a number that grows with every policy
 * installed, by this computer or by sync (0 before the first). */
gboolean
mamori_vault_get_policy_serial (MamoriVault *self, gint64 *out_serial, GError **error);
/* Installs @policy as the school's policy (a signed policy-installed event; the previous
 * ones stay as history).  MAMORI_VAULT_ERROR_NOT_ALLOWED unless
 * mamori_vault_unlocked_by_administrator().  This does not look at the register: to
 * change schemes, mamori_policy_install() (mamori-policy-install.h) moves its entries. */
gboolean
mamori_vault_store_policy (MamoriVault *self, MamoriPolicy *policy, GError **error);

/* Ed25519 signature by the unlocked user over exactly @data. */
gboolean
mamori_vault_sign (MamoriVault *self,
                   const guint8 *data,
                   gsize length,
                   guint8 out_signature[MAMORI_SIGNATURE_SIZE],
                   GError **error);
/* The unlocked user's public key (32 bytes), NULL when no user is unlocked. */
const guint8 *
mamori_vault_get_public_key (MamoriVault *self);

G_END_DECLS
