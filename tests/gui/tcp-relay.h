/* tcp-relay.h — a TCP relay on loopback between a computer under test and its board:
 * it counts what the computer sends, and stays at one address while the board behind
 * it goes away and comes back on another port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TcpRelay TcpRelay;

/* A relay to http://127.0.0.1:PORT of @upstream_uri ("http://127.0.0.1:PORT"). */
TcpRelay *
tcp_relay_new (const char *upstream_uri);
/* The relay's own address, "http://127.0.0.1:PORT". */
const char *
tcp_relay_get_uri (TcpRelay *relay);
/* Where new connections go from now on (NULL: nowhere, they are closed at once). */
void
tcp_relay_set_upstream (TcpRelay *relay, const char *upstream_uri);
/* The bytes the computers sent through the relay so far. */
guint64
tcp_relay_get_bytes_sent (TcpRelay *relay);
/* The connections open now. */
guint
tcp_relay_get_open (TcpRelay *relay);
void
tcp_relay_free (TcpRelay *relay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcpRelay, tcp_relay_free)

G_END_DECLS
