/* test-journal.c — a hot journal is played back only if it is the database's own
 *
 * A hot journal is left by vault-child killed in the middle of a transaction, or
 * captured the way test-vfs does it: the files are copied while a transaction that
 * spilled pages to the database is open, which is what a crash leaves on disk (power
 * cuts are test-crash's).  Every planted journal is named as the database's own
 * journal, so that SQLite takes it as hot when the database is opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mamori-vfs-private.h"
#include "vfs-test-util.h"

#define PAGE MAMORI_VFS_PAGE_SIZE
#define RECORD_LEN (4 + PAGE + 4)
#define N_ROWS 400
#define PADDING_STRIDE 13

static const guint8 journal_magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };

typedef VfsFixture Fixture;

/* A hot journal and the database as the crash left them. */
typedef struct
{
  GBytes *db;
  GBytes *journal;
} Crash;

static void
crash_clear (Crash *crash)
{
  g_clear_pointer (&crash->db, g_bytes_unref);
  g_clear_pointer (&crash->journal, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Crash, crash_clear)

static sqlite3 *
open_db (Fixture *f, const char *path)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = mamori_vfs_open_db (f->vfs, path, FALSE, &error);

  g_assert_no_error (error);
  return db;
}

static char *
dump (Fixture *f, const char *path)
{
  sqlite3 *db = open_db (f, path);
  char *rows;
  int rc;

  rows = vfs_test_dump (db, &rc);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_close (db);
  return rows;
}

/* A vault of N_ROWS test rows, at least 25 pages; returns its dump. */
static char *
make_db (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = mamori_vfs_open_db (f->vfs, f->path, TRUE, &error);
  g_autoptr (GBytes) bytes = NULL;

  g_assert_no_error (error);
  vfs_test_create_table (db);
  vfs_test_insert_rows (db, 1, N_ROWS, 0, NULL);
  sqlite3_close (db);
  bytes = vfs_test_read_file (f->path);
  g_assert_cmpuint (g_bytes_get_size (bytes), >=, 25 * PAGE);
  return dump (f, f->path);
}

static void
exec (Fixture *f, const char *path, const char *sql)
{
  sqlite3 *db = open_db (f, path);

  vfs_test_exec (db, sql);
  sqlite3_close (db);
}

/* Runs @sql on @path in a transaction small enough a cache to spill, and returns the
 * files as they are then, which is what a crash would leave. */
static void
capture_crash (Fixture *f, const char *path, const char *sql, Crash *out)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  sqlite3 *db = open_db (f, path);

  vfs_test_exec (db, "PRAGMA cache_size = 4; BEGIN");
  vfs_test_exec (db, sql);
  out->db = vfs_test_read_file (path);
  out->journal = vfs_test_read_file (journal);
  vfs_test_exec (db, "ROLLBACK");
  sqlite3_close (db);
}

/* Writes @data at @path without the fsync of g_file_set_contents(): the flip test
 * writes a thousand files. */
static void
write_raw (const char *path, const void *data, gsize size)
{
  FILE *stream = g_fopen (path, "wb");

  g_assert_nonnull (stream);
  g_assert_cmpuint (fwrite (data, 1, size, stream), ==, size);
  g_assert_cmpint (fclose (stream), ==, 0);
}

static void
plant (Fixture *f, GBytes *db, GBytes *journal)
{
  gsize size;
  const void *data;

  if (db != NULL)
    {
      data = g_bytes_get_data (db, &size);
      write_raw (f->path, data, size);
    }
  data = g_bytes_get_data (journal, &size);
  write_raw (f->journal, data, size);
}

static void
assert_file_is (const char *path, GBytes *expected)
{
  g_autoptr (GBytes) bytes = vfs_test_read_file (path);

  g_assert_true (g_bytes_equal (bytes, expected));
}

