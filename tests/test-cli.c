/* test-cli.c — mamori-cli lookup/policy: exit statuses and the --json contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static const char *cli_path;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *run, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (char *)cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_members (JsonObject *object, const char *const *names)
{
  g_autoptr (GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **)names));
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, names[i]));
}

static void
test_lookup_json_shape (void)
{
  static const char *const top[]
      = { "query", "scheme", "assets", "scenarios", "suggestions", NULL };
  static const char *const asset_members[]
      = { "name",         "category",           "level", "qualifier", "takeout",
          "environments", "environments_basis", NULL };
  static const char *const takeout_members[] = { "rule", "measures", NULL };
  static const char *const env_members[] = { "private-cloud",
                                             "public-cloud",
                                             "learning-server",
                                             "staff-pc",
                                             "remote-access",
                                             "removable-media",
                                             NULL };
  static const char *const args[] = { "lookup", "--json", "通知表", NULL };
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *asset, *environments;
  JsonArray *assets;

  run_cli (&run, args);
  g_assert_cmpint (run.status, ==, 0);

  root = parse_object (parser, run.out);
  assert_members (root, top);
  g_assert_cmpstr (json_object_get_string_member (root, "query"), ==, "通知表");
  g_assert_cmpstr (json_object_get_string_member (root, "scheme"), ==, "oita-abcd");

  assets = json_object_get_array_member (root, "assets");
  g_assert_cmpuint (json_array_get_length (assets), >=, 1);
  asset = json_array_get_object_element (assets, 0);
  assert_members (asset, asset_members);
  g_assert_cmpstr (json_object_get_string_member (asset, "name"), ==, "通知表");
  g_assert_cmpstr (json_object_get_string_member (asset, "level"), ==, "B");
  g_assert_true (json_object_get_null_member (asset, "qualifier"));
  assert_members (json_object_get_object_member (asset, "takeout"), takeout_members);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (asset, "takeout"), "rule"), ==,
      "approval-per-instance");

  environments = json_object_get_object_member (asset, "environments");
  assert_members (environments, env_members);
  g_assert_true (json_object_get_boolean_member (environments, "private-cloud"));
  g_assert_false (json_object_get_boolean_member (environments, "public-cloud"));
  g_assert_true (json_object_get_null_member (environments, "learning-server"));
}

static void
test_lookup_json_scenarios (void)
{
  static const char *const scenario_members[]
      = { "id", "title", "cautions", "prohibitions", "source", NULL };
  static const char *const args[] = { "lookup", "--json", "離席時", NULL };
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *scenario;
  JsonArray *scenarios;

  run_cli (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  scenarios = json_object_get_array_member (root, "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), >=, 1);
  scenario = json_array_get_object_element (scenarios, 0);
  assert_members (scenario, scenario_members);
  g_assert_cmpstr (json_object_get_string_member (scenario, "id"), ==, "leaving-desk");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (scenario, "cautions")), >,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (scenario, "prohibitions")),
                    >, 0);
}

static void
test_lookup_scheme (void)
{
  static const char *const args[] = { "lookup", "--scheme", "mext-2025", "--json", "通知表", NULL };
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "scheme"), ==, "mext-2025");
  g_assert_cmpstr (
      json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (root, "assets"), 0),
          "level"),
      ==, "II");
}

static void
test_lookup_exit_codes (void)
{
  static const char *const found[] = { "lookup", "パスワード", NULL };
  static const char *const none[] = { "lookup", "ぴよぴよ", NULL };
  static const char *const none_json[] = { "lookup", "--json", "ぴよぴよ", NULL };
  static const char *const no_query[] = { "lookup", NULL };
  static const char *const bad_option[] = { "lookup", "--frobnicate", "x", NULL };
  static const char *const bad_scheme[] = { "lookup", "--scheme", "nope", "x", NULL };
  static const char *const no_command[] = { NULL };
  static const char *const bad_command[] = { "frobnicate", NULL };
  g_auto (Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 }, r6 = { 0 }, r7 = { 0 },
               r8 = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&r1, found);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_nonnull (strstr (r1.out, "パスワード"));

  run_cli (&r2, none);
  g_assert_cmpint (r2.status, ==, 1);

  run_cli (&r3, none_json);
  g_assert_cmpint (r3.status, ==, 1);
  root = parse_object (parser, r3.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "assets")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "scenarios")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "suggestions")), ==,
                    0);

  run_cli (&r4, no_query);
  g_assert_cmpint (r4.status, ==, 2);
  run_cli (&r5, bad_option);
  g_assert_cmpint (r5.status, ==, 2);
  run_cli (&r6, bad_scheme);
  g_assert_cmpint (r6.status, ==, 2);
  run_cli (&r7, no_command);
  g_assert_cmpint (r7.status, ==, 2);
  run_cli (&r8, bad_command);
  g_assert_cmpint (r8.status, ==, 2);
}

/* Under LANG=C, as scripts and services often run, Japanese arguments are still text. */
static void
test_c_locale (void)
{
  static const char *const option[] = { "lookup", "--scheme", "日本", "x", NULL };
  static const char *const query[] = { "lookup", "通知表", NULL };
  g_auto (Run) option_run = { 0 };
  g_auto (Run) query_run = { 0 };
  g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));

  g_setenv ("LC_ALL", "C", TRUE);
  run_cli (&option_run, option);
  run_cli (&query_run, query);
  if (saved != NULL)
    g_setenv ("LC_ALL", saved, TRUE);
  else
    g_unsetenv ("LC_ALL");
  g_assert_cmpint (option_run.status, ==, 2);
  g_assert_nonnull (strstr (option_run.err, "“日本”"));
  g_assert_cmpint (query_run.status, ==, 0);
  g_assert_nonnull (strstr (query_run.out, "通知表"));
}

