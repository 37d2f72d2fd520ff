/* test-vfs.c — the vault's page encryption: round trips, tampering, no plaintext
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mamori-vfs-private.h"
#include "vfs-test-util.h"

#define PAGE MAMORI_VFS_PAGE_SIZE

typedef VfsFixture Fixture;

static sqlite3 *
open_db (Fixture *f, gboolean create)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = mamori_vfs_open_db (f->vfs, f->path, create, &error);

  g_assert_no_error (error);
  return db;
}

/* A database of @n_rows test rows, closed; returns its dump. */
static char *
make_db (Fixture *f, int n_rows, const char *marker)
{
  sqlite3 *db = open_db (f, TRUE);
  char *dump;
  int rc;

  vfs_test_create_table (db);
  vfs_test_insert_rows (db, 1, n_rows, 0, marker);
  dump = vfs_test_dump (db, &rc);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_close (db);
  return dump;
}

static void
assert_dump_equals (Fixture *f, const char *expected)
{
  sqlite3 *db = open_db (f, FALSE);
  g_autofree char *dump = NULL;
  int rc;

  dump = vfs_test_dump (db, &rc);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_cmpstr (dump, ==, expected);
  sqlite3_close (db);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 200, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  guint8 id[MAMORI_VFS_DB_ID_LEN];
  sqlite3 *db;
  int reserve = -1;

  assert_dump_equals (f, expected);

  /* The format: 4096-byte pages with 32 reserved bytes, the id where SQLite's magic
   * string would be. */
  db = open_db (f, FALSE);
  g_assert_cmpint (sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve), ==,
                   SQLITE_OK);
  g_assert_cmpint (reserve, ==, MAMORI_VFS_RESERVE);
  sqlite3_close (db);
  mamori_vfs_read_db_id (f->path, id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (id, sizeof id, vfs_test_db_id (), MAMORI_VFS_DB_ID_LEN);
  g_assert_false (vfs_test_file_contains (f->path, "SQLite format 3"));
  g_assert_false (vfs_test_file_contains (f->path, "CREATE TABLE"));

  bytes = vfs_test_read_file (f->path);
  g_assert_cmpint (g_bytes_get_size (bytes) % PAGE, ==, 0);

  mamori_vfs_verify_file (f->vfs, f->path, &error);
  g_assert_no_error (error);
}

static void
test_create_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = open_db (f, TRUE);
  guint8 id[MAMORI_VFS_DB_ID_LEN];

  /* Page 1 is on disk at once, so the format is fixed before the first table. */
  sqlite3_close (db);
  mamori_vfs_read_db_id (f->path, id, &error);
  g_assert_no_error (error);
  db = open_db (f, FALSE);
  sqlite3_close (db);

  /* Without create, a missing file is an error. */
  g_unlink (f->path);
  g_assert_null (mamori_vfs_open_db (f->vfs, f->path, FALSE, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO);
}

static void
test_large (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_db (f, TRUE);
  g_autofree char *expected = NULL;
  g_autoptr (GBytes) bytes = NULL;
  int rc;

  vfs_test_create_table (db);
  /* Several megabytes: many more pages than the default cache holds. */
  for (int round = 0; round < 5; round++)
    vfs_test_insert_rows (db, 1 + round * 5000, 5000, 1, NULL);
  vfs_test_exec (db, "UPDATE t SET v = v || '-updated' WHERE id % 7 = 0;"
                     "DELETE FROM t WHERE id % 11 = 0;");
  expected = vfs_test_dump (db, &rc);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_close (db);

  bytes = vfs_test_read_file (f->path);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 4 * 1024 * 1024);
  assert_dump_equals (f, expected);
}

