/* mamori-enroll-form.h — the first run on a computer without the school's vault: the
 * board's address, the person's enrollment code and a passphrase for this computer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_ENROLL_FORM (mamori_enroll_form_get_type ())
G_DECLARE_FINAL_TYPE (MamoriEnrollForm, mamori_enroll_form, MAMORI, ENROLL_FORM, AdwBin)

void
mamori_enroll_form_set_session (MamoriEnrollForm *self, MamoriSession *session);

G_END_DECLS
