/* test-crash.c — the vault survives power loss and a killed process
 *
 * The power-loss test runs a random workload of inserts, updates and deletes through
 * the vault's VFS over crash-vfs.c, cuts the power at a random write, sync, truncate
 * or delete (sometimes again during the recovery), and checks after each cut that the
 * database opens, passes PRAGMA integrity_check and holds exactly the transactions
 * whose COMMIT succeeded.  MAMORI_CRASH_SEED=N replays a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash-vfs.h"
#include "mamori-vfs.h"
#include "vfs-test-util.h"

#define CRASH_VFS_NAME "mamori-test-crash"
#define CRASH_DB "/crash/school.mamori"
#define N_CRASHES 3000
#define N_IDS 60
/* Operations until the power fails: a few transactions at most. */
#define MAX_OPS_TO_CRASH 300
/* A fresh database every so many crashes, so that creation is cut too. */
#define CRASHES_PER_DATABASE 50

typedef struct
{
  CrashVfs *crash;
  MamoriVfs *vfs;
  GRand *rand;
  gboolean table_committed;
  char *committed[N_IDS + 1]; /* "k|v" of each id, NULL for none */
  guint counter;

  guint n_crashes;
  guint n_recovery_crashes;
  guint n_journals_left;
  guint n_commits;
} World;

static void
rows_free (char **rows)
{
  for (int id = 0; id <= N_IDS; id++)
    g_clear_pointer (&rows[id], g_free);
}

static void
rows_copy (char **to, char **from)
{
  for (int id = 0; id <= N_IDS; id++)
    to[id] = g_strdup (from[id]);
}

static char *
random_value (World *w, int id)
{
  GString *value = g_string_new (NULL);
  /* Mostly small rows, some long enough for overflow pages. */
  int length = g_rand_int_range (w->rand, 0, 5) == 0 ? g_rand_int_range (w->rand, 1000, 6000)
                                                     : g_rand_int_range (w->rand, 10, 400);

  g_string_printf (value, "%d|id %d change %u ", g_rand_int_range (w->rand, 0, 1000), id,
                   ++w->counter);
  while (value->len < (gsize)length)
    g_string_append_c (value, 'a' + g_rand_int_range (w->rand, 0, 26));
  return g_string_free (value, FALSE);
}

static gboolean
step_sql (sqlite3 *db, const char *sql, int id, const char *row)
{
  sqlite3_stmt *stmt = NULL;
  const char *bar = row != NULL ? strchr (row, '|') : NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, id);
      if (bar != NULL)
        {
          sqlite3_bind_int (stmt, 2, atoi (row));
          sqlite3_bind_text (stmt, 3, bar + 1, -1, SQLITE_STATIC);
        }
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/* One transaction of a few random changes; FALSE if the power failed during it. */
static gboolean
run_transaction (World *w, sqlite3 *db)
{
  char *pending[N_IDS + 1];
  gboolean ok;
  int n_changes = g_rand_int_range (w->rand, 1, 9);

  rows_copy (pending, w->committed);
  ok = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  for (int i = 0; ok && i < n_changes; i++)
    {
      int id = g_rand_int_range (w->rand, 1, N_IDS + 1);

      if (pending[id] != NULL && g_rand_int_range (w->rand, 0, 3) == 0)
        {
          ok = step_sql (db, "DELETE FROM t WHERE id = ?1", id, NULL);
          g_clear_pointer (&pending[id], g_free);
        }
      else
        {
          g_free (pending[id]);
          pending[id] = random_value (w, id);
          ok = step_sql (db, "INSERT OR REPLACE INTO t (id, k, v) VALUES (?1, ?2, ?3)", id,
                         pending[id]);
        }
    }
  if (ok)
    ok = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
  if (ok)
    {
      rows_free (w->committed);
      memcpy (w->committed, pending, sizeof pending);
      w->n_commits++;
    }
  else
    {
      rows_free (pending);
    }
  return ok;
}

