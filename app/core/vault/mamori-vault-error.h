/* mamori-vault-error.h — the errors of the vault and its key slots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_VAULT_ERROR (mamori_vault_error_quark ())

typedef enum
{
  MAMORI_VAULT_ERROR_WRONG_PASSPHRASE, /* nothing was changed */
  MAMORI_VAULT_ERROR_NO_SUCH_USER,
  MAMORI_VAULT_ERROR_DAMAGED, /* damaged or altered; the message names the page */
  MAMORI_VAULT_ERROR_NOT_A_VAULT,
  MAMORI_VAULT_ERROR_TOO_NEW, /* made by a newer Mamori */
  MAMORI_VAULT_ERROR_EXISTS,
  MAMORI_VAULT_ERROR_LAST_USER,         /* the last user cannot be removed */
  MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE, /* mistyped (the message names the group) or wrong */
  MAMORI_VAULT_ERROR_IO,
  MAMORI_VAULT_ERROR_LOCKED,      /* the operation needs an unlocked vault */
  MAMORI_VAULT_ERROR_NOT_ALLOWED, /* the unlocked user's role may not do this */
  MAMORI_VAULT_ERROR_BUSY,        /* another program holds the vault: try again */
} MamoriVaultError;

GQuark
mamori_vault_error_quark (void);

G_END_DECLS
