/* mamori-register-import-dialog.h — what a register file would change, before anything
 * does
 *
 * The dialog reads the file (mamori_register_import_prepare()) and shows either its
 * errors, each with its line and column, or the entries it would add and change; only
 * Import changes the register, all of the file at once.  The encoding is found by
 * itself and can be chosen.  Reading and importing are session jobs in a thread
 * (mamori-session-register.h): the dialog shows a spinner meanwhile and stays
 * responsive; Cancel stops a reading, and closes the dialog with nothing imported, until
 * the import has begun.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-register.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_IMPORT_DIALOG (mamori_register_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterImportDialog,
                      mamori_register_import_dialog,
                      MAMORI,
                      REGISTER_IMPORT_DIALOG,
                      AdwWindow)

/* "imported" (a sentence saying what changed) is emitted once the file is imported. */
GtkWidget *
mamori_register_import_dialog_new (MamoriSession *session,
                                   MamoriPolicy *policy,
                                   GBytes *data,
                                   const char *file_name);

/* How many errors the preview shows (0 before it is read), and whether a reading or the
 * import is running or waiting for the session (for tests). */
guint
mamori_register_import_dialog_get_n_errors (MamoriRegisterImportDialog *self);
gboolean
mamori_register_import_dialog_get_busy (MamoriRegisterImportDialog *self);

G_END_DECLS
