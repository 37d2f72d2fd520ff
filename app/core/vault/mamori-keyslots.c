/* mamori-keyslots.c — the key-slot file beside a vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mamori-keyslots.h"
#include "mamori-text.h"
#include "mamori-vault-error.h"

#define KDF_MEMORY_KIB (64 * 1024)
#define KDF_TARGET_USEC (750 * 1000)
#define KDF_MAX_CALIBRATED_ITERATIONS MAMORI_KDF_MAX_ITERATIONS
#define KDF_TEST_MEMORY_KIB (8 * 1024)

#define KEY_FILE_FORMAT "mamori-keys"
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

  mac_string (mac, KEY_FILE_FORMAT);
  mac_uint (mac, MAMORI_KEY_FILE_VERSION);
  mac_bytes (mac, key_file->db_id, sizeof key_file->db_id);
  mac_string (mac, key_file->school);
  mac_uint (mac, key_file->slots->len);
  for (guint i = 0; i < key_file->slots->len; i++)
    mac_slot (mac, g_ptr_array_index (key_file->slots, i));
  return mac;
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

/* --- JSON ------------------------------------------------------------------------ */

static void
add_bytes (JsonBuilder *builder, const char *member, const guint8 *bytes, gsize len)
{
  g_autofree char *text = g_base64_encode (bytes, len);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static void
add_sealed (JsonBuilder *builder,
            const char *member,
            const guint8 *ephemeral,
            const guint8 *wrapped)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  add_bytes (builder, "ephemeral", ephemeral, MAMORI_KEY_SIZE);
  add_bytes (builder, "wrapped", wrapped, MAMORI_WRAPPED_KEY_SIZE);
  json_builder_end_object (builder);
}

static void
build_slot (JsonBuilder *builder, const MamoriKeySlot *slot)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, slot->kind == MAMORI_KEY_SLOT_USER ? "user" : "recovery");
  if (slot->kind == MAMORI_KEY_SLOT_USER)
    {
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, slot->user);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, mamori_role_to_string (slot->role));
    }

  json_builder_set_member_name (builder, "kdf");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_string_value (builder, "argon2id");
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, slot->kdf.iterations);
  json_builder_set_member_name (builder, "memory_kib");
  json_builder_add_int_value (builder, slot->kdf.memory_kib);
  json_builder_set_member_name (builder, "parallelism");
  json_builder_add_int_value (builder, slot->kdf.parallelism);
  add_bytes (builder, "salt", slot->kdf.salt, sizeof slot->kdf.salt);
  json_builder_end_object (builder);

  add_bytes (builder, "slot_public", slot->slot_public, sizeof slot->slot_public);
  add_bytes (builder, "slot_secret", slot->slot_secret, sizeof slot->slot_secret);
  add_sealed (builder, "master", slot->master_ephemeral, slot->master_wrapped);
  if (slot->has_signing)
    {
      add_bytes (builder, "signing_public", slot->signing_public, sizeof slot->signing_public);
      if (slot->kind == MAMORI_KEY_SLOT_USER)
        add_bytes (builder, "signing_secret", slot->signing_secret, sizeof slot->signing_secret);
      else
        add_sealed (builder, "signing_sealed", slot->signing_ephemeral, slot->signing_secret);
    }
  if (slot->pending_payload != NULL)
    {
      gsize len;
      const guint8 *payload = g_bytes_get_data (slot->pending_payload, &len);

      json_builder_set_member_name (builder, "pending");
      json_builder_begin_object (builder);
      add_bytes (builder, "payload", payload, len);
      add_bytes (builder, "sig", slot->pending_sig, sizeof slot->pending_sig);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static char *
key_file_to_json (MamoriKeyFile *key_file, gsize *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *db_id = g_strnfill (2 * MAMORI_DB_ID_SIZE, '0');

  for (guint i = 0; i < MAMORI_DB_ID_SIZE; i++)
    g_snprintf (db_id + 2 * i, 3, "%02x", key_file->db_id[i]);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, KEY_FILE_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MAMORI_KEY_FILE_VERSION);
  json_builder_set_member_name (builder, "db_id");
  json_builder_add_string_value (builder, db_id);
  json_builder_set_member_name (builder, "school");
  json_builder_add_string_value (builder, key_file->school);
  json_builder_set_member_name (builder, "slots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < key_file->slots->len; i++)
    build_slot (builder, g_ptr_array_index (key_file->slots, i));
  json_builder_end_array (builder);
  add_bytes (builder, "mac", key_file->mac, sizeof key_file->mac);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

/* Parsing collects the first problem as an error naming the field. */
typedef struct
{
  const char *path;
  GError *error;
} Parse;

static void
parse_fail (Parse *parse, const char *where, const char *member)
{
  if (parse->error == NULL)
    g_set_error (&parse->error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_DAMAGED,
                 _ ("The key file %s is damaged: %s%s is missing or invalid"), parse->path, where,
                 member);
}

static const char *
get_string (Parse *parse, JsonObject *object, const char *where, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      parse_fail (parse, where, member);
      return NULL;
    }
  return json_node_get_string (node);
}

/* A name shown before anything is unlocked: it must not be able to disguise itself. */
static const char *
get_name (Parse *parse, JsonObject *object, const char *where, const char *member)
{
  const char *name = get_string (parse, object, where, member);

  if (name != NULL && !mamori_text_is_name (name))
    {
      parse_fail (parse, where, member);
      return NULL;
    }
  return name;
}

static guint
get_uint (Parse *parse, JsonObject *object, const char *where, const char *member, guint max)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  gint64 value = -1;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_int (node);
  if (value < 1 || value > max)
    {
      parse_fail (parse, where, member);
      return 1;
    }
  return value;
}

