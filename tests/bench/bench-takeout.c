/* bench-takeout.c — take-out over a school year: 50 staff, 20,000 requests with their
 * events (approvals, rejections, taking out, returns, confirmations)
 *
 * Figures (targets from issue 8): the time to open the approvals queue, the overdue list
 * and the due-soon list (each under 50 ms), and the time to file one request and to
 * approve one (each under 20 ms; the key derivation is not counted, the signature and the
 * fold are).  An approval asks for the approver's passphrase again and unwraps their
 * signing key with it (Argon2id, about a second by design: docs/benchmarks.md, unlock):
 * approve_one is the action after that, the approval signed with the unwrapped key
 * (_mamori_takeout_approve_as()), which is what the 20 ms target is about.  Also the time to read
 * one request's timeline and one teacher's own requests, and to fold the whole log again.  One
 * figure a line, `name: value unit`.
 *
 *   meson compile -C _build bench-takeout && _build/tests/bench/bench-takeout [--quick]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "mamori-crypto.h"
#include "mamori-roster.h"
#include "mamori-takeout-private.h"
#include "mamori-vault.h"

#define PASSPHRASE "bench takeout passphrase"
#define N_TEACHERS 48
#define BATCH 200
#define REPEAT 20

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
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
as (MamoriVault *vault, const char *user)
{
  GError *error = NULL;

  mamori_vault_lock (vault);
  check (mamori_vault_unlock (vault, user, PASSPHRASE, &error), error);
}

static char *
teacher_name (guint i)
{
  return g_strdup_printf ("教諭 %02u", i);
}

/* A day of the school year 2026-04-01 … 2027-03-31. */
static char *
school_day (guint n)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 4, 1, 0, 0, 0);
  g_autoptr (GDateTime) day = g_date_time_add_days (start, n);

  return g_date_time_format (day, "%Y-%m-%d");
}

static MamoriTakeoutDraft *
draft_for (guint n)
{
  static const char *const levels[] = { "B", "B", "C", "D", "B", "C" };
  static const char *const names[]
      = { "成績一覧表", "通知表の下書き", "学級通信の原稿", "時間割", "面談記録", "行事のしおり" };
  MamoriTakeoutDraft *draft = mamori_takeout_draft_new ();

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, names[n % G_N_ELEMENTS (names)],
                                                          levels[n % G_N_ELEMENTS (levels)], NULL));
  draft->medium = n % 3 == 0 ? MAMORI_TAKEOUT_MEDIUM_PAPER : MAMORI_TAKEOUT_MEDIUM_USB;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("成績処理");
  draft->date_from = school_day (n % 358);
  draft->date_until = school_day (n % 358 + 2);
  return draft;
}

/* Appends @drafts (taken) in batches as the unlocked user. */
static void
append_all (MamoriVault *vault, GArray *drafts)
{
  for (guint done = 0; done < drafts->len; done += BATCH)
    {
      GError *error = NULL;
      g_autoptr (GPtrArray) events
          = mamori_vault_append_events (vault, &g_array_index (drafts, MamoriEventDraft, done),
                                        MIN (BATCH, drafts->len - done), &error);

      check (events != NULL, error);
    }
  g_array_set_size (drafts, 0);
}

static void
add_draft (GArray *drafts, const char *type, JsonNode *body)
{
  MamoriEventDraft draft = { type, body };

  g_array_append_val (drafts, draft);
}

static GPtrArray *
list_state (MamoriVault *vault, MamoriTakeoutState state)
{
  MamoriTakeoutFilter filter = { state, NULL };
  GError *error = NULL;
  GPtrArray *list = mamori_takeout_list (mamori_vault_get_store (vault), &filter, &error);

  check (list != NULL, error);
  return list;
}

/* The median of @n runs of @func, in ms. */
static double
median_ms (double (*func) (MamoriVault *, gpointer), MamoriVault *vault, gpointer data, guint n)
{
  g_autofree double *times = g_new (double, n);

  for (guint i = 0; i < n; i++)
    times[i] = func (vault, data);
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && times[j - 1] > times[j]; j--)
      {
        double t = times[j];

        times[j] = times[j - 1];
        times[j - 1] = t;
      }
  return times[n / 2];
}

static double
time_queue (MamoriVault *vault, gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) list = mamori_takeout_list_queue (mamori_vault_get_store (vault), NULL);

  g_assert (list != NULL);
  return ms_since (start);
}

