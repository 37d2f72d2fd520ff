/* mamori-register-page.h — 台帳: the school's information-asset register
 *
 * A column view of the register's entries (名称, 分類, 重要度, 媒体, 保管場所, 取扱者,
 * 保管期限), sorted by any column, filtered by category and level and by words typed
 * as in the lookup; the places the school keeps information in, each at the highest level
 * it holds; and, for those whose role keeps the register (administrators and office
 * staff), adding and editing in a dialog, removing with an undo, adding the board's
 * standard items, importing CSV and exporting CSV and XLSX.  It follows the session: a
 * locked vault shows nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-register-table.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_PAGE (mamori_register_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterPage, mamori_register_page, MAMORI, REGISTER_PAGE, AdwBin)

GtkWidget *
mamori_register_page_new (void);

/* The session whose school's register the page shows. */
void
mamori_register_page_set_session (MamoriRegisterPage *self, MamoriSession *session);

/* The entries shown (for tests and the benchmark). */
MamoriRegisterTable *
mamori_register_page_get_table (MamoriRegisterPage *self);
/* Reads the register from the vault again, in the session's thread (a session job):
 * the page shows what it showed until then, or, the first time after unlocking, that it
 * is reading.  When the page is hidden, or another job has the vault, it reads once it is
 * shown and the vault is free. */
void
mamori_register_page_reload (MamoriRegisterPage *self);
/* Whether the page has still to show the register as the vault holds it: a reading
 * under way or waiting for the vault, or, in the places view, places still without their
 * row (for tests and the benchmark). */
gboolean
mamori_register_page_get_loading (MamoriRegisterPage *self);

G_END_DECLS
