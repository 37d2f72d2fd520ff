/* mamori-asset.h — a named information asset of the policy's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-level.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_ASSET (mamori_asset_get_type ())
G_DECLARE_FINAL_TYPE (MamoriAsset, mamori_asset, MAMORI, ASSET, GObject)

const char *
mamori_asset_get_name (MamoriAsset *self);
const char *
mamori_asset_get_category_id (MamoriAsset *self);
/* The category's label, e.g. 「成績情報」. */
const char *
mamori_asset_get_category_label (MamoriAsset *self);
/* The level the policy gives this asset (never NULL). */
MamoriLevel *
mamori_asset_get_level (MamoriAsset *self);
/* 「個人情報を含まないもの」…, or NULL. */
const char *
mamori_asset_get_qualifier (MamoriAsset *self);
/* 「解答後の取扱いは、重要度Bと同様」…, or NULL. */
const char *
mamori_asset_get_note (MamoriAsset *self);
/* Other names the asset is known by; never NULL. */
const char *const *
mamori_asset_get_aliases (MamoriAsset *self);
/* "name（qualifier）" when there is a qualifier, else the name. Owned by the asset. */
const char *
mamori_asset_get_display_name (MamoriAsset *self);

G_END_DECLS
