/* mamori-keyslots.c — the key-slot file beside a vault: its slots and its MAC
 *
 * Reading and writing the file is in mamori-keyslots-file.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-keyslots-private.h"
#include "mamori-keyslots.h"
#include "mamori-vault-error.h"

#define KDF_MEMORY_KIB (64 * 1024)
#define KDF_TARGET_USEC (750 * 1000)
#define KDF_MAX_CALIBRATED_ITERATIONS MAMORI_KDF_MAX_ITERATIONS
#define KDF_TEST_MEMORY_KIB (8 * 1024)

#define MAC_LABEL "mamori key file mac"

/* --- Argon2id ----------------------------------------------------------------- */

gboolean
mamori_kdf_derive (const MamoriKdfParams *params,
                   const void *secret,
                   gsize secret_len,
                   guint8 *out_key,
                   GError **error)
{
  unsigned long args[4]
      = { MAMORI_KEY_SIZE, params->iterations, params->memory_kib, params->parallelism };
  gcry_kdf_hd_t hd = NULL;
  gcry_error_t err;

  err = gcry_kdf_open (&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, args, G_N_ELEMENTS (args), secret,
                       secret_len, params->salt, sizeof params->salt, NULL, 0, NULL, 0);
  if (err == 0)
    err = gcry_kdf_compute (hd, NULL);
  if (err == 0)
    err = gcry_kdf_final (hd, MAMORI_KEY_SIZE, out_key);
  if (hd != NULL)
    gcry_kdf_close (hd);

  if (err != 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                   _ ("Cannot derive the key from the passphrase (Argon2id, %u MiB): %s"),
                   params->memory_kib / 1024, gcry_strerror (err));
      return FALSE;
    }
  return TRUE;
}

static gint64
time_derive (guint iterations)
{
  MamoriKdfParams params = { iterations, KDF_MEMORY_KIB, 1, { 0 } };
  guint8 *key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gint64 start = g_get_monotonic_time ();

  if (!mamori_kdf_derive (&params, "calibration", strlen ("calibration"), key, NULL))
    g_error ("Argon2id does not work in this libgcrypt");
  mamori_secure_free (key);
  return g_get_monotonic_time () - start;
}

static gsize
calibrate_iterations (void)
{
  gint64 one, three, per_pass, fixed;
  guint iterations;

  /* The first pass also pays for mapping and filling 64 MiB; the difference between one
   * and three passes is what each further pass costs. */
  one = time_derive (1);
  three = time_derive (3);
  per_pass = MAX ((three - one) / 2, 1);
  fixed = MAX (one - per_pass, 0);
  iterations = KDF_TARGET_USEC > fixed ? (KDF_TARGET_USEC - fixed + per_pass / 2) / per_pass : 1;
  return CLAMP (iterations, 1, KDF_MAX_CALIBRATED_ITERATIONS);
}

void
mamori_kdf_params_init (MamoriKdfParams *params)
{
  static gsize calibrated = 0;

  params->parallelism = 1;
  if (g_strcmp0 (g_getenv ("MAMORI_KDF_TEST_FAST"), "1") == 0)
    {
      params->iterations = 1;
      params->memory_kib = KDF_TEST_MEMORY_KIB;
    }
  else
    {
      if (g_once_init_enter (&calibrated))
        g_once_init_leave (&calibrated, calibrate_iterations ());
      params->iterations = calibrated;
      params->memory_kib = KDF_MEMORY_KIB;
    }
  mamori_crypto_random (params->salt, sizeof params->salt);
}

/* --- slots --------------------------------------------------------------------- */

MamoriSlotKeys *
mamori_slot_keys_new (void)
{
  return mamori_secure_alloc (sizeof (MamoriSlotKeys));
}

void
mamori_slot_keys_free (MamoriSlotKeys *keys)
{
  mamori_secure_free (keys);
}

void
mamori_key_slot_free (MamoriKeySlot *slot)
{
  if (slot == NULL)
    return;
  g_free (slot->user);
  g_clear_pointer (&slot->pending_payload, g_bytes_unref);
  g_free (slot);
}

static const char *
slot_name (const MamoriKeySlot *slot)
{
  return slot->kind == MAMORI_KEY_SLOT_USER ? slot->user : _ ("recovery");
}

/* New Argon2id parameters and salt for @secret; wraps the slot's secret and a user's
 * signing seed from @keys with the slot key it gives. */
