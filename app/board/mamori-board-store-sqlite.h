/* mamori-board-store-sqlite.h — the board's embedded store: one SQLite file in WAL mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-board-store.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_BOARD_STORE_SQLITE (mamori_board_store_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriBoardStoreSqlite, mamori_board_store_sqlite, MAMORI, BOARD_STORE_SQLITE, GObject)

/* Opens the store at @path; @create makes a new one (refused when @path exists). */
MamoriBoardStore *
mamori_board_store_sqlite_open (const char *path, gboolean create, GError **error);

G_END_DECLS
