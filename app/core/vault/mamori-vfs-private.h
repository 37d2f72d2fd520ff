/* mamori-vfs-private.h — the page codec of the vault's VFS, shared with its tests and
 * its benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gcrypt.h>

#include "mamori-vfs.h"

G_BEGIN_DECLS

#define MAMORI_VFS_NONCE_LEN 12
#define MAMORI_VFS_TAG_LEN 16
#define MAMORI_VFS_SPARE_LEN 4
/* Bytes of a page that SQLite uses; the reserved bytes follow. */
#define MAMORI_VFS_USABLE (MAMORI_VFS_PAGE_SIZE - MAMORI_VFS_RESERVE)
/* Page 1 keeps the database id (0–15) and the page size and reserve fields (16–23),
 * which SQLite reads before it can know any key, outside the ciphertext. */
#define MAMORI_VFS_PAGE1_CLEAR 24
/* What SQLite expects in bytes 0–15 of page 1 (with its NUL). */
#define MAMORI_VFS_SQLITE_MAGIC "SQLite format 3"

typedef enum
{
  MAMORI_AEAD_GCM,
  MAMORI_AEAD_OCB,
  MAMORI_AEAD_GCM_SIV,
} MamoriAeadMode;

/* The vault's mode, chosen by measurement (docs/architecture.md). */
#define MAMORI_VFS_AEAD_MODE MAMORI_AEAD_OCB

/* One AES-256 AEAD context: the key schedule is computed once, each operation only
 * sets a nonce.  Not thread-safe: the VFS serialises its use. */
typedef struct
{
  gcry_cipher_hd_t hd;
  MamoriAeadMode mode;
} MamoriAead;

const char *
_mamori_aead_mode_name (MamoriAeadMode mode);
gboolean
_mamori_aead_init (MamoriAead *aead, MamoriAeadMode mode, const guint8 *key, GError **error);
void
_mamori_aead_clear (MamoriAead *aead);
/* Encrypts @len bytes from @in to @out and writes the 16-byte tag.  FALSE only if
 * libgcrypt fails. */
gboolean
_mamori_aead_seal (MamoriAead *aead,
                   const guint8 *nonce,
                   const guint8 *ad,
                   gsize ad_len,
                   const guint8 *in,
                   guint8 *out,
                   gsize len,
                   guint8 *tag);
/* Decrypts @len bytes from @in to @out (@in may be @out); FALSE if @tag does not
 * authenticate them: @out then holds bytes the caller must wipe, not use. */
gboolean
_mamori_aead_open (MamoriAead *aead,
                   const guint8 *nonce,
                   const guint8 *ad,
                   gsize ad_len,
                   const guint8 *in,
                   guint8 *out,
                   gsize len,
                   const guint8 *tag);

/* Seals the plaintext page @plain, page @pgno of database @db_id, into @out with a
 * fresh nonce.  Page 1 must carry SQLite's header. */
gboolean
_mamori_page_seal (
    MamoriAead *aead, const guint8 *db_id, guint32 pgno, const guint8 *plain, guint8 *out);
/* Authenticates and decrypts the stored page @sealed into @out (@sealed may be
 * @out); on failure @out is zeroed. */
gboolean
_mamori_page_open (
    MamoriAead *aead, const guint8 *db_id, guint32 pgno, const guint8 *sealed, guint8 *out);

/* The VFS object.  The file methods (mamori-vfs-file.c) reach it through pAppData. */
struct _MamoriVfs
{
  sqlite3_vfs sqlite_vfs; /* registered with SQLite; pAppData is this struct */
  sqlite3_vfs *base;
  char *name;
  guint8 db_id[MAMORI_VFS_DB_ID_LEN];

  /* One cipher context holds the key schedule, in secure memory: per file it would
   * take a few KiB of the small secure pool for each open file.  @lock serialises
   * its use (one page at a time, well under a microsecond) and guards the failure
   * record. */
  GMutex lock;
  MamoriAead aead;
  MamoriVfsFailure failure;
  guint32 failure_page;
};

/* The size of a file of this VFS over @base, and its xOpen. */
int
_mamori_vfs_file_size (sqlite3_vfs *base);
int
_mamori_vfs_open_file (
    sqlite3_vfs *sqlite_vfs, const char *name, sqlite3_file *file, int flags, int *out_flags);
void
_mamori_vfs_record_failure (MamoriVfs *vfs, MamoriVfsFailure failure, guint32 page);

G_END_DECLS
