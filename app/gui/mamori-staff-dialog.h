/* mamori-staff-dialog.h — a form that changes the staff through the session, with the
 * work's progress and the core's refusal shown in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_DIALOG (mamori_staff_dialog_get_type ())
G_DECLARE_DERIVABLE_TYPE (MamoriStaffDialog, mamori_staff_dialog, MAMORI, STAFF_DIALOG, AdwWindow)

struct _MamoriStaffDialogClass
{
  AdwWindowClass parent_class;

  /* Enables the primary action for what the form holds; called when the session or the
   * work changes, and by the subclass when the form does. */
  void (*update) (MamoriStaffDialog *self);
};

MamoriSession *
mamori_staff_dialog_get_session (MamoriStaffDialog *self);
/* Cancelled when the dialog goes: a result that arrives later finds it cancelled. */
GCancellable *
mamori_staff_dialog_get_cancellable (MamoriStaffDialog *self);
/* While working the form cannot be changed, the primary button spins and the dialog
 * cannot be closed (the work takes a second or two and cannot be stopped half way). */
gboolean
mamori_staff_dialog_get_working (MamoriStaffDialog *self);
void
mamori_staff_dialog_set_working (MamoriStaffDialog *self, gboolean working);
/* Whether a change may start: the session is unlocked and not busy, and the dialog is
 * not working. */
gboolean
mamori_staff_dialog_get_idle (MamoriStaffDialog *self);
/* Shows @message above the form (NULL hides it). */
void
mamori_staff_dialog_show_error (MamoriStaffDialog *self, const char *message);

/* Shows @window modal over the window of @widget and closed with it.  The window joins
 * the application, whose lock monitor counts input in its windows as use. */
void
mamori_staff_present_window (GtkWindow *window, GtkWidget *widget);

G_END_DECLS
