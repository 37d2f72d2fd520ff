/* mamori-staff-page.h — the staff roster in the preferences: who may open the vault, in
 * which role; administrators add and remove people and change roles; everyone changes
 * their own passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_PAGE (mamori_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriStaffPage, mamori_staff_page, MAMORI, STAFF_PAGE, AdwPreferencesPage)

GtkWidget *
mamori_staff_page_new (void);
MamoriSession *
mamori_staff_page_get_session (MamoriStaffPage *self);
void
mamori_staff_page_set_session (MamoriStaffPage *self, MamoriSession *session);

G_END_DECLS
