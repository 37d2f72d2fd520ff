/* mamori-register-import.c — register files: reading, preview, applying, writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "mamori-normalize.h"
#include "mamori-policy-axis.h"
#include "mamori-register-import.h"
#include "mamori-register-private.h"
#include "mamori-register-xlsx.h"

typedef MamoriRegisterColumn Column;

GArray *
_mamori_register_columns (MamoriPolicy *policy)
{
  static const MamoriRegisterField order[] = {
    MAMORI_REGISTER_FIELD_NAME,      MAMORI_REGISTER_FIELD_CATEGORY,
    MAMORI_REGISTER_FIELD_LEVEL,     MAMORI_REGISTER_FIELD_MEDIUM,
    MAMORI_REGISTER_FIELD_LOCATION,  MAMORI_REGISTER_FIELD_CUSTODIAN,
    MAMORI_REGISTER_FIELD_RETENTION, MAMORI_REGISTER_FIELD_NOTES,
    MAMORI_REGISTER_FIELD_QUALIFIER, MAMORI_REGISTER_FIELD_TAKEOUT,
    MAMORI_REGISTER_FIELD_REASON,
  };
  GArray *columns = g_array_new (FALSE, TRUE, sizeof (Column));
  GListModel *axes = mamori_policy_get_axes (policy);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      Column column = { order[i], NULL };

      g_array_append_val (columns, column);
    }
  for (guint i = 0; i < g_list_model_get_n_items (axes); i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      Column column = { MAMORI_REGISTER_FIELD_AXES, axis };

      g_array_append_val (columns, column);
    }
  return columns;
}

const char *
_mamori_register_column_header (const MamoriRegisterColumn *column)
{
  return column->axis != NULL ? mamori_axis_get_label (column->axis)
                              : mamori_register_field_get_header (column->field);
}

void
mamori_register_import_free (MamoriRegisterImport *import)
{
  if (import == NULL)
    return;
  g_free (import->file_name);
  g_ptr_array_unref (import->errors);
  g_ptr_array_unref (import->rows);
  g_free (import);
}

static void
import_row_free (MamoriImportRow *row)
{
  mamori_register_entry_free (row->before);
  mamori_register_entry_free (row->after);
  g_free (row);
}

/* --- the header -------------------------------------------------------------------- */

static char *
known_headers (GArray *columns)
{
  g_autoptr (GString) list = g_string_new (NULL);

  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? "、" : "",
                            _mamori_register_column_header (&g_array_index (columns, Column, i)));
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* The file's columns, by position; FALSE with errors when a header is unknown, repeated
 * or a required one is missing. */
static gboolean
read_header (MamoriPolicy *policy, const MamoriCsvRow *row, GArray *out_columns, GPtrArray *errors)
{
  static const MamoriRegisterField required[]
      = { MAMORI_REGISTER_FIELD_NAME, MAMORI_REGISTER_FIELD_CATEGORY, MAMORI_REGISTER_FIELD_LEVEL };
  g_autoptr (GArray) columns = _mamori_register_columns (policy);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_errors = errors->len;

  for (guint i = 0; i < row->fields->len; i++)
    {
      g_autofree char *name = mamori_normalize (g_ptr_array_index (row->fields, i));
      const Column *found = NULL;

      for (guint c = 0; c < columns->len && found == NULL; c++)
        {
          g_autofree char *header = mamori_normalize (
              _mamori_register_column_header (&g_array_index (columns, Column, c)));

          if (g_str_equal (name, header))
            found = &g_array_index (columns, Column, c);
        }
      if (found == NULL)
        {
          g_autofree char *list = known_headers (columns);

          mamori_csv_add_error (errors, row->line, i + 1,
                                _ ("Unknown column “%s” (the columns are %s)"),
                                (const char *)g_ptr_array_index (row->fields, i), list);
          continue;
        }
      if (g_hash_table_contains (seen, found))
        {
          mamori_csv_add_error (errors, row->line, i + 1, _ ("The column “%s” appears twice"),
                                _mamori_register_column_header (found));
          continue;
        }
      g_hash_table_add (seen, (gpointer)found);
      g_array_append_val (out_columns, *found);
    }
  for (guint r = 0; r < G_N_ELEMENTS (required); r++)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < out_columns->len; i++)
        present |= g_array_index (out_columns, Column, i).field == required[r];
      if (!present)
        mamori_csv_add_error (errors, row->line, 0, _ ("The header has no column “%s”"),
                              mamori_register_field_get_header (required[r]));
    }
  return errors->len == n_errors;
}

