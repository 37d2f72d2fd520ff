/* mamori-board-server.h — the board's HTTP(S) front: docs/protocol.md over libsoup3
 *
 * Sessions (challenges and tokens) live in memory: a restarted server answers 401 and
 * clients open a new session.  Long polls are held as paused messages and answered as
 * soon as an event the caller may see is stored — by this server, or by an admin command
 * beside it (the store is polled for that).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-board.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_BOARD_SERVER (mamori_board_server_get_type ())
G_DECLARE_FINAL_TYPE (MamoriBoardServer, mamori_board_server, MAMORI, BOARD_SERVER, GObject)

/* @certificate (nullable): HTTPS with it; without, only a loopback address is served. */
MamoriBoardServer *
mamori_board_server_new (MamoriBoard *board, GTlsCertificate *certificate);

/* Listens on @address; its URI (with the port given, for port 0) in *@out_uri. */
gboolean
mamori_board_server_listen (MamoriBoardServer *self,
                            GInetSocketAddress *address,
                            char **out_uri,
                            GError **error);

/* Before the server goes: runs the main context until the sync under way (group
 * commit) is done and the pushes it covers are answered. */
void
mamori_board_server_drain (MamoriBoardServer *self);

G_END_DECLS
