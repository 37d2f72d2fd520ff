/* mamori-signing.c — Ed25519 signing keys of the vault's users (libgcrypt, flags eddsa)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gcrypt.h>
#include <string.h>

#include "mamori-crypto.h"
#include "mamori-signing.h"

/* libgcrypt copies a secret into secure memory when the buffer it is given is secure, so
 * key S-expressions built from secure seeds never hold the seed in ordinary memory.
 * (gcry_pk_genkey's result is not secure, which is why the seed is drawn here instead.) */
static gcry_sexp_t
build_private_key (const guint8 *seed, const guint8 *public_key)
{
  gcry_sexp_t key = NULL;
  gcry_error_t err;

  if (public_key != NULL)
    err = gcry_sexp_build (&key, NULL,
                           "(private-key (ecc (curve Ed25519) (flags eddsa) (q %b) (d %b)))",
                           MAMORI_SIGNING_KEY_SIZE, public_key, MAMORI_SIGNING_KEY_SIZE, seed);
  else
    err = gcry_sexp_build (&key, NULL, "(private-key (ecc (curve Ed25519) (flags eddsa) (d %b)))",
                           MAMORI_SIGNING_KEY_SIZE, seed);
  if (err != 0)
    g_error ("cannot build an Ed25519 key: %s", gcry_strerror (err));
  return key;
}

void
mamori_signing_public_from_seed (const guint8 *seed, guint8 out_public[MAMORI_SIGNING_KEY_SIZE])
{
  gcry_sexp_t key = build_private_key (seed, NULL);
  gcry_ctx_t ctx = NULL;
  gcry_mpi_t q;
  const guint8 *bytes;
  unsigned int nbits = 0;

  if (gcry_mpi_ec_new (&ctx, key, NULL) != 0)
    g_error ("Ed25519 unavailable in libgcrypt");
  /* "q@eddsa" computes the public point from d and encodes it as RFC 8032 does. */
  q = gcry_mpi_ec_get_mpi ("q@eddsa", ctx, 1);
  bytes = q != NULL ? gcry_mpi_get_opaque (q, &nbits) : NULL;
  if (bytes == NULL || nbits != 8 * MAMORI_SIGNING_KEY_SIZE)
    g_error ("unexpected Ed25519 public key encoding");
  memcpy (out_public, bytes, MAMORI_SIGNING_KEY_SIZE);

  gcry_mpi_release (q);
  gcry_ctx_release (ctx);
  gcry_sexp_release (key);
}

void
mamori_signing_generate (guint8 *out_seed, guint8 out_public[MAMORI_SIGNING_KEY_SIZE])
{
  mamori_crypto_random (out_seed, MAMORI_SIGNING_KEY_SIZE);
  mamori_signing_public_from_seed (out_seed, out_public);
}

static gcry_sexp_t
build_data (const guint8 *data, gsize length)
{
  gcry_sexp_t sexp = NULL;

  if (length > MAMORI_SIGNING_MAX_DATA)
    return NULL;
  if (gcry_sexp_build (&sexp, NULL, "(data (flags eddsa) (hash-algo sha512) (value %b))",
                       (int)length, data)
      != 0)
    return NULL;
  return sexp;
}

static gboolean
copy_token (gcry_sexp_t sexp, const char *name, guint8 *out)
{
  gcry_sexp_t token = gcry_sexp_find_token (sexp, name, 0);
  const char *bytes;
  size_t len = 0;

  bytes = token != NULL ? gcry_sexp_nth_data (token, 1, &len) : NULL;
  if (bytes != NULL && len == MAMORI_SIGNING_KEY_SIZE)
    memcpy (out, bytes, len);
  gcry_sexp_release (token);
  return bytes != NULL && len == MAMORI_SIGNING_KEY_SIZE;
}

gboolean
mamori_signing_sign (const guint8 *seed,
                     const guint8 *public_key,
                     const guint8 *data,
                     gsize length,
                     guint8 out_signature[MAMORI_SIGNATURE_SIZE],
                     GError **error)
{
  gcry_sexp_t key = build_private_key (seed, public_key);
  gcry_sexp_t input = build_data (data, length);
  gcry_sexp_t sig = NULL;
  gcry_error_t err = GPG_ERR_INV_ARG;
  gboolean ok = FALSE;

  if (input != NULL)
    err = gcry_pk_sign (&sig, input, key);
  /* r ‖ s, 32 bytes each, is the RFC 8032 signature. */
  if (err == 0)
    ok = copy_token (sig, "r", out_signature)
         && copy_token (sig, "s", out_signature + MAMORI_SIGNING_KEY_SIZE);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot sign: %s"),
                 err != 0 ? gcry_strerror (err) : _ ("unexpected signature encoding"));

  gcry_sexp_release (sig);
  gcry_sexp_release (input);
  gcry_sexp_release (key);
  return ok;
}

gboolean
mamori_signing_verify (const guint8 *public_key,
                       const guint8 *data,
                       gsize length,
                       const guint8 *signature)
{
  gcry_sexp_t key = NULL, sig = NULL, input;
  gboolean ok = FALSE;

  input = build_data (data, length);
  if (input != NULL
      && gcry_sexp_build (&key, NULL, "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
                          MAMORI_SIGNING_KEY_SIZE, public_key)
             == 0
      && gcry_sexp_build (&sig, NULL, "(sig-val (eddsa (r %b) (s %b)))", MAMORI_SIGNING_KEY_SIZE,
                          signature, MAMORI_SIGNING_KEY_SIZE, signature + MAMORI_SIGNING_KEY_SIZE)
             == 0)
    ok = gcry_pk_verify (sig, input, key) == 0;

  gcry_sexp_release (sig);
  gcry_sexp_release (key);
  gcry_sexp_release (input);
  return ok;
}