/* --- values ------------------------------------------------------------------------ */

static char *
level_labels (MamoriPolicy *policy)
{
  GListModel *levels = mamori_policy_get_levels (policy);
  g_autoptr (GString) list = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      g_string_append_printf (list, "%s%s", i > 0 ? "、" : "", mamori_level_get_label (level));
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static void
set_text (char **slot, const char *text)
{
  g_free (*slot);
  *slot = *text != '\0' ? g_strdup (text) : NULL;
}

/* Puts the file's @text for @column into @entry; FALSE with an error when it is not a
 * value the column can hold. */
static gboolean
read_value (MamoriPolicy *policy,
            MamoriRegisterEntry *entry,
            const Column *column,
            const char *text,
            guint line,
            guint position,
            GPtrArray *errors)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  MamoriTakeoutRule rule;
  const char *category;
  MamoriLevel *level;
  MamoriAxisValue *value;

  switch (column->field)
    {
    case MAMORI_REGISTER_FIELD_CATEGORY:
      if (*trimmed == '\0')
        break;
      category = mamori_register_find_category (policy, trimmed);
      if (category == NULL)
        {
          mamori_csv_add_error (errors, line, position, _ ("The policy has no category “%s”"),
                                trimmed);
          return FALSE;
        }
      set_text (&entry->category, category);
      return TRUE;
    case MAMORI_REGISTER_FIELD_LEVEL:
      if (*trimmed == '\0')
        break;
      level = mamori_register_find_level (policy, trimmed);
      if (level == NULL)
        {
          g_autofree char *labels = level_labels (policy);

          mamori_csv_add_error (errors, line, position,
                                _ ("Unknown level “%s” (the policy’s levels are %s)"), trimmed,
                                labels);
          return FALSE;
        }
      set_text (&entry->level, mamori_level_get_id (level));
      return TRUE;
    case MAMORI_REGISTER_FIELD_MEDIUM:
      if (!mamori_medium_parse (trimmed, &entry->medium))
        {
          mamori_csv_add_error (errors, line, position,
                                _ ("Unknown medium “%s” (write 紙, 電子 or 両方)"), trimmed);
          return FALSE;
        }
      return TRUE;
    case MAMORI_REGISTER_FIELD_TAKEOUT:
      if (*trimmed == '\0')
        {
          g_clear_pointer (&entry->takeout, g_free);
          return TRUE;
        }
      if (!mamori_register_takeout_parse (trimmed, &rule))
        {
          mamori_csv_add_error (errors, line, position, _ ("Unknown take-out rule “%s”"), trimmed);
          return FALSE;
        }
      set_text (&entry->takeout, mamori_takeout_rule_to_string (rule));
      return TRUE;
    case MAMORI_REGISTER_FIELD_AXES:
      if (*trimmed == '\0')
        {
          if (entry->axes != NULL)
            g_hash_table_remove (entry->axes, mamori_axis_get_id (column->axis));
          return TRUE;
        }
      value = mamori_register_find_axis_value (policy, column->axis, trimmed);
      if (value == NULL)
        {
          mamori_csv_add_error (errors, line, position, _ ("%s has no value “%s”"),
                                mamori_axis_get_label (column->axis), trimmed);
          return FALSE;
        }
      if (entry->axes == NULL)
        entry->axes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (entry->axes, g_strdup (mamori_axis_get_id (column->axis)),
                           g_strdup (mamori_axis_value_get_id (value)));
      return TRUE;
    case MAMORI_REGISTER_FIELD_NAME:
      set_text (&entry->name, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_QUALIFIER:
      set_text (&entry->qualifier, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_LOCATION:
      set_text (&entry->location, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      set_text (&entry->custodian, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_RETENTION:
      set_text (&entry->retention, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_NOTES:
      set_text (&entry->notes, text);
      return TRUE;
    case MAMORI_REGISTER_FIELD_REASON:
      set_text (&entry->reason, text);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
  /* An empty category or level: the entry's check says it is missing. */
  set_text (column->field == MAMORI_REGISTER_FIELD_LEVEL ? &entry->level : &entry->category, "");
  return TRUE;
}

/* --- rows -------------------------------------------------------------------------- */

/* The file's column for a problem with @field (that of the level for a missing reason
 * when the file has no reason column), 1-based; 0 when the file has none. */
static guint
column_of (GArray *columns, MamoriRegisterField field)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_array_index (columns, Column, i).field == field)
      return i + 1;
  if (field == MAMORI_REGISTER_FIELD_REASON)
    return column_of (columns, MAMORI_REGISTER_FIELD_LEVEL);
  return 0;
}

static gboolean
row_is_empty (const MamoriCsvRow *row)
{
  for (guint i = 0; i < row->fields->len; i++)
    {
      g_autofree char *field = g_strstrip (g_strdup (g_ptr_array_index (row->fields, i)));

      if (*field != '\0')
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  MamoriPolicy *policy;
  GArray *columns;
  GHashTable *current;   /* key → MamoriRegisterEntry (borrowed) */
  GHashTable *file_keys; /* key → line of the row that has it */
  MamoriRegisterImport *import;
} Preparation;

static void
read_row (Preparation *prep, const MamoriCsvRow *row)
{
  GPtrArray *errors = prep->import->errors;
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree char *key = NULL;
  MamoriRegisterEntry *existing;
  MamoriImportRow *import_row;
  guint n_errors = errors->len;

  if (row->fields->len != prep->columns->len)
    {
      g_autofree char *has = g_strdup_printf ("%u", row->fields->len);
      g_autofree char *wants = g_strdup_printf ("%u", prep->columns->len);

      mamori_csv_add_error (errors, row->line, MIN (row->fields->len, prep->columns->len) + 1,
                            _ ("The row has %s fields where the header has %s"), has, wants);
      return;
    }
  for (guint i = 0; i < prep->columns->len; i++)
    read_value (prep->policy, entry, &g_array_index (prep->columns, Column, i),
                g_ptr_array_index (row->fields, i), row->line, i + 1, errors);
  if (errors->len > n_errors)
    return;
  /* The row is the register's entry of that name, qualifier and place, if there is one:
   * the file's columns over its values. */
  key = mamori_register_entry_key (entry);
  existing = g_hash_table_lookup (prep->current, key);
  if (existing != NULL)
    {
      mamori_register_entry_free (entry);
      entry = mamori_register_entry_copy (existing);
      for (guint i = 0; i < prep->columns->len; i++)
        read_value (prep->policy, entry, &g_array_index (prep->columns, Column, i),
                    g_ptr_array_index (row->fields, i), row->line, i + 1, errors);
    }
  /* The check trims and composes the text, which the key's normalisation does anyway:
   * the key stays the same. */
  problems = mamori_register_entry_check (entry, prep->policy);
  for (guint i = 0; i < problems->len; i++)
    {
      MamoriRegisterProblem *problem = g_ptr_array_index (problems, i);

      mamori_csv_add_error (errors, row->line, column_of (prep->columns, problem->field), "%s",
                            problem->message);
    }
  if (errors->len > n_errors)
    return;
  if (g_hash_table_contains (prep->file_keys, key))
    {
      g_autofree char *first
          = g_strdup_printf ("%u", GPOINTER_TO_UINT (g_hash_table_lookup (prep->file_keys, key)));

      mamori_csv_add_error (errors, row->line,
                            column_of (prep->columns, MAMORI_REGISTER_FIELD_NAME),
                            _ ("The same entry (name, qualifier and place) as line %s"), first);
      return;
    }
  g_hash_table_insert (prep->file_keys, g_steal_pointer (&key), GUINT_TO_POINTER (row->line));

  import_row = g_new0 (MamoriImportRow, 1);
  import_row->line = row->line;
  import_row->after = g_steal_pointer (&entry);
  if (existing == NULL)
    {
      import_row->kind = MAMORI_IMPORT_ROW_ADDED;
      prep->import->n_added++;
    }
  else
    {
      import_row->before = mamori_register_entry_copy (existing);
      if (mamori_register_entry_same_fields (existing, import_row->after)
          && existing->lowered == import_row->after->lowered)
        {
          import_row->kind = MAMORI_IMPORT_ROW_UNCHANGED;
          prep->import->n_unchanged++;
        }
      else
        {
          import_row->kind = MAMORI_IMPORT_ROW_CHANGED;
          prep->import->n_changed++;
        }
    }
  g_ptr_array_add (prep->import->rows, import_row);
}

MamoriRegisterImport *
mamori_register_import_prepare (MamoriPolicy *policy,
                                GPtrArray *current,
                                GBytes *data,
                                MamoriCsvEncoding encoding,
                                const char *file_name)
{
  return mamori_register_import_prepare_cancellable (policy, current, data, encoding, file_name,
                                                     NULL, NULL);
}

/* Rows checked between two looks at the cancellable. */
#define ROWS_BETWEEN_CHECKS 1024

MamoriRegisterImport *
mamori_register_import_prepare_cancellable (MamoriPolicy *policy,
                                            GPtrArray *current,
                                            GBytes *data,
                                            MamoriCsvEncoding encoding,
                                            const char *file_name,
                                            GCancellable *cancellable,
                                            GError **error)
{
  g_autoptr (MamoriRegisterImport) import = g_new0 (MamoriRegisterImport, 1);
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) file_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  Preparation prep = { policy, columns, by_key, file_keys, import };
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  import->file_name = g_strdup (file_name);
  import->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_csv_error_free);
  import->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)import_row_free);
  text = mamori_csv_decode (bytes != NULL ? bytes : (const guint8 *)"", length, encoding,
                            &import->encoding, import->errors);
  if (text == NULL)
    return g_steal_pointer (&import);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  rows = mamori_csv_parse_cancellable (text, cancellable, import->errors, error);
  if (rows == NULL)
    return NULL;
  g_clear_pointer (&text, g_free);
  if (import->errors->len > 0)
    return g_steal_pointer (&import);
  if (rows->len == 0)
    {
      mamori_csv_add_error (import->errors, 1, 0,
                            _ ("The file is empty: it needs a header row (名称,分類,重要度,…) "
                               "and a row per entry"));
      return g_steal_pointer (&import);
    }
  if (!read_header (policy, g_ptr_array_index (rows, 0), columns, import->errors))
    return g_steal_pointer (&import);
  for (guint i = 0; current != NULL && i < current->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (current, i);

      g_hash_table_insert (by_key, mamori_register_entry_key (entry), entry);
    }
  for (guint i = 1; i < rows->len; i++)
    {
      if (i % ROWS_BETWEEN_CHECKS == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!row_is_empty (g_ptr_array_index (rows, i)))
        read_row (&prep, g_ptr_array_index (rows, i));
    }
  if (import->rows->len == 0 && import->errors->len == 0)
    mamori_csv_add_error (import->errors, 1, 0,
                          _ ("The file has a header but no entries: there is nothing to import"));
  return g_steal_pointer (&import);
}

/* --- applying ---------------------------------------------------------------------- */

/* An upper bound of the bytes @entry takes in a payload: its id and members' names, and
 * each value twice over (JSON escapes at most double a character's bytes). */
static gsize
entry_size (const MamoriRegisterEntry *entry)
{
  gsize size = 64;

  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    {
      g_autofree char *value = mamori_register_entry_dup_value (entry, i);

      size += value != NULL ? 16 + 2 * strlen (value) : 0;
    }
  return size;
}

/* Appends one assets-imported event with rows [@start, @end). */
static gboolean
append_batch (
    MamoriVault *vault, MamoriRegisterImport *import, guint start, guint end, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (MamoriEvent) event = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "added");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    {
      MamoriImportRow *row = g_ptr_array_index (import->rows, i);

      if (row->kind != MAMORI_IMPORT_ROW_ADDED)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entry");
      _mamori_register_build_entry (builder, row->after);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, row->after->id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "changed");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    {
      MamoriImportRow *row = g_ptr_array_index (import->rows, i);

      if (row->kind != MAMORI_IMPORT_ROW_CHANGED)
        continue;
      json_builder_add_value (builder, mamori_register_changed_body (row->before, row->after));
    }
  json_builder_end_array (builder);
  if (import->file_name != NULL)
    {
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, import->file_name);
    }
  json_builder_end_object (builder);
  event = mamori_vault_append_event (vault, MAMORI_EVENT_ASSETS_IMPORTED,
                                     json_builder_get_root (builder), error);
  return event != NULL;
}

