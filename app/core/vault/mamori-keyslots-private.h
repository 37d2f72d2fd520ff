/* mamori-keyslots-private.h — shared by mamori-keyslots.c and mamori-keyslots-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-keyslots.h"

G_BEGIN_DECLS

/* The "format" member of every key file, and the first thing its MAC covers. */
#define MAMORI_KEY_FILE_FORMAT "mamori-keys"

/* Computes @key_file's MAC under @master_key into it (and marks it as having one), as
 * the file is about to be written. */
void
_mamori_key_file_seal (MamoriKeyFile *key_file, const guint8 *master_key);

G_END_DECLS
