/* mamori-vfs-journal.c — a hot journal is played back only if it is the database's own
 *
 * SQLite rolls a hot journal back by truncating the database to the original size in
 * the journal's first header, then writing the journal's page images over the
 * database.  So the journal, not only its page images, decides what happens to the
 * database: a forged header alone truncates it, and a genuine journal of another copy
 * of the vault (same key, same id) writes that copy's old pages into it.  The shim
 * therefore gives every journal an identity and checks it before SQLite reads the
 * journal for a rollback.
 *
 * Journal id J.  When a journal file object writes the header at offset 0 (SQLite's
 * first write of a new journal), it takes 16 fresh random bytes J
 * (gcry_create_nonce()).  Every header it writes, at 0 and at the sector-aligned
 * offsets of later headers (cache spills), carries the same J in the padding that
 * SQLite zeroes:
 *
 *   [0, 28)   SQLite's fields: magic, record count, checksum seed, original page
 *             count, sector size, page size
 *   [28, 36)  "MAMORIJ1": this format, version 1
 *   [36, 52)  J
 *   [52, 64)  N0: the nonce of page 1 as stored in the database when the header was
 *             written (read through the database's file object)
 *   [64, 96)  HMAC-SHA256 over database id ‖ header offset (64-bit) ‖ bytes [0, 64)
 *
 * The MAC key is derived from the master key (HKDF-SHA256's expand step with its own
 * label), so it is separate from the page cipher's key.  HMAC rather than a tag from
 * the AEAD over empty plaintext: the AEAD would need a nonce of its own for each
 * header version, and OCB must never see one twice; HMAC needs none, and costs
 * under a microsecond per header write.  The MAC covers all of SQLite's fields, the
 * magic and the record count included: SQLite writes those two later, as one 12-byte
 * write at the header's offset once the records are synced (syncJournal()), and the
 * shim writes the whole authenticated part again with a fresh MAC instead (the same
 * sector).  So the first header cannot be altered to make SQLite truncate elsewhere,
 * skip records, or use another checksum seed or page size.
 *
 * Page images are sealed with J in their associated data (mamori-vfs-page.c): an image
 * from another journal does not open, even one of this database under the same key.
 *
 * Page 1 carries J.  While a journal is open for writing, the database file object it
 * belongs to seals page 1 with the nonce J[0, 8) ‖ counter, not a random one.  The
 * counter starts at 31 random bits of J and counts the page-1 writes of the journal
 * (at most 2³¹, refused beyond), so it stays below 0xFFFFFFFF and never repeats within
 * the journal; across journals the 64-bit prefix and the random start differ, so a
 * repeat needs two journals whose random prefixes collide and whose counter ranges
 * overlap: about as unlikely as a repeat of the random 96-bit nonces of the other
 * pages.  OCB must never use a nonce twice under one key, which is why the counter is
 * kept and not derived from the page.  A rollback of the journal (below) seals page 1
 * with J[0, 8) ‖ 0xFFFFFFFF: the same nonce each time, but also the same plaintext and
 * associated data each time (the journal's one authenticated image of page 1), so
 * the ciphertext is identical and nothing leaks.  A random nonce there would be a
 * flaw: a power cut during the rollback would leave a page 1 that carries neither N0
 * nor J, and the database's own journal would be refused from then on (test-crash's
 * power cuts during recovery find it).
 *
 * The check.  SQLite's first read of a hot journal happens after it has taken the
 * database's EXCLUSIVE lock (it reads the super-journal pointer at the end of the
 * file first, then the first header; it truncates only after reading that header).
 * On the first read of a journal file object that did not write its own header, with
 * a database file object of this VFS of the journal's name holding the EXCLUSIVE
 * lock, the shim requires:
 *
 * - the header at offset 0 in this format, its MAC correct (so written by this shim
 *   under this master key for this database id, with exactly these fields);
 * - no super-journal pointer: Mamori never attaches a database, and SQLite would
 *   otherwise skip the rollback when the named file is missing, or delete it;
 * - page 1 of the database, as stored, carrying N0 (the transaction never wrote it) or
 *   a nonce starting with J[0, 8) (the transaction or an earlier rollback of the
 *   journal wrote it).  A crash may tear page 1, but its nonce lies inside one
 *   512-byte sector, so it is either the old or the new one.
 *
 * Otherwise the journal is foreign — forged, from another copy, or an older journal of
 * this database that has moved on since — and every read of it fails (SQLITE_CORRUPT
 * with MAMORI_VFS_FAILURE_FOREIGN_JOURNAL): SQLite has not truncated or written
 * anything yet, and leaves the journal where it is.  A journal of an identical copy in
 * the identical state passes, and rightly: its images are exactly that state's pages.
 * So does a copy of a journal taken while its transaction ran, put back after that
 * transaction committed and before the next one: the database is then exactly as the
 * crash just before the commit point would have left it, and the rollback undoes the
 * last transaction — what putting back a copy of the database from before it does.
 *
 * Reads that happen without the exclusive lock — SQLite's one-byte look at a journal
 * to decide whether it is hot, under a shared lock while another process may be
 * writing that journal — are let through unchecked: nothing is written on their
 * account.  A journal file object that wrote its own first header is its
 * transaction's and is not checked (SQLite reads it to roll back a savepoint or a
 * transaction).
 *
 * What a journal can still do, being genuine: make SQLite stop early.  Cutting it
 * short, removing it, altering a later header or a record's checksum leaves the
 * database partly rolled back: pages at versions this database itself held, which an
 * attacker with write access could also copy back directly (docs/architecture.md).
 * Telling these apart would take durable state outside the database and its journal,
 * which a pure shim does not have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vfs"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-crypto.h"
#include "mamori-vfs-private.h"

#define PAGE MAMORI_VFS_PAGE_SIZE
#define JOURNAL_SUFFIX "-journal"
#define MARKER_OFFSET MAMORI_JOURNAL_SQLITE_HEADER
#define ID_OFFSET (MARKER_OFFSET + 8)
#define N0_OFFSET (ID_OFFSET + MAMORI_VFS_JOURNAL_ID_LEN)
#define MAC_OFFSET (N0_OFFSET + MAMORI_VFS_NONCE_LEN)
#define MAC_LEN 32
/* Page-1 nonces: J[0, 8) ‖ a 32-bit counter; a rollback uses the one value the
 * transaction's counter never reaches. */
