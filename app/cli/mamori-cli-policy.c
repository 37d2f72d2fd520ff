/* mamori-cli-policy.c — `mamori-cli policy install`: put a policy in force in a school's
 * vault, moving the register's entries to the new levels when the scheme changes
 *
 * (`policy list` and `policy show` are in mamori-cli-lookup.c, beside the lookup they
 * share their printing with.)  Exit statuses in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-policy-install.h"
#include "mamori-register.h"

/* The policy to install: FILE, or the preset --scheme names. */
static int
load_policy (const char *file, const char *scheme, MamoriPolicy **out_policy)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) gfile = NULL;

  if (scheme != NULL)
    return mamori_cli_load_policy (scheme, NULL, out_policy);
  gfile = g_file_new_for_commandline_arg (file);
  *out_policy = mamori_policy_new_from_file (gfile, &error);
  if (*out_policy != NULL)
    return MAMORI_EXIT_OK;
  mamori_cli_err ("%s", error->message);
  /* A file that cannot be read is a failure; one that can, with errors, is bad input. */
  return error->domain == MAMORI_POLICY_ERROR ? MAMORI_EXIT_BAD_INPUT : MAMORI_EXIT_FAILURE;
}

static int
install_failed (const GError *error)
{
  if (g_error_matches (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING))
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_USAGE;
    }
  if (error->domain == MAMORI_REGISTER_ERROR)
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  return mamori_cli_vault_fail (error);
}

int
mamori_cli_policy_install (int argc, char **argv)
{
  g_autofree char *vault_path = NULL, *user = NULL, *passphrase_file = NULL;
  g_autofree char *scheme = NULL, *map = NULL;
  const GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_path, N_ ("The vault’s database file"),
      N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
    { "scheme", 's', 0, G_OPTION_ARG_STRING, &scheme, N_ ("Install this preset"), N_ ("ID") },
    { "map", 0, 0, G_OPTION_ARG_STRING, &map,
      N_ ("Where each level of the policy in force goes: A=I,B=II,…"), N_ ("MAPPING") },
    { NULL },
  };
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  guint moved = 0;
  int status;

  if (!mamori_cli_parse ("policy install", _ ("[FILE]"),
                         _ ("Puts a policy (FILE, or a preset with --scheme) in force in the "
                            "school’s vault, as a signed record. When its levels are not the "
                            "old policy’s, --map says where each old level goes, and the "
                            "register’s entries are moved to the new levels."),
                         entries, &argc, &argv))
    return MAMORI_EXIT_USAGE;
  if (vault_path == NULL || (argc == 2) == (scheme != NULL) || argc > 2)
    {
      mamori_cli_err (_ ("policy install needs --vault PATH and either FILE or --scheme ID"));
      return MAMORI_EXIT_USAGE;
    }

  status = load_policy (argc == 2 ? argv[1] : NULL, scheme, &policy);
  if (status != MAMORI_EXIT_OK)
    return status;
  status = mamori_cli_open_vault (vault_path, user, passphrase_file, NULL, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_policy_install (vault, policy, map, &moved, &error))
    return install_failed (error);

  mamori_cli_out (_ ("Installed “%s” (%s) in %s.\n"), mamori_policy_get_title (policy),
                  mamori_policy_get_id (policy), vault_path);
  if (moved > 0)
    mamori_cli_out (g_dngettext (GETTEXT_PACKAGE, "%u register entry moved to its new level.\n",
                                 "%u register entries moved to their new levels.\n", moved),
                    moved);
  return MAMORI_EXIT_OK;
}
