/* mamori-staff-row.h — a person in the staff page's list: name, role, and what may be
 * done to them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-staff-member.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_ROW (mamori_staff_row_get_type ())
G_DECLARE_FINAL_TYPE (MamoriStaffRow, mamori_staff_row, MAMORI, STAFF_ROW, AdwActionRow)

GtkWidget *
mamori_staff_row_new (MamoriStaffMember *member);
MamoriStaffMember *
mamori_staff_row_get_member (MamoriStaffRow *self);
/* The row's menu offers "staff.change-role" and "staff.remove" for the person, each only
 * when given; without either the row has no menu. */
void
mamori_staff_row_set_actions (MamoriStaffRow *self, gboolean change_role, gboolean remove);

G_END_DECLS
