/* test-policy.c — presets load, malformed policies are refused precisely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mamori-policy.h"

static MamoriPolicy *
load_preset (const char *id)
{
  g_autoptr (GError) error = NULL;
  MamoriPolicy *policy = mamori_policy_new_from_preset (id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy);
  return policy;
}

static void
test_presets_load (void)
{
  const char *const *presets = mamori_policy_list_presets ();

  g_assert_cmpstr (presets[0], ==, mamori_policy_default_preset ());
  g_assert_cmpstr (mamori_policy_default_preset (), ==, "oita-abcd");
  g_assert_cmpuint (g_strv_length ((char **)presets), ==, 5);

  for (guint i = 0; presets[i] != NULL; i++)
    {
      g_autoptr (MamoriPolicy) policy = load_preset (presets[i]);

      g_assert_cmpstr (mamori_policy_get_id (policy), ==, presets[i]);
      g_assert_cmpuint (g_list_model_get_n_items (mamori_policy_get_levels (policy)), >=, 2);
      /* yokohama-2 and mic-cia name no assets: the seed gives none for them. */
      if (!g_str_equal (presets[i], "yokohama-2") && !g_str_equal (presets[i], "mic-cia"))
        g_assert_cmpuint (g_list_model_get_n_items (mamori_policy_get_assets (policy)), >, 0);
      g_assert_cmpuint (g_list_model_get_n_items (mamori_policy_get_scenarios (policy)), >, 0);
    }
}

typedef struct
{
  const char *level;
  MamoriTakeoutRule rule;
} LevelRule;

static void
check_rules (const char *preset, const LevelRule *rules, guint n_rules)
{
  g_autoptr (MamoriPolicy) policy = load_preset (preset);
  GListModel *levels = mamori_policy_get_levels (policy);

  g_assert_cmpuint (g_list_model_get_n_items (levels), ==, n_rules);
  for (guint i = 0; i < n_rules; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      g_assert_cmpstr (mamori_level_get_id (level), ==, rules[i].level);
      g_assert_cmpuint (mamori_level_get_rank (level), ==, i);
      g_assert_true (mamori_policy_lookup_level (policy, rules[i].level) == level);
      g_assert_cmpint (mamori_level_get_takeout_rule (level), ==, rules[i].rule);
    }
}

