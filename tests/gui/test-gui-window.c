/* test-gui-window.c — the main window, the lookup page and the detail pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-asset-detail.h"
#include "mamori-columns.h"
#include "mamori-level-badge.h"
#include "mamori-scenario-detail.h"
#include "mamori-test-util.h"
#include "mamori-window.h"

/* Five levels: more than style.css has colours for. */
static const char five_level_policy[]
    = "{\"format\": 1, \"id\": \"five\", \"title\": \"五段階\", \"source\": \"テスト\","
      " \"levels\": ["
      "  {\"id\": \"1\", \"label\": \"一\", \"definition\": \"最重要\", \"personal_info\": true,"
      "   \"takeout\": {\"rule\": \"forbidden\", \"measures\": []}},"
      "  {\"id\": \"2\", \"label\": \"二\", \"definition\": \"重要\", \"personal_info\": true,"
      "   \"takeout\": {\"rule\": \"approval-per-instance\", \"measures\": []}},"
      "  {\"id\": \"3\", \"label\": \"三\", \"definition\": \"中\", \"personal_info\": false,"
      "   \"takeout\": {\"rule\": \"approval-blanket\", \"measures\": []}},"
      "  {\"id\": \"4\", \"label\": \"四\", \"definition\": \"低\", \"personal_info\": false,"
      "   \"takeout\": {\"rule\": \"notify\", \"measures\": []}},"
      "  {\"id\": \"5\", \"label\": \"五\", \"definition\": \"公開\", \"personal_info\": false,"
      "   \"takeout\": {\"rule\": \"free\", \"measures\": []}}],"
      " \"categories\": [{\"id\": \"c\", \"label\": \"分類\"}],"
      " \"assets\": [], \"scenarios\": []}";

static MamoriWindow *
create_window (MamoriLookup *lookup)
{
  MamoriWindow *window = g_object_new (MAMORI_TYPE_WINDOW, "lookup", lookup, NULL);

  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();

  return window;
}

static void
destroy_window (MamoriWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_finalize_object (window);
}

static gboolean
is_on_home (MamoriWindow *window)
{
  return gtk_widget_is_ancestor (GTK_WIDGET (mamori_window_get_lookup_page (window)),
                                 mamori_window_get_visible_page (window));
}

/* Going back removes the page left behind once the transition is over. */
static void
go_back_and_wait_for_finalize (MamoriWindow *window, GtkWidget *page)
{
  GtkWidget *weak = page;

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *)&weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  while (weak != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static guint
first_result_of_kind (GListModel *results, MamoriLookupKind kind)
{
  guint n = g_list_model_get_n_items (results);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (results, i);

      if (mamori_lookup_result_get_kind (result) == kind)
        return i;
    }

  g_assert_not_reached ();
}

