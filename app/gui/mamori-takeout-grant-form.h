/* mamori-takeout-grant-form.h — grants a blanket approval (包括承認): for a person or all
 * staff, up to a level, until a date; or approves a request and grants one with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"
#include "mamori-takeout.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_GRANT_FORM (mamori_takeout_grant_form_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriTakeoutGrantForm, mamori_takeout_grant_form, MAMORI, TAKEOUT_GRANT_FORM, AdwWindow)

/* For the user who unlocked @session's vault, under @policy.  With @request (copied),
 * granting approves it too (mamori_takeout_approve_with_grant()), for its requester and
 * level unless changed.  The grant asks for the user's passphrase again and is signed in a
 * session job; emits "granted" (the grant's id) and closes once it is signed. */
MamoriTakeoutGrantForm *
mamori_takeout_grant_form_new (MamoriSession *session,
                               MamoriPolicy *policy,
                               const MamoriTakeoutRequest *request);

G_END_DECLS
