/* mamori-vault-error.c — the error domain of the vault and its key slots
 *
 * In a file of its own: the key-slot code uses it without the rest of the vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-vault-error.h"

G_DEFINE_QUARK (mamori - vault - error - quark, mamori_vault_error)