static GtkWidget *
find_activatable_row (GtkWidget *root)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (GTK_IS_LIST_BOX_ROW (root) && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (root)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_activatable_row (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_opens_on_lookup_page (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  GListModel *scenarios = mamori_policy_get_scenarios (mamori_lookup_get_policy (lookup));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *entry;
  GtkWidget *shortcut;
  const char *first_shortcut = NULL;
  guint n_shortcuts = 0;

  g_assert_true (is_on_home (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (mamori_lookup_page_get_lookup (page) == lookup);

  /* The search entry has the focus, so typing searches at once; it has a name. */
  g_assert_nonnull (focus);
  entry = gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       _ ("Search the policy"));

  /* One shortcut per scenario the policy offers as one, and no results yet. */
  for (guint i = 0; i < g_list_model_get_n_items (scenarios); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);

      if (!mamori_scenario_get_shortcut (scenario))
        continue;
      if (n_shortcuts++ == 0)
        first_shortcut = mamori_scenario_get_title (scenario);
    }
  g_assert_cmpuint (n_shortcuts, >=, 8);
  g_assert_cmpuint (mamori_test_count_actionables (GTK_WIDGET (page), "lookup.show-scenario"), ==,
                    n_shortcuts);
  /* A shortcut is a button around an icon and a label: GTK 4.8 names such a button by
   * its type ("GtkButton") unless it is given a name. */
  shortcut = mamori_test_find_actionable (GTK_WIDGET (page), "lookup.show-scenario");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (shortcut), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       first_shortcut);
  g_assert_cmpuint (g_list_model_get_n_items (mamori_lookup_page_get_results (page)), ==, 0);

  destroy_window (window);
}

static void
test_window_search (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  g_autoptr (MamoriLookupResult) first = NULL;
  GListModel *results;
  GtkWidget *list_view;
  MamoriAsset *asset;

  /* Typing fills the results, best first, and shows them. */
  results = mamori_test_search (page, "通知表");
  g_assert_cmpstr (mamori_lookup_page_get_query (page), ==, "通知表");
  g_assert_cmpuint (g_list_model_get_n_items (results), >, 0);
  first = g_list_model_get_item (results, 0);
  g_assert_cmpint (mamori_lookup_result_get_kind (first), ==, MAMORI_LOOKUP_KIND_ASSET);
  asset = mamori_lookup_result_get_asset (first);
  g_assert_cmpstr (mamori_asset_get_name (asset), ==, "通知表");

  list_view = mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list_view);
  g_assert_nonnull (mamori_test_find_label (list_view, mamori_asset_get_display_name (asset)));
  g_assert_nonnull (
      mamori_test_find_label (list_view, mamori_level_get_label (mamori_asset_get_level (asset))));
  g_assert_null (mamori_test_find_widget (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE));

  /* Nothing found: a status page says so. */
  results = mamori_test_search (page, "ゾゾゾゾゾ");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  g_assert_nonnull (mamori_test_find_widget (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (page), _ ("No Results Found")));
  g_assert_null (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW));

  /* An empty query brings the shortcuts back. */
  results = mamori_test_search (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  g_assert_cmpuint (mamori_test_count_actionables (GTK_WIDGET (page), "lookup.show-scenario"), >,
                    0);
  g_assert_null (mamori_test_find_widget (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE));

  destroy_window (window);
}

static void
test_window_asset_detail (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  g_autoptr (MamoriLookupResult) first = NULL;
  GListModel *results = mamori_test_search (page, "通知表");
  GtkWidget *detail;
  GtkWidget *focus;
  GtkWidget *other;
  GtkWidget *row;
  MamoriAsset *asset;
  MamoriLevel *level;

  first = g_list_model_get_item (results, 0);
  asset = mamori_lookup_result_get_asset (first);
  level = mamori_asset_get_level (asset);

  /* Activating the result (Enter or a click) opens the asset's detail. */
  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", 0));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (detail));
  g_assert_true (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (detail)) == asset);

  /* The focus is on its back button, which has a name. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, detail));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (focus), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       _ ("Back"));

  /* Its level, the level's definition, the take-out rule and the environment matrix. */
  g_assert_nonnull (mamori_test_find_label (detail, mamori_level_get_label (level)));
  g_assert_nonnull (mamori_test_find_label (detail, mamori_level_get_definition (level)));
  g_assert_nonnull (mamori_test_find_label (
      detail, mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level))));
  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    g_assert_nonnull (mamori_test_find_label (detail, mamori_environment_get_label (env)));

  /* Another asset at the same level opens on top; back comes back here. */
  row = find_activatable_row (detail);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  mamori_test_flush ();
  other = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (other));
  g_assert_true (other != detail);
  g_assert_true (
      mamori_asset_get_level (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (other)))
      == level);

  go_back_and_wait_for_finalize (window, other);
  g_assert_true (mamori_window_get_visible_page (window) == detail);

  go_back_and_wait_for_finalize (window, detail);
  g_assert_true (is_on_home (window));

  destroy_window (window);
}

