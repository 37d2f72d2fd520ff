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

/* The policy named by --scheme (a preset id) or --policy-file, else the default preset,
 * in @out_policy; returns the exit status, having printed any error. */
int
mamori_cli_load_policy (const char *scheme, const char *policy_file, MamoriPolicy **out_policy);

G_END_DECLS
