/* mamori-cli-vault.h — opening a vault from the command line, shared by sub-commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-crypto.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

/* Prints @error and returns the exit status it maps to (docs/cli.md). */
int
mamori_cli_vault_fail (const GError *error);

/* Opens the vault at @path and unlocks it with the recovery code in
 * @recovery_code_file, or as @user (which may be NULL when the vault has one user) with
 * the passphrase from @passphrase_file or the terminal.  Returns an exit status; on
 * MAMORI_EXIT_OK @out_vault holds the unlocked vault and @out_secret, if not NULL, the
 * passphrase or code that unlocked it. */
int
mamori_cli_open_vault (const char *path,
                       const char *user,
                       const char *passphrase_file,
                       const char *recovery_code_file,
                       MamoriVault **out_vault,
                       MamoriSecret **out_secret);

G_END_DECLS
