/* mamori-window.h — the main window: the areas of the app and the detail pages over them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup-page.h"
#include "mamori-lookup.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_WINDOW (mamori_window_get_type ())
G_DECLARE_FINAL_TYPE (MamoriWindow, mamori_window, MAMORI, WINDOW, AdwApplicationWindow)

MamoriWindow *
mamori_window_new (GtkApplication *application, MamoriSession *session);
MamoriSession *
mamori_window_get_session (MamoriWindow *self);
/* What the window shows: "first-run", "unlock", "recovery" (the new vault's recovery
 * code), "broken" (the vault cannot be opened) or "main" (the main areas). */
const char *
mamori_window_get_view (MamoriWindow *self);
MamoriLookup *
mamori_window_get_lookup (MamoriWindow *self);
void
mamori_window_set_lookup (MamoriWindow *self, MamoriLookup *lookup);
MamoriLookupPage *
mamori_window_get_lookup_page (MamoriWindow *self);
/* The page in front: the main areas, or a detail page opened from them. */
GtkWidget *
mamori_window_get_visible_page (MamoriWindow *self);
/* Opens the detail page of a MamoriAsset or a MamoriScenario of the current policy. */
void
mamori_window_show_item (MamoriWindow *self, GObject *item);
void
mamori_window_go_back (MamoriWindow *self);

G_END_DECLS
