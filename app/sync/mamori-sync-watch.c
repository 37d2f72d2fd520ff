/* mamori-sync-watch.c — waiting for the board's news without the vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-sync-private.h"
#include "mamori-sync-watch.h"

/* What a watch needs, copied when it starts: the client's fields may change meanwhile
 * in a round's thread. */
typedef struct
{
  char *url; /* the client's, without a trailing slash */
  GBytes *certificate;
  char *epoch;
  gboolean wrong_certificate;
  guint retry_after;
} Watch;

static void
watch_free (Watch *watch)
{
  g_free (watch->url);
  g_clear_pointer (&watch->certificate, g_bytes_unref);
  g_free (watch->epoch);
  g_free (watch);
}

/* As a round: the board's certificate is the pinned one, whether or not a CA signed it. */
static gboolean
accept_certificate_cb (SoupMessage *message,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags errors,
                       gpointer user_data)
{
  Watch *watch = user_data;

  if (_mamori_sync_is_pinned (watch->certificate, certificate))
    return TRUE;
  watch->wrong_certificate = TRUE;
  return FALSE;
}

/* The board's answer to the wait: whether it holds anything past the cursor. */
static gboolean
read_answer (
    Watch *watch, SoupMessage *message, GBytes *body, MamoriSyncNews *out_news, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint status = soup_message_get_status (message);
  JsonNode *root, *events;
  const char *epoch;

  if (g_str_has_prefix (watch->url, "https:")
      && !_mamori_sync_is_pinned (watch->certificate,
                                  soup_message_get_tls_peer_certificate (message)))
    return _mamori_sync_wrong_certificate (error);
  watch->retry_after = _mamori_sync_parse_retry_after (message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      *out_news = MAMORI_SYNC_NEWS_EXPIRED;
      return TRUE;
    }
  if (status >= 500 || status == 429)
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE,
                   _ ("The board of education is busy (HTTP %u): trying again later"), status);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL)
      || !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_PROTOCOL,
                   _ ("The board of education answered something that is not JSON (HTTP %u)"),
                   status);
      return FALSE;
    }
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (root, status, error);
  epoch = _mamori_sync_member_string (root, "epoch");
  events = json_object_get_member (json_node_get_object (root), "events");
  if (epoch == NULL || events == NULL || !JSON_NODE_HOLDS_ARRAY (events))
    return _mamori_sync_malformed (error, "/v1/events");
  /* A restored board (another epoch) is news too: the round starts again from 0. */
  *out_news = json_array_get_length (json_node_get_array (events)) > 0
                      || (watch->epoch != NULL && !g_str_equal (epoch, watch->epoch))
                  ? MAMORI_SYNC_NEWS_EVENTS
                  : MAMORI_SYNC_NEWS_NONE;
  return TRUE;
}

static void
sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  MamoriSyncNews news = MAMORI_SYNC_NEWS_NONE;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (watch->wrong_certificate)
        {
          g_clear_error (&error);
          _mamori_sync_wrong_certificate (&error);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      else
        g_task_return_new_error (task, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE,
                                 _ ("The board of education cannot be reached: %s"),
                                 error->message);
      return;
    }
  if (read_answer (watch, message, body, &news, &error))
    g_task_return_int (task, news);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
mamori_sync_client_watch_async (MamoriSyncClient *self,
                                const char *epoch,
                                gint64 cursor,
                                guint wait,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (SoupMessage) message = NULL;
  g_autofree char *uri = NULL, *bearer = NULL;
  const char *token;
  Watch *watch;

  g_return_if_fail (MAMORI_IS_SYNC_CLIENT (self));
  g_return_if_fail (wait <= MAMORI_SYNC_MAX_WAIT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mamori_sync_client_watch_async);
  token = _mamori_sync_client_get_token (self);
  if (token == NULL)
    {
      g_task_return_int (task, MAMORI_SYNC_NEWS_EXPIRED);
      return;
    }
  watch = g_new0 (Watch, 1);
  watch->url = g_strdup (_mamori_sync_client_get_url (self));
  if (_mamori_sync_client_get_certificate (self) != NULL)
    watch->certificate = g_bytes_ref (_mamori_sync_client_get_certificate (self));
  watch->epoch = g_strdup (epoch);
  g_task_set_task_data (task, watch, (GDestroyNotify)watch_free);

  /* One event is enough to know there is news: the round brings them all. */
  uri = g_strdup_printf ("%s/v1/events?since=%" G_GINT64_FORMAT "&limit=1&wait=%u", watch->url,
                         cursor, wait);
  message = soup_message_new ("GET", uri);
  if (message == NULL)
    {
      g_task_return_new_error (task, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_PROTOCOL,
                               _ ("The board’s address is not valid"));
      return;
    }
  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), watch);
  bearer = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                bearer);
  soup_session_send_and_read_async (_mamori_sync_client_get_watch_session (self), message,
                                    G_PRIORITY_DEFAULT, cancellable, sent_cb,
                                    g_steal_pointer (&task));
}

MamoriSyncNews
mamori_sync_client_watch_finish (MamoriSyncClient *self,
                                 GAsyncResult *result,
                                 guint *out_retry_after,
                                 GError **error)
{
  Watch *watch;
  gssize news;

  g_return_val_if_fail (g_task_is_valid (result, self), MAMORI_SYNC_NEWS_NONE);

  watch = g_task_get_task_data (G_TASK (result));
  if (out_retry_after != NULL)
    *out_retry_after = watch != NULL ? watch->retry_after : 0;
  news = g_task_propagate_int (G_TASK (result), error);
  return news < 0 ? MAMORI_SYNC_NEWS_NONE : (MamoriSyncNews)news;
}