static gboolean
append_batches (MamoriVault *vault, MamoriRegisterImport *import, GError **error)
{
  guint start = 0, n_in_batch = 0;
  gsize bytes = 0;

  for (guint i = 0; i < import->rows->len; i++)
    {
      MamoriImportRow *row = g_ptr_array_index (import->rows, i);
      gsize size;

      if (row->kind == MAMORI_IMPORT_ROW_UNCHANGED)
        continue;
      if (row->kind == MAMORI_IMPORT_ROW_ADDED)
        {
          g_free (row->after->id);
          row->after->id = mamori_register_new_id ();
        }
      size = entry_size (row->after);
      if (n_in_batch == MAMORI_REGISTER_BATCH_MAX
          || (n_in_batch > 0 && bytes + size > MAMORI_REGISTER_BATCH_BYTES))
        {
          if (!append_batch (vault, import, start, i, error))
            return FALSE;
          start = i;
          n_in_batch = 0;
          bytes = 0;
        }
      n_in_batch++;
      bytes += size;
    }
  return n_in_batch == 0 || append_batch (vault, import, start, import->rows->len, error);
}

/* A large file's transaction writes tens of megabytes: with SQLite's default page cache
 * (2 MB) it spills pages to the file (each encrypted, after journalling the original)
 * long before the commit, which takes the import of 100,000 rows from 6 s to 9 s.  The
 * connection gets a cache of 32 MiB for the import, and its own back after. */
