/* mamori-keyslots-file.c — the key-slot file on disk: its JSON, read and written
 *
 * Reading collects the first problem as an error naming the field at fault; writing
 * seals the file with its MAC (mamori-keyslots.c) and makes the rename durable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "mamori-keyslots-private.h"
#include "mamori-keyslots.h"
#include "mamori-text.h"
#include "mamori-vault-error.h"

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
  json_builder_add_string_value (builder, MAMORI_KEY_FILE_FORMAT);
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
                    MAMORI_KEY_FILE_FORMAT)
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

gboolean
mamori_sync_path (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
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
               _ ("Cannot write %s to the disk: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* The rename is durable only once the directory entry is on disk. */
gboolean
mamori_sync_parent_directory (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return mamori_sync_path (dir, error);
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

  _mamori_key_file_seal (key_file, master_key);
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
