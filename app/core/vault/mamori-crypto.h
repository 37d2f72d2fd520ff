/* mamori-crypto.h — libgcrypt set-up, secure memory and the key-wrapping primitives
 *
 * Every secret the vault handles (master key, slot keys, signing seeds, passphrases
 * read by the front ends) lives in libgcrypt's secure memory: locked against swapping
 * and wiped when freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_KEY_SIZE 32         /* AES-256 keys, X25519 and Ed25519 secrets */
#define MAMORI_WRAPPED_KEY_SIZE 40 /* a 32-byte key after AES key wrap (RFC 3394) */

/* Initialises libgcrypt with a secure-memory pool.  Call it in main() before GTK
 * (or anything else that could initialise libgcrypt first); later calls do nothing. */
gboolean
mamori_crypto_init (GError **error);

/* Zeroed secure memory; never fails for the small sizes the vault uses (aborts like
 * g_malloc when the pool is exhausted). */
gpointer
mamori_secure_alloc (gsize size);
/* Wipes and frees; NULL is fine. */
void
mamori_secure_free (gpointer mem);
char *
mamori_secure_strdup (const char *str);

/* A NUL-terminated secret (passphrase, recovery code) in secure memory, so that
 * g_autoptr (MamoriSecret) frees it with mamori_secure_free(). */
typedef char MamoriSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriSecret, mamori_secure_free)

/* Fresh key material from libgcrypt's strong generator. */
void
mamori_crypto_random (guint8 *out, gsize len);

/* AES-256 key wrap (RFC 3394) of a 32-byte key; the unwrap fails, without touching
 * @out_key, when @kek is not the key it was wrapped with (its 64-bit integrity check). */
void
mamori_crypto_wrap_key (const guint8 *kek,
                        const guint8 *key,
                        guint8 out_wrapped[MAMORI_WRAPPED_KEY_SIZE]);
gboolean
mamori_crypto_unwrap_key (const guint8 *kek,
                          const guint8 *wrapped,
                          gsize wrapped_len,
                          guint8 *out_key);

/* X25519 (RFC 7748): a new key pair; @out_secret should be secure memory. */
void
mamori_crypto_x25519_generate (guint8 *out_secret, guint8 out_public[MAMORI_KEY_SIZE]);

/* Seals @key to @recipient_public: an ephemeral X25519 key agreement gives a
 * key-encryption key that wraps @key.  Anyone holding the key can seal it to a slot
 * without that slot's passphrase, which is what makes master-key rotation possible.
 * Fails only for an invalid (low-order) public key. */
gboolean
mamori_crypto_seal_key (const guint8 *recipient_public,
                        const guint8 *key,
                        guint8 out_ephemeral[MAMORI_KEY_SIZE],
                        guint8 out_wrapped[MAMORI_WRAPPED_KEY_SIZE]);
gboolean
mamori_crypto_open_sealed_key (const guint8 *recipient_secret,
                               const guint8 *recipient_public,
                               const guint8 *ephemeral,
                               const guint8 *wrapped,
                               gsize wrapped_len,
                               guint8 *out_key);

G_END_DECLS
