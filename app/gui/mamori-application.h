/* mamori-application.h — the application: settings, the vault session, locking, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lock-monitor.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_APPLICATION (mamori_application_get_type ())
G_DECLARE_FINAL_TYPE (MamoriApplication, mamori_application, MAMORI, APPLICATION, AdwApplication)

MamoriApplication *
mamori_application_new (void);
/* The vault to open ("--vault PATH"); set before the application starts.  NULL, the
 * default, is mamori_session_get_default_path (). */
void
mamori_application_set_vault_path (MamoriApplication *self, const char *path);
/* Valid after startup. */
GSettings *
mamori_application_get_settings (MamoriApplication *self);
/* The vault and the lookup over its policy; valid after startup. */
MamoriSession *
mamori_application_get_session (MamoriApplication *self);
/* What locks the session; valid after startup. */
MamoriLockMonitor *
mamori_application_get_lock_monitor (MamoriApplication *self);

G_END_DECLS
