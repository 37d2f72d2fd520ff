/* mamori-staff-add-dialog.h — adds a person to the staff: name, role, initial passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-staff-dialog.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_ADD_DIALOG (mamori_staff_add_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriStaffAddDialog, mamori_staff_add_dialog, MAMORI, STAFF_ADD_DIALOG, MamoriStaffDialog)

/* For an unlocked @session.  Emits "added" (the name, the role) and closes once the
 * person is on the roster. */
MamoriStaffAddDialog *
mamori_staff_add_dialog_new (MamoriSession *session);

G_END_DECLS