/* Opening refuses the journal beside the database, and neither file changed. */
static void
assert_refused (Fixture *f)
{
  g_autoptr (GBytes) db_before = vfs_test_read_file (f->path);
  g_autoptr (GBytes) journal_before = vfs_test_read_file (f->journal);
  g_autoptr (GError) error = NULL;
  guint32 page = 1;

  g_assert_null (mamori_vfs_open_db (f->vfs, f->path, FALSE, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->journal));
  g_assert_nonnull (strstr (error->message, "not this database’s own"));
  g_assert_nonnull (strstr (error->message, "Nothing was changed"));
  g_assert_cmpint (mamori_vfs_get_last_failure (f->vfs, &page), ==,
                   MAMORI_VFS_FAILURE_FOREIGN_JOURNAL);
  g_assert_cmpuint (page, ==, 0);
  g_clear_error (&error);
  g_assert_false (mamori_vfs_verify_file (f->vfs, f->path, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);

  assert_file_is (f->path, db_before);
  assert_file_is (f->journal, journal_before);
}

/* A 512-byte SQLite journal header: no records, an original size of 3 pages. */
static GBytes *
forged_header (void)
{
  guint8 *header = g_malloc0 (512);

  memcpy (header, journal_magic, sizeof journal_magic);
  _mamori_write_be32 (header + 12, 0x12345678); /* checksum seed */
  _mamori_write_be32 (header + 16, 3);          /* original page count */
  _mamori_write_be32 (header + 20, 512);        /* sector size */
  _mamori_write_be32 (header + 24, PAGE);       /* page size */
  return g_bytes_new_take (header, 512);
}

static void
test_forged_header (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f);
  g_autoptr (GBytes) forged = forged_header ();
  g_autofree char *plain_path = g_build_filename (f->dir, "plain.sqlite", NULL);
  g_autofree char *plain_journal = g_strconcat (plain_path, "-journal", NULL);
  g_autoptr (GBytes) plain_journal_bytes = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *plain;

  /* The attack: SQLite would truncate the database to 3 pages after reading it. */
  plant (f, NULL, forged);
  assert_refused (f);

  /* The real journal of a plain SQLite database (another program's), and a header in
   * this format forged without the key (its MAC zeros). */
  g_assert_cmpint (sqlite3_open (plain_path, &plain), ==, SQLITE_OK);
  vfs_test_create_table (plain);
  vfs_test_insert_rows (plain, 1, 200, 0, NULL);
  vfs_test_exec (plain, "PRAGMA cache_size = 4; BEGIN; UPDATE t SET v = v || 'x'");
  plain_journal_bytes = vfs_test_read_file (plain_journal);
  vfs_test_exec (plain, "ROLLBACK");
  sqlite3_close (plain);
  plant (f, NULL, plain_journal_bytes);
  assert_refused (f);
  {
    gsize size;
    guint8 *header = g_bytes_unref_to_data (g_bytes_ref (forged), &size);
    g_autoptr (GBytes) marked = NULL;

    memcpy (header + 28, "MAMORIJ1", 8);
    marked = g_bytes_new_take (header, size);
    plant (f, NULL, marked);
    assert_refused (f);
  }

  /* Moved away, as the message says, and the vault opens as it was. */
  g_assert_cmpint (g_rename (f->journal, plain_journal), ==, 0);
  rows = dump (f, f->path);
  g_assert_cmpstr (rows, ==, expected);
}

/* The same key and id, another copy: a `cp` of the vault in which a process was
 * killed in the middle of a transaction. */
static void
test_other_copy (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f);
  g_autofree char *copy_dir = vfs_test_make_dir ();
  g_autofree char *copy = g_build_filename (copy_dir, "school.mamori", NULL);
  g_autofree char *copy_journal = g_strconcat (copy, "-journal", NULL);
  g_autoptr (GBytes) original = vfs_test_read_file (f->path);
  g_autoptr (GBytes) journal = NULL;
  g_autofree char *rows = NULL;

  vfs_test_write_file (copy, original);
  vfs_test_kill_child_when_ready (VAULT_CHILD_PATH, "hold-update", copy);
  journal = vfs_test_read_file (copy_journal);

  /* Beside a database in the very state the copy's transaction started from, its
   * journal restores exactly that state: accepted, and harmless. */
  plant (f, NULL, journal);
  rows = dump (f, f->path);
  g_assert_cmpstr (rows, ==, expected);
  g_assert_false (g_file_test (f->journal, G_FILE_TEST_EXISTS));

  /* The vault moves on; the copy's journal would write the copy's old pages. */
  exec (f, f->path, "UPDATE t SET v = 'LIVE ' || v WHERE id % 3 = 0; DELETE FROM t WHERE id > 350");
  plant (f, NULL, journal);
  assert_refused (f);

  vfs_test_remove_dir (copy_dir);
}

typedef struct
{
  gsize offset; /* of the record's page number */
  guint32 pgno;
  guint32 cksum_seed; /* of the header the record belongs to */
} Record;

