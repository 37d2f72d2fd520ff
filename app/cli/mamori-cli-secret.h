/* mamori-cli-secret.h — passphrases and recovery codes for mamori-cli, never from argv
 *
 * A secret comes from a file named on the command line or from the terminal with echo
 * off, and lives in libgcrypt's secure memory (MamoriSecret) from the first byte read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mamori-crypto.h"

G_BEGIN_DECLS

/* New passphrases: the GUI shows strength; the command line insists on a floor. */
#define MAMORI_CLI_MIN_PASSPHRASE_CHARS 8

#define MAMORI_CLI_SECRET_ERROR (mamori_cli_secret_error_quark ())

typedef enum
{
  MAMORI_CLI_SECRET_ERROR_NO_TERMINAL, /* no file given and no terminal to ask on */
  MAMORI_CLI_SECRET_ERROR_MISMATCH,    /* the two entries of a new passphrase differ */
  MAMORI_CLI_SECRET_ERROR_INVALID,     /* empty, too long, too short or not UTF-8 */
  MAMORI_CLI_SECRET_ERROR_IO,
} MamoriCliSecretError;

GQuark
mamori_cli_secret_error_quark (void);

/* The secret in @file (one trailing newline dropped) if @file is not NULL, else asked
 * for on the terminal with @prompt — twice, with @confirm_prompt, when that is not
 * NULL.  @min_chars: the fewest characters accepted (for new passphrases). */
MamoriSecret *
mamori_cli_get_secret (const char *file,
                       const char *prompt,
                       const char *confirm_prompt,
                       guint min_chars,
                       GError **error);

G_END_DECLS