#define IMPORT_CACHE_SIZE (-32 * 1024)

gboolean
_mamori_register_get_cache_size (MamoriDb *db, gint64 *out_size, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (db, "PRAGMA cache_size", error);
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  *out_size = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
_mamori_register_set_cache_size (MamoriDb *db, gint64 size, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);

  return mamori_db_exec (db, sql, error);
}

gboolean
mamori_register_import_apply (MamoriVault *vault, MamoriRegisterImport *import, GError **error)
{
  MamoriDb *db;
  gint64 cache_size = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (import != NULL, FALSE);

  if (import->errors->len > 0)
    {
      g_set_error_literal (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_BAD_FILE,
                           _ ("The file has errors: nothing was imported"));
      return FALSE;
    }
  db = mamori_vault_get_store (vault);
  if (db == NULL)
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_LOCKED,
                           _ ("The vault is locked"));
      return FALSE;
    }
  if (import->n_added + import->n_changed == 0)
    return TRUE;
  if (!_mamori_register_get_cache_size (db, &cache_size, error)
      || !_mamori_register_set_cache_size (db, IMPORT_CACHE_SIZE, error))
    return FALSE;
  if (mamori_db_exec (db, "BEGIN IMMEDIATE", error))
    {
      if (append_batches (vault, import, error) && mamori_db_exec (db, "COMMIT", error))
        ok = TRUE;
      else
        sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
    }
  /* Giving the vault its own size back frees only the pages beyond it: the rest are
   * pages of this import, nobody's to read again soon.  The 32 MiB go back to the
   * system, not only to malloc. */
  _mamori_register_set_cache_size (db, cache_size, NULL);
  sqlite3_db_release_memory (db->handle);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return ok;
}

