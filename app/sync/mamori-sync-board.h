/* mamori-sync-board.h — what a person whose role is the board (教育委員会) asks the board
 * for: the view of every school, and publishing a policy to every school
 * (docs/protocol.md, "The board's view" and "Publishing a policy over the protocol")
 *
 * The board answers anyone else 403, which is MAMORI_SYNC_ERROR_NOT_PERMITTED here.
 * The plain calls block on the network; the _async ones run them in a thread of their
 * own, during which nothing else may use the client or its vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-board-school.h"
#include "mamori-policy.h"
#include "mamori-sync-client.h"

G_BEGIN_DECLS

/* The board's schools (a GListModel of MamoriBoardSchool, in the board's order). */
GListModel *
mamori_sync_client_fetch_schools (MamoriSyncClient *self,
                                  GCancellable *cancellable,
                                  GError **error);
void
mamori_sync_client_fetch_schools_async (MamoriSyncClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
GListModel *
mamori_sync_client_fetch_schools_finish (MamoriSyncClient *self,
                                         GAsyncResult *result,
                                         GError **error);

/* The board signs @policy's policy-installed in every school that has joined; with
 * @level_map ("A=I,B=II,…", nullable) the register entries move to the new levels.  In
 * how many schools (*@out_schools) and how many entries moved (*@out_relevelled).  A
 * register using a level the policy lacks, without a map, is MAMORI_SYNC_ERROR_LEVELS
 * (the board's 409 levels-unmapped), its message naming the schools and levels in the
 * user's language (ask where each level goes, and publish again with the map); a map that does not
 * fit, MAMORI_SYNC_ERROR_INPUT; anyone but the board role, MAMORI_SYNC_ERROR_NOT_PERMITTED. */
gboolean
mamori_sync_client_publish_policy (MamoriSyncClient *self,
                                   MamoriPolicy *policy,
                                   const char *level_map,
                                   guint *out_schools,
                                   guint *out_relevelled,
                                   GCancellable *cancellable,
                                   GError **error);
void
mamori_sync_client_publish_policy_async (MamoriSyncClient *self,
                                         MamoriPolicy *policy,
                                         const char *level_map,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean
mamori_sync_client_publish_policy_finish (MamoriSyncClient *self,
                                          GAsyncResult *result,
                                          guint *out_schools,
                                          guint *out_relevelled,
                                          GError **error);

G_END_DECLS