static void
test_takeout_rules (void)
{
  static const LevelRule oita[] = {
    { "A", MAMORI_TAKEOUT_FORBIDDEN },
    { "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
    { "D", MAMORI_TAKEOUT_FREE },
  };
  static const LevelRule yokohama[] = {
    { "personal", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "other", MAMORI_TAKEOUT_NOTIFY },
  };
  static const LevelRule suginami[] = {
    { "high", MAMORI_TAKEOUT_FORBIDDEN },
    { "mid", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "low", MAMORI_TAKEOUT_FREE },
  };
  static const LevelRule mext[] = {
    { "I", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "II", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "III", MAMORI_TAKEOUT_APPROVAL_BLANKET },
    { "IV", MAMORI_TAKEOUT_FREE },
  };
  static const LevelRule mic[] = {
    { "C3", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    { "C2", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
    /* 3.5.1(1)③(イ): taking any asset out needs the manager's permission. */
    { "C1", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  };

  check_rules ("oita-abcd", oita, G_N_ELEMENTS (oita));
  check_rules ("yokohama-2", yokohama, G_N_ELEMENTS (yokohama));
  check_rules ("suginami-3", suginami, G_N_ELEMENTS (suginami));
  check_rules ("mext-2025", mext, G_N_ELEMENTS (mext));
  check_rules ("mic-cia", mic, G_N_ELEMENTS (mic));
}

static void
test_oita_environment_matrix (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  MamoriLevel *a = mamori_policy_lookup_level (policy, "A");
  MamoriLevel *b = mamori_policy_lookup_level (policy, "B");
  MamoriLevel *c = mamori_policy_lookup_level (policy, "C");
  MamoriLevel *d = mamori_policy_lookup_level (policy, "D");

  /* 事例2-2-1: A and B only on the private cloud, C and D only on the public cloud. */
  g_assert_cmpint (mamori_level_get_environment (a, MAMORI_ENV_PRIVATE_CLOUD), ==,
                   MAMORI_PERMISSION_ALLOWED);
  g_assert_cmpint (mamori_level_get_environment (a, MAMORI_ENV_PUBLIC_CLOUD), ==,
                   MAMORI_PERMISSION_DENIED);
  g_assert_cmpint (mamori_level_get_environment (b, MAMORI_ENV_PRIVATE_CLOUD), ==,
                   MAMORI_PERMISSION_ALLOWED);
  g_assert_cmpint (mamori_level_get_environment (b, MAMORI_ENV_PUBLIC_CLOUD), ==,
                   MAMORI_PERMISSION_DENIED);
  g_assert_cmpint (mamori_level_get_environment (c, MAMORI_ENV_PRIVATE_CLOUD), ==,
                   MAMORI_PERMISSION_DENIED);
  g_assert_cmpint (mamori_level_get_environment (c, MAMORI_ENV_PUBLIC_CLOUD), ==,
                   MAMORI_PERMISSION_ALLOWED);
  g_assert_cmpint (mamori_level_get_environment (d, MAMORI_ENV_PUBLIC_CLOUD), ==,
                   MAMORI_PERMISSION_ALLOWED);
  /* A cell the seed does not make readable is not guessed. */
  g_assert_cmpint (mamori_level_get_environment (b, MAMORI_ENV_LEARNING_SERVER), ==,
                   MAMORI_PERMISSION_UNSTATED);
}

static void
test_oita_personal_info_and_approvers (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  MamoriLevel *b = mamori_policy_lookup_level (policy, "B");
  const MamoriRole *approvers;
  guint n_approvers;

  g_assert_true (mamori_level_get_personal_info (mamori_policy_lookup_level (policy, "C")));
  g_assert_false (mamori_level_get_personal_info (mamori_policy_lookup_level (policy, "D")));

  approvers = mamori_level_get_approvers (b, &n_approvers);
  g_assert_cmpuint (n_approvers, ==, 2);
  g_assert_cmpint (approvers[0], ==, MAMORI_ROLE_PRINCIPAL);
  g_assert_cmpint (approvers[1], ==, MAMORI_ROLE_VICE_PRINCIPAL);
  g_assert_cmpuint (g_strv_length ((char **)mamori_level_get_measures (b)), >, 0);
}

static void
test_oita_qualifiers_kept (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  GListModel *assets = mamori_policy_get_assets (policy);
  guint kaigi = 0, shiori = 0;
  gboolean kaigi_d_qualified = FALSE, homework_note = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);
      const char *name = mamori_asset_get_name (asset);
      const char *level = mamori_level_get_id (mamori_asset_get_level (asset));

      if (g_str_equal (name, "職員会議資料"))
        {
          kaigi++;
          if (g_str_equal (level, "D"))
            kaigi_d_qualified
                = g_strcmp0 (mamori_asset_get_qualifier (asset), "個人情報を含まないもの") == 0;
        }
      if (g_str_has_prefix (name, "進路のしおり"))
        shiori++;
      if (g_str_equal (name, "宿題プリント"))
        homework_note = mamori_asset_get_note (asset) != NULL
                        && strstr (mamori_asset_get_note (asset), "重要度B") != NULL;
    }

  g_assert_cmpuint (kaigi, ==, 2);
  g_assert_true (kaigi_d_qualified);
  g_assert_cmpuint (shiori, ==, 2);
  g_assert_true (homework_note);
}

static void
test_every_preset_has_readings (void)
{
  const char *const *presets = mamori_policy_list_presets ();

  for (guint i = 0; presets[i] != NULL; i++)
    {
      g_autoptr (MamoriPolicy) policy = load_preset (presets[i]);
      GListModel *assets = mamori_policy_get_assets (policy);
      GListModel *scenarios = mamori_policy_get_scenarios (policy);
      const char *const *categories = mamori_policy_get_category_ids (policy);

      for (guint j = 0; j < g_list_model_get_n_items (assets); j++)
        {
          g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, j);
          g_assert_nonnull (mamori_asset_get_reading (asset));
        }
      for (guint j = 0; j < g_list_model_get_n_items (scenarios); j++)
        {
          g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, j);
          g_assert_nonnull (mamori_scenario_get_reading (scenario));
        }
      for (guint j = 0; categories[j] != NULL; j++)
        g_assert_nonnull (mamori_policy_get_category_reading (policy, categories[j]));
    }
}

static gboolean
strv_has_fragment (const char *const *strv, const char *fragment)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], fragment) != NULL)
      return TRUE;
  return FALSE;
}

/* A rule that forbids is a prohibition (禁止事項), never a caution (留意事項). */
static void
test_prohibitions_are_not_cautions (void)
{
  const char *const *presets = mamori_policy_list_presets ();

  for (guint i = 0; presets[i] != NULL; i++)
    {
      g_autoptr (MamoriPolicy) policy = load_preset (presets[i]);
      GListModel *scenarios = mamori_policy_get_scenarios (policy);

      for (guint j = 0; j < g_list_model_get_n_items (scenarios); j++)
        {
          g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, j);
          const char *const *cautions = mamori_scenario_get_cautions (scenario);

          g_test_message ("%s %s", presets[i], mamori_scenario_get_id (scenario));
          g_assert_false (strv_has_fragment (cautions, "禁止"));
          g_assert_false (strv_has_fragment (cautions, "てはならない"));
        }
    }
}

static const MamoriBasis *
find_prohibition_basis (MamoriScenario *scenario, const char *fragment)
{
  const char *const *prohibitions = mamori_scenario_get_prohibitions (scenario);

  for (guint i = 0; prohibitions[i] != NULL; i++)
    if (strstr (prohibitions[i], fragment) != NULL)
      return mamori_scenario_get_prohibition_basis (scenario, i);
  g_assert_not_reached ();
}