gboolean
mamori_register_add_all (MamoriVault *vault,
                         MamoriPolicy *policy,
                         GPtrArray *entries,
                         GError **error)
{
  g_autoptr (MamoriRegisterImport) import = g_new0 (MamoriRegisterImport, 1);

  import->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_csv_error_free);
  import->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)import_row_free);
  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GPtrArray) problems = mamori_register_entry_check (entry, policy);
      MamoriImportRow *row;

      if (problems->len > 0)
        {
          MamoriRegisterProblem *problem = g_ptr_array_index (problems, 0);

          g_set_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_INVALID, "%s: %s",
                       entry->name != NULL ? entry->name : "", problem->message);
          return FALSE;
        }
      row = g_new0 (MamoriImportRow, 1);
      row->kind = MAMORI_IMPORT_ROW_ADDED;
      row->after = mamori_register_entry_copy (entry);
      g_ptr_array_add (import->rows, row);
      import->n_added++;
    }
  if (!mamori_register_import_apply (vault, import, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);
      MamoriImportRow *row = g_ptr_array_index (import->rows, i);

      g_free (entry->id);
      entry->id = g_strdup (row->after->id);
    }
  return TRUE;
}

/* --- writing ----------------------------------------------------------------------- */

char *
_mamori_register_column_value (MamoriPolicy *policy,
                               const MamoriRegisterEntry *entry,
                               const MamoriRegisterColumn *column)
{
  MamoriLevel *level;
  MamoriTakeoutRule rule;
  const char *value_id;
  const char *label;
  MamoriAxisValue *value;

  switch (column->field)
    {
    case MAMORI_REGISTER_FIELD_CATEGORY:
      label = entry->category != NULL ? mamori_policy_get_category_label (policy, entry->category)
                                      : NULL;
      return g_strdup (label != NULL ? label : entry->category);
    case MAMORI_REGISTER_FIELD_LEVEL:
      level = mamori_register_entry_get_level (entry, policy);
      return g_strdup (level != NULL ? mamori_level_get_label (level) : entry->level);
    case MAMORI_REGISTER_FIELD_MEDIUM:
      return g_strdup (mamori_medium_get_word (entry->medium));
    case MAMORI_REGISTER_FIELD_TAKEOUT:
      if (entry->takeout == NULL || !mamori_takeout_rule_from_string (entry->takeout, &rule))
        return NULL;
      return g_strdup (mamori_register_takeout_word (rule));
    case MAMORI_REGISTER_FIELD_AXES:
      value_id = entry->axes != NULL
                     ? g_hash_table_lookup (entry->axes, mamori_axis_get_id (column->axis))
                     : NULL;
      value = value_id != NULL ? mamori_axis_lookup_value (column->axis, value_id) : NULL;
      return g_strdup (value != NULL ? mamori_axis_value_get_label (value) : value_id);
    default:
      return mamori_register_entry_dup_value (entry, column->field);
    }
}

