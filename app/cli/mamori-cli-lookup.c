/* mamori-cli-lookup.c — `mamori-cli lookup` and `mamori-cli policy`
 *
 * The --json shapes are a contract with scripts (docs/cli.md): change them only by
 * adding members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-lookup.h"

/* Names offered when a query finds nothing. */
#define MAX_SUGGESTIONS 5

static void
add_strv (JsonBuilder *builder, const char *member, const char *const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_nullable_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* {"kind": "reading", "note": "…"}; nothing at all for the source's words. */
static void
add_basis (JsonBuilder *builder, const char *member, const MamoriBasis *basis)
{
  if (basis == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  add_nullable_string (builder, "kind",
                       mamori_basis_kind_to_string (mamori_basis_get_kind (basis)));
  add_nullable_string (builder, "note", mamori_basis_get_note (basis));
  json_builder_end_object (builder);
}

typedef const MamoriBasis *(*BasisAt) (gpointer owner, guint index);

/* "X_basis" beside a list X: one entry per text, null for the source's words; only when
 * some text is not. */
static void
add_list_basis (JsonBuilder *builder,
                const char *member,
                const char *const *texts,
                gpointer owner,
                BasisAt basis_at)
{
  gboolean any = FALSE;

  for (guint i = 0; texts[i] != NULL; i++)
    any = any || basis_at (owner, i) != NULL;
  if (!any)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      const MamoriBasis *basis = basis_at (owner, i);

      if (basis == NULL)
        {
          json_builder_add_null_value (builder);
          continue;
        }
      json_builder_begin_object (builder);
      add_nullable_string (builder, "kind",
                           mamori_basis_kind_to_string (mamori_basis_get_kind (basis)));
      add_nullable_string (builder, "note", mamori_basis_get_note (basis));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_environments_basis (JsonBuilder *builder, MamoriLevel *level)
{
  gboolean any = FALSE;

  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    any = any || mamori_level_get_environment_basis (level, env) != NULL;
  if (!any)
    return;

  json_builder_set_member_name (builder, "environments_basis");
  json_builder_begin_object (builder);
  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    add_basis (builder, mamori_environment_to_string (env),
               mamori_level_get_environment_basis (level, env));
  json_builder_end_object (builder);
}

static void
add_axes (JsonBuilder *builder, MamoriPolicy *policy, MamoriAsset *asset)
{
  GListModel *axes = mamori_policy_get_axes (policy);

  if (g_list_model_get_n_items (axes) == 0)
    return;

  json_builder_set_member_name (builder, "axes");
  json_builder_begin_object (builder);
  for (guint i = 0; i < g_list_model_get_n_items (axes); i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      MamoriAxisValue *value = mamori_asset_get_axis_value (asset, mamori_axis_get_id (axis));

      add_nullable_string (builder, mamori_axis_get_id (axis),
                           value ? mamori_axis_value_get_id (value) : NULL);
    }
  json_builder_end_object (builder);
}

static void
add_asset (JsonBuilder *builder, MamoriPolicy *policy, MamoriAsset *asset)
{
  MamoriLevel *level = mamori_asset_get_level (asset);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "name", mamori_asset_get_name (asset));
  add_nullable_string (builder, "category", mamori_asset_get_category_label (asset));
  add_nullable_string (builder, "level", mamori_level_get_id (level));
  add_nullable_string (builder, "qualifier", mamori_asset_get_qualifier (asset));

  json_builder_set_member_name (builder, "takeout");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "rule",
                       mamori_takeout_rule_to_string (mamori_level_get_takeout_rule (level)));
  add_strv (builder, "measures", mamori_level_get_measures (level));
  add_basis (builder, "basis", mamori_level_get_takeout_basis (level));
  add_list_basis (builder, "measures_basis", mamori_level_get_measures (level), level,
                  (BasisAt)mamori_level_get_measure_basis);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "environments");
  json_builder_begin_object (builder);
  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    {
      MamoriPermission permission = mamori_level_get_environment (level, env);

      json_builder_set_member_name (builder, mamori_environment_to_string (env));
      if (permission == MAMORI_PERMISSION_UNSTATED)
        json_builder_add_null_value (builder);
      else
        json_builder_add_boolean_value (builder, permission == MAMORI_PERMISSION_ALLOWED);
    }
  json_builder_end_object (builder);
  add_environments_basis (builder, level);
  add_axes (builder, policy, asset);
  add_basis (builder, "basis", mamori_asset_get_basis (asset));
  add_basis (builder, "level_basis", mamori_level_get_basis (level));
  json_builder_end_object (builder);
}

