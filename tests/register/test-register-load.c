/* test-register-load.c — what the page's loading relies on: reading the register for a
 * table (cancelled, and taken by a table in place, the rows views keep moving to the new
 * entries), one entry read alone into the table in place, and an import's file check
 * cancelled while it reads a large file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-register-import.h"
#include "mamori-register-table.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

static const char principal_pass[] = "register load test principal";

typedef struct
{
  char *dir;
  MamoriVault *vault;
  MamoriPolicy *policy;
} Fixture;

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = vfs_test_make_dir ();
  path = g_build_filename (f->dir, "school.mamori", NULL);
  f->vault = mamori_vault_create (path, "読込テスト小学校", "校長", MAMORI_ROLE_PRINCIPAL,
                                  principal_pass, forget_code, NULL, &error);
  g_assert_no_error (error);
  f->policy = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->policy);
  g_assert_finalize_object (f->vault);
  vfs_test_remove_dir (f->dir);
  g_free (f->dir);
}

static MamoriDb *
db_of (Fixture *f)
{
  return mamori_vault_get_store (f->vault);
}

/* A register file of @n rows, each a new entry. */
static GBytes *
make_csv (guint n)
{
  GString *csv = g_string_new ("名称,分類,重要度,媒体,保管場所,取扱者,保管期限,備考\r\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "出席簿 その%u,学籍情報,A,紙,職員室の金庫 %u,教頭,5年,\r\n", i + 1,
                            i % 97);
  return g_string_free_to_bytes (csv);
}

