/* test-takeout.c — take-out as signed records: the lifecycle and its refusals
 * (separation of duties even for correctly signed events appended by hand, authority per
 * the policy's approvers, stale versions, wrong states), blanket grants, overdue across
 * date boundaries, and the tables rebuilt from the log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-event-log.h"
#include "mamori-level.h"
#include "mamori-policy-install.h"
#include "mamori-register.h"
#include "mamori-roster.h"
#include "mamori-takeout.h"
#include "mamori-vault.h"
#include "takeout-test-util.h"
#include "vfs-test-util.h"

/* --- the lifecycle ------------------------------------------------------------------ */

static void
test_lifecycle (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (MamoriTakeoutRequest) after = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *teacher = NULL, *vice = NULL;
  gint64 events;
  gboolean ok;

  as (f, TEACHER);
  teacher = staff_id (f, TEACHER);
  vice = staff_id (f, VICE);
  request = file (f, "B,D", MAMORI_TAKEOUT_MEDIUM_USB);
  g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_cmpstr (request->level, ==, "B");
  g_assert_cmpint (request->rule, ==, MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE);
  g_assert_cmpstr (request->requester, ==, teacher);
  g_assert_cmpstr (request->requester_name, ==, TEACHER);
  g_assert_cmpuint (request->items->len, ==, 2);

  /* The requester cannot approve, take out before approval, or confirm. */
  ok = mamori_takeout_approve (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  ok = mamori_takeout_take_out (f->vault, request->id, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A colleague has no authority over level B. */
  as (f, COLLEAGUE);
  events = count_events (f);
  ok = mamori_takeout_approve (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  ok = mamori_takeout_reject (f->vault, request->id, "だめ", pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f), ==, events);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_PENDING);

  /* The vice-principal may; a rejection needs a reason. */
  as (f, VICE);
  ok = mamori_takeout_reject (f->vault, request->id, "", pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_now (f), &error));
  g_assert_no_error (error);
  /* Deciding twice is the wrong state. */
  ok = mamori_takeout_approve (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  ok = mamori_takeout_take_out (f->vault, request->id, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  as (f, TEACHER);
  g_assert_true (mamori_takeout_take_out (f->vault, request->id, &error));
  g_assert_no_error (error);
  after = mamori_takeout_find (db_of (f), request->id, &error);
  g_assert_cmpint (after->state, ==, MAMORI_TAKEOUT_STATE_OUT);
  g_assert_cmpstr (after->approved_by, ==, vice);
  g_assert_cmpstr (after->approved_by_name, ==, VICE);
  g_assert_false (mamori_takeout_request_is_overdue (after, "2026-06-03"));
  g_assert_true (mamori_takeout_request_is_overdue (after, "2026-06-04"));
  ok = mamori_takeout_confirm_return (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  ok = mamori_takeout_withdraw (f->vault, request->id, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (mamori_takeout_return (f->vault, request->id, &error));

  as (f, VICE);
  g_assert_true (mamori_takeout_confirm_return (f->vault, request->id, pass_now (f), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_CLOSED);

  history = mamori_takeout_history (db_of (f), request->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 5);
  g_assert_cmpstr (((MamoriEvent *)history->pdata[0])->type, ==, MAMORI_EVENT_TAKEOUT_REQUESTED);
  g_assert_cmpstr (((MamoriEvent *)history->pdata[4])->type, ==, MAMORI_EVENT_RETURN_CONFIRMED);
}

static void
test_refused_and_recorded (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) forbidden = NULL;
  g_autoptr (MamoriTakeoutRequest) cloud = NULL;
  g_autoptr (MamoriTakeoutRequest) free_level = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  as (f, TEACHER);
  forbidden = file (f, "A", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpint (forbidden->state, ==, MAMORI_TAKEOUT_STATE_REFUSED);
  g_assert_cmpstr (forbidden->reason, ==, "forbidden");
  cloud = file (f, "B", MAMORI_TAKEOUT_MEDIUM_CLOUD);
  g_assert_cmpint (cloud->state, ==, MAMORI_TAKEOUT_STATE_REFUSED);
  g_assert_cmpstr (cloud->reason, ==, "medium");
  free_level = file (f, "D", MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB);
  g_assert_cmpint (free_level->state, ==, MAMORI_TAKEOUT_STATE_RECORDED);
  g_assert_true (mamori_takeout_take_out (f->vault, free_level->id, &error));
  g_assert_no_error (error);

  /* Nothing to approve in a refused request, even for the principal. */
  as (f, PRINCIPAL);
  ok = mamori_takeout_approve (f->vault, forbidden->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
}

/* Text that would show otherwise than it is stored — a terminal escape, a bidirectional
 * override — is refused in every free-text member, and nothing is written. */
static void
test_hidden_characters (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutDraft) draft
      = draft_new ("B", MAMORI_TAKEOUT_MEDIUM_USB, "2026-06-01", "2026-06-03");
  g_autoptr (MamoriTakeoutRequest) escaped = NULL;
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before;
  gboolean ok;

  as (f, TEACHER);
  before = count_events (f);
  g_free (draft->destination);
  draft->destination = g_strdup ("自宅\x1b[2J");
  escaped = mamori_takeout_file (f->vault, draft, &error);
  g_assert_null (escaped);
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_INVALID);
  g_assert_cmpint (count_events (f), ==, before);
  g_clear_error (&error);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);

  as (f, VICE);
  before = count_events (f);
  ok = mamori_takeout_reject (f->vault, request->id, "期間が\u202e長すぎます", pass_now (f),
                              &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_INVALID);
  g_assert_cmpint (count_events (f), ==, before);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_PENDING);
}

/* --- separation of duties, against events signed and appended by hand --------------- */

static void
test_forged_self_approval (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) mine = NULL;
  g_autoptr (MamoriTakeoutRequest) teachers = NULL;
  GError *error;
  gint64 events;

  /* The vice-principal has authority over B, but not over their own request. */
  as (f, VICE);
  mine = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  events = count_events (f);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (mine->id, mine->version, 1, NULL));
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  error = append_raw (f, MAMORI_EVENT_RETURN_CONFIRMED, mamori_takeout_id_body (mine->id));
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f), ==, events);
  g_assert_cmpint (state_of (f, mine->id), ==, MAMORI_TAKEOUT_STATE_PENDING);

  /* A teacher forging an approval of their own request, or signing one for a colleague. */
  as (f, TEACHER);
  teachers = file (f, "B", MAMORI_TAKEOUT_MEDIUM_PAPER);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (teachers->id, teachers->version, 1, NULL));
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (mine->id, mine->version, 1, NULL));
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  /* Nor take out another's request, nor give themselves a blanket grant. */
  error = append_raw (f, MAMORI_EVENT_TAKEN_OUT, mamori_takeout_id_body (mine->id));
  expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  {
    g_autofree char *me = staff_id (f, TEACHER);

    error = append_raw (
        f, MAMORI_EVENT_BLANKET_GRANTED,
        mamori_takeout_grant_body ("00112233445566778899aabbccddeeff", me, "C", "2027-03-31"));
    expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
    g_clear_error (&error);
  }
  /* A request that lowers a register entry's level is refused. */
  as (f, PRINCIPAL);
  {
    g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
    g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (f->vault, NULL);
    g_autoptr (MamoriTakeoutDraft) draft
        = draft_new ("D", MAMORI_TAKEOUT_MEDIUM_PAPER, "2026-06-01", "2026-06-02");
    g_autoptr (MamoriTakeoutItem) item = NULL;
    MamoriTakeoutItem *forged;

    entry->name = g_strdup ("通知表");
    entry->category = g_strdup ("seiseki");
    entry->level = g_strdup ("B");
    entry->location = g_strdup ("職員室");
    g_assert_true (mamori_register_add (f->vault, policy, entry, &error));
    as (f, TEACHER);
    item = mamori_takeout_item_from_register (db_of (f), "通知表", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (item->level, ==, "B");
    forged = mamori_takeout_item_new (item->asset, item->name, "D", NULL);
    g_ptr_array_add (draft->items, forged);
    error = append_raw (f, MAMORI_EVENT_TAKEOUT_REQUESTED,
                        mamori_takeout_request_body ("ffeeddccbbaa99887766554433221100", draft));
    expect_refused (f, FALSE, error, MAMORI_RECORDS_ERROR_CONFLICT);
    g_clear_error (&error);
  }
}

