/* test-board-view.c — mamori-board on loopback: the board's view of its schools
 * (GET /v1/schools) counts a school's take-outs as its own computers fold them, and
 * lists its lowered register entries with the template's level, the reason, who and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "board-test-util.h"
#include "mamori-crypto.h"
#include "mamori-register.h"
#include "mamori-takeout.h"

/* @device files a take-out of one paper item at level B (approval per instance) until
 * @until; the request's id, and its version (the event's id) in *@out_version. */
static char *
file_request (Device *device, Board *board, const char *until, char **out_version)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (JsonNode) answer = NULL;
  char *id = mamori_register_new_id ();
  guint status;

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, "通知表の下書き", "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_PAPER;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("所見の記入");
  draft->date_from = g_strdup ("2020-01-06");
  draft->date_until = g_strdup (until);
  event = device_sign (device, MAMORI_EVENT_TAKEOUT_REQUESTED,
                       mamori_takeout_request_body (id, draft));
  answer = device_push (device, board, &event, 1, &status);
  g_assert_cmpuint (status, ==, 200);
  *out_version = mamori_hex_encode (event->id, MAMORI_EVENT_ID_SIZE);
  return id;
}

static void
push (Device *device, Board *board, const char *type, JsonNode *body)
{
  g_autoptr (MamoriEvent) event = device_sign (device, type, body);
  g_autoptr (JsonNode) answer = NULL;
  guint status;

  answer = device_push (device, board, &event, 1, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* The template's first asset at @level in @policy. */
static MamoriAsset *
template_at (MamoriPolicy *policy, const char *level)
{
  GListModel *assets = mamori_policy_get_assets (policy);

  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);

      if (g_str_equal (mamori_level_get_id (mamori_asset_get_level (asset)), level))
        return g_steal_pointer (&asset);
    }
  g_assert_not_reached ();
}

static JsonObject *
find_school (JsonArray *schools, const char *id)
{
  for (guint i = 0; i < json_array_get_length (schools); i++)
    {
      JsonObject *school = json_array_get_object_element (schools, i);

      if (g_str_equal (json_object_get_string_member (school, "id"), id))
        return school;
    }
  g_assert_not_reached ();
}

