/* mamori-cli.c — headless front end over libmamori-core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-crypto.h"
#include "mamori-text.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary; /* N_() */
} Command;

static const Command commands[] = {
  { "board-join", mamori_cli_board_join, N_ ("Join the school’s vault to its board of education") },
  { "handbook", mamori_cli_handbook, N_ ("Export the compact handbook or the leaflet as PDF") },
  { "lookup", mamori_cli_lookup, N_ ("Look up handling rules by scenario or asset") },
  { "policy", mamori_cli_policy, N_ ("Show or list policies") },
  { "register", mamori_cli_register, N_ ("List, import, export and edit the asset register") },
  { "sync", mamori_cli_sync, N_ ("Exchange records with the board of education") },
  { "takeout", mamori_cli_takeout, N_ ("Ask to take assets out, approve, and follow returns") },
  { "vault", mamori_cli_vault, N_ ("Create, unlock and maintain a school’s encrypted vault") },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _ ("Usage: mamori-cli COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-8s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (stream, "\n%s\n", _ ("Run “mamori-cli COMMAND --help” for the options of a command."));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  mamori_text_use_utf8 ();
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!mamori_crypto_init (&error))
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }

  if (argc < 2)
    {
      print_usage (stderr);
      return MAMORI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (stdout);
      return MAMORI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      mamori_cli_out ("mamori-cli %s\n", PACKAGE_VERSION);
      return MAMORI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  mamori_cli_err (_ ("Unknown command “%s”"), argv[1]);
  print_usage (stderr);
  return MAMORI_EXIT_USAGE;
}
