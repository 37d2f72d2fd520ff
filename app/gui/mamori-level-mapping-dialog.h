/* mamori-level-mapping-dialog.h — where each level of the policy in force goes in a new
 * one, when the school changes schemes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-policy.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_LEVEL_MAPPING_DIALOG (mamori_level_mapping_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLevelMappingDialog,
                      mamori_level_mapping_dialog,
                      MAMORI,
                      LEVEL_MAPPING_DIALOG,
                      AdwMessageDialog)

/* Responses: "cancel", "install". */
MamoriLevelMappingDialog *
mamori_level_mapping_dialog_new (GtkWindow *parent, MamoriPolicy *from, MamoriPolicy *to);

/* The same for the board role publishing @to to every school after the board refused
 * it for the levels (@refusal: what the board said): the response "install" publishes. */
MamoriLevelMappingDialog *
mamori_level_mapping_dialog_new_for_board (GtkWindow *parent,
                                           MamoriPolicy *from,
                                           MamoriPolicy *to,
                                           const char *refusal);

/* The policy to install. */
MamoriPolicy *
mamori_level_mapping_dialog_get_policy (MamoriLevelMappingDialog *self);

/* The mapping as chosen, "A=I,B=II,…" (mamori-policy-mapping.h). */
char *
mamori_level_mapping_dialog_get_spec (MamoriLevelMappingDialog *self);

G_END_DECLS
