/* mamori-recovery-code.h — the printable form of a vault's recovery key
 *
 * 160 random bits as 8 groups of 5 Crockford base32 characters: 4 carry the key, the
 * 5th is a Luhn mod 32 check over the group and its position, so a mistyped character
 * or two swapped groups are caught and the message can name the group.  Reading
 * ignores case, spaces and dashes, and takes O for 0 and I or L for 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_RECOVERY_KEY_SIZE 20

/* A new recovery key in @out_key (secure memory) and its printable form, e.g.
 * "7K3QD-M0X2A-…", as a MamoriSecret to free with mamori_secure_free(). */
char *
mamori_recovery_code_generate (guint8 out_key[MAMORI_RECOVERY_KEY_SIZE]);

/* MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE when @code is malformed. */
gboolean
mamori_recovery_code_parse (const char *code,
                            guint8 out_key[MAMORI_RECOVERY_KEY_SIZE],
                            GError **error);

G_END_DECLS
