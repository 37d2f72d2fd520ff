/* mamori-board-page.h — 学校: the board of education's view of its schools
 *
 * For a person whose role is the board (the window shows the page to nobody else, and
 * the board refuses its requests to anyone else): a column view of the schools (学校,
 * 申請中, 期限超過, 却下, 重要度を下げた資産), the selected school's lowered register
 * entries (template level → the school's, the reason, who and when), 更新, and 「ポリシー
 * を配布」: a preset or a file, confirmed, published to every school by the board.  While
 * no school has joined it says so; when the board cannot be reached, why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_BOARD_PAGE (mamori_board_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriBoardPage, mamori_board_page, MAMORI, BOARD_PAGE, AdwBin)

void
mamori_board_page_set_session (MamoriBoardPage *self, MamoriSession *session);
/* Asks the board for its schools again (when the session is free). */
void
mamori_board_page_refresh (MamoriBoardPage *self);
/* What the page shows: "loading", "schools", "empty" or "error". */
const char *
mamori_board_page_get_state (MamoriBoardPage *self);
/* The schools shown (MamoriBoardSchool), in a selection. */
GtkSingleSelection *
mamori_board_page_get_selection (MamoriBoardPage *self);

G_END_DECLS
