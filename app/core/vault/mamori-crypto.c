/* mamori-crypto.c — libgcrypt set-up, secure memory and the key-wrapping primitives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gcrypt.h>
#include <string.h>

#include "mamori-crypto.h"

#define MAMORI_GCRYPT_MIN_VERSION "1.10.0"

/* Master key, the unlocked user's slot secret and signing seed, the passphrases being
 * typed, the libgcrypt contexts that copy them: a few KiB.  Argon2's 64 MiB of work
 * memory is ordinary memory (libgcrypt allocates it itself); it holds no key, only
 * values derived from the passphrase by a one-way function. */
#define MAMORI_SECMEM_SIZE (64 * 1024)

/* Domain separation for the key-encryption key of a sealed key. */
static const char seal_label[] = "mamori key seal v1";

gboolean
mamori_crypto_init (GError **error)
{
  if (gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
    return TRUE;

  if (gcry_check_version (MAMORI_GCRYPT_MIN_VERSION) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _ ("libgcrypt %s or later is needed (this system has %s)"),
                   MAMORI_GCRYPT_MIN_VERSION, gcry_check_version (NULL));
      return FALSE;
    }

  /* Without the right to lock memory libgcrypt still works, with a warning on stderr
   * for every process; the pool is still wiped on free. */
  gcry_control (GCRYCTL_SUSPEND_SECMEM_WARN);
  gcry_control (GCRYCTL_INIT_SECMEM, MAMORI_SECMEM_SIZE, 0);
  gcry_control (GCRYCTL_RESUME_SECMEM_WARN);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
  return TRUE;
}

gpointer
mamori_secure_alloc (gsize size)
{
  gpointer mem;

  g_return_val_if_fail (gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P), NULL);

  mem = gcry_calloc_secure (1, MAX (size, 1));
  if (mem == NULL)
    g_error ("out of secure memory (%" G_GSIZE_FORMAT " bytes)", size);
  return mem;
}

void
mamori_secure_free (gpointer mem)
{
  /* gcry_free() wipes blocks from the secure pool before releasing them. */
  if (mem != NULL)
    gcry_free (mem);
}

char *
mamori_secure_strdup (const char *str)
{
  gsize len;
  char *copy;

  if (str == NULL)
    return NULL;
  len = strlen (str);
  copy = mamori_secure_alloc (len + 1);
  memcpy (copy, str, len);
  return copy;
}

void
mamori_crypto_random (guint8 *out, gsize len)
{
  gcry_randomize (out, len, GCRY_VERY_STRONG_RANDOM);
}

static gcry_cipher_hd_t
open_aeswrap (const guint8 *kek)
{
  gcry_cipher_hd_t hd = NULL;
  gcry_error_t err;

  err = gcry_cipher_open (&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_AESWRAP, GCRY_CIPHER_SECURE);
  if (err == 0)
    err = gcry_cipher_setkey (hd, kek, MAMORI_KEY_SIZE);
  /* Only a broken libgcrypt fails here: AES-256 and key wrap are in every build. */
  if (err != 0)
    g_error ("AES key wrap unavailable: %s", gcry_strerror (err));
  return hd;
}

void
mamori_crypto_wrap_key (const guint8 *kek,
                        const guint8 *key,
                        guint8 out_wrapped[MAMORI_WRAPPED_KEY_SIZE])
{
  gcry_cipher_hd_t hd = open_aeswrap (kek);
  gcry_error_t err;

  err = gcry_cipher_encrypt (hd, out_wrapped, MAMORI_WRAPPED_KEY_SIZE, key, MAMORI_KEY_SIZE);
  gcry_cipher_close (hd);
  if (err != 0)
    g_error ("AES key wrap failed: %s", gcry_strerror (err));
}

gboolean
mamori_crypto_unwrap_key (const guint8 *kek,
                          const guint8 *wrapped,
                          gsize wrapped_len,
                          guint8 *out_key)
{
  gcry_cipher_hd_t hd;
  guint8 *plain;
  gcry_error_t err;

  if (wrapped_len != MAMORI_WRAPPED_KEY_SIZE)
    return FALSE;

  /* Unwrap into secure scratch space so that a failed check leaves @out_key alone. */
  plain = mamori_secure_alloc (MAMORI_KEY_SIZE);
  hd = open_aeswrap (kek);
  err = gcry_cipher_decrypt (hd, plain, MAMORI_KEY_SIZE, wrapped, wrapped_len);
  gcry_cipher_close (hd);
  if (err == 0)
    memcpy (out_key, plain, MAMORI_KEY_SIZE);
  mamori_secure_free (plain);
  return err == 0;
}

