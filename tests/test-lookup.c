/* test-lookup.c — what a teacher types finds what the policy says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mamori-lookup.h"

static MamoriLookup *
oita_lookup (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);

  g_assert_no_error (error);
  return mamori_lookup_new (policy);
}

static MamoriAsset *
first_asset (GListModel *results)
{
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);
      if (mamori_lookup_result_get_asset (result) != NULL)
        return mamori_lookup_result_get_asset (result);
    }
  return NULL;
}

static MamoriScenario *
first_scenario (GListModel *results)
{
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);
      if (mamori_lookup_result_get_scenario (result) != NULL)
        return mamori_lookup_result_get_scenario (result);
    }
  return NULL;
}

typedef struct
{
  const char *query;
  const char *asset; /* the first asset's name */
  const char *level;
  MamoriTakeoutRule rule;
} AssetCase;

/* Drawn from 図表11, 図表12 and 事例2-2-1 of the MEXT guidance (大分県). */
static const AssetCase asset_cases[] = {
  { "通知表", "通知表", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "出席簿", "出席簿", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "指導要録（学籍に関する記録）その写し及び抄本", "指導要録（学籍に関する記録）その写し及び抄本",
    "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "指導要録（指導に関する記録）", "指導要録（指導に関する記録）その写し及び抄本", "A",
    MAMORI_TAKEOUT_FORBIDDEN },
  { "心臓管理", "心臓管理等医療情報", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "学級通信", "学級（学年）通信", "D", MAMORI_TAKEOUT_FREE },
  { "学級(学年)通信", "学級（学年）通信", "D", MAMORI_TAKEOUT_FREE },
  { "動画", "動画等", "D", MAMORI_TAKEOUT_FREE },
  { "住所録", "住所録", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "緊急連絡網", "緊急連絡先・学級の緊急連絡網", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "PTA資料", "PTA資料", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "ＰＴＡ資料", "PTA資料", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "学校要覧", "学校要覧", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "学校紹介パンフレット", "学校紹介パンフレット", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "ﾎｰﾑﾍﾟｰｼﾞ", "ホームページ情報", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "ぴよぴよ", NULL, NULL, 0 },
  { "卒業アルバム", "卒業アルバム・集合写真等", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "授業用教材", "授業用教材", "D", MAMORI_TAKEOUT_FREE },
  { "宿題プリント", "宿題プリント", "D", MAMORI_TAKEOUT_FREE },
  { "職員会議資料", "職員会議資料", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "定期考査素点表", "定期考査素点表", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "定期考査答案用紙", "定期考査答案用紙", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "評定一覧表", "評定一覧表", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "調査書", "調査書", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "推薦書", "推薦書", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "受験報告書", "受験報告書", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "進路希望調査", "進路希望調査", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "保健日誌", "保健日誌", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "給与関係書類", "給与関係書類", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "手当関係書類", "手当関係書類", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "監査調書", "監査調書", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "卒業証書授与台帳", "卒業証書授与台帳", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "教務手帳", "教務手帳", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "健康保険証", "健康保険証の写し", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "考査問題", "考査問題", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "進路のしおり", "進路のしおり等", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "求人一覧", "求人一覧", "D", MAMORI_TAKEOUT_FREE },
  { "教材研究資料", "教材研究資料", "D", MAMORI_TAKEOUT_FREE },
  { "事故報告書", "事故報告書・記録簿", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "不審者対策", "不審者対策等マニュアル", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "学級費会計簿", "学級費会計簿", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "個別の教育支援計画", "個別の教育支援計画", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "旅行関係書類", "旅行関係書類", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "自転車", "自転車等通学生一覧表", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "授業料", "授業料関連書類", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "住民票", "住民票・戸籍謄本・抄本等", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "個人写真", "児童・生徒等の個人写真", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "要・準要保護", "要・準要保護児童・生徒認定台帳", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "週ごとの指導計画", "週ごとの指導計画", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "通知表を自宅で見たい", "通知表", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "USBで住所録を持ち帰る", "住所録", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
};

static void
test_asset_table (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();

  g_assert_cmpuint (G_N_ELEMENTS (asset_cases), >=, 40);
  for (gsize i = 0; i < G_N_ELEMENTS (asset_cases); i++)
    {
      const AssetCase *c = &asset_cases[i];
      g_autoptr (GListModel) results = mamori_lookup_search (lookup, c->query);
      MamoriAsset *asset = first_asset (results);

      g_test_message ("%s → %s", c->query,
                      asset ? mamori_asset_get_display_name (asset) : "(none)");
      if (c->asset == NULL)
        {
          g_assert_null (asset);
          continue;
        }
      g_assert_nonnull (asset);
      g_assert_cmpstr (mamori_asset_get_name (asset), ==, c->asset);
      g_assert_cmpstr (mamori_level_get_id (mamori_asset_get_level (asset)), ==, c->level);
      g_assert_cmpint (mamori_level_get_takeout_rule (mamori_asset_get_level (asset)), ==, c->rule);
    }
}

typedef struct
{
  const char *query;
  const char *asset; /* the first asset's display name */
  const char *level;
} EverydayCase;

/* How staff ask in a 職員室: sentences, readings typed before the input method converts
 * them, and the words they use for the official names. */
static const EverydayCase everyday_cases[] = {
  /* sentences: the noun is found whatever the particles and verbs around it */
  { "通知表を自宅で見たい", "通知表", "B" },
  { "あゆみを家に持ち帰りたい", "通知表", "B" },
  { "指導要録を持ち帰りたい", "指導要録（学籍に関する記録）その写し及び抄本", "A" },
  { "住所録をUSBで持ち帰る", "住所録", "B" },
  { "スマホで写真を撮った", "児童・生徒等の個人写真", "A" },
  { "家庭訪問で使う名簿", "児童・生徒等名簿", "B" },
  { "面談の記録を書く", "教育相談・面接の記録・カード等", "B" },
  { "答案を家で採点したい", "定期考査答案用紙", "B" },
  { "判定会議の資料", "進級・卒業判定会議録・会議資料", "A" },
  { "アレルギーの情報", "心臓管理等医療情報", "A" },
  { "給料の明細", "給与関係書類", "A" },
  { "PTAの資料を配る", "PTA資料", "C" },
  { "宿題を家で丸付け", "宿題プリント", "D" },
  { "いじめの記録", "生徒指導・特別指導等記録簿", "A" },
  { "健康診断の結果", "健康診断に関する表簿・歯の検査表", "A" },
  { "個人情報を含まない職員会議資料", "職員会議資料（個人情報を含まないもの）", "D" },
  { "保健室の記録", "保健日誌", "A" },
  /* readings, in hiragana, katakana and half-width katakana, and their beginnings */
  { "ほけんにっし", "保健日誌", "A" },
  { "ホケンニッシ", "保健日誌", "A" },
  { "ほけん", "保健日誌", "A" },
  { "ｿﾂｷﾞｮｳｱﾙﾊﾞﾑ", "卒業アルバム・集合写真等", "C" },
  { "せいとめいぼ", "児童・生徒等名簿", "B" },
  { "ｾｲﾄﾒｲﾎﾞ", "児童・生徒等名簿", "B" },
  { "せいと", "児童・生徒等名簿", "B" },
  { "しどうようろく", "指導要録（学籍に関する記録）その写し及び抄本", "A" },
  { "ないしんしょ", "調査書", "B" },
  { "くらすめいぼ", "児童・生徒等名簿", "B" },
  { "つうちひょう", "通知表", "B" },
  { "じゅうしょろく", "住所録", "B" },
  /* everyday words: short forms, words for copies, tests, meetings and records */
  { "保健室", "保健日誌", "A" },
  { "家庭訪問", "児童・生徒等名簿", "B" },
  { "家庭訪問の地図", "住所録", "B" },
  { "通信簿", "通知表", "B" },
  { "要録", "指導要録（学籍に関する記録）その写し及び抄本", "A" },
  { "内申書", "調査書", "B" },
  { "閻魔帳", "教務手帳", "B" },
  { "週案", "週ごとの指導計画（個人情報が含まれるもの）", "B" },
  { "家庭調査票", "生徒個人調査票", "B" },
  { "解答用紙", "定期考査答案用紙", "B" },
  { "成績一覧表", "評定一覧表", "A" },
  { "素点", "定期考査素点表", "A" },
  { "出欠簿", "出席簿", "A" },
  { "歯科検診", "健康診断に関する表簿・歯の検査表", "A" },
  { "保険証のコピー", "健康保険証の写し", "B" },
  { "出張の書類", "旅行関係書類", "B" },
  { "年休", "休暇欠勤簿等の服務管理関連書類", "B" },
  { "学級だより", "学級（学年）通信", "D" },
  { "卒アル", "卒業アルバム・集合写真等", "C" },
  { "職会資料", "職員会議資料", "B" },
  { "事故報告", "事故報告書・記録簿", "A" },
};

static void
test_everyday_table (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();

  g_assert_cmpuint (G_N_ELEMENTS (everyday_cases), >=, 40);
  for (gsize i = 0; i < G_N_ELEMENTS (everyday_cases); i++)
    {
      const EverydayCase *c = &everyday_cases[i];
      g_autoptr (GListModel) results = mamori_lookup_search (lookup, c->query);
      MamoriAsset *asset = first_asset (results);

      g_test_message ("%s → %s", c->query,
                      asset ? mamori_asset_get_display_name (asset) : "(none)");
      g_assert_nonnull (asset);
      g_assert_cmpstr (mamori_asset_get_display_name (asset), ==, c->asset);
      g_assert_cmpstr (mamori_level_get_id (mamori_asset_get_level (asset)), ==, c->level);
    }
}

static void
test_exact_name_first (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "通知表");
  g_autoptr (MamoriLookupResult) first = g_list_model_get_item (results, 0);

  /* An exact name ranks above every partial match and every scenario. */
  g_assert_nonnull (mamori_lookup_result_get_asset (first));
  g_assert_cmpstr (mamori_asset_get_name (mamori_lookup_result_get_asset (first)), ==, "通知表");
  for (guint i = 1; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (MamoriLookupResult) other = g_list_model_get_item (results, i);
      g_assert_cmpuint (mamori_lookup_result_get_score (other), <=,
                        mamori_lookup_result_get_score (first));
    }
}