static gboolean
wrap_secrets (MamoriKeySlot *slot,
              const MamoriSlotKeys *keys,
              const void *secret,
              gsize secret_len,
              GError **error)
{
  MamoriKdfParams params;
  guint8 *slot_key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gboolean ok;

  mamori_kdf_params_init (&params);
  ok = mamori_kdf_derive (&params, secret, secret_len, slot_key, error);
  if (ok)
    {
      slot->kdf = params;
      mamori_crypto_wrap_key (slot_key, keys->slot_secret, slot->slot_secret);
      if (slot->kind == MAMORI_KEY_SLOT_USER)
        mamori_crypto_wrap_key (slot_key, keys->signing_seed, slot->signing_secret);
    }
  mamori_secure_free (slot_key);
  return ok;
}

void
mamori_key_slot_give_signing_key (MamoriKeySlot *slot,
                                  const guint8 *seed,
                                  const guint8 public_key[MAMORI_SIGNING_KEY_SIZE])
{
  g_return_if_fail (slot->kind == MAMORI_KEY_SLOT_RECOVERY);

  /* The slot's public key was checked when the file was read (or made here). */
  if (!mamori_crypto_seal_key (slot->slot_public, seed, slot->signing_ephemeral,
                               slot->signing_secret))
    g_return_if_reached ();
  memcpy (slot->signing_public, public_key, MAMORI_SIGNING_KEY_SIZE);
  slot->has_signing = TRUE;
}

void
mamori_key_slot_set_pending (MamoriKeySlot *slot,
                             GBytes *payload,
                             const guint8 sig[MAMORI_SIGNATURE_SIZE])
{
  g_clear_pointer (&slot->pending_payload, g_bytes_unref);
  slot->pending_payload = g_bytes_ref (payload);
  memcpy (slot->pending_sig, sig, MAMORI_SIGNATURE_SIZE);
}

gboolean
mamori_key_slot_seal_master (MamoriKeySlot *slot, const guint8 *master_key, GError **error)
{
  if (!mamori_crypto_seal_key (slot->slot_public, master_key, slot->master_ephemeral,
                               slot->master_wrapped))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("The key slot “%s” has been altered (invalid public key)"), slot_name (slot));
      return FALSE;
    }
  return TRUE;
}

MamoriKeySlot *
mamori_key_slot_new (MamoriKeySlotKind kind,
                     const char *user,
                     MamoriRole role,
                     const void *secret,
                     gsize secret_len,
                     const guint8 *master_key,
                     MamoriSlotKeys *out_keys,
                     GError **error)
{
  g_autoptr (MamoriKeySlot) slot = g_new0 (MamoriKeySlot, 1);
  g_autoptr (MamoriSlotKeys) own_keys = NULL;
  MamoriSlotKeys *keys = out_keys;

  g_return_val_if_fail ((kind == MAMORI_KEY_SLOT_USER) == (user != NULL), NULL);

  if (keys == NULL)
    keys = own_keys = mamori_slot_keys_new ();

  slot->kind = kind;
  slot->user = g_strdup (user);
  slot->role = role;
  memcpy (keys->master_key, master_key, MAMORI_KEY_SIZE);
  mamori_crypto_x25519_generate (keys->slot_secret, slot->slot_public);
  mamori_signing_generate (keys->signing_seed, slot->signing_public);
  slot->has_signing = TRUE;
  if (kind == MAMORI_KEY_SLOT_RECOVERY)
    mamori_key_slot_give_signing_key (slot, keys->signing_seed, slot->signing_public);

  if (!mamori_key_slot_seal_master (slot, master_key, error)
      || !wrap_secrets (slot, keys, secret, secret_len, error))
    {
      memset (keys, 0, sizeof *keys);
      return NULL;
    }
  return g_steal_pointer (&slot);
}

static gboolean
wrong_secret (const MamoriKeySlot *slot, GError **error)
{
  if (slot->kind == MAMORI_KEY_SLOT_USER)
    g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE,
                 _ ("Wrong passphrase for “%s”"), slot->user);
  else
    g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE,
                         _ ("This recovery code does not open this vault"));
  return FALSE;
}

