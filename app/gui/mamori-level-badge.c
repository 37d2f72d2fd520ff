/* mamori-level-badge.c — a level's label as a badge, stronger for more sensitive levels
 *
 * The badge knows no level by name: it takes the level's rank in its scheme (0 is the
 * most sensitive) and style.css colours .level-rank-0 … .level-rank-3; a scheme with
 * more levels shows the rest in the neutral .level-rank-other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-level-badge.h"

/* style.css has a colour for ranks below this. */
#define N_RANK_STYLES 4

struct _MamoriLevelBadge
{
  GtkWidget parent_instance;

  GtkWidget *label;
  char *rank_class;

  MamoriLevel *level;
};

G_DEFINE_FINAL_TYPE (MamoriLevelBadge, mamori_level_badge, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_level_badge_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriLevelBadge *self = MAMORI_LEVEL_BADGE (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_object (value, self->level);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_level_badge_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  MamoriLevelBadge *self = MAMORI_LEVEL_BADGE (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      mamori_level_badge_set_level (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_level_badge_dispose (GObject *object)
{
  MamoriLevelBadge *self = MAMORI_LEVEL_BADGE (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->rank_class, g_free);
  g_clear_object (&self->level);

  G_OBJECT_CLASS (mamori_level_badge_parent_class)->dispose (object);
}

static void
mamori_level_badge_class_init (MamoriLevelBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_level_badge_get_property;
  object_class->set_property = mamori_level_badge_set_property;
  object_class->dispose = mamori_level_badge_dispose;

  properties[PROP_LEVEL]
      = g_param_spec_object ("level", NULL, NULL, MAMORI_TYPE_LEVEL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "levelbadge");
}

static void
mamori_level_badge_init (MamoriLevelBadge *self)
{
  self->label = gtk_label_new (NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
mamori_level_badge_new (MamoriLevel *level)
{
  return g_object_new (MAMORI_TYPE_LEVEL_BADGE, "level", level, NULL);
}

void
mamori_level_badge_set_level (MamoriLevelBadge *self, MamoriLevel *level)
{
  g_return_if_fail (MAMORI_IS_LEVEL_BADGE (self));
  g_return_if_fail (level == NULL || MAMORI_IS_LEVEL (level));

  if (!g_set_object (&self->level, level))
    return;

  if (self->rank_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->rank_class);
  g_clear_pointer (&self->rank_class, g_free);

  if (level != NULL)
    {
      guint rank = mamori_level_get_rank (level);

      if (rank < N_RANK_STYLES)
        self->rank_class = g_strdup_printf ("level-rank-%u", rank);
      else
        self->rank_class = g_strdup ("level-rank-other");
      gtk_widget_add_css_class (GTK_WIDGET (self), self->rank_class);
    }

  gtk_label_set_label (GTK_LABEL (self->label), level ? mamori_level_get_label (level) : NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}
