/* mamori-staff-passphrase-dialog.h — the unlocked user changes their own passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-staff-dialog.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_PASSPHRASE_DIALOG (mamori_staff_passphrase_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriStaffPassphraseDialog,
                      mamori_staff_passphrase_dialog,
                      MAMORI,
                      STAFF_PASSPHRASE_DIALOG,
                      MamoriStaffDialog)

/* For an unlocked @session.  Emits "passphrase-changed" and closes once the new
 * passphrase opens the vault. */
MamoriStaffPassphraseDialog *
mamori_staff_passphrase_dialog_new (MamoriSession *session);

G_END_DECLS
