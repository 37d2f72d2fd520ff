/* test-lookup-ranking.c — each step of the lookup's ranking, on small policies made for it
 *
 * Every test lists the result that should lose first in its policy, so that a tie (which
 * keeps the policy's order) cannot make it pass: swapping two kinds of match or two
 * scores in mamori-lookup-match.c makes one of these fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mamori-lookup.h"
#include "mamori-normalize.h"

#define LEVEL(id)                                                                                   \
  "{\"id\":\"" id "\",\"label\":\"重要度" id "\",\"definition\":\"定義\",\"personal_info\":true," \
  "\"takeout\":{\"rule\":\"forbidden\",\"measures\":[]}}"

static MamoriLookup *
lookup_for (const char *assets, const char *scenarios, const char *synonyms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autofree char *json = g_strdup_printf (
      "{\"format\":1,\"id\":\"rank\",\"title\":\"順位\",\"source\":\"test\","
      "\"levels\":[" LEVEL ("A") "," LEVEL (
          "B") "],"
               "\"categories\":[{\"id\":\"unei\",\"label\":\"学校運営\"},"
               "{\"id\":\"hoken\",\"label\":\"保健関係\",\"reading\":\"ほけん かんけい\"}],"
               "\"assets\":[%s],\"scenarios\":[%s],\"synonyms\":[%s]}",
      assets, scenarios ? scenarios : "", synonyms ? synonyms : "");

  policy = mamori_policy_new_from_data (json, strlen (json), "rank.json", &error);
  g_assert_no_error (error);
  return mamori_lookup_new (policy);
}

/* The title of the result at @position, its match and the level of an asset. */
static void
assert_result (GListModel *results,
               guint position,
               const char *title,
               MamoriLookupMatch match,
               const char *level)
{
  g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, position);
  MamoriAsset *asset;

  g_assert_nonnull (result);
  asset = mamori_lookup_result_get_asset (result);
  g_test_message ("#%u %s %u", position,
                  asset ? mamori_asset_get_display_name (asset)
                        : mamori_scenario_get_title (mamori_lookup_result_get_scenario (result)),
                  mamori_lookup_result_get_score (result));
  if (asset != NULL)
    {
      g_assert_cmpstr (mamori_asset_get_display_name (asset), ==, title);
      if (level != NULL)
        g_assert_cmpstr (mamori_level_get_id (mamori_asset_get_level (asset)), ==, level);
    }
  else
    g_assert_cmpstr (mamori_scenario_get_title (mamori_lookup_result_get_scenario (result)), ==,
                     title);
  g_assert_cmpint (mamori_lookup_result_get_match (result), ==, match);
}

static void
test_exact_before_qualified (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"会議資料\",\"qualifier\":\"個人情報を含まないもの\",\"category\":\"unei\","
      "\"level\":\"B\"},"
      "{\"name\":\"会議資料\",\"category\":\"unei\",\"level\":\"A\"}",
      NULL, NULL);
  g_autoptr (GListModel) plain = mamori_lookup_search (lookup, "会議資料");
  g_autoptr (GListModel) qualified
      = mamori_lookup_search (lookup, "会議資料（個人情報を含まないもの）");

  assert_result (plain, 0, "会議資料", MAMORI_LOOKUP_MATCH_EXACT_NAME, "A");
  assert_result (plain, 1, "会議資料（個人情報を含まないもの）", MAMORI_LOOKUP_MATCH_QUALIFIED_NAME,
                 "B");
  /* The name with its qualifier is the qualified entry's exact name. */
  assert_result (qualified, 0, "会議資料（個人情報を含まないもの）", MAMORI_LOOKUP_MATCH_EXACT_NAME,
                 "B");
}

