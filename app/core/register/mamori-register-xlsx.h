/* mamori-register-xlsx.h — the register as the XLSX file a board asks schools to send
 *
 * Sheet 台帳: one row per entry with the columns of the CSV file, a bold and frozen
 * header row, column widths fitted to what they hold, 重要度 cells tinted per level.
 * Sheet 保管場所: each place with its effective level (highest level wins), the number of
 * entries kept there and their names.  Written by libxlsxwriter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-register-entry.h"

G_BEGIN_DECLS

/* Writes @entries (MamoriRegisterEntry) to @path, which is replaced only by a complete
 * file. */
gboolean
mamori_register_export_xlsx (MamoriPolicy *policy,
                             GPtrArray *entries,
                             const char *path,
                             GError **error);

G_END_DECLS