static double
time_overdue (MamoriVault *vault, gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) list
      = mamori_takeout_list_overdue (mamori_vault_get_store (vault), "2027-03-31", NULL);

  g_assert (list != NULL);
  return ms_since (start);
}

static double
time_due_soon (MamoriVault *vault, gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) list
      = mamori_takeout_list_due_soon (mamori_vault_get_store (vault), "2026-10-01", 3, NULL);

  g_assert (list != NULL);
  return ms_since (start);
}

static double
time_history (MamoriVault *vault, gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) list = mamori_takeout_history (mamori_vault_get_store (vault), data, NULL);

  g_assert (list != NULL && list->len > 0);
  return ms_since (start);
}

static double
time_mine (MamoriVault *vault, gpointer data)
{
  MamoriTakeoutFilter filter = { -1, data };
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) list = mamori_takeout_list (mamori_vault_get_store (vault), &filter, NULL);

  g_assert (list != NULL && list->len > 0);
  return ms_since (start);
}

static double
time_file (MamoriVault *vault, gpointer data)
{
  g_autoptr (MamoriTakeoutDraft) draft = draft_for (0);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  request = mamori_takeout_file (vault, draft, &error);
  check (request != NULL, error);
  g_ptr_array_add (data, g_strdup (request->id));
  return ms_since (start);
}

typedef struct
{
  GPtrArray *ids;
  MamoriVaultSigner *signer; /* the passphrase confirmed once, outside the timing */
} Approving;

