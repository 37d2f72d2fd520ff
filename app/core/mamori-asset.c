/* mamori-asset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy-private.h"

G_DEFINE_FINAL_TYPE (MamoriAsset, mamori_asset, G_TYPE_OBJECT)

static const char *const empty_strv[] = { NULL };

static void
mamori_asset_finalize (GObject *object)
{
  MamoriAsset *self = MAMORI_ASSET (object);

  g_free (self->name);
  g_free (self->category_id);
  g_free (self->category_label);
  g_clear_object (&self->level);
  g_free (self->qualifier);
  g_free (self->note);
  g_strfreev (self->aliases);
  g_clear_pointer (&self->alias_readings, g_ptr_array_unref);
  g_free (self->reading);
  g_strfreev (self->keywords);
  g_clear_pointer (&self->axis_values, g_hash_table_unref);
  _mamori_basis_free (self->basis);
  g_free (self->display_name);

  G_OBJECT_CLASS (mamori_asset_parent_class)->finalize (object);
}

static void
mamori_asset_class_init (MamoriAssetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_asset_finalize;
}

static void
mamori_asset_init (MamoriAsset *self)
{
}

const char *
mamori_asset_get_name (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->name;
}

const char *
mamori_asset_get_category_id (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->category_id;
}

const char *
mamori_asset_get_category_label (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->category_label;
}

MamoriLevel *
mamori_asset_get_level (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->level;
}

const char *
mamori_asset_get_qualifier (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->qualifier;
}

const char *
mamori_asset_get_note (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->note;
}

const char *const *
mamori_asset_get_aliases (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), empty_strv);
  return self->aliases ? (const char *const *)self->aliases : empty_strv;
}

const char *
mamori_asset_get_display_name (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);

  if (self->display_name == NULL)
    self->display_name = self->qualifier ? g_strdup_printf ("%s（%s）", self->name, self->qualifier)
                                         : g_strdup (self->name);
  return self->display_name;
}

const char *
mamori_asset_get_reading (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->reading;
}

const char *
mamori_asset_get_alias_reading (MamoriAsset *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);

  if (self->alias_readings == NULL || index >= self->alias_readings->len)
    return NULL;
  return g_ptr_array_index (self->alias_readings, index);
}

const char *const *
mamori_asset_get_keywords (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), empty_strv);
  return self->keywords ? (const char *const *)self->keywords : empty_strv;
}

MamoriAxisValue *
mamori_asset_get_axis_value (MamoriAsset *self, const char *axis_id)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  g_return_val_if_fail (axis_id != NULL, NULL);

  return self->axis_values ? g_hash_table_lookup (self->axis_values, axis_id) : NULL;
}

const MamoriBasis *
mamori_asset_get_basis (MamoriAsset *self)
{
  g_return_val_if_fail (MAMORI_IS_ASSET (self), NULL);
  return self->basis;
}
