/* vfs-test-util.h — what the page-encryption tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "mamori-vfs.h"

G_BEGIN_DECLS

/* Initialises libgcrypt as the application does. */
void
vfs_test_init (void);

/* A fixed key and two database ids: tests are reproducible. */
const guint8 *
vfs_test_key (void);
const guint8 *
vfs_test_db_id (void);
const guint8 *
vfs_test_other_db_id (void);

/* A g_test fixture: a new directory, the path of a vault in it and of that vault's
 * rollback journal, and a VFS with the test key and id. */
typedef struct
{
  char *dir;
  char *path;
  char *journal;
  MamoriVfs *vfs;
} VfsFixture;

void
vfs_fixture_set_up (VfsFixture *f, gconstpointer data);
void
vfs_fixture_tear_down (VfsFixture *f, gconstpointer data);

/* A new empty directory under the temporary directory, and its removal with all
 * the files in it. */
char *
vfs_test_make_dir (void);
void
vfs_test_remove_dir (const char *dir);

/* Runs @sql and asserts that it succeeded. */
void
vfs_test_exec (sqlite3 *db, const char *sql);

/* The test table: rows of (id, k, v) whose k and v are derived from id and @round,
 * so that a reader can tell exactly what a row must hold.  @marker, when not NULL,
 * is written into every value (for the no-plaintext tests). */
void
vfs_test_create_table (sqlite3 *db);
void
vfs_test_insert_rows (sqlite3 *db, int first_id, int n_rows, int round, const char *marker);
char *
vfs_test_expected_value (int id, int round, const char *marker);

/* Every row of the test table, through its primary key and through its index, or
 * NULL with @out_rc set when a statement fails. */
char *
vfs_test_dump (sqlite3 *db, int *out_rc);

/* Whether @needle occurs anywhere in the file @path. */
gboolean
vfs_test_file_contains (const char *path, const char *needle);

/* Starts @child_path (vault-child) in @mode on @path; its standard output is
 * returned.  Killing it (SIGKILL) also reaps it. */
GPid
vfs_test_spawn_child (const char *child_path, const char *mode, const char *path, int *out_stdout);
void
vfs_test_kill_child (GPid pid);
/* Runs vault-child in a hold-… @mode until its transaction has spilled to the
 * database, then kills it there: its hot journal is a crash's. */
void
vfs_test_kill_child_when_ready (const char *child_path, const char *mode, const char *path);

/* The bytes of a file, and writing them back. */
GBytes *
vfs_test_read_file (const char *path);
void
vfs_test_write_file (const char *path, GBytes *bytes);

G_END_DECLS