static double
time_approve (MamoriVault *vault, gpointer data)
{
  Approving *approving = data;
  g_autofree char *id = g_ptr_array_steal_index (approving->ids, approving->ids->len - 1);
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  check (_mamori_takeout_approve_as (vault, approving->signer, id, &error), error);
  return ms_since (start);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GArray) drafts = g_array_new (FALSE, FALSE, sizeof (MamoriEventDraft));
  g_autoptr (GPtrArray) filed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) pending = NULL, approved = NULL, out = NULL, returned = NULL;
  g_autofree char *dir = NULL, *path = NULL, *first = NULL;
  g_autoptr (MamoriStaff) teacher = NULL;
  gboolean quick = FALSE;
  int requests = 20000;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A small run, for the test suite", NULL },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests, "Requests to file (20000)", "N" },
    { NULL },
  };
  gint64 start;
  gint64 n_events = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (quick)
    requests = 960;
  /* The key derivation is not what is measured here. */
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  check (mamori_crypto_init (&error), error);
  dir = g_dir_make_tmp ("mamori-bench-takeout-XXXXXX", &error);
  check (dir != NULL, error);
  path = g_build_filename (dir, "school.mamori", NULL);

  /* 50 staff: the principal, the vice-principal and 48 teachers. */
  vault = mamori_vault_create (path, "ベンチ小学校", "校長", MAMORI_ROLE_PRINCIPAL, PASSPHRASE,
                               forget_code, NULL, &error);
  check (vault != NULL, error);
  check (mamori_vault_add_user (vault, "教頭", MAMORI_ROLE_VICE_PRINCIPAL, PASSPHRASE, &error),
         error);
  for (guint t = 0; t < N_TEACHERS; t++)
    {
      g_autofree char *name = teacher_name (t);

      check (mamori_vault_add_user (vault, name, MAMORI_ROLE_TEACHER, PASSPHRASE, &error), error);
    }

  /* The year: each teacher files their share… */
  start = g_get_monotonic_time ();
  for (guint t = 0; t < N_TEACHERS; t++)
    {
      g_autofree char *name = teacher_name (t);

      as (vault, name);
      for (guint n = t; n < (guint)requests; n += N_TEACHERS)
        {
          g_autoptr (MamoriTakeoutDraft) draft = draft_for (n);
          g_autofree char *id = g_strdup_printf ("%032x", n + 1);

          add_draft (drafts, MAMORI_EVENT_TAKEOUT_REQUESTED,
                     mamori_takeout_request_body (id, draft));
        }
      append_all (vault, drafts);
    }
  /* …the vice-principal decides (one in ten declined, the last fortnight's left
   * pending)… */
  as (vault, "教頭");
  pending = list_state (vault, MAMORI_TAKEOUT_STATE_PENDING);
  for (guint i = 0; i < pending->len; i++)
    {
      MamoriTakeoutRequest *r = g_ptr_array_index (pending, i);

      if (g_strcmp0 (r->date_from, "2027-03-15") > 0)
        continue;
      if (i % 10 == 0)
        add_draft (drafts, MAMORI_EVENT_TAKEOUT_REJECTED,
                   mamori_takeout_decision_body (r->id, r->version, 0, "期間を短くしてください"));
      else
        add_draft (drafts, MAMORI_EVENT_TAKEOUT_APPROVED,
                   mamori_takeout_decision_body (r->id, r->version, 1, NULL));
    }
  append_all (vault, drafts);
  /* …the teachers take out and bring back (one in twenty is not back yet)… */
  approved = list_state (vault, MAMORI_TAKEOUT_STATE_APPROVED);
  g_ptr_array_extend_and_steal (approved, list_state (vault, MAMORI_TAKEOUT_STATE_RECORDED));
  for (guint t = 0; t < N_TEACHERS; t++)
    {
      g_autofree char *name = teacher_name (t);
      g_autoptr (MamoriStaff) me = NULL;

      as (vault, name);
      me = mamori_roster_find_by_name (mamori_vault_get_store (vault), name, NULL);
      for (guint i = 0; i < approved->len; i++)
        {
          MamoriTakeoutRequest *r = g_ptr_array_index (approved, i);

          if (!g_str_equal (r->requester, me->id))
            continue;
          add_draft (drafts, MAMORI_EVENT_TAKEN_OUT, mamori_takeout_id_body (r->id));
          if (i % 20 != 0)
            add_draft (drafts, MAMORI_EVENT_RETURNED, mamori_takeout_id_body (r->id));
        }
      append_all (vault, drafts);
    }
  /* …and the vice-principal confirms the returns. */
  as (vault, "教頭");
  returned = list_state (vault, MAMORI_TAKEOUT_STATE_RETURNED);
  for (guint i = 0; i < returned->len; i++)
    add_draft (drafts, MAMORI_EVENT_RETURN_CONFIRMED,
               mamori_takeout_id_body (((MamoriTakeoutRequest *)returned->pdata[i])->id));
  append_all (vault, drafts);
  check (mamori_event_log_count (mamori_vault_get_store (vault), &n_events, &error), error);
  printf ("takeout.requests: %d\n", requests);
  printf ("takeout.events: %" G_GINT64_FORMAT "\n", n_events);
  printf ("takeout.year_built: %.1f s\n", ms_since (start) / 1000.0);
  out = list_state (vault, MAMORI_TAKEOUT_STATE_OUT);
  printf ("takeout.out: %u\n", out->len);

  printf ("takeout.approvals_queue: %.2f ms\n", median_ms (time_queue, vault, NULL, REPEAT));
  printf ("takeout.overdue_list: %.2f ms\n", median_ms (time_overdue, vault, NULL, REPEAT));
  printf ("takeout.due_soon_list: %.2f ms\n", median_ms (time_due_soon, vault, NULL, REPEAT));
  first = g_strdup_printf ("%032x", 2);
  printf ("takeout.timeline: %.2f ms\n", median_ms (time_history, vault, first, REPEAT));
  teacher = mamori_roster_find_by_name (mamori_vault_get_store (vault), "教諭 01", NULL);
  printf ("takeout.my_requests: %.2f ms\n", median_ms (time_mine, vault, teacher->id, REPEAT));

  as (vault, "教諭 00");
  printf ("takeout.file_one: %.2f ms\n", median_ms (time_file, vault, filed, REPEAT));
  as (vault, "教頭");
  {
    g_autoptr (MamoriVaultSigner) signer
        = mamori_vault_confirm_passphrase (vault, PASSPHRASE, &error);
    Approving approving = { filed, signer };

    check (signer != NULL, error);
    printf ("takeout.approve_one: %.2f ms\n", median_ms (time_approve, vault, &approving, REPEAT));
  }

  start = g_get_monotonic_time ();
  check (mamori_db_exec (mamori_vault_get_store (vault), "BEGIN IMMEDIATE", &error), error);
  check (mamori_event_log_rebuild (mamori_vault_get_store (vault),
                                   mamori_vault_get_school_id (vault), &error),
         error);
  check (mamori_db_exec (mamori_vault_get_store (vault), "COMMIT", &error), error);
  printf ("takeout.rebuild: %.1f s\n", ms_since (start) / 1000.0);

  mamori_vault_lock (vault);
  g_clear_object (&vault);
  g_unlink (path);
  {
    g_autofree char *keys = mamori_vault_get_key_file_path (path);

    g_unlink (keys);
  }
  g_rmdir (dir);
  return 0;
}
