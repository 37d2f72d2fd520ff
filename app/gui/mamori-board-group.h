/* mamori-board-group.h — the preferences' group for the board of education: the board
 * the school joined, or the form to join one (server address and join code)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_BOARD_GROUP (mamori_board_group_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriBoardGroup, mamori_board_group, MAMORI, BOARD_GROUP, AdwPreferencesGroup)

void
mamori_board_group_set_session (MamoriBoardGroup *self, MamoriSession *session);

G_END_DECLS