static void
test_window_scenario_detail (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriPolicy *policy = mamori_lookup_get_policy (lookup);
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  MamoriScenario *scenario = mamori_policy_lookup_scenario (policy, "leaving-desk");
  g_autoptr (MamoriLookupResult) result = NULL;
  const char *const *cautions;
  const char *const *prohibitions;
  GListModel *results;
  GtkWidget *detail;
  guint position;

  /* A shortcut opens the scenario … */
  g_assert_nonnull (scenario);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lookup.show-scenario", "s",
                                             mamori_scenario_get_id (scenario)));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_SCENARIO_DETAIL (detail));
  g_assert_true (mamori_scenario_detail_get_scenario (MAMORI_SCENARIO_DETAIL (detail)) == scenario);

  /* … with every caution and every prohibition, under their headings. */
  cautions = mamori_scenario_get_cautions (scenario);
  prohibitions = mamori_scenario_get_prohibitions (scenario);
  g_assert_nonnull (cautions[0]);
  g_assert_nonnull (prohibitions[0]);
  g_assert_nonnull (mamori_test_find_label (detail, _ ("Cautions")));
  g_assert_nonnull (mamori_test_find_label (detail, _ ("Prohibitions")));
  for (guint i = 0; cautions[i] != NULL; i++)
    g_assert_nonnull (mamori_test_find_label (detail, cautions[i]));
  for (guint i = 0; prohibitions[i] != NULL; i++)
    g_assert_nonnull (mamori_test_find_label (detail, prohibitions[i]));

  go_back_and_wait_for_finalize (window, detail);
  g_assert_true (is_on_home (window));

  /* A scenario found by searching opens the same way. */
  results = mamori_test_search (page, "離席");
  position = first_result_of_kind (results, MAMORI_LOOKUP_KIND_SCENARIO);
  result = g_list_model_get_item (results, position);
  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", position));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_SCENARIO_DETAIL (detail));
  g_assert_true (mamori_scenario_detail_get_scenario (MAMORI_SCENARIO_DETAIL (detail))
                 == mamori_lookup_result_get_scenario (result));

  /* Ctrl+F (win.focus-search) goes home and focuses the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL));
  mamori_test_flush ();
  g_assert_true (is_on_home (window));
  g_assert_nonnull (
      gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_TYPE_SEARCH_ENTRY));

  destroy_window (window);
}

/* Opens the first asset found for @query; returns its detail page. */
static GtkWidget *
open_first_asset (MamoriWindow *window, const char *query)
{
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  GListModel *results = mamori_test_search (page, query);
  guint position = first_result_of_kind (results, MAMORI_LOOKUP_KIND_ASSET);
  GtkWidget *detail;

  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", position));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (detail));
  return detail;
}

