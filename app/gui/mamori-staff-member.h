/* mamori-staff-member.h — a person on the school's staff roster, as the GUI lists them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_MEMBER (mamori_staff_member_get_type ())
G_DECLARE_FINAL_TYPE (MamoriStaffMember, mamori_staff_member, MAMORI, STAFF_MEMBER, GObject)

/* @id is the roster's staff id; @is_self whether this is the one who unlocked the vault. */
MamoriStaffMember *
mamori_staff_member_new (const char *id, const char *name, MamoriRole role, gboolean is_self);

const char *
mamori_staff_member_get_id (MamoriStaffMember *self);
const char *
mamori_staff_member_get_name (MamoriStaffMember *self);
MamoriRole
mamori_staff_member_get_role (MamoriStaffMember *self);
/* The roster changed the person's role (notifies "role"). */
void
mamori_staff_member_set_role (MamoriStaffMember *self, MamoriRole role);
gboolean
mamori_staff_member_get_is_self (MamoriStaffMember *self);
/* Whether the role administers the vault (principal, vice-principal, board). */
gboolean
mamori_staff_member_is_administrator (MamoriStaffMember *self);

G_END_DECLS
