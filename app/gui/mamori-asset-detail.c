/* mamori-asset-detail.c — how to handle one asset: its level, take-out, where it may be kept
 *
 * Everything shown comes from the asset's level in the policy (取扱方法 and the
 * environment matrix of 図表16); the other assets at the same level open their own
 * detail through "item-activated".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-asset-detail.h"
#include "mamori-level-badge.h"
#include "mamori-text-row.h"

struct _MamoriAssetDetail
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *back_button;
  AdwWindowTitle *window_title;
  GtkLabel *name_label;
  MamoriLevelBadge *level_badge;
  GtkLabel *qualifier_label;
  GtkLabel *category_label;
  GtkWidget *basis_box;
  GtkWidget *note_box;
  GtkLabel *note_label;
  GtkListBox *level_list;
  GtkListBox *takeout_list;
  GtkWidget *measures_group;
  GtkListBox *measures_list;
  GtkWidget *storage_group;
  GtkListBox *storage_list;
  GtkWidget *disposal_group;
  GtkListBox *disposal_list;
  GtkListBox *environments_list;
  GtkWidget *others_group;
  GtkLabel *others_heading;
  GtkListBox *others_list;

  /* Owned references */
  MamoriPolicy *policy;
  MamoriAsset *asset;
  GListStore *others;
};

G_DEFINE_FINAL_TYPE (MamoriAssetDetail, mamori_asset_detail, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_POLICY,
  PROP_ASSET,
  N_PROPS
};

