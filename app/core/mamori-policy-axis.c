/* mamori-policy-axis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy-private.h"

G_DEFINE_FINAL_TYPE (MamoriAxis, mamori_axis, G_TYPE_OBJECT)

static void
mamori_axis_finalize (GObject *object)
{
  MamoriAxis *self = MAMORI_AXIS (object);

  g_free (self->id);
  g_free (self->label);
  g_clear_object (&self->values);

  G_OBJECT_CLASS (mamori_axis_parent_class)->finalize (object);
}

static void
mamori_axis_class_init (MamoriAxisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_axis_finalize;
}

static void
mamori_axis_init (MamoriAxis *self)
{
  self->values = g_list_store_new (MAMORI_TYPE_AXIS_VALUE);
}

const char *
mamori_axis_get_id (MamoriAxis *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS (self), NULL);
  return self->id;
}

const char *
mamori_axis_get_label (MamoriAxis *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS (self), NULL);
  return self->label;
}

GListModel *
mamori_axis_get_values (MamoriAxis *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS (self), NULL);
  return G_LIST_MODEL (self->values);
}

MamoriAxisValue *
mamori_axis_lookup_value (MamoriAxis *self, const char *value_id)
{
  guint n;

  g_return_val_if_fail (MAMORI_IS_AXIS (self), NULL);
  g_return_val_if_fail (value_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->values));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAxisValue) value = g_list_model_get_item (G_LIST_MODEL (self->values), i);
      if (g_str_equal (value->id, value_id))
        return value; /* the store keeps it alive */
    }
  return NULL;
}