static void
assert_reading (const MamoriBasis *basis, const char *note_fragment)
{
  g_assert_nonnull (basis);
  g_assert_cmpint (mamori_basis_get_kind (basis), ==, MAMORI_BASIS_READING);
  g_assert_nonnull (strstr (mamori_basis_get_note (basis), note_fragment));
}

/* The readings of the seed the review found are marked as readings, with their note;
 * the source's own words carry no basis. */
static void
test_oita_readings_marked (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  MamoriLevel *a = mamori_policy_lookup_level (policy, "A");
  MamoriLevel *b = mamori_policy_lookup_level (policy, "B");
  MamoriLevel *d = mamori_policy_lookup_level (policy, "D");
  MamoriScenario *cloud = mamori_policy_lookup_scenario (policy, "cloud");
  MamoriScenario *takeout = mamori_policy_lookup_scenario (policy, "takeout");
  GListModel *assets = mamori_policy_get_assets (policy);
  guint shiori = 0;

  /* 図表16: which column B's second mark is in cannot be read from the seed. */
  g_assert_cmpint (mamori_level_get_environment (b, MAMORI_ENV_REMOTE_ACCESS), ==,
                   MAMORI_PERMISSION_ALLOWED);
  assert_reading (mamori_level_get_environment_basis (b, MAMORI_ENV_REMOTE_ACCESS), "図表16");
  g_assert_null (mamori_level_get_environment_basis (b, MAMORI_ENV_PRIVATE_CLOUD));
  /* 機密性2以上 read as 重要度A、B. */
  assert_reading (mamori_level_get_disposal_basis (a, 0), "機密性2以上");
  g_assert_null (mamori_level_get_disposal_basis (a, 1));
  assert_reading (mamori_level_get_takeout_basis (d), "包括的承認");
  g_assert_null (mamori_level_get_takeout_basis (b));
  g_assert_null (mamori_level_get_basis (b));

  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);

      if (g_str_equal (mamori_asset_get_name (asset), "進路のしおり等"))
        {
          assert_reading (mamori_asset_get_basis (asset), "修飾語");
          shiori++;
        }
      else if (g_str_equal (mamori_asset_get_name (asset), "通知表"))
        g_assert_null (mamori_asset_get_basis (asset));
    }
  g_assert_cmpuint (shiori, ==, 2);

  /* The storage-service ban gives way to the school guidance, and says so. */
  g_assert_true (
      strv_has_fragment (mamori_scenario_get_cautions (cloud), "パブリッククラウド上でのみ"));
  g_assert_false (strv_has_fragment (
      mamori_scenario_get_prohibitions (cloud),
      "ウェブで利用できるフリーメール、ネットワークストレージサービス等を使用してはならない"));
  assert_reading (find_prohibition_basis (cloud, "ネットワークストレージ"), "学校向けの定めを優先");
  /* 持ち出し禁止 is a prohibition. */
  g_assert_null (find_prohibition_basis (takeout, "重要度Bの情報資産を"));
  g_assert_null (mamori_scenario_get_caution_basis (takeout, 0));
}

static void
test_other_presets_readings_marked (void)
{
  g_autoptr (MamoriPolicy) mic = load_preset ("mic-cia");
  g_autoptr (MamoriPolicy) mext = load_preset ("mext-2025");
  g_autoptr (MamoriPolicy) suginami = load_preset ("suginami-3");
  g_autoptr (MamoriPolicy) yokohama = load_preset ("yokohama-2");
  MamoriLevel *c1 = mamori_policy_lookup_level (mic, "C1");
  MamoriScenario *home = mamori_policy_lookup_scenario (mext, "work-at-home");
  MamoriScenario *remote = mamori_policy_lookup_scenario (mext, "remote-access");

  assert_reading (mamori_level_get_takeout_basis (c1), "3.5.1(1)③(イ)");
  assert_reading (mamori_level_get_takeout_basis (mamori_policy_lookup_level (mic, "C2")), "形式");

  /* mext-2025 uses issued devices only: no scene allows a private PC any more. */
  g_assert_true (strv_has_fragment (mamori_scenario_get_cautions (home), "支給された端末のみ"));
  g_assert_false (strv_has_fragment (mamori_scenario_get_cautions (home), "私物パソコン"));
  g_assert_false (strv_has_fragment (mamori_scenario_get_cautions (remote), "私的に所有"));
  assert_reading (mamori_scenario_get_basis (remote), "図表14");

  /* Scenes carried over from other sources are readings that name their origin; the
   * take-out scene rests on the schemes' own 事例. */
  assert_reading (mamori_scenario_get_basis (mamori_policy_lookup_scenario (suginami, "password")),
                  "事例2-1-1");
  assert_reading (mamori_scenario_get_basis (mamori_policy_lookup_scenario (yokohama, "arriving")),
                  "事例2-1-2");
  g_assert_null (mamori_scenario_get_basis (mamori_policy_lookup_scenario (suginami, "takeout")));
  g_assert_null (mamori_scenario_get_basis (mamori_policy_lookup_scenario (yokohama, "takeout")));
}

