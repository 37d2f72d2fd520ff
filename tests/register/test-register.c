/* test-register.c — the asset register: changes and history as signed events, the role
 * rule, the lowered-level rule, highest level wins, CSV files (a corpus of valid and
 * malformed ones with the exact errors), CP932, imports whole or not at all, the fold
 * rebuilt from the log, and the page's table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-event-log.h"
#include "mamori-register-history.h"
#include "mamori-register-import.h"
#include "mamori-policy-install.h"
#include "mamori-register-places.h"
#include "mamori-register-table.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

static const char principal_pass[] = "register test principal";
static const char teacher_pass[] = "register test teacher";
static const char office_pass[] = "register test office";

typedef struct
{
  char *dir;
  char *path;
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

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->vault = mamori_vault_create (f->path, "台帳テスト小学校", "校長", MAMORI_ROLE_PRINCIPAL,
                                  principal_pass, forget_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->vault, "教諭", MAMORI_ROLE_TEACHER, teacher_pass, &error));
  g_assert_true (mamori_vault_add_user (f->vault, "事務", MAMORI_ROLE_OFFICE, office_pass, &error));
  f->policy = mamori_vault_load_policy (f->vault, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->policy);
  g_assert_finalize_object (f->vault);
  vfs_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static MamoriDb *
db_of (Fixture *f)
{
  return mamori_vault_get_store (f->vault);
}

static MamoriRegisterEntry *
new_entry (const char *name, const char *category, const char *level, const char *location)
{
  MamoriRegisterEntry *entry = mamori_register_entry_new ();

  entry->name = g_strdup (name);
  entry->category = g_strdup (category);
  entry->level = g_strdup (level);
  entry->location = g_strdup (location);
  return entry;
}

static gint64
count_entries (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gint64 n = -1;

  g_assert_true (mamori_register_count (db_of (f), &n, &error));
  return n;
}

static gint64
count_events (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gint64 n = -1;

  g_assert_true (mamori_event_log_count (db_of (f), &n, &error));
  return n;
}

static MamoriRegisterImport *
prepare (Fixture *f, const char *text, gssize length, MamoriCsvEncoding encoding)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) current = mamori_register_list (db_of (f), &error);
  g_autoptr (GBytes) data = g_bytes_new (text, length < 0 ? strlen (text) : (gsize)length);

  g_assert_no_error (error);
  return mamori_register_import_prepare (f->policy, current, data, encoding, "test.csv");
}

/* --- changes, history, roles ----------------------------------------------------------- */

static const MamoriRegisterFieldChange *
find_change (const MamoriRegisterHistoryItem *item, MamoriRegisterField field)
{
  for (guint i = 0; i < item->changes->len; i++)
    {
      const MamoriRegisterFieldChange *change = g_ptr_array_index (item->changes, i);

      if (change->field == field)
        return change;
    }
  return NULL;
}

