/* mamori-register-dialog.h — adding, editing or reading one entry of the register
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-register.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_DIALOG (mamori_register_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriRegisterDialog, mamori_register_dialog, MAMORI, REGISTER_DIALOG, AdwWindow)

/* A form for @entry (copied; NULL for a new one) of the register of @session's vault
 * under @policy.  Without @editable it only shows the entry and its history.  "saved"
 * (the entry's id) is emitted once the change is signed and stored: stored when no job
 * of the session has the vault (mamori_session_when_free()). */
GtkWidget *
mamori_register_dialog_new (MamoriSession *session,
                            MamoriPolicy *policy,
                            const MamoriRegisterEntry *entry,
                            gboolean editable);

G_END_DECLS