/* Items that a scene carries over from elsewhere are readings in every preset: 図表14's
 * note on copying at home, and in mext-2025 (issued devices only) 3.5.1(1)④'s private PC
 * brought in with permission.  A scene that is a reading as a whole (suginami-3's and
 * yokohama-2's carried-over scenes, mext-2025's remote-access) covers its items. */
static void
test_carried_items_marked (void)
{
  const char *const *presets = mamori_policy_list_presets ();
  guint n_copying = 0, n_private = 0;

  for (guint p = 0; presets[p] != NULL; p++)
    {
      g_autoptr (MamoriPolicy) policy = load_preset (presets[p]);
      GListModel *scenarios = mamori_policy_get_scenarios (policy);

      for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
        {
          g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
          const char *const *prohibitions = mamori_scenario_get_prohibitions (scenario);

          if (mamori_scenario_get_basis (scenario) != NULL)
            continue;
          for (guint j = 0; prohibitions[j] != NULL; j++)
            if (strstr (prohibitions[j], "書き写したり") != NULL)
              {
                assert_reading (mamori_scenario_get_prohibition_basis (scenario, j),
                                "図表14の注記");
                n_copying++;
              }
            else if (g_str_equal (presets[p], "mext-2025")
                     && strstr (prohibitions[j], "私物のパソコン及び記録媒体を校内に") != NULL)
              {
                assert_reading (mamori_scenario_get_prohibition_basis (scenario, j),
                                "支給された端末のみ");
                n_private++;
              }
        }
    }
  /* remote-access and work-at-home of oita-abcd and mic-cia, mext-2025's work-at-home;
   * mext-2025's usb-memory and desk-and-devices. */
  g_assert_cmpuint (n_copying, ==, 5);
  g_assert_cmpuint (n_private, ==, 2);
}

static void
test_mic_axes (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("mic-cia");
  GListModel *axes = mamori_policy_get_axes (policy);
  MamoriAxis *integrity = mamori_policy_lookup_axis (policy, "integrity");
  MamoriAxis *availability = mamori_policy_lookup_axis (policy, "availability");
  MamoriAxisValue *i2;

  g_assert_cmpstr (mamori_policy_get_levels_axis (policy), ==, "機密性");
  g_assert_cmpuint (g_list_model_get_n_items (axes), ==, 2);
  g_assert_nonnull (integrity);
  g_assert_cmpstr (mamori_axis_get_label (integrity), ==, "完全性");
  g_assert_cmpuint (g_list_model_get_n_items (mamori_axis_get_values (integrity)), ==, 2);
  i2 = mamori_axis_lookup_value (integrity, "I2");
  g_assert_cmpstr (mamori_axis_value_get_label (i2), ==, "完全性2");
  g_assert_cmpuint (mamori_axis_value_get_rank (i2), ==, 0);
  g_assert_true (strv_has_fragment (mamori_axis_value_get_handling (i2), "電子署名"));
  g_assert_cmpstr (mamori_axis_get_label (availability), ==, "可用性");
  g_assert_null (mamori_axis_lookup_value (availability, "I2"));
  /* The description no longer carries the axes as prose. */
  g_assert_null (strstr (mamori_policy_get_description (policy), "【完全性2】"));

  /* One axis everywhere else. */
  {
    g_autoptr (MamoriPolicy) oita = load_preset ("oita-abcd");
    g_assert_cmpuint (g_list_model_get_n_items (mamori_policy_get_axes (oita)), ==, 0);
    g_assert_null (mamori_policy_get_levels_axis (oita));
  }
}

#define AXES_POLICY                                                                                      \
  "{\"format\":1,\"id\":\"cia\",\"title\":\"T\",\"source\":\"S\",\"levels_axis\":\"機密性\","         \
  "\"levels\":[{\"id\":\"C2\",\"label\":\"機密性2\",\"definition\":\"D\",\"personal_info\":true,"     \
  "\"takeout\":{\"rule\":\"approval-per-instance\",\"measures\":[]}},"                                   \
  "{\"id\":\"C1\",\"label\":\"機密性1\",\"definition\":\"D\",\"personal_info\":false,"                \
  "\"takeout\":{\"rule\":\"approval-blanket\",\"measures\":[]}}],"                                       \
  "\"axes\":[{\"id\":\"integrity\",\"label\":\"完全性\",\"values\":["                                 \
  "{\"id\":\"I2\",\"label\":\"完全性2\",\"definition\":\"D\",\"handling\":[\"バックアップ\"]}," \
  "{\"id\":\"I1\",\"label\":\"完全性1\",\"definition\":\"D\"}]},"                                     \
  "{\"id\":\"availability\",\"label\":\"可用性\",\"values\":["                                        \
  "{\"id\":\"A2\",\"label\":\"可用性2\",\"definition\":\"D\"},"                                       \
  "{\"id\":\"A1\",\"label\":\"可用性1\",\"definition\":\"D\"}]}],"                                    \
  "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],"

