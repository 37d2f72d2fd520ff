/* mamori-sync-join.h — a school that kept its own vault joins its board of education
 * (docs/protocol.md, "Joining with an existing vault")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-sync-client.h"

G_BEGIN_DECLS

/* An enrollment code in normal form (upper case, no hyphens, I and L as 1, O as 0), or
 * NULL when @code is not one (12 characters of Crockford's base32). */
char *
mamori_sync_normalize_code (const char *code);

/* With the join code the board gave for this school, as its administrator unlocked in
 * @vault: checks the code is this school's, enrolls with the administrator's keys, pins
 * the board, sends the school's whole history, asks the board to confirm it
 * (school-joined) and syncs.  @certificate: the SHA-256 of the board's TLS certificate
 * as the board published it, or NULL to take the one a system-trusted connection shows.
 * @label names this computer for the board. */
gboolean
mamori_sync_join_board (MamoriVault *vault,
                        const char *url,
                        const char *code,
                        const char *label,
                        GBytes *certificate,
                        GCancellable *cancellable,
                        MamoriSyncReport *out_report,
                        GError **error);

/* On a computer without the school's vault: with the enrollment code the board gave a
 * person (mamori-board add-staff), creates the vault at @path for them under @passphrase
 * (the school, their name and role as the board has them), enrolls this computer's keys,
 * pins the board and syncs.  If the board refuses the code, nothing is left at @path.
 * Once enrolled, *@out_vault holds the vault (unlocked) even when the first sync then
 * fails: the next one finishes it. */
gboolean
mamori_sync_enroll (const char *path,
                    const char *url,
                    const char *code,
                    const char *passphrase,
                    const char *label,
                    GBytes *certificate,
                    GCancellable *cancellable,
                    MamoriVault **out_vault,
                    MamoriSyncReport *out_report,
                    GError **error);

G_END_DECLS