static void
import (Fixture *f, const char *text)
{
  g_autoptr (GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr (MamoriRegisterImport) prepared = NULL;
  g_autoptr (GError) error = NULL;

  prepared = mamori_register_import_prepare (f->policy, NULL, data, 0, "test.csv");
  g_assert_cmpuint (prepared->errors->len, ==, 0);
  g_assert_true (mamori_register_import_apply (f->vault, prepared, &error));
  g_assert_no_error (error);
}

/* --- the table ------------------------------------------------------------------------ */

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} Changes;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Changes *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static MamoriRegisterSnapshot *
read_snapshot (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  MamoriRegisterSnapshot *snapshot
      = mamori_register_snapshot_read (f->policy, db_of (f), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
test_table_snapshot (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterTable) table = mamori_register_table_new ();
  g_autoptr (MamoriRegisterRow) first = NULL;
  g_autoptr (MamoriRegisterRow) second = NULL;
  g_autoptr (MamoriRegisterRow) last = NULL;
  g_autoptr (MamoriRegisterRow) row = NULL;
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (MamoriRegisterEntry) removed = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  Changes changes = { 0 };

  import (f, "名称,分類,重要度,保管場所\r\n"
             "あ資料,学籍情報,A,金庫\r\n"
             "い資料,学籍情報,B,職員室\r\n"
             "う資料,学籍情報,C,職員室\r\n"
             "え資料,学籍情報,D,校長室\r\n");
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 4);
  g_signal_connect (table, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  /* The rows a view keeps (the ones on screen). */
  first = g_list_model_get_item (G_LIST_MODEL (table), 0);
  second = g_list_model_get_item (G_LIST_MODEL (table), 1);
  last = g_list_model_get_item (G_LIST_MODEL (table), 3);

  /* Read again with nothing changed: the views hear nothing. */
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_assert_cmpuint (changes.calls, ==, 0);
  g_assert_cmpstr (mamori_register_row_get_text (first, MAMORI_REGISTER_FIELD_NAME), ==, "あ資料");

  /* One entry changed: only its row is replaced; the others stay, shown from the new
   * entries (the old ones are freed: the sanitizer pass would see them leak otherwise). */
  entry = mamori_register_find (db_of (f), mamori_register_row_get_id (second), FALSE, &error);
  g_assert_no_error (error);
  g_free (entry->location);
  entry->location = g_strdup ("理科室");
  g_assert_true (mamori_register_change (f->vault, f->policy, entry, &error));
  g_assert_no_error (error);
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (table), 1);
  g_assert_cmpstr (mamori_register_row_get_text (row, MAMORI_REGISTER_FIELD_LOCATION), ==,
                   "理科室");
  g_assert_cmpstr (mamori_register_row_get_text (first, MAMORI_REGISTER_FIELD_LOCATION), ==,
                   "金庫");
  g_assert_cmpstr (mamori_register_row_get_text (last, MAMORI_REGISTER_FIELD_NAME), ==, "え資料");
  /* The row kept for the changed entry still shows what it showed. */
  g_assert_cmpstr (mamori_register_row_get_text (second, MAMORI_REGISTER_FIELD_LOCATION), ==,
                   "職員室");

  /* One removed: the rows after it move up by one, in a single change. */
  removed = mamori_register_find (db_of (f), mamori_register_row_get_id (row), FALSE, &error);
  g_assert_true (mamori_register_remove (f->vault, removed->id, &error));
  g_assert_no_error (error);
  changes.calls = 0;
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 3);
  g_assert_cmpstr (mamori_register_row_get_text (last, MAMORI_REGISTER_FIELD_NAME), ==, "え資料");

  /* Cancelled: nothing is read. */
  g_cancellable_cancel (cancellable);
  g_assert_null (mamori_register_snapshot_read (f->policy, db_of (f), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The names shown, in order, comma-separated. */
static char *
shown_names (MamoriRegisterTable *table)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (table)); i++)
    {
      g_autoptr (MamoriRegisterRow) row = g_list_model_get_item (G_LIST_MODEL (table), i);

      g_string_append_printf (names, "%s%s", i > 0 ? "," : "",
                              mamori_register_row_get_text (row, MAMORI_REGISTER_FIELD_NAME));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* What a table reading the register afresh shows, sorted by @field, descending. */
static char *
fresh_names (Fixture *f, MamoriRegisterField field)
{
  g_autoptr (MamoriRegisterTable) fresh = mamori_register_table_new ();

  mamori_register_table_set_sort (fresh, field, TRUE);
  mamori_register_table_take_snapshot (fresh, read_snapshot (f));
  return shown_names (fresh);
}

static void
test_table_update_entry (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterTable) table = mamori_register_table_new ();
  g_autoptr (MamoriRegisterRow) second = NULL;
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (MamoriRegisterEntry) added = mamori_register_entry_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *id = NULL;
  Changes changes = { 0 };

  import (f, "名称,分類,重要度,保管場所\r\n"
             "あ資料,学籍情報,A,金庫\r\n"
             "い資料,学籍情報,B,職員室\r\n"
             "う資料,学籍情報,C,職員室\r\n"
             "え資料,学籍情報,D,校長室\r\n");
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_signal_connect (table, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  second = g_list_model_get_item (G_LIST_MODEL (table), 1);

  /* Renamed: read alone, moved in place to where its new name sorts; the views hear of
   * the rows from its old place to its new one. */
  id = g_strdup (mamori_register_row_get_id (second));
  entry = mamori_register_find (db_of (f), id, FALSE, &error);
  g_assert_no_error (error);
  g_free (entry->name);
  entry->name = g_strdup ("お資料");
  g_assert_true (mamori_register_change (f->vault, f->policy, entry, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_register_table_update_entry (table, db_of (f), id));
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 3);
  g_assert_cmpuint (changes.added, ==, 3);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "あ資料,う資料,え資料,お資料");
  /* Every order as a fresh reading has it. */
  mamori_register_table_set_sort (table, MAMORI_REGISTER_FIELD_LEVEL, TRUE);
  g_free (names);
  names = shown_names (table);
  fresh = fresh_names (f, MAMORI_REGISTER_FIELD_LEVEL);
  g_assert_cmpstr (names, ==, "え資料,う資料,お資料,あ資料");
  g_assert_cmpstr (names, ==, fresh);
  mamori_register_table_set_sort (table, MAMORI_REGISTER_FIELD_NAME, FALSE);

  /* Added last: appended in place. */
  added->name = g_strdup ("か資料");
  added->category = g_strdup ("gakuseki");
  added->level = g_strdup ("B");
  g_assert_true (mamori_register_add (f->vault, f->policy, added, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_register_table_update_entry (table, db_of (f), added->id));
  g_assert_cmpuint (mamori_register_table_get_n_entries (table), ==, 5);
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "あ資料,う資料,え資料,お資料,か資料");

  /* Removed, or brought back among older entries: not in place; the table as it was. */
  g_assert_true (mamori_register_remove (f->vault, id, &error));
  g_assert_no_error (error);
  g_assert_false (mamori_register_table_update_entry (table, db_of (f), id));
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "あ資料,う資料,え資料,お資料,か資料");
  mamori_register_table_take_snapshot (table, read_snapshot (f));
  g_assert_true (mamori_register_restore (f->vault, id, &error));
  g_assert_no_error (error);
  g_assert_false (mamori_register_table_update_entry (table, db_of (f), id));
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "あ資料,う資料,え資料,か資料");
}