enum
{
  ITEM_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
takeout_rule_icon_name (MamoriTakeoutRule rule)
{
  switch (rule)
    {
    case MAMORI_TAKEOUT_FORBIDDEN:
      return "action-unavailable-symbolic";
    case MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE:
      return "document-edit-symbolic";
    case MAMORI_TAKEOUT_APPROVAL_BLANKET:
      return "emblem-ok-symbolic";
    case MAMORI_TAKEOUT_NOTIFY:
      return "mail-send-symbolic";
    case MAMORI_TAKEOUT_FREE:
      return "object-select-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

static GtkWidget *
create_environment_row (MamoriLevel *level, MamoriEnvironment env)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (mamori_environment_get_label (env));
  GtkWidget *name_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const MamoriBasis *basis = mamori_level_get_environment_basis (level, env);
  GtkWidget *image;
  GtkWidget *status;
  const char *icon_name;
  const char *text;
  const char *css_class;

  switch (mamori_level_get_environment (level, env))
    {
    case MAMORI_PERMISSION_ALLOWED:
      icon_name = "object-select-symbolic";
      /* Translators: may the information be handled there?  Short: 可 */
      text = _ ("Allowed");
      css_class = "mamori-allowed";
      break;

    case MAMORI_PERMISSION_DENIED:
      icon_name = "action-unavailable-symbolic";
      /* Translators: may the information be handled there?  Short: 不可 */
      text = _ ("Not allowed");
      css_class = "mamori-denied";
      break;

    case MAMORI_PERMISSION_UNSTATED:
    default:
      icon_name = "radio-mixed-symbolic";
      text = _ ("Not stated in the policy");
      css_class = "mamori-unstated";
      break;
    }

  image = g_object_new (GTK_TYPE_IMAGE, "icon-name", icon_name, "accessible-role",
                        GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  status = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_box_append (GTK_BOX (status_box), image);
  gtk_box_append (GTK_BOX (status_box), status);
  gtk_widget_add_css_class (status_box, "mamori-permission");
  gtk_widget_add_css_class (status_box, css_class);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (name_box, TRUE);
  gtk_widget_set_valign (status_box, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (name_box), name);
  /* 図表16's garbled cells: a cell read one way says so under its name. */
  if (basis != NULL)
    gtk_box_append (GTK_BOX (name_box), mamori_basis_marker_new (basis));

  gtk_box_append (GTK_BOX (box), name_box);
  gtk_box_append (GTK_BOX (box), status_box);
  gtk_widget_add_css_class (box, "mamori-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  return row;
}

static GtkWidget *
create_other_asset_row_cb (gpointer item, gpointer user_data)
{
  MamoriAsset *asset = MAMORI_ASSET (item);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (mamori_asset_get_display_name (asset));
  GtkWidget *category = gtk_label_new (mamori_asset_get_category_label (asset));
  GtkWidget *arrow = g_object_new (GTK_TYPE_IMAGE, "icon-name", "go-next-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (category), 0);
  gtk_widget_add_css_class (category, "caption");
  gtk_widget_add_css_class (category, "dim-label");
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (text_box), name);
  gtk_box_append (GTK_BOX (text_box), category);

  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_widget_add_css_class (box, "mamori-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static void
mamori_asset_detail_show_texts (GtkWidget *group,
                                GtkListBox *list,
                                const char *const *texts,
                                MamoriLevel *level,
                                MamoriBasisAt basis_at,
                                const char *icon_name)
{
  gtk_widget_set_visible (group, texts[0] != NULL);
  mamori_text_row_bind_texts (list, texts, level, basis_at, icon_name);
}

static void
mamori_asset_detail_show_takeout (MamoriAssetDetail *self, MamoriLevel *level)
{
  MamoriTakeoutRule rule = mamori_level_get_takeout_rule (level);
  const MamoriRole *approvers;
  guint n_approvers;
  GtkWidget *row;

  row = mamori_text_row_new_with_basis (
      takeout_rule_icon_name (rule), mamori_takeout_rule_get_label (rule),
      mamori_level_get_takeout_text (level), mamori_level_get_takeout_basis (level));
  if (rule == MAMORI_TAKEOUT_FORBIDDEN)
    gtk_widget_add_css_class (row, "mamori-forbidden");
  gtk_list_box_append (self->takeout_list, row);

  approvers = mamori_level_get_approvers (level, &n_approvers);
  if (n_approvers > 0 && rule != MAMORI_TAKEOUT_FORBIDDEN)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < n_approvers; i++)
        {
          if (i > 0)
            {
              /* Translators: between the roles that may approve, e.g. 「校長、副校長」. */
              g_string_append (names, _ (", "));
            }
          g_string_append (names, mamori_role_get_label (approvers[i]));
        }

      gtk_list_box_append (self->takeout_list, mamori_text_row_new ("system-users-symbolic",
                                                                    _ ("Approved by"), names->str));
    }

  mamori_asset_detail_show_texts (
      self->measures_group, self->measures_list, mamori_level_get_measures (level), level,
      (MamoriBasisAt)mamori_level_get_measure_basis, "object-select-symbolic");
}

static void
mamori_asset_detail_show_others (MamoriAssetDetail *self, MamoriLevel *level)
{
  g_autoptr (GPtrArray) assets = mamori_policy_get_assets_at_level (self->policy, level);
  g_autofree char *heading = NULL;

  for (guint i = 0; i < assets->len; i++)
    if (g_ptr_array_index (assets, i) != self->asset)
      g_list_store_append (self->others, g_ptr_array_index (assets, i));

  /* Translators: %s is a level, e.g. 「重要度B」. */
  heading = g_strdup_printf (_ ("Other Assets at %s"), mamori_level_get_label (level));
  gtk_label_set_label (self->others_heading, heading);
  gtk_list_box_bind_model (self->others_list, G_LIST_MODEL (self->others),
                           create_other_asset_row_cb, NULL, NULL);
  gtk_widget_set_visible (self->others_group,
                          g_list_model_get_n_items (G_LIST_MODEL (self->others)) > 0);
}

/* A scheme of several axes (mic-cia's 完全性 and 可用性) also classifies the asset on
 * each; the take-out rules above follow the level alone. */
static void
mamori_asset_detail_show_axes (MamoriAssetDetail *self)
{
  GListModel *axes = mamori_policy_get_axes (self->policy);

  for (guint i = 0; i < g_list_model_get_n_items (axes); i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      MamoriAxisValue *value = mamori_asset_get_axis_value (self->asset, mamori_axis_get_id (axis));
      const char *const *handling;

      if (value == NULL)
        continue;
      gtk_list_box_append (self->level_list, mamori_text_row_new_with_basis (
                                                 NULL, mamori_axis_value_get_label (value),
                                                 mamori_axis_value_get_definition (value),
                                                 mamori_axis_value_get_basis (value)));
      handling = mamori_axis_value_get_handling (value);
      for (guint j = 0; handling[j] != NULL; j++)
        gtk_list_box_append (self->level_list,
                             mamori_text_row_new ("object-select-symbolic", NULL, handling[j]));
    }
}

static void
mamori_asset_detail_show (MamoriAssetDetail *self)
{
  MamoriAsset *asset = self->asset;
  MamoriLevel *level = mamori_asset_get_level (asset);
  const char *qualifier = mamori_asset_get_qualifier (asset);
  const char *note = mamori_asset_get_note (asset);

  adw_window_title_set_title (self->window_title, mamori_asset_get_display_name (asset));
  adw_window_title_set_subtitle (self->window_title, mamori_level_get_label (level));

  gtk_label_set_label (self->name_label, mamori_asset_get_name (asset));
  mamori_level_badge_set_level (self->level_badge, level);
  gtk_label_set_label (self->qualifier_label, qualifier);
  gtk_widget_set_visible (GTK_WIDGET (self->qualifier_label), qualifier != NULL);
  gtk_label_set_label (self->category_label, mamori_asset_get_category_label (asset));
  gtk_label_set_label (self->note_label, note);
  gtk_widget_set_visible (self->note_box, note != NULL);

  if (mamori_asset_get_basis (asset) != NULL)
    gtk_box_append (GTK_BOX (self->basis_box),
                    mamori_basis_marker_new (mamori_asset_get_basis (asset)));
  gtk_widget_set_visible (self->basis_box, mamori_asset_get_basis (asset) != NULL);

  gtk_list_box_append (self->level_list,
                       mamori_text_row_new_with_basis (NULL, mamori_level_get_label (level),
                                                       mamori_level_get_definition (level),
                                                       mamori_level_get_basis (level)));
  mamori_asset_detail_show_axes (self);
  if (mamori_level_get_personal_info (level))
    gtk_list_box_append (
        self->level_list,
        mamori_text_row_new ("avatar-default-symbolic", NULL, _ ("Contains personal information")));

  mamori_asset_detail_show_takeout (self, level);
  mamori_asset_detail_show_texts (self->storage_group, self->storage_list,
                                  mamori_level_get_storage (level), level,
                                  (MamoriBasisAt)mamori_level_get_storage_basis, "folder-symbolic");
  mamori_asset_detail_show_texts (
      self->disposal_group, self->disposal_list, mamori_level_get_disposal (level), level,
      (MamoriBasisAt)mamori_level_get_disposal_basis, "user-trash-symbolic");

  for (guint env = 0; env < MAMORI_N_ENVIRONMENTS; env++)
    gtk_list_box_append (self->environments_list, create_environment_row (level, env));

  mamori_asset_detail_show_others (self, level);
}

static void
others_row_activated_cb (MamoriAssetDetail *self, GtkListBoxRow *row)
{
  g_autoptr (MamoriAsset) asset = NULL;

  asset = g_list_model_get_item (G_LIST_MODEL (self->others), gtk_list_box_row_get_index (row));
  g_return_if_fail (asset != NULL);

  g_signal_emit (self, signals[ITEM_ACTIVATED], 0, asset);
}

/* A page opened from the keyboard starts at its back button, not in a text to select. */
static gboolean
mamori_asset_detail_grab_focus (GtkWidget *widget)
{
  MamoriAssetDetail *self = MAMORI_ASSET_DETAIL (widget);

  return gtk_widget_grab_focus (self->back_button);
}

static void
mamori_asset_detail_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriAssetDetail *self = MAMORI_ASSET_DETAIL (object);

  switch (prop_id)
    {
    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;

    case PROP_ASSET:
      g_value_set_object (value, self->asset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_asset_detail_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  MamoriAssetDetail *self = MAMORI_ASSET_DETAIL (object);

  switch (prop_id)
    {
    case PROP_POLICY:
      self->policy = g_value_dup_object (value);
      break;

    case PROP_ASSET:
      self->asset = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_asset_detail_constructed (GObject *object)
{
  MamoriAssetDetail *self = MAMORI_ASSET_DETAIL (object);

  G_OBJECT_CLASS (mamori_asset_detail_parent_class)->constructed (object);

  g_return_if_fail (MAMORI_IS_POLICY (self->policy));
  g_return_if_fail (MAMORI_IS_ASSET (self->asset));

  mamori_asset_detail_show (self);
}

static void
mamori_asset_detail_dispose (GObject *object)
{
  MamoriAssetDetail *self = MAMORI_ASSET_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_ASSET_DETAIL);
  g_clear_object (&self->others);
  g_clear_object (&self->asset);
  g_clear_object (&self->policy);

  G_OBJECT_CLASS (mamori_asset_detail_parent_class)->dispose (object);
}

static void
mamori_asset_detail_class_init (MamoriAssetDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_asset_detail_get_property;
  object_class->set_property = mamori_asset_detail_set_property;
  object_class->constructed = mamori_asset_detail_constructed;
  object_class->dispose = mamori_asset_detail_dispose;

  widget_class->grab_focus = mamori_asset_detail_grab_focus;

  properties[PROP_POLICY]
      = g_param_spec_object ("policy", NULL, NULL, MAMORI_TYPE_POLICY,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ASSET]
      = g_param_spec_object ("asset", NULL, NULL, MAMORI_TYPE_ASSET,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MamoriAssetDetail::item-activated:
   * @item: the MamoriAsset chosen among the others at the same level
   */
  signals[ITEM_ACTIVATED]
      = g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  g_type_ensure (MAMORI_TYPE_LEVEL_BADGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-asset-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, back_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, level_badge);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, qualifier_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, category_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, basis_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, note_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, note_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, level_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, takeout_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, measures_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, measures_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, storage_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, storage_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, disposal_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, disposal_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, environments_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, others_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, others_heading);
  gtk_widget_class_bind_template_child (widget_class, MamoriAssetDetail, others_list);
  gtk_widget_class_bind_template_callback (widget_class, others_row_activated_cb);
}

static void
mamori_asset_detail_init (MamoriAssetDetail *self)
{
  self->others = g_list_store_new (MAMORI_TYPE_ASSET);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_asset_detail_new (MamoriPolicy *policy, MamoriAsset *asset)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);
  g_return_val_if_fail (MAMORI_IS_ASSET (asset), NULL);

  return g_object_new (MAMORI_TYPE_ASSET_DETAIL, "policy", policy, "asset", asset, NULL);
}

MamoriAsset *
mamori_asset_detail_get_asset (MamoriAssetDetail *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET_DETAIL (self), NULL);

  return self->asset;
}
