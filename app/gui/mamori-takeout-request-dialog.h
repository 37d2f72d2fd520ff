/* mamori-takeout-request-dialog.h — 新しい申請: the form a teacher files a take-out
 * request with
 *
 * Items from the register (searched as one types) or named by hand with a level of the
 * policy, a medium, a destination, a purpose and a period; what the policy says about
 * them is shown as they are chosen, and the measures it requires are ticked before the
 * request can be filed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG (mamori_takeout_request_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriTakeoutRequestDialog,
                      mamori_takeout_request_dialog,
                      MAMORI,
                      TAKEOUT_REQUEST_DIALOG,
                      AdwWindow)

/* For the user who unlocked @session's vault, under @policy (the school's, in force).  Emits
 * "filed" (the new request's id) and closes once the request is in the records: filed when
 * no job of the session has the vault (mamori_session_when_free()). */
MamoriTakeoutRequestDialog *
mamori_takeout_request_dialog_new (MamoriSession *session, MamoriPolicy *policy);

G_END_DECLS
