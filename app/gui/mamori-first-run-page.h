/* mamori-first-run-page.h — a welcome, then the form that creates the school's vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_FIRST_RUN_PAGE (mamori_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriFirstRunPage, mamori_first_run_page, MAMORI, FIRST_RUN_PAGE, AdwBin)

GtkWidget *
mamori_first_run_page_new (void);
MamoriSession *
mamori_first_run_page_get_session (MamoriFirstRunPage *self);
void
mamori_first_run_page_set_session (MamoriFirstRunPage *self, MamoriSession *session);

G_END_DECLS