static void
test_qualifier_words (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"会議資料\",\"category\":\"unei\",\"level\":\"A\"},"
      "{\"name\":\"会議資料\",\"qualifier\":\"個人情報を含まないもの\",\"category\":\"unei\","
      "\"level\":\"B\"}",
      NULL, NULL);
  g_autoptr (GListModel) worded = mamori_lookup_search (lookup, "個人情報を含まない会議資料");

  /* Words of the qualifier in a sentence tell the entries apart. */
  assert_result (worded, 0, "会議資料（個人情報を含まないもの）", MAMORI_LOOKUP_MATCH_NAME_PART,
                 "B");
  assert_result (worded, 1, "会議資料", MAMORI_LOOKUP_MATCH_NAME_PART, "A");
}

static void
test_qualified_before_name_part (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for ("{\"name\":\"通知表等\",\"category\":\"unei\",\"level\":\"A\"},"
                    "{\"name\":\"通知表\",\"qualifier\":\"個人情報を含むもの\",\"category\":"
                    "\"unei\",\"level\":\"B\"}",
                    NULL, NULL);
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "通知表");

  assert_result (results, 0, "通知表（個人情報を含むもの）", MAMORI_LOOKUP_MATCH_QUALIFIED_NAME,
                 NULL);
  /* 通知表 is another asset's exact name: for 通知表等 it is a common word now. */
  assert_result (results, 1, "通知表等", MAMORI_LOOKUP_MATCH_COMMON_WORD, NULL);
}

static void
test_name_part_before_alias (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for ("{\"name\":\"健康カード\",\"aliases\":[\"心臓管理票\"],\"category\":\"unei\","
                    "\"level\":\"B\"},"
                    "{\"name\":\"心臓管理等医療情報\",\"category\":\"unei\",\"level\":\"A\"}",
                    NULL, NULL);
  g_autoptr (GListModel) word = mamori_lookup_search (lookup, "心臓管理");
  g_autoptr (GListModel) sentence = mamori_lookup_search (lookup, "心臓管理の資料を見たい");

  assert_result (word, 0, "心臓管理等医療情報", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (word, 1, "健康カード", MAMORI_LOOKUP_MATCH_ALIAS, NULL);
  /* A distinctive part of a long name inside a sentence: particles and verbs do not count. */
  assert_result (sentence, 0, "心臓管理等医療情報", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (sentence, 1, "健康カード", MAMORI_LOOKUP_MATCH_ALIAS, NULL);
}

static void
test_exact_alias_owns_its_word (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"教科用図書給付生徒名簿\",\"category\":\"unei\",\"level\":\"A\"},"
      "{\"name\":\"児童名簿\",\"aliases\":[{\"name\":\"生徒名簿\",\"reading\":\"せいとめいぼ\"}],"
      "\"category\":\"unei\",\"level\":\"B\"}",
      NULL, NULL);
  g_autoptr (GListModel) kanji = mamori_lookup_search (lookup, "生徒名簿");
  g_autoptr (GListModel) kana = mamori_lookup_search (lookup, "ｾｲﾄﾒｲﾎﾞ");

  /* 生徒名簿 is what staff call 児童名簿: it is no distinctive part of the other name. */
  assert_result (kanji, 0, "児童名簿", MAMORI_LOOKUP_MATCH_ALIAS, NULL);
  assert_result (kanji, 1, "教科用図書給付生徒名簿", MAMORI_LOOKUP_MATCH_COMMON_WORD, NULL);
  assert_result (kana, 0, "児童名簿", MAMORI_LOOKUP_MATCH_ALIAS, NULL);
}

static void
test_alias_synonym_keyword (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"学期末の書類\",\"keywords\":[\"あゆみ\"],\"category\":\"unei\",\"level\":\"B\"},"
      "{\"name\":\"通知簿\",\"category\":\"unei\",\"level\":\"B\"},"
      "{\"name\":\"成績表\",\"aliases\":[\"あゆみ\"],\"category\":\"unei\",\"level\":\"B\"}",
      "{\"id\":\"handing-out\",\"title\":\"配布\",\"keywords\":[\"あゆみ\"],\"cautions\":[],"
      "\"prohibitions\":[],\"source\":\"test\"}",
      "[\"あゆみ\",\"通知簿\"]");
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "あゆみ");

  assert_result (results, 0, "成績表", MAMORI_LOOKUP_MATCH_ALIAS, NULL);
  assert_result (results, 1, "通知簿", MAMORI_LOOKUP_MATCH_SYNONYM, NULL);
  assert_result (results, 2, "学期末の書類", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
  assert_result (results, 3, "配布", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
}

#define RECORD(name) "{\"name\":\"" name "\",\"category\":\"unei\",\"level\":\"B\"}"

static void
test_keyword_before_common_word (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      RECORD ("進路指導記録簿") "," RECORD ("事故記録簿") "," RECORD ("面接の記録") "," RECORD (
          "出欠記録") "," RECORD ("来室記録"),
      "{\"id\":\"creating\",\"title\":\"文書の作成\",\"keywords\":[\"記録\"],\"cautions\":"
      "[\"記録は分類を決めて作ること。\"],\"prohibitions\":[],\"source\":\"test\"}",
      NULL);
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "記録を持ち帰りたい");

  /* 記録 is part of five names: a common word, below a scene's keyword. */
  assert_result (results, 0, "文書の作成", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
  assert_result (results, 1, "出欠記録", MAMORI_LOOKUP_MATCH_COMMON_WORD, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 6);
}

