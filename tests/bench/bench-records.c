/* bench-records.c — the signed event log: appending, and checking it when a vault opens
 *
 * Appends N events (100,000 by default) to a vault, by one author and then by 50, in
 * transactions of 1,000 (mamori_vault_append_events(), which signs on every core), and
 * for comparison 200 events each in a transaction of its own; then locks the vault,
 * unlocks it again and prints how long the check of every chain took (hash links and
 * each author's last signature: what every unlock does), beside what checking every
 * signature would cost.  The events are staff-role-changed, folded into the roster as
 * any record is.  Figures are `name: value unit`.
 *
 *   meson compile -C _build bench-records
 *   _build/tests/bench/bench-records [--quick] [--events N]
 *
 * Targets (issue 6): append ≥ 5,000 events/s; open-and-verify of 100,000 events < 1 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mamori-event-log.h"
#include "mamori-roster.h"
#include "mamori-vault.h"

#define BATCH 1000
#define SINGLES 200
#define AUTHORS 50

static const char passphrase[] = "benchmark passphrase";

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

/* CPU seconds this process has used, on all its threads: what a busy machine disturbs
 * far less than the wall clock. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

static MamoriVault *
new_vault (const char *path)
{
  GError *error = NULL;
  MamoriVault *vault = mamori_vault_create (path, "ベンチ小学校", "author 0", MAMORI_ROLE_PRINCIPAL,
                                            passphrase, forget_code, NULL, &error);

  check (vault != NULL, error);
  return vault;
}

/* @n role changes of @target by the unlocked user, @batch to a transaction. */
static double
append_role_changes (MamoriVault *vault, const char *target, guint n, guint batch)
{
  g_autoptr (MamoriStaff) person
      = mamori_roster_find_by_name (mamori_vault_get_store (vault), target, NULL);
  g_autofree MamoriEventDraft *drafts = g_new0 (MamoriEventDraft, batch);
  gint64 start = g_get_monotonic_time ();

  for (guint done = 0; done < n; done += batch)
    {
      guint count = MIN (batch, n - done);
      g_autoptr (GPtrArray) events = NULL;
      GError *error = NULL;

      for (guint i = 0; i < count; i++)
        drafts[i] = (MamoriEventDraft){
          MAMORI_EVENT_STAFF_ROLE_CHANGED,
          mamori_roster_staff_role_changed_body (
              person->id, (done + i) % 2 == 0 ? MAMORI_ROLE_OFFICE : MAMORI_ROLE_TEACHER),
        };
      events = mamori_vault_append_events (vault, drafts, count, &error);
      check (events != NULL, error);
    }
  return seconds_since (start);
}

static void
add (MamoriVault *vault, const char *name, MamoriRole role)
{
  GError *error = NULL;

  check (mamori_vault_add_user (vault, name, role, passphrase, &error), error);
}

static void
unlock (MamoriVault *vault, const char *user)
{
  GError *error = NULL;

  check (mamori_vault_unlock (vault, user, passphrase, &error), error);
}

/* Locks and unlocks as @user; prints the unlock and the chain check it made. */
static void
reopen (MamoriVault *vault, const char *user, const char *prefix)
{
  MamoriLogCheck result;
  GError *error = NULL;
  gint64 start;
  double check_s, unlock_s, one_signature_ms;
  g_autoptr (GPtrArray) sample = NULL;

  mamori_vault_lock (vault);
  start = g_get_monotonic_time ();
  unlock (vault, user);
  unlock_s = seconds_since (start);

  /* The check an unlock makes, alone (the unlock above also derives the key). */
  start = g_get_monotonic_time ();
  check (mamori_event_log_check (mamori_vault_get_store (vault), FALSE, &result, &error), error);
  check_s = seconds_since (start);

  /* What one signature costs, to compare with checking every one. */
  sample
      = mamori_event_log_list (mamori_vault_get_store (vault),
                               (const char *const[]){ MAMORI_EVENT_SCHOOL_CREATED, NULL }, &error);
  check (sample != NULL, error);
  start = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    check (mamori_event_verify (sample->pdata[0], &error), error);
  one_signature_ms = seconds_since (start) * 1000.0 / 200;

  printf ("%s.events: %u events\n", prefix, result.n_events);
  printf ("%s.authors: %u authors\n", prefix, result.n_authors);
  printf ("%s.open_and_verify: %.0f ms\n", prefix, check_s * 1000.0);
  printf ("%s.unlock: %.0f ms\n", prefix, unlock_s * 1000.0);
  printf ("%s.every_signature_estimate: %.0f ms\n", prefix, one_signature_ms * result.n_events);
  printf ("%s.verify_ratio_chain_vs_every_signature: %.3f\n", prefix,
          check_s * 1000.0 / (one_signature_ms * result.n_events));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *one_path = NULL, *many_path = NULL;
  g_autoptr (MamoriVault) one = NULL, many = NULL;
  gboolean quick = FALSE;
  int events = 100000;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A small run, for the test suite", NULL },
    { "events", 0, 0, G_OPTION_ARG_INT, &events, "Events to append (100000)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  double seconds, cpu;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (quick)
    events = 2000;
  /* The key derivation is not what is measured here. */
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  check (mamori_crypto_init (&error), error);
  dir = g_dir_make_tmp ("mamori-bench-records-XXXXXX", &error);
  check (dir != NULL, error);
  printf ("records.cores: %u\n", g_get_num_processors ());

  /* One author. */
  one_path = g_build_filename (dir, "one.mamori", NULL);
  one = new_vault (one_path);
  add (one, "target 0", MAMORI_ROLE_TEACHER);
  seconds = append_role_changes (one, "target 0", SINGLES, 1);
  printf ("one_author.append_single: %.0f events/s\n", SINGLES / seconds);
  cpu = cpu_seconds ();
  seconds = append_role_changes (one, "target 0", events, BATCH);
  cpu = cpu_seconds () - cpu;
  printf ("one_author.append: %.0f events/s\n", events / seconds);
  printf ("one_author.append_cpu: %.0f us/event\n", cpu * 1e6 / events);
  printf ("one_author.append_cores_used: %.2f\n", cpu / seconds);
  reopen (one, "author 0", "one_author");

  /* 50 authors, each with events / 50. */
  many_path = g_build_filename (dir, "many.mamori", NULL);
  many = new_vault (many_path);
  for (int a = 0; a < AUTHORS; a++)
    {
      g_autofree char *author = g_strdup_printf ("author %d", a);
      g_autofree char *target = g_strdup_printf ("target %d", a);

      if (a > 0)
        add (many, author, MAMORI_ROLE_VICE_PRINCIPAL);
      add (many, target, MAMORI_ROLE_TEACHER);
    }
  seconds = 0;
  cpu = 0;
  for (int a = 0; a < AUTHORS; a++)
    {
      g_autofree char *author = g_strdup_printf ("author %d", a);
      g_autofree char *target = g_strdup_printf ("target %d", a);

      double cpu_before;

      unlock (many, author);
      cpu_before = cpu_seconds ();
      seconds += append_role_changes (many, target, events / AUTHORS, BATCH);
      cpu += cpu_seconds () - cpu_before;
    }
  printf ("fifty_authors.append: %.0f events/s\n", events / seconds);
  printf ("fifty_authors.append_cpu: %.0f us/event\n", cpu * 1e6 / events);
  printf ("fifty_authors.append_cores_used: %.2f\n", cpu / seconds);
  reopen (many, "author 0", "fifty_authors");

  g_clear_object (&one);
  g_clear_object (&many);
  {
    g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