static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 50, NULL);
  g_autoptr (GBytes) before = vfs_test_read_file (f->path);
  g_autoptr (GBytes) after = NULL;
  guint8 other_key[MAMORI_VFS_KEY_LEN];
  const guint8 *ids[] = { vfs_test_db_id (), vfs_test_other_db_id () };

  memcpy (other_key, vfs_test_key (), sizeof other_key);
  other_key[31] ^= 0x80;

  /* The right key with another id, another key with the right id. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriVfs) vfs
          = mamori_vfs_new (i == 0 ? other_key : vfs_test_key (), ids[i], NULL, &error);
      guint32 page = 0;

      g_assert_no_error (error);
      g_assert_null (mamori_vfs_open_db (vfs, f->path, FALSE, &error));
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
      g_assert_cmpint (mamori_vfs_get_last_failure (vfs, &page), ==,
                       MAMORI_VFS_FAILURE_NOT_A_DATABASE);
      g_assert_cmpuint (page, ==, 1);
      g_clear_error (&error);
      g_assert_false (mamori_vfs_verify_file (vfs, f->path, &error));
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
    }

  /* Trying changed nothing. */
  after = vfs_test_read_file (f->path);
  g_assert_true (g_bytes_equal (before, after));
  assert_dump_equals (f, expected);
}

/* Opens the database and dumps it: either exactly @expected, or an error of the kind
 * a damaged @page must give, naming it. */
static void
assert_detected_or_intact (Fixture *f, guint32 page, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *needle = g_strdup_printf ("Page %u ", page);
  sqlite3 *db;
  int rc = SQLITE_OK;

  db = mamori_vfs_open_db (f->vfs, f->path, FALSE, &error);
  if (db != NULL)
    {
      dump = vfs_test_dump (db, &rc);
      if (rc != SQLITE_OK)
        mamori_vfs_set_sqlite_error (f->vfs, db, rc, &error);
      sqlite3_close (db);
    }
  if (error == NULL)
    {
      /* Never wrong data. */
      g_assert_cmpstr (dump, ==, expected);
      return;
    }
  if (page == 1)
    {
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
    }
  else
    {
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, needle));
    }
}

static void
assert_verify_fails (Fixture *f, guint32 page)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *needle = g_strdup_printf ("Page %u ", page);

  g_assert_false (mamori_vfs_verify_file (f->vfs, f->path, &error));
  if (page == 1)
    {
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
    }
  else
    {
      g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, needle));
    }
}

/* Changes the byte at @offset of @path in place, without the fsync that rewriting
 * the file would cost 20,000 times over. */
static void
write_byte (const char *path, gsize offset, guint8 value)
{
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, &value, 1, offset), ==, 1);
  close (fd);
}

static void
test_flip_every_byte (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 30, NULL);
  g_autoptr (GBytes) original = vfs_test_read_file (f->path);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (original, &size);
  guint n_detected_by_query = 0;

  g_assert_cmpuint (size / PAGE, >=, 4);
  g_test_message ("flipping each of %" G_GSIZE_FORMAT " bytes (%" G_GSIZE_FORMAT " pages)", size,
                  size / PAGE);
  for (gsize offset = 0; offset < size; offset++)
    {
      guint32 page = offset / PAGE + 1;

      write_byte (f->path, offset, bytes[offset] ^ (1 << (offset % 8)));
      assert_verify_fails (f, page);
      assert_detected_or_intact (f, page, expected);
      if (mamori_vfs_get_last_failure (f->vfs, NULL) != MAMORI_VFS_FAILURE_NONE)
        n_detected_by_query++;
      write_byte (f->path, offset, bytes[offset]);
    }
  /* Every page belongs to the table, its index or the schema: queries see them all. */
  g_assert_cmpuint (n_detected_by_query, ==, size);
  assert_dump_equals (f, expected);
}

static GBytes *
replace_page (GBytes *file, guint32 page, const guint8 *with)
{
  gsize size;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (file), &size);

  memcpy (data + (page - 1) * PAGE, with, PAGE);
  return g_bytes_new_take (data, size);
}

