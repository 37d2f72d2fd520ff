/* mamori-result-row.c — one search result: an asset with its level, or a scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-level-badge.h"
#include "mamori-result-row.h"

struct _MamoriResultRow
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkWidget *level_box;
  MamoriLevelBadge *level_badge;
  GtkLabel *takeout_label;

  /* Owned references */
  MamoriLookupResult *result;
};

G_DEFINE_FINAL_TYPE (MamoriResultRow, mamori_result_row, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_result_row_show_asset (MamoriResultRow *self, MamoriAsset *asset)
{
  MamoriLevel *level = mamori_asset_get_level (asset);

  gtk_image_set_from_icon_name (self->icon, "x-office-document-symbolic");
  gtk_label_set_label (self->title_label, mamori_asset_get_display_name (asset));
  gtk_label_set_label (self->subtitle_label, mamori_asset_get_category_label (asset));
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);
  mamori_level_badge_set_level (self->level_badge, level);
  gtk_label_set_label (self->takeout_label,
                       mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)));
  gtk_widget_set_visible (self->level_box, TRUE);
}

static void
mamori_result_row_show_scenario (MamoriResultRow *self, MamoriScenario *scenario)
{
  const char *icon_name = mamori_scenario_get_icon_name (scenario);
  const char *summary = mamori_scenario_get_summary (scenario);

  gtk_image_set_from_icon_name (self->icon, icon_name ? icon_name : "dialog-information-symbolic");
  gtk_label_set_label (self->title_label, mamori_scenario_get_title (scenario));
  gtk_label_set_label (self->subtitle_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), summary != NULL);
  mamori_level_badge_set_level (self->level_badge, NULL);
  gtk_widget_set_visible (self->level_box, FALSE);
}

static void
mamori_result_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriResultRow *self = MAMORI_RESULT_ROW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_result_row_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  MamoriResultRow *self = MAMORI_RESULT_ROW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      mamori_result_row_set_result (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_result_row_dispose (GObject *object)
{
  MamoriResultRow *self = MAMORI_RESULT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_RESULT_ROW);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (mamori_result_row_parent_class)->dispose (object);
}

static void
mamori_result_row_class_init (MamoriResultRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_result_row_get_property;
  object_class->set_property = mamori_result_row_set_property;
  object_class->dispose = mamori_result_row_dispose;

  properties[PROP_RESULT]
      = g_param_spec_object ("result", NULL, NULL, MAMORI_TYPE_LOOKUP_RESULT,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_LEVEL_BADGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-result-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, icon);
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, level_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, level_badge);
  gtk_widget_class_bind_template_child (widget_class, MamoriResultRow, takeout_label);

  gtk_widget_class_set_css_name (widget_class, "resultrow");
}

static void
mamori_result_row_init (MamoriResultRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MamoriLookupResult *
mamori_result_row_get_result (MamoriResultRow *self)
{
  g_return_val_if_fail (MAMORI_IS_RESULT_ROW (self), NULL);

  return self->result;
}

void
mamori_result_row_set_result (MamoriResultRow *self, MamoriLookupResult *result)
{
  g_return_if_fail (MAMORI_IS_RESULT_ROW (self));
  g_return_if_fail (result == NULL || MAMORI_IS_LOOKUP_RESULT (result));

  if (!g_set_object (&self->result, result))
    return;

  if (result != NULL && mamori_lookup_result_get_kind (result) == MAMORI_LOOKUP_KIND_ASSET)
    mamori_result_row_show_asset (self, mamori_lookup_result_get_asset (result));
  else if (result != NULL)
    mamori_result_row_show_scenario (self, mamori_lookup_result_get_scenario (result));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}