/* The register records each axis; the take-out rule follows the levels (機密性). */
static void
test_multi_axis_assets (void)
{
  static const char json[]
      = AXES_POLICY "\"assets\":[{\"name\":\"住民基本台帳\",\"category\":\"c\",\"level\":\"C1\","
                    "\"axes\":{\"integrity\":\"I2\",\"availability\":\"A2\"}},"
                    "{\"name\":\"公開資料\",\"category\":\"c\",\"level\":\"C2\",\"axes\":{"
                    "\"integrity\":\"I1\"}}],"
                    "\"scenarios\":[]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (json, sizeof json - 1, "cia.json", &error);
  g_autoptr (MamoriAsset) ledger = NULL;
  g_autoptr (MamoriAsset) open = NULL;

  g_assert_no_error (error);
  ledger = g_list_model_get_item (mamori_policy_get_assets (policy), 0);
  open = g_list_model_get_item (mamori_policy_get_assets (policy), 1);

  g_assert_cmpstr (mamori_axis_value_get_id (mamori_asset_get_axis_value (ledger, "integrity")), ==,
                   "I2");
  g_assert_cmpstr (mamori_axis_value_get_id (mamori_asset_get_axis_value (ledger, "availability")),
                   ==, "A2");
  g_assert_null (mamori_asset_get_axis_value (open, "availability"));
  g_assert_null (mamori_asset_get_axis_value (open, "moon"));
  /* 完全性2 and 可用性2 do not make the take-out any stricter than 機密性1's. */
  g_assert_cmpint (mamori_level_get_takeout_rule (mamori_asset_get_level (ledger)), ==,
                   MAMORI_TAKEOUT_APPROVAL_BLANKET);
  g_assert_cmpint (mamori_level_get_takeout_rule (mamori_asset_get_level (open)), ==,
                   MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE);
}

static void
test_basis_and_readings_optional (void)
{
  /* A policy written before readings, basis and axes existed still loads. */
  static const char json[]
      = "{\"format\":1,\"id\":\"old\",\"title\":\"T\",\"source\":\"S\","
        "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
        "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[\"鍵\"]},\"storage\":[\"金庫\"],"
        "\"environments\":{\"staff-pc\":true}}],"
        "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],"
        "\"assets\":[{\"name\":\"通知表\",\"category\":\"c\",\"level\":\"A\",\"aliases\":["
        "\"あゆみ\"]}],"
        "\"scenarios\":[{\"id\":\"s\",\"title\":\"離席時\",\"cautions\":[\"ロック\"],"
        "\"prohibitions\":[],\"source\":\"x\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (json, sizeof json - 1, "old.json", &error);
  g_autoptr (MamoriAsset) asset = NULL;
  g_autoptr (MamoriScenario) scenario = NULL;
  MamoriLevel *level;

  g_assert_no_error (error);
  level = mamori_policy_lookup_level (policy, "A");
  asset = g_list_model_get_item (mamori_policy_get_assets (policy), 0);
  scenario = g_list_model_get_item (mamori_policy_get_scenarios (policy), 0);
  g_assert_null (mamori_asset_get_reading (asset));
  g_assert_null (mamori_asset_get_alias_reading (asset, 0));
  g_assert_null (mamori_asset_get_basis (asset));
  g_assert_cmpstr (mamori_asset_get_aliases (asset)[0], ==, "あゆみ");
  g_assert_null (mamori_level_get_measure_basis (level, 0));
  g_assert_null (mamori_level_get_storage_basis (level, 0));
  g_assert_null (mamori_level_get_environment_basis (level, MAMORI_ENV_STAFF_PC));
  g_assert_null (mamori_scenario_get_caution_basis (scenario, 0));
  g_assert_null (mamori_scenario_get_reading (scenario));
  g_assert_null (mamori_policy_get_synonyms (policy)[0]);
}

