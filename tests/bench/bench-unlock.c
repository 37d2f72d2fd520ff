/* bench-unlock.c — what unlocking a vault costs, at the real key-derivation parameters
 *
 * Creates a vault in a temporary folder (Argon2id over 64 MiB, passes calibrated on this
 * machine to about 0.75 s) and prints, as medians:
 *   unlock.kdf:   one Argon2id derivation at the slot's parameters
 *   unlock.total: mamori_vault_unlock(): derivation, slot, opening the database
 * `--quick` takes one sample instead of 5 (the smoke test of the bench suite).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "mamori-vault.h"

static const char passphrase[] = "bench passphrase 2024";

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
median (double *samples, guint n)
{
  qsort (samples, n, sizeof *samples, compare_doubles);
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

static void
remove_vault (const char *dir, const char *path)
{
  g_autofree char *key_path = mamori_vault_get_key_file_path (path);

  g_unlink (key_path);
  g_unlink (path);
  g_rmdir (dir);
}

/* A MamoriRecoveryCodeSink that keeps the code. */
static gboolean
keep_recovery_code (const char *code, gpointer data, GError **error)
{
  *(char **)data = mamori_secure_strdup (code);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr (MamoriSecret) recovery_code = NULL;
  MamoriKdfParams kdf;
  guint repetitions = argc > 1 && g_str_equal (argv[1], "--quick") ? 1 : 5;
  double kdf_ms[5], unlock_ms[5];
  guint8 *key;
  gint64 start;

  /* The benchmark is about the real parameters, whatever the caller's environment. */
  g_unsetenv ("MAMORI_KDF_TEST_FAST");
  if (!mamori_crypto_init (&error))
    g_error ("%s", error->message);

  dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.mamori", NULL);

  start = g_get_monotonic_time ();
  vault = mamori_vault_create (path, "Bench School", "bench", MAMORI_ROLE_PRINCIPAL, passphrase,
                               keep_recovery_code, &recovery_code, &error);
  if (vault == NULL)
    g_error ("%s", error->message);
  printf ("unlock.create: %.0f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  /* A copy: unlocking re-reads the key file. */
  kdf = mamori_key_file_find_user (mamori_vault_get_key_file (vault), "bench")->kdf;
  printf ("unlock.kdf_memory: %u KiB\n", kdf.memory_kib);
  printf ("unlock.kdf_iterations: %u passes\n", kdf.iterations);

  key = mamori_secure_alloc (MAMORI_KEY_SIZE);
  for (guint i = 0; i < repetitions; i++)
    {
      start = g_get_monotonic_time ();
      if (!mamori_kdf_derive (&kdf, passphrase, strlen (passphrase), key, &error))
        g_error ("%s", error->message);
      kdf_ms[i] = (g_get_monotonic_time () - start) / 1000.0;

      mamori_vault_lock (vault);
      start = g_get_monotonic_time ();
      if (!mamori_vault_unlock (vault, "bench", passphrase, &error))
        g_error ("%s", error->message);
      unlock_ms[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  mamori_secure_free (key);

  printf ("unlock.kdf: %.0f ms\n", median (kdf_ms, repetitions));
  printf ("unlock.total: %.0f ms\n", median (unlock_ms, repetitions));

  g_clear_object (&vault);
  remove_vault (dir, path);
  return 0;
}