static void
test_category_and_text (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"保健日誌\",\"category\":\"hoken\",\"level\":\"A\"},"
      "{\"name\":\"来室カード\",\"category\":\"hoken\",\"level\":\"B\"}",
      "{\"id\":\"leaving\",\"title\":\"退校時\",\"cautions\":[\"来室カードは施錠できる場所に。\"],"
      "\"prohibitions\":[],\"source\":\"test\"}",
      NULL);
  g_autoptr (GListModel) category = mamori_lookup_search (lookup, "保健関係");
  g_autoptr (GListModel) reading = mamori_lookup_search (lookup, "ほけんかん");
  g_autoptr (GListModel) text = mamori_lookup_search (lookup, "施錠できる場所");
  g_autoptr (GListModel) both = mamori_lookup_search (lookup, "来室カード");

  assert_result (category, 0, "保健日誌", MAMORI_LOOKUP_MATCH_CATEGORY, NULL);
  assert_result (category, 1, "来室カード", MAMORI_LOOKUP_MATCH_CATEGORY, NULL);
  assert_result (reading, 0, "保健日誌", MAMORI_LOOKUP_MATCH_CATEGORY, NULL);
  assert_result (text, 0, "退校時", MAMORI_LOOKUP_MATCH_TEXT, NULL);
  /* A name ranks above the scene whose caution mentions it. */
  assert_result (both, 0, "来室カード", MAMORI_LOOKUP_MATCH_EXACT_NAME, NULL);
  assert_result (both, 1, "退校時", MAMORI_LOOKUP_MATCH_TEXT, NULL);
}

