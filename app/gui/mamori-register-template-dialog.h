/* mamori-register-template-dialog.h — the board's standard items not yet in the register,
 * to add in one go (テンプレートから追加)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-register.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG (mamori_register_template_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterTemplateDialog,
                      mamori_register_template_dialog,
                      MAMORI,
                      REGISTER_TEMPLATE_DIALOG,
                      AdwWindow)

/* The template items of @policy that none of @entries (MamoriRegisterEntry) is, for the
 * register of @session's vault; "added" (how many) is emitted once the chosen ones are in
 * the register (added when no job of the session has the vault). */
GtkWidget *
mamori_register_template_dialog_new (MamoriSession *session,
                                     MamoriPolicy *policy,
                                     GPtrArray *entries);

G_END_DECLS