static void
test_crud_and_history (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) entry = new_entry ("学級通信", "unei", "C", "職員室");
  g_autoptr (MamoriRegisterEntry) found = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  const MamoriRegisterFieldChange *change;
  MamoriRegisterHistoryItem *item;
  gint64 events = count_events (f);

  g_assert_true (mamori_register_add (f->vault, f->policy, entry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (entry->id), ==, 32);
  g_assert_cmpint (count_entries (f), ==, 1);
  g_assert_cmpint (count_events (f), ==, events + 1);

  /* Only what changed is signed; an edit that changes nothing signs nothing. */
  g_free (entry->level);
  entry->level = g_strdup ("B");
  entry->custodian = g_strdup ("  教頭　");
  g_assert_true (mamori_register_change (f->vault, f->policy, entry, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_register_change (f->vault, f->policy, entry, &error));
  g_assert_cmpint (count_events (f), ==, events + 2);

  found = mamori_register_find (db_of (f), entry->id, FALSE, &error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->level, ==, "B");
  g_assert_cmpstr (found->custodian, ==, "教頭");
  g_assert_cmpstr (found->updated_by, ==, "校長");
  g_assert_cmpstr (found->created_by, ==, "校長");

  g_assert_true (mamori_register_remove (f->vault, entry->id, &error));
  g_assert_cmpint (count_entries (f), ==, 0);
  g_assert_false (mamori_register_remove (f->vault, entry->id, &error));
  g_assert_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (mamori_register_restore (f->vault, entry->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_entries (f), ==, 1);

  history = mamori_register_history (db_of (f), entry->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  item = g_ptr_array_index (history, 0);
  g_assert_cmpstr (item->type, ==, MAMORI_EVENT_ASSET_ADDED);
  g_assert_nonnull (strstr (item->author, "校長"));
  change = find_change (item, MAMORI_REGISTER_FIELD_NAME);
  g_assert_cmpstr (change->new_value, ==, "学級通信");
  g_assert_null (change->old_value);
  item = g_ptr_array_index (history, 1);
  g_assert_cmpstr (item->type, ==, MAMORI_EVENT_ASSET_CHANGED);
  g_assert_cmpuint (item->changes->len, ==, 2);
  change = find_change (item, MAMORI_REGISTER_FIELD_LEVEL);
  g_assert_cmpstr (change->old_value, ==, "C");
  g_assert_cmpstr (change->new_value, ==, "B");
  change = find_change (item, MAMORI_REGISTER_FIELD_CUSTODIAN);
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "教頭");
  item = g_ptr_array_index (history, 2);
  g_assert_cmpstr (item->type, ==, MAMORI_EVENT_ASSET_REMOVED);
  item = g_ptr_array_index (history, 3);
  g_assert_cmpstr (item->type, ==, MAMORI_EVENT_ASSET_ADDED);
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) entry = new_entry ("図書貸出記録", "kyomu-hoken", "B", "図書室");
  g_autoptr (MamoriRegisterEntry) other = new_entry ("時間割", "unei", "D", "職員室");
  g_autoptr (GError) error = NULL;
  gint64 events;

  g_assert_true (mamori_register_add (f->vault, f->policy, entry, &error));
  g_assert_true (mamori_register_role_can_edit (MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_true (mamori_register_role_can_edit (MAMORI_ROLE_BOARD));
  g_assert_false (mamori_register_role_can_edit (MAMORI_ROLE_TEACHER));

  /* A teacher reads the register and changes nothing: the fold refuses. */
  g_assert_true (mamori_vault_unlock (f->vault, "教諭", teacher_pass, &error));
  g_assert_false (mamori_register_can_edit (f->vault));
  events = count_events (f);
  g_assert_false (mamori_register_add (f->vault, f->policy, other, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_false (mamori_register_remove (f->vault, entry->id, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f), ==, events);
  g_assert_cmpint (count_entries (f), ==, 1);

  /* The office staff keep the register. */
  g_assert_true (mamori_vault_unlock (f->vault, "事務", office_pass, &error));
  g_assert_true (mamori_register_can_edit (f->vault));
  g_assert_true (mamori_register_add (f->vault, f->policy, other, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_register_remove (f->vault, entry->id, &error));
  g_assert_cmpint (count_entries (f), ==, 1);
}

static void
test_lowered (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) lowered = new_entry ("出席簿", "gakuseki", "C", "職員室");
  g_autoptr (MamoriRegisterEntry) raised = new_entry ("学級通信", "unei", "A", "職員室");
  g_autoptr (MamoriRegisterEntry) found = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  gint64 events;

  /* 出席簿 is A in the template: C needs a reason. */
  g_assert_false (mamori_register_add (f->vault, f->policy, lowered, &error));
  g_assert_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_INVALID);
  g_clear_error (&error);
  lowered->reason = g_strdup ("氏名を記号に置き換えた写し");
  g_assert_true (mamori_register_add (f->vault, f->policy, lowered, &error));
  g_assert_no_error (error);
  found = mamori_register_find (db_of (f), lowered->id, FALSE, &error);
  g_assert_true (found->lowered);
  g_assert_cmpstr (found->reason, ==, "氏名を記号に置き換えた写し");

  /* Raising needs nothing, and drops a reason given. */
  raised->reason = g_strdup ("不要");
  g_assert_true (mamori_register_add (f->vault, f->policy, raised, &error));
  g_assert_false (raised->lowered);
  g_assert_null (raised->reason);

  /* Back to the template's level: no longer flagged. */
  g_free (lowered->level);
  lowered->level = g_strdup ("A");
  g_assert_true (mamori_register_change (f->vault, f->policy, lowered, &error));
  g_clear_pointer (&found, mamori_register_entry_free);
  found = mamori_register_find (db_of (f), lowered->id, FALSE, &error);
  g_assert_false (found->lowered);
  g_assert_null (found->reason);

  /* The fold itself refuses a lowered entry without a reason, however it was signed. */
  events = count_events (f);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, "gakuseki");
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, "D");
  json_builder_set_member_name (builder, "lowered");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "指導要録");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "00112233445566778899aabbccddeeff");
  json_builder_end_object (builder);
  event = mamori_vault_append_event (f->vault, MAMORI_EVENT_ASSET_ADDED,
                                     json_builder_get_root (builder), &error);
  g_assert_null (event);
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID);
  g_assert_cmpint (count_events (f), ==, events);
}

