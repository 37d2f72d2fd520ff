/* mamori-session-board.h — what the session does for a person whose role is the board
 * (教育委員会): the view of every school, and publishing a policy to every school
 * (mamori-sync-board.h), each as a session job with the vault to itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-session.h"
#include "mamori-sync-board.h"

G_BEGIN_DECLS

/* Whether the unlocked person's role is the board. */
gboolean
mamori_session_is_board (MamoriSession *self);

/* The board's schools: a GListModel of MamoriBoardSchool. */
void
mamori_session_fetch_schools_async (MamoriSession *self,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
GListModel *
mamori_session_fetch_schools_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* Asks the board to publish @policy to every school, the register entries moving by
 * @level_map ("A=I,B=II,…", nullable; mamori_sync_client_publish_policy()); a register
 * using a level @policy lacks, without a map, is MAMORI_SYNC_ERROR_LEVELS.
 * *@out_schools: in how many schools. */
void
mamori_session_publish_policy_async (MamoriSession *self,
                                     MamoriPolicy *policy,
                                     const char *level_map,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean
mamori_session_publish_policy_finish (MamoriSession *self,
                                      GAsyncResult *result,
                                      guint *out_schools,
                                      GError **error);

G_END_DECLS