/* A query that is not UTF-8 is a usage error: --json never writes what is not JSON. */
static void
test_lookup_not_utf8 (void)
{
  static const char *const json[] = { "lookup", "--json", "\xff\xfe通知表", NULL };
  g_auto (Run) run = { 0 };

  run_cli (&run, json);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "UTF-8"));
}

/* Nothing found: the names that look like the query, and the scenes to look up. */
static void
test_lookup_nothing_found (void)
{
  static const char *const text[] = { "lookup", "つうちひょお", NULL };
  static const char *const json[] = { "lookup", "--json", "つうちひょお", NULL };
  g_auto (Run) r1 = { 0 }, r2 = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *suggestions;
  JsonObject *first;

  run_cli (&r1, text);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.err, "通知表"));
  g_assert_nonnull (strstr (r1.err, "離席時"));

  run_cli (&r2, json);
  g_assert_cmpint (r2.status, ==, 1);
  suggestions = json_object_get_array_member (parse_object (parser, r2.out), "suggestions");
  g_assert_cmpuint (json_array_get_length (suggestions), >=, 1);
  first = json_array_get_object_element (suggestions, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "asset");
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "通知表");
  g_assert_cmpstr (json_object_get_string_member (first, "level"), ==, "B");
}

/* A reading of the source carries "basis"; the source's words carry nothing. */
static void
test_lookup_json_basis (void)
{
  static const char *const asset_args[] = { "lookup", "--json", "進路のしおり", NULL };
  static const char *const level_args[] = { "lookup", "--json", "通知表", NULL };
  static const char *const scene_args[] = { "lookup", "--json", "クラウド", NULL };
  g_auto (Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  g_autoptr (JsonParser) p1 = json_parser_new ();
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_autoptr (JsonParser) p3 = json_parser_new ();
  JsonObject *asset, *basis, *scenario, *environments_basis;
  JsonArray *prohibitions_basis;
  gboolean any_reading = FALSE;

  run_cli (&r1, asset_args);
  g_assert_cmpint (r1.status, ==, 0);
  asset = json_array_get_object_element (
      json_object_get_array_member (parse_object (p1, r1.out), "assets"), 0);
  basis = json_object_get_object_member (asset, "basis");
  g_assert_cmpstr (json_object_get_string_member (basis, "kind"), ==, "reading");
  g_assert_nonnull (strstr (json_object_get_string_member (basis, "note"), "事例2-2-1"));

  run_cli (&r2, level_args);
  asset = json_array_get_object_element (
      json_object_get_array_member (parse_object (p2, r2.out), "assets"), 0);
  g_assert_false (json_object_has_member (asset, "basis"));
  g_assert_false (json_object_has_member (asset, "level_basis"));
  g_assert_false (
      json_object_has_member (json_object_get_object_member (asset, "takeout"), "basis"));
  environments_basis = json_object_get_object_member (asset, "environments_basis");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (environments_basis, "remote-access"), "kind"),
                   ==, "reading");
  g_assert_false (json_object_has_member (environments_basis, "public-cloud"));

  run_cli (&r3, scene_args);
  scenario = json_array_get_object_element (
      json_object_get_array_member (parse_object (p3, r3.out), "scenarios"), 0);
  g_assert_cmpstr (json_object_get_string_member (scenario, "id"), ==, "cloud");
  g_assert_false (json_object_has_member (scenario, "cautions_basis"));
  prohibitions_basis = json_object_get_array_member (scenario, "prohibitions_basis");
  g_assert_cmpuint (
      json_array_get_length (prohibitions_basis), ==,
      json_array_get_length (json_object_get_array_member (scenario, "prohibitions")));
  for (guint i = 0; i < json_array_get_length (prohibitions_basis); i++)
    if (!JSON_NODE_HOLDS_NULL (json_array_get_element (prohibitions_basis, i)))
      any_reading = TRUE;
  g_assert_true (any_reading);
}