/* A reading of the source is marked 「解釈」 with its note; the source's words are not. */
static void
test_window_basis_marked (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriPolicy *policy = mamori_lookup_get_policy (lookup);
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  MamoriLevel *b = mamori_policy_lookup_level (policy, "B");
  MamoriScenario *cloud = mamori_policy_lookup_scenario (policy, "cloud");
  const char *interpretation = mamori_basis_kind_get_label (MAMORI_BASIS_READING);
  const MamoriBasis *cell = mamori_level_get_environment_basis (b, MAMORI_ENV_REMOTE_ACCESS);
  const MamoriBasis *shiori;
  const MamoriBasis *prohibition = NULL;
  const char *const *prohibitions;
  GtkWidget *detail;

  /* 通知表 (B): the remote-access cell of 図表16 is a reading; the asset is the source's. */
  detail = open_first_asset (window, "通知表");
  g_assert_nonnull (mamori_test_find_label (detail, interpretation));
  g_assert_nonnull (mamori_test_find_label (detail, mamori_basis_get_note (cell)));
  g_assert_null (
      mamori_asset_get_basis (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (detail))));
  go_back_and_wait_for_finalize (window, detail);

  /* 進路のしおり等: the qualifier is a reading. */
  detail = open_first_asset (window, "進路のしおり");
  shiori = mamori_asset_get_basis (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (detail)));
  g_assert_nonnull (shiori);
  g_assert_nonnull (mamori_test_find_label (detail, mamori_basis_get_note (shiori)));
  go_back_and_wait_for_finalize (window, detail);

  /* A prohibition read in favour of the school guidance. */
  prohibitions = mamori_scenario_get_prohibitions (cloud);
  for (guint i = 0; prohibitions[i] != NULL; i++)
    if (mamori_scenario_get_prohibition_basis (cloud, i) != NULL)
      prohibition = mamori_scenario_get_prohibition_basis (cloud, i);
  g_assert_nonnull (prohibition);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (page), "lookup.show-scenario", "s", "cloud"));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_SCENARIO_DETAIL (detail));
  g_assert_nonnull (mamori_test_find_label (detail, interpretation));
  g_assert_nonnull (mamori_test_find_label (detail, mamori_basis_get_note (prohibition)));
  go_back_and_wait_for_finalize (window, detail);

  /* A scene of the source itself carries no marker. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (page), "lookup.show-scenario", "s", "leaving-desk"));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_null (mamori_test_find_label (detail, interpretation));
  go_back_and_wait_for_finalize (window, detail);

  destroy_window (window);
}

/* Nothing found: the nearest names, which open, and every scene. */
static void
test_window_nothing_found (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  GListModel *scenarios = mamori_policy_get_scenarios (mamori_lookup_get_policy (lookup));
  MamoriWindow *window = create_window (lookup);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  GListModel *results = mamori_test_search (page, "つうちひょお");
  GListModel *suggestions = mamori_lookup_page_get_suggestions (page);
  g_autoptr (MamoriLookupResult) first = NULL;
  GtkWidget *detail;

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  g_assert_nonnull (mamori_test_find_label (GTK_WIDGET (page), _ ("No Results Found")));
  first = g_list_model_get_item (suggestions, 0);
  g_assert_nonnull (first);
  g_assert_cmpstr (mamori_asset_get_name (mamori_lookup_result_get_asset (first)), ==, "通知表");
  g_assert_cmpuint (mamori_test_count_actionables (GTK_WIDGET (page), "lookup.show-item"), ==,
                    g_list_model_get_n_items (suggestions));
  g_assert_cmpuint (mamori_test_count_actionables (GTK_WIDGET (page), "lookup.show-scenario"), ==,
                    g_list_model_get_n_items (scenarios));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lookup.show-item", "s", "通知表"));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (detail));
  g_assert_true (mamori_asset_detail_get_asset (MAMORI_ASSET_DETAIL (detail))
                 == mamori_lookup_result_get_asset (first));
  go_back_and_wait_for_finalize (window, detail);

  /* A query with no name like it still offers the scenes. */
  mamori_test_search (page, "ぴよぴよ");
  g_assert_cmpuint (g_list_model_get_n_items (mamori_lookup_page_get_suggestions (page)), ==, 0);
  g_assert_cmpuint (mamori_test_count_actionables (GTK_WIDGET (page), "lookup.show-scenario"), ==,
                    g_list_model_get_n_items (scenarios));

  destroy_window (window);
}

static void
test_window_follows_lookup (void)
{
  g_autoptr (MamoriLookup) oita = mamori_test_load_lookup ("oita-abcd");
  g_autoptr (MamoriLookup) mext = mamori_test_load_lookup ("mext-2025");
  MamoriWindow *window = create_window (oita);
  MamoriLookupPage *page = mamori_window_get_lookup_page (window);
  GtkWidget *detail;

  mamori_test_search (page, "通知表");
  g_assert_true (
      gtk_widget_activate_action (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW),
                                  "list.activate-item", "u", 0));
  mamori_test_flush ();
  detail = mamori_window_get_visible_page (window);
  g_assert_true (MAMORI_IS_ASSET_DETAIL (detail));

  /* Another policy: the detail of the old one is closed and the search is redone. */
  g_object_add_weak_pointer (G_OBJECT (detail), (gpointer *)&detail);
  mamori_window_set_lookup (window, mext);
  while (detail != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (is_on_home (window));
  g_assert_true (mamori_lookup_page_get_lookup (page) == mext);
  g_assert_cmpuint (g_list_model_get_n_items (mamori_lookup_page_get_results (page)), >, 0);

  destroy_window (window);
}

static void
test_lookup_page_alone (void)
{
  g_autoptr (MamoriLookup) lookup = mamori_test_load_lookup ("oita-abcd");
  MamoriLookupPage *page = MAMORI_LOOKUP_PAGE (g_object_ref_sink (mamori_lookup_page_new ()));
  GListModel *results;

  g_assert_cmpuint (g_list_model_get_n_items (mamori_lookup_page_get_results (page)), ==, 0);

  mamori_lookup_page_set_lookup (page, lookup);
  results = mamori_test_search (page, "ＵＳＢ");
  g_assert_cmpuint (g_list_model_get_n_items (results), >, 0);

  mamori_lookup_page_set_lookup (page, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (mamori_lookup_page_get_results (page)), ==, 0);

  g_assert_finalize_object (page);
}