/* The records of a journal that SQLite would read, header by header. */
static GArray *
journal_records (GBytes *journal)
{
  GArray *records = g_array_new (FALSE, FALSE, sizeof (Record));
  gsize size;
  const guint8 *data = g_bytes_get_data (journal, &size);
  gsize sector = _mamori_read_be32 (data + 20), header = 0;

  while (header + sector <= size && memcmp (data + header, journal_magic, 8) == 0)
    {
      guint32 n_records = _mamori_read_be32 (data + header + 8);
      gsize offset = header + sector;

      for (guint32 i = 0; i < n_records && offset + RECORD_LEN <= size; i++)
        {
          Record record = { offset, _mamori_read_be32 (data + offset),
                            _mamori_read_be32 (data + header + 12) };

          g_array_append_val (records, record);
          offset += RECORD_LEN;
        }
      header = (offset + sector - 1) / sector * sector;
    }
  return records;
}

static void
test_spliced_record (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = NULL;
  g_auto (Crash) old = { 0 };
  g_auto (Crash) crash = { 0 };
  g_autoptr (GArray) old_records = NULL;
  g_autoptr (GArray) records = NULL;
  g_autoptr (GBytes) spliced = NULL;
  g_autoptr (GError) error = NULL;
  const Record *target = NULL, *donor = NULL;
  guint8 *bytes;
  gsize size;
  guint32 page = 0;
  sqlite3 *db;

  g_free (make_db (f));
  /* Another journal of this database: the originals of an earlier state. */
  capture_crash (f, f->path, "UPDATE t SET v = 'OLD ' || v", &old);
  exec (f, f->path, "UPDATE t SET v = 'NOW ' || v");
  expected = dump (f, f->path);
  capture_crash (f, f->path, "UPDATE t SET v = 'NEW ' || v", &crash);

  /* A record of the crashed journal replaced by the earlier journal's record of the
   * same page, its checksum adjusted to the crashed journal's seed, as anyone can:
   * only an image bound to its journal stops it. */
  old_records = journal_records (old.journal);
  records = journal_records (crash.journal);
  g_assert_cmpuint (records->len, >, 1);
  for (guint i = 0; i < records->len && donor == NULL; i++)
    for (guint j = 0; j < old_records->len && donor == NULL; j++)
      if (g_array_index (records, Record, i).pgno != 1
          && g_array_index (old_records, Record, j).pgno == g_array_index (records, Record, i).pgno)
        {
          target = &g_array_index (records, Record, i);
          donor = &g_array_index (old_records, Record, j);
        }
  g_assert_nonnull (donor);
  bytes = g_bytes_unref_to_data (g_bytes_ref (crash.journal), &size);
  memcpy (bytes + target->offset,
          (const guint8 *)g_bytes_get_data (old.journal, NULL) + donor->offset, RECORD_LEN);
  _mamori_write_be32 (bytes + target->offset + RECORD_LEN - 4,
                      _mamori_read_be32 (bytes + target->offset + RECORD_LEN - 4)
                          - donor->cksum_seed + target->cksum_seed);
  spliced = g_bytes_new_take (bytes, size);
  plant (f, crash.db, spliced);

  /* Refused, naming the page; or, were the image played back, the state before the
   * crashed transaction exactly. */
  db = mamori_vfs_open_db (f->vfs, f->path, FALSE, &error);
  if (db != NULL)
    {
      int rc;
      g_autofree char *rows = vfs_test_dump (db, &rc);

      g_assert_cmpint (rc, ==, SQLITE_OK);
      g_assert_cmpstr (rows, ==, expected);
      sqlite3_close (db);
      return;
    }
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
  g_assert_cmpint (mamori_vfs_get_last_failure (f->vfs, &page), ==,
                   MAMORI_VFS_FAILURE_JOURNAL_DAMAGED);
  g_assert_cmpuint (page, ==, target->pgno);
  g_assert_true (g_file_test (f->journal, G_FILE_TEST_EXISTS));
}

