/* mamori-passphrase-quality.h — how strong a new passphrase is, with a hint to improve it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The shortest passphrase a vault accepts, in characters (as mamori-cli). */
#define MAMORI_PASSPHRASE_MIN_CHARS 8

typedef enum
{
  MAMORI_PASSPHRASE_EMPTY,
  MAMORI_PASSPHRASE_TOO_WEAK, /* refused: too short, a dictionary word, a sequence … */
  MAMORI_PASSPHRASE_WEAK,
  MAMORI_PASSPHRASE_FAIR,
  MAMORI_PASSPHRASE_GOOD,
  MAMORI_PASSPHRASE_STRONG,
} MamoriPassphraseQuality;

/* Rates @passphrase with libpwquality, against @user's name too (may be NULL).
 * @out_hint, if not NULL, receives a translated hint (a static string). */
MamoriPassphraseQuality
mamori_passphrase_quality (const char *passphrase, const char *user, const char **out_hint);

G_END_DECLS
