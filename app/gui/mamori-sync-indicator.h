/* mamori-sync-indicator.h — where the school's records stand with its board, in the
 * header bar: 同期済み, 未送信 N件, オフライン, エラー; a click syncs now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_SYNC_INDICATOR (mamori_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MamoriSyncIndicator, mamori_sync_indicator, MAMORI, SYNC_INDICATOR, GtkWidget)

void
mamori_sync_indicator_set_session (MamoriSyncIndicator *self, MamoriSession *session);

/* The text the indicator shows for @state with @unsent events waiting (for the tests). */
char *
mamori_sync_indicator_describe (MamoriSyncState state, guint unsent);

G_END_DECLS