static void
test_checks (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) entry = new_entry ("出席簿", "gakuseki", "A", "金庫");
  g_autoptr (MamoriRegisterEntry) same = new_entry ("出席簿", "gakuseki", "A", "金庫");
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  MamoriRegisterProblem *problem;

  /* A take-out rule laxer than the level's is refused; a stricter one kept; the level's
   * own is the default, not stored. */
  entry->takeout = g_strdup ("free");
  problems = mamori_register_entry_check (entry, f->policy);
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->field, ==, MAMORI_REGISTER_FIELD_TAKEOUT);
  g_free (entry->takeout);
  entry->takeout = g_strdup ("forbidden");
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = mamori_register_entry_check (entry, f->policy);
  g_assert_cmpuint (problems->len, ==, 0);

  /* Unknown category and level; a control character. */
  g_free (entry->category);
  entry->category = g_strdup ("nothing");
  g_free (entry->level);
  entry->level = g_strdup ("Z");
  entry->notes = g_strdup ("a\x01b");
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = mamori_register_entry_check (entry, f->policy);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (((MamoriRegisterProblem *)g_ptr_array_index (problems, 0))->field, ==,
                   MAMORI_REGISTER_FIELD_NOTES);
  g_clear_pointer (&entry->notes, g_free);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = mamori_register_entry_check (entry, f->policy);
  g_assert_cmpuint (problems->len, ==, 2);

  /* One present entry per name, qualifier and place, however the place is typed. */
  g_assert_true (mamori_register_add (f->vault, f->policy, same, &error));
  g_free (same->location);
  same->location = g_strdup ("金庫 ");
  g_clear_pointer (&same->id, g_free);
  g_assert_false (mamori_register_add (f->vault, f->policy, same, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
}

static void
test_places (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) entries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_entry_free);
  g_autoptr (GPtrArray) places = NULL;
  MamoriRegisterPlace *place;

  g_ptr_array_add (entries, new_entry ("時間割", "unei", "D", "USBメモリ 3番"));
  g_ptr_array_add (entries, new_entry ("通知表", "seiseki", "B", "ＵＳＢメモリ　３番"));
  g_ptr_array_add (entries, new_entry ("学級通信", "unei", "C", "USBメモリ3番"));
  g_ptr_array_add (entries, new_entry ("学校要覧", "unei", "D", "書庫"));
  g_ptr_array_add (entries, new_entry ("行事予定", "unei", "D", NULL));
  places = mamori_register_places (f->policy, entries);
  g_assert_cmpuint (places->len, ==, 3);
  /* Highest level wins: the stick holds D, B and C, so it is B. */
  place = g_ptr_array_index (places, 0);
  g_assert_cmpstr (place->location, ==, "USBメモリ 3番");
  g_assert_cmpstr (mamori_level_get_id (place->level), ==, "B");
  g_assert_cmpuint (place->entries->len, ==, 3);
  place = g_ptr_array_index (places, 1);
  g_assert_cmpstr (mamori_level_get_id (place->level), ==, "D");
  place = g_ptr_array_index (places, 2);
  g_assert_null (place->location);

  /* Read from the vault (as the page's places view does in a thread): the places own
   * their entries; a cancelled reading gives nothing. */
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr (GError) error = NULL;

      /* Some are below the board's template for their name. */
      ((MamoriRegisterEntry *)g_ptr_array_index (entries, i))->reason = g_strdup ("試験用");
      mamori_register_add (f->vault, f->policy, g_ptr_array_index (entries, i), &error);
      g_assert_no_error (error);
    }
  g_clear_pointer (&places, g_ptr_array_unref);
  g_clear_pointer (&entries, g_ptr_array_unref);
  places = mamori_register_places_read (f->policy, mamori_vault_get_store (f->vault), NULL, NULL);
  g_assert_nonnull (places);
  g_assert_cmpuint (places->len, ==, 3);
  place = g_ptr_array_index (places, 0);
  g_assert_cmpstr (mamori_level_get_id (place->level), ==, "B");
  g_assert_cmpuint (place->entries->len, ==, 3);
  g_assert_cmpstr (((MamoriRegisterEntry *)g_ptr_array_index (place->entries, 1))->name, ==,
                   "通知表");
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_null (mamori_register_places_read (f->policy, mamori_vault_get_store (f->vault),
                                                cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* --- CSV ---------------------------------------------------------------------------- */

#define HEADER "名称,分類,重要度,媒体,保管場所,取扱者,保管期限,備考\r\n"

typedef struct
{
  const char *name;
  const char *text;
  gssize length;
  MamoriCsvEncoding encoding;
  const char *errors[4]; /* "line:column: message", exactly */
  guint n_rows;
} CsvCase;

static const CsvCase csv_cases[] = {
  { "plain", HEADER "出席簿,学籍情報,重要度A,紙,耐火金庫,教頭,20年,\r\n", -1, 0, { NULL }, 1 },
  { "bom-any-order-lf",
    "\xef\xbb\xbf重要度,名称,分類\n重要度C,学級通信,学校運営・学校経営・その他\n",
    -1,
    0,
    { NULL },
    1 },
  { "embedded-quotes-newlines",
    HEADER "\"名簿 \"\"3組\"\"\",学籍情報,重要度A,\"紙\",金庫,教頭,5年,\"1行目\r\n2行目\"\r\n"
           "出席簿,学籍情報,A,紙,金庫,教頭,5年,\r\n",
    -1,
    0,
    { NULL },
    2 },
  { "medium-words",
    HEADER "a,学籍情報,A,紙・電子,x,,,\r\nb,学籍情報,A,紙/電子,x,,,\r\nc,学籍情報,A,両方,x,,,\r\n",
    -1,
    0,
    { NULL },
    3 },
  { "empty-file",
    "",
    0,
    0,
    { "1:0: The file is empty: it needs a header row (名称,分類,重要度,…) and a row per entry" },
    0 },
  { "header-only",
    HEADER,
    -1,
    0,
    { "1:0: The file has a header but no entries: there is nothing to import" },
    0 },
  { "unknown-column",
    "名称,分類,重要度,色\r\nx,学籍情報,A,赤\r\n",
    -1,
    0,
    { "1:4: Unknown column “色” (the columns are "
      "名称、分類、重要度、媒体、保管場所、取扱者、保管期限、備考、区分、持ち出し、重要度を下げる理"
      "由)" },
    0 },
  { "missing-column",
    "名称,分類\r\nx,学籍情報\r\n",
    -1,
    0,
    { "1:0: The header has no column “重要度”" },
    0 },
  { "unknown-level",
    HEADER "出席簿,学籍情報,重要度E,紙,金庫,,,\r\n",
    -1,
    0,
    { "2:3: Unknown level “重要度E” (the policy’s levels are 重要度A、重要度B、重要度C、重要度D)" },
    0 },
  { "ragged",
    HEADER "出席簿,学籍情報,A,紙,金庫,,,,余分\r\n通知表,成績情報,B\r\n",
    -1,
    0,
    { "2:9: The row has 9 fields where the header has 8",
      "3:4: The row has 3 fields where the header has 8" },
    0 },
  { "stray-quote",
    HEADER "出席\"簿,学籍情報,A,紙,金庫,,,\r\n",
    -1,
    0,
    { "2:1: A quote (\") in the middle of a field: a field with quotes must be quoted whole, with "
      "each quote doubled (\"\")" },
    0 },
  { "unclosed-quote",
    HEADER "出席簿,学籍情報,A,紙,金庫,,,\"開いたまま\r\n",
    -1,
    0,
    { "2:8: A quoted field is not closed before the end of the file" },
    0 },
  { "not-utf8",
    HEADER "出席簿,学籍情報,A,紙,金\xff庫,,,\r\n",
    -1,
    MAMORI_CSV_ENCODING_UTF8,
    { "2:5: Bytes that are not UTF-8: save the file as UTF-8, or import it as CP932 (Shift_JIS)" },
    0 },
  { "not-cp932",
    "\x96\xbc\x8f\xcc,\x95\xaa\x97\xde,\x8f\x64\x97\x76\x93\x78\r\nx,y,\x85\x40\r\n",
    -1,
    MAMORI_CSV_ENCODING_CP932,
    { "2:3: Bytes that are not CP932 (Shift_JIS): save the file as CP932 or as UTF-8" },
    0 },
  { "duplicate-row",
    HEADER "出席簿,学籍情報,A,紙,金庫,,,\r\n出席簿,学籍情報,A,電子,金庫 ,,,\r\n",
    -1,
    0,
    { "3:1: The same entry (name, qualifier and place) as line 2" },
    0 },
  { "missing-values",
    HEADER ",学籍情報,A,紙,金庫,,,\r\nx,,,紙,金庫,,,\r\n",
    -1,
    0,
    { "2:1: The name is missing", "3:2: The category is missing", "3:3: The level is missing" },
    0 },
  { "bad-medium",
    HEADER "出席簿,学籍情報,A,石板,金庫,,,\r\n",
    -1,
    0,
    { "2:4: Unknown medium “石板” (write 紙, 電子 or 両方)" },
    0 },
  { "lowered-no-reason",
    HEADER "出席簿,学籍情報,D,紙,金庫,,,\r\n",
    -1,
    0,
    { "2:3: The policy gives this asset 重要度A: a lower level needs a reason" },
    0 },
};

static void
check_csv_case (Fixture *f, const CsvCase *c)
{
  g_autoptr (MamoriRegisterImport) import = prepare (f, c->text, c->length, c->encoding);
  guint n_expected = 0;

  while (n_expected < G_N_ELEMENTS (c->errors) && c->errors[n_expected] != NULL)
    n_expected++;
  for (guint i = 0; i < import->errors->len; i++)
    {
      g_autofree char *text = mamori_csv_error_to_string (g_ptr_array_index (import->errors, i));

      g_test_message ("%s: %s", c->name, text);
      g_assert_cmpuint (i, <, n_expected);
      g_assert_cmpstr (text, ==, c->errors[i]);
    }
  g_assert_cmpuint (import->errors->len, ==, n_expected);
  g_assert_cmpuint (import->rows->len, ==, n_expected == 0 ? c->n_rows : import->rows->len);
}

static void
test_csv_corpus (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (csv_cases); i++)
    check_csv_case (f, &csv_cases[i]);
}

static void
test_csv_values (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterImport) import = prepare (f, csv_cases[2].text, -1, 0);
  MamoriImportRow *row = g_ptr_array_index (import->rows, 0);
  g_autofree char *big = NULL;
  g_autoptr (GString) text = g_string_new (HEADER "出席簿,学籍情報,A,紙,金庫,,,");
  g_autoptr (MamoriRegisterImport) too_long = NULL;
  MamoriCsvError *error;

  g_assert_cmpstr (row->after->name, ==, "名簿 \"3組\"");
  g_assert_cmpstr (row->after->notes, ==, "1行目\n2行目");
  g_assert_cmpstr (row->after->level, ==, "A");
  g_assert_cmpint (row->after->medium, ==, MAMORI_MEDIUM_PAPER);
  g_assert_cmpuint (row->line, ==, 2);
  row = g_ptr_array_index (import->rows, 1);
  /* The second row starts on line 4: the first spans two lines. */
  g_assert_cmpuint (row->line, ==, 4);

  /* A field of 100 KB is read whole, and refused as too long, not cut. */
  big = g_strnfill (100 * 1024, 'x');
  g_string_append_printf (text, "%s\r\n", big);
  too_long = prepare (f, text->str, text->len, 0);
  g_assert_cmpuint (too_long->errors->len, ==, 1);
  error = g_ptr_array_index (too_long->errors, 0);
  g_assert_cmpuint (error->line, ==, 2);
  g_assert_cmpuint (error->column, ==, 8);
  g_assert_cmpstr (error->message, ==, "Notes is longer than 1000 characters");
}

