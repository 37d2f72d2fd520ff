/* mamori-lookup-page.c — the home page: search, scenario shortcuts and results
 *
 * The page is a view over MamoriLookup: the search entry's text goes to
 * mamori_lookup_search() and the GListModel it returns is shown as it is.  Choosing a
 * result or a shortcut emits "item-activated" with the MamoriAsset or MamoriScenario;
 * the window decides what to open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-level-badge.h"
#include "mamori-lookup-page.h"
#include "mamori-result-row.h"

struct _MamoriLookupPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkStack *content_stack;
  GtkFlowBox *shortcuts_box;
  GtkListBox *levels_list;
  GtkScrolledWindow *results_scroller;
  GtkListView *results_view;
  GtkNoSelection *results_selection;
  GtkWidget *suggestions_group;
  GtkFlowBox *suggestions_box;
  GtkFlowBox *scenes_box;

  /* Owned references */
  MamoriLookup *lookup;
  GListModel *results;
  GListModel *suggestions;
};

/* Names offered when a search finds nothing. */
#define MAX_SUGGESTIONS 6

G_DEFINE_FINAL_TYPE (MamoriLookupPage, mamori_lookup_page, ADW_TYPE_BIN)

static GtkWidget *
create_suggestion_cb (gpointer item, gpointer user_data);

enum
{
  PROP_0,
  PROP_LOOKUP,
  PROP_RESULTS,
  N_PROPS
};

enum
{
  ITEM_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mamori_lookup_page_activate_result (MamoriLookupPage *self, guint position)
{
  g_autoptr (MamoriLookupResult) result = g_list_model_get_item (self->results, position);

  if (result != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, mamori_lookup_result_get_item (result));
}

static void
mamori_lookup_page_update_results (MamoriLookupPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr (GListModel) results = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (query));
  const char *visible;

  if (self->lookup != NULL)
    results = mamori_lookup_search (self->lookup, query);
  else
    results = G_LIST_MODEL (g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT));

  g_set_object (&self->results, results);
  gtk_no_selection_set_model (self->results_selection, self->results);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_scroller), 0);

  if (*stripped == '\0')
    visible = "home";
  else if (g_list_model_get_n_items (self->results) == 0)
    visible = "empty";
  else
    visible = "results";
  gtk_stack_set_visible_child_name (self->content_stack, visible);

  /* Nothing found: the names that look like what was typed. */
  g_clear_object (&self->suggestions);
  if (self->lookup != NULL && g_str_equal (visible, "empty"))
    self->suggestions = mamori_lookup_suggest (self->lookup, query, MAX_SUGGESTIONS);
  else
    self->suggestions = G_LIST_MODEL (g_list_store_new (MAMORI_TYPE_LOOKUP_RESULT));
  gtk_flow_box_bind_model (self->suggestions_box, self->suggestions, create_suggestion_cb, NULL,
                           NULL);
  gtk_widget_set_visible (self->suggestions_group,
                          g_list_model_get_n_items (self->suggestions) > 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULTS]);
}

static GtkWidget *
create_shortcut_cb (gpointer item, gpointer user_data)
{
  MamoriScenario *scenario = MAMORI_SCENARIO (item);
  const char *icon_name = mamori_scenario_get_icon_name (scenario);
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image
      = gtk_image_new_from_icon_name (icon_name ? icon_name : "dialog-information-symbolic");
  GtkWidget *label = gtk_label_new (mamori_scenario_get_title (scenario));

  gtk_image_set_icon_size (GTK_IMAGE (image), GTK_ICON_SIZE_LARGE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lookup.show-scenario");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                    mamori_scenario_get_id (scenario));
  gtk_widget_set_tooltip_text (button, mamori_scenario_get_summary (scenario));
  /* GTK 4.8 does not name a button after the label inside it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mamori_scenario_get_title (scenario), -1);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "mamori-shortcut");

  /* The button takes the focus, not the cell around it. */
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), button);
  gtk_widget_set_focusable (child, FALSE);

  return child;
}