static void
test_level_badge_ranks (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  GListModel *levels;

  policy = mamori_policy_new_from_data (five_level_policy, sizeof five_level_policy - 1,
                                        "five.json", &error);
  g_assert_no_error (error);
  levels = mamori_policy_get_levels (policy);
  g_assert_cmpuint (g_list_model_get_n_items (levels), ==, 5);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      GtkWidget *badge = g_object_ref_sink (mamori_level_badge_new (level));
      g_autofree char *rank_class = g_strdup_printf ("level-rank-%u", i);

      /* The first four ranks have a style each; the rest share the neutral one. */
      g_assert_cmpuint (mamori_level_get_rank (level), ==, i);
      if (i < 4)
        g_assert_true (gtk_widget_has_css_class (badge, rank_class));
      else
        g_assert_true (gtk_widget_has_css_class (badge, "level-rank-other"));
      g_assert_nonnull (gtk_widget_get_first_child (badge));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (badge))), ==,
                       mamori_level_get_label (level));

      mamori_level_badge_set_level (MAMORI_LEVEL_BADGE (badge), NULL);
      g_assert_false (gtk_widget_has_css_class (badge, rank_class));
      g_assert_finalize_object (badge);
    }
}

static void
test_columns_side_by_side_when_wide (void)
{
  GtkWidget *columns = g_object_ref_sink (
      g_object_new (MAMORI_TYPE_COLUMNS, "spacing", 24, "column-width", 300, NULL));
  GtkWidget *first = gtk_label_new ("留意事項");
  GtkWidget *second = gtk_label_new ("禁止事項");
  graphene_rect_t bounds;
  int wide_height;
  int narrow_height;

  gtk_widget_set_parent (first, columns);
  gtk_widget_set_parent (second, columns);

  /* Two columns of 300 and the spacing fit in 700, not in 500. */
  gtk_widget_measure (columns, GTK_ORIENTATION_VERTICAL, 700, NULL, &wide_height, NULL, NULL);
  gtk_widget_measure (columns, GTK_ORIENTATION_VERTICAL, 500, NULL, &narrow_height, NULL, NULL);
  g_assert_cmpint (narrow_height, >, wide_height);

  gtk_widget_size_allocate (columns, &(GtkAllocation){ 0, 0, 700, wide_height }, -1);
  g_assert_true (gtk_widget_compute_bounds (second, columns, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, (700 - 24) / 2 + 24);
  g_assert_cmpfloat (bounds.origin.y, ==, 0);

  gtk_widget_size_allocate (columns, &(GtkAllocation){ 0, 0, 500, narrow_height }, -1);
  g_assert_true (gtk_widget_compute_bounds (second, columns, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, 0);
  g_assert_cmpfloat (bounds.origin.y, >, 0);
  g_assert_cmpfloat (bounds.size.width, ==, 500);

  g_assert_finalize_object (columns);
}

int
main (int argc, char *argv[])
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  mamori_test_init (&argc, &argv);

  g_test_add_func ("/gui/window/opens-on-lookup-page", test_window_opens_on_lookup_page);
  g_test_add_func ("/gui/window/search", test_window_search);
  g_test_add_func ("/gui/window/asset-detail", test_window_asset_detail);
  g_test_add_func ("/gui/window/scenario-detail", test_window_scenario_detail);
  g_test_add_func ("/gui/window/follows-lookup", test_window_follows_lookup);
  g_test_add_func ("/gui/window/basis-marked", test_window_basis_marked);
  g_test_add_func ("/gui/window/nothing-found", test_window_nothing_found);
  g_test_add_func ("/gui/lookup-page/alone", test_lookup_page_alone);
  g_test_add_func ("/gui/level-badge/ranks", test_level_badge_ranks);
  g_test_add_func ("/gui/columns/side-by-side-when-wide", test_columns_side_by_side_when_wide);

  return g_test_run ();
}