static void
test_cp932 (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterEntry) entry = new_entry ("髙橋先生の資料①", "unei", "C", "㈱文具の棚");
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (MamoriRegisterImport) auto_import = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  gsize length;
  const guint8 *data_bytes;

  g_assert_true (mamori_register_add (f->vault, f->policy, entry, &error));
  entries = mamori_register_list (db_of (f), &error);
  csv = mamori_register_export_csv (f->policy, entries);
  bytes = mamori_csv_encode (csv, MAMORI_CSV_ENCODING_CP932, &error);
  g_assert_no_error (error);
  data_bytes = g_bytes_get_data (bytes, &length);
  /* 髙 is an IBM extension (FB FC), ① an NEC special character (87 40). */
  g_assert_nonnull (memmem (data_bytes, length, "\xfb\xfc", 2));
  g_assert_nonnull (memmem (data_bytes, length, "\x87\x40", 2));

  import = prepare (f, (const char *)data_bytes, length, MAMORI_CSV_ENCODING_CP932);
  g_assert_cmpuint (import->errors->len, ==, 0);
  g_assert_cmpuint (import->n_unchanged, ==, 1);
  /* Found by itself: not UTF-8, so CP932. */
  auto_import = prepare (f, (const char *)data_bytes, length, MAMORI_CSV_ENCODING_AUTO);
  g_assert_cmpint (auto_import->encoding, ==, MAMORI_CSV_ENCODING_CP932);
  g_assert_cmpuint (auto_import->n_unchanged, ==, 1);
}

