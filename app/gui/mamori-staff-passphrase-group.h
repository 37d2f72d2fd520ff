/* mamori-staff-passphrase-group.h — a new passphrase typed twice, rated as it is typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MAMORI_TYPE_STAFF_PASSPHRASE_GROUP (mamori_staff_passphrase_group_get_type ())
G_DECLARE_FINAL_TYPE (MamoriStaffPassphraseGroup,
                      mamori_staff_passphrase_group,
                      MAMORI,
                      STAFF_PASSPHRASE_GROUP,
                      AdwPreferencesGroup)

/* The person whose passphrase it is: it must not contain their name. */
void
mamori_staff_passphrase_group_set_user (MamoriStaffPassphraseGroup *self, const char *user);
/* Whether the passphrase may be used: not refused by the rating, and typed twice alike. */
gboolean
mamori_staff_passphrase_group_get_acceptable (MamoriStaffPassphraseGroup *self);
/* The passphrase, copied into secure memory (free it with mamori_secure_free ()); both
 * entries are cleared at once. */
char *
mamori_staff_passphrase_group_take_passphrase (MamoriStaffPassphraseGroup *self);
/* Shown instead of the rating while not NULL ("Adding…"): the entries are empty then. */
void
mamori_staff_passphrase_group_set_status (MamoriStaffPassphraseGroup *self, const char *status);

G_END_DECLS
