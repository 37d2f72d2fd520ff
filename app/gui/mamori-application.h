/* mamori-application.h — the application: settings, the loaded policy, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_APPLICATION (mamori_application_get_type ())
G_DECLARE_FINAL_TYPE (MamoriApplication, mamori_application, MAMORI, APPLICATION, AdwApplication)

MamoriApplication *mamori_application_new (void);
/* Valid after startup. */
GSettings *mamori_application_get_settings (MamoriApplication *self);
/* The lookup over the policy chosen by the "scheme" setting; valid after startup. */
MamoriLookup *mamori_application_get_lookup (MamoriApplication *self);

G_END_DECLS
