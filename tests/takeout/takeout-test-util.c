/* takeout-test-util.c — what the take-out tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-roster.h"
#include "takeout-test-util.h"
#include "vfs-test-util.h"

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

const char *
pass_of (const char *user)
{
  if (g_str_equal (user, PRINCIPAL))
    return "takeout test principal";
  if (g_str_equal (user, VICE))
    return "takeout test vice";
  if (g_str_equal (user, TEACHER))
    return "takeout test teacher";
  return "takeout test colleague";
}

void
as (Fixture *f, const char *user)
{
  g_autoptr (GError) error = NULL;

  mamori_vault_lock (f->vault);
  g_assert_true (mamori_vault_unlock (f->vault, user, pass_of (user), &error));
  g_assert_no_error (error);
}

void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->vault = mamori_vault_create (f->path, "持ち出しテスト小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                                  pass_of (PRINCIPAL), forget_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->vault, VICE, MAMORI_ROLE_VICE_PRINCIPAL, pass_of (VICE), &error));
  g_assert_true (
      mamori_vault_add_user (f->vault, TEACHER, MAMORI_ROLE_TEACHER, pass_of (TEACHER), &error));
  g_assert_true (mamori_vault_add_user (f->vault, COLLEAGUE, MAMORI_ROLE_TEACHER,
                                        pass_of (COLLEAGUE), &error));
  g_assert_no_error (error);
}

void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->vault);
  vfs_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

MamoriDb *
db_of (Fixture *f)
{
  return mamori_vault_get_store (f->vault);
}

gint64
count_events (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gint64 n = -1;

  g_assert_true (mamori_event_log_count (db_of (f), &n, &error));
  return n;
}

char *
staff_id (Fixture *f, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriStaff) staff = mamori_roster_find_by_name (db_of (f), name, &error);

  g_assert_nonnull (staff);
  return g_strdup (staff->id);
}

/* A draft of free-text items at @levels (a comma-separated list). */
MamoriTakeoutDraft *
draft_new (const char *levels, MamoriTakeoutMedium medium, const char *from, const char *until)
{
  MamoriTakeoutDraft *draft = mamori_takeout_draft_new ();
  g_auto (GStrv) ids = g_strsplit (levels, ",", -1);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("資料%u（%s）", i + 1, ids[i]);

      g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, name, ids[i], NULL));
    }
  draft->medium = medium;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("成績処理");
  draft->date_from = g_strdup (from);
  draft->date_until = g_strdup (until);
  return draft;
}

MamoriTakeoutRequest *
file (Fixture *f, const char *levels, MamoriTakeoutMedium medium)
{
  g_autoptr (MamoriTakeoutDraft) draft = draft_new (levels, medium, "2026-06-01", "2026-06-03");
  g_autoptr (GError) error = NULL;
  MamoriTakeoutRequest *request = mamori_takeout_file (f->vault, draft, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

MamoriTakeoutState
state_of (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriTakeoutRequest) request = mamori_takeout_find (db_of (f), id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request->state;
}

void
expect_refused (Fixture *f, gboolean ok, GError *error, int code)
{
  g_assert_false (ok);
  g_assert_error (error, MAMORI_RECORDS_ERROR, code);
  g_test_message ("refused: %s", error->message);
}

/* Appends by hand an event the user who unlocked signs: as a colleague with their own
 * passphrase could, going around every front end. */
GError *
append_raw (Fixture *f, const char *type, JsonNode *body)
{
  g_autoptr (MamoriEvent) event = NULL;
  GError *error = NULL;

  event = mamori_vault_append_event (f->vault, type, body, &error);
  g_assert_true ((event == NULL) == (error != NULL));
  return error;
}

/* The passphrase of the user who unlocked, which a decision asks for again. */
const char *
pass_now (Fixture *f)
{
  return pass_of (mamori_vault_get_user (f->vault));
}

/* The policy in force with @steps_json (an approval_steps array) for level @level, as a
 * JSON document; NULL @steps_json takes the member away. */
char *
policy_with_steps (Fixture *f, const char *level, const char *steps_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (f->vault, &error);
  g_autofree char *json = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *levels;

  g_assert_no_error (error);
  json = mamori_policy_to_json (policy, NULL);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  levels = json_object_get_array_member (json_node_get_object (root), "levels");
  for (guint i = 0; i < json_array_get_length (levels); i++)
    {
      JsonObject *object = json_array_get_object_element (levels, i);

      if (!g_str_equal (json_object_get_string_member (object, "id"), level))
        continue;
      if (steps_json == NULL)
        json_object_remove_member (object, "approval_steps");
      else
        json_object_set_member (object, "approval_steps", json_from_string (steps_json, NULL));
    }
  return json_to_string (root, FALSE);
}

/* Puts in force, as the principal, the policy with @steps_json for @level. */
void
install_steps (Fixture *f, const char *level, const char *steps_json)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;

  as (f, PRINCIPAL);
  json = policy_with_steps (f, level, steps_json);
  policy = mamori_policy_new_from_data (json, strlen (json), "steps.json", &error);
  g_assert_no_error (error);
  g_assert_true (mamori_vault_store_policy (f->vault, policy, &error));
  g_assert_no_error (error);
}
