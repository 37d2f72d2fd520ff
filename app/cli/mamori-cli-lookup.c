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

static void
add_asset (JsonBuilder *builder, MamoriAsset *asset)
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
  json_builder_end_object (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  mamori_cli_out ("%s\n", text);
}

static void
print_results_json (const char *query, MamoriPolicy *policy, GListModel *results)
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
        add_asset (builder, mamori_lookup_result_get_asset (result));
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
  json_builder_end_object (builder);

  print_json (builder);
}

static void
print_list (const char *heading, const char *const *items)
{
  if (items[0] == NULL)
    return;
  mamori_cli_out ("  %s\n", heading);
  for (guint i = 0; items[i] != NULL; i++)
    mamori_cli_out ("    ・%s\n", items[i]);
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
    }
}

static void
print_asset_text (MamoriAsset *asset)
{
  MamoriLevel *level = mamori_asset_get_level (asset);
  const char *takeout_text = mamori_level_get_takeout_text (level);

  mamori_cli_out ("%s  [%s / %s]\n", mamori_asset_get_display_name (asset),
                  mamori_level_get_label (level), mamori_asset_get_category_label (asset));
  if (mamori_asset_get_note (asset) != NULL)
    mamori_cli_out ("  ※%s\n", mamori_asset_get_note (asset));
  mamori_cli_out ("  %s %s%s%s\n", _ ("Take-out:"),
                  mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)),
                  takeout_text ? " — " : "", takeout_text ? takeout_text : "");
  print_list (_ ("Measures:"), mamori_level_get_measures (level));
  print_list (_ ("Storage:"), mamori_level_get_storage (level));
  print_environments (level);
  mamori_cli_out ("\n");
}

static void
print_scenario_text (MamoriScenario *scenario)
{
  mamori_cli_out ("%s\n", mamori_scenario_get_title (scenario));
  print_list (_ ("Cautions:"), mamori_scenario_get_cautions (scenario));
  print_list (_ ("Prohibitions:"), mamori_scenario_get_prohibitions (scenario));
  mamori_cli_out ("  %s %s\n\n", _ ("Source:"), mamori_scenario_get_source (scenario));
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
  g_autofree char *query = NULL;

  if (!mamori_cli_parse ("lookup", _ ("QUERY"),
                         _ ("Finds assets and scenarios, best match first, in a preset, a "
                            "policy file or the policy stored in a school’s vault.\n\n"
                            "Exit status: 0 with results, 1 with none, 2 on a usage error; "
                            "with --vault also 3, 4 and 5 as for “mamori-cli vault”."),
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
  lookup = mamori_lookup_new (policy);
  results = mamori_lookup_search (lookup, query);

  if (json)
    print_results_json (query, policy, results);
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
        mamori_cli_err (_ ("Nothing found for “%s”"), query);
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
      print_list (_ ("Measures:"), mamori_level_get_measures (level));
      print_list (_ ("Storage:"), mamori_level_get_storage (level));
      print_list (_ ("Disposal:"), mamori_level_get_disposal (level));
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

  if (!mamori_cli_parse ("policy", _ ("show | list"),
                         _ ("“show” prints a policy (validating a --policy-file); “list” "
                            "prints the presets."),
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
      mamori_cli_err (_ ("Use “mamori-cli policy show” or “mamori-cli policy list”"));
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