static void
test_view (void)
{
  g_autoptr (Device) vp = device_new ();
  g_autoptr (Device) teacher = device_new ();
  g_autoptr (Device) officer = device_new ();
  g_autoptr (Board) board = served_board (vp);
  g_autofree char *oita
      = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", "oita-abcd.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (oita);
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_file (file, NULL);
  g_autoptr (MamoriAsset) asset = NULL, unlowered = NULL;
  g_autoptr (MamoriRegisterEntry) entry = NULL, plain = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (JsonNode) answer = NULL, view = NULL;
  g_autofree char *url = g_strconcat (board->uri, "/v1/schools", NULL);
  g_autofree char *other = NULL, *code = NULL;
  g_autofree char *pending = NULL, *pending_version = NULL;
  g_autofree char *waiting = NULL, *waiting_version = NULL;
  g_autofree char *declined = NULL, *declined_version = NULL;
  g_autofree char *overdue = NULL, *overdue_version = NULL;
  g_autofree char *future = NULL, *future_version = NULL;
  JsonObject *school, *takeout, *lowered;
  JsonArray *schools, *entries;
  guint status;

  g_assert_nonnull (policy);
  /* Take-out follows the policy in force: the board's, in every school. */
  g_assert_cmpint (
      board_run ((const char *[]){ "publish-policy", "--data", board->dir, oita, NULL }, NULL), ==,
      0);
  add_teacher (vp, board, teacher, "鈴木 一郎");
  g_assert_cmpuint (device_login (teacher, board), ==, 200);

  /* Two wait, one is declined, one is out past its period, one is out within it. */
  pending = file_request (teacher, board, "2099-01-10", &pending_version);
  waiting = file_request (teacher, board, "2099-02-10", &waiting_version);
  declined = file_request (teacher, board, "2099-01-10", &declined_version);
  push (vp, board, MAMORI_EVENT_TAKEOUT_REJECTED,
        mamori_takeout_decision_body (declined, declined_version, 0, "期末までは校内で"));
  overdue = file_request (teacher, board, "2020-01-10", &overdue_version);
  push (vp, board, MAMORI_EVENT_TAKEOUT_APPROVED,
        mamori_takeout_decision_body (overdue, overdue_version, 1, NULL));
  push (teacher, board, MAMORI_EVENT_TAKEN_OUT, mamori_takeout_id_body (overdue));
  future = file_request (teacher, board, "2099-01-10", &future_version);
  push (vp, board, MAMORI_EVENT_TAKEOUT_APPROVED,
        mamori_takeout_decision_body (future, future_version, 1, NULL));
  push (teacher, board, MAMORI_EVENT_TAKEN_OUT, mamori_takeout_id_body (future));

  /* A template asset at B kept at C, with why; another at its template's level. */
  asset = template_at (policy, "B");
  entry = mamori_register_entry_new_from_template (asset, policy);
  entry->id = mamori_register_new_id ();
  g_free (entry->level);
  entry->level = g_strdup ("C");
  entry->reason = g_strdup ("氏名を伏せた写しのみ");
  problems = mamori_register_entry_check (entry, policy);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (entry->lowered);
  push (vp, board, MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (entry));
  unlowered = template_at (policy, "A");
  plain = mamori_register_entry_new_from_template (unlowered, policy);
  plain->id = mamori_register_new_id ();
  push (vp, board, MAMORI_EVENT_ASSET_ADDED, mamori_register_added_body (plain));

  /* A second school, with nothing of its own. */
  g_assert_cmpint (
      board_run ((const char *[]){ "add-school", "--data", board->dir, "もみじ中学校", NULL },
                 &other),
      ==, 0);
  code = board_add_staff (board, other, "教育委員会 担当", "board");
  answer = device_enroll (officer, board, code, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (device_login (officer, board), ==, 200);

  view = http (officer->session, "GET", url, officer->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  schools = array_member (view, "schools");
  g_assert_cmpuint (json_array_get_length (schools), ==, 2);

  school = find_school (schools, board->school);
  takeout = json_object_get_object_member (school, "takeout");
  g_assert_cmpint (json_object_get_int_member (takeout, "pending"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (takeout, "overdue"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (takeout, "declined"), ==, 1);
  entries = json_object_get_array_member (school, "lowered");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  lowered = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (lowered, "entry"), ==, entry->id);
  g_assert_cmpstr (json_object_get_string_member (lowered, "name"), ==, entry->name);
  g_assert_cmpstr (json_object_get_string_member (lowered, "level"), ==, "C");
  g_assert_cmpstr (json_object_get_string_member (lowered, "template_level"), ==, "B");
  g_assert_cmpstr (json_object_get_string_member (lowered, "reason"), ==, "氏名を伏せた写しのみ");
  g_assert_nonnull (strstr (json_object_get_string_member (lowered, "by"), "佐藤 花子"));
  g_assert_cmpstr (json_object_get_string_member (lowered, "by_name"), ==, "佐藤 花子");
  g_assert_cmpstr (json_object_get_string_member (lowered, "by_role"), ==, "vice-principal");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (lowered, "at"), "Z"));

  school = find_school (schools, other);
  takeout = json_object_get_object_member (school, "takeout");
  g_assert_cmpint (json_object_get_int_member (takeout, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (takeout, "overdue"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (takeout, "declined"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (school, "lowered")), ==,
                    0);

  /* The view is the board role's: the school's own staff are refused it. */
  g_clear_pointer (&answer, json_node_unref);
  answer = http (teacher->session, "GET", url, teacher->token, NULL, &status);
  assert_error (answer, status, 403, "not-permitted");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (mamori_crypto_init (&error));
  g_assert_cmpint (argc, ==, 2);
  board_program = argv[1];
  g_test_add_func ("/board/view", test_view);
  return g_test_run ();
}
