/* test-takeout-steps.c — a decision asks for the approver's passphrase again, and an
 * approval in steps (a review, then the approval) as the policy configures it
 *
 * A wrong passphrase signs nothing; a decision is signed with the key the passphrase
 * unwraps.  Each step is a takeout-approved event naming its step: a role the policy does
 * not name for it, a second step by the same person, or one's own request is refused even
 * when the event is signed correctly by hand; a request stays pending until the last step;
 * a rejection at any step ends it; a changed request needs every step again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-roster.h"
#include "mamori-takeout-private.h"
#include "takeout-test-util.h"
#include "vfs-test-util.h"

/* Level B: the vice-principal reviews, then the principal approves. */
#define REVIEW_THEN_APPROVE "[{\"roles\": [\"vice-principal\"]}, {\"roles\": [\"principal\"]}]"
/* Level B in two steps either of them may sign. */
#define EITHER_TWICE                                                                               \
  "[{\"roles\": [\"vice-principal\", \"principal\"]}, {\"roles\": [\"principal\", "                \
  "\"vice-principal\"]}]"

static MamoriTakeoutRequest *
find (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  MamoriTakeoutRequest *request = mamori_takeout_find (db_of (f), id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

static void
expect_wrong_passphrase (Fixture *f, gboolean ok, GError *error, gint64 events_before)
{
  g_assert_false (ok);
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_WRONG_PASSPHRASE);
  g_assert_cmpint (count_events (f), ==, events_before);
}

static void
test_passphrase_asked_again (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL, other = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVaultSigner) signer = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autofree char *teacher = NULL, *grant = NULL;
  MamoriEvent *approval;
  gint64 before;
  gboolean ok;

  as (f, TEACHER);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  other = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  teacher = staff_id (f, TEACHER);
  as (f, VICE);
  before = count_events (f);

  /* A wrong passphrase, or a colleague's, signs nothing. */
  ok = mamori_takeout_approve (f->vault, request->id, "not the passphrase", &error);
  expect_wrong_passphrase (f, ok, error, before);
  g_clear_error (&error);
  ok = mamori_takeout_approve (f->vault, request->id, pass_of (PRINCIPAL), &error);
  expect_wrong_passphrase (f, ok, error, before);
  g_clear_error (&error);
  ok = mamori_takeout_reject (f->vault, request->id, "だめ", "", &error);
  expect_wrong_passphrase (f, ok, error, before);
  g_clear_error (&error);
  grant = mamori_takeout_grant (f->vault, teacher, "C", "2027-03-31", "wrong", &error);
  g_assert_null (grant);
  expect_wrong_passphrase (f, FALSE, error, before);
  g_clear_error (&error);
  grant = mamori_takeout_approve_with_grant (f->vault, other->id, NULL, NULL, "2027-03-31", "wrong",
                                             &error);
  g_assert_null (grant);
  expect_wrong_passphrase (f, FALSE, error, before);
  g_clear_error (&error);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_cmpint (state_of (f, other->id), ==, MAMORI_TAKEOUT_STATE_PENDING);

  /* The right one: the approval is the vice-principal's, signed with their key. */
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_of (VICE), &error));
  g_assert_no_error (error);
  history = mamori_takeout_history (db_of (f), request->id, &error);
  g_assert_no_error (error);
  approval = g_ptr_array_index (history, history->len - 1);
  g_assert_cmpstr (approval->type, ==, MAMORI_EVENT_TAKEOUT_APPROVED);
  g_assert_cmpmem (approval->author, MAMORI_SIGNING_KEY_SIZE,
                   mamori_vault_get_public_key (f->vault), MAMORI_SIGNING_KEY_SIZE);
  g_assert_true (mamori_event_verify (approval, &error));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (approval->body), "step"), ==,
                   1);

  /* A confirmed passphrase belongs to the user who gave it. */
  signer = mamori_vault_confirm_passphrase (f->vault, pass_of (VICE), &error);
  g_assert_no_error (error);
  as (f, PRINCIPAL);
  before = count_events (f);
  g_assert_false (_mamori_takeout_approve_as (f->vault, signer, other->id, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_assert_cmpint (count_events (f), ==, before);
  g_clear_error (&error);

  /* The return is confirmed with the passphrase too. */
  as (f, TEACHER);
  g_assert_true (mamori_takeout_take_out (f->vault, request->id, &error));
  g_assert_true (mamori_takeout_return (f->vault, request->id, &error));
  as (f, PRINCIPAL);
  before = count_events (f);
  ok = mamori_takeout_confirm_return (f->vault, request->id, pass_of (VICE), &error);
  expect_wrong_passphrase (f, ok, error, before);
  g_clear_error (&error);
  g_assert_true (mamori_takeout_confirm_return (f->vault, request->id, pass_now (f), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_CLOSED);
}

static void
test_review_then_approve (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL, reviewed = NULL, approved = NULL;
  g_autoptr (MamoriTakeoutRequest) declined = NULL, changed = NULL;
  g_autoptr (MamoriTakeoutDraft) draft
      = draft_new ("B", MAMORI_TAKEOUT_MEDIUM_PAPER, "2026-06-01", "2026-06-02");
  g_autoptr (GError) error = NULL;
  g_autofree char *vice = NULL, *principal = NULL;
  gboolean ok;

  install_steps (f, "B", REVIEW_THEN_APPROVE);
  vice = staff_id (f, VICE);
  principal = staff_id (f, PRINCIPAL);
  as (f, TEACHER);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  declined = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  g_assert_cmpuint (request->n_steps, ==, 2);
  g_assert_cmpuint (g_strv_length (request->steps), ==, 0);

  /* The principal's step is the second. */
  as (f, PRINCIPAL);
  ok = mamori_takeout_approve (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* The review: still pending. */
  as (f, VICE);
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_now (f), &error));
  g_assert_no_error (error);
  reviewed = find (f, request->id);
  g_assert_cmpint (reviewed->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
  g_assert_cmpuint (g_strv_length (reviewed->steps), ==, 1);
  g_assert_cmpstr (reviewed->steps[0], ==, vice);
  g_assert_null (reviewed->approved_by);
  /* The vice-principal may not sign the principal's step. */
  ok = mamori_takeout_approve (f->vault, request->id, pass_now (f), &error);
  expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* The approval. */
  as (f, PRINCIPAL);
  g_assert_true (mamori_takeout_approve (f->vault, request->id, pass_now (f), &error));
  g_assert_no_error (error);
  approved = find (f, request->id);
  g_assert_cmpint (approved->state, ==, MAMORI_TAKEOUT_STATE_APPROVED);
  g_assert_cmpstr (approved->approved_by, ==, principal);
  g_assert_cmpuint (g_strv_length (approved->steps), ==, 2);

  /* A rejection at the second step ends it. */
  as (f, VICE);
  g_assert_true (mamori_takeout_approve (f->vault, declined->id, pass_now (f), &error));
  as (f, PRINCIPAL);
  g_assert_true (
      mamori_takeout_reject (f->vault, declined->id, "期間が長すぎます", pass_now (f), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, declined->id), ==, MAMORI_TAKEOUT_STATE_REJECTED);

  /* A request changed after its review needs the review again. */
  as (f, TEACHER);
  changed = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  as (f, VICE);
  g_assert_true (mamori_takeout_approve (f->vault, changed->id, pass_now (f), &error));
  as (f, TEACHER);
  g_clear_pointer (&changed, mamori_takeout_request_free);
  changed = mamori_takeout_change (f->vault, declined->id, draft, &error);
  g_assert_null (changed);
  g_clear_error (&error);
  {
    g_autoptr (GPtrArray) mine = NULL;
    MamoriTakeoutFilter filter = { MAMORI_TAKEOUT_STATE_PENDING, NULL };
    g_autoptr (MamoriTakeoutRequest) again = NULL;
    const MamoriTakeoutRequest *pending;

    mine = mamori_takeout_list (db_of (f), &filter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (mine->len, ==, 1);
    pending = g_ptr_array_index (mine, 0);
    g_assert_cmpuint (g_strv_length (pending->steps), ==, 1);
    again = mamori_takeout_change (f->vault, pending->id, draft, &error);
    g_assert_no_error (error);
    g_assert_cmpint (again->state, ==, MAMORI_TAKEOUT_STATE_PENDING);
    g_assert_cmpuint (g_strv_length (again->steps), ==, 0);
    as (f, PRINCIPAL);
    ok = mamori_takeout_approve (f->vault, again->id, pass_now (f), &error);
    expect_refused (f, ok, error, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
    g_clear_error (&error);
    as (f, VICE);
    g_assert_true (mamori_takeout_approve (f->vault, again->id, pass_now (f), &error));
    g_assert_no_error (error);
  }
}

/* Events signed correctly by hand, going around every front end. */
static void
test_forged_steps (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL, reviewed = NULL, own = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before;

  install_steps (f, "B", EITHER_TWICE);
  as (f, TEACHER);
  request = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  as (f, VICE);
  own = file (f, "B", MAMORI_TAKEOUT_MEDIUM_USB);

  /* A step skipped, or a step that does not exist. */
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 2, NULL));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
  g_clear_error (&error);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 4, NULL));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID);
  g_clear_error (&error);

  /* One's own request, at any step. */
  as (f, PRINCIPAL);
  g_assert_true (mamori_takeout_approve (f->vault, own->id, pass_now (f), &error));
  as (f, VICE);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (own->id, own->version, 2, NULL));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* The same person signing both steps. */
  as (f, PRINCIPAL);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 1, NULL));
  g_assert_no_error (error);
  before = count_events (f);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 2, NULL));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f), ==, before);
  reviewed = find (f, request->id);
  g_assert_cmpint (reviewed->state, ==, MAMORI_TAKEOUT_STATE_PENDING);

  /* A teacher signs no step. */
  as (f, COLLEAGUE);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 2, NULL));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* Someone else signs the second: approved. */
  as (f, VICE);
  error = append_raw (f, MAMORI_EVENT_TAKEOUT_APPROVED,
                      mamori_takeout_decision_body (request->id, request->version, 2, NULL));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (f, request->id), ==, MAMORI_TAKEOUT_STATE_APPROVED);
}