static void
test_qualified_names (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "職員会議資料");
  gboolean seen_b = FALSE, seen_d = FALSE;

  /* Both entries of a name listed at two levels are found, the qualifier tells them apart. */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);
      MamoriAsset *asset = mamori_lookup_result_get_asset (result);

      if (asset == NULL || !g_str_equal (mamori_asset_get_name (asset), "職員会議資料"))
        continue;
      if (g_str_equal (mamori_level_get_id (mamori_asset_get_level (asset)), "B"))
        seen_b = TRUE;
      else if (g_str_equal (mamori_level_get_id (mamori_asset_get_level (asset)), "D"))
        {
          seen_d = TRUE;
          g_assert_cmpstr (mamori_asset_get_display_name (asset), ==,
                           "職員会議資料（個人情報を含まないもの）");
        }
    }
  g_assert_true (seen_b);
  g_assert_true (seen_d);
}

typedef struct
{
  const char *query;
  const char *scenario;
  const char *caution;     /* a fragment of one caution */
  const char *prohibition; /* a fragment of one prohibition, or NULL */
} ScenarioCase;

static gboolean
strv_has_fragment (const char *const *strv, const char *fragment)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], fragment) != NULL)
      return TRUE;
  return FALSE;
}

/* 図表14・15 and the 対策基準 sections teachers meet every day. */
static const ScenarioCase scenario_cases[] = {
  { "離席", "leaving-desk", "ログインしたまま", "放置" },
  { "離席時", "leaving-desk", "ふたを閉める", "公用USBメモリ" },
  { "席を離れる", "leaving-desk", "ロック", NULL },
  { "退校時", "leaving-school", "シャットダウン", "ローカルハードディスク" },
  { "帰る", "leaving-school", "施錠", NULL },
  { "出勤時", "arriving", "名札", NULL },
  { "パスワード", "password", "覗き込まれる", "メモ" },
  { "ﾊﾟｽﾜｰﾄﾞ", "password", "覗き込まれる", NULL },
  { "USB", "usb-memory", NULL, NULL },
  { "ＵＳＢ", "usb-memory", NULL, NULL },
  { "電子記録媒体", "usb-memory", NULL, NULL },
  { "メール", "email", NULL, NULL },
  { "事故", "incident", NULL, NULL },
  { "持ち出し", "takeout", NULL, NULL },
};