/* --- an import cancelled while the file is checked ------------------------------------- */

#define N_ROWS 40000

typedef struct
{
  Fixture *f;
  GBytes *data;
  GCancellable *cancellable;
  gint started;
  gint64 returned_at;
  MamoriRegisterImport *import;
  GError *error;
} Prepare;

static gpointer
prepare_thread (gpointer user_data)
{
  Prepare *prepare = user_data;

  g_atomic_int_set (&prepare->started, 1);
  prepare->import = mamori_register_import_prepare_cancellable (
      prepare->f->policy, NULL, prepare->data, 0, "large.csv", prepare->cancellable,
      &prepare->error);
  prepare->returned_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_import_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) csv = make_csv (N_ROWS);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (MamoriRegisterImport) whole = NULL;
  g_autoptr (GError) error = NULL;
  Prepare prepare = { f, csv, cancellable, 0, 0, NULL, NULL };
  GThread *thread;
  gint64 start, full, cancelled_at;

  /* Uncancelled, the file is read whole: how long that takes on this machine now. */
  start = g_get_monotonic_time ();
  whole = mamori_register_import_prepare_cancellable (f->policy, NULL, csv, 0, "large.csv",
                                                      cancellable, &error);
  full = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (whole->errors->len, ==, 0);
  g_assert_cmpuint (whole->rows->len, ==, N_ROWS);

  /* Cancelled from another thread a tenth of the way in: it stops within a thousand
   * rows, not at the end of the file.  The margin is wide (a third of a whole read, in
   * the same conditions), so that only a check missing from the loops fails it. */
  thread = g_thread_new ("prepare", prepare_thread, &prepare);
  while (!g_atomic_int_get (&prepare.started))
    g_thread_yield ();
  g_usleep (full / 10);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_test_message ("a whole read: %" G_GINT64_FORMAT
                  " ms; from the cancel to the return: %" G_GINT64_FORMAT " ms",
                  full / 1000, (prepare.returned_at - cancelled_at) / 1000);
  g_assert_null (prepare.import);
  g_assert_error (prepare.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (prepare.returned_at - cancelled_at, <, full / 3);
  g_clear_error (&prepare.error);

  /* Cancelled before it begins: nothing is read. */
  g_assert_null (mamori_register_import_prepare_cancellable (f->policy, NULL, csv, 0, "large.csv",
                                                             cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  vfs_test_init ();

  g_test_add ("/register/load/table-snapshot", Fixture, NULL, fixture_set_up, test_table_snapshot,
              fixture_tear_down);
  g_test_add ("/register/load/table-update-entry", Fixture, NULL, fixture_set_up,
              test_table_update_entry, fixture_tear_down);
  g_test_add ("/register/load/import-cancel", Fixture, NULL, fixture_set_up, test_import_cancel,
              fixture_tear_down);
  return g_test_run ();
}