#define NONCE_PREFIX_LEN 8
#define COUNTER_MASK 0x7FFFFFFFu
#define ROLLBACK_COUNTER 0xFFFFFFFFu
/* The super-journal pointer at the end of a journal: length, checksum, magic. */
#define SUPER_TRAILER_LEN 16

G_STATIC_ASSERT (MAC_OFFSET + MAC_LEN == MAMORI_JOURNAL_HEADER_AUTH);
G_STATIC_ASSERT (NONCE_PREFIX_LEN + 4 == MAMORI_VFS_NONCE_LEN);

static const guint8 header_marker[8] = { 'M', 'A', 'M', 'O', 'R', 'I', 'J', '1' };
static const guint8 sqlite_journal_magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };

gboolean
_mamori_journal_init (MamoriVfs *vfs, const guint8 *master_key, GError **error)
{
  /* HKDF-Expand (RFC 5869) of the uniformly random master key, one block. */
  static const char info[] = "mamori-vfs journal header key v1\x01";
  gcry_mac_hd_t derive = NULL;
  guint8 *key = mamori_secure_alloc (MAC_LEN);
  size_t key_len = MAC_LEN;
  gcry_error_t err;

  vfs->databases = g_ptr_array_new ();
  err = gcry_mac_open (&derive, GCRY_MAC_HMAC_SHA256, GCRY_MAC_FLAG_SECURE, NULL);
  if (err == 0)
    err = gcry_mac_setkey (derive, master_key, MAMORI_VFS_KEY_LEN);
  if (err == 0)
    err = gcry_mac_write (derive, info, sizeof info - 1);
  if (err == 0)
    err = gcry_mac_read (derive, key, &key_len);
  if (err == 0)
    err = gcry_mac_open (&vfs->header_mac, GCRY_MAC_HMAC_SHA256, GCRY_MAC_FLAG_SECURE, NULL);
  if (err == 0)
    err = gcry_mac_setkey (vfs->header_mac, key, MAC_LEN);
  gcry_mac_close (derive);
  mamori_secure_free (key);
  if (err != 0)
    {
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO,
                   _ ("Could not set up HMAC-SHA256: %s"), gcry_strerror (err));
      return FALSE;
    }
  return TRUE;
}