static void
test_scenarios (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();

  for (gsize i = 0; i < G_N_ELEMENTS (scenario_cases); i++)
    {
      const ScenarioCase *c = &scenario_cases[i];
      g_autoptr (GListModel) results = mamori_lookup_search (lookup, c->query);
      MamoriScenario *scenario = first_scenario (results);

      g_test_message ("%s → %s", c->query, scenario ? mamori_scenario_get_id (scenario) : "(none)");
      g_assert_nonnull (scenario);
      g_assert_cmpstr (mamori_scenario_get_id (scenario), ==, c->scenario);
      g_assert_nonnull (mamori_scenario_get_source (scenario));
      if (c->caution != NULL)
        g_assert_true (strv_has_fragment (mamori_scenario_get_cautions (scenario), c->caution));
      if (c->prohibition != NULL)
        g_assert_true (
            strv_has_fragment (mamori_scenario_get_prohibitions (scenario), c->prohibition));
    }
}

static void
test_cautions_and_prohibitions_apart (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);
  MamoriScenario *leaving = mamori_policy_lookup_scenario (policy, "leaving-school");

  g_assert_nonnull (leaving);
  /* 図表15: keeping A/B data on the local disk is a prohibition, not a caution. */
  g_assert_false (
      strv_has_fragment (mamori_scenario_get_cautions (leaving), "ローカルハードディスク"));
  g_assert_true (
      strv_has_fragment (mamori_scenario_get_prohibitions (leaving), "ローカルハードディスク"));
}

