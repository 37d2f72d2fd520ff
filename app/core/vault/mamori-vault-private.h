/* mamori-vault-private.h — what the files of MamoriVault share: the instance struct,
 * helpers, and the database schema (mamori-vault-schema.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-db.h"
#include "mamori-event.h"
#include "mamori-keyslots.h"
#include "mamori-vault.h"
#include "mamori-vfs.h"

G_BEGIN_DECLS

struct _MamoriVault
{
  GObject parent_instance;

  char *path;
  char *key_path;
  MamoriKeyFile *key_file; /* owned; as last read from or written to disk */
  int lock_fd;             /* the lock file (mamori-vault-lock.c), or -1 */

  /* Set while unlocked. */
  MamoriDb db;          /* handle and vfs owned */
  MamoriSlotKeys *keys; /* owned, secure memory; signing_seed is the signer's */
  char *user;           /* NULL when unlocked with the recovery code */
  MamoriRole role;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE]; /* the signer's: the user's or the recovery key's */
  char *school;                               /* from meta */
  char *school_id;                            /* from meta */
  gboolean enrolling; /* its records do not hold the user's key yet (mamori-vault-roster.c) */
};

/* MAMORI_VAULT_ERROR_LOCKED unless unlocked (by a user, for the second). */
gboolean
_mamori_vault_require_unlocked (MamoriVault *self, GError **error);
gboolean
_mamori_vault_require_user (MamoriVault *self, GError **error);
/* Sets MAMORI_VAULT_ERROR_NO_SUCH_USER and returns FALSE. */
gboolean
_mamori_vault_no_such_user (GError **error, const char *user);
/* Takes @vfs_error; returns FALSE. */
gboolean
_mamori_vault_propagate_vfs_error (GError **error, GError *vfs_error);
/* A vault object for @path, locked, its key file not yet read. */
MamoriVault *
_mamori_vault_new (const char *path);
/* Prepares the open database as the records use it (its cache, the schema this Mamori
 * writes). */
gboolean
_mamori_vault_prepare_database (MamoriVault *self, GError **error);
/* Closes the database and wipes the keys of an unlock (or a creation) that did not
 * finish. */
void
_mamori_vault_abandon_unlock (MamoriVault *self);
/* A new recovery key's slot, sealing @master_key, and the key's printable form in
 * @out_recovery_code (a MamoriSecret). */
MamoriKeySlot *
_mamori_vault_new_recovery_slot (const guint8 *master_key,
                                 char **out_recovery_code,
                                 GError **error);
/* Where a key rotation writes the new @path before renaming it into place. */
char *
_mamori_vault_rotating_path (const char *path);
/* Removes the database @path and its rollback journal, if present. */
void
_mamori_vault_remove_database (const char *path);
void
_mamori_vault_close_database (MamoriVault *self);
void
_mamori_vault_notify (MamoriVault *self, const char *property);

/* Sets @error for the failed SQLite call @rc: MAMORI_VAULT_ERROR_DAMAGED naming the page
 * when a page failed authentication or SQLite found the file corrupt, _IO otherwise.
 * Returns FALSE. */
gboolean
_mamori_vault_sqlite_error (MamoriVfs *vfs, sqlite3 *db, int rc, GError **error);
/* Runs @sql (one or more statements without results). */
gboolean
_mamori_vault_exec (MamoriVfs *vfs, sqlite3 *db, const char *sql, GError **error);
sqlite3_stmt *
_mamori_vault_prepare (MamoriVfs *vfs, sqlite3 *db, const char *sql, GError **error);

/* Brings the schema of @db up to MAMORI_VAULT_SCHEMA_VERSION, each migration in its own
 * transaction; MAMORI_VAULT_ERROR_TOO_NEW when the database is newer than this Mamori. */
gboolean
_mamori_vault_schema_migrate (MamoriVfs *vfs, sqlite3 *db, GError **error);

/* Fills a new vault's meta: school, created_at. */
gboolean
_mamori_vault_schema_populate (MamoriVfs *vfs, sqlite3 *db, const char *school, GError **error);

/* --- the lock file (mamori-vault-lock.c) ------------------------------------------ */

/* Every process that has the vault unlocked holds the lock file shared; replacing the
 * master key holds it exclusively.  Each waits a while for the other, then gives up
 * with MAMORI_VAULT_ERROR_BUSY. */
gboolean
_mamori_vault_lock_shared (MamoriVault *self, GError **error);
gboolean
_mamori_vault_lock_exclusive (MamoriVault *self, GError **error);
/* TRUE when the exclusive lock could be had at once (nobody else has the vault open). */
gboolean
_mamori_vault_try_lock_exclusive (MamoriVault *self);
void
_mamori_vault_unlock_file (MamoriVault *self);

/* --- events and the roster (mamori-vault-events.c, mamori-vault-roster.c) ---------- */

/* Signs an event of @type with @body (taken) as the unlocked signer and appends it, in
 * the transaction the caller has open (mamori-vault-events.c). */
MamoriEvent *
_mamori_vault_append (MamoriVault *self, const char *type, JsonNode *body, GError **error);
GPtrArray *
_mamori_vault_append_events (MamoriVault *self,
                             const MamoriEventDraft *drafts,
                             guint n,
                             GError **error);
/* Once the database is open: applies the roster events that slots wait on, builds the
 * roster of a vault made before it had one (as @slot's user, who must be an
 * administrator), and checks that @slot (a user's or the recovery slot) is the roster's. */
gboolean
_mamori_vault_trust_slot (MamoriVault *self, MamoriKeySlot *slot, GError **error);
/* Writes @key_file for the unlocked vault (MAC under its master key). */
gboolean
_mamori_vault_save_key_file (MamoriVault *self,
                             MamoriKeyFile *key_file,
                             const char *path,
                             GError **error);
/* A passphrase as slots are made with it (NFC), in secure memory. */
MamoriSecret *
_mamori_vault_normalize_passphrase (const char *passphrase);
/* Opens @slot with @passphrase: its NFC form, then, for slots made before passphrases
 * were normalised, the bytes as typed. */
gboolean
_mamori_vault_open_user_slot (const MamoriKeySlot *slot,
                              const char *passphrase,
                              MamoriSlotKeys *out_keys,
                              GError **error);

/* A change to the key file and the records together: @edit changes @key_file (a fresh,
 * checked copy) and appends events, in one write transaction; the key file is saved
 * before the transaction commits, and put back if the commit fails. */
typedef gboolean (*MamoriKeyFileEdit) (MamoriVault *self,
                                       MamoriKeyFile *key_file,
                                       gpointer data,
                                       GError **error);
gboolean
_mamori_vault_edit_key_file (MamoriVault *self,
                             MamoriKeyFileEdit edit,
                             gpointer data,
                             GError **error);
/* Makes each user slot of @key_file say what the roster says: the person's role, and no
 * slot for a person no longer on it (after events from other computers arrived). */
gboolean
_mamori_vault_follow_roster (MamoriVault *self, MamoriKeyFile *key_file, GError **error);

G_END_DECLS
