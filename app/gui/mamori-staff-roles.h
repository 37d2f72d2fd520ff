/* mamori-staff-roles.h — the roles a combo row offers for a staff member
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

/* Offers every role in @row, in the order a school lists its staff (teachers, office
 * staff, vice-principal, principal, board of education), with @role chosen. */
void
mamori_staff_role_row_init (AdwComboRow *row, MamoriRole role);
/* The role chosen in a row set up by mamori_staff_role_row_init (). */
MamoriRole
mamori_staff_role_row_get_role (AdwComboRow *row);

G_END_DECLS