char *
mamori_register_export_csv (MamoriPolicy *policy, GPtrArray *entries)
{
  g_autoptr (GArray) columns = _mamori_register_columns (policy);
  g_autofree const char **headers = g_new0 (const char *, columns->len);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < columns->len; i++)
    headers[i] = _mamori_register_column_header (&g_array_index (columns, Column, i));
  mamori_csv_append_row (out, headers, columns->len);
  for (guint e = 0; e < entries->len; e++)
    {
      g_ptr_array_set_size (values, 0);
      for (guint i = 0; i < columns->len; i++)
        g_ptr_array_add (values,
                         _mamori_register_column_value (policy, g_ptr_array_index (entries, e),
                                                        &g_array_index (columns, Column, i)));
      mamori_csv_append_row (out, (const char *const *)values->pdata, values->len);
    }
  return g_string_free (out, FALSE);
}

gboolean
mamori_register_export (MamoriPolicy *policy,
                        GPtrArray *entries,
                        MamoriRegisterFileFormat format,
                        const char *path,
                        GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length;
  const char *data;

  if (format == MAMORI_REGISTER_FILE_XLSX)
    return mamori_register_export_xlsx (policy, entries, path, error);
  text = mamori_register_export_csv (policy, entries);
  bytes = mamori_csv_encode (text,
                             format == MAMORI_REGISTER_FILE_CSV_CP932 ? MAMORI_CSV_ENCODING_CP932
                                                                      : MAMORI_CSV_ENCODING_UTF8,
                             &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _ ("The register holds characters that Shift_JIS (CP932) cannot write: "
                      "export it as UTF-8 (%s)"),
                   local_error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &length);
  return g_file_set_contents (path, data, length, error);
}
