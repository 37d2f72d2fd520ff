/* mamori-level-badge.h — a level's label as a badge, stronger for more sensitive levels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-level.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_LEVEL_BADGE (mamori_level_badge_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLevelBadge, mamori_level_badge, MAMORI, LEVEL_BADGE, GtkWidget)

GtkWidget *
mamori_level_badge_new (MamoriLevel *level);
void
mamori_level_badge_set_level (MamoriLevelBadge *self, MamoriLevel *level);

G_END_DECLS
