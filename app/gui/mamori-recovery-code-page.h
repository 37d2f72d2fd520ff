/* mamori-recovery-code-page.h — the new vault's recovery code, shown once, with a print button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_RECOVERY_CODE_PAGE (mamori_recovery_code_page_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriRecoveryCodePage, mamori_recovery_code_page, MAMORI, RECOVERY_CODE_PAGE, AdwBin)

/* Shows the recovery code @session holds; "recovery.continue" makes it forget it. */
GtkWidget *
mamori_recovery_code_page_new (MamoriSession *session);

G_END_DECLS