/* Runs transactions until the power fails. */
static void
run_until_crash (World *w)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  crash_vfs_arm (w->crash, g_rand_int_range (w->rand, 1, MAX_OPS_TO_CRASH + 1));
  db = mamori_vfs_open_db (w->vfs, CRASH_DB, TRUE, &error);
  if (db != NULL)
    {
      if (sqlite3_exec (db,
                        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT);"
                        "CREATE INDEX IF NOT EXISTS t_k ON t (k);",
                        NULL, NULL, NULL)
          == SQLITE_OK)
        {
          w->table_committed = TRUE;
          while (run_transaction (w, db))
            ;
        }
      sqlite3_close_v2 (db);
    }
  if (!crash_vfs_has_crashed (w->crash))
    g_error ("failed without a power cut: %s",
             error != NULL ? error->message : "a statement failed");
  crash_vfs_power_loss (w->crash);
  w->n_crashes++;
}

static void
check_database (World *w, sqlite3 *db)
{
  char *found[N_IDS + 1] = { NULL };
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  if (!w->table_committed)
    return;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, k, v FROM t ORDER BY id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int id = sqlite3_column_int (stmt, 0);

      g_assert_cmpint (id, >=, 1);
      g_assert_cmpint (id, <=, N_IDS);
      found[id]
          = g_strdup_printf ("%d|%s", sqlite3_column_int (stmt, 1), sqlite3_column_text (stmt, 2));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  /* Exactly the committed transactions: nothing lost, nothing from a failed one. */
  for (int id = 1; id <= N_IDS; id++)
    if (g_strcmp0 (found[id], w->committed[id]) != 0)
      g_error ("after power cut %u, id %d holds “%.40s”, not “%.40s”", w->n_crashes, id,
               found[id] != NULL ? found[id] : "(nothing)",
               w->committed[id] != NULL ? w->committed[id] : "(nothing)");
  rows_free (found);
}

/* Opens the database after a power cut, which rolls a hot journal back; the power
 * may fail again while it does. */
static void
recover_and_check (World *w)
{
  sqlite3_vfs *crash = sqlite3_vfs_find (CRASH_VFS_NAME);
  int journal_exists = 0;

  crash->xAccess (crash, CRASH_DB "-journal", SQLITE_ACCESS_EXISTS, &journal_exists);
  if (journal_exists)
    w->n_journals_left++;
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      sqlite3 *db;

      if (g_rand_int_range (w->rand, 0, 4) == 0)
        crash_vfs_arm (w->crash, g_rand_int_range (w->rand, 1, 8));
      db = mamori_vfs_open_db (w->vfs, CRASH_DB, TRUE, &error);
      if (db != NULL && !crash_vfs_has_crashed (w->crash))
        {
          crash_vfs_arm (w->crash, 0);
          check_database (w, db);
          sqlite3_close_v2 (db);
          return;
        }
      if (db != NULL)
        sqlite3_close_v2 (db);
      if (!crash_vfs_has_crashed (w->crash))
        g_error ("the vault did not open after a power cut: %s", error->message);
      crash_vfs_power_loss (w->crash);
      w->n_crashes++;
      w->n_recovery_crashes++;
    }
}

static void
test_power_loss (void)
{
  const char *seed_env = g_getenv ("MAMORI_CRASH_SEED");
  guint32 seed = seed_env != NULL ? strtoul (seed_env, NULL, 10) : 20240601;
  g_autoptr (GError) error = NULL;
  World w = { 0 };

  g_test_message ("power-loss seed %u (replay with MAMORI_CRASH_SEED=%u)", seed, seed);
  w.rand = g_rand_new_with_seed (seed);
  w.crash = crash_vfs_new (CRASH_VFS_NAME, seed);
  w.vfs = mamori_vfs_new (vfs_test_key (), vfs_test_db_id (), CRASH_VFS_NAME, &error);
  g_assert_no_error (error);

  for (guint database = 0; w.n_crashes < N_CRASHES; database++)
    {
      /* Half the databases on a disk that promises powersafe overwrite of 512-byte
       * sectors (SQLite then writes 512-byte journal headers), half on one with
       * 4096-byte sectors and no promises (page-sized journal headers). */
      crash_vfs_reset (w.crash);
      if (database % 2 == 0)
        crash_vfs_set_device (w.crash, 512, SQLITE_IOCAP_POWERSAFE_OVERWRITE);
      else
        crash_vfs_set_device (w.crash, 4096, 0);
      rows_free (w.committed);
      w.table_committed = FALSE;

      for (guint i = 0; i < CRASHES_PER_DATABASE && w.n_crashes < N_CRASHES; i++)
        {
          run_until_crash (&w);
          recover_and_check (&w);
        }
    }
  g_test_message ("%u power cuts (%u during recovery, %u leaving a journal), "
                  "%u transactions committed, %" G_GUINT64_FORMAT " operations",
                  w.n_crashes, w.n_recovery_crashes, w.n_journals_left, w.n_commits,
                  crash_vfs_get_op_count (w.crash));
  g_assert_cmpuint (w.n_commits, >, N_CRASHES);

  rows_free (w.committed);
  mamori_vfs_free (w.vfs);
  crash_vfs_free (w.crash);
  g_rand_free (w.rand);
}

