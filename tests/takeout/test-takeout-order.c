/* test-takeout-order.c — the take-out tables are a function of the events, not of the
 * order they arrive in: a property test replays a school's log into fresh copies in
 * random orders that keep each author's chain and each request's own events in order,
 * and every copy folds to the same tables.  A forged signature and an event out of its
 * author's chain are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-event-log.h"
#include "mamori-roster.h"
#include "takeout-test-util.h"
#include "vfs-test-util.h"

static MamoriDb *
replica_new (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) select = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  MamoriDb *db = g_new0 (MamoriDb, 1);

  g_assert_cmpint (sqlite3_open (":memory:", &db->handle), ==, SQLITE_OK);
  g_assert_true (mamori_db_migrate (db, &error));
  g_assert_no_error (error);
  /* The policy a new vault starts with is stored, not an event: copy it. */
  select = mamori_db_prepare (db_of (f), "SELECT json, installed_at FROM policy WHERE seq IS NULL",
                              &error);
  insert = mamori_db_prepare (db, "INSERT INTO policy (json, installed_at) VALUES (?, ?)", &error);
  g_assert_no_error (error);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      sqlite3_bind_text (insert, 1, (const char *)sqlite3_column_text (select, 0), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, (const char *)sqlite3_column_text (select, 1), -1,
                         SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  return db;
}

static void
replica_free (MamoriDb *db)
{
  mamori_db_forget_statements (db);
  sqlite3_close (db->handle);
  g_free (db);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriDb, replica_free)

/* A fresh copy of @event, as received. */
static MamoriEvent *
copy_event (const MamoriEvent *event)
{
  g_autoptr (GError) error = NULL;
  MamoriEvent *copy = mamori_event_parse (event->payload, event->sig, &error);

  g_assert_no_error (error);
  return copy;
}

static gboolean
append (MamoriDb *db, const char *school, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriEvent) copy = copy_event (event);
  gboolean ok;

  g_assert_true (mamori_db_exec (db, "BEGIN IMMEDIATE", NULL));
  ok = mamori_event_log_append (db, school, copy, MAMORI_APPEND_DEFAULT, error);
  g_assert_true (mamori_db_exec (db, ok ? "COMMIT" : "ROLLBACK", NULL));
  return ok;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The tables as sorted lines: the order of the rows says when they were folded. */
static char *
dump (MamoriDb *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) requests = mamori_takeout_list (db, NULL, &error);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < requests->len; i++)
    {
      MamoriTakeoutRequest *r = g_ptr_array_index (requests, i);
      g_autofree char *steps = g_strjoinv (",", r->steps);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s %s %s %s %s %s %s %s %s %u:%s", r->id,
                                               mamori_takeout_state_to_string (r->state), r->level,
                                               r->version, r->date_until, r->approved_by,
                                               r->rejected_by, r->reason, r->confirmed_by,
                                               r->noted_by, r->n_steps, steps));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **)lines->pdata);
}

/* Several requests by two teachers and the vice-principal, decided by the principal and
 * the vice-principal, in every state; at level C in two steps (the vice-principal's
 * review, then the principal's approval). */
