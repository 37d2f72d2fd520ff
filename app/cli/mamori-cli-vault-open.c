/* mamori-cli-vault-open.c — opening a vault from the command line, shared by the
 * sub-commands that work on one, and the exit status each vault error maps to
 *
 * Exit statuses are documented in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-secret.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-roster.h"
#include "mamori-text.h"

/* Refusals by the records' rules: 8 when the role or the state does not allow it. */
static int
records_status (const GError *error)
{
  switch ((MamoriRecordsError)error->code)
    {
    case MAMORI_RECORDS_ERROR_NOT_PERMITTED:
      return MAMORI_EXIT_NOT_PERMITTED;
    case MAMORI_RECORDS_ERROR_INVALID:
    case MAMORI_RECORDS_ERROR_BAD_SIGNATURE:
    case MAMORI_RECORDS_ERROR_BROKEN_CHAIN:
    case MAMORI_RECORDS_ERROR_FORK:
    case MAMORI_RECORDS_ERROR_WRONG_SCHOOL:
      return MAMORI_EXIT_DAMAGED;
    case MAMORI_RECORDS_ERROR_UNKNOWN_TYPE:
      return MAMORI_EXIT_TOO_NEW;
    case MAMORI_RECORDS_ERROR_DUPLICATE:
    case MAMORI_RECORDS_ERROR_CONFLICT:
    default:
      return MAMORI_EXIT_FAILURE;
    }
}

int
mamori_cli_vault_fail (const GError *error)
{
  mamori_cli_err ("%s", error->message);
  if (error->domain == MAMORI_CLI_SECRET_ERROR)
    return error->code == MAMORI_CLI_SECRET_ERROR_IO ? MAMORI_EXIT_FAILURE : MAMORI_EXIT_USAGE;
  if (error->domain == MAMORI_TEXT_ERROR)
    return MAMORI_EXIT_USAGE;
  if (error->domain == MAMORI_RECORDS_ERROR)
    return records_status (error);
  if (error->domain != MAMORI_VAULT_ERROR)
    return MAMORI_EXIT_FAILURE;
  switch ((MamoriVaultError)error->code)
    {
    case MAMORI_VAULT_ERROR_WRONG_PASSPHRASE:
    case MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE:
      return MAMORI_EXIT_WRONG_PASSPHRASE;
    case MAMORI_VAULT_ERROR_DAMAGED:
    case MAMORI_VAULT_ERROR_NOT_A_VAULT:
      return MAMORI_EXIT_DAMAGED;
    case MAMORI_VAULT_ERROR_TOO_NEW:
      return MAMORI_EXIT_TOO_NEW;
    case MAMORI_VAULT_ERROR_NO_SUCH_USER:
      return MAMORI_EXIT_USAGE;
    case MAMORI_VAULT_ERROR_NOT_ALLOWED:
    case MAMORI_VAULT_ERROR_LAST_USER:
      return MAMORI_EXIT_NOT_PERMITTED;
    case MAMORI_VAULT_ERROR_EXISTS:
    case MAMORI_VAULT_ERROR_IO:
    case MAMORI_VAULT_ERROR_LOCKED:
    case MAMORI_VAULT_ERROR_BUSY:
    default:
      return MAMORI_EXIT_FAILURE;
    }
}

int
mamori_cli_open_vault (const char *path,
                       const char *user,
                       const char *passphrase_file,
                       const char *recovery_code_file,
                       MamoriVault **out_vault,
                       MamoriSecret **out_secret)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) secret = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;

  if (path == NULL)
    {
      mamori_cli_err (_ ("--vault PATH is required"));
      return MAMORI_EXIT_USAGE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      mamori_cli_err (_ ("There is no vault at %s"), path);
      return MAMORI_EXIT_FAILURE;
    }
  vault = mamori_vault_open (path, &error);
  if (vault == NULL)
    return mamori_cli_vault_fail (error);

  if (recovery_code_file != NULL)
    {
      secret = mamori_cli_get_secret (recovery_code_file, NULL, NULL, 0, &error);
      if (secret == NULL || !mamori_vault_unlock_with_recovery (vault, secret, &error))
        return mamori_cli_vault_fail (error);
      goto unlocked;
    }

  users = mamori_vault_list_users (vault);
  if (user == NULL && g_strv_length (users) == 1)
    user = users[0];
  if (user == NULL)
    {
      g_autofree char *list = g_strjoinv (", ", users);

      mamori_cli_err (_ ("--user NAME is required; the users of this vault are: %s"), list);
      return MAMORI_EXIT_USAGE;
    }
  if (!g_strv_contains ((const char *const *)users, user))
    {
      g_autofree char *list = g_strjoinv (", ", users);

      mamori_cli_err (_ ("“%s” is not a user of this vault; its users are: %s"), user, list);
      return MAMORI_EXIT_USAGE;
    }

  {
    g_autofree char *prompt = g_strdup_printf (_ ("Passphrase for %s: "), user);

    secret = mamori_cli_get_secret (passphrase_file, prompt, NULL, 0, &error);
  }
  if (secret == NULL || !mamori_vault_unlock (vault, user, secret, &error))
    return mamori_cli_vault_fail (error);

unlocked:
  *out_vault = g_steal_pointer (&vault);
  if (out_secret != NULL)
    *out_secret = g_steal_pointer (&secret);
  return MAMORI_EXIT_OK;
}