static gboolean
open_slot_keys (const MamoriKeySlot *slot,
                const guint8 *slot_key,
                MamoriSlotKeys *keys,
                GError **error)
{
  guint8 signing_public[MAMORI_SIGNING_KEY_SIZE];

  if (!mamori_crypto_unwrap_key (slot_key, slot->slot_secret, sizeof slot->slot_secret,
                                 keys->slot_secret))
    return wrong_secret (slot, error);

  /* The slot key was right, so a failure from here on is an altered key file. */
  if (!mamori_crypto_open_sealed_key (keys->slot_secret, slot->slot_public, slot->master_ephemeral,
                                      slot->master_wrapped, sizeof slot->master_wrapped,
                                      keys->master_key))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                   _ ("The key slot “%s” has been altered (sealed master key)"), slot_name (slot));
      return FALSE;
    }

  if (slot->has_signing)
    {
      gboolean unwrapped
          = slot->kind == MAMORI_KEY_SLOT_USER
                ? mamori_crypto_unwrap_key (slot_key, slot->signing_secret,
                                            sizeof slot->signing_secret, keys->signing_seed)
                : mamori_crypto_open_sealed_key (keys->slot_secret, slot->slot_public,
                                                 slot->signing_ephemeral, slot->signing_secret,
                                                 sizeof slot->signing_secret, keys->signing_seed);

      if (unwrapped)
        mamori_signing_public_from_seed (keys->signing_seed, signing_public);
      /* The public key is stored in clear: it must be the seed's own. */
      if (!unwrapped || memcmp (signing_public, slot->signing_public, sizeof signing_public) != 0)
        {
          g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                       _ ("The key slot “%s” has been altered (signing key)"), slot_name (slot));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
mamori_key_slot_open (const MamoriKeySlot *slot,
                      const void *secret,
                      gsize secret_len,
                      MamoriSlotKeys *out_keys,
                      GError **error)
{
  guint8 *slot_key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gboolean ok;

  /* No slot is made for an empty secret, and Argon2 refuses one: it is simply wrong. */
  if (secret_len == 0)
    ok = wrong_secret (slot, error);
  else
    ok = mamori_kdf_derive (&slot->kdf, secret, secret_len, slot_key, error)
         && open_slot_keys (slot, slot_key, out_keys, error);
  if (!ok)
    memset (out_keys, 0, sizeof *out_keys);
  mamori_secure_free (slot_key);
  return ok;
}

/* --- the key file ---------------------------------------------------------------- */

MamoriKeyFile *
mamori_key_file_new (const guint8 *db_id, const char *school)
{
  MamoriKeyFile *key_file = g_new0 (MamoriKeyFile, 1);

  memcpy (key_file->db_id, db_id, MAMORI_DB_ID_SIZE);
  key_file->school = g_strdup (school);
  key_file->slots = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_key_slot_free);
  return key_file;
}

void
mamori_key_file_free (MamoriKeyFile *key_file)
{
  if (key_file == NULL)
    return;
  g_free (key_file->school);
  g_ptr_array_unref (key_file->slots);
  g_free (key_file);
}

MamoriKeySlot *
mamori_key_file_find_user (const MamoriKeyFile *key_file, const char *user)
{
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);

      if (slot->kind == MAMORI_KEY_SLOT_USER && g_str_equal (slot->user, user))
        return slot;
    }
  return NULL;
}

MamoriKeySlot *
mamori_key_file_get_recovery (const MamoriKeyFile *key_file)
{
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);

      if (slot->kind == MAMORI_KEY_SLOT_RECOVERY)
        return slot;
    }
  return NULL;
}

guint
mamori_key_file_count_users (const MamoriKeyFile *key_file)
{
  guint n = 0;

  for (guint i = 0; i < key_file->slots->len; i++)
    n += ((MamoriKeySlot *)g_ptr_array_index (key_file->slots, i))->kind == MAMORI_KEY_SLOT_USER;
  return n;
}

gboolean
mamori_key_file_remove_user (MamoriKeyFile *key_file, const char *user)
{
  return g_ptr_array_remove (key_file->slots, mamori_key_file_find_user (key_file, user));
}

void
mamori_key_file_add_slot (MamoriKeyFile *key_file, MamoriKeySlot *slot)
{
  MamoriKeySlot *old, *recovery = mamori_key_file_get_recovery (key_file);
  guint index;

  old = slot->kind == MAMORI_KEY_SLOT_USER ? mamori_key_file_find_user (key_file, slot->user)
                                           : recovery;
  /* A replaced slot keeps its place; user slots stay in the order they were added, the
   * recovery slot last. */
  if (old != NULL && g_ptr_array_find (key_file->slots, old, &index))
    g_ptr_array_remove_index (key_file->slots, index);
  else if (recovery == NULL || !g_ptr_array_find (key_file->slots, recovery, &index))
    index = key_file->slots->len;
  g_ptr_array_insert (key_file->slots, index, slot);
}

/* --- the MAC ----------------------------------------------------------------------- */

/* Feeds @len bytes to the MAC, preceded by their length, so that no two files give the
 * same input. */
static void
mac_bytes (gcry_mac_hd_t mac, const void *bytes, gsize len)
{
  guint8 prefix[4] = { len >> 24, len >> 16, len >> 8, len };

  gcry_mac_write (mac, prefix, sizeof prefix);
  if (len > 0)
    gcry_mac_write (mac, bytes, len);
}

static void
mac_string (gcry_mac_hd_t mac, const char *text)
{
  mac_bytes (mac, text != NULL ? text : "", text != NULL ? strlen (text) : 0);
}