static void
add_scenario (JsonBuilder *builder, MamoriScenario *scenario)
{
  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", mamori_scenario_get_id (scenario));
  add_nullable_string (builder, "title", mamori_scenario_get_title (scenario));
  add_strv (builder, "cautions", mamori_scenario_get_cautions (scenario));
  add_strv (builder, "prohibitions", mamori_scenario_get_prohibitions (scenario));
  add_nullable_string (builder, "source", mamori_scenario_get_source (scenario));
  add_basis (builder, "basis", mamori_scenario_get_basis (scenario));
  add_list_basis (builder, "cautions_basis", mamori_scenario_get_cautions (scenario), scenario,
                  (BasisAt)mamori_scenario_get_caution_basis);
  add_list_basis (builder, "prohibitions_basis", mamori_scenario_get_prohibitions (scenario),
                  scenario, (BasisAt)mamori_scenario_get_prohibition_basis);
  json_builder_end_object (builder);
}

static void
add_suggestions (JsonBuilder *builder, GListModel *suggestions)
{
  json_builder_set_member_name (builder, "suggestions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (suggestions); i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (suggestions, i);
      MamoriAsset *asset = mamori_lookup_result_get_asset (result);
      MamoriScenario *scenario = mamori_lookup_result_get_scenario (result);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "kind", asset ? "asset" : "scenario");
      if (asset != NULL)
        {
          add_nullable_string (builder, "name", mamori_asset_get_display_name (asset));
          add_nullable_string (builder, "level",
                               mamori_level_get_id (mamori_asset_get_level (asset)));
        }
      else
        {
          add_nullable_string (builder, "id", mamori_scenario_get_id (scenario));
          add_nullable_string (builder, "title", mamori_scenario_get_title (scenario));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_results_json (const char *query,
                    MamoriPolicy *policy,
                    GListModel *results,
                    GListModel *suggestions)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (results);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "query", query);
  add_nullable_string (builder, "scheme", mamori_policy_get_id (policy));

  json_builder_set_member_name (builder, "assets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);
      if (mamori_lookup_result_get_asset (result) != NULL)
        add_asset (builder, policy, mamori_lookup_result_get_asset (result));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "scenarios");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);
      if (mamori_lookup_result_get_scenario (result) != NULL)
        add_scenario (builder, mamori_lookup_result_get_scenario (result));
    }
  json_builder_end_array (builder);
  add_suggestions (builder, suggestions);
  json_builder_end_object (builder);

  mamori_cli_out_json (builder);
}

/* A reading of the source (or the school's or board's rule) under what it marks. */
static void
print_basis (const char *indent, const MamoriBasis *basis)
{
  const char *label;

  if (basis == NULL)
    return;
  label = mamori_basis_kind_get_label (mamori_basis_get_kind (basis));
  if (mamori_basis_get_note (basis) != NULL)
    /* Translators: a marker under a rule, e.g. 「［解釈］図表16の…」. */
    mamori_cli_out (_ ("%s[%s] %s\n"), indent, label, mamori_basis_get_note (basis));
  else
    mamori_cli_out (_ ("%s[%s]\n"), indent, label);
}