static GBytes *
get_base64 (Parse *parse, JsonObject *object, const char *where, const char *member)
{
  const char *text = get_string (parse, object, where, member);
  gsize n = 0;
  guint8 *bytes;

  if (text == NULL)
    return NULL;
  bytes = g_base64_decode (text, &n);
  return g_bytes_new_take (bytes, n);
}

static void
get_bytes (
    Parse *parse, JsonObject *object, const char *where, const char *member, guint8 *out, gsize len)
{
  g_autoptr (GBytes) bytes = get_base64 (parse, object, where, member);

  if (bytes == NULL)
    return;
  if (g_bytes_get_size (bytes) != len)
    parse_fail (parse, where, member);
  else
    memcpy (out, g_bytes_get_data (bytes, NULL), len);
}

static JsonObject *
get_object (Parse *parse, JsonObject *object, const char *where, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      parse_fail (parse, where, member);
      return NULL;
    }
  return json_node_get_object (node);
}

static void
get_sealed (Parse *parse,
            JsonObject *object,
            const char *where,
            const char *member,
            guint8 *ephemeral,
            guint8 *wrapped)
{
  g_autofree char *inner = g_strdup_printf ("%s%s.", where, member);
  JsonObject *sealed = get_object (parse, object, where, member);

  get_bytes (parse, sealed, inner, "ephemeral", ephemeral, MAMORI_KEY_SIZE);
  get_bytes (parse, sealed, inner, "wrapped", wrapped, MAMORI_WRAPPED_KEY_SIZE);
}

static void
parse_pending (Parse *parse, JsonObject *object, const char *where, MamoriKeySlot *slot)
{
  g_autofree char *inner = g_strdup_printf ("%spending.", where);
  JsonObject *pending;

  if (!json_object_has_member (object, "pending"))
    return;
  pending = get_object (parse, object, where, "pending");
  slot->pending_payload = get_base64 (parse, pending, inner, "payload");
  get_bytes (parse, pending, inner, "sig", slot->pending_sig, sizeof slot->pending_sig);
}