static void
mac_uint (gcry_mac_hd_t mac, guint value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  gcry_mac_write (mac, bytes, sizeof bytes);
}

static void
mac_slot (gcry_mac_hd_t mac, const MamoriKeySlot *slot)
{
  gsize pending_len = 0;
  const guint8 *pending = slot->pending_payload != NULL
                              ? g_bytes_get_data (slot->pending_payload, &pending_len)
                              : NULL;

  mac_string (mac, slot->kind == MAMORI_KEY_SLOT_USER ? "user" : "recovery");
  mac_string (mac, slot->user);
  mac_string (mac, slot->kind == MAMORI_KEY_SLOT_USER ? mamori_role_to_string (slot->role) : NULL);
  mac_uint (mac, slot->kdf.iterations);
  mac_uint (mac, slot->kdf.memory_kib);
  mac_uint (mac, slot->kdf.parallelism);
  mac_bytes (mac, slot->kdf.salt, sizeof slot->kdf.salt);
  mac_bytes (mac, slot->slot_public, sizeof slot->slot_public);
  mac_bytes (mac, slot->slot_secret, sizeof slot->slot_secret);
  mac_bytes (mac, slot->master_ephemeral, sizeof slot->master_ephemeral);
  mac_bytes (mac, slot->master_wrapped, sizeof slot->master_wrapped);
  mac_uint (mac, slot->has_signing);
  mac_bytes (mac, slot->signing_public, sizeof slot->signing_public);
  mac_bytes (mac, slot->signing_ephemeral, sizeof slot->signing_ephemeral);
  mac_bytes (mac, slot->signing_secret, sizeof slot->signing_secret);
  mac_bytes (mac, pending, pending_len);
  mac_bytes (mac, slot->pending_sig, pending != NULL ? sizeof slot->pending_sig : 0);
}

static gcry_mac_hd_t
open_hmac (const guint8 *key)
{
  gcry_mac_hd_t mac = NULL;

  if (gcry_mac_open (&mac, GCRY_MAC_HMAC_SHA256, GCRY_MAC_FLAG_SECURE, NULL) != 0
      || gcry_mac_setkey (mac, key, MAMORI_KEY_SIZE) != 0)
    g_error ("HMAC-SHA256 is not available in libgcrypt");
  return mac;
}

/* HMAC-SHA256 of everything the file says, under HMAC-SHA256(master key, MAC_LABEL):
 * over the fields as read, not the JSON text, so that it does not depend on how the
 * text is laid out.  Returns the MAC with the input written, to read or verify. */
static gcry_mac_hd_t
mac_key_file (const MamoriKeyFile *key_file, const guint8 *master_key)
{
  guint8 *mac_key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  gsize len = MAMORI_KEY_SIZE;
  gcry_mac_hd_t mac = open_hmac (master_key);

  gcry_mac_write (mac, MAC_LABEL, strlen (MAC_LABEL));
  gcry_mac_read (mac, mac_key, &len);
  gcry_mac_close (mac);
  mac = open_hmac (mac_key);
  mamori_secure_free (mac_key);

  mac_string (mac, MAMORI_KEY_FILE_FORMAT);
  mac_uint (mac, MAMORI_KEY_FILE_VERSION);
  mac_bytes (mac, key_file->db_id, sizeof key_file->db_id);
  mac_string (mac, key_file->school);
  mac_uint (mac, key_file->slots->len);
  for (guint i = 0; i < key_file->slots->len; i++)
    mac_slot (mac, g_ptr_array_index (key_file->slots, i));
  return mac;
}

void
_mamori_key_file_seal (MamoriKeyFile *key_file, const guint8 *master_key)
{
  gcry_mac_hd_t mac = mac_key_file (key_file, master_key);
  gsize len = sizeof key_file->mac;

  gcry_mac_read (mac, key_file->mac, &len);
  gcry_mac_close (mac);
  key_file->has_mac = TRUE;
}

gboolean
mamori_key_file_check_mac (const MamoriKeyFile *key_file, const guint8 *master_key, GError **error)
{
  if (key_file->has_mac)
    {
      gcry_mac_hd_t mac = mac_key_file (key_file, master_key);
      /* gcry_mac_verify compares in constant time. */
      gboolean same = gcry_mac_verify (mac, key_file->mac, sizeof key_file->mac) == 0;

      gcry_mac_close (mac);
      if (same)
        return TRUE;
    }
  g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                       _ ("The key file has been altered: its seal does not match (a slot was "
                          "added, removed, replaced or renamed by someone who cannot open the "
                          "vault). Restore it from a backup; nothing was changed"));
  return FALSE;
}
