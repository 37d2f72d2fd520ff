/* mamori-cli-register.c — `mamori-cli register …`: the asset register (情報資産台帳)
 *
 * list, places and history read; import, add, edit and remove sign changes as the user
 * who unlocks (exit 8 for a role that only reads the register); export writes CSV or
 * XLSX.  The JSON shapes and exit statuses are in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-policy-axis.h"
#include "mamori-register-history.h"
#include "mamori-register-import.h"
#include "mamori-register-places.h"
#include "mamori-text.h"

typedef struct
{
  char *vault;
  char *user;
  char *passphrase_file;
  gboolean json;
  gboolean dry_run;
  char *encoding;
  char *format;
  char *id;
  char *values[MAMORI_REGISTER_N_FIELDS];
  char **axes;
  char **rest;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->vault);
  g_free (o->user);
  g_free (o->passphrase_file);
  g_free (o->encoding);
  g_free (o->format);
  g_free (o->id);
  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    g_free (o->values[i]);
  g_strfreev (o->axes);
  g_strfreev (o->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* What the sub-command needs besides the vault. */
typedef enum
{
  OPT_JSON = 1 << 0,
  OPT_FILE = 1 << 1,
  OPT_IMPORT = 1 << 2, /* --encoding, --dry-run */
  OPT_EXPORT = 1 << 3, /* --encoding, --format */
  OPT_ID = 1 << 4,
  OPT_FIELDS = 1 << 5,
} OptionSet;

/* The register of an unlocked vault: its policy and its present entries. */
typedef struct
{
  MamoriVault *vault;
  MamoriPolicy *policy;
  GPtrArray *entries;
} Register;

static void
register_clear (Register *r)
{
  g_clear_pointer (&r->entries, g_ptr_array_unref);
  g_clear_object (&r->policy);
  g_clear_object (&r->vault);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Register, register_clear)

static int
usage_error (const char *message)
{
  mamori_cli_err ("%s", message);
  return MAMORI_EXIT_USAGE;
}