/* A blanket grant approves in full: only a role of the last step gives one. */
static void
test_grant_by_last_step (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *teacher = NULL, *grant = NULL;

  install_steps (f, "C", REVIEW_THEN_APPROVE);
  teacher = staff_id (f, TEACHER);
  as (f, VICE);
  grant = mamori_takeout_grant (f->vault, teacher, "C", "2027-03-31", pass_now (f), &error);
  g_assert_null (grant);
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  as (f, PRINCIPAL);
  grant = mamori_takeout_grant (f->vault, teacher, "C", "2027-03-31", pass_now (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (grant);
}

/* A bad approval_steps is refused with its path and what is wrong. */
static void
test_policy_steps_checked (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *level;
    const char *steps;
    const char *message; /* a part of it */
  } cases[] = {
    { "B", "[]", "$.levels[1].approval_steps: an approval takes 1 to 3 steps" },
    { "B", "[{\"roles\": []}]", "approval_steps[0].roles: a step needs at least one role" },
    { "B", "[{\"roles\": [\"head\"]}]", "approval_steps[0].roles[0]: unknown role" },
    { "B", "[{\"roles\": [\"teacher\"]}]", "is not among the level’s approvers" },
    { "B", "[{\"roles\": [\"principal\", \"principal\"]}]", "is named twice in this step" },
    { "B", "[{\"roles\": [\"principal\"], \"label\": \"x\"}]", "unknown member" },
    { "B",
      "[{\"roles\": [\"principal\"]}, {\"roles\": [\"principal\"]}, {\"roles\": "
      "[\"principal\"]}, {\"roles\": [\"principal\"]}]",
      "1 to 3 steps" },
    { "D", "[{\"roles\": [\"principal\"]}]", "only a level whose take-out needs an approval" },
    { "B", "{\"roles\": [\"principal\"]}", "expected an array" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = policy_with_steps (f, cases[i].level, cases[i].steps);
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriPolicy) policy
          = mamori_policy_new_from_data (json, strlen (json), "steps.json", &error);

      g_assert_null (policy);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
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
  add ("/takeout/steps/passphrase-asked-again", test_passphrase_asked_again);
  add ("/takeout/steps/review-then-approve", test_review_then_approve);
  add ("/takeout/steps/forged-steps", test_forged_steps);
  add ("/takeout/steps/grant-by-last-step", test_grant_by_last_step);
  add ("/takeout/steps/policy-checked", test_policy_steps_checked);
  return g_test_run ();
}