static void
test_killed_process (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVfs) vfs = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  sqlite3 *db;

  vfs = mamori_vfs_new (vfs_test_key (), vfs_test_db_id (), NULL, &error);
  g_assert_no_error (error);

  for (int round = 0, n = 0; round < 5; round++)
    {
      int child_stdout, last = n, wanted = g_rand_int_range (rand, 3, 15);
      GPid pid = vfs_test_spawn_child (VAULT_CHILD_PATH, "commit-loop", path, &child_stdout);
      FILE *lines = fdopen (child_stdout, "r");
      char line[64];
      sqlite3_stmt *stmt = NULL;

      /* The child reports each commit; it is killed while it carries on, most likely
       * inside a transaction.  What it reported before dying is still in the pipe. */
      for (int i = 0; i < wanted && fgets (line, sizeof line, lines) != NULL; i++)
        last = atoi (line);
      g_assert_cmpint (last, ==, n + wanted);
      g_usleep (g_rand_int_range (rand, 0, 3000));
      vfs_test_kill_child (pid);
      while (fgets (line, sizeof line, lines) != NULL)
        last = atoi (line);
      fclose (lines);

      db = mamori_vfs_open_db (vfs, path, FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_prepare_v2 (db,
                                           "SELECT (SELECT n FROM counter), count (*), "
                                           "sum (length (v) = 300 + id % 200) FROM t",
                                           -1, &stmt, NULL),
                       ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      n = sqlite3_column_int (stmt, 0);
      /* Everything it reported, and the transaction after if its COMMIT beat the kill. */
      g_assert_cmpint (n, >=, last);
      g_assert_cmpint (n, <=, last + 1);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, n * 20);
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, n * 20);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      mamori_vfs_verify_file (vfs, path, &error);
      g_assert_no_error (error);
    }
  vfs_test_remove_dir (dir);
}

static void
test_killed_process_leaves_no_plaintext (void)
{
  g_autofree char *dir = vfs_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "school.mamori", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVfs) vfs = NULL;
  g_autoptr (GDir) handle = NULL;
  const char *name;
  sqlite3 *db;

  vfs_test_kill_child_when_ready (VAULT_CHILD_PATH, "hold-journal", path);

  /* A hot journal and a database half-written by the killed transaction. */
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  handle = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_assert_false (vfs_test_file_contains (file, "MARKER"));
      g_assert_false (vfs_test_file_contains (file, "さくら"));
    }

  vfs = mamori_vfs_new (vfs_test_key (), vfs_test_db_id (), NULL, &error);
  g_assert_no_error (error);
  db = mamori_vfs_open_db (vfs, path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT count (*), sum (v LIKE '%MARKER-COMMITTED%'), "
                                         "sum (v LIKE '%MARKER-UNCOMMITTED%') FROM t",
                                         -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 400);
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 400);
    g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 0);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
  vfs_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

  g_test_add_func ("/vault-crash/power-loss", test_power_loss);
  g_test_add_func ("/vault-crash/killed-process", test_killed_process);
  g_test_add_func ("/vault-crash/killed-process-leaves-no-plaintext",
                   test_killed_process_leaves_no_plaintext);
  return g_test_run ();
}
