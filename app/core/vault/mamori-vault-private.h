/* mamori-vault-private.h — what the files of MamoriVault share: the instance struct,
 * helpers, and the database schema (mamori-vault-schema.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

  /* Set while unlocked. */
  MamoriVfs *vfs;       /* owned */
  sqlite3 *db;          /* owned */
  MamoriSlotKeys *keys; /* owned, secure memory */
  char *user;           /* NULL when unlocked with the recovery code */
  MamoriRole role;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  char *school; /* from meta */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

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

/* Fills a new vault: meta (school, created_at), its first user and @policy_json. */
gboolean
_mamori_vault_schema_populate (
    MamoriVfs *vfs, sqlite3 *db, const char *school, const char *policy_json, GError **error);

/* Inserts or revives @user's row with this role and public key, and records the key in
 * the user's key history. */
gboolean
_mamori_vault_schema_put_user (MamoriVfs *vfs,
                               sqlite3 *db,
                               const char *user,
                               MamoriRole role,
                               const guint8 *public_key,
                               GError **error);

/* The user's row: FALSE without an error when there is none (or it was removed). */
gboolean
_mamori_vault_schema_get_user (MamoriVfs *vfs,
                               sqlite3 *db,
                               const char *user,
                               MamoriRole *out_role,
                               guint8 *out_public_key,
                               GError **error);

gboolean
_mamori_vault_schema_remove_user (MamoriVfs *vfs, sqlite3 *db, const char *user, GError **error);

G_END_DECLS