static void
test_swapped_pages (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 30, NULL);
  g_autoptr (GBytes) original = vfs_test_read_file (f->path);
  const guint8 *bytes = g_bytes_get_data (original, NULL);
  g_autoptr (GBytes) once = replace_page (original, 2, bytes + 2 * PAGE);
  g_autoptr (GBytes) swapped = replace_page (once, 3, bytes + PAGE);

  vfs_test_write_file (f->path, swapped);
  assert_verify_fails (f, 2);
  assert_detected_or_intact (f, 2, NULL);
  /* Page 1 moved elsewhere, and another page put in its place. */
  g_clear_pointer (&once, g_bytes_unref);
  once = replace_page (original, 1, bytes + PAGE);
  vfs_test_write_file (f->path, once);
  assert_verify_fails (f, 1);

  vfs_test_write_file (f->path, original);
  assert_dump_equals (f, expected);
}

static void
test_page_from_other_database (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 30, NULL);
  g_autofree char *other_path = g_build_filename (f->dir, "other.mamori", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVfs) other_vfs = NULL;
  g_autoptr (GBytes) original = vfs_test_read_file (f->path);
  g_autoptr (GBytes) other = NULL;
  g_autoptr (GBytes) mixed = NULL;
  sqlite3 *db;

  /* The same key and the same content, another database id. */
  other_vfs = mamori_vfs_new (vfs_test_key (), vfs_test_other_db_id (), NULL, &error);
  g_assert_no_error (error);
  db = mamori_vfs_open_db (other_vfs, other_path, TRUE, &error);
  g_assert_no_error (error);
  vfs_test_create_table (db);
  vfs_test_insert_rows (db, 1, 30, 0, NULL);
  sqlite3_close (db);
  other = vfs_test_read_file (other_path);
  g_assert_cmpuint (g_bytes_get_size (other), ==, g_bytes_get_size (original));

  mixed = replace_page (original, 3, (const guint8 *)g_bytes_get_data (other, NULL) + 2 * PAGE);
  vfs_test_write_file (f->path, mixed);
  assert_verify_fails (f, 3);
  assert_detected_or_intact (f, 3, NULL);

  vfs_test_write_file (f->path, original);
  assert_dump_equals (f, expected);
}

static void
test_zeroed_and_cut_pages (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 30, NULL);
  g_autoptr (GBytes) original = vfs_test_read_file (f->path);
  gsize size = g_bytes_get_size (original);
  static const guint8 zeros[PAGE] = { 0 };
  g_autoptr (GBytes) zeroed = replace_page (original, 3, zeros);
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (original, 0, size - PAGE / 2);

  /* Inside the file a page of zeros is damage, not an empty page. */
  vfs_test_write_file (f->path, zeroed);
  assert_verify_fails (f, 3);
  assert_detected_or_intact (f, 3, NULL);

  /* A file cut in the middle of its last page. */
  vfs_test_write_file (f->path, cut);
  assert_verify_fails (f, size / PAGE);
  assert_detected_or_intact (f, size / PAGE, NULL);

  vfs_test_write_file (f->path, original);
  assert_dump_equals (f, expected);
}

static void
assert_no_marker_in_dir (const char *dir, const char *marker)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (vfs_test_file_contains (path, marker))
        g_error ("“%s” found in %s", marker, path);
    }
}

/* A database and a hot rollback journal as a crash in the middle of a transaction
 * leaves them: the transaction spilled pages to the database (the journal holds the
 * originals) and the files were copied before it ended. */
static void
make_crashed_copy (Fixture *f, const char *crash_dir, const char *new_marker)
{
  g_autofree char *db_copy = g_build_filename (crash_dir, "school.mamori", NULL);
  g_autofree char *journal_copy = g_build_filename (crash_dir, "school.mamori-journal", NULL);
  g_autoptr (GBytes) db_bytes = NULL;
  g_autoptr (GBytes) journal_bytes = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = open_db (f, FALSE);

  vfs_test_exec (db, "PRAGMA cache_size = 4; BEGIN");
  sql = g_strdup_printf ("UPDATE t SET v = v || ' %s' || hex (randomblob (100))", new_marker);
  vfs_test_exec (db, sql);
  g_assert_true (g_file_test (f->journal, G_FILE_TEST_EXISTS));
  db_bytes = vfs_test_read_file (f->path);
  journal_bytes = vfs_test_read_file (f->journal);
  vfs_test_exec (db, "ROLLBACK");
  sqlite3_close (db);

  vfs_test_write_file (db_copy, db_bytes);
  vfs_test_write_file (journal_copy, journal_bytes);
}

