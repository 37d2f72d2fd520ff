/* mamori-asset.h — a named information asset of the policy's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-level.h"
#include "mamori-policy-axis-value.h"

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
/* The name's reading in hiragana (読み), words separated by spaces; NULL if not given. */
const char *
mamori_asset_get_reading (MamoriAsset *self);
/* The reading of the alias at @index of mamori_asset_get_aliases(), or NULL. */
const char *
mamori_asset_get_alias_reading (MamoriAsset *self, guint index);
/* Words staff type when they look for this asset that are not names of it
 * (家庭訪問 for 住所録); never NULL. */
const char *const *
mamori_asset_get_keywords (MamoriAsset *self);
/* The asset's value on a further axis of the scheme (mamori_policy_get_axes()), or NULL
 * where the policy does not give one.  The level is the value on the primary axis. */
MamoriAxisValue *
mamori_asset_get_axis_value (MamoriAsset *self, const char *axis_id);
/* NULL when the asset, its level and its qualifier are the source's words. */
const MamoriBasis *
mamori_asset_get_basis (MamoriAsset *self);

G_END_DECLS