static MamoriKeySlot *
parse_slot (Parse *parse, JsonObject *object, guint index)
{
  g_autoptr (MamoriKeySlot) slot = g_new0 (MamoriKeySlot, 1);
  g_autofree char *where = g_strdup_printf ("slots[%u].", index);
  g_autofree char *kdf_where = g_strdup_printf ("slots[%u].kdf.", index);
  const char *kind = get_string (parse, object, where, "kind");
  JsonObject *kdf;

  if (g_strcmp0 (kind, "user") == 0)
    {
      const char *role = get_string (parse, object, where, "role");

      slot->kind = MAMORI_KEY_SLOT_USER;
      slot->user = g_strdup (get_name (parse, object, where, "user"));
      if (role != NULL && !mamori_role_from_string (role, &slot->role))
        parse_fail (parse, where, "role");
      get_bytes (parse, object, where, "signing_public", slot->signing_public,
                 sizeof slot->signing_public);
      get_bytes (parse, object, where, "signing_secret", slot->signing_secret,
                 sizeof slot->signing_secret);
      slot->has_signing = TRUE;
    }
  else if (g_strcmp0 (kind, "recovery") == 0)
    {
      slot->kind = MAMORI_KEY_SLOT_RECOVERY;
      /* Version 1 recovery slots had no signing key (it is given when the roster is made). */
      slot->has_signing = object != NULL && json_object_has_member (object, "signing_public");
      if (slot->has_signing)
        {
          get_bytes (parse, object, where, "signing_public", slot->signing_public,
                     sizeof slot->signing_public);
          get_sealed (parse, object, where, "signing_sealed", slot->signing_ephemeral,
                      slot->signing_secret);
        }
    }
  else
    parse_fail (parse, where, "kind");

  kdf = get_object (parse, object, where, "kdf");
  if (g_strcmp0 (get_string (parse, kdf, kdf_where, "algorithm"), "argon2id") != 0)
    parse_fail (parse, kdf_where, "algorithm");
  slot->kdf.iterations = get_uint (parse, kdf, kdf_where, "iterations", MAMORI_KDF_MAX_ITERATIONS);
  slot->kdf.memory_kib = get_uint (parse, kdf, kdf_where, "memory_kib", MAMORI_KDF_MAX_MEMORY_KIB);
  slot->kdf.parallelism
      = get_uint (parse, kdf, kdf_where, "parallelism", MAMORI_KDF_MAX_PARALLELISM);
  /* Argon2 needs at least 8 KiB per lane. */
  if (slot->kdf.memory_kib < 8 * slot->kdf.parallelism)
    parse_fail (parse, kdf_where, "memory_kib");
  get_bytes (parse, kdf, kdf_where, "salt", slot->kdf.salt, sizeof slot->kdf.salt);

  get_bytes (parse, object, where, "slot_public", slot->slot_public, sizeof slot->slot_public);
  get_bytes (parse, object, where, "slot_secret", slot->slot_secret, sizeof slot->slot_secret);
  get_sealed (parse, object, where, "master", slot->master_ephemeral, slot->master_wrapped);
  parse_pending (parse, object, where, slot);

  return parse->error == NULL ? g_steal_pointer (&slot) : NULL;
}

static gboolean
parse_db_id (const char *text, guint8 *out)
{
  if (text == NULL || strlen (text) != 2 * MAMORI_DB_ID_SIZE)
    return FALSE;
  for (guint i = 0; i < MAMORI_DB_ID_SIZE; i++)
    {
      int hi = g_ascii_xdigit_value (text[2 * i]), lo = g_ascii_xdigit_value (text[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = hi << 4 | lo;
    }
  return TRUE;
}

/* The file's root object, or the error of a file that is not a key file at all. */
static JsonObject *
load_root (JsonParser *parser, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT,
                     _ ("%s is missing: without its key slots the vault cannot be opened"), path);
      else if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO, "%s", local_error->message);
      else
        g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT,
                     _ ("%s is not a Mamori key file: %s"), path, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "format", NULL),
                    KEY_FILE_FORMAT)
             != 0)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_A_VAULT,
                   _ ("%s is not a Mamori key file"), path);
      return NULL;
    }
  return json_node_get_object (root);
}