void
_mamori_journal_clear (MamoriVfs *vfs)
{
  g_clear_pointer (&vfs->header_mac, gcry_mac_close);
  g_clear_pointer (&vfs->databases, g_ptr_array_unref);
}

void
_mamori_journal_add_database (MamoriFile *database)
{
  g_mutex_lock (&database->vfs->lock);
  g_ptr_array_add (database->vfs->databases, database);
  g_mutex_unlock (&database->vfs->lock);
}

void
_mamori_journal_remove_database (MamoriFile *database)
{
  g_mutex_lock (&database->vfs->lock);
  g_ptr_array_remove_fast (database->vfs->databases, database);
  g_mutex_unlock (&database->vfs->lock);
  if (database->journal != NULL)
    database->journal->database = NULL;
}

/* The open database file of @journal_name (its name without "-journal") that holds at
 * least @min_lock.  lock_level never exceeds the real lock, so there is at most one. */
static MamoriFile *
find_database (MamoriVfs *vfs, const char *journal_name, int min_lock)
{
  gsize name_len = strlen (journal_name), suffix_len = strlen (JOURNAL_SUFFIX);
  MamoriFile *found = NULL;

  if (name_len <= suffix_len || strcmp (journal_name + name_len - suffix_len, JOURNAL_SUFFIX) != 0)
    return NULL;
  g_mutex_lock (&vfs->lock);
  for (guint i = 0; i < vfs->databases->len && found == NULL; i++)
    {
      MamoriFile *database = g_ptr_array_index (vfs->databases, i);

      if (g_atomic_int_get (&database->lock_level) >= min_lock
          && strlen (database->name) == name_len - suffix_len
          && memcmp (database->name, journal_name, name_len - suffix_len) == 0)
        found = database;
    }
  g_mutex_unlock (&vfs->lock);
  return found;
}

static void
link_database (MamoriFile *journal, MamoriFile *database)
{
  _mamori_journal_close (journal);
  if (database->journal != NULL)
    database->journal->database = NULL;
  journal->database = database;
  database->journal = journal;
}

void
_mamori_journal_close (MamoriFile *journal)
{
  if (journal->database != NULL)
    journal->database->journal = NULL;
  journal->database = NULL;
}

/* The nonce of page 1 as stored in @database; zeros where the file has no page 1. */
static int
read_stored_nonce (MamoriFile *database, guint8 *nonce)
{
  int rc = database->real->pMethods->xRead (database->real, nonce, MAMORI_VFS_NONCE_LEN,
                                            MAMORI_VFS_NONCE_OFFSET);

  /* A short read has zeroed what it did not find. */
  return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_OK : rc;
}

/* Computes the MAC of the header @block written at @offset into it, or checks it. */
static gboolean
header_mac (MamoriVfs *vfs, sqlite3_int64 offset, guint8 *block, gboolean check)
{
  guint8 where[8];
  size_t mac_len = MAC_LEN;
  gcry_error_t err;

  _mamori_write_be32 (where, (guint64)offset >> 32);
  _mamori_write_be32 (where + 4, (guint32)offset);
  g_mutex_lock (&vfs->lock);
  err = gcry_mac_reset (vfs->header_mac);
  if (err == 0)
    err = gcry_mac_write (vfs->header_mac, vfs->db_id, MAMORI_VFS_DB_ID_LEN);
  if (err == 0)
    err = gcry_mac_write (vfs->header_mac, where, sizeof where);
  if (err == 0)
    err = gcry_mac_write (vfs->header_mac, block, MAC_OFFSET);
  if (err == 0)
    err = check ? gcry_mac_verify (vfs->header_mac, block + MAC_OFFSET, MAC_LEN)
                : gcry_mac_read (vfs->header_mac, block + MAC_OFFSET, &mac_len);
  g_mutex_unlock (&vfs->lock);
  return err == 0;
}

