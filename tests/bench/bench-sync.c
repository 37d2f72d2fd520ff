/* bench-sync.c — a computer's first pull from its board (issue 11): N events (100,000 by
 * default) applied to a vault as the sync client applies them, several of the board's
 * pages in one transaction (MAMORI_VAULT_SYNC_RECEIVE_BATCH events) with their
 * signatures checked one per chain (mamori_vault_sync_receive()), beside what checking
 * every signature would cost on the same machine
 *
 * The events are staff-role-changed by one principal, signed once on every core and held
 * in memory as a board would send them; the receiving vault is a copy of the school's
 * vault from before they were written.  Figures are `name: value unit`.
 *
 *   meson compile -C _build bench-sync
 *   _build/tests/bench/bench-sync [--quick] [--events N]
 *
 * Target (issue 11): the initial pull of 100,000 events with verification under 5 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-roster.h"
#include "mamori-vault-sync.h"
#include "mamori-vault.h"

#define PAGE MAMORI_VAULT_SYNC_RECEIVE_BATCH
#define BATCH 1000
#define SAMPLE 100

static const char passphrase[] = "benchmark passphrase";

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

/* The process's CPU time, all threads: beside the wall time, what a loaded machine
 * does not change. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize length;
  GError *error = NULL;

  check (g_file_get_contents (from, &data, &length, &error), error);
  check (g_file_set_contents (to, data, length, &error), error);
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE;
  gint n = 100000;
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A few events only (the smoke test)", NULL },
    { "events", 0, 0, G_OPTION_ARG_INT, &n, "How many events", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *dir = NULL, *school = NULL, *copy = NULL, *school_keys = NULL;
  g_autofree char *copy_keys = NULL;
  g_autoptr (MamoriVault) vault = NULL, receiver = NULL;
  g_autoptr (MamoriStaff) person = NULL;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autofree MamoriEventDraft *drafts = g_new0 (MamoriEventDraft, BATCH);
  guint8 board_key[MAMORI_SIGNING_KEY_SIZE] = { 1 };
  GError *error = NULL;
  gint64 start, first_seq = 0;
  double pull_s, pull_cpu_s, every_signature_s;

  g_option_context_add_main_entries (context, entries, NULL);
  check (g_option_context_parse (context, &argc, &argv, &error), error);
  if (quick)
    n = 2000;
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  check (mamori_crypto_init (&error), error);

  dir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  check (dir != NULL, error);
  school = g_build_filename (dir, "school.mamori", NULL);
  copy = g_build_filename (dir, "copy.mamori", NULL);
  school_keys = mamori_vault_get_key_file_path (school);
  copy_keys = mamori_vault_get_key_file_path (copy);

  vault = mamori_vault_create (school, "ベンチ小学校", "校長", MAMORI_ROLE_PRINCIPAL, passphrase,
                               forget_code, NULL, &error);
  check (vault != NULL, error);
  check (mamori_vault_add_user (vault, "教諭", MAMORI_ROLE_TEACHER, passphrase, &error), error);
  check (mamori_vault_join_board (vault, "b0a4d0000000000000000000000000b1", board_key, "ベンチ",
                                  "http://127.0.0.1:1", NULL, &error),
         error);
  /* The board has the school's records so far (as after joining), and the receiving
   * computer's vault is the school as it was then. */
  {
    g_autoptr (GPtrArray) sent = mamori_vault_sync_outbox (vault, 0, &error);
    g_autofree gint64 *seqs = NULL;

    check (sent != NULL, error);
    seqs = g_new (gint64, sent->len);
    for (guint i = 0; i < sent->len; i++)
      seqs[i] = ++first_seq;
    check (mamori_vault_sync_acknowledge (vault, sent, seqs, &error), error);
  }
  mamori_vault_lock (vault);
  copy_file (school, copy);
  copy_file (school_keys, copy_keys);
  check (mamori_vault_unlock (vault, "校長", passphrase, &error), error);

  person = mamori_roster_find_by_name (mamori_vault_get_store (vault), "教諭", NULL);
  for (gint done = 0; done < n; done += BATCH)
    {
      guint count = MIN (BATCH, n - done);
      g_autoptr (GPtrArray) events = NULL;

      for (guint i = 0; i < count; i++)
        drafts[i] = (MamoriEventDraft){
          MAMORI_EVENT_STAFF_ROLE_CHANGED,
          mamori_roster_staff_role_changed_body (
              person->id, (done + i) % 2 == 0 ? MAMORI_ROLE_OFFICE : MAMORI_ROLE_TEACHER),
        };
      events = mamori_vault_append_events (vault, drafts, count, &error);
      check (events != NULL, error);
      for (guint i = 0; i < events->len; i++)
        {
          MamoriEvent *event = mamori_event_parse (((MamoriEvent *)events->pdata[i])->payload,
                                                   ((MamoriEvent *)events->pdata[i])->sig, &error);

          check (event != NULL, error);
          event->server_seq = first_seq + all->len + 1;
          g_ptr_array_add (all, event);
        }
    }

  receiver = mamori_vault_open (copy, &error);
  check (receiver != NULL, error);
  check (mamori_vault_unlock (receiver, "教諭", passphrase, &error), error);

  pull_cpu_s = cpu_seconds ();
  start = g_get_monotonic_time ();
  for (guint done = 0; done < all->len; done += PAGE)
    {
      guint count = MIN (PAGE, all->len - done);
      g_autoptr (GPtrArray) page = g_ptr_array_new ();
      MamoriSyncApplied applied;

      for (guint i = 0; i < count; i++)
        g_ptr_array_add (page, all->pdata[done + i]);
      check (mamori_vault_sync_receive (receiver, "e0000000000000000000000000000001", page,
                                        first_seq + done + count, &applied, &error),
             error);
      if (applied.received != count)
        g_error ("page at %u: %u received, %u sent", done, applied.received, count);
    }
  pull_s = seconds_since (start);
  pull_cpu_s = cpu_seconds () - pull_cpu_s;

  /* What checking every signature instead would have cost. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < MIN (SAMPLE, all->len); i++)
    check (mamori_event_verify (all->pdata[i], &error), error);
  every_signature_s = seconds_since (start) / MIN (SAMPLE, all->len) * all->len;

  printf ("sync.cores: %u\n", g_get_num_processors ());
  printf ("sync.events: %u events\n", all->len);
  printf ("sync.initial_pull: %.2f s\n", pull_s);
  printf ("sync.initial_pull_cpu: %.2f s\n", pull_cpu_s);
  printf ("sync.initial_pull_rate: %.0f events/s\n", all->len / pull_s);
  printf ("sync.every_signature_estimate: %.2f s\n", every_signature_s);
  printf ("sync.pull_vs_every_signature: %.3f\n", pull_s / every_signature_s);

  g_clear_object (&vault);
  g_clear_object (&receiver);
  for (const char *const *path
       = (const char *const[]){ school, copy, school_keys, copy_keys, NULL };
       *path != NULL; path++)
    {
      g_autofree char *lock = g_strconcat (*path, "-lock", NULL);

      g_unlink (*path);
      g_unlink (lock);
    }
  g_rmdir (dir);
  return 0;
}