MamoriKeyFile *
mamori_key_file_load (const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (MamoriKeyFile) key_file = NULL;
  Parse parse = { path, NULL };
  JsonObject *root;
  JsonNode *slots;
  guint8 db_id[MAMORI_DB_ID_SIZE];
  gint64 version;

  root = load_root (parser, path, error);
  if (root == NULL)
    return NULL;
  version = json_object_get_int_member_with_default (root, "version", 0);
  if (version > MAMORI_KEY_FILE_VERSION)
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_TOO_NEW,
                   _ ("%s was written by a newer version of Mamori (key file version %d; this "
                      "version reads up to %d): update Mamori to open it"),
                   path, (int)version, MAMORI_KEY_FILE_VERSION);
      return NULL;
    }
  if (version < 1)
    parse_fail (&parse, "", "version");
  if (!parse_db_id (get_string (&parse, root, "", "db_id"), db_id))
    parse_fail (&parse, "", "db_id");

  key_file = mamori_key_file_new (db_id, get_name (&parse, root, "", "school"));
  key_file->version = version;
  if (version >= 2)
    {
      get_bytes (&parse, root, "", "mac", key_file->mac, sizeof key_file->mac);
      key_file->has_mac = TRUE;
    }
  slots = json_object_get_member (root, "slots");
  if (slots == NULL || !JSON_NODE_HOLDS_ARRAY (slots))
    parse_fail (&parse, "", "slots");
  for (guint i = 0; parse.error == NULL && i < json_array_get_length (json_node_get_array (slots));
       i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (slots), i);
      MamoriKeySlot *slot = parse_slot (
          &parse, JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, i);

      if (slot == NULL)
        break;
      /* Two slots for one user, or two recovery slots, are an edit, not Mamori's. */
      if (slot->kind == MAMORI_KEY_SLOT_USER
              ? mamori_key_file_find_user (key_file, slot->user) != NULL
              : mamori_key_file_get_recovery (key_file) != NULL)
        {
          g_autofree char *where = g_strdup_printf ("slots[%u].", i);

          parse_fail (&parse, where, slot->kind == MAMORI_KEY_SLOT_USER ? "user" : "kind");
          mamori_key_slot_free (slot);
          break;
        }
      mamori_key_file_add_slot (key_file, slot);
    }
  if (parse.error == NULL && mamori_key_file_count_users (key_file) == 0)
    parse_fail (&parse, "", "slots");

  if (parse.error != NULL)
    {
      g_propagate_error (error, parse.error);
      return NULL;
    }
  return g_steal_pointer (&key_file);
}

/* The rename is durable only once the directory entry is on disk. */
gboolean
mamori_sync_parent_directory (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
               _ ("Cannot sync the folder %s: %s"), dir, g_strerror (saved_errno));
  return FALSE;
}

gboolean
mamori_key_file_save (
    MamoriKeyFile *key_file, const char *path, const guint8 *master_key, int mode, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  GStatBuf st;

  /* A rewrite keeps the permissions the administrator gave the file. */
  if (g_stat (path, &st) == 0)
    mode = st.st_mode & 0777;

  {
    gcry_mac_hd_t mac = mac_key_file (key_file, master_key);
    gsize len = sizeof key_file->mac;

    gcry_mac_read (mac, key_file->mac, &len);
    gcry_mac_close (mac);
  }
  key_file->has_mac = TRUE;
  key_file->version = MAMORI_KEY_FILE_VERSION;
  data = key_file_to_json (key_file, &length);
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, mode,
                                 &local_error))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return mamori_sync_parent_directory (path, error);
}
