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
