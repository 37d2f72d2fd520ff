/* test-signing.c — Ed25519 signing keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-crypto.h"
#include "mamori-signing.h"

static void
hex_decode (const char *hex, guint8 *out, gsize len)
{
  g_assert_cmpuint (strlen (hex), ==, 2 * len);
  for (gsize i = 0; i < len; i++)
    out[i] = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);
}

/* RFC 8032 §7.1, test 1 and test 2: libgcrypt's keys and signatures are the standard
 * ones, so the board server or any other Ed25519 implementation can check them. */
static void
test_rfc8032_vectors (void)
{
  static const struct
  {
    const char *seed, *public_key, *message, *signature;
  } vectors[] = {
    { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
      "b46b"
      "d25bf5f0595bbe24655141438e7a100b" },
    { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
      "1d8c"
      "387b2eaeb4302aeeb00d291612bb0c00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr (GError) error = NULL;
      guint8 *seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
      guint8 public_key[MAMORI_SIGNING_KEY_SIZE], expected_public[MAMORI_SIGNING_KEY_SIZE];
      guint8 signature[MAMORI_SIGNATURE_SIZE], expected_signature[MAMORI_SIGNATURE_SIZE];
      guint8 message[1];
      gsize message_len = strlen (vectors[i].message) / 2;

      hex_decode (vectors[i].seed, seed, MAMORI_SIGNING_KEY_SIZE);
      hex_decode (vectors[i].public_key, expected_public, sizeof expected_public);
      hex_decode (vectors[i].signature, expected_signature, sizeof expected_signature);
      hex_decode (vectors[i].message, message, message_len);

      mamori_signing_public_from_seed (seed, public_key);
      g_assert_cmpmem (public_key, sizeof public_key, expected_public, sizeof expected_public);
      g_assert_true (
          mamori_signing_sign (seed, public_key, message, message_len, signature, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (signature, sizeof signature, expected_signature, sizeof expected_signature);
      g_assert_true (mamori_signing_verify (public_key, message, message_len, signature));
      mamori_secure_free (seed);
    }
}

static void
test_sign_verify (void)
{
  static const char payload[] = "{\"type\":\"requested\",\"author_seq\":1}";
  g_autoptr (GError) error = NULL;
  guint8 *seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  guint8 *other_seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE], other_public[MAMORI_SIGNING_KEY_SIZE];
  guint8 derived[MAMORI_SIGNING_KEY_SIZE];
  guint8 signature[MAMORI_SIGNATURE_SIZE], altered[MAMORI_SIGNATURE_SIZE];
  char tampered[sizeof payload];

  mamori_signing_generate (seed, public_key);
  mamori_signing_generate (other_seed, other_public);
  g_assert_false (memcmp (seed, other_seed, MAMORI_SIGNING_KEY_SIZE) == 0);
  g_assert_false (memcmp (public_key, other_public, sizeof public_key) == 0);
  mamori_signing_public_from_seed (seed, derived);
  g_assert_cmpmem (derived, sizeof derived, public_key, sizeof public_key);

  g_assert_true (mamori_signing_sign (seed, public_key, (const guint8 *)payload, strlen (payload),
                                      signature, &error));
  g_assert_no_error (error);
  g_assert_true (
      mamori_signing_verify (public_key, (const guint8 *)payload, strlen (payload), signature));

  /* Another key, one byte of the data, one bit of the signature: all refused. */
  g_assert_false (
      mamori_signing_verify (other_public, (const guint8 *)payload, strlen (payload), signature));
  memcpy (tampered, payload, sizeof payload);
  tampered[10] ^= 0x01;
  g_assert_false (
      mamori_signing_verify (public_key, (const guint8 *)tampered, strlen (tampered), signature));
  for (gsize i = 0; i < sizeof signature; i += 7)
    {
      memcpy (altered, signature, sizeof altered);
      altered[i] ^= 0x80;
      g_assert_false (
          mamori_signing_verify (public_key, (const guint8 *)payload, strlen (payload), altered));
    }

  mamori_secure_free (other_seed);
  mamori_secure_free (seed);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_true (mamori_crypto_init (&error)); /* idempotent */

  g_test_add_func ("/signing/rfc8032", test_rfc8032_vectors);
  g_test_add_func ("/signing/sign-verify", test_sign_verify);
  return g_test_run ();
}
