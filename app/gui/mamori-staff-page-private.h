/* mamori-staff-page-private.h — the staff page's insides, shared by mamori-staff-page.c
 * (the list and what is offered) and mamori-staff-page-actions.c (the actions, and the
 * dialogs that ask before and tell after)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-staff-page.h"

G_BEGIN_DECLS

struct _MamoriStaffPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *roster_group;
  GtkWidget *add_button;
  GtkListBox *staff_list;
  AdwActionRow *passphrase_row;
  AdwPreferencesGroup *key_group;

  /* Owned references */
  MamoriSession *session;
  GSignalGroup *session_signals;
  GSignalGroup *staff_signals;
  GCancellable *cancellable; /* the page's own jobs: cancelled when it goes */
};

/* Asks the window for a toast ("add-toast"). */
void
_mamori_staff_page_toast (MamoriStaffPage *self, const char *message);

/* The actions (mamori-staff-page-actions.c), for class_init. */
void
_mamori_staff_page_add_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void
_mamori_staff_page_change_role_action (GtkWidget *widget,
                                       const char *action_name,
                                       GVariant *parameter);
void
_mamori_staff_page_remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void
_mamori_staff_page_change_passphrase_action (GtkWidget *widget,
                                             const char *action_name,
                                             GVariant *parameter);
void
_mamori_staff_page_rotate_key_action (GtkWidget *widget,
                                      const char *action_name,
                                      GVariant *parameter);

G_END_DECLS
