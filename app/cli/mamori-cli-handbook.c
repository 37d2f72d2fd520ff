/* mamori-cli-handbook.c — `mamori-cli handbook export`: the handbook or leaflet as PDF
 *
 * The school's own handbook comes from its vault (its policy, its name, its staff); a
 * preset's handbook, without a register, from --scheme.  The file at OUT is replaced
 * only by a complete PDF (docs/cli.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-handbook-vault.h"
#include "mamori-handbook.h"

static int
usage_error (const char *message)
{
  mamori_cli_err ("%s", message);
  return MAMORI_EXIT_USAGE;
}

static int
load_source (const char *scheme,
             const char *policy_file,
             const char *vault_path,
             const char *user,
             const char *passphrase_file,
             MamoriHandbookSource **out_source)
{
  g_autoptr (GError) error = NULL;

  if (vault_path != NULL)
    {
      g_autoptr (MamoriVault) vault = NULL;
      int status = mamori_cli_open_vault (vault_path, user, passphrase_file, NULL, &vault, NULL);

      if (status != MAMORI_EXIT_OK)
        return status;
      *out_source = mamori_handbook_source_new_for_vault (vault, &error);
      return *out_source != NULL ? MAMORI_EXIT_OK : mamori_cli_vault_fail (error);
    }
  else
    {
      g_autoptr (MamoriPolicy) policy = NULL;
      int status = mamori_cli_load_policy (scheme, policy_file, &policy);

      if (status != MAMORI_EXIT_OK)
        return status;
      *out_source = mamori_handbook_source_new (policy, NULL);
      return MAMORI_EXIT_OK;
    }
}

static int
handbook_export (int argc, char **argv)
{
  g_autofree char *scheme = NULL;
  g_autofree char *policy_file = NULL;
  g_autofree char *vault_path = NULL;
  g_autofree char *user = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *paper_name = NULL;
  gboolean booklet = FALSE;
  gboolean leaflet = FALSE;
  const GOptionEntry entries[] = {
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_name, N_ ("Page size: b5 (the default) or a4"),
      N_ ("SIZE") },
    { "booklet", 0, 0, G_OPTION_ARG_NONE, &booklet,
      N_ ("Impose the pages two-up in folding order, on sheets twice the page size"), NULL },
    { "leaflet", 0, 0, G_OPTION_ARG_NONE, &leaflet,
      N_ ("Write the one-sheet A4 leaflet of everyday scenes instead of the handbook"), NULL },
    { "scheme", 's', 0, G_OPTION_ARG_STRING, &scheme,
      N_ ("A preset’s handbook, without a register"), N_ ("ID") },
    { "policy-file", 0, 0, G_OPTION_ARG_FILENAME, &policy_file,
      N_ ("The handbook of a policy file, without a register"), N_ ("FILE") },
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_path,
      N_ ("The school’s own handbook, from its vault"), N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (MamoriHandbookSource) source = NULL;
  g_autoptr (MamoriHandbook) handbook = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  MamoriHandbookPaper paper = MAMORI_HANDBOOK_PAPER_B5;
  const char *out;
  double width, height;
  int status;

  if (!mamori_cli_parse ("handbook export", _ ("OUT.pdf"),
                         _ ("Writes the compact handbook (or with --leaflet the leaflet) as PDF: "
                            "the school’s own with --vault, a preset’s with --scheme.\n\n"
                            "Exit status: 0 when written, 2 on a usage error, 6 when the file "
                            "cannot be written (nothing is left at OUT.pdf), 9 when the "
                            "--policy-file is not a valid policy; with --vault also 3, 4 and 5 "
                            "as for “mamori-cli vault”."),
                         entries, &argc, &argv))
    return MAMORI_EXIT_USAGE;
  if (argc != 2)
    return usage_error (argc < 2 ? _ ("Give the PDF file to write, for example: mamori-cli "
                                      "handbook export handbook.pdf --scheme oita-abcd")
                                 : _ ("Give one output file"));
  out = argv[1];
  if (paper_name != NULL && !mamori_handbook_paper_from_string (paper_name, &paper))
    return usage_error (_ ("--paper must be b5 or a4"));
  if (leaflet && (paper_name != NULL || booklet))
    return usage_error (_ ("The leaflet is one A4 sheet: --paper and --booklet do not apply"));
  if ((scheme != NULL) + (policy_file != NULL) + (vault_path != NULL) > 1)
    return usage_error (_ ("Use only one of --scheme, --policy-file and --vault"));
  if (vault_path == NULL && (user != NULL || passphrase_file != NULL))
    return usage_error (_ ("--user and --passphrase-file go with --vault"));

  status = load_source (scheme, policy_file, vault_path, user, passphrase_file, &source);
  if (status != MAMORI_EXIT_OK)
    return status;

  handbook = mamori_handbook_new (
      source, leaflet ? MAMORI_HANDBOOK_KIND_LEAFLET : MAMORI_HANDBOOK_KIND_HANDBOOK, paper,
      &error);
  if (handbook != NULL)
    pdf = mamori_handbook_to_pdf (handbook, booklet, &error);
  if (pdf == NULL || !mamori_handbook_save_bytes (pdf, out, &error))
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }

  mamori_handbook_get_page_size (handbook, &width, &height);
  if (booklet)
    mamori_cli_out (_ ("Wrote %s: a booklet of %u pages of %.0f × %.0f mm on %u sheets\n"), out,
                    mamori_handbook_get_n_pages (handbook), width * 25.4 / 72, height * 25.4 / 72,
                    (mamori_handbook_get_n_pages (handbook) + 3) / 4);
  else
    mamori_cli_out (_ ("Wrote %s: %u pages of %.0f × %.0f mm\n"), out,
                    mamori_handbook_get_n_pages (handbook), width * 25.4 / 72, height * 25.4 / 72);
  return MAMORI_EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _ ("Usage: mamori-cli handbook export OUT.pdf [OPTION…]"));
  fprintf (stream, "%s\n", _ ("Run “mamori-cli handbook export --help” for the options."));
}

int
mamori_cli_handbook (int argc, char **argv)
{
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
  if (g_str_equal (argv[1], "export"))
    {
      int status = handbook_export (argc - 1, argv + 1);

      mamori_handbook_release_font_caches ();
      return status;
    }

  mamori_cli_err (_ ("“%s” is not a command of mamori-cli %s"), argv[1], "handbook");
  print_usage (stderr);
  return MAMORI_EXIT_USAGE;
}
