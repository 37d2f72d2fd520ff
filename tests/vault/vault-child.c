/* vault-child.c — a process for test-crash to kill in the middle of a transaction
 *
 *   vault-child commit-loop PATH   commits transactions of 20 rows forever, printing
 *                                  the number of each after its COMMIT returned
 *   vault-child hold-journal PATH  commits 400 rows, then changes them all in a
 *                                  transaction that spills to the database, prints
 *                                  "ready" and waits
 *   vault-child hold-update PATH   changes every row of the test table t of an
 *                                  existing database the same way, prints "ready" and
 *                                  waits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mamori-vfs.h"
#include "vfs-test-util.h"

static void
commit_loop (sqlite3 *db)
{
  sqlite3_stmt *next = NULL, *insert = NULL;
  sqlite3_int64 n;

  vfs_test_exec (db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);"
                     "CREATE TABLE IF NOT EXISTS counter (n INTEGER);"
                     "INSERT INTO counter SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM counter);");
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "UPDATE counter SET n = n + 1 RETURNING n", -1, &next, NULL), ==,
      SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO t (id, v) "
                                       "VALUES (?1, printf ('%.*c', 300 + ?1 % 200, 'x'))",
                                       -1, &insert, NULL),
                   ==, SQLITE_OK);
  for (;;)
    {
      vfs_test_exec (db, "BEGIN IMMEDIATE");
      g_assert_cmpint (sqlite3_step (next), ==, SQLITE_ROW);
      n = sqlite3_column_int64 (next, 0);
      g_assert_cmpint (sqlite3_step (next), ==, SQLITE_DONE);
      sqlite3_reset (next);
      for (sqlite3_int64 id = (n - 1) * 20 + 1; id <= n * 20; id++)
        {
          sqlite3_bind_int64 (insert, 1, id);
          g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
          sqlite3_reset (insert);
        }
      vfs_test_exec (db, "COMMIT");
      printf ("%lld\n", (long long)n);
      fflush (stdout);
    }
}

/* Runs @sql in a transaction that spills to the database, and waits to be killed. */
static void
hold (sqlite3 *db, const char *sql)
{
  vfs_test_exec (db, "PRAGMA cache_size = 4; BEGIN;");
  vfs_test_exec (db, sql);
  printf ("ready\n");
  fflush (stdout);
  for (;;)
    pause ();
}

static void
hold_journal (sqlite3 *db)
{
  vfs_test_exec (
      db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
          "WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) "
          "INSERT INTO t SELECT i, 'MARKER-COMMITTED さくら ' || hex (randomblob (150)) FROM c;");
  hold (db, "UPDATE t SET v = 'MARKER-UNCOMMITTED さくら ' || v;");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVfs) vfs = NULL;
  sqlite3 *db;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s commit-loop|hold-journal|hold-update PATH\n", argv[0]);
      return 2;
    }
  vfs_test_init ();
  vfs = mamori_vfs_new (vfs_test_key (), vfs_test_db_id (), NULL, &error);
  g_assert_no_error (error);
  db = mamori_vfs_open_db (vfs, argv[2], TRUE, &error);
  g_assert_no_error (error);

  if (strcmp (argv[1], "commit-loop") == 0)
    commit_loop (db);
  else if (strcmp (argv[1], "hold-journal") == 0)
    hold_journal (db);
  else if (strcmp (argv[1], "hold-update") == 0)
    hold (db, "UPDATE t SET v = 'KILLED ' || v;");
  return 2;
}