static void
print_list (const char *heading, const char *const *items, gpointer owner, BasisAt basis_at)
{
  if (items[0] == NULL)
    return;
  mamori_cli_out ("  %s\n", heading);
  for (guint i = 0; items[i] != NULL; i++)
    {
      mamori_cli_out ("    ・%s\n", items[i]);
      print_basis ("      ", basis_at (owner, i));
    }
}

static void
print_environments (MamoriLevel *level)
{
  mamori_cli_out ("  %s\n", _ ("Where it may be handled:"));
  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    {
      MamoriPermission permission = mamori_level_get_environment (level, env);
      const char *answer = permission == MAMORI_PERMISSION_ALLOWED ? _ ("Allowed")
                           : permission == MAMORI_PERMISSION_DENIED
                               ? _ ("Not allowed")
                               : _ ("Not stated in the policy");
      mamori_cli_out ("    %s: %s\n", mamori_environment_get_label (env), answer);
      print_basis ("      ", mamori_level_get_environment_basis (level, env));
    }
}

static void
print_asset_text (MamoriAsset *asset)
{
  MamoriLevel *level = mamori_asset_get_level (asset);
  const char *takeout_text = mamori_level_get_takeout_text (level);

  mamori_cli_out ("%s  [%s / %s]\n", mamori_asset_get_display_name (asset),
                  mamori_level_get_label (level), mamori_asset_get_category_label (asset));
  print_basis ("  ", mamori_asset_get_basis (asset));
  if (mamori_asset_get_note (asset) != NULL)
    mamori_cli_out ("  ※%s\n", mamori_asset_get_note (asset));
  mamori_cli_out ("  %s %s%s%s\n", _ ("Take-out:"),
                  mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)),
                  takeout_text ? " — " : "", takeout_text ? takeout_text : "");
  print_basis ("    ", mamori_level_get_takeout_basis (level));
  print_list (_ ("Measures:"), mamori_level_get_measures (level), level,
              (BasisAt)mamori_level_get_measure_basis);
  print_list (_ ("Storage:"), mamori_level_get_storage (level), level,
              (BasisAt)mamori_level_get_storage_basis);
  print_environments (level);
  mamori_cli_out ("\n");
}

static void
print_scenario_text (MamoriScenario *scenario)
{
  mamori_cli_out ("%s\n", mamori_scenario_get_title (scenario));
  print_basis ("  ", mamori_scenario_get_basis (scenario));
  print_list (_ ("Cautions:"), mamori_scenario_get_cautions (scenario), scenario,
              (BasisAt)mamori_scenario_get_caution_basis);
  print_list (_ ("Prohibitions:"), mamori_scenario_get_prohibitions (scenario), scenario,
              (BasisAt)mamori_scenario_get_prohibition_basis);
  mamori_cli_out ("  %s %s\n\n", _ ("Source:"), mamori_scenario_get_source (scenario));
}

/* What to try instead: the names that look like the query, and the scenes. */
static void
print_nothing_found (const char *query, MamoriPolicy *policy, GListModel *suggestions)
{
  GListModel *scenarios = mamori_policy_get_scenarios (policy);
  g_autoptr (GString) names = g_string_new (NULL);
  g_autoptr (GString) scenes = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (suggestions); i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (suggestions, i);
      MamoriAsset *asset = mamori_lookup_result_get_asset (result);

      g_string_append_printf (
          names, "%s%s", i > 0 ? "、" : "",
          asset ? mamori_asset_get_display_name (asset)
                : mamori_scenario_get_title (mamori_lookup_result_get_scenario (result)));
    }
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      g_string_append_printf (scenes, "%s%s", i > 0 ? "、" : "",
                              mamori_scenario_get_title (scenario));
    }

  mamori_cli_err (_ ("Nothing found for “%s”"), query);
  if (names->len > 0)
    mamori_cli_err (_ ("Did you mean: %s"), names->str);
  if (scenes->len > 0)
    mamori_cli_err (_ ("Situations to look up: %s"), scenes->str);
}

/* The school's policy as stored in its vault (a school's 実施手順 is not public, so
 * the vault is where it lives). */