static GtkWidget *
create_suggestion_cb (gpointer item, gpointer user_data)
{
  MamoriLookupResult *result = MAMORI_LOOKUP_RESULT (item);
  MamoriAsset *asset = mamori_lookup_result_get_asset (result);
  MamoriScenario *scenario = mamori_lookup_result_get_scenario (result);
  const char *name
      = asset ? mamori_asset_get_display_name (asset) : mamori_scenario_get_title (scenario);
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (asset != NULL)
    gtk_box_append (GTK_BOX (box), mamori_level_badge_new (mamori_asset_get_level (asset)));

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lookup.show-item");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  /* GTK 4.8 does not name a button after the label inside it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_add_css_class (button, "mamori-suggestion");

  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), button);
  gtk_widget_set_focusable (child, FALSE);

  return child;
}

static GtkWidget *
create_level_row_cb (gpointer item, gpointer user_data)
{
  MamoriLevel *level = MAMORI_LEVEL (item);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *badge = mamori_level_badge_new (level);
  GtkWidget *definition = gtk_label_new (mamori_level_get_definition (level));
  GtkWidget *takeout
      = gtk_label_new (mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)));

  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (definition), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (definition), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (definition), 0);
  gtk_label_set_xalign (GTK_LABEL (takeout), 0);
  gtk_widget_add_css_class (takeout, "caption");
  gtk_widget_add_css_class (takeout, "dim-label");
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (text_box), definition);
  gtk_box_append (GTK_BOX (text_box), takeout);

  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_widget_add_css_class (box, "mamori-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  return row;
}

static gboolean
scenario_is_shortcut_cb (gpointer item, gpointer user_data)
{
  return mamori_scenario_get_shortcut (MAMORI_SCENARIO (item));
}

static void
search_changed_cb (MamoriLookupPage *self)
{
  mamori_lookup_page_update_results (self);
}

static void
search_activate_cb (MamoriLookupPage *self)
{
  mamori_lookup_page_activate_result (self, 0);
}

static void
search_stop_cb (MamoriLookupPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static gboolean
search_key_pressed_cb (MamoriLookupPage *self, guint keyval, guint keycode, GdkModifierType state)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
      && g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "results"))
    {
      /* Scrolling to the first result also makes it the item that takes the focus. */
      gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item", "u", 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
results_activate_cb (MamoriLookupPage *self, guint position)
{
  mamori_lookup_page_activate_result (self, position);
}

/* Up on the first result goes back to the search entry. */
static gboolean
results_key_pressed_cb (MamoriLookupPage *self, guint keyval, guint keycode, GdkModifierType state)
{
  g_autoptr (MamoriLookupResult) first = NULL;
  GtkWidget *focus;
  GtkWidget *row;

  if (keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Up)
    return GDK_EVENT_PROPAGATE;

  /* The focus is on the list's row widget, whose child is our row. */
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  row = focus != NULL ? gtk_widget_get_first_child (focus) : NULL;
  first = g_list_model_get_item (self->results, 0);

  if (!MAMORI_IS_RESULT_ROW (row)
      || mamori_result_row_get_result (MAMORI_RESULT_ROW (row)) != first)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return GDK_EVENT_STOP;
}

static void
mamori_lookup_page_show_scenario_action (GtkWidget *widget,
                                         const char *action_name,
                                         GVariant *parameter)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (widget);
  MamoriScenario *scenario;

  if (self->lookup == NULL)
    return;

  scenario = mamori_policy_lookup_scenario (mamori_lookup_get_policy (self->lookup),
                                            g_variant_get_string (parameter, NULL));
  if (scenario != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, scenario);
}

/* A suggested name: the item it names among the suggestions. */
static void
mamori_lookup_page_show_item_action (GtkWidget *widget,
                                     const char *action_name,
                                     GVariant *parameter)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; self->suggestions != NULL && i < g_list_model_get_n_items (self->suggestions);
       i++)
    {
      g_autoptr (MamoriLookupResult) result = g_list_model_get_item (self->suggestions, i);
      MamoriAsset *asset = mamori_lookup_result_get_asset (result);
      const char *title
          = asset ? mamori_asset_get_display_name (asset)
                  : mamori_scenario_get_title (mamori_lookup_result_get_scenario (result));

      if (g_str_equal (title, name))
        {
          g_signal_emit (self, signals[ITEM_ACTIVATED], 0, mamori_lookup_result_get_item (result));
          return;
        }
    }
}