/* SQLite's super-journal pointer, appended at the next sector as SQLite writes it. */
static GBytes *
append_super_pointer (GBytes *journal, const char *super)
{
  gsize size, name_len = strlen (super);
  const guint8 *data = g_bytes_get_data (journal, &size);
  gsize start = (size + 511) / 512 * 512;
  g_autoptr (GByteArray) out = g_byte_array_sized_new (start + name_len + 20);
  guint8 word[4];
  guint32 sum = 0;

  g_byte_array_append (out, data, size);
  g_byte_array_set_size (out, start);
  memset (out->data + size, 0, start - size);
  _mamori_write_be32 (word, 0x40000000 / PAGE + 1); /* the page of the lock bytes */
  g_byte_array_append (out, word, 4);
  g_byte_array_append (out, (const guint8 *)super, name_len);
  for (gsize i = 0; i < name_len; i++)
    sum += (guint32)(gint8)super[i];
  _mamori_write_be32 (word, name_len);
  g_byte_array_append (out, word, 4);
  _mamori_write_be32 (word, sum);
  g_byte_array_append (out, word, 4);
  g_byte_array_append (out, journal_magic, sizeof journal_magic);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
test_super_journal_pointer (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f);
  g_autofree char *missing = g_build_filename (f->dir, "missing-super", NULL);
  g_autofree char *decoy = g_build_filename (f->dir, "school.mamori-keys", NULL);
  g_auto (Crash) crash = { 0 };
  g_autoptr (GBytes) to_missing = NULL;
  g_autoptr (GBytes) to_decoy = NULL;
  g_autofree char *rows = NULL;

  capture_crash (f, f->path, "UPDATE t SET v = 'CHANGED ' || v", &crash);

  /* SQLite would take the transaction as committed and delete the journal, leaving
   * the crashed transaction's pages in place. */
  to_missing = append_super_pointer (crash.journal, missing);
  plant (f, crash.db, to_missing);
  assert_refused (f);

  /* SQLite would roll back, then delete the named file. */
  g_assert_true (g_file_set_contents (decoy, "the key file", -1, NULL));
  to_decoy = append_super_pointer (crash.journal, decoy);
  plant (f, crash.db, to_decoy);
  assert_refused (f);
  g_assert_true (g_file_test (decoy, G_FILE_TEST_EXISTS));

  /* The journal itself rolls back. */
  plant (f, crash.db, crash.journal);
  rows = dump (f, f->path);
  g_assert_cmpstr (rows, ==, expected);
}

/* Opening either refuses the journal, changing nothing, or rolls back exactly. */
static gboolean
refused_or_rolled_back (Fixture *f, GBytes *db_bytes, GBytes *journal, const char *expected)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = mamori_vfs_open_db (f->vfs, f->path, FALSE, &error);
  g_autofree char *rows = NULL;
  int rc;

  if (db == NULL)
    {
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
      g_assert_cmpint (mamori_vfs_get_last_failure (f->vfs, NULL), ==,
                       MAMORI_VFS_FAILURE_FOREIGN_JOURNAL);
      assert_file_is (f->path, db_bytes);
      assert_file_is (f->journal, journal);
      return TRUE;
    }
  rows = vfs_test_dump (db, &rc);
  sqlite3_close (db);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_cmpstr (rows, ==, expected);
  return FALSE;
}

static void
test_flip_header (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f);
  g_auto (Crash) crash = { 0 };
  gsize size;
  guint8 *bytes;
  gsize sector;

  capture_crash (f, f->path, "UPDATE t SET v = 'CHANGED ' || v", &crash);
  bytes = g_bytes_unref_to_data (g_bytes_ref (crash.journal), &size);
  sector = _mamori_read_be32 (bytes + 20);
  g_assert_cmpuint (sector, ==, 512);

  /* Every byte SQLite reads from the first header, and what the shim adds, is
   * authenticated: changed, the journal is refused before anything is written.  The
   * rest of the sector is padding nobody reads: a sample of it (each case there costs
   * a whole rollback) shows that changing it is harmless. */
  for (gsize offset = 0; offset < sector;
       offset += offset < MAMORI_JOURNAL_HEADER_AUTH ? 1 : PADDING_STRIDE)
    {
      g_autoptr (GBytes) flipped = NULL;
      gboolean refused;

      bytes[offset] ^= 1 << (offset % 8);
      flipped = g_bytes_new (bytes, size);
      plant (f, crash.db, flipped);
      refused = refused_or_rolled_back (f, crash.db, flipped, expected);
      if (offset < MAMORI_JOURNAL_HEADER_AUTH && !refused)
        g_error ("byte %" G_GSIZE_FORMAT " of the header changed, and the journal was played back",
                 offset);
      bytes[offset] ^= 1 << (offset % 8);
    }
  g_free (bytes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, vfs_fixture_set_up, func, vfs_fixture_tear_down)
  ADD ("/journal/forged-header", test_forged_header);
  ADD ("/journal/other-copy", test_other_copy);
  ADD ("/journal/spliced-record", test_spliced_record);
  ADD ("/journal/super-journal-pointer", test_super_journal_pointer);
  ADD ("/journal/flip-header", test_flip_header);
#undef ADD
  return g_test_run ();
}
