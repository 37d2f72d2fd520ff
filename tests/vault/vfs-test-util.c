/* vfs-test-util.c — what the page-encryption tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "mamori-crypto.h"
#include "mamori-vfs.h"
#include "vfs-test-util.h"

static const guint8 test_key[MAMORI_VFS_KEY_LEN] = {
  0x4d, 0x61, 0x6d, 0x6f, 0x72, 0x69, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x6b, 0x65, 0x79, 0x21,
  0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};
static const guint8 test_db_id[MAMORI_VFS_DB_ID_LEN] = {
  0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18, 0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x8f, 0x90,
};
static const guint8 other_db_id[MAMORI_VFS_DB_ID_LEN] = {
  0x90, 0x8f, 0x7e, 0x6d, 0x5c, 0x4b, 0x3a, 0x29, 0x18, 0x07, 0xf6, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1,
};

void
vfs_test_init (void)
{
  g_autoptr (GError) error = NULL;

  mamori_crypto_init (&error);
  g_assert_no_error (error);
}

const guint8 *
vfs_test_key (void)
{
  return test_key;
}

const guint8 *
vfs_test_db_id (void)
{
  return test_db_id;
}

const guint8 *
vfs_test_other_db_id (void)
{
  return other_db_id;
}

char *
vfs_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (NULL, &error);

  g_assert_no_error (error);
  return dir;
}

void
vfs_test_remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

void
vfs_fixture_set_up (VfsFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->journal = g_strconcat (f->path, "-journal", NULL);
  f->vfs = mamori_vfs_new (vfs_test_key (), vfs_test_db_id (), NULL, &error);
  g_assert_no_error (error);
}

void
vfs_fixture_tear_down (VfsFixture *f, gconstpointer data)
{
  mamori_vfs_free (f->vfs);
  vfs_test_remove_dir (f->dir);
  g_free (f->journal);
  g_free (f->path);
  g_free (f->dir);
}

void
vfs_test_exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s (%d)", sql, message, rc);
}

void
vfs_test_create_table (sqlite3 *db)
{
  vfs_test_exec (db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL);"
                     "CREATE INDEX t_k ON t (k);");
}

char *
vfs_test_expected_value (int id, int round, const char *marker)
{
  GString *value = g_string_new (NULL);
  guint32 state = (guint32)id * 2654435761u ^ (guint32)round * 40503u;
  int length = 20 + (int)(state % 300);

  g_string_append_printf (value, "row %d round %d %s ", id, round, marker != NULL ? marker : "");
  for (int i = 0; i < length; i++)
    {
      state = state * 1103515245u + 12345u;
      g_string_append_c (value, 'a' + (state >> 16) % 26);
    }
  return g_string_free (value, FALSE);
}

void
vfs_test_insert_rows (sqlite3 *db, int first_id, int n_rows, int round, const char *marker)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO t (id, k, v) VALUES (?, ?, ?)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  vfs_test_exec (db, "BEGIN");
  for (int id = first_id; id < first_id + n_rows; id++)
    {
      char *value = vfs_test_expected_value (id, round, marker);

      sqlite3_bind_int (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, value + strlen (value) - 12, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, value, -1, g_free);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  vfs_test_exec (db, "COMMIT");
  sqlite3_finalize (stmt);
}

static int
append_rows (sqlite3 *db, const char *sql, GString *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s|", (const char *)sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

char *
vfs_test_dump (sqlite3 *db, int *out_rc)
{
  g_autoptr (GString) out = g_string_new (NULL);
  int rc;

  rc = append_rows (db, "SELECT id, k, v FROM t ORDER BY id", out);
  if (rc == SQLITE_OK)
    rc = append_rows (db, "SELECT k, id FROM t INDEXED BY t_k ORDER BY k", out);
  *out_rc = rc;
  return rc == SQLITE_OK ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

gboolean
vfs_test_file_contains (const char *path, const char *needle)
{
  g_autoptr (GBytes) bytes = vfs_test_read_file (path);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return memmem (data, size, needle, strlen (needle)) != NULL;
}

GPid
vfs_test_spawn_child (const char *child_path, const char *mode, const char *path, int *out_stdout)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { child_path, mode, path, NULL };
  GPid pid;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                            NULL, out_stdout, NULL, &error);
  g_assert_no_error (error);
  return pid;
}

void
vfs_test_kill_child (GPid pid)
{
  int status;

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);
}

void
vfs_test_kill_child_when_ready (const char *child_path, const char *mode, const char *path)
{
  int child_stdout;
  GPid pid = vfs_test_spawn_child (child_path, mode, path, &child_stdout);
  FILE *lines = fdopen (child_stdout, "r");
  char line[64] = "";

  g_assert_nonnull (fgets (line, sizeof line, lines));
  g_assert_cmpstr (line, ==, "ready\n");
  vfs_test_kill_child (pid);
  fclose (lines);
}

GBytes *
vfs_test_read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  g_file_get_contents (path, &data, &size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, size);
}

void
vfs_test_write_file (const char *path, GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
}
