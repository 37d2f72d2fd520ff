/* bench-lookup.c — lookup latency over oita-abcd and a synthetic 10,000-asset policy
 *
 * Prints one figure a line, `name: value unit`: the median and 99th percentile of each
 * query of a fixed set, and over all queries, for each policy.  Target: p99 < 5 ms.
 *
 *   meson compile -C _build bench-lookup && _build/tests/bench/bench-lookup [--quick]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "mamori-lookup.h"

#define SYNTHETIC_ASSETS 10000
#define SYNTHETIC_SCENARIOS 500

static const char *const queries[] = {
  "通知表",
  "指導要録",
  "心臓管理",
  "学級通信",
  "動画",
  "成績",
  "USB",
  "ＵＳＢ",
  "ﾊﾟｽﾜｰﾄﾞ",
  "離席",
  "退校時",
  "自宅",
  "通知表を自宅で見たい",
  "USBで住所録を持ち帰る",
  "職員会議資料",
  "個人情報を含まないもの",
  "メール",
  "事故",
  "写真",
  "ぴよぴよ",
  "書類",
  "進路のしおり",
  "健康診断に関する表簿・歯の検査表",
  "定期考査",
};

/* Pieces that make plausible register names: 3年2組 健康調査票 (控え) … */
static const char *const heads[]
    = { "児童", "生徒", "学年", "学級", "教職員", "保護者", "卒業生", "PTA", "部活動", "特別支援" };
static const char *const bodies[]
    = { "名簿",   "成績一覧", "健康調査票", "指導記録",   "面談記録", "会計簿",
        "連絡網", "写真",     "作品",       "アンケート", "報告書",   "出欠記録" };
static const char *const scenes[] = { "出張時",   "研修時",   "家庭訪問", "修学旅行",
                                      "授業参観", "避難訓練", "長期休業", "人事異動" };

static char *
make_synthetic_policy (void)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  static const char *const levels[] = { "A", "B", "C", "D" };
  static const char *const rules[]
      = { "forbidden", "approval-per-instance", "approval-blanket", "free" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "synthetic");
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "合成ポリシー");
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "bench-lookup");

  json_builder_set_member_name (b, "levels");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, levels[i]);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, levels[i]);
      json_builder_set_member_name (b, "definition");
      json_builder_add_string_value (b, "定義");
      json_builder_set_member_name (b, "personal_info");
      json_builder_add_boolean_value (b, i < 3);
      json_builder_set_member_name (b, "takeout");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, rules[i]);
      json_builder_set_member_name (b, "measures");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "all");
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, "全般");
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint i = 0; i < SYNTHETIC_ASSETS; i++)
    {
      g_autofree char *name
          = g_strdup_printf ("%s%s（第%u号）", heads[i % G_N_ELEMENTS (heads)],
                             bodies[(i / G_N_ELEMENTS (heads)) % G_N_ELEMENTS (bodies)], i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, "all");
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, levels[i % G_N_ELEMENTS (levels)]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "scenarios");
  json_builder_begin_array (b);
  for (guint i = 0; i < SYNTHETIC_SCENARIOS; i++)
    {
      g_autofree char *id = g_strdup_printf ("scene-%u", i);
      g_autofree char *title = g_strdup_printf ("%s（%u）", scenes[i % G_N_ELEMENTS (scenes)], i);
      g_autofree char *caution = g_strdup_printf ("%sには、%sを机上に放置しないこと。（%u）",
                                                  scenes[i % G_N_ELEMENTS (scenes)],
                                                  bodies[i % G_N_ELEMENTS (bodies)], i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "keywords");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, heads[i % G_N_ELEMENTS (heads)]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "cautions");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, caution);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "prohibitions");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "USBメモリを自宅に持ち帰ること。");
      json_builder_end_array (b);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, "bench");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "synonyms");
  json_builder_begin_array (b);
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "USB");
  json_builder_add_string_value (b, "USBメモリ");
  json_builder_add_string_value (b, "電子記録媒体");
  json_builder_end_array (b);
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "家");
  json_builder_add_string_value (b, "自宅");
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint index = (guint)(p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, index);
}

static void
bench_policy (const char *name, MamoriPolicy *policy, guint rounds)
{
  g_autoptr (MamoriLookup) lookup = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  double start = now_ms ();

  lookup = mamori_lookup_new (policy);
  printf ("%s.index: %.3f ms\n", name, now_ms () - start);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint r = 0; r < rounds; r++)
        {
          double t0 = now_ms ();
          g_autoptr (GListModel) results = mamori_lookup_search (lookup, queries[q]);
          double elapsed = now_ms () - t0;

          g_array_append_val (times, elapsed);
          g_array_append_val (all, elapsed);
        }
      g_array_sort (times, compare_double);
      printf ("%s.q%02u.median: %.4f ms\n", name, q, percentile (times, 0.5));
      printf ("%s.q%02u.p99: %.4f ms\n", name, q, percentile (times, 0.99));
    }

  g_array_sort (all, compare_double);
  printf ("%s.all.median: %.4f ms\n", name, percentile (all, 0.5));
  printf ("%s.all.p99: %.4f ms\n", name, percentile (all, 0.99));
  printf ("%s.all.max: %.4f ms\n", name, percentile (all, 1.0));
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");
  guint rounds = quick ? 3 : 200;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) oita = mamori_policy_new_from_preset ("oita-abcd", &error);
  g_autoptr (MamoriPolicy) synthetic = NULL;
  g_autofree char *json = NULL;
  double start;

  g_assert_no_error (error);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    printf ("query.q%02u: %s\n", q, queries[q]);

  bench_policy ("oita", oita, rounds);

  json = make_synthetic_policy ();
  start = now_ms ();
  synthetic = mamori_policy_new_from_data (json, strlen (json), "synthetic", &error);
  g_assert_no_error (error);
  printf ("synthetic.load: %.3f ms\n", now_ms () - start);
  printf ("synthetic.assets: %u count\n",
          g_list_model_get_n_items (mamori_policy_get_assets (synthetic)));
  printf ("synthetic.scenarios: %u count\n",
          g_list_model_get_n_items (mamori_policy_get_scenarios (synthetic)));
  bench_policy ("synthetic", synthetic, rounds);

  return 0;
}