static void
test_basis_forms (void)
{
  static const char json[]
      = "{\"format\":1,\"id\":\"school\",\"title\":\"T\",\"source\":\"S\","
        "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
        "\"basis\":{\"kind\":\"board\"},"
        "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[\"鍵\",{\"text\":\"封筒\",\"basis\":"
        "{\"kind\":\"school\",\"note\":\"本校の定め\"}}],\"basis\":{\"kind\":\"source\"}},"
        "\"environments\":{\"staff-pc\":{\"value\":null,\"basis\":{\"kind\":\"reading\","
        "\"note\":\"表から読めない\"}}}}],"
        "\"categories\":[{\"id\":\"c\",\"label\":\"分類\",\"reading\":\"ぶんるい\"}],"
        "\"assets\":[{\"name\":\"通知表\",\"reading\":\"つうち ひょう\",\"category\":\"c\","
        "\"level\":\"A\",\"aliases\":[\"通知票\",{\"name\":\"通信簿\",\"reading\":\"つうしんぼ\"}],"
        "\"keywords\":[\"所見\"]}],"
        "\"scenarios\":[{\"id\":\"s\",\"title\":\"離席時\",\"reading\":\"りせきじ\","
        "\"basis\":{\"kind\":\"school\"},\"cautions\":[],"
        "\"prohibitions\":[{\"text\":\"放置\",\"basis\":{\"kind\":\"reading\",\"note\":\"N\"}}],"
        "\"source\":\"x\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (json, sizeof json - 1, "school.json", &error);
  g_autoptr (MamoriAsset) asset = NULL;
  g_autoptr (MamoriScenario) scenario = NULL;
  MamoriLevel *level;
  const MamoriBasis *basis;

  g_assert_no_error (error);
  level = mamori_policy_lookup_level (policy, "A");
  g_assert_cmpint (mamori_basis_get_kind (mamori_level_get_basis (level)), ==, MAMORI_BASIS_BOARD);
  g_assert_null (mamori_basis_get_note (mamori_level_get_basis (level)));
  /* "source" written out is the same as no basis. */
  g_assert_null (mamori_level_get_takeout_basis (level));
  g_assert_cmpstr (mamori_level_get_measures (level)[1], ==, "封筒");
  g_assert_null (mamori_level_get_measure_basis (level, 0));
  basis = mamori_level_get_measure_basis (level, 1);
  g_assert_cmpint (mamori_basis_get_kind (basis), ==, MAMORI_BASIS_SCHOOL);
  g_assert_cmpstr (mamori_basis_get_note (basis), ==, "本校の定め");
  g_assert_null (mamori_level_get_measure_basis (level, 7));
  g_assert_cmpint (mamori_level_get_environment (level, MAMORI_ENV_STAFF_PC), ==,
                   MAMORI_PERMISSION_UNSTATED);
  g_assert_cmpint (
      mamori_basis_get_kind (mamori_level_get_environment_basis (level, MAMORI_ENV_STAFF_PC)), ==,
      MAMORI_BASIS_READING);

  asset = g_list_model_get_item (mamori_policy_get_assets (policy), 0);
  g_assert_cmpstr (mamori_asset_get_reading (asset), ==, "つうち ひょう");
  g_assert_cmpstr (mamori_asset_get_aliases (asset)[1], ==, "通信簿");
  g_assert_null (mamori_asset_get_alias_reading (asset, 0));
  g_assert_cmpstr (mamori_asset_get_alias_reading (asset, 1), ==, "つうしんぼ");
  g_assert_cmpstr (mamori_asset_get_keywords (asset)[0], ==, "所見");
  g_assert_cmpstr (mamori_policy_get_category_reading (policy, "c"), ==, "ぶんるい");

  scenario = g_list_model_get_item (mamori_policy_get_scenarios (policy), 0);
  g_assert_cmpint (mamori_basis_get_kind (mamori_scenario_get_basis (scenario)), ==,
                   MAMORI_BASIS_SCHOOL);
  g_assert_cmpstr (mamori_scenario_get_prohibitions (scenario)[0], ==, "放置");
  g_assert_cmpstr (mamori_basis_get_note (mamori_scenario_get_prohibition_basis (scenario, 0)), ==,
                   "N");
  g_assert_cmpstr (mamori_basis_kind_get_label (MAMORI_BASIS_READING), ==, "Interpretation");
}

static void
test_highest_level_wins (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  MamoriLevel *mixed[] = {
    mamori_policy_lookup_level (policy, "D"),
    mamori_policy_lookup_level (policy, "B"),
    mamori_policy_lookup_level (policy, "C"),
  };

  g_assert_true (mamori_policy_highest_level (policy, mixed, G_N_ELEMENTS (mixed)) == mixed[1]);
  g_assert_null (mamori_policy_highest_level (policy, NULL, 0));
}

static void
test_unknown_preset (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("nope", &error);

  g_assert_null (policy);
  g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_NOT_FOUND);
}

static void
test_round_trip_json (void)
{
  g_autoptr (MamoriPolicy) policy = load_preset ("oita-abcd");
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (MamoriPolicy) again = NULL;
  gsize length;

  json = mamori_policy_to_json (policy, &length);
  again = mamori_policy_new_from_data (json, length, "copy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (mamori_policy_get_assets (again)), ==,
                    g_list_model_get_n_items (mamori_policy_get_assets (policy)));
}

#define LEVEL_OK                                                                                   \
  "{\"id\":\"A\",\"label\":\"重要度A\",\"definition\":\"定義\",\"personal_info\":true,"       \
  "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[]}}"
#define HEAD "{\"format\":1,\"id\":\"t\",\"title\":\"T\",\"source\":\"S\","
#define CATS "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],"

typedef struct
{
  const char *json;
  int code;
  const char *message; /* the part of the message after "bad.json: " */
} BadCase;