static gboolean
x25519 (guint8 *out, const guint8 *scalar, const guint8 *point)
{
  static const guint8 zero[MAMORI_KEY_SIZE] = { 0 };
  gcry_error_t err;

  err = gcry_ecc_mul_point (GCRY_ECC_CURVE25519, out, scalar, point);
  /* An all-zero result means a low-order point: refuse it (RFC 7748 §6.1). */
  return err == 0 && memcmp (out, zero, MAMORI_KEY_SIZE) != 0;
}

void
mamori_crypto_x25519_generate (guint8 *out_secret, guint8 out_public[MAMORI_KEY_SIZE])
{
  static const guint8 base_point[MAMORI_KEY_SIZE] = { 9 };

  mamori_crypto_random (out_secret, MAMORI_KEY_SIZE);
  /* Clamp as RFC 7748 decodes scalars, so the stored secret is the scalar used. */
  out_secret[0] &= 248;
  out_secret[31] &= 127;
  out_secret[31] |= 64;
  if (!x25519 (out_public, out_secret, base_point))
    g_error ("X25519 failed on the base point");
}

/* KEK = SHA-256 (label ‖ shared secret ‖ ephemeral public ‖ recipient public): the two
 * public keys bind the wrap to this exchange. */
static void
derive_seal_kek (const guint8 *shared,
                 const guint8 *ephemeral,
                 const guint8 *recipient_public,
                 guint8 *out_kek)
{
  gcry_md_hd_t md;

  if (gcry_md_open (&md, GCRY_MD_SHA256, GCRY_MD_FLAG_SECURE) != 0)
    g_error ("SHA-256 unavailable");
  gcry_md_write (md, seal_label, sizeof seal_label - 1);
  gcry_md_write (md, shared, MAMORI_KEY_SIZE);
  gcry_md_write (md, ephemeral, MAMORI_KEY_SIZE);
  gcry_md_write (md, recipient_public, MAMORI_KEY_SIZE);
  memcpy (out_kek, gcry_md_read (md, GCRY_MD_SHA256), MAMORI_KEY_SIZE);
  gcry_md_close (md);
}

gboolean
mamori_crypto_seal_key (const guint8 *recipient_public,
                        const guint8 *key,
                        guint8 out_ephemeral[MAMORI_KEY_SIZE],
                        guint8 out_wrapped[MAMORI_WRAPPED_KEY_SIZE])
{
  guint8 *ephemeral_secret = mamori_secure_alloc (MAMORI_KEY_SIZE);
  guint8 *shared = mamori_secure_alloc (MAMORI_KEY_SIZE);
  guint8 *kek = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gboolean ok;

  mamori_crypto_x25519_generate (ephemeral_secret, out_ephemeral);
  /* A low-order public key (only a forged key file has one) would make the shared
   * secret predictable and leak @key: refuse it. */
  ok = x25519 (shared, ephemeral_secret, recipient_public);
  if (ok)
    {
      derive_seal_kek (shared, out_ephemeral, recipient_public, kek);
      mamori_crypto_wrap_key (kek, key, out_wrapped);
    }

  mamori_secure_free (kek);
  mamori_secure_free (shared);
  mamori_secure_free (ephemeral_secret);
  return ok;
}

gboolean
mamori_crypto_open_sealed_key (const guint8 *recipient_secret,
                               const guint8 *recipient_public,
                               const guint8 *ephemeral,
                               const guint8 *wrapped,
                               gsize wrapped_len,
                               guint8 *out_key)
{
  guint8 *shared = mamori_secure_alloc (MAMORI_KEY_SIZE);
  guint8 *kek = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gboolean ok = FALSE;

  if (x25519 (shared, recipient_secret, ephemeral))
    {
      derive_seal_kek (shared, ephemeral, recipient_public, kek);
      ok = mamori_crypto_unwrap_key (kek, wrapped, wrapped_len, out_key);
    }

  mamori_secure_free (kek);
  mamori_secure_free (shared);
  return ok;
}