/* --- importing ---------------------------------------------------------------------- */

static void
test_import_whole (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) text = g_string_new (HEADER);
  g_autoptr (MamoriRegisterImport) first = NULL;
  g_autoptr (MamoriRegisterImport) again = NULL;
  g_autoptr (MamoriRegisterImport) changed = NULL;
  g_autoptr (MamoriRegisterImport) broken = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  gint64 events;
  MamoriRegisterHistoryItem *item;

  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (text, "資料%u,学校運営・学校経営・その他,C,電子,サーバ%u,,,\r\n", i,
                            i % 7);
  first = prepare (f, text->str, text->len, 0);
  g_assert_cmpuint (first->errors->len, ==, 0);
  g_assert_cmpuint (first->n_added, ==, 1200);
  events = count_events (f);
  g_assert_true (mamori_register_import_apply (f->vault, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_entries (f), ==, 1200);
  /* Batches of at most MAMORI_REGISTER_BATCH_MAX entries and MAMORI_REGISTER_BATCH_BYTES. */
  g_assert_cmpint (count_events (f), >=, events + 3);
  g_assert_cmpint (count_events (f), <, events + 1200);

  /* The same file again changes nothing. */
  again = prepare (f, text->str, text->len, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 1200);
  events = count_events (f);
  g_assert_true (mamori_register_import_apply (f->vault, again, &error));
  g_assert_cmpint (count_events (f), ==, events);

  /* A changed value is a change of the entry with that name and place. */
  changed = prepare (f, HEADER "資料5,学校運営・学校経営・その他,B,電子,サーバ5,教頭,,\r\n", -1, 0);
  g_assert_cmpuint (changed->n_changed, ==, 1);
  g_assert_true (mamori_register_import_apply (f->vault, changed, &error));
  g_assert_cmpint (count_entries (f), ==, 1200);

  /* A file with one bad row imports nothing, and cannot be applied. */
  g_string_append (text, "新しい資料,学校運営・学校経営・その他,C,電子,金庫,,,\r\n");
  g_string_append (text, "壊れた行,学校運営・学校経営・その他,Q,電子,金庫,,,\r\n");
  broken = prepare (f, text->str, text->len, 0);
  g_assert_cmpuint (broken->errors->len, ==, 1);
  events = count_events (f);
  g_assert_false (mamori_register_import_apply (f->vault, broken, &error));
  g_assert_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_BAD_FILE);
  g_assert_cmpint (count_events (f), ==, events);
  g_assert_cmpint (count_entries (f), ==, 1200);

  /* The history of an imported entry shows its import and the change. */
  entries = mamori_register_list (db_of (f), NULL);
  g_clear_error (&error);
  history = mamori_register_history (
      db_of (f), ((MamoriRegisterEntry *)g_ptr_array_index (entries, 5))->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  item = g_ptr_array_index (history, 0);
  g_assert_cmpstr (item->type, ==, MAMORI_EVENT_ASSETS_IMPORTED);
  g_assert_cmpstr (item->file, ==, "test.csv");
  g_assert_cmpstr (find_change (item, MAMORI_REGISTER_FIELD_NAME)->new_value, ==, "資料5");
  item = g_ptr_array_index (history, 1);
  g_assert_cmpstr (find_change (item, MAMORI_REGISTER_FIELD_LEVEL)->old_value, ==, "C");
  g_assert_cmpstr (find_change (item, MAMORI_REGISTER_FIELD_LEVEL)->new_value, ==, "B");
}