static void
test_change_needs_approval_again (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (MamoriTakeoutRequest) changed = NULL;
  g_autoptr (MamoriTakeoutDraft) draft
      = draft_new ("B", MAMORI_TAKEOUT_MEDIUM_USB, "2026-06-01", "2026-06-10");
  g_autoptr (GError) error = NULL;
  GError *refusal;

  as (f, TEACHER);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  as (f, VICE);
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_now (f), &error));
  as (f, TEACHER);
  changed = mamori_takeout_change (f->vault, request->id, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_null (changed->approved_by);
  g_assert_cmpstr (changed->version, !=, request->version);
  g_assert_cmpstr (changed->date_until, ==, "2026-06-10");

  /* An approval of the first version does not approve the second. */
  as (f, PRINCIPAL);
  refusal = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                        mamori_takeout_decision_body (request->id, request->version, 1, NULL));
  expect_refused (f, FALSE, refusal, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&refusal);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_now (f), &error));
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_APPROVED);

  /* Only the requester changes a request. */
  refusal = append_raw (f, MAMORI_EVENT_TAKEOUT_CHANGED,
                        mamori_takeout_request_body (request->id, draft));
  expect_refused (f, FALSE, refusal, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&refusal);
}

/* The policy's approvers, not the role's rank: yokohama-2 names the principal alone. */
static void
test_policy_approvers (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriPolicy) yokohama = mamori_policy_new_from_preset ("yokohama-2", NULL);
  g_autoptr (MamoriTakeoutRequest) personal = NULL;
  g_autoptr (MamoriTakeoutRequest) other = NULL;
  g_autoptr (GPtrArray) queue = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  as (f, PRINCIPAL);
  g_assert_true (mamori_policy_install (f->vault, yokohama, NULL, NULL, &error));
  g_assert_no_error (error);
  as (f, TEACHER);
  personal = file (f, "personal", MAMORI_TAKEOUT_MEDIUM_USB);
  other = file (f, "other", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpint (personal->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_cmpint (other->state, ==, MAMORI_TAKEOUT_STATE_RECORDED);
  g_assert_cmpint (other->rule, ==, MAMORI_TAKEOUT_NOTIFY);
  queue = mamori_takeout_list_queue (db_of (f), &error);
  g_assert_cmpuint (queue->len, ==, 2);

  as (f, VICE);
  ok = mamori_takeout_approve (f->vault, personal->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  ok = mamori_takeout_acknowledge (f->vault, other->id, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  as (f, PRINCIPAL);
  g_assert_true (mamori_takeout_approve (f->vault, personal->id, pass_now (f), &error));
  g_assert_true (mamori_takeout_acknowledge (f->vault, other->id, &error));
  g_assert_no_error (error);
  ok = mamori_takeout_acknowledge (f->vault, other->id, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = mamori_takeout_list_queue (db_of (f), &error);
  g_assert_cmpuint (queue->len, ==, 0);
}

/* --- blanket grants ----------------------------------------------------------------- */

static MamoriTakeoutState
file_c_until (Fixture *f, const char *until)
{
  g_autoptr (MamoriTakeoutDraft) draft
      = draft_new ("C", MAMORI_TAKEOUT_MEDIUM_USB, "2026-06-01", until);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  request = mamori_takeout_file (f->vault, draft, &error);
  g_assert_no_error (error);
  return request->state;
}

static void
test_blanket (Fixture *f, gconstpointer data)
{
  g_autofree char *teacher = NULL, *grant = NULL, *all = NULL, *narrow = NULL;
  g_autoptr (GPtrArray) grants = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  as (f, TEACHER);
  teacher = staff_id (f, TEACHER);
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_PENDING);

  /* A teacher cannot grant; the vice-principal grants C to the teacher until July next year. */
  g_assert_null (mamori_takeout_grant (f->vault, MAMORI_TAKEOUT_GRANTEE_ALL, "C", "2027-07-31",
                                       pass_now (f), &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  as (f, VICE);
  narrow = mamori_takeout_grant (f->vault, teacher, "D", "2027-12-31", pass_now (f), &error);
  g_assert_no_error (error);
  as (f, TEACHER);
  /* A grant up to D does not cover C. */
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_PENDING);
  as (f, VICE);
  grant = mamori_takeout_grant (f->vault, teacher, "C", "2027-07-31", pass_now (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (grant);

  as (f, TEACHER);
  g_assert_cmpint (file_c_until (f, "2027-07-31"), ==, MAMORI_TAKEOUT_STATE_APPROVED);
  /* Past the grant's expiry: an approval is needed. */
  g_assert_cmpint (file_c_until (f, "2027-08-01"), ==, MAMORI_TAKEOUT_STATE_PENDING);
  /* A colleague is not covered by the teacher's grant; nor is B by a grant of C. */
  as (f, COLLEAGUE);
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_PENDING);
  as (f, TEACHER);
  {
    g_autoptr (MamoriTakeoutRequest) b = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);

    g_assert_cmpint (b->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  }

  /* A grant to all staff does not cover its grantor. */
  as (f, VICE);
  all = mamori_takeout_grant (f->vault, MAMORI_TAKEOUT_GRANTEE_ALL, "C", "2027-07-31", pass_now (f),
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_PENDING);
  as (f, COLLEAGUE);
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_APPROVED);
  ok = mamori_takeout_revoke (f->vault, all, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* Revoked: the next request needs an approval again. */
  as (f, PRINCIPAL);
  g_assert_true (mamori_takeout_revoke (f->vault, grant, &error));
  g_assert_true (mamori_takeout_revoke (f->vault, all, &error));
  g_assert_no_error (error);
  ok = mamori_takeout_revoke (f->vault, all, &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  as (f, TEACHER);
  g_assert_cmpint (file_c_until (f, "2026-06-02"), ==, MAMORI_TAKEOUT_STATE_PENDING);
  grants = mamori_takeout_list_grants (db_of (f), FALSE, &error);
  g_assert_cmpuint (grants->len, ==, 1);
  g_assert_cmpstr (((MamoriTakeoutGrant *)grants->pdata[0])->id, ==, narrow);
}

/* An approval given as a blanket grant: both, or neither. */
static void
test_approve_with_grant (Fixture *f, gconstpointer data)
{
  g_autofree char *grant = NULL;
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GPtrArray) grants = NULL;
  g_autoptr (GError) error = NULL;
  gint64 events;

  as (f, TEACHER);
  request = file (f, "C", MAMORI_TAKEOUT_MEDIUM_USB);
  g_assert_cmpint (request->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  events = count_events (f);
  g_assert_null (mamori_takeout_approve_with_grant (f->vault, request->id, NULL, NULL, "2027-03-31",
                                                    pass_now (f), &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f), ==, events);

  as (f, VICE);
  grant = mamori_takeout_approve_with_grant (f->vault, request->id, NULL, NULL, "2027-03-31",
                                             pass_now (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (grant);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_APPROVED);
  grants = mamori_takeout_list_grants (db_of (f), FALSE, &error);
  g_assert_cmpuint (grants->len, ==, 1);
  g_assert_cmpstr (((MamoriTakeoutGrant *)grants->pdata[0])->grantee_name, ==, TEACHER);
  g_assert_cmpstr (((MamoriTakeoutGrant *)grants->pdata[0])->max_level, ==, "C");

  as (f, TEACHER);
  g_assert_cmpint (file_c_until (f, "2027-03-31"), ==, MAMORI_TAKEOUT_STATE_APPROVED);
}

/* --- overdue and due soon, with the clock given ------------------------------------- */

static char *
file_out (Fixture *f, const char *from, const char *until)
{
  g_autoptr (MamoriTakeoutDraft) draft = draft_new ("D", MAMORI_TAKEOUT_MEDIUM_PAPER, from, until);
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  request = mamori_takeout_file (f->vault, draft, &error);
  g_assert_no_error (error);
  g_assert_true (mamori_takeout_take_out (f->vault, request->id, &error));
  return g_strdup (request->id);
}

static guint
count_list (GPtrArray *list)
{
  guint n = list != NULL ? list->len : G_MAXUINT;

  g_clear_pointer (&list, g_ptr_array_unref);
  return n;
}

static void
test_overdue (Fixture *f, gconstpointer data)
{
  g_autofree char *march = NULL, *new_year = NULL, *leap = NULL;
  g_autoptr (GPtrArray) overdue = NULL;
  g_autoptr (GError) error = NULL;

  as (f, TEACHER);
  march = file_out (f, "2026-03-30", "2026-03-31");
  new_year = file_out (f, "2026-12-28", "2026-12-31");
  leap = file_out (f, "2028-02-27", "2028-02-29");

  g_assert_cmpuint (count_list (mamori_takeout_list_overdue (db_of (f), "2026-03-31", NULL)), ==,
                    0);
  overdue = mamori_takeout_list_overdue (db_of (f), "2027-01-01", &error);
  g_assert_cmpuint (overdue->len, ==, 2);
  /* The earliest due first. */
  g_assert_cmpstr (((MamoriTakeoutRequest *)overdue->pdata[0])->id, ==, march);
  g_assert_cmpstr (((MamoriTakeoutRequest *)overdue->pdata[1])->id, ==, new_year);
  g_assert_cmpuint (count_list (mamori_takeout_list_overdue (db_of (f), "2028-03-01", NULL)), ==,
                    3);

  /* Due soon: within two days, across the end of a month, a year and a leap day. */
  g_assert_cmpuint (count_list (mamori_takeout_list_due_soon (db_of (f), "2026-03-29", 2, NULL)),
                    ==, 1);
  g_assert_cmpuint (count_list (mamori_takeout_list_due_soon (db_of (f), "2026-03-28", 2, NULL)),
                    ==, 0);
  g_assert_cmpuint (count_list (mamori_takeout_list_due_soon (db_of (f), "2026-12-30", 2, NULL)),
                    ==, 1);
  g_assert_cmpuint (count_list (mamori_takeout_list_due_soon (db_of (f), "2028-02-28", 1, NULL)),
                    ==, 1);
  g_assert_cmpuint (count_list (mamori_takeout_list_due_soon (db_of (f), "2028-03-01", 7, NULL)),
                    ==, 0);

  /* Returned: no longer overdue. */
  g_assert_true (mamori_takeout_return (f->vault, march, &error));
  g_assert_cmpuint (count_list (mamori_takeout_list_overdue (db_of (f), "2027-01-01", NULL)), ==,
                    1);
}

/* --- the tables are the fold of the log --------------------------------------------- */

static char *
dump (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) requests = mamori_takeout_list (db_of (f), NULL, &error);
  g_autoptr (GPtrArray) grants = mamori_takeout_list_grants (db_of (f), TRUE, &error);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < requests->len; i++)
    {
      MamoriTakeoutRequest *r = g_ptr_array_index (requests, i);

      g_string_append_printf (
          out, "%s %s %s %s %s %s %s\n", r->id, mamori_takeout_state_to_string (r->state), r->level,
          r->version, r->approved_by != NULL ? r->approved_by : "-",
          r->grant != NULL ? r->grant : "-", r->reason != NULL ? r->reason : "-");
    }
  for (guint i = 0; i < grants->len; i++)
    {
      MamoriTakeoutGrant *g = g_ptr_array_index (grants, i);

      g_string_append_printf (out, "grant %s %s %d\n", g->id, g->max_level, g->revoked);
    }
  return g_string_free (out, FALSE);
}

static void
test_rebuild (Fixture *f, gconstpointer data)
{
  g_autofree char *teacher = NULL, *before = NULL, *after = NULL, *grant = NULL;
  g_autoptr (MamoriTakeoutRequest) a = NULL, b = NULL;
  g_autoptr (GError) error = NULL;

  as (f, VICE);
  teacher = staff_id (f, TEACHER);
  grant = mamori_takeout_grant (f->vault, teacher, "C", "2027-12-31", pass_now (f), &error);
  as (f, TEACHER);
  a = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  b = file (f, "C", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_free (file_out (f, "2026-01-01", "2026-01-02"));
  g_assert_cmpint (b->state, ==, MAMORI_TAKEOUT_STATE_APPROVED);
  as (f, VICE);
  g_assert_true (mamori_takeout_reject (f->vault, a->id, "期間が長すぎます", pass_now (f), &error));
  g_assert_true (mamori_takeout_revoke (f->vault, grant, &error));
  g_assert_no_error (error);

  before = dump (f);
  g_assert_true (mamori_db_exec (db_of (f), "BEGIN IMMEDIATE", &error));
  g_assert_true (
      mamori_event_log_rebuild (db_of (f), mamori_vault_get_school_id (f->vault), &error));
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (db_of (f), "COMMIT", &error));
  after = dump (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_nonnull (strstr (after, "期間が長すぎます"));
}

static void
add (const char *path, void (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  vfs_test_init ();
  add ("/takeout/lifecycle", test_lifecycle);
  add ("/takeout/refused-and-recorded", test_refused_and_recorded);
  add ("/takeout/hidden-characters", test_hidden_characters);
  add ("/takeout/forged-self-approval", test_forged_self_approval);
  add ("/takeout/change-needs-approval-again", test_change_needs_approval_again);
  add ("/takeout/policy-approvers", test_policy_approvers);
  add ("/takeout/blanket", test_blanket);
  add ("/takeout/approve-with-grant", test_approve_with_grant);
  add ("/takeout/overdue", test_overdue);
  add ("/takeout/rebuild", test_rebuild);
  return g_test_run ();
}