static void
test_malformed (void)
{
  static const BadCase cases[] = {
    { "", MAMORI_POLICY_ERROR_PARSE, NULL },
    { "{\"format\": 1,", MAMORI_POLICY_ERROR_PARSE, NULL },
    { "[]", MAMORI_POLICY_ERROR_INVALID, "$: a policy must be a JSON object" },
    { "{\"format\":2}", MAMORI_POLICY_ERROR_INVALID, "$.format: unsupported format" },
    { "{\"format\":1}", MAMORI_POLICY_ERROR_INVALID, "$: required member “id” is missing" },
    { HEAD "\"levels\":[]," CATS "\"assets\":[],\"scenarios\":[]}", MAMORI_POLICY_ERROR_INVALID,
      "$.levels: a scheme needs at least one level" },
    { HEAD "\"levels\":[" LEVEL_OK "," LEVEL_OK "]," CATS "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.levels[1].id: “A” is defined twice" },
    { HEAD "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
           "\"takeout\":{\"rule\":\"sometimes\",\"measures\":[]}}]," CATS
           "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.levels[0].takeout.rule: unknown take-out rule “sometimes”" },
    { HEAD
      "\"levels\":[" LEVEL_OK "]," CATS
      "\"assets\":[{\"name\":\"通知表\",\"category\":\"c\",\"level\":\"E\"}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].level: unknown level “E”" },
    { HEAD
      "\"levels\":[" LEVEL_OK "]," CATS
      "\"assets\":[{\"name\":\"通知表\",\"category\":\"x\",\"level\":\"A\"}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].category: unknown category “x”" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS
           "\"assets\":[{\"name\":\"\",\"category\":\"c\",\"level\":\"A\"}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].name: must not be empty" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[],\"scenarios\":[{\"id\":\"s\","
           "\"title\":\"離席時\",\"cautions\":[],\"prohibition\":[],\"source\":\"x\"}]}",
      MAMORI_POLICY_ERROR_INVALID, "$.scenarios[0].prohibition: unknown member" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[],\"scenarios\":[{\"id\":\"s\","
           "\"title\":\"離席時\",\"cautions\":[1],\"prohibitions\":[],\"source\":\"x\"}]}",
      MAMORI_POLICY_ERROR_INVALID, "$.scenarios[0].cautions[0]: expected a string" },
    { HEAD
      "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
      "\"takeout\":{\"rule\":\"free\",\"measures\":[]},\"environments\":{\"moon\":true}}]," CATS
      "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.levels[0].environments.moon: unknown environment" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[],\"scenarios\":[],"
           "\"synonyms\":[[\"家\"]]}",
      MAMORI_POLICY_ERROR_INVALID, "$.synonyms[0]: a synonym group needs at least two words" },
    /* ids: what is allowed is said */
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS
           "\"assets\":[],\"scenarios\":[{\"id\":\"Leaving Desk\","
           "\"title\":\"離席時\",\"cautions\":[],\"prohibitions\":[],\"source\":\"x\"}]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.scenarios[0].id: “Leaving Desk” is not a valid id (use only lower-case a–z, digits 0–9 "
      "and “-”)" },
    { HEAD "\"levels\":[{\"id\":\"A=1\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":"
           "true,\"takeout\":{\"rule\":\"free\",\"measures\":[]}}]," CATS
           "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.levels[0].id: “A=1” is not a valid level id (use letters, digits, “-” and “_”, without "
      "spaces, “=” or “,”)" },
    /* names: the same name and qualifier twice, however it is written */
    { HEAD
      "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"学級(学年)通信\",\"category\":"
      "\"c\",\"level\":\"A\"},{\"name\":\"学級（学年） 通信\",\"category\":\"c\",\"level\":\"A\"}],"
      "\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.assets[1]: “学級（学年） 通信” is already listed at $.assets[0] (give one of them a "
      "qualifier)" },
    { HEAD
      "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"職員会議資料\",\"qualifier\":"
      "\"個人情報を含まないもの\",\"category\":\"c\",\"level\":\"A\"},{\"name\":\"職員会議資料\","
      "\"qualifier\":\"個人情報を含まないもの\",\"category\":\"c\",\"level\":\"A\"}],"
      "\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.assets[1]: “職員会議資料” with the qualifier “個人情報を含まないもの” is already listed "
      "at "
      "$.assets[0]" },
    /* an alias belongs to one asset */
    { HEAD
      "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"児童名簿\",\"category\":\"c\","
      "\"level\":\"A\",\"aliases\":[\"名簿\"]},{\"name\":\"教科書給付名簿\",\"category\":\"c\","
      "\"level\":\"A\",\"aliases\":[\"給付\",\"名簿\"]}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.assets[1].aliases[1]: “名簿” already names “児童名簿” ($.assets[0]); a name or alias may "
      "belong to one asset only" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"住所録\",\"category\":\"c\","
           "\"level\":\"A\"},{\"name\":\"連絡網\",\"category\":\"c\",\"level\":\"A\",\"aliases\":"
           "[\"住所録\"]}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[1].aliases[0]: “住所録” already names “住所録”" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"通知表\",\"category\":\"c\","
           "\"level\":\"A\",\"aliases\":[7]}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].aliases[0]: expected a string" },
    /* readings are hiragana */
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[{\"name\":\"通知表\",\"reading\":"
           "\"ツウチヒョウ\",\"category\":\"c\",\"level\":\"A\"}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.assets[0].reading: “ツウチヒョウ” is not a reading in hiragana" },
    /* basis */
    { HEAD "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
           "\"basis\":{\"kind\":\"guess\"},\"takeout\":{\"rule\":\"free\",\"measures\":[]}}]," CATS
           "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.levels[0].basis.kind: unknown basis “guess”" },
    { HEAD
      "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
      "\"takeout\":{\"rule\":\"free\",\"measures\":[],\"basis\":{\"kind\":\"reading\"}}}]," CATS
      "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.levels[0].takeout.basis: a reading needs a “note” that says what it interprets" },
    { HEAD "\"levels\":[" LEVEL_OK "]," CATS "\"assets\":[],\"scenarios\":[{\"id\":\"s\",\"title\":"
           "\"離席時\",\"cautions\":[{\"basis\":{\"kind\":\"school\"}}],\"prohibitions\":[],"
           "\"source\":\"x\"}]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.scenarios[0].cautions[0]: required member “text” is missing" },
    { HEAD "\"levels\":[{\"id\":\"A\",\"label\":\"L\",\"definition\":\"D\",\"personal_info\":true,"
           "\"takeout\":{\"rule\":\"free\",\"measures\":[]},\"environments\":{\"staff-pc\":"
           "{\"basis\":{\"kind\":\"school\"}}}}]," CATS "\"assets\":[],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID,
      "$.levels[0].environments.staff-pc: required member “value” is missing" },
    /* axes */
    { AXES_POLICY "\"assets\":[{\"name\":\"台帳\",\"category\":\"c\",\"level\":\"C1\",\"axes\":"
                  "{\"moon\":\"I2\"}}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].axes.moon: unknown axis" },
    { AXES_POLICY "\"assets\":[{\"name\":\"台帳\",\"category\":\"c\",\"level\":\"C1\",\"axes\":"
                  "{\"integrity\":\"I3\"}}],\"scenarios\":[]}",
      MAMORI_POLICY_ERROR_INVALID, "$.assets[0].axes.integrity: “I3” is not a value of 完全性" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriPolicy) policy
          = mamori_policy_new_from_data (cases[i].json, strlen (cases[i].json), "bad.json", &error);

      g_test_message ("case %zu: %s", i, error ? error->message : "(no error)");
      g_assert_null (policy);
      g_assert_error (error, MAMORI_POLICY_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "bad.json: "));
      if (cases[i].message != NULL)
        g_assert_true (g_str_has_prefix (error->message + strlen ("bad.json: "), cases[i].message));
    }
}