/* Entries as long as they may be: each batch stays signable (a payload past libgcrypt's
 * secure memory would abort the process). */
static void
test_import_large (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) text
      = g_string_new ("名称,分類,重要度,保管場所,取扱者,保管期限,備考,区分\r\n");
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) long_text = g_string_new ("\"");

  for (guint i = 0; i < MAMORI_REGISTER_TEXT_MAX / 2; i++)
    g_string_append (long_text, "漢\"\"");
  g_string_append (long_text, "\"");
  for (guint i = 0; i < 12; i++)
    g_string_append_printf (text, "資料%u,学校運営・学校経営・その他,C,%s,%s,%s,%s,%s\r\n", i,
                            long_text->str, long_text->str, long_text->str, long_text->str,
                            long_text->str);
  import = prepare (f, text->str, text->len, 0);
  g_assert_cmpuint (import->errors->len, ==, 0);
  g_assert_true (mamori_register_import_apply (f->vault, import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_entries (f), ==, 12);
}

static void
test_import_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterImport) import
      = prepare (f, HEADER "出席簿,学籍情報,A,紙,金庫,,,\r\n", -1, 0);
  g_autoptr (GError) error = NULL;
  gint64 events = count_events (f);

  g_assert_true (mamori_vault_unlock (f->vault, "教諭", teacher_pass, &error));
  g_assert_false (mamori_register_import_apply (f->vault, import, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_assert_cmpint (count_events (f), ==, events);
  g_assert_cmpint (count_entries (f), ==, 0);
}

/* A scheme of several axes (mic-cia: 機密性 × 完全性 × 可用性): the register records each
 * axis, and its file has a column per further axis. */
static void
test_axes (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriPolicy) mic = mamori_policy_new_from_preset ("mic-cia", NULL);
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (MamoriRegisterImport) again = NULL;
  g_autoptr (MamoriRegisterImport) bad = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  MamoriRegisterEntry *entry;

  g_assert_true (mamori_vault_store_policy (f->vault, mic, &error));
  g_clear_object (&f->policy);
  f->policy = mamori_vault_load_policy (f->vault, &error);
  import = prepare (
      f, "名称,分類,重要度,完全性,可用性\r\n成績一覧表,成績情報,機密性3,完全性2,A1\r\n", -1, 0);
  g_assert_cmpuint (import->errors->len, ==, 0);
  g_assert_true (mamori_register_import_apply (f->vault, import, &error));
  g_assert_no_error (error);
  entries = mamori_register_list (db_of (f), &error);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->level, ==, "C3");
  g_assert_cmpstr (g_hash_table_lookup (entry->axes, "integrity"), ==, "I2");
  g_assert_cmpstr (g_hash_table_lookup (entry->axes, "availability"), ==, "A1");

  /* Written with the axes' labels, read back unchanged. */
  csv = mamori_register_export_csv (f->policy, entries);
  g_assert_nonnull (strstr (csv, "完全性,可用性\r\n"));
  g_assert_nonnull (strstr (csv, ",完全性2,可用性1\r\n"));
  again = prepare (f, csv, -1, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 1);

  bad = prepare (f, "名称,分類,重要度,完全性\r\nx,成績情報,機密性1,完全性9\r\n", -1, 0);
  g_assert_cmpuint (bad->errors->len, ==, 1);
  g_assert_cmpstr (((MamoriCsvError *)g_ptr_array_index (bad->errors, 0))->message, ==,
                   "完全性 has no value “完全性9”");
}

