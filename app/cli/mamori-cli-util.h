/* mamori-cli-util.h — helpers shared by the mamori-cli sub-commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mamori-policy.h"

G_BEGIN_DECLS

/* Writes UTF-8 text to standard output as is: g_print() would convert it to the
 * locale's charset and mangle Japanese under LANG=C, which scripts often run with. */
void
mamori_cli_out (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Writes @text to standard output and flushes it: FALSE, with @error, when any of it could
 * not be written (a full disk, a closed pipe).  For what must not be lost, such as a
 * recovery code. */
gboolean
mamori_cli_out_checked (const char *text, GError **error);

/* The JSON @builder holds, pretty-printed, on standard output. */
void
mamori_cli_out_json (JsonBuilder *builder);

/* "mamori-cli: message" on standard error. */
void
mamori_cli_err (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Parses @entries for the sub-command @name; on a usage error prints it and returns
 * FALSE (the caller exits with MAMORI_EXIT_USAGE). */
gboolean
mamori_cli_parse (const char *name,
                  const char *parameter_string,
                  const char *summary,
                  const GOptionEntry *entries,
                  int *argc,
                  char ***argv);

/* A group of commands (`mamori-cli GROUP COMMAND`): what its usage says. */
typedef struct
{
  const char *name;   /* "takeout", as typed */
  const char *usage;  /* the first line, "Usage: mamori-cli GROUP COMMAND …" */
  const char *footer; /* the last paragraph, how to learn a command's options */
} MamoriCliGroup;

/* The entry of a group's command table that argv[1] names: the table has @n_commands
 * entries @stride bytes apart from @table, each with a `const char *` name and summary
 * (N_()) at @name_offset and @summary_offset.  Otherwise NULL and *@out_status: with
 * --help, the list of commands on standard output and 0; with no command or an unknown
 * one, the list on standard error and MAMORI_EXIT_USAGE.  Call it through
 * MAMORI_CLI_FIND_COMMAND(). */
gconstpointer
mamori_cli_find_command (const MamoriCliGroup *group,
                         gconstpointer table,
                         gsize n_commands,
                         gsize stride,
                         gsize name_offset,
                         gsize summary_offset,
                         int argc,
                         char **argv,
                         int *out_status);

#define MAMORI_CLI_FIND_COMMAND(group, Type, table, argc, argv, out_status)                        \
  ((const Type *)mamori_cli_find_command (                                                         \
      (group), (table), G_N_ELEMENTS (table), sizeof (Type), G_STRUCT_OFFSET (Type, name),         \
      G_STRUCT_OFFSET (Type, summary), (argc), (argv), (out_status)))

/* The policy named by --scheme (a preset id) or --policy-file, else the default preset,
 * in @out_policy; returns the exit status, having printed any error. */
int
mamori_cli_load_policy (const char *scheme, const char *policy_file, MamoriPolicy **out_policy);

G_END_DECLS