gboolean
_mamori_journal_is_header (const guint8 *in, int amount, sqlite3_int64 offset)
{
  guint32 sector, page;

  /* SQLite writes a header as min (page size, sector size) bytes at a multiple of the
   * sector size, zero after its 28 bytes; a larger sector takes several such writes,
   * of which only the first is at a multiple of the sector size. */
  if (amount <= MAMORI_JOURNAL_SQLITE_HEADER)
    return FALSE;
  sector = _mamori_read_be32 (in + 20);
  page = _mamori_read_be32 (in + 24);
  return page == PAGE && sector >= (guint32)amount && offset % sector == 0
         && _mamori_is_zero (in + MAMORI_JOURNAL_SQLITE_HEADER,
                             amount - MAMORI_JOURNAL_SQLITE_HEADER);
}

static int
refuse_write (const char *why, sqlite3_int64 offset)
{
  sqlite3_log (SQLITE_IOERR_WRITE, "mamori: refused to write the journal header at %lld: %s",
               offset, why);
  return SQLITE_IOERR_WRITE;
}

int
_mamori_journal_write_header (MamoriFile *journal,
                              const guint8 *in,
                              int amount,
                              sqlite3_int64 offset)
{
  guint8 *block = journal->scratch;
  int rc;

  if (amount < MAMORI_JOURNAL_HEADER_AUTH)
    return refuse_write ("the sector size leaves no room to authenticate it", offset);
  if (offset == 0)
    {
      /* A new journal.  It belongs to this process's transaction on the database, the
       * one database file of that name holding the RESERVED lock. */
      MamoriFile *database = find_database (journal->vfs, journal->name, SQLITE_LOCK_RESERVED);

      if (database == NULL)
        return refuse_write ("no transaction of this process holds its database", offset);
      link_database (journal, database);
      gcry_create_nonce (journal->journal_id, MAMORI_VFS_JOURNAL_ID_LEN);
      journal->origin = MAMORI_JOURNAL_WRITING;
      journal->page1_writes = 0;
    }
  else if (journal->origin != MAMORI_JOURNAL_WRITING || journal->database == NULL)
    {
      return refuse_write ("the journal did not start with a header of its own", offset);
    }

  memcpy (block, in, amount);
  memcpy (block + MARKER_OFFSET, header_marker, sizeof header_marker);
  memcpy (block + ID_OFFSET, journal->journal_id, MAMORI_VFS_JOURNAL_ID_LEN);
  rc = read_stored_nonce (journal->database, block + N0_OFFSET);
  if (rc != SQLITE_OK)
    return rc;
  if (!header_mac (journal->vfs, offset, block, FALSE))
    return SQLITE_IOERR_WRITE;
  journal->header_offset = offset;
  memcpy (journal->header, block, MAMORI_JOURNAL_HEADER_AUTH);
  return journal->real->pMethods->xWrite (journal->real, block, amount, offset);
}

int
_mamori_journal_write_record_count (MamoriFile *journal, const guint8 *in, sqlite3_int64 offset)
{
  /* Magic and record count: the header's first 12 bytes, now under a new MAC. */
  memcpy (journal->header, in, 12);
  if (!header_mac (journal->vfs, offset, journal->header, FALSE))
    return SQLITE_IOERR_WRITE;
  return journal->real->pMethods->xWrite (journal->real, journal->header,
                                          MAMORI_JOURNAL_HEADER_AUTH, offset);
}