/* --- the fold is a cache of the log -------------------------------------------------- */

static char *
dump_register (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = mamori_register_list (db_of (f), &error);

  g_assert_no_error (error);
  return mamori_register_export_csv (f->policy, entries);
}

static void
test_rebuild (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterImport) import = prepare (f, csv_cases[3].text, -1, 0);
  g_autoptr (MamoriRegisterEntry) entry = new_entry ("出席簿", "gakuseki", "D", "金庫");
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (mamori_register_import_apply (f->vault, import, &error));
  entry->reason = g_strdup ("写し");
  g_assert_true (mamori_register_add (f->vault, f->policy, entry, &error));
  g_free (entry->custodian);
  entry->custodian = g_strdup ("教頭");
  g_assert_true (mamori_register_change (f->vault, f->policy, entry, &error));
  g_assert_no_error (error);
  before = dump_register (f);

  g_assert_true (mamori_db_exec (db_of (f), "BEGIN", &error));
  g_assert_true (
      mamori_event_log_rebuild (db_of (f), mamori_vault_get_school_id (f->vault), &error));
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (db_of (f), "COMMIT", &error));
  after = dump_register (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_entries (f), ==, 4);
}

/* --- the page's table ------------------------------------------------------------------ */

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

static void
test_table (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriRegisterImport) import
      = prepare (f,
                 HEADER "ぱすわーど表,事務関連,B,紙,事務室,,,\r\n"
                        "通知表,成績情報,A,紙,ＵＳＢメモリ,,,\r\n"
                        "時間割,学校運営・学校経営・その他,D,電子,職員室,,,\r\n"
                        "出席簿,学籍情報,A,紙,金庫,,,\r\n",
                 -1, 0);
  g_autoptr (MamoriRegisterTable) table = mamori_register_table_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;

  g_assert_true (mamori_register_import_apply (f->vault, import, &error));
  g_assert_true (mamori_register_table_load (table, f->policy, db_of (f), &error));
  g_assert_cmpuint (mamori_register_table_get_n_entries (table), ==, 4);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "ぱすわーど表,出席簿,時間割,通知表");

  mamori_register_table_set_sort (table, MAMORI_REGISTER_FIELD_LEVEL, FALSE);
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "通知表,出席簿,ぱすわーど表,時間割");
  mamori_register_table_set_sort (table, MAMORI_REGISTER_FIELD_LEVEL, TRUE);
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "時間割,ぱすわーど表,通知表,出席簿");

  /* Search as you type, normalised: katakana finds hiragana, half-width finds full-width. */
  mamori_register_table_set_filter (table, "パスワード", NULL, NULL);
  g_free (names);
  names = shown_names (table);
  g_assert_cmpstr (names, ==, "ぱすわーど表");
  mamori_register_table_set_filter (table, "usb", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 1);
  mamori_register_table_set_filter (table, "", NULL, "A");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 2);
  mamori_register_table_set_filter (table, "", "gakuseki", "A");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 1);
  mamori_register_table_set_filter (table, "表 紙", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (table)), ==, 0);
}

/* A board moves its schools from 大分県's A–D to MEXT's Ⅰ–Ⅳ and back: a register of
 * 1,000 entries keeps every entry, each at the level the mapping gives it, and comes back
 * to where it was; a teacher cannot; without a mapping the scheme change is refused. */