/* A scheme of several axes gives each asset's value on each. */
static void
test_lookup_json_axes (void)
{
  static const char policy[]
      = "{\"format\":1,\"id\":\"cia\",\"title\":\"T\",\"source\":\"S\",\"levels_axis\":\"機密性\","
        "\"levels\":[{\"id\":\"C1\",\"label\":\"機密性1\",\"definition\":\"D\","
        "\"personal_info\":false,\"takeout\":{\"rule\":\"approval-blanket\",\"measures\":[]}}],"
        "\"axes\":[{\"id\":\"integrity\",\"label\":\"完全性\",\"values\":[{\"id\":\"I2\","
        "\"label\":\"完全性2\",\"definition\":\"D\"}]},{\"id\":\"availability\",\"label\":"
        "\"可用性\",\"values\":[{\"id\":\"A2\",\"label\":\"可用性2\",\"definition\":\"D\"}]}],"
        "\"categories\":[{\"id\":\"c\",\"label\":\"分類\"}],\"assets\":[{\"name\":\"住民台帳\","
        "\"category\":\"c\",\"level\":\"C1\",\"axes\":{\"integrity\":\"I2\"}}],\"scenarios\":[]}";
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *path = g_build_filename (dir, "cia.json", NULL);
  const char *args[] = { "lookup", "--json", "--policy-file", path, "住民台帳", NULL };
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *axes;

  g_assert_true (g_file_set_contents (path, policy, -1, NULL));
  run_cli (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  axes = json_object_get_object_member (
      json_array_get_object_element (
          json_object_get_array_member (parse_object (parser, run.out), "assets"), 0),
      "axes");
  g_assert_cmpstr (json_object_get_string_member (axes, "integrity"), ==, "I2");
  g_assert_true (json_object_get_null_member (axes, "availability"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_policy_show (void)
{
  static const char *const text[] = { "policy", "show", NULL };
  static const char *const json[] = { "policy", "show", "--json", "--scheme", "suginami-3", NULL };
  static const char *const list[] = { "policy", "list", NULL };
  g_auto (Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&r1, text);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_nonnull (strstr (r1.out, "重要度A"));

  run_cli (&r2, json);
  g_assert_cmpint (r2.status, ==, 0);
  root = parse_object (parser, r2.out);
  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, "suginami-3");

  run_cli (&r3, list);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_true (g_str_has_prefix (r3.out, "oita-abcd\t"));
}

static void
test_policy_file_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  const char *args[] = { "policy", "show", "--policy-file", path, NULL };
  g_auto (Run) run = { 0 };

  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  const char *show_missing[] = { "policy", "show", "--policy-file", missing, NULL };
  const char *lookup[] = { "lookup", "--policy-file", path, "通知表", NULL };
  const char *handbook[] = { "handbook", "export", "--policy-file", path, "out.pdf", NULL };
  g_auto (Run) missing_run = { 0 };
  g_auto (Run) lookup_run = { 0 };
  g_auto (Run) handbook_run = { 0 };

  /* A file that is not JSON, and one that is JSON but not a policy: an input file with
   * errors (9) for every command that reads one; a file that cannot be read: 6. */
  g_assert_true (g_file_set_contents (path, "{\"format\": 1, \"id\": \"x\"", -1, NULL));
  run_cli (&run, args);
  g_assert_cmpint (run.status, ==, 9);
  /* The message names the file. */
  g_assert_nonnull (strstr (run.err, "broken.json"));

  g_assert_true (g_file_set_contents (path, "{\"format\": 1, \"id\": \"x\"}", -1, NULL));
  run_cli (&lookup_run, lookup);
  g_assert_cmpint (lookup_run.status, ==, 9);
  run_cli (&handbook_run, handbook);
  g_assert_cmpint (handbook_run.status, ==, 9);

  run_cli (&missing_run, show_missing);
  g_assert_cmpint (missing_run.status, ==, 6);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_lookup_vault (void)
{
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *vault = g_build_filename (dir, "school.mamori", NULL);
  g_autofree char *good = g_build_filename (dir, "good", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad", NULL);
  const char *create[] = { "vault",
                           "create",
                           "--vault",
                           vault,
                           "--school",
                           "さくら小学校",
                           "--user",
                           "山田 花子",
                           "--role",
                           "vice-principal",
                           "--passphrase-file",
                           good,
                           NULL };
  const char *lookup[]
      = { "lookup", "--vault", vault,    "--user", "山田 花子", "--passphrase-file",
          good,     "--json",  "通知表", NULL };
  const char *wrong[] = { "lookup", "--vault", vault, "--user", "山田 花子", "--passphrase-file",
                          bad,      "通知表",  NULL };
  const char *both[] = { "lookup", "--vault", vault, "--scheme", "mext-2025", "通知表", NULL };
  g_auto (Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (g_file_set_contents (good, "correct horse battery\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "wrong horse battery\n", -1, NULL));

  run_cli (&r1, create);
  g_assert_cmpint (r1.status, ==, 0);

  /* The policy comes from the vault: the one stored at creation, oita-abcd. */
  run_cli (&r2, lookup);
  g_assert_cmpint (r2.status, ==, 0);
  root = parse_object (parser, r2.out);
  g_assert_cmpstr (json_object_get_string_member (root, "scheme"), ==, "oita-abcd");

  run_cli (&r3, wrong);
  g_assert_cmpint (r3.status, ==, 3);
  run_cli (&r4, both);
  g_assert_cmpint (r4.status, ==, 2);
}

/* Every group of commands answers alike: --help lists its commands on standard output
 * (0); no command or an unknown one is a usage error (2) naming what was typed. */
static void
test_command_groups (void)
{
  static const char *const groups[] = { "vault", "takeout", "register", "handbook" };

  for (gsize i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      const char *help[] = { groups[i], "--help", NULL };
      const char *none[] = { groups[i], NULL };
      const char *unknown[] = { groups[i], "no-such-command", NULL };
      g_auto (Run) help_run = { 0 };
      g_auto (Run) none_run = { 0 };
      g_auto (Run) unknown_run = { 0 };

      run_cli (&help_run, help);
      g_assert_cmpint (help_run.status, ==, 0);
      g_assert_nonnull (strstr (help_run.out, "Usage: mamori-cli"));
      run_cli (&none_run, none);
      g_assert_cmpint (none_run.status, ==, 2);
      g_assert_nonnull (strstr (none_run.err, "Usage: mamori-cli"));
      run_cli (&unknown_run, unknown);
      g_assert_cmpint (unknown_run.status, ==, 2);
      g_assert_nonnull (strstr (unknown_run.err, "“no-such-command” is not a command"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The path of mamori-cli in the build tree, from meson. */
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];
  /* Vaults made here use the test-only fast key derivation (docs/architecture.md). */
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);

  g_test_add_func ("/cli/command-groups", test_command_groups);
  g_test_add_func ("/cli/lookup/json-shape", test_lookup_json_shape);
  g_test_add_func ("/cli/lookup/json-scenarios", test_lookup_json_scenarios);
  g_test_add_func ("/cli/lookup/scheme", test_lookup_scheme);
  g_test_add_func ("/cli/lookup/exit-codes", test_lookup_exit_codes);
  g_test_add_func ("/cli/lookup/nothing-found", test_lookup_nothing_found);
  g_test_add_func ("/cli/lookup/not-utf8", test_lookup_not_utf8);
  g_test_add_func ("/cli/c-locale", test_c_locale);
  g_test_add_func ("/cli/lookup/json-basis", test_lookup_json_basis);
  g_test_add_func ("/cli/lookup/json-axes", test_lookup_json_axes);
  g_test_add_func ("/cli/policy/show", test_policy_show);
  g_test_add_func ("/cli/policy/file-errors", test_policy_file_errors);
  g_test_add_func ("/cli/lookup/vault", test_lookup_vault);

  return g_test_run ();
}
