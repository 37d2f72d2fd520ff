/* mamori-sync-watch.h — waiting for the board's news without the vault (a long poll)
 *
 * A round (mamori_sync_client_sync()) has the vault to itself from start to end, so a
 * long poll inside it would keep everyone else off the vault for up to a minute.  A
 * watch waits instead with what the last round left behind — the session token and the
 * cursor, copied when it starts — and touches no vault: when the board says it has
 * something, the caller runs an ordinary round, which pulls and applies.
 *
 * The watch's request travels on a connection of its own (a second SoupSession of the
 * client, used from the main context of the thread that started the watch), so a round
 * that pushes while the watch waits is never queued behind it, whatever the sessions'
 * max-conns-per-host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-sync-client.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_SYNC_NEWS_NONE,    /* the wait ended with nothing new: wait again */
  MAMORI_SYNC_NEWS_EVENTS,  /* the board holds events past the cursor, or was restored */
  MAMORI_SYNC_NEWS_EXPIRED, /* no token, or the board no longer takes it: a round opens one */
} MamoriSyncNews;

/* Waits up to @wait seconds (at most MAMORI_SYNC_MAX_WAIT) for events past @cursor of
 * the board store @epoch (NULL: any epoch is news), with @self's session token as it is
 * now.  Call it while no round runs on @self (the token is read at once); a round may
 * start while it waits.  Errors are a round's: MAMORI_SYNC_ERROR_UNREACHABLE (the seconds
 * the board asked to wait in *@out_retry_after, or 0), _CERTIFICATE, _REVOKED, …, and
 * G_IO_ERROR_CANCELLED. */
void
mamori_sync_client_watch_async (MamoriSyncClient *self,
                                const char *epoch,
                                gint64 cursor,
                                guint wait,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
MamoriSyncNews
mamori_sync_client_watch_finish (MamoriSyncClient *self,
                                 GAsyncResult *result,
                                 guint *out_retry_after,
                                 GError **error);

G_END_DECLS