static int
load_vault_policy (const char *path,
                   const char *user,
                   const char *passphrase_file,
                   MamoriPolicy **out_policy)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  int status = mamori_cli_open_vault (path, user, passphrase_file, NULL, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  *out_policy = mamori_vault_load_policy (vault, &error);
  if (*out_policy == NULL)
    return mamori_cli_vault_fail (error);
  return MAMORI_EXIT_OK;
}

int
mamori_cli_lookup (int argc, char **argv)
{
  g_autofree char *scheme = NULL;
  g_autofree char *policy_file = NULL;
  g_autofree char *vault_path = NULL;
  g_autofree char *user = NULL;
  g_autofree char *passphrase_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "scheme", 's', 0, G_OPTION_ARG_STRING, &scheme, N_ ("Policy preset to search"), N_ ("ID") },
    { "policy-file", 0, 0, G_OPTION_ARG_FILENAME, &policy_file, N_ ("Policy file to search"),
      N_ ("FILE") },
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_path,
      N_ ("Search the policy stored in this vault"), N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the results as JSON"), NULL },
    { NULL },
  };
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (MamoriLookup) lookup = NULL;
  int status;
  g_autoptr (GListModel) results = NULL;
  g_autoptr (GListModel) suggestions = NULL;
  g_autofree char *query = NULL;

  if (!mamori_cli_parse ("lookup", _ ("QUERY"),
                         _ ("Finds assets and scenarios, best match first, in a preset, a "
                            "policy file or the policy stored in a school’s vault.\n\n"
                            "Exit status: 0 with results, 1 with none, 2 on a usage error, 9 when "
                            "the --policy-file is not a valid policy; with --vault also 3, 4 "
                            "and 5 as for “mamori-cli vault”."),
                         entries, &argc, &argv))
    return MAMORI_EXIT_USAGE;
  if (argc < 2)
    {
      mamori_cli_err (_ ("Give a query, for example: mamori-cli lookup 通知表"));
      return MAMORI_EXIT_USAGE;
    }
  if ((scheme != NULL) + (policy_file != NULL) + (vault_path != NULL) > 1)
    {
      mamori_cli_err (_ ("Use only one of --scheme, --policy-file and --vault"));
      return MAMORI_EXIT_USAGE;
    }

  status = vault_path != NULL ? load_vault_policy (vault_path, user, passphrase_file, &policy)
                              : mamori_cli_load_policy (scheme, policy_file, &policy);
  if (status != MAMORI_EXIT_OK)
    return status;

  /* Several words are one query: 「通知表 自宅」 is searched as typed, spaces folded. */
  query = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (query, -1, NULL))
    {
      mamori_cli_err (_ ("The query is not UTF-8 text: type it in a UTF-8 terminal"));
      return MAMORI_EXIT_USAGE;
    }
  lookup = mamori_lookup_new (policy);
  results = mamori_lookup_search (lookup, query);
  suggestions = g_list_model_get_n_items (results) == 0
                    ? mamori_lookup_suggest (lookup, query, MAX_SUGGESTIONS)
                    : G_LIST_MODEL (g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT));

  if (json)
    print_results_json (query, policy, results, suggestions);
  else
    for (guint i = 0; i < g_list_model_get_n_items (results); i++)
      {
        g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);

        if (mamori_lookup_result_get_asset (result) != NULL)
          print_asset_text (mamori_lookup_result_get_asset (result));
        else
          print_scenario_text (mamori_lookup_result_get_scenario (result));
      }

  if (g_list_model_get_n_items (results) == 0)
    {
      if (!json)
        print_nothing_found (query, policy, suggestions);
      return MAMORI_EXIT_NOTHING_FOUND;
    }
  return MAMORI_EXIT_OK;
}