static void
act (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriTakeoutDraft) change
      = draft_new ("B,C", MAMORI_TAKEOUT_MEDIUM_PAPER, "2026-06-01", "2026-06-05");
  g_autoptr (MamoriTakeoutRequest) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL, c1 = NULL, c2 = NULL,
                                   v1 = NULL, changed = NULL, t5 = NULL, c3 = NULL;

  install_steps (f, "C", "[{\"roles\": [\"vice-principal\"]}, {\"roles\": [\"principal\"]}]");
  as (f, TEACHER);
  t5 = file (f, "C", MAMORI_TAKEOUT_MEDIUM_PAPER);
  as (f, COLLEAGUE);
  c3 = file (f, "C", MAMORI_TAKEOUT_MEDIUM_PAPER);
  as (f, TEACHER);
  t1 = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  t2 = file (f, "C,D", MAMORI_TAKEOUT_MEDIUM_PAPER);
  t3 = file (f, "A", MAMORI_TAKEOUT_MEDIUM_PAPER);
  t4 = file (f, "D", MAMORI_TAKEOUT_MEDIUM_PAPER);
  as (f, COLLEAGUE);
  c1 = file (f, "B", MAMORI_TAKEOUT_MEDIUM_PAPER);
  c2 = file (f, "C", MAMORI_TAKEOUT_MEDIUM_USB);
  as (f, VICE);
  v1 = file (f, "B", MAMORI_TAKEOUT_MEDIUM_PC);
  g_assert_true (mamori_takeout_approve (f->vault, t1->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_approve (f->vault, t5->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_approve (f->vault, c3->id, pass_now (f), &error));
  g_assert_true (
      mamori_takeout_reject (f->vault, c1->id, "期間を短くしてください", pass_now (f), &error));
  as (f, TEACHER);
  changed = mamori_takeout_change (f->vault, t2->id, change, &error);
  g_assert_true (mamori_takeout_take_out (f->vault, t1->id, &error));
  g_assert_true (mamori_takeout_take_out (f->vault, t4->id, &error));
  g_assert_true (mamori_takeout_return (f->vault, t1->id, &error));
  as (f, PRINCIPAL);
  g_assert_true (mamori_takeout_approve (f->vault, v1->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_approve (f->vault, t2->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_confirm_return (f->vault, t1->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_approve (f->vault, t5->id, pass_now (f), &error));
  g_assert_true (
      mamori_takeout_reject (f->vault, c3->id, "期間を短くしてください", pass_now (f), &error));
  as (f, COLLEAGUE);
  g_assert_true (mamori_takeout_withdraw (f->vault, c2->id, &error));
  g_assert_no_error (error);
}

/* The request an event is about; NULL for other records. */
static const char *
request_of (const MamoriEvent *event)
{
  if (!g_str_has_prefix (event->type, "takeout-") && !g_str_equal (event->type, "taken-out")
      && !g_str_equal (event->type, "returned") && !g_str_equal (event->type, "return-confirmed"))
    return NULL;
  return json_object_get_string_member (json_node_get_object (event->body), "id");
}

/* Whether @event may come before @later in any order: the same author's chain, and the
 * same request's events, keep their order; the roster comes first. */
static gboolean
must_precede (const MamoriEvent *event, const MamoriEvent *later)
{
  const char *a = request_of (event), *b = request_of (later);

  if (a == NULL)
    return TRUE;
  if (memcmp (event->author, later->author, sizeof event->author) == 0)
    return TRUE;
  return b != NULL && g_str_equal (a, b);
}

static void
test_any_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261202);
  g_autofree char *expected = NULL;
  g_autofree char *school = NULL;

  /* act() locks and unlocks the vault: the school's id is read afterwards. */
  act (f);
  school = g_strdup (mamori_vault_get_school_id (f->vault));
  expected = dump (db_of (f));
  events = mamori_event_log_list (db_of (f), NULL, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr (MamoriDb) replica = replica_new (f);
      g_autofree gboolean *placed = g_new0 (gboolean, events->len);
      g_autofree char *got = NULL;
      g_autoptr (GArray) ready = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint n = 0; n < events->len; n++)
        {
          guint pick;

          g_array_set_size (ready, 0);
          for (guint i = 0; i < events->len; i++)
            {
              gboolean free_to_go = !placed[i];

              for (guint j = 0; j < i && free_to_go; j++)
                if (!placed[j] && must_precede (events->pdata[j], events->pdata[i]))
                  free_to_go = FALSE;
              if (free_to_go)
                g_array_append_val (ready, i);
            }
          g_assert_cmpuint (ready->len, >, 0);
          pick = g_array_index (ready, guint, g_rand_int_range (rand, 0, ready->len));
          placed[pick] = TRUE;
          g_assert_true (append (replica, school, events->pdata[pick], &error));
          g_assert_no_error (error);
        }
      got = dump (replica);
      g_assert_cmpstr (got, ==, expected);
    }
}

/* A signature that is not the author's, and an event that skips its author's chain. */
static void
test_forged_and_out_of_chain (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriDb) replica = replica_new (f);
  g_autoptr (MamoriEvent) forged = NULL;
  g_autofree char *school = NULL;
  guint approval = 0;

  act (f);
  school = g_strdup (mamori_vault_get_school_id (f->vault));
  events = mamori_event_log_list (db_of (f), NULL, &error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((MamoriEvent *)events->pdata[i])->type, MAMORI_EVENT_TAKEOUT_APPROVED))
      {
        approval = i;
        break;
      }
  g_assert_cmpuint (approval, >, 0);

  /* Everything before the first approval but the approver's previous event: the
   * approval does not continue its author's chain. */
  for (guint i = 0; i < approval; i++)
    {
      MamoriEvent *event = events->pdata[i];
      MamoriEvent *approve = events->pdata[approval];

      if (memcmp (event->author, approve->author, sizeof event->author) == 0
          && event->author_seq == approve->author_seq - 1)
        continue;
      g_assert_true (append (replica, school, event, &error));
    }
  g_assert_false (append (replica, school, events->pdata[approval], &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN);
  g_clear_error (&error);

  /* With the chain whole, a signature altered by one bit is not the approver's. */
  for (guint i = 0; i < approval; i++)
    {
      MamoriEvent *event = events->pdata[i];
      MamoriEvent *approve = events->pdata[approval];

      if (memcmp (event->author, approve->author, sizeof event->author) == 0
          && event->author_seq == approve->author_seq - 1)
        g_assert_true (append (replica, school, event, &error));
    }
  forged = copy_event (events->pdata[approval]);
  forged->sig[5] ^= 0x10;
  g_assert_false (append (replica, school, forged, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_assert_true (append (replica, school, events->pdata[approval], &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  vfs_test_init ();
  g_test_add ("/takeout/order/any-order", Fixture, NULL, fixture_set_up, test_any_order,
              fixture_tear_down);
  g_test_add ("/takeout/order/forged-and-out-of-chain", Fixture, NULL, fixture_set_up,
              test_forged_and_out_of_chain, fixture_tear_down);
  return g_test_run ();
}
