/* mamori-register-import-dialog.h — what a register file would change, before anything
 * does
 *
 * The dialog reads the file (mamori_register_import_prepare()) and shows either its
 * errors, each with its line and column, or the entries it would add and change; only
 * Import changes the register, all of the file at once.  The encoding is found by
 * itself and can be chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-register.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_IMPORT_DIALOG (mamori_register_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterImportDialog,
                      mamori_register_import_dialog,
                      MAMORI,
                      REGISTER_IMPORT_DIALOG,
                      AdwWindow)

/* "imported" (a sentence saying what changed) is emitted once the file is imported. */
GtkWidget *
mamori_register_import_dialog_new (MamoriVault *vault,
                                   MamoriPolicy *policy,
                                   GBytes *data,
                                   const char *file_name);

/* How many errors the file has, and the rows it would add or change (for tests). */
guint
mamori_register_import_dialog_get_n_errors (MamoriRegisterImportDialog *self);

G_END_DECLS
