/* mamori-vfs.h — page encryption of the vault's SQLite database
 *
 * A VFS shim over the system's SQLite: every 4096-byte page of the database file and
 * every page image in its rollback journal is sealed with AES-256-OCB under the master
 * key, with the database id and the page number as associated data.  A hot journal is
 * rolled back only if it is the database's own.  The formats are described in
 * docs/architecture.md ("Vault: page encryption").
 *
 * libgcrypt must be initialised (mamori_crypto_init()) before mamori_vfs_new().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define MAMORI_VFS_PAGE_SIZE 4096
#define MAMORI_VFS_RESERVE 32 /* nonce (12) ‖ tag (16) ‖ spare (4) */
#define MAMORI_VFS_DB_ID_LEN 16
#define MAMORI_VFS_KEY_LEN 32
/* How long mamori_vfs_open_db()'s connections wait for another connection's lock. */
#define MAMORI_VFS_BUSY_TIMEOUT_MS 5000

#define MAMORI_VFS_ERROR (mamori_vfs_error_quark ())

typedef enum
{
  MAMORI_VFS_ERROR_NOT_A_DATABASE, /* page 1 failed: not a Mamori database, or the wrong key */
  MAMORI_VFS_ERROR_DAMAGED,        /* another page failed; the message names it */
  MAMORI_VFS_ERROR_IO,
  MAMORI_VFS_ERROR_REFUSED, /* a database this shim cannot keep encrypted */
} MamoriVfsError;

typedef struct _MamoriVfs MamoriVfs;

typedef enum
{
  MAMORI_VFS_FAILURE_NONE,
  MAMORI_VFS_FAILURE_NOT_A_DATABASE,  /* page 1 tag failed: not a Mamori db or wrong key */
  MAMORI_VFS_FAILURE_DAMAGED,         /* another page of the database failed */
  MAMORI_VFS_FAILURE_JOURNAL_DAMAGED, /* a page image in the rollback journal failed */
  MAMORI_VFS_FAILURE_FOREIGN_JOURNAL, /* a hot journal that is not the database's own */
} MamoriVfsFailure;

GQuark
mamori_vfs_error_quark (void);

/* Registers (makeDflt=0) a new uniquely-named sqlite3_vfs that encrypts main-database
 * and rollback-journal pages with @master_key (copied into libgcrypt secure memory)
 * for the database whose 16-byte id is @db_id.  @base_vfs: the name of the VFS
 * underneath, NULL for the default one. */
MamoriVfs *
mamori_vfs_new (const guint8 *master_key,
                const guint8 *db_id,
                const char *base_vfs,
                GError **error);
/* Pass it as the zVfs of sqlite3_open_v2(), or as "vfs=" in a URI. */
const char *
mamori_vfs_get_name (MamoriVfs *vfs);
/* The last authentication failure seen by this VFS (on any of its connections) and
 * its 1-based page number (0 for a foreign journal). */
MamoriVfsFailure
mamori_vfs_get_last_failure (MamoriVfs *vfs, guint32 *out_page);
void
mamori_vfs_clear_failure (MamoriVfs *vfs);
/* Unregisters the VFS and wipes the key; every connection must be closed. */
void
mamori_vfs_free (MamoriVfs *vfs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriVfs, mamori_vfs_free)

/* Opens @path through @vfs with the vault's pragmas (journal_mode=DELETE,
 * synchronous=EXTRA, mmap_size=0, temp_store=MEMORY) and a busy timeout.  With
 * @create, a missing or empty file becomes a new database with 4096-byte pages and 32
 * reserved bytes, its page 1 written at once; an existing vault is opened as it is.
 * Clears the failure record first.  Errors:
 * MAMORI_VFS_ERROR_NOT_A_DATABASE (wrong key, not a vault), _DAMAGED naming the page
 * (or the hot journal that is not this database's own: nothing was changed), _REFUSED,
 * _IO. */
sqlite3 *
mamori_vfs_open_db (MamoriVfs *vfs, const char *path, gboolean create, GError **error);

/* Turns the failed SQLite call @rc on @db (a connection of @vfs, or NULL) into a
 * GError: an authentication failure recorded by @vfs becomes _NOT_A_DATABASE or
 * _DAMAGED naming the page, anything else _IO with SQLite's message. */
void
mamori_vfs_set_sqlite_error (MamoriVfs *vfs, sqlite3 *db, int rc, GError **error);

/* Reads the database id from an encrypted file's page 1 without a key (bytes 0–15). */
gboolean
mamori_vfs_read_db_id (const char *path, guint8 *out_db_id, GError **error);

/* Decrypts and checks every page of @path (a hot journal is rolled back first), under
 * a read lock.  Used by `vault verify` before PRAGMA integrity_check. */
gboolean
mamori_vfs_verify_file (MamoriVfs *vfs, const char *path, GError **error);

G_END_DECLS
