/* mamori-signing.h — Ed25519 signing keys of the vault's users
 *
 * A signing key is its 32-byte seed (RFC 8032), kept in secure memory and stored only
 * wrapped by its user's slot key (see mamori-keyslots.h), so another user of the same
 * vault cannot sign in that user's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_SIGNING_KEY_SIZE 32 /* seed and public key */
#define MAMORI_SIGNATURE_SIZE 64
/* The most that is signed or checked in one piece: libgcrypt hands the data over in an
 * S-expression, whose values hold at most 64 KiB (a larger one aborts the process). */
#define MAMORI_SIGNING_MAX_DATA (60 * 1024)

/* A new key pair; @out_seed must be secure memory (mamori_secure_alloc). */
void
mamori_signing_generate (guint8 *out_seed, guint8 out_public[MAMORI_SIGNING_KEY_SIZE]);

/* The public key that belongs to @seed. */
void
mamori_signing_public_from_seed (const guint8 *seed, guint8 out_public[MAMORI_SIGNING_KEY_SIZE]);

/* FALSE with an error for more than MAMORI_SIGNING_MAX_DATA bytes. */
gboolean
mamori_signing_sign (const guint8 *seed,
                     const guint8 *public_key,
                     const guint8 *data,
                     gsize length,
                     guint8 out_signature[MAMORI_SIGNATURE_SIZE],
                     GError **error);

/* TRUE when @signature is @public_key's signature over exactly these bytes (never for
 * more than MAMORI_SIGNING_MAX_DATA bytes). */
gboolean
mamori_signing_verify (const guint8 *public_key,
                       const guint8 *data,
                       gsize length,
                       const guint8 *signature);

G_END_DECLS
