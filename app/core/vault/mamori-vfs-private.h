/* mamori-vfs-private.h — the page codec of the vault's VFS, shared with its tests and
 * its benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gcrypt.h>
#include <string.h>

#include "mamori-vfs.h"

G_BEGIN_DECLS

#define MAMORI_VFS_NONCE_LEN 12
#define MAMORI_VFS_TAG_LEN 16
#define MAMORI_VFS_SPARE_LEN 4
/* Where a page keeps its nonce. */
#define MAMORI_VFS_NONCE_OFFSET (MAMORI_VFS_PAGE_SIZE - MAMORI_VFS_RESERVE)
/* A rollback journal's id (mamori-vfs-journal.c). */
#define MAMORI_VFS_JOURNAL_ID_LEN 16
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

/* Seals the plaintext page @plain, page @pgno of database @db_id, into @out with
 * @nonce, or a fresh random one when @nonce is NULL.  @journal_id: the id of the
 * rollback journal the page is an image in, bound into the associated data; NULL for
 * a page of the database itself.  Page 1 must carry SQLite's header. */
gboolean
_mamori_page_seal (MamoriAead *aead,
                   const guint8 *db_id,
                   guint32 pgno,
                   const guint8 *journal_id,
                   const guint8 *nonce,
                   const guint8 *plain,
                   guint8 *out);
/* Authenticates and decrypts the stored page @sealed into @out (@sealed may be
 * @out); on failure @out is zeroed. */
gboolean
_mamori_page_open (MamoriAead *aead,
                   const guint8 *db_id,
                   guint32 pgno,
                   const guint8 *journal_id,
                   const guint8 *sealed,
                   guint8 *out);

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
  char *failure_path; /* the journal of MAMORI_VFS_FAILURE_FOREIGN_JOURNAL */

  /* Under @lock as well: the key (derived from the master key) that authenticates
   * journal headers, and the open database files, in which a journal finds the
   * database it belongs to. */
  gcry_mac_hd_t header_mac;
  GPtrArray *databases;
};

typedef enum
{
  MAMORI_FILE_DATABASE,
  MAMORI_FILE_JOURNAL,
  MAMORI_FILE_PLAIN, /* super-journal: names only */
} MamoriFileKind;

/* What a journal file object knows of where the journal comes from. */
typedef enum
{
  MAMORI_JOURNAL_UNCHECKED, /* not yet read or written with its database locked */
  MAMORI_JOURNAL_WRITING,   /* it wrote the first header: its transaction's own */
  MAMORI_JOURNAL_ACCEPTED,  /* a hot journal that proved to be the database's own */
  MAMORI_JOURNAL_FOREIGN,   /* a hot journal that did not: every read of it fails */
} MamoriJournalOrigin;

/* Bytes of a journal header that are SQLite's (magic, record count, checksum seed,
 * original page count, sector size, page size), and that are authenticated. */
#define MAMORI_JOURNAL_SQLITE_HEADER 28
#define MAMORI_JOURNAL_HEADER_AUTH 96

typedef struct _MamoriFile MamoriFile;

static inline guint32
_mamori_read_be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static inline void
_mamori_write_be32 (guint8 *p, guint32 value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* @len must be at least 1. */
static inline gboolean
_mamori_is_zero (const guint8 *buf, gsize len)
{
  return buf[0] == 0 && memcmp (buf, buf + 1, len - 1) == 0;
}

/* A file of the VFS (mamori-vfs-file.c; journal identity in mamori-vfs-journal.c).
 * Its state is used under SQLite's own serialisation of each file (the pager's
 * mutex); a database and its journal belong to one pager. */
struct _MamoriFile
{
  sqlite3_file base;
  sqlite3_file *real; /* the file underneath, in the memory right after this struct */
  MamoriVfs *vfs;
  const char *name; /* SQLite keeps it valid until xClose */
  MamoriFileKind kind;
  int lock_level;  /* SQLITE_LOCK_*, atomic: other connections' journals look at it */
  guint8 *buffers; /* one allocation for the pages below */
  guint8 *scratch; /* one page: sealed writes, partial reads */

  /* Journal: the last 4-byte write and read (a record's page number), or -1. */
  sqlite3_int64 pgno_write_offset;
  guint32 pgno_written;
  sqlite3_int64 pgno_read_offset;
  guint32 pgno_read;

  /* Journal: its origin and id, the database it belongs to (while both are open),
   * the authenticated part of the header it wrote last and where, and how many times
   * page 1 was sealed under its id. */
  MamoriJournalOrigin origin;
  guint8 journal_id[MAMORI_VFS_JOURNAL_ID_LEN];
  MamoriFile *database;
  sqlite3_int64 header_offset;
  guint8 header[MAMORI_JOURNAL_HEADER_AUTH];
  guint32 page1_writes;

  /* Database: page 1 as last read or written, sealed and open.  The change counter is
   * read at every read transaction; comparing what is on disk with the sealed copy
   * costs far less than opening the page again. */
  gboolean page1_valid;
  guint8 *page1_sealed;
  guint8 *page1_plain;
  /* Database: its journal, while one is open and known to be its own. */
  MamoriFile *journal;
};

/* The size of a file of this VFS over @base, and its xOpen. */
int
_mamori_vfs_file_size (sqlite3_vfs *base);
int
_mamori_vfs_open_file (
    sqlite3_vfs *sqlite_vfs, const char *name, sqlite3_file *file, int flags, int *out_flags);
void
_mamori_vfs_record_failure (MamoriVfs *vfs, MamoriVfsFailure failure, guint32 page);
void
_mamori_vfs_record_foreign_journal (MamoriVfs *vfs, const char *path);

/* Journal identity (mamori-vfs-journal.c). */
gboolean
_mamori_journal_init (MamoriVfs *vfs, const guint8 *master_key, GError **error);
void
_mamori_journal_clear (MamoriVfs *vfs);
void
_mamori_journal_add_database (MamoriFile *database);
void
_mamori_journal_remove_database (MamoriFile *database);
void
_mamori_journal_close (MamoriFile *journal);
/* Whether @in, written at @offset, is a journal header as SQLite writes it. */
gboolean
_mamori_journal_is_header (const guint8 *in, int amount, sqlite3_int64 offset);
int
_mamori_journal_write_header (MamoriFile *journal,
                              const guint8 *in,
                              int amount,
                              sqlite3_int64 offset);
int
_mamori_journal_write_record_count (MamoriFile *journal, const guint8 *in, sqlite3_int64 offset);
int
_mamori_journal_check_origin (MamoriFile *journal);
/* The nonce to seal page 1 of @database with: NULL for a fresh random one; FALSE if
 * it cannot be sealed. */
gboolean
_mamori_journal_page1_nonce (MamoriFile *database, guint8 *buf, const guint8 **out_nonce);

G_END_DECLS
