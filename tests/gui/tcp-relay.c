/* tcp-relay.c — a TCP relay on loopback that counts what the computer sends
 *
 * Runs in the test's main context: each connection is two pumps (computer → board and
 * board → computer) of asynchronous reads and writes; when either side closes, both
 * are closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tcp-relay.h"

struct _TcpRelay
{
  GSocketService *service;
  char *uri;
  guint16 upstream_port; /* 0: none */
  guint64 bytes_sent;
  guint open;
};

typedef struct
{
  TcpRelay *relay;
  GIOStream *computer;
  GIOStream *board;
  guint pumps; /* running */
  gboolean closed;
} Connection;

typedef struct
{
  Connection *connection;
  GInputStream *from;
  GOutputStream *to;
  gboolean counted; /* the computer's side */
  guint8 buffer[16384];
} Pump;

static guint16
port_of (const char *uri)
{
  const char *colon = strrchr (uri, ':');

  g_assert_nonnull (colon);
  return (guint16)g_ascii_strtoull (colon + 1, NULL, 10);
}

static void
connection_close (Connection *connection)
{
  if (connection->closed)
    return;
  connection->closed = TRUE;
  g_io_stream_close (connection->computer, NULL, NULL);
  if (connection->board != NULL)
    g_io_stream_close (connection->board, NULL, NULL);
}

static void
pump_end (Pump *pump)
{
  Connection *connection = pump->connection;

  connection_close (connection);
  g_free (pump);
  if (--connection->pumps > 0)
    return;
  connection->relay->open--;
  g_object_unref (connection->computer);
  g_clear_object (&connection->board);
  g_free (connection);
}

static void
pump_read (Pump *pump);

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pump *pump = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || pump->connection->closed)
    pump_end (pump);
  else
    pump_read (pump);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pump *pump = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || pump->connection->closed)
    {
      pump_end (pump);
      return;
    }
  if (pump->counted)
    pump->connection->relay->bytes_sent += n;
  g_output_stream_write_all_async (pump->to, pump->buffer, n, G_PRIORITY_DEFAULT, NULL, written_cb,
                                   pump);
}

static void
pump_read (Pump *pump)
{
  g_input_stream_read_async (pump->from, pump->buffer, sizeof pump->buffer, G_PRIORITY_DEFAULT,
                             NULL, read_cb, pump);
}

static void
pump_start (Connection *connection, GIOStream *from, GIOStream *to, gboolean counted)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->connection = connection;
  pump->from = g_io_stream_get_input_stream (from);
  pump->to = g_io_stream_get_output_stream (to);
  pump->counted = counted;
  connection->pumps++;
  pump_read (pump);
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Connection *connection = user_data;
  GSocketConnection *board
      = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);

  g_object_unref (source);
  if (board == NULL)
    {
      /* The board is away: the computer sees its connection closed. */
      Pump *pump = g_new0 (Pump, 1);

      pump->connection = connection;
      connection->pumps = 1;
      pump_end (pump);
      return;
    }
  connection->board = G_IO_STREAM (board);
  pump_start (connection, connection->computer, connection->board, TRUE);
  pump_start (connection, connection->board, connection->computer, FALSE);
}

static gboolean
incoming_cb (GSocketService *service,
             GSocketConnection *socket,
             GObject *source_object,
             gpointer user_data)
{
  TcpRelay *relay = user_data;
  Connection *connection = g_new0 (Connection, 1);

  connection->relay = relay;
  connection->computer = G_IO_STREAM (g_object_ref (socket));
  relay->open++;
  if (relay->upstream_port == 0)
    {
      connection_close (connection);
      relay->open--;
      g_object_unref (connection->computer);
      g_free (connection);
      return TRUE;
    }
  g_socket_client_connect_to_host_async (g_socket_client_new (), "127.0.0.1", relay->upstream_port,
                                         NULL, connected_cb, connection);
  return TRUE;
}

TcpRelay *
tcp_relay_new (const char *upstream_uri)
{
  TcpRelay *relay = g_new0 (TcpRelay, 1);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) error = NULL;

  relay->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  relay->uri = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  tcp_relay_set_upstream (relay, upstream_uri);
  g_signal_connect (relay->service, "incoming", G_CALLBACK (incoming_cb), relay);
  g_socket_service_start (relay->service);
  return relay;
}

const char *
tcp_relay_get_uri (TcpRelay *relay)
{
  return relay->uri;
}

void
tcp_relay_set_upstream (TcpRelay *relay, const char *upstream_uri)
{
  relay->upstream_port = upstream_uri != NULL ? port_of (upstream_uri) : 0;
}

guint64
tcp_relay_get_bytes_sent (TcpRelay *relay)
{
  return relay->bytes_sent;
}

guint
tcp_relay_get_open (TcpRelay *relay)
{
  return relay->open;
}

void
tcp_relay_free (TcpRelay *relay)
{
  /* Connections still open belong to computers the test has let go of by now. */
  g_assert_cmpuint (relay->open, ==, 0);
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_object_unref (relay->service);
  g_free (relay->uri);
  g_free (relay);
}
