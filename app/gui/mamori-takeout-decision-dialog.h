/* mamori-takeout-decision-dialog.h — approve, decline or confirm the return of a take-out
 * request, with the approver's passphrase asked again
 *
 * The passphrase unwraps the approver's signing key again (mamori-takeout.h), in a session
 * job (the key derivation takes about a second).  A wrong one is said in the dialog,
 * which stays open to try again; so is what the records refuse.  "decided" is emitted
 * once the decision is signed, and the dialog closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"
#include "mamori-takeout.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_DECISION_DIALOG (mamori_takeout_decision_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MamoriTakeoutDecisionDialog,
                      mamori_takeout_decision_dialog,
                      MAMORI,
                      TAKEOUT_DECISION_DIALOG,
                      AdwWindow)

/* A dialog deciding @request (copied what it needs) as the session's unlocked user. */
MamoriTakeoutDecisionDialog *
mamori_takeout_decision_dialog_new (MamoriSession *session,
                                    MamoriTakeoutDecision decision,
                                    const MamoriTakeoutRequest *request);

G_END_DECLS
