/* mamori-takeout-grant-dialog.h — 包括承認: the blanket approvals in force
 *
 * An approver sees every valid grant, grants new ones and revokes them; anyone else sees
 * the grants that cover them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_GRANT_DIALOG (mamori_takeout_grant_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriTakeoutGrantDialog, mamori_takeout_grant_dialog, MAMORI, TAKEOUT_GRANT_DIALOG, AdwWindow)

/* For the user who unlocked @session's vault, under @policy. */
MamoriTakeoutGrantDialog *
mamori_takeout_grant_dialog_new (MamoriSession *session, MamoriPolicy *policy);
/* Reads the grants again, once no job of the session has the vault. */
void
mamori_takeout_grant_dialog_reload (MamoriTakeoutGrantDialog *self);

G_END_DECLS
