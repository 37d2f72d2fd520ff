/* mamori-columns.h — children side by side when there is room, one above the other when not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MAMORI_TYPE_COLUMNS (mamori_columns_get_type ())
G_DECLARE_FINAL_TYPE (MamoriColumns, mamori_columns, MAMORI, COLUMNS, GtkWidget)

G_END_DECLS