/* Whether the journal ends with a super-journal pointer SQLite would follow. */
static int
has_super_pointer (MamoriFile *journal, sqlite3_int64 size, gboolean *out_found)
{
  guint8 trailer[SUPER_TRAILER_LEN];
  guint32 name_len;
  int rc;

  *out_found = FALSE;
  if (size < SUPER_TRAILER_LEN)
    return SQLITE_OK;
  rc = journal->real->pMethods->xRead (journal->real, trailer, sizeof trailer,
                                       size - SUPER_TRAILER_LEN);
  if (rc != SQLITE_OK)
    return rc;
  name_len = _mamori_read_be32 (trailer);
  *out_found = memcmp (trailer + 8, sqlite_journal_magic, sizeof sqlite_journal_magic) == 0
               && name_len > 0 && name_len <= size - SUPER_TRAILER_LEN;
  return SQLITE_OK;
}

/* The check described at the top; on success the journal knows its id. */
static int
journal_is_own (MamoriFile *journal, MamoriFile *database, gboolean *out_own)
{
  guint8 header[MAMORI_JOURNAL_HEADER_AUTH], stored[MAMORI_VFS_NONCE_LEN];
  sqlite3_int64 size = 0;
  gboolean super = FALSE;
  int rc;

  *out_own = FALSE;
  rc = journal->real->pMethods->xFileSize (journal->real, &size);
  if (rc == SQLITE_OK)
    rc = journal->real->pMethods->xRead (journal->real, header, sizeof header, 0);
  if (rc == SQLITE_IOERR_SHORT_READ)
    return SQLITE_OK; /* too short to carry a header of this format */
  if (rc == SQLITE_OK)
    rc = has_super_pointer (journal, size, &super);
  if (rc == SQLITE_OK && !super)
    rc = read_stored_nonce (database, stored);
  if (rc != SQLITE_OK || super
      || memcmp (header + MARKER_OFFSET, header_marker, sizeof header_marker) != 0
      || !header_mac (journal->vfs, 0, header, TRUE))
    return rc;
  if (memcmp (stored, header + N0_OFFSET, MAMORI_VFS_NONCE_LEN) != 0
      && memcmp (stored, header + ID_OFFSET, NONCE_PREFIX_LEN) != 0)
    return SQLITE_OK;
  memcpy (journal->journal_id, header + ID_OFFSET, MAMORI_VFS_JOURNAL_ID_LEN);
  *out_own = TRUE;
  return SQLITE_OK;
}

int
_mamori_journal_check_origin (MamoriFile *journal)
{
  MamoriFile *database;
  gboolean own;
  int rc;

  if (journal->origin == MAMORI_JOURNAL_UNCHECKED)
    {
      database = find_database (journal->vfs, journal->name, SQLITE_LOCK_EXCLUSIVE);
      if (database == NULL)
        return SQLITE_OK;
      rc = journal_is_own (journal, database, &own);
      if (rc != SQLITE_OK)
        return rc;
      journal->origin = own ? MAMORI_JOURNAL_ACCEPTED : MAMORI_JOURNAL_FOREIGN;
      if (own)
        link_database (journal, database);
    }
  if (journal->origin != MAMORI_JOURNAL_FOREIGN)
    return SQLITE_OK;
  _mamori_vfs_record_foreign_journal (journal->vfs, journal->name);
  return SQLITE_CORRUPT;
}

gboolean
_mamori_journal_page1_nonce (MamoriFile *database, guint8 *buf, const guint8 **out_nonce)
{
  MamoriFile *journal = database->journal;
  guint32 counter;

  *out_nonce = NULL;
  if (journal == NULL)
    return TRUE;
  if (journal->origin == MAMORI_JOURNAL_ACCEPTED)
    {
      counter = ROLLBACK_COUNTER;
    }
  else
    {
      if (journal->page1_writes > COUNTER_MASK)
        return FALSE;
      counter = (_mamori_read_be32 (journal->journal_id + NONCE_PREFIX_LEN) & COUNTER_MASK)
                + journal->page1_writes++;
    }
  memcpy (buf, journal->journal_id, NONCE_PREFIX_LEN);
  _mamori_write_be32 (buf + NONCE_PREFIX_LEN, counter);
  *out_nonce = buf;
  return TRUE;
}
