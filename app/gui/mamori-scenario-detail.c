/* mamori-scenario-detail.c — a scenario's cautions and prohibitions, with their source
 *
 * 留意事項 and 禁止事項 are side by side when the window is wide enough (MamoriColumns)
 * and one above the other when it is not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-columns.h"
#include "mamori-scenario-detail.h"
#include "mamori-text-row.h"

struct _MamoriScenarioDetail
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *back_button;
  AdwWindowTitle *window_title;
  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *summary_label;
  GtkWidget *basis_box;
  GtkListBox *cautions_list;
  GtkListBox *prohibitions_list;
  GtkLabel *source_label;

  /* Owned references */
  MamoriScenario *scenario;
};

G_DEFINE_FINAL_TYPE (MamoriScenarioDetail, mamori_scenario_detail, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SCENARIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_scenario_detail_show (MamoriScenarioDetail *self)
{
  MamoriScenario *scenario = self->scenario;
  const char *icon_name = mamori_scenario_get_icon_name (scenario);
  const char *summary = mamori_scenario_get_summary (scenario);
  g_autofree char *source = NULL;

  adw_window_title_set_title (self->window_title, mamori_scenario_get_title (scenario));
  gtk_image_set_from_icon_name (self->icon, icon_name ? icon_name : "dialog-information-symbolic");
  gtk_label_set_label (self->title_label, mamori_scenario_get_title (scenario));
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL);

  /* A scene carried over from another source says so under its summary. */
  if (mamori_scenario_get_basis (scenario) != NULL)
    gtk_box_append (GTK_BOX (self->basis_box),
                    mamori_basis_marker_new (mamori_scenario_get_basis (scenario)));
  gtk_widget_set_visible (self->basis_box, mamori_scenario_get_basis (scenario) != NULL);

  mamori_text_row_bind_texts (self->cautions_list, mamori_scenario_get_cautions (scenario),
                              scenario, (MamoriBasisAt)mamori_scenario_get_caution_basis,
                              "dialog-information-symbolic");
  mamori_text_row_bind_texts (self->prohibitions_list, mamori_scenario_get_prohibitions (scenario),
                              scenario, (MamoriBasisAt)mamori_scenario_get_prohibition_basis,
                              "action-unavailable-symbolic");

  /* Translators: %s is the policy section a scenario rests on, e.g. 「対策基準 3.5.1」. */
  source = g_strdup_printf (_ ("Source: %s"), mamori_scenario_get_source (scenario));
  gtk_label_set_label (self->source_label, source);
}

/* A page opened from the keyboard starts at its back button, not in a text to select. */
static gboolean
mamori_scenario_detail_grab_focus (GtkWidget *widget)
{
  MamoriScenarioDetail *self = MAMORI_SCENARIO_DETAIL (widget);

  return gtk_widget_grab_focus (self->back_button);
}

static void
mamori_scenario_detail_get_property (GObject *object,
                                     guint prop_id,
                                     GValue *value,
                                     GParamSpec *pspec)
{
  MamoriScenarioDetail *self = MAMORI_SCENARIO_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_object (value, self->scenario);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_scenario_detail_set_property (GObject *object,
                                     guint prop_id,
                                     const GValue *value,
                                     GParamSpec *pspec)
{
  MamoriScenarioDetail *self = MAMORI_SCENARIO_DETAIL (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      self->scenario = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_scenario_detail_constructed (GObject *object)
{
  MamoriScenarioDetail *self = MAMORI_SCENARIO_DETAIL (object);

  G_OBJECT_CLASS (mamori_scenario_detail_parent_class)->constructed (object);

  g_return_if_fail (MAMORI_IS_SCENARIO (self->scenario));

  mamori_scenario_detail_show (self);
}

static void
mamori_scenario_detail_dispose (GObject *object)
{
  MamoriScenarioDetail *self = MAMORI_SCENARIO_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_SCENARIO_DETAIL);
  g_clear_object (&self->scenario);

  G_OBJECT_CLASS (mamori_scenario_detail_parent_class)->dispose (object);
}

static void
mamori_scenario_detail_class_init (MamoriScenarioDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_scenario_detail_get_property;
  object_class->set_property = mamori_scenario_detail_set_property;
  object_class->constructed = mamori_scenario_detail_constructed;
  object_class->dispose = mamori_scenario_detail_dispose;

  widget_class->grab_focus = mamori_scenario_detail_grab_focus;

  properties[PROP_SCENARIO]
      = g_param_spec_object ("scenario", NULL, NULL, MAMORI_TYPE_SCENARIO,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_COLUMNS);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-scenario-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, back_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, icon);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, basis_box);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, cautions_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, prohibitions_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriScenarioDetail, source_label);
}

static void
mamori_scenario_detail_init (MamoriScenarioDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_scenario_detail_new (MamoriScenario *scenario)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (scenario), NULL);

  return g_object_new (MAMORI_TYPE_SCENARIO_DETAIL, "scenario", scenario, NULL);
}

MamoriScenario *
mamori_scenario_detail_get_scenario (MamoriScenarioDetail *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO_DETAIL (self), NULL);

  return self->scenario;
}
