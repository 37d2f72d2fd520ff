/* mamori-register-sorter.h — a column of the register page that can be sorted by
 *
 * The register page does not sort with GTK: 100,000 entries would each need an object.
 * Each column gets one of these as its sorter, so that its header can be clicked; the
 * page then asks which column the column view sorts by, and in which direction
 * (mamori_register_sorter_get_sort()), and orders its table itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-register-entry.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_SORTER (mamori_register_sorter_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriRegisterSorter, mamori_register_sorter, MAMORI, REGISTER_SORTER, GtkSorter)

GtkSorter *
mamori_register_sorter_new (MamoriRegisterField field);

/* The field the column view's @view_sorter (gtk_column_view_get_sorter()) sorts by, and
 * whether descending; FALSE when it sorts by none. */
gboolean
mamori_register_sorter_get_sort (GtkSorter *view_sorter,
                                 MamoriRegisterField *out_field,
                                 gboolean *out_descending);

G_END_DECLS
