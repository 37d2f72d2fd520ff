/* mamori-asset-detail.h — how to handle one asset: its level, take-out, where it may be kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-policy.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_ASSET_DETAIL (mamori_asset_detail_get_type ())
G_DECLARE_FINAL_TYPE (MamoriAssetDetail, mamori_asset_detail, MAMORI, ASSET_DETAIL, AdwBin)

GtkWidget *
mamori_asset_detail_new (MamoriPolicy *policy, MamoriAsset *asset);
MamoriAsset *
mamori_asset_detail_get_asset (MamoriAssetDetail *self);

G_END_DECLS
