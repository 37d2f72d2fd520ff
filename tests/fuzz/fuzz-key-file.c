/* fuzz-key-file.c — libFuzzer target: the key-slot file beside a vault
 * (mamori-keyslots.c), which anyone with the files can write
 *
 * Whatever the file holds, loading it refuses it with a vault error or gives key slots
 * within the caps (Argon2 passes, memory, lanes), with names that are names; a file that
 * loads is written again and reads back the same, and its MAC is checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mamori-crypto.h"
#include "mamori-keyslots.h"
#include "mamori-text.h"
#include "mamori-vault-error.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *dir;

static void
check_slots (const MamoriKeyFile *key_file)
{
  g_assert_true (mamori_text_is_name (key_file->school));
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      const MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);

      g_assert_cmpuint (slot->kdf.iterations, <=, MAMORI_KDF_MAX_ITERATIONS);
      g_assert_cmpuint (slot->kdf.memory_kib, <=, MAMORI_KDF_MAX_MEMORY_KIB);
      g_assert_cmpuint (slot->kdf.parallelism, <=, MAMORI_KDF_MAX_PARALLELISM);
      g_assert_cmpuint (slot->kdf.memory_kib, >=, 8 * slot->kdf.parallelism);
      if (slot->kind == MAMORI_KEY_SLOT_USER)
        g_assert_true (mamori_text_is_name (slot->user));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const guint8 master[MAMORI_KEY_SIZE] = { 1, 2, 3 };
  g_autofree char *path = NULL, *again_path = NULL;
  g_autoptr (MamoriKeyFile) key_file = NULL, again = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    {
      g_assert_true (mamori_crypto_init (NULL));
      dir = g_dir_make_tmp ("mamori-fuzz-key-file-XXXXXX", NULL);
    }
  path = g_build_filename (dir, "school.mamori-keys", NULL);
  g_assert_true (g_file_set_contents (path, (const char *)data, size, NULL));
  key_file = mamori_key_file_load (path, &error);
  g_unlink (path);
  if (key_file == NULL)
    {
      g_assert_nonnull (error);
      g_assert_cmpint (error->domain, ==, MAMORI_VAULT_ERROR);
      return 0;
    }
  check_slots (key_file);
  /* Not this key's MAC, whatever the file says. */
  g_assert_false (key_file->has_mac && mamori_key_file_check_mac (key_file, master, NULL));

  again_path = g_build_filename (dir, "again.mamori-keys", NULL);
  g_assert_true (mamori_key_file_save (key_file, again_path, master, 0600, &error));
  again = mamori_key_file_load (again_path, &error);
  g_unlink (again_path);
  g_assert_no_error (error);
  g_assert_true (mamori_key_file_check_mac (again, master, NULL));
  g_assert_cmpuint (again->slots->len, ==, key_file->slots->len);
  g_assert_cmpstr (again->school, ==, key_file->school);
  return 0;
}