static void
print_policy_text (MamoriPolicy *policy)
{
  GListModel *levels = mamori_policy_get_levels (policy);
  GListModel *scenarios = mamori_policy_get_scenarios (policy);

  mamori_cli_out ("%s (%s)\n", mamori_policy_get_title (policy), mamori_policy_get_id (policy));
  mamori_cli_out ("%s %s\n\n", _ ("Source:"), mamori_policy_get_source (policy));

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autoptr (GPtrArray) assets = mamori_policy_get_assets_at_level (policy, level);

      mamori_cli_out ("%s — %s\n", mamori_level_get_label (level),
                      mamori_level_get_definition (level));
      mamori_cli_out ("  %s %s\n", _ ("Take-out:"),
                      mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)));
      print_basis ("  ", mamori_level_get_basis (level));
      print_basis ("    ", mamori_level_get_takeout_basis (level));
      print_list (_ ("Measures:"), mamori_level_get_measures (level), level,
                  (BasisAt)mamori_level_get_measure_basis);
      print_list (_ ("Storage:"), mamori_level_get_storage (level), level,
                  (BasisAt)mamori_level_get_storage_basis);
      print_list (_ ("Disposal:"), mamori_level_get_disposal (level), level,
                  (BasisAt)mamori_level_get_disposal_basis);
      print_environments (level);
      mamori_cli_out ("  %s", _ ("Assets:"));
      for (guint j = 0; j < assets->len; j++)
        mamori_cli_out ("%s%s", j == 0 ? " " : "、",
                        mamori_asset_get_display_name (g_ptr_array_index (assets, j)));
      mamori_cli_out ("\n\n");
    }

  mamori_cli_out ("%s\n", _ ("Scenarios:"));
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);
      mamori_cli_out ("  %s (%s)\n", mamori_scenario_get_title (scenario),
                      mamori_scenario_get_id (scenario));
    }
}

int
mamori_cli_policy (int argc, char **argv)
{
  g_autofree char *scheme = NULL;
  g_autofree char *policy_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "scheme", 's', 0, G_OPTION_ARG_STRING, &scheme, N_ ("Policy preset"), N_ ("ID") },
    { "policy-file", 0, 0, G_OPTION_ARG_FILENAME, &policy_file,
      N_ ("Policy file to check and show"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the policy as JSON"), NULL },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  int status;

  if (argc >= 2 && g_str_equal (argv[1], "install"))
    return mamori_cli_policy_install (argc - 1, argv + 1);
  if (!mamori_cli_parse ("policy", _ ("show | list | install"),
                         _ ("“show” prints a policy (validating a --policy-file); “list” "
                            "prints the presets; “install” puts one in force in a vault "
                            "(mamori-cli policy install --help)."),
                         entries, &argc, &argv))
    return MAMORI_EXIT_USAGE;

  if (argc == 2 && g_str_equal (argv[1], "list"))
    {
      const char *const *presets = mamori_policy_list_presets ();

      for (guint i = 0; presets[i] != NULL; i++)
        {
          g_autoptr (MamoriPolicy) preset = mamori_policy_new_from_preset (presets[i], &error);

          if (preset == NULL)
            {
              mamori_cli_err ("%s", error->message);
              return MAMORI_EXIT_FAILURE;
            }
          mamori_cli_out ("%s\t%s\n", presets[i], mamori_policy_get_title (preset));
        }
      return MAMORI_EXIT_OK;
    }
  if (argc != 2 || !g_str_equal (argv[1], "show"))
    {
      mamori_cli_err (_ ("Use “mamori-cli policy show”, “policy list” or “policy install”"));
      return MAMORI_EXIT_USAGE;
    }
  if (scheme != NULL && policy_file != NULL)
    {
      mamori_cli_err (_ ("--scheme and --policy-file cannot be used together"));
      return MAMORI_EXIT_USAGE;
    }

  status = mamori_cli_load_policy (scheme, policy_file, &policy);
  if (status != MAMORI_EXIT_OK)
    return status;

  if (json)
    {
      g_autofree char *text = mamori_policy_to_json (policy, NULL);
      mamori_cli_out ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
    }
  else
    print_policy_text (policy);
  return MAMORI_EXIT_OK;
}
