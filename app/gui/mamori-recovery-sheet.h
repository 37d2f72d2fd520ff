/* mamori-recovery-sheet.h — the printed recovery code, for the board of education to keep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A one-page print operation: the school, the date, the code and what it is for.  It
 * keeps its own copy of @recovery_code in secure memory, wiped when it is finalized. */
GtkPrintOperation *
mamori_recovery_sheet_new (const char *school, const char *recovery_code);

/* @recovery_code ("ABCDE-FGHJK-…", 8 groups) on two lines of four groups, as a
 * MamoriSecret (free it with mamori_secure_free ()).  Reading a code ignores the line
 * break, so a copy of both lines unlocks as well. */
char *
mamori_recovery_code_to_lines (const char *recovery_code);

G_END_DECLS