static void
test_invalid_utf8 (void)
{
  static const char data[] = "{\"format\":1,\"id\":\"\xff\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy
      = mamori_policy_new_from_data (data, sizeof data - 1, "x.json", &error);

  g_assert_null (policy);
  g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_PARSE);
}

static void
test_missing_file (void)
{
  g_autoptr (GFile) file = g_file_new_for_path ("/nonexistent/policy.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_file (file, &error);

  g_assert_null (policy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy/presets-load", test_presets_load);
  g_test_add_func ("/policy/takeout-rules", test_takeout_rules);
  g_test_add_func ("/policy/oita/environment-matrix", test_oita_environment_matrix);
  g_test_add_func ("/policy/oita/personal-info-and-approvers",
                   test_oita_personal_info_and_approvers);
  g_test_add_func ("/policy/oita/qualifiers-kept", test_oita_qualifiers_kept);
  g_test_add_func ("/policy/every-preset-has-readings", test_every_preset_has_readings);
  g_test_add_func ("/policy/prohibitions-are-not-cautions", test_prohibitions_are_not_cautions);
  g_test_add_func ("/policy/oita/readings-marked", test_oita_readings_marked);
  g_test_add_func ("/policy/other-presets-readings-marked", test_other_presets_readings_marked);
  g_test_add_func ("/policy/carried-items-marked", test_carried_items_marked);
  g_test_add_func ("/policy/mic/axes", test_mic_axes);
  g_test_add_func ("/policy/multi-axis-assets", test_multi_axis_assets);
  g_test_add_func ("/policy/basis-and-readings-optional", test_basis_and_readings_optional);
  g_test_add_func ("/policy/basis-forms", test_basis_forms);
  g_test_add_func ("/policy/highest-level-wins", test_highest_level_wins);
  g_test_add_func ("/policy/unknown-preset", test_unknown_preset);
  g_test_add_func ("/policy/round-trip-json", test_round_trip_json);
  g_test_add_func ("/policy/malformed", test_malformed);
  g_test_add_func ("/policy/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/policy/missing-file", test_missing_file);

  return g_test_run ();
}
