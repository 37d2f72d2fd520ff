/* mamori-unlock-page.h — the locked vault: choose who you are, type your passphrase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_UNLOCK_PAGE (mamori_unlock_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriUnlockPage, mamori_unlock_page, MAMORI, UNLOCK_PAGE, AdwBin)

GtkWidget *
mamori_unlock_page_new (void);
MamoriSession *
mamori_unlock_page_get_session (MamoriUnlockPage *self);
void
mamori_unlock_page_set_session (MamoriUnlockPage *self, MamoriSession *session);
/* The user chosen in the list; NULL when the vault is not there. */
const char *
mamori_unlock_page_get_user (MamoriUnlockPage *self);
/* Moves the focus to the list of users (to switch user) rather than the passphrase. */
void
mamori_unlock_page_focus_user (MamoriUnlockPage *self);

G_END_DECLS
