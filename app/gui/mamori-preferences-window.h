/* mamori-preferences-window.h — the school's policy preset, when the vault locks, and
 * the staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_PREFERENCES_WINDOW (mamori_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MamoriPreferencesWindow,
                      mamori_preferences_window,
                      MAMORI,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* For an unlocked @session; the window closes itself when the session locks. */
MamoriPreferencesWindow *
mamori_preferences_window_new (GSettings *settings, MamoriSession *session);

G_END_DECLS