static void
test_policy_install (Fixture *f, gconstpointer data)
{
  static const char *const levels[] = { "A", "B", "C", "D" };
  g_autoptr (MamoriPolicy) mext = mamori_policy_new_from_preset ("mext-2025", NULL);
  g_autoptr (MamoriPolicy) oita = mamori_policy_new_from_preset ("oita-abcd", NULL);
  g_autoptr (GPtrArray) before = NULL, after = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) bodies = g_array_new (FALSE, FALSE, sizeof (MamoriEventDraft));
  g_autoptr (GPtrArray) events = NULL;
  guint moved = 0;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("学校独自の記録 %u", i);
      g_autoptr (MamoriRegisterEntry) entry
          = new_entry (name, "unei", levels[i % 4], i % 2 ? "職員室" : "校務用サーバー");
      g_autoptr (GPtrArray) problems = NULL;
      MamoriEventDraft draft;

      entry->id = mamori_register_new_id ();
      problems = mamori_register_entry_check (entry, f->policy);
      g_assert_cmpuint (problems->len, ==, 0);
      draft = (MamoriEventDraft){ MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (entry) };
      g_array_append_val (bodies, draft);
    }
  events = mamori_vault_append_events (f->vault, (MamoriEventDraft *)bodies->data, bodies->len,
                                       &error);
  g_assert_no_error (error);
  before = mamori_register_list (db_of (f), &error);
  g_assert_cmpuint (before->len, ==, 1000);

  /* Without a mapping, or with one that leaves a level out: nothing changes. */
  g_assert_false (mamori_policy_install (f->vault, mext, NULL, NULL, &error));
  g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_false (mamori_policy_install (f->vault, mext, "A=I,B=II,C=III", NULL, &error));
  g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING);
  g_clear_error (&error);
  /* A teacher cannot change the policy at all. */
  mamori_vault_lock (f->vault);
  g_assert_true (mamori_vault_unlock (f->vault, "教諭", teacher_pass, &error));
  g_assert_false (mamori_policy_install (f->vault, mext, "A=I,B=II,C=III,D=IV", NULL, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  mamori_vault_lock (f->vault);
  g_assert_true (mamori_vault_unlock (f->vault, "校長", principal_pass, &error));
  {
    g_autoptr (MamoriPolicy) still = mamori_vault_load_policy (f->vault, &error);

    g_assert_cmpstr (mamori_policy_get_id (still), ==, "oita-abcd");
  }

  g_assert_true (mamori_policy_install (f->vault, mext, "A=Ⅰ, B=Ⅱ, C=Ⅲ, D=Ⅳ", &moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moved, ==, 1000);
  after = mamori_register_list (db_of (f), &error);
  g_assert_cmpuint (after->len, ==, 1000);
  for (guint i = 0; i < after->len; i++)
    {
      MamoriRegisterEntry *was = g_ptr_array_index (before, i), *now = g_ptr_array_index (after, i);
      static const char *const mext_levels[] = { "I", "II", "III", "IV" };

      g_assert_cmpstr (now->id, ==, was->id);
      g_assert_cmpstr (now->level, ==, mext_levels[i % 4]);
    }
  {
    g_autoptr (MamoriPolicy) now = mamori_vault_load_policy (f->vault, &error);

    g_assert_cmpstr (mamori_policy_get_id (now), ==, "mext-2025");
  }

  /* And back. */
  g_assert_true (mamori_policy_install (f->vault, oita, "I=A,II=B,III=C,IV=D", &moved, &error));
  g_assert_no_error (error);
  back = mamori_register_list (db_of (f), &error);
  for (guint i = 0; i < back->len; i++)
    g_assert_cmpstr (((MamoriRegisterEntry *)back->pdata[i])->level, ==,
                     ((MamoriRegisterEntry *)before->pdata[i])->level);

  /* Every move is a signed record: the tables fold again to the same. */
  g_assert_true (mamori_db_exec (db_of (f), "BEGIN IMMEDIATE", &error));
  g_assert_true (
      mamori_event_log_rebuild (db_of (f), mamori_vault_get_school_id (f->vault), &error));
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (db_of (f), "COMMIT", &error));
  {
    g_autoptr (GPtrArray) rebuilt = mamori_register_list (db_of (f), &error);
    g_autoptr (MamoriPolicy) now = mamori_vault_load_policy (f->vault, &error);

    for (guint i = 0; i < rebuilt->len; i++)
      g_assert_cmpstr (((MamoriRegisterEntry *)rebuilt->pdata[i])->level, ==,
                       ((MamoriRegisterEntry *)before->pdata[i])->level);
    g_assert_cmpstr (mamori_policy_get_id (now), ==, "oita-abcd");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  vfs_test_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/register/crud-and-history", test_crud_and_history);
  ADD ("/register/roles", test_roles);
  ADD ("/register/lowered", test_lowered);
  ADD ("/register/checks", test_checks);
  ADD ("/register/places", test_places);
  ADD ("/register/csv/corpus", test_csv_corpus);
  ADD ("/register/csv/values", test_csv_values);
  ADD ("/register/csv/cp932", test_cp932);
  ADD ("/register/import/whole", test_import_whole);
  ADD ("/register/import/refused", test_import_refused);
  ADD ("/register/import/large", test_import_large);
  ADD ("/register/axes", test_axes);
  ADD ("/register/rebuild", test_rebuild);
  ADD ("/register/table", test_table);
  ADD ("/register/policy-install", test_policy_install);
#undef ADD
  return g_test_run ();
}
