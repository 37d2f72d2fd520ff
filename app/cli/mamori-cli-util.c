/* mamori-cli-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-text.h"

void
mamori_cli_out (const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fputs (text, stdout);
}

gboolean
mamori_cli_out_checked (const char *text, GError **error)
{
  gsize length = strlen (text);
  int saved_errno;

  clearerr (stdout);
  errno = 0;
  if (fwrite (text, 1, length, stdout) == length && fflush (stdout) == 0 && !ferror (stdout))
    return TRUE;
  saved_errno = errno != 0 ? errno : EIO;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _ ("Cannot write to standard output: %s"), g_strerror (saved_errno));
  return FALSE;
}

void
mamori_cli_out_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  mamori_cli_out ("%s\n", text);
}

void
mamori_cli_err (const char *format, ...)
{
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages quote what was typed or read from files: an escape sequence in it must reach
   * the terminal as text, not as a command. */
  shown = mamori_text_show_hidden (text);
  fprintf (stderr, "mamori-cli: %s\n", shown);
}

gboolean
mamori_cli_parse (const char *name,
                  const char *parameter_string,
                  const char *summary,
                  const GOptionEntry *entries,
                  int *argc,
                  char ***argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("mamori-cli %s", name);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      mamori_cli_err ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

#define COMMAND_FIELD(table, stride, i, offset)                                                    \
  (*(const char *const *)((const guint8 *)(table) + (i) * (stride) + (offset)))

static void
print_commands (FILE *stream,
                const MamoriCliGroup *group,
                gconstpointer table,
                gsize n_commands,
                gsize stride,
                gsize name_offset,
                gsize summary_offset)
{
  int width = 0;

  for (gsize i = 0; i < n_commands; i++)
    width = MAX (width, (int)strlen (COMMAND_FIELD (table, stride, i, name_offset)));
  fprintf (stream, "%s\n\n%s\n", group->usage, _ ("Commands:"));
  for (gsize i = 0; i < n_commands; i++)
    fprintf (stream, "  %-*s %s\n", width, COMMAND_FIELD (table, stride, i, name_offset),
             _ (COMMAND_FIELD (table, stride, i, summary_offset)));
  fprintf (stream, "\n%s\n", group->footer);
}

gconstpointer
mamori_cli_find_command (const MamoriCliGroup *group,
                         gconstpointer table,
                         gsize n_commands,
                         gsize stride,
                         gsize name_offset,
                         gsize summary_offset,
                         int argc,
                         char **argv,
                         int *out_status)
{
  FILE *usage_stream = stderr;

  *out_status = MAMORI_EXIT_USAGE;
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      *out_status = MAMORI_EXIT_OK;
      usage_stream = stdout;
    }
  else if (argc >= 2)
    {
      for (gsize i = 0; i < n_commands; i++)
        if (g_str_equal (argv[1], COMMAND_FIELD (table, stride, i, name_offset)))
          return (const guint8 *)table + i * stride;
      /* TRANSLATORS: the first %s is what was typed, the second the group ("takeout"). */
      mamori_cli_err (_ ("“%s” is not a command of mamori-cli %s"), argv[1], group->name);
    }
  print_commands (usage_stream, group, table, n_commands, stride, name_offset, summary_offset);
  return NULL;
}

int
mamori_cli_load_policy (const char *scheme, const char *policy_file, MamoriPolicy **out_policy)
{
  g_autoptr (GError) error = NULL;

  if (policy_file != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (policy_file);
      *out_policy = mamori_policy_new_from_file (file, &error);
    }
  else
    *out_policy
        = mamori_policy_new_from_preset (scheme ? scheme : mamori_policy_default_preset (), &error);

  if (*out_policy != NULL)
    return MAMORI_EXIT_OK;
  mamori_cli_err ("%s", error->message);
  /* An unknown preset is a mistyped option; a file read but not a valid policy is an input
   * file with errors; one that cannot be read at all is a failure. */
  if (g_error_matches (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_NOT_FOUND))
    return MAMORI_EXIT_USAGE;
  return policy_file != NULL && error->domain == MAMORI_POLICY_ERROR ? MAMORI_EXIT_BAD_INPUT
                                                                     : MAMORI_EXIT_FAILURE;
}