static void
test_no_plaintext (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 300, "MARKER-OLD-ながさき");
  g_autofree char *crash_dir = vfs_test_make_dir ();
  g_autofree char *crash_db = g_build_filename (crash_dir, "school.mamori", NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db;
  int n_files = 0;
  g_autoptr (GDir) handle = NULL;

  assert_no_marker_in_dir (f->dir, "MARKER");
  assert_no_marker_in_dir (f->dir, "ながさき");

  make_crashed_copy (f, crash_dir, "MARKER-NEW");
  handle = g_dir_open (crash_dir, 0, NULL);
  while (g_dir_read_name (handle) != NULL)
    n_files++;
  g_assert_cmpint (n_files, ==, 2);
  assert_no_marker_in_dir (crash_dir, "MARKER");
  assert_no_marker_in_dir (crash_dir, "row 1 round");

  /* The journal is hot: opening rolls the spilled pages back. */
  db = mamori_vfs_open_db (f->vfs, crash_db, FALSE, &error);
  g_assert_no_error (error);
  {
    int rc;
    g_autofree char *dump = vfs_test_dump (db, &rc);

    g_assert_cmpint (rc, ==, SQLITE_OK);
    g_assert_cmpstr (dump, ==, expected);
  }
  sqlite3_close (db);
  vfs_test_remove_dir (crash_dir);
}

static void
test_journal_tampered (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 300, NULL);
  g_autofree char *crash_dir = vfs_test_make_dir ();
  g_autofree char *crash_db = g_build_filename (crash_dir, "school.mamori", NULL);
  g_autofree char *crash_journal = g_strconcat (crash_db, "-journal", NULL);
  g_autoptr (GBytes) journal = NULL;
  g_autoptr (GError) error = NULL;
  guint8 *data_copy;
  gsize size;
  guint32 page = 0;

  make_crashed_copy (f, crash_dir, "changed");
  journal = vfs_test_read_file (crash_journal);
  data_copy = g_bytes_unref_to_data (g_bytes_ref (journal), &size);
  /* The first record's image starts after the 512-byte header and its page number. */
  g_assert_cmpuint (size, >, 512 + 4 + PAGE + 4);
  data_copy[512 + 4 + 100] ^= 0x01;
  g_file_set_contents (crash_journal, (char *)data_copy, size, NULL);
  g_free (data_copy);

  g_assert_null (mamori_vfs_open_db (f->vfs, crash_db, FALSE, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "journal"));
  g_assert_cmpint (mamori_vfs_get_last_failure (f->vfs, &page), ==,
                   MAMORI_VFS_FAILURE_JOURNAL_DAMAGED);
  g_assert_cmpuint (page, >=, 1);
  vfs_test_remove_dir (crash_dir);
}

static void
test_temp_files_stay_in_memory (Fixture *f, gconstpointer data)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc, n = 0;

  g_free (make_db (f, 3000, NULL));
  db = open_db (f, FALSE);

  /* A sort larger than the page cache, a temporary table, a statement journal. */
  vfs_test_exec (db, "PRAGMA cache_size = 10");
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT v FROM t ORDER BY substr (v, 30), id DESC", -1, &stmt, NULL),
      ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n++;
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpint (n, ==, 3000);
  sqlite3_finalize (stmt);
  vfs_test_exec (db, "CREATE TEMP TABLE scratch AS SELECT * FROM t;"
                     "BEGIN; SAVEPOINT a; UPDATE t SET v = v || 'x'; ROLLBACK TO a; COMMIT;"
                     "VACUUM;");

  /* With temporary files on disk allowed, the shim refuses to create them. */
  vfs_test_exec (db, "PRAGMA temp_store = FILE");
  rc = sqlite3_exec (db, "SELECT v, randomblob (1000) FROM t ORDER BY substr (v, 20)", NULL, NULL,
                     NULL);
  g_assert_cmpint (rc & 0xff, ==, SQLITE_CANTOPEN);
  sqlite3_close (db);
  assert_no_marker_in_dir (f->dir, "row 1 round");
}

