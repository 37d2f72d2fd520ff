/* mamori-policy-axis-value.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy-private.h"

G_DEFINE_FINAL_TYPE (MamoriAxisValue, mamori_axis_value, G_TYPE_OBJECT)

static const char *const empty_strv[] = { NULL };

static void
mamori_axis_value_finalize (GObject *object)
{
  MamoriAxisValue *self = MAMORI_AXIS_VALUE (object);

  g_free (self->id);
  g_free (self->label);
  g_free (self->definition);
  g_strfreev (self->handling);
  _mamori_basis_free (self->basis);

  G_OBJECT_CLASS (mamori_axis_value_parent_class)->finalize (object);
}

static void
mamori_axis_value_class_init (MamoriAxisValueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_axis_value_finalize;
}

static void
mamori_axis_value_init (MamoriAxisValue *self)
{
}

const char *
mamori_axis_value_get_id (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), NULL);
  return self->id;
}

const char *
mamori_axis_value_get_label (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), NULL);
  return self->label;
}

const char *
mamori_axis_value_get_definition (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), NULL);
  return self->definition;
}

guint
mamori_axis_value_get_rank (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), 0);
  return self->rank;
}

const char *const *
mamori_axis_value_get_handling (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), empty_strv);
  return self->handling ? (const char *const *)self->handling : empty_strv;
}

const MamoriBasis *
mamori_axis_value_get_basis (MamoriAxisValue *self)
{
  g_return_val_if_fail (MAMORI_IS_AXIS_VALUE (self), NULL);
  return self->basis;
}