static int
open_register (const Options *o, Register *out)
{
  g_autoptr (GError) error = NULL;
  int status
      = mamori_cli_open_vault (o->vault, o->user, o->passphrase_file, NULL, &out->vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  out->policy = mamori_vault_load_policy (out->vault, &error);
  if (out->policy != NULL)
    out->entries = mamori_register_list (mamori_vault_get_store (out->vault), &error);
  return out->entries != NULL ? MAMORI_EXIT_OK : mamori_cli_vault_fail (error);
}

/* Exit 8, before anything is read, for a role that only reads the register (the fold
 * refuses its events in any case). */
static int
require_editor (Register *r)
{
  MamoriRole role = MAMORI_ROLE_TEACHER;

  if (mamori_register_can_edit (r->vault))
    return MAMORI_EXIT_OK;
  mamori_vault_get_role (r->vault, &role);
  mamori_cli_err (_ ("%s (%s) may read the asset register but not change it: the principal, "
                     "the vice-principal, the board or the office staff do"),
                  mamori_vault_get_user (r->vault), mamori_role_get_label (role));
  return MAMORI_EXIT_NOT_PERMITTED;
}

static int
register_fail (const GError *error)
{
  if (error->domain == MAMORI_REGISTER_ERROR)
    {
      mamori_cli_err ("%s", error->message);
      switch ((MamoriRegisterError)error->code)
        {
        case MAMORI_REGISTER_ERROR_NOT_FOUND:
          return MAMORI_EXIT_NOTHING_FOUND;
        case MAMORI_REGISTER_ERROR_BAD_FILE:
          return MAMORI_EXIT_BAD_INPUT;
        case MAMORI_REGISTER_ERROR_INVALID:
        default:
          return MAMORI_EXIT_USAGE;
        }
    }
  return mamori_cli_vault_fail (error);
}

static void
add_member (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL && *value != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
display_name (const MamoriRegisterEntry *entry)
{
  return entry->qualifier != NULL ? g_strdup_printf ("%s（%s）", entry->name, entry->qualifier)
                                  : g_strdup (entry->name);
}

/* --- list, places, history ------------------------------------------------------------ */

static void
add_entry_json (JsonBuilder *builder, MamoriPolicy *policy, const MamoriRegisterEntry *entry)
{
  json_builder_begin_object (builder);
  add_member (builder, "id", entry->id);
  add_member (builder, "name", entry->name);
  add_member (builder, "category", entry->category);
  add_member (builder, "level", entry->level);
  add_member (builder, "qualifier", entry->qualifier);
  add_member (builder, "medium", mamori_medium_to_string (entry->medium));
  add_member (builder, "location", entry->location);
  add_member (builder, "custodian", entry->custodian);
  add_member (builder, "takeout",
              mamori_takeout_rule_to_string (mamori_register_entry_get_takeout (entry, policy)));
  add_member (builder, "retention", entry->retention);
  add_member (builder, "notes", entry->notes);
  add_member (builder, "updated_at", entry->updated_at);
  add_member (builder, "updated_by", entry->updated_by);
  json_builder_end_object (builder);
}

static int
register_list (const Options *o)
{
  g_auto (Register) r = { 0 };
  int status = open_register (o, &r);

  if (status != MAMORI_EXIT_OK)
    return status;
  if (o->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; i < r.entries->len; i++)
        add_entry_json (builder, r.policy, g_ptr_array_index (r.entries, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      mamori_cli_out_json (builder);
    }
  else
    for (guint i = 0; i < r.entries->len; i++)
      {
        MamoriRegisterEntry *entry = g_ptr_array_index (r.entries, i);
        g_autofree char *name = display_name (entry);
        g_autofree char *category = mamori_register_format_value (
            r.policy, MAMORI_REGISTER_FIELD_CATEGORY, entry->category);
        g_autofree char *level
            = mamori_register_format_value (r.policy, MAMORI_REGISTER_FIELD_LEVEL, entry->level);

        mamori_cli_out ("%s\t%s\t%s\t%s\t%s\t%s\t%s%s\n", entry->id, name, category, level,
                        mamori_medium_get_word (entry->medium),
                        entry->location != NULL ? entry->location : "",
                        entry->custodian != NULL ? entry->custodian : "",
                        entry->lowered ? _ ("\t(lowered)") : "");
      }
  return r.entries->len > 0 ? MAMORI_EXIT_OK : MAMORI_EXIT_NOTHING_FOUND;
}

static int
register_places (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  int status = open_register (o, &r);

  if (status != MAMORI_EXIT_OK)
    return status;
  places = mamori_register_places (r.policy, r.entries);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "places");
  json_builder_begin_array (builder);
  for (guint p = 0; p < places->len; p++)
    {
      MamoriRegisterPlace *place = g_ptr_array_index (places, p);

      json_builder_begin_object (builder);
      add_member (builder, "location", place->location);
      add_member (builder, "level",
                  place->level != NULL ? mamori_level_get_id (place->level) : NULL);
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      if (!o->json)
        mamori_cli_out ("%s\t%s\n", place->location != NULL ? place->location : _ ("(no place)"),
                        place->level != NULL ? mamori_level_get_label (place->level) : "");
      for (guint i = 0; i < place->entries->len; i++)
        {
          MamoriRegisterEntry *entry = g_ptr_array_index (place->entries, i);
          g_autofree char *name = display_name (entry);

          json_builder_begin_object (builder);
          add_member (builder, "id", entry->id);
          add_member (builder, "name", entry->name);
          add_member (builder, "qualifier", entry->qualifier);
          add_member (builder, "level", entry->level);
          json_builder_end_object (builder);
          if (!o->json)
            {
              g_autofree char *level = mamori_register_format_value (
                  r.policy, MAMORI_REGISTER_FIELD_LEVEL, entry->level);

              mamori_cli_out ("\t%s\t%s\n", name, level);
            }
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (o->json)
    mamori_cli_out_json (builder);
  return places->len > 0 ? MAMORI_EXIT_OK : MAMORI_EXIT_NOTHING_FOUND;
}

static int
register_history (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GError) error = NULL;
  int status;

  if (o->id == NULL)
    return usage_error (_ ("register history needs --id ID"));
  status = open_register (o, &r);
  if (status != MAMORI_EXIT_OK)
    return status;
  items = mamori_register_history (mamori_vault_get_store (r.vault), o->id, &error);
  if (items == NULL)
    return mamori_cli_vault_fail (error);
  if (items->len == 0)
    {
      mamori_cli_err (_ ("The register has no entry %s"), o->id);
      return MAMORI_EXIT_NOTHING_FOUND;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      MamoriRegisterHistoryItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      add_member (builder, "type", item->type);
      add_member (builder, "author", item->author);
      add_member (builder, "created_at", item->created_at);
      add_member (builder, "file", item->file);
      json_builder_set_member_name (builder, "changes");
      json_builder_begin_object (builder);
      if (!o->json)
        mamori_cli_out ("%s\t%s\t%s%s%s\n", item->created_at, item->author, item->type,
                        item->file != NULL ? "\t" : "", item->file != NULL ? item->file : "");
      for (guint c = 0; c < item->changes->len; c++)
        {
          MamoriRegisterFieldChange *change = g_ptr_array_index (item->changes, c);
          g_autofree char *old_text
              = mamori_register_format_value (r.policy, change->field, change->old_value);
          g_autofree char *new_text
              = mamori_register_format_value (r.policy, change->field, change->new_value);

          json_builder_set_member_name (builder, mamori_register_field_to_string (change->field));
          json_builder_begin_object (builder);
          add_member (builder, "old", change->old_value);
          add_member (builder, "new", change->new_value);
          json_builder_end_object (builder);
          if (!o->json)
            mamori_cli_out ("\t%s: %s → %s\n", mamori_register_field_get_label (change->field),
                            old_text, new_text);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (o->json)
    mamori_cli_out_json (builder);
  return MAMORI_EXIT_OK;
}

/* --- import and export ---------------------------------------------------------------- */

static gboolean
parse_encoding (const char *text, MamoriCsvEncoding *out_encoding)
{
  *out_encoding = MAMORI_CSV_ENCODING_AUTO;
  if (text == NULL || mamori_csv_encoding_from_string (text, out_encoding))
    return TRUE;
  mamori_cli_err (_ ("--encoding must be utf-8 or cp932"));
  return FALSE;
}

static int
register_import (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  MamoriCsvEncoding encoding;
  gsize length;
  int status;

  if (o->rest == NULL || g_strv_length (o->rest) != 1)
    return usage_error (_ ("register import needs one FILE"));
  if (!parse_encoding (o->encoding, &encoding))
    return MAMORI_EXIT_USAGE;
  status = open_register (o, &r);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (!o->dry_run && (status = require_editor (&r)) != MAMORI_EXIT_OK)
    return status;
  if (!g_file_get_contents (o->rest[0], &contents, &length, &error))
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  base = g_path_get_basename (o->rest[0]);
  import = mamori_register_import_prepare (r.policy, r.entries, data, encoding, base);
  if (import->errors->len > 0)
    {
      for (guint i = 0; i < import->errors->len; i++)
        {
          g_autofree char *line
              = mamori_csv_error_to_string (g_ptr_array_index (import->errors, i));
          g_autofree char *shown = mamori_text_show_hidden (line);

          /* `line:column: reason`, without the prefix: the contract scripts parse. */
          fprintf (stderr, "%s\n", shown);
        }
      mamori_cli_err (_ ("%s has errors: nothing was imported"), o->rest[0]);
      return MAMORI_EXIT_BAD_INPUT;
    }
  if (!o->dry_run && !mamori_register_import_apply (r.vault, import, &error))
    return register_fail (error);
  {
    g_autofree char *added = g_strdup_printf ("%u", import->n_added);
    g_autofree char *changed = g_strdup_printf ("%u", import->n_changed);
    g_autofree char *unchanged = g_strdup_printf ("%u", import->n_unchanged);

    mamori_cli_out (o->dry_run ? _ ("Would add %s entries and change %s; %s unchanged (%s)\n")
                               : _ ("Added %s entries and changed %s; %s unchanged (%s)\n"),
                    added, changed, unchanged, mamori_csv_encoding_to_string (import->encoding));
  }
  return MAMORI_EXIT_OK;
}

static int
register_export (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *lower = NULL;
  MamoriRegisterFileFormat format;
  MamoriCsvEncoding encoding;
  gboolean xlsx;
  int status;

  if (o->rest == NULL || g_strv_length (o->rest) != 1)
    return usage_error (_ ("register export needs one FILE"));
  if (!parse_encoding (o->encoding, &encoding))
    return MAMORI_EXIT_USAGE;
  if (o->format != NULL && !g_str_equal (o->format, "csv") && !g_str_equal (o->format, "xlsx"))
    return usage_error (_ ("--format must be csv or xlsx"));
  lower = g_ascii_strdown (o->rest[0], -1);
  xlsx = o->format != NULL ? g_str_equal (o->format, "xlsx") : g_str_has_suffix (lower, ".xlsx");
  status = open_register (o, &r);
  if (status != MAMORI_EXIT_OK)
    return status;
  format = xlsx                                    ? MAMORI_REGISTER_FILE_XLSX
           : encoding == MAMORI_CSV_ENCODING_CP932 ? MAMORI_REGISTER_FILE_CSV_CP932
                                                   : MAMORI_REGISTER_FILE_CSV_UTF8;
  if (!mamori_register_export (r.policy, r.entries, format, o->rest[0], &error))
    return register_fail (error);
  return MAMORI_EXIT_OK;
}

/* --- add, edit, remove ---------------------------------------------------------------- */

/* Puts the values given on the command line into @entry ("" clears a field). */
static int
apply_options (const Options *o, MamoriPolicy *policy, MamoriRegisterEntry *entry)
{
  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    {
      const char *text = o->values[i];
      MamoriTakeoutRule rule;
      MamoriLevel *level;

      if (text == NULL || i == MAMORI_REGISTER_FIELD_AXES)
        continue;
      if (i == MAMORI_REGISTER_FIELD_CATEGORY && *text != '\0')
        text = mamori_register_find_category (policy, text) != NULL
                   ? mamori_register_find_category (policy, text)
                   : text;
      if (i == MAMORI_REGISTER_FIELD_LEVEL && *text != '\0'
          && (level = mamori_register_find_level (policy, text)) != NULL)
        text = mamori_level_get_id (level);
      if (i == MAMORI_REGISTER_FIELD_TAKEOUT && *text != '\0'
          && mamori_register_takeout_parse (text, &rule))
        text = mamori_takeout_rule_to_string (rule);
      if (i == MAMORI_REGISTER_FIELD_MEDIUM)
        {
          if (!mamori_medium_parse (text, &entry->medium))
            return usage_error (_ ("--medium must be paper, electronic or both (紙, 電子, 両方)"));
          continue;
        }
      mamori_register_entry_set_text (entry, i, text);
    }
  for (guint i = 0; o->axes != NULL && o->axes[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (o->axes[i], "=", 2);

      if (pair[1] == NULL)
        return usage_error (_ ("--axis takes AXIS=VALUE, e.g. integrity=2"));
      if (entry->axes == NULL)
        entry->axes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (*pair[1] == '\0')
        g_hash_table_remove (entry->axes, pair[0]);
      else
        g_hash_table_insert (entry->axes, g_strdup (pair[0]), g_strdup (pair[1]));
    }
  return MAMORI_EXIT_OK;
}

static int
register_add (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
  g_autoptr (GError) error = NULL;
  int status = open_register (o, &r);

  if (status != MAMORI_EXIT_OK || (status = require_editor (&r)) != MAMORI_EXIT_OK
      || (status = apply_options (o, r.policy, entry)) != MAMORI_EXIT_OK)
    return status;
  if (!mamori_register_add (r.vault, r.policy, entry, &error))
    return register_fail (error);
  mamori_cli_out ("%s\n", entry->id);
  return MAMORI_EXIT_OK;
}

static int
register_edit (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (MamoriRegisterEntry) entry = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (o->id == NULL)
    return usage_error (_ ("register edit needs --id ID"));
  status = open_register (o, &r);
  if (status != MAMORI_EXIT_OK || (status = require_editor (&r)) != MAMORI_EXIT_OK)
    return status;
  entry = mamori_register_find (mamori_vault_get_store (r.vault), o->id, FALSE, &error);
  if (entry == NULL)
    {
      if (error != NULL)
        return mamori_cli_vault_fail (error);
      mamori_cli_err (_ ("The register has no entry %s"), o->id);
      return MAMORI_EXIT_NOTHING_FOUND;
    }
  if ((status = apply_options (o, r.policy, entry)) != MAMORI_EXIT_OK)
    return status;
  if (!mamori_register_change (r.vault, r.policy, entry, &error))
    return register_fail (error);
  return MAMORI_EXIT_OK;
}

static int
register_remove (const Options *o)
{
  g_auto (Register) r = { 0 };
  g_autoptr (GError) error = NULL;
  int status;

  if (o->id == NULL)
    return usage_error (_ ("register remove needs --id ID"));
  status = open_register (o, &r);
  if (status != MAMORI_EXIT_OK || (status = require_editor (&r)) != MAMORI_EXIT_OK)
    return status;
  if (!mamori_register_remove (r.vault, o->id, &error))
    return register_fail (error);
  return MAMORI_EXIT_OK;
}

/* --- the command ---------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  int (*run) (const Options *o);
  OptionSet options;
  const char *parameters;
  const char *summary; /* N_() */
} Command;

static const Command commands[] = {
  { "list", register_list, OPT_JSON, NULL, N_ ("List the register’s entries") },
  { "places", register_places, OPT_JSON, NULL,
    N_ ("List where information is kept, each place at the highest level it holds") },
  { "history", register_history, OPT_JSON | OPT_ID, NULL,
    N_ ("Show who changed an entry, when, and from what to what") },
  { "import", register_import, OPT_FILE | OPT_IMPORT, N_ ("FILE"),
    N_ ("Import a CSV file: all of it, or nothing if any row has an error") },
  { "export", register_export, OPT_FILE | OPT_EXPORT, N_ ("FILE"),
    N_ ("Export the register as CSV or XLSX") },
  { "add", register_add, OPT_FIELDS, NULL, N_ ("Add an entry; prints its id") },
  { "edit", register_edit, OPT_ID | OPT_FIELDS, NULL,
    N_ ("Change the given fields of an entry (an empty value clears one)") },
  { "remove", register_remove, OPT_ID, NULL, N_ ("Remove an entry (its history stays)") },
};

static GOptionEntry *
build_entries (const Command *command, Options *o)
{
  GPtrArray *list = g_ptr_array_new ();
  const GOptionEntry common[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &o->vault, N_ ("The vault’s database file"),
      N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o->passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
  };
  const GOptionEntry json
      = { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_ ("Print JSON (see docs/cli.md)"), NULL };
  const GOptionEntry encoding = { "encoding",
                                  0,
                                  0,
                                  G_OPTION_ARG_STRING,
                                  &o->encoding,
                                  N_ ("utf-8 or cp932 (import: found by itself if not given)"),
                                  N_ ("ENCODING") };
  const GOptionEntry dry_run = { "dry-run",
                                 0,
                                 0,
                                 G_OPTION_ARG_NONE,
                                 &o->dry_run,
                                 N_ ("Check the file and say what it would change, changing "
                                     "nothing"),
                                 NULL };
  const GOptionEntry format = { "format",
                                0,
                                0,
                                G_OPTION_ARG_STRING,
                                &o->format,
                                N_ ("csv or xlsx (by default from the file’s extension)"),
                                N_ ("FORMAT") };
  const GOptionEntry id = {
    "id", 0, 0, G_OPTION_ARG_STRING, &o->id, N_ ("The entry’s id (register list)"), N_ ("ID")
  };
  const GOptionEntry axis = { "axis",
                              0,
                              0,
                              G_OPTION_ARG_STRING_ARRAY,
                              &o->axes,
                              N_ ("A value on a further axis of the scheme (repeatable)"),
                              N_ ("AXIS=VALUE") };
  const GOptionEntry rest
      = { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->rest, NULL, NULL };
  GOptionEntry *entries;

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (list, g_memdup2 (&common[i], sizeof common[i]));
  if (command->options & OPT_JSON)
    g_ptr_array_add (list, g_memdup2 (&json, sizeof json));
  if (command->options & (OPT_IMPORT | OPT_EXPORT))
    g_ptr_array_add (list, g_memdup2 (&encoding, sizeof encoding));
  if (command->options & OPT_IMPORT)
    g_ptr_array_add (list, g_memdup2 (&dry_run, sizeof dry_run));
  if (command->options & OPT_EXPORT)
    g_ptr_array_add (list, g_memdup2 (&format, sizeof format));
  if (command->options & OPT_ID)
    g_ptr_array_add (list, g_memdup2 (&id, sizeof id));
  if (command->options & OPT_FIELDS)
    {
      for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
        {
          GOptionEntry field = {
            mamori_register_field_to_string (i),  0,          0, G_OPTION_ARG_STRING, &o->values[i],
            mamori_register_field_get_header (i), N_ ("TEXT")
          };

          if (i != MAMORI_REGISTER_FIELD_AXES)
            g_ptr_array_add (list, g_memdup2 (&field, sizeof field));
        }
      g_ptr_array_add (list, g_memdup2 (&axis, sizeof axis));
    }
  g_ptr_array_add (list, g_memdup2 (&rest, sizeof rest));
  entries = g_new0 (GOptionEntry, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    entries[i] = *(GOptionEntry *)g_ptr_array_index (list, i);
  g_ptr_array_set_free_func (list, g_free);
  g_ptr_array_unref (list);
  return entries;
}

int
mamori_cli_register (int argc, char **argv)
{
  const MamoriCliGroup group = {
    "register",
    _ ("Usage: mamori-cli register COMMAND --vault PATH [OPTION…]"),
    _ ("Run “mamori-cli register COMMAND --help” for the options."),
  };
  g_auto (Options) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autofree char *name = NULL;
  int sub_argc = argc - 1;
  char **sub_argv = argv + 1;
  int status;
  const Command *command = MAMORI_CLI_FIND_COMMAND (&group, Command, commands, argc, argv, &status);

  if (command == NULL)
    return status;
  entries = build_entries (command, &options);
  name = g_strconcat ("register ", command->name, NULL);
  if (!mamori_cli_parse (name, command->parameters ? _ (command->parameters) : NULL,
                         _ (command->summary), entries, &sub_argc, &sub_argv))
    return MAMORI_EXIT_USAGE;
  if (!(command->options & OPT_FILE) && options.rest != NULL)
    return usage_error (_ ("Unexpected argument; passphrases are never given on the "
                           "command line"));
  return command->run (&options);
}
