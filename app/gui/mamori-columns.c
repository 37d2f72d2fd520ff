/* mamori-columns.c — children side by side when there is room, one above the other when not
 *
 * GTK 4.8 has no breakpoints, so the choice is made where the width is known: in
 * measure (height for width) and in size_allocate.  The children are columns when each
 * can have at least "column-width" pixels (and its own minimum width); otherwise they are
 * stacked, in order.  Children are added from a .ui file as <child> elements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-columns.h"

struct _MamoriColumns
{
  GtkWidget parent_instance;

  int spacing;
  int column_width;
};

G_DEFINE_FINAL_TYPE (MamoriColumns, mamori_columns, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SPACING,
  PROP_COLUMN_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
mamori_columns_count_visible (MamoriColumns *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      n++;

  return n;
}

static gboolean
mamori_columns_fits_side_by_side (MamoriColumns *self, int width, guint n_visible)
{
  int needed;

  if (n_visible < 2)
    return FALSE;

  needed = self->spacing * (int)(n_visible - 1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      needed += MAX (child_min, self->column_width);
    }

  return width >= needed;
}

static int
mamori_columns_column_width (MamoriColumns *self, int width, guint n_visible)
{
  return (width - self->spacing * (int)(n_visible - 1)) / (int)n_visible;
}

static void
mamori_columns_measure (GtkWidget *widget,
                        GtkOrientation orientation,
                        int for_size,
                        int *minimum,
                        int *natural,
                        int *minimum_baseline,
                        int *natural_baseline)
{
  MamoriColumns *self = MAMORI_COLUMNS (widget);
  guint n_visible = mamori_columns_count_visible (self);
  gboolean side_by_side = FALSE;
  int child_for_size = for_size;

  *minimum = 0;
  *natural = 0;

  if (n_visible == 0)
    return;

  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    {
      side_by_side = mamori_columns_fits_side_by_side (self, for_size, n_visible);
      if (side_by_side)
        child_for_size = mamori_columns_column_width (self, for_size, n_visible);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min;
      int child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, child_for_size, &child_min, &child_nat, NULL, NULL);

      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* At least as narrow as the widest child stacked; at best side by side. */
          *minimum = MAX (*minimum, child_min);
          *natural += MAX (child_nat, self->column_width);
        }
      else if (side_by_side)
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          *minimum += child_min;
          *natural += child_nat;
        }
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL || !side_by_side)
    {
      int spacing = self->spacing * (int)(n_visible - 1);

      *natural += spacing;
      if (orientation == GTK_ORIENTATION_VERTICAL)
        *minimum += spacing;
    }

  *natural = MAX (*natural, *minimum);
}

static void
mamori_columns_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  MamoriColumns *self = MAMORI_COLUMNS (widget);
  guint n_visible = mamori_columns_count_visible (self);
  gboolean side_by_side = mamori_columns_fits_side_by_side (self, width, n_visible);
  int column_width = side_by_side ? mamori_columns_column_width (self, width, n_visible) : width;
  int x = 0;
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, column_width, NULL, &child_height, NULL,
                          NULL);

      if (side_by_side)
        {
          gtk_widget_size_allocate (child, &(GtkAllocation){ x, 0, column_width, child_height },
                                    -1);
          x += column_width + self->spacing;
        }
      else
        {
          gtk_widget_size_allocate (child, &(GtkAllocation){ 0, y, width, child_height }, -1);
          y += child_height + self->spacing;
        }
    }
}

static GtkSizeRequestMode
mamori_columns_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mamori_columns_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriColumns *self = MAMORI_COLUMNS (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;

    case PROP_COLUMN_WIDTH:
      g_value_set_int (value, self->column_width);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_columns_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MamoriColumns *self = MAMORI_COLUMNS (object);
  int *field;

  switch (prop_id)
    {
    case PROP_SPACING:
      field = &self->spacing;
      break;

    case PROP_COLUMN_WIDTH:
      field = &self->column_width;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (*field == g_value_get_int (value))
    return;

  *field = g_value_get_int (value);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
mamori_columns_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mamori_columns_parent_class)->dispose (object);
}

static void
mamori_columns_class_init (MamoriColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_columns_get_property;
  object_class->set_property = mamori_columns_set_property;
  object_class->dispose = mamori_columns_dispose;

  widget_class->measure = mamori_columns_measure;
  widget_class->size_allocate = mamori_columns_size_allocate;
  widget_class->get_request_mode = mamori_columns_get_request_mode;

  properties[PROP_SPACING]
      = g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Below this width per column, the children are stacked. */
  properties[PROP_COLUMN_WIDTH]
      = g_param_spec_int ("column-width", NULL, NULL, 0, G_MAXINT, 300,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "columns");
}

static void
mamori_columns_init (MamoriColumns *self)
{
  self->column_width = 300;
}