static gboolean
mamori_lookup_page_grab_focus (GtkWidget *widget)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
mamori_lookup_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      g_value_set_object (value, self->lookup);
      break;

    case PROP_RESULTS:
      g_value_set_object (value, self->results);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_lookup_page_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOOKUP:
      mamori_lookup_page_set_lookup (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_lookup_page_dispose (GObject *object)
{
  MamoriLookupPage *self = MAMORI_LOOKUP_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_LOOKUP_PAGE);

  g_clear_object (&self->lookup);
  g_clear_object (&self->results);
  g_clear_object (&self->suggestions);

  G_OBJECT_CLASS (mamori_lookup_page_parent_class)->dispose (object);
}

static void
mamori_lookup_page_class_init (MamoriLookupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_lookup_page_get_property;
  object_class->set_property = mamori_lookup_page_set_property;
  object_class->dispose = mamori_lookup_page_dispose;

  widget_class->grab_focus = mamori_lookup_page_grab_focus;

  properties[PROP_LOOKUP]
      = g_param_spec_object ("lookup", NULL, NULL, MAMORI_TYPE_LOOKUP,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RESULTS]
      = g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MamoriLookupPage::item-activated:
   * @item: the MamoriAsset or MamoriScenario chosen
   */
  signals[ITEM_ACTIVATED]
      = g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  g_type_ensure (MAMORI_TYPE_RESULT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-lookup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, shortcuts_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, levels_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, results_selection);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, suggestions_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, suggestions_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriLookupPage, scenes_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "lookup.show-scenario", "s",
                                   mamori_lookup_page_show_scenario_action);
  gtk_widget_class_install_action (widget_class, "lookup.show-item", "s",
                                   mamori_lookup_page_show_item_action);
}

static void
mamori_lookup_page_init (MamoriLookupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  mamori_lookup_page_update_results (self);
}

GtkWidget *
mamori_lookup_page_new (void)
{
  return g_object_new (MAMORI_TYPE_LOOKUP_PAGE, NULL);
}

MamoriLookup *
mamori_lookup_page_get_lookup (MamoriLookupPage *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_PAGE (self), NULL);

  return self->lookup;
}

void
mamori_lookup_page_set_lookup (MamoriLookupPage *self, MamoriLookup *lookup)
{
  g_return_if_fail (MAMORI_IS_LOOKUP_PAGE (self));
  g_return_if_fail (lookup == NULL || MAMORI_IS_LOOKUP (lookup));

  if (!g_set_object (&self->lookup, lookup))
    return;

  if (lookup != NULL)
    {
      MamoriPolicy *policy = mamori_lookup_get_policy (lookup);
      GListModel *scenarios = g_object_ref (mamori_policy_get_scenarios (policy));
      GtkCustomFilter *filter = gtk_custom_filter_new (scenario_is_shortcut_cb, NULL, NULL);
      g_autoptr (GtkFilterListModel) shortcuts
          = gtk_filter_list_model_new (scenarios, GTK_FILTER (filter));

      gtk_flow_box_bind_model (self->shortcuts_box, G_LIST_MODEL (shortcuts), create_shortcut_cb,
                               NULL, NULL);
      gtk_flow_box_bind_model (self->scenes_box, mamori_policy_get_scenarios (policy),
                               create_shortcut_cb, NULL, NULL);
      gtk_list_box_bind_model (self->levels_list, mamori_policy_get_levels (policy),
                               create_level_row_cb, NULL, NULL);
    }
  else
    {
      gtk_flow_box_bind_model (self->shortcuts_box, NULL, NULL, NULL, NULL);
      gtk_flow_box_bind_model (self->scenes_box, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->levels_list, NULL, NULL, NULL, NULL);
    }

  mamori_lookup_page_update_results (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKUP]);
}

const char *
mamori_lookup_page_get_query (MamoriLookupPage *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

void
mamori_lookup_page_set_query (MamoriLookupPage *self, const char *query)
{
  g_return_if_fail (MAMORI_IS_LOOKUP_PAGE (self));
  g_return_if_fail (query != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
}

GListModel *
mamori_lookup_page_get_results (MamoriLookupPage *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_PAGE (self), NULL);

  return self->results;
}

GListModel *
mamori_lookup_page_get_suggestions (MamoriLookupPage *self)
{
  g_return_val_if_fail (MAMORI_IS_LOOKUP_PAGE (self), NULL);

  return self->suggestions;
}

void
mamori_lookup_page_focus_search (MamoriLookupPage *self)
{
  g_return_if_fail (MAMORI_IS_LOOKUP_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
