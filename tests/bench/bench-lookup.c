/* bench-lookup.c — lookup latency over oita-abcd and a synthetic 10,000-asset policy
 *
 * Prints one figure a line, `name: value unit`: for each policy, the results and the
 * median and 99th percentile of each query of a fixed set (most of which find something,
 * so the figures measure real work), how many queries found something, and the median,
 * 99th percentile and maximum over all.  Target: p99 < 5 ms.
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

/* What staff type, on the preset: names, parts of names, readings, everyday words,
 * sentences; one that finds nothing and one that finds only a common word. */
static const char *const oita_queries[] = {
  "通知表",
  "指導要録",
  "心臓管理",
  "学級通信",
  "動画",
  "成績",
  "ＵＳＢ",
  "ﾊﾟｽﾜｰﾄﾞ",
  "離席",
  "退校時",
  "通知表を自宅で見たい",
  "USBで住所録を持ち帰る",
  "職員会議資料",
  "個人情報を含まない職員会議資料",
  "保健室の記録",
  "せいとめいぼ",
  "ｿﾂｷﾞｮｳｱﾙﾊﾞﾑ",
  "ほけん",
  "家庭訪問で使う名簿",
  "スマホで写真を撮った",
  "閻魔帳",
  "健康診断に関する表簿・歯の検査表",
  "ぴよぴよ",
  "書類を",
};

/* The same kinds of query on the synthetic register; two that find nothing. */
static const char *const synthetic_queries[] = {
  "児童名簿",
  "名簿",
  "生徒の成績一覧を持ち帰りたい",
  "保護者アンケートを家で集計",
  "じどうめいぼ",
  "ｾｲﾄ",
  "がっきゅう",
  "部活動写真",
  "PTA会計簿",
  "ＰＴＡ",
  "特別支援の指導記録",
  "卒業生の連絡網",
  "健康調査",
  "教職員名簿（第4号）",
  "第123号",
  "出張時",
  "家庭訪問",
  "修学旅行",
  "研修時",
  "USB",
  "自宅で作業",
  "USBで名簿を持ち帰る",
  "ぴよぴよ",
  "書類を",
};

/* Pieces that make plausible register names, with their readings. */
static const char *const heads[]
    = { "児童", "生徒", "学年", "学級", "教職員", "保護者", "卒業生", "PTA", "部活動", "特別支援" };
static const char *const head_readings[]
    = { "じどう",   "せいと",         "がくねん",       "がっきゅう", "きょうしょくいん",
        "ほごしゃ", "そつぎょうせい", "ぴーてぃーえー", "ぶかつどう", "とくべつ しえん" };
static const char *const bodies[]
    = { "名簿",   "成績一覧", "健康調査票", "指導記録",   "面談記録", "会計簿",
        "連絡網", "写真",     "作品",       "アンケート", "報告書",   "出欠記録" };
static const char *const body_readings[]
    = { "めいぼ",        "せいせき いちらん", "けんこう ちょうさひょう",
        "しどう きろく", "めんだん きろく",   "かいけいぼ",
        "れんらくもう",  "しゃしん",          "さくひん",
        "あんけーと",    "ほうこくしょ",      "しゅっけつ きろく" };
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
      guint head = i % G_N_ELEMENTS (heads);
      guint body = (i / G_N_ELEMENTS (heads)) % G_N_ELEMENTS (bodies);
      g_autofree char *name = g_strdup_printf ("%s%s（第%u号）", heads[head], bodies[body], i);
      g_autofree char *reading
          = g_strdup_printf ("%s %s", head_readings[head], body_readings[body]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "reading");
      json_builder_add_string_value (b, reading);
      json_builder_set_member_name (b, "keywords");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, scenes[i % G_N_ELEMENTS (scenes)]);
      json_builder_end_array (b);
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

/* The time this thread ran: what a query costs, whatever else the machine is doing. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
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
bench_policy (const char *name,
              MamoriPolicy *policy,
              const char *const *queries,
              guint n_queries,
              guint rounds)
{
  g_autoptr (MamoriLookup) lookup = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) all_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double start = now_ms ();
  guint hits = 0;

  lookup = mamori_lookup_new (policy);
  printf ("%s.index: %.3f ms\n", name, now_ms () - start);

  for (guint q = 0; q < n_queries; q++)
    {
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      guint found = 0;

      for (guint r = 0; r < rounds; r++)
        {
          double t0 = now_ms ();
          double c0 = cpu_ms ();
          g_autoptr (GListModel) results = mamori_lookup_search (lookup, queries[q]);
          double cpu = cpu_ms () - c0;
          double elapsed = now_ms () - t0;

          found = g_list_model_get_n_items (results);
          g_array_append_val (times, elapsed);
          g_array_append_val (all, elapsed);
          g_array_append_val (all_cpu, cpu);
        }
      hits += found > 0;
      printf ("%s.q%02u.results: %u count\n", name, q, found);
      g_array_sort (times, compare_double);
      printf ("%s.q%02u.median: %.4f ms\n", name, q, percentile (times, 0.5));
      printf ("%s.q%02u.p99: %.4f ms\n", name, q, percentile (times, 0.99));
    }

  printf ("%s.queries-with-results: %u of %u count\n", name, hits, n_queries);
  g_array_sort (all, compare_double);
  printf ("%s.all.median: %.4f ms\n", name, percentile (all, 0.5));
  printf ("%s.all.p99: %.4f ms\n", name, percentile (all, 0.99));
  printf ("%s.all.max: %.4f ms\n", name, percentile (all, 1.0));
  g_array_sort (all_cpu, compare_double);
  printf ("%s.all.median.cpu: %.4f ms\n", name, percentile (all_cpu, 0.5));
  printf ("%s.all.p99.cpu: %.4f ms\n", name, percentile (all_cpu, 0.99));
  printf ("%s.all.max.cpu: %.4f ms\n", name, percentile (all_cpu, 1.0));
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

  for (guint q = 0; q < G_N_ELEMENTS (oita_queries); q++)
    printf ("oita.q%02u.query: %s\n", q, oita_queries[q]);
  for (guint q = 0; q < G_N_ELEMENTS (synthetic_queries); q++)
    printf ("synthetic.q%02u.query: %s\n", q, synthetic_queries[q]);

  bench_policy ("oita", oita, oita_queries, G_N_ELEMENTS (oita_queries), rounds);

  json = make_synthetic_policy ();
  start = now_ms ();
  synthetic = mamori_policy_new_from_data (json, strlen (json), "synthetic", &error);
  g_assert_no_error (error);
  printf ("synthetic.load: %.3f ms\n", now_ms () - start);
  printf ("synthetic.assets: %u count\n",
          g_list_model_get_n_items (mamori_policy_get_assets (synthetic)));
  printf ("synthetic.scenarios: %u count\n",
          g_list_model_get_n_items (mamori_policy_get_scenarios (synthetic)));
  bench_policy ("synthetic", synthetic, synthetic_queries, G_N_ELEMENTS (synthetic_queries),
                rounds);

  return 0;
}