static void
test_refused_settings (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = make_db (f, 10, NULL);
  sqlite3 *db = open_db (f, FALSE);

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), ==,
                   SQLITE_ERROR);
  g_assert_nonnull (strstr (sqlite3_errmsg (db), "WAL"));
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA page_size = 8192", NULL, NULL, NULL), ==,
                   SQLITE_ERROR);
  sqlite3_close (db);
  assert_dump_equals (f, expected);
}

static void
test_read_db_id (Fixture *f, gconstpointer data)
{
  g_autofree char *plain_path = g_build_filename (f->dir, "plain.sqlite", NULL);
  g_autofree char *short_path = g_build_filename (f->dir, "short", NULL);
  g_autoptr (GError) error = NULL;
  guint8 id[MAMORI_VFS_DB_ID_LEN];
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (plain_path, &db), ==, SQLITE_OK);
  vfs_test_exec (db, "CREATE TABLE x (y)");
  sqlite3_close (db);
  g_assert_false (mamori_vfs_read_db_id (plain_path, id, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  /* A plain SQLite database through the vault: page 1 does not authenticate. */
  g_assert_null (mamori_vfs_open_db (f->vfs, plain_path, FALSE, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  g_file_set_contents (short_path, "abc", 3, NULL);
  g_assert_false (mamori_vfs_read_db_id (short_path, id, &error));
  g_assert_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_NOT_A_DATABASE);
}

typedef struct
{
  Fixture *f;
  int first_id;
} Writer;

/* Each thread its own connection: the VFS's one cipher context is shared by all. */
static gpointer
write_and_read (gpointer data)
{
  Writer *writer = data;
  sqlite3 *db = open_db (writer->f, FALSE);

  for (int i = 0; i < 40; i++)
    {
      g_autofree char *sql = g_strdup_printf (
          "BEGIN IMMEDIATE;"
          "INSERT INTO t (id, k, v) VALUES (%d, 'k', printf ('%%.*c', 500, 'x'));"
          "COMMIT;"
          "SELECT count (*), sum (length (v)) FROM t;",
          writer->first_id + i);

      vfs_test_exec (db, sql);
    }
  sqlite3_close (db);
  return NULL;
}

static void
test_threads (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Writer writers[4];
  GThread *threads[G_N_ELEMENTS (writers)];
  sqlite3 *db;
  sqlite3_int64 n = 0;
  sqlite3_stmt *stmt = NULL;

  g_free (make_db (f, 100, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      writers[i] = (Writer){ f, 1000 * (i + 1) };
      threads[i] = g_thread_new ("writer", write_and_read, &writers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  mamori_vfs_verify_file (f->vfs, f->path, &error);
  g_assert_no_error (error);
  db = open_db (f, FALSE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM t", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (n, ==, 100 + 4 * 40);
}

static void
test_page_codec (void)
{
  g_autoptr (GError) error = NULL;
  MamoriAead aead;
  guint8 plain[PAGE], sealed[PAGE], again[PAGE], out[PAGE];
  const guint8 journal_id[MAMORI_VFS_JOURNAL_ID_LEN] = "journal id 0001";
  const guint8 other_journal_id[MAMORI_VFS_JOURNAL_ID_LEN] = "journal id 0002";
  const guint8 nonce[MAMORI_VFS_NONCE_LEN] = "given nonce";

  for (guint i = 0; i < PAGE; i++)
    plain[i] = i * 7;
  memcpy (plain, "SQLite format 3", 16);
  plain[16] = 0x10, plain[17] = 0, plain[20] = MAMORI_VFS_RESERVE;

  for (MamoriAeadMode mode = MAMORI_AEAD_GCM; mode <= MAMORI_AEAD_GCM_SIV; mode++)
    {
      _mamori_aead_init (&aead, mode, vfs_test_key (), &error);
      g_assert_no_error (error);
      for (guint32 pgno = 1; pgno <= 2; pgno++)
        {
          g_assert_true (
              _mamori_page_seal (&aead, vfs_test_db_id (), pgno, NULL, NULL, plain, sealed));
          /* A fresh nonce each time: the same page never seals the same way twice. */
          g_assert_true (
              _mamori_page_seal (&aead, vfs_test_db_id (), pgno, NULL, NULL, plain, again));
          g_assert_true (memcmp (sealed, again, PAGE) != 0);
          g_assert_true (_mamori_page_open (&aead, vfs_test_db_id (), pgno, NULL, sealed, out));
          g_assert_cmpmem (out, MAMORI_VFS_USABLE, plain, MAMORI_VFS_USABLE);
          /* Bound to the page number and the database. */
          g_assert_false (
              _mamori_page_open (&aead, vfs_test_db_id (), pgno + 1, NULL, sealed, out));
          g_assert_false (
              _mamori_page_open (&aead, vfs_test_other_db_id (), pgno, NULL, sealed, out));
          /* In place. */
          g_assert_true (_mamori_page_open (&aead, vfs_test_db_id (), pgno, NULL, again, again));
          g_assert_cmpmem (again, MAMORI_VFS_USABLE, plain, MAMORI_VFS_USABLE);
          /* A journal's image is bound to the journal; a given nonce is used as given. */
          g_assert_true (
              _mamori_page_seal (&aead, vfs_test_db_id (), pgno, journal_id, nonce, plain, sealed));
          g_assert_cmpmem (sealed + MAMORI_VFS_NONCE_OFFSET, MAMORI_VFS_NONCE_LEN, nonce,
                           sizeof nonce);
          g_assert_true (
              _mamori_page_open (&aead, vfs_test_db_id (), pgno, journal_id, sealed, out));
          g_assert_cmpmem (out, MAMORI_VFS_USABLE, plain, MAMORI_VFS_USABLE);
          g_assert_false (_mamori_page_open (&aead, vfs_test_db_id (), pgno, NULL, sealed, out));
          g_assert_false (
              _mamori_page_open (&aead, vfs_test_db_id (), pgno, other_journal_id, sealed, out));
        }
      _mamori_aead_clear (&aead);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

  g_test_add_func ("/vfs/page-codec", test_page_codec);
#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, vfs_fixture_set_up, func, vfs_fixture_tear_down)
  ADD ("/vfs/round-trip", test_round_trip);
  ADD ("/vfs/create-empty", test_create_empty);
  ADD ("/vfs/large", test_large);
  ADD ("/vfs/wrong-key", test_wrong_key);
  ADD ("/vfs/flip-every-byte", test_flip_every_byte);
  ADD ("/vfs/swapped-pages", test_swapped_pages);
  ADD ("/vfs/page-from-other-database", test_page_from_other_database);
  ADD ("/vfs/zeroed-and-cut-pages", test_zeroed_and_cut_pages);
  ADD ("/vfs/no-plaintext", test_no_plaintext);
  ADD ("/vfs/journal-tampered", test_journal_tampered);
  ADD ("/vfs/temp-files-stay-in-memory", test_temp_files_stay_in_memory);
  ADD ("/vfs/refused-settings", test_refused_settings);
  ADD ("/vfs/read-db-id", test_read_db_id);
  ADD ("/vfs/threads", test_threads);
#undef ADD
  return g_test_run ();
}