static void
test_shortcuts (void)
{
  static const char *const expected[] = {
    "出勤時",     "離席時",   "退校時",     "USBメモリ", "パスワード",
    "電子メール", "持ち出し", "事故のとき", NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);
  GListModel *scenarios = mamori_policy_get_scenarios (policy);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);

      if (!mamori_scenario_get_shortcut (scenario))
        continue;
      g_assert_nonnull (expected[n]);
      g_assert_cmpstr (mamori_scenario_get_title (scenario), ==, expected[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **)expected));
}

static void
test_two_characters (void)
{
  static const char *const queries[] = { "動画", "成績", "写真", "健康", "進路" };
  g_autoptr (MamoriLookup) lookup = oita_lookup ();

  for (gsize i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (GListModel) results = mamori_lookup_search (lookup, queries[i]);
      MamoriAsset *asset = first_asset (results);

      g_assert_nonnull (asset);
      g_test_message ("%s → %s", queries[i], mamori_asset_get_display_name (asset));
    }
}

static void
test_synonyms (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();
  g_autoptr (GListModel) home = mamori_lookup_search (lookup, "家で仕事");
  g_autoptr (GListModel) home_kanji = mamori_lookup_search (lookup, "自宅で仕事");
  MamoriScenario *a = first_scenario (home);
  MamoriScenario *b = first_scenario (home_kanji);

  /* 家 ↔ 自宅: both wordings reach the same scene. */
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (mamori_scenario_get_id (a), ==, mamori_scenario_get_id (b));
}

static void
test_blank_and_unknown (void)
{
  g_autoptr (MamoriLookup) lookup = oita_lookup ();
  g_autoptr (GListModel) blank = mamori_lookup_search (lookup, "　 ");
  g_autoptr (GListModel) unknown = mamori_lookup_search (lookup, "ぴよぴよ");

  g_assert_cmpuint (g_list_model_get_n_items (blank), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (unknown), ==, 0);
}

static void
test_every_preset_searchable (void)
{
  const char *const *presets = mamori_policy_list_presets ();

  for (guint i = 0; presets[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (presets[i], &error);
      g_autoptr (MamoriLookup) lookup = NULL;
      g_autoptr (GListModel) results = NULL;
      g_autoptr (MamoriScenario) scenario = NULL;

      g_assert_no_error (error);
      lookup = mamori_lookup_new (policy);
      scenario = g_list_model_get_item (mamori_policy_get_scenarios (policy), 0);
      results = mamori_lookup_search (lookup, mamori_scenario_get_title (scenario));
      g_assert_true (first_scenario (results) == scenario);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lookup/asset-table", test_asset_table);
  g_test_add_func ("/lookup/everyday-table", test_everyday_table);
  g_test_add_func ("/lookup/exact-name-first", test_exact_name_first);
  g_test_add_func ("/lookup/qualified-names", test_qualified_names);
  g_test_add_func ("/lookup/scenarios", test_scenarios);
  g_test_add_func ("/lookup/cautions-and-prohibitions-apart", test_cautions_and_prohibitions_apart);
  g_test_add_func ("/lookup/shortcuts", test_shortcuts);
  g_test_add_func ("/lookup/two-characters", test_two_characters);
  g_test_add_func ("/lookup/synonyms", test_synonyms);
  g_test_add_func ("/lookup/blank-and-unknown", test_blank_and_unknown);
  g_test_add_func ("/lookup/every-preset-searchable", test_every_preset_searchable);

  return g_test_run ();
}