static void
test_exact_prefix_infix (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for (RECORD ("児童健康調査") "," RECORD ("健康調査票と記録一式"),
                    "{\"id\":\"long\",\"title\":\"校外学習\",\"keywords\":[\"持ち帰り等\"],"
                    "\"cautions\":[],\"prohibitions\":[],\"source\":\"test\"},"
                    "{\"id\":\"short\",\"title\":\"持ち出し\",\"keywords\":[\"持ち帰り\"],"
                    "\"cautions\":[],\"prohibitions\":[],\"source\":\"test\"}",
                    NULL);
  g_autoptr (GListModel) part = mamori_lookup_search (lookup, "健康調査");
  g_autoptr (GListModel) keyword = mamori_lookup_search (lookup, "持ち帰り");

  /* The beginning of a name before a part further in, even of a shorter name. */
  assert_result (part, 0, "健康調査票と記録一式", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (part, 1, "児童健康調査", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  /* A keyword typed exactly before one the query only begins. */
  assert_result (keyword, 0, "持ち出し", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
  assert_result (keyword, 1, "校外学習", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
}

static void
test_whole_name_in_sentence (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for (RECORD ("進路希望調査票") "," RECORD ("進路のしおりと資料集"), NULL, NULL);
  g_autoptr (GListModel) results = mamori_lookup_search (lookup, "進路のしおりと資料集を配る");

  /* A sentence that names a whole name, particles and all, finds it before a name that
   * only shares a word with it. */
  assert_result (results, 0, "進路のしおりと資料集", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (results, 1, "進路希望調査票", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
}

static void
test_coverage (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for (RECORD ("健康調査票等") "," RECORD ("健康調査票"), NULL, NULL);
  g_autoptr (GListModel) part = mamori_lookup_search (lookup, "健康調査");

  /* A name the query covers more of before a longer one. */
  assert_result (part, 0, "健康調査票", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (part, 1, "健康調査票等", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
}

static void
test_readings (void)
{
  g_autoptr (MamoriLookup) lookup = lookup_for (
      "{\"name\":\"健康保険証の写し\",\"reading\":\"けんこう ほけんしょうの うつし\","
      "\"category\":\"hoken\",\"level\":\"B\"},"
      "{\"name\":\"学校保健\",\"reading\":\"がっこう "
      "ほけん\",\"category\":\"hoken\",\"level\":\"B\"},"
      "{\"name\":\"保健日誌\",\"reading\":\"ほけん "
      "にっし\",\"category\":\"hoken\",\"level\":\"A\"}",
      "{\"id\":\"leaving-desk\",\"title\":\"離席時\",\"reading\":\"りせきじ\",\"cautions\":[],"
      "\"prohibitions\":[],\"source\":\"test\"}",
      NULL);
  g_autoptr (GListModel) whole = mamori_lookup_search (lookup, "ほけんにっし");
  g_autoptr (GListModel) katakana = mamori_lookup_search (lookup, "ﾎｹﾝﾆｯｼ");
  g_autoptr (GListModel) start = mamori_lookup_search (lookup, "ほけん");
  g_autoptr (GListModel) later_word = mamori_lookup_search (lookup, "にっし");
  g_autoptr (GListModel) inside = mamori_lookup_search (lookup, "けんにっ");
  g_autoptr (GListModel) scene = mamori_lookup_search (lookup, "りせき");

  assert_result (whole, 0, "保健日誌", MAMORI_LOOKUP_MATCH_EXACT_NAME, NULL);
  assert_result (katakana, 0, "保健日誌", MAMORI_LOOKUP_MATCH_EXACT_NAME, NULL);
  /* The beginning of a reading before a later word of another, even a whole one. */
  assert_result (start, 0, "保健日誌", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (start, 1, "学校保健", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (start, 2, "健康保険証の写し", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  assert_result (later_word, 0, "保健日誌", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
  /* Kana in the middle of a word are as often another word: not matched. */
  g_assert_cmpuint (g_list_model_get_n_items (inside), ==, 0);
  assert_result (scene, 0, "離席時", MAMORI_LOOKUP_MATCH_NAME_PART, NULL);
}

static void
test_one_kanji_synonym_stands_alone (void)
{
  g_autoptr (MamoriLookup) lookup
      = lookup_for ("{\"name\":\"住所録\",\"keywords\":[\"家庭訪問\"],\"category\":\"unei\","
                    "\"level\":\"B\"}",
                    "{\"id\":\"remote\",\"title\":\"リモートアクセス\",\"keywords\":[\"自宅\"],"
                    "\"cautions\":[],\"prohibitions\":[],\"source\":\"test\"}",
                    "[\"家\",\"自宅\"]");
  g_autoptr (GListModel) visit = mamori_lookup_search (lookup, "家庭訪問");
  g_autoptr (GListModel) home = mamori_lookup_search (lookup, "家で仕事");
  g_autoptr (GListModel) typed = mamori_lookup_search (lookup, "自宅で仕事");

  /* 家 of 家庭訪問 is not 自宅. */
  g_assert_cmpuint (g_list_model_get_n_items (visit), ==, 1);
  assert_result (visit, 0, "住所録", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
  assert_result (home, 0, "リモートアクセス", MAMORI_LOOKUP_MATCH_KEYWORD, NULL);
  /* What was typed ranks above the same match through a synonym. */
  {
    g_autoptr (MamoriLookupResult) by_synonym = g_list_model_get_item (home, 0);
    g_autoptr (MamoriLookupResult) as_typed = g_list_model_get_item (typed, 0);

    g_assert_cmpuint (mamori_lookup_result_get_score (as_typed), >,
                      mamori_lookup_result_get_score (by_synonym));
  }
}

static void
test_sentence_words (void)
{
  static const struct
  {
    const char *sentence;
    const char *words;
  } cases[] = {
    { "通知表を自宅で見たい", "通知表|自宅" },
    { "USBで住所録を持ち帰る", "usb|住所録" },
    { "スマホで写真を撮った", "すまほ|写真" },
    { "健康診断に関する表簿・歯の検査表", "健康診断|表簿|検査表" },
    { "記録を書く", "記録" },
    { "ほけんにっし", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) words = mamori_normalize_words (cases[i].sentence);
      g_autofree char *joined = NULL;

      g_ptr_array_add (words, NULL);
      joined = g_strjoinv ("|", (char **)words->pdata);
      g_assert_cmpstr (joined, ==, cases[i].words);
    }
}

static void
test_suggestions (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset ("oita-abcd", &error);
  g_autoptr (MamoriLookup) lookup = mamori_lookup_new (policy);
  g_autoptr (GListModel) typo = mamori_lookup_search (lookup, "つうちひょお");
  g_autoptr (GListModel) suggested = mamori_lookup_suggest (lookup, "つうちひょお", 5);
  g_autoptr (GListModel) kanji = mamori_lookup_suggest (lookup, "通知書", 5);
  g_autoptr (GListModel) nothing = mamori_lookup_suggest (lookup, "ぴよぴよ", 5);
  g_autoptr (MamoriLookupResult) first = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (typo), ==, 0);
  first = g_list_model_get_item (suggested, 0);
  g_assert_nonnull (first);
  g_assert_cmpstr (mamori_asset_get_name (mamori_lookup_result_get_asset (first)), ==, "通知表");
  g_assert_cmpuint (g_list_model_get_n_items (suggested), <=, 5);
  g_assert_cmpuint (g_list_model_get_n_items (kanji), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (nothing), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lookup-ranking/exact-before-qualified", test_exact_before_qualified);
  g_test_add_func ("/lookup-ranking/qualifier-words", test_qualifier_words);
  g_test_add_func ("/lookup-ranking/qualified-before-name-part", test_qualified_before_name_part);
  g_test_add_func ("/lookup-ranking/name-part-before-alias", test_name_part_before_alias);
  g_test_add_func ("/lookup-ranking/exact-alias-owns-its-word", test_exact_alias_owns_its_word);
  g_test_add_func ("/lookup-ranking/alias-synonym-keyword", test_alias_synonym_keyword);
  g_test_add_func ("/lookup-ranking/keyword-before-common-word", test_keyword_before_common_word);
  g_test_add_func ("/lookup-ranking/category-and-text", test_category_and_text);
  g_test_add_func ("/lookup-ranking/exact-prefix-infix", test_exact_prefix_infix);
  g_test_add_func ("/lookup-ranking/coverage", test_coverage);
  g_test_add_func ("/lookup-ranking/whole-name-in-sentence", test_whole_name_in_sentence);
  g_test_add_func ("/lookup-ranking/readings", test_readings);
  g_test_add_func ("/lookup-ranking/one-kanji-synonym", test_one_kanji_synonym_stands_alone);
  g_test_add_func ("/lookup-ranking/sentence-words", test_sentence_words);
  g_test_add_func ("/lookup-ranking/suggestions", test_suggestions);

  return g_test_run ();
}
