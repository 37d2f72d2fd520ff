/* mamori-board-server-events.c — push, pull and long polls, and publishing a policy over
 * HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <string.h>

#include "mamori-board-server-private.h"
#include "mamori-policy-record.h"

static void
waiter_free (Waiter *waiter)
{
  g_free (waiter->school);
  g_free (waiter);
}

/* The server is going: the long polls are told to ask again later. */
void
mamori_board_server_waiters_free (GQueue *queue)
{
  GList *link;

  while ((link = g_queue_pop_head_link (queue)) != NULL)
    {
      Waiter *waiter = link->data;

      mamori_board_server_respond_stopping (waiter->msg);
      mamori_board_server_answer (waiter->msg);
      waiter_free (waiter);
    }
  g_queue_free (queue);
}

/* --- pull and long poll ----------------------------------------------------------------- */

/* The answer to a pull of what the caller may see after @since: NULL with @error, or
 * NULL without one when there is nothing to see and @hold_empty. */
static GBytes *
pull_body (MamoriBoardServer *self,
           const char *school,
           gint64 since,
           guint limit,
           gboolean hold_empty,
           GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autofree char *epoch = mamori_board_get_epoch (self->board, error);
  gint64 next;
  gboolean more;
  gsize length;
  char *text;

  if (epoch != NULL)
    events = mamori_board_pull (self->board, school, since, limit, &next, &more, error);
  if (events == NULL)
    return NULL;
  /* Nothing leaves the board before it is durable (mamori-board-server-sync.c). */
  while (events->len > 0
         && ((MamoriStoredEvent *)events->pdata[events->len - 1])->seq
                > mamori_board_server_durable_seq (self))
    {
      g_ptr_array_set_size (events, events->len - 1);
      more = FALSE;
      next = events->len > 0 ? ((MamoriStoredEvent *)events->pdata[events->len - 1])->seq : since;
    }
  if (events->len == 0 && hold_empty)
    return NULL;
  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "epoch", epoch);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      MamoriStoredEvent *stored = events->pdata[i];

      mamori_board_server_add_event (builder, stored->payload, g_bytes_get_data (stored->sig, NULL),
                                     stored->seq);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_add_int_value (builder, next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* Answers @msg with what the caller may see after @since; FALSE (not answered) when there
 * is nothing and @hold_empty.  With @memo (a wake's: "school since limit" → GBytes, or
 * NULL for nothing), the long polls of a school that asked alike share one query and one
 * answer: a push wakes all of a school's computers, most of them asking from the same
 * number. */
static gboolean
answer_pull (MamoriBoardServer *self,
             SoupServerMessage *msg,
             const char *school,
             gint64 since,
             guint limit,
             gboolean hold_empty,
             GHashTable *memo)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *key = NULL;
  gpointer found;

  if (memo != NULL)
    {
      key = g_strdup_printf ("%s %" G_GINT64_FORMAT " %u", school != NULL ? school : "", since,
                             limit);
      if (g_hash_table_lookup_extended (memo, key, NULL, &found))
        body = found != NULL ? g_bytes_ref (found) : NULL;
      else
        {
          body = pull_body (self, school, since, limit, hold_empty, &error);
          if (error == NULL)
            g_hash_table_insert (memo, g_steal_pointer (&key),
                                 body != NULL ? g_bytes_ref (body) : NULL);
        }
    }
  else
    body = pull_body (self, school, since, limit, hold_empty, &error);
  if (error != NULL)
    {
      mamori_board_server_respond_gerror (msg, error);
      return TRUE;
    }
  if (body == NULL)
    return FALSE;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  return TRUE;
}

static GHashTable *
memo_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
}

static void
waiter_done (Waiter *waiter)
{
  g_queue_unlink (waiter->queue, &waiter->link);
  mamori_board_server_answer (waiter->msg);
  waiter_free (waiter);
}

static void
waiter_gone (gpointer data)
{
  Waiter *waiter = data;

  g_queue_unlink (waiter->queue, &waiter->link);
  waiter_free (waiter);
}

/* Answers the long polls of @queue that have something to see, or (@expired) whose wait
 * has passed by @now. */
static void
wake_queue (MamoriBoardServer *self, GQueue *queue, GHashTable *memo, gint64 now)
{
  GList *next;

  /* waiter_done() unlinks only the waiter answered; unpausing answers later, from the
   * main loop. */
  for (GList *l = queue->head; l != NULL; l = next)
    {
      Waiter *waiter = l->data;
      gboolean expired = now > 0 && waiter->deadline <= now;

      next = l->next;
      if ((now == 0 || expired)
          && answer_pull (self, waiter->msg, waiter->school, waiter->since, waiter->limit, !expired,
                          memo))
        waiter_done (waiter);
    }
}

/* Something was stored in @school (NULL: anywhere): answers every long poll that now has
 * something to see, its school's and the board role's. */
void
mamori_board_server_wake (MamoriBoardServer *self, const char *school)
{
  g_autoptr (GHashTable) memo = memo_new ();
  GHashTableIter iter;
  GQueue *queue;

  mamori_board_last_seq (self->board, &self->last_seq, NULL);
  if (school == NULL)
    {
      g_hash_table_iter_init (&iter, self->waiters);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&queue))
        wake_queue (self, queue, memo, 0);
      return;
    }
  if ((queue = g_hash_table_lookup (self->waiters, school)) != NULL)
    wake_queue (self, queue, memo, 0);
  if ((queue = g_hash_table_lookup (self->waiters, "")) != NULL)
    wake_queue (self, queue, memo, 0);
}

gboolean
mamori_board_server_watch_store (gpointer data)
{
  MamoriBoardServer *self = data;
  g_autoptr (GHashTable) memo = NULL;
  GHashTableIter iter;
  GQueue *queue;
  gint64 last = 0;

  g_autofree char *epoch = NULL;

  mamori_board_server_sync_store (self);
  /* A new epoch (`drop-held` in another process): every long poll is answered now, so
   * that its computer learns of it and pulls again from the start; then every session
   * ends, since the roster entry it keeps may come from an event dropped (a role only a
   * forged event gave), and the computers open new ones on their next request. */
  epoch = mamori_board_get_epoch (self->board, NULL);
  if (epoch != NULL && self->epoch != NULL && !g_str_equal (epoch, self->epoch))
    {
      memo = memo_new ();
      g_hash_table_iter_init (&iter, self->waiters);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&queue))
        wake_queue (self, queue, memo, G_MAXINT64);
      g_clear_pointer (&memo, g_hash_table_unref);
      g_hash_table_remove_all (self->tokens);
    }
  if (epoch != NULL)
    {
      g_free (self->epoch);
      self->epoch = g_steal_pointer (&epoch);
    }
  if (g_hash_table_size (self->waiters) == 0)
    return G_SOURCE_CONTINUE;
  if (mamori_board_last_seq (self->board, &last, NULL) && last != self->last_seq)
    mamori_board_server_wake (self, NULL);
  /* One timer for every long poll's wait rather than a source each: the main loop
   * looks at each of its sources every time round, and a board holds thousands. */
  memo = memo_new ();
  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&queue))
    wake_queue (self, queue, memo, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

void
mamori_board_server_checked (MamoriBoardServer *self)
{
  mamori_board_server_wake (self, NULL);
}

static gboolean
query_int (GHashTable *query, const char *name, gint64 fallback, gint64 *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *out = (gint64)value;
  return TRUE;
}

void
mamori_board_server_handle_pull (MamoriBoardServer *self, SoupServerMessage *msg, GHashTable *query)
{
  g_autofree char *school = NULL;
  g_autoptr (MamoriStaff) staff = NULL;
  gint64 since, limit, wait;
  Waiter *waiter;
  GQueue *queue;

  if (!query_int (query, "since", 0, &since) || !query_int (query, "limit", DEFAULT_LIMIT, &limit)
      || !query_int (query, "wait", 0, &wait) || limit == 0)
    {
      mamori_board_server_respond_error (msg, 400, "bad-request",
                                         "since, limit and wait are whole numbers, limit not 0");
      return;
    }
  /* Asking for more than the most is asking for the most. */
  limit = MIN (limit, MAX_EVENTS);
  wait = MIN (wait, MAX_WAIT);
  if (!mamori_board_server_authenticate (self, msg, &school, &staff, NULL))
    return;
  /* The board role sees every school. */
  if (staff->role == MAMORI_ROLE_BOARD)
    g_clear_pointer (&school, g_free);
  if (answer_pull (self, msg, school, since, (guint)limit, wait > 0, NULL))
    return;
  queue = g_hash_table_lookup (self->waiters, school != NULL ? school : "");
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->waiters, g_strdup (school != NULL ? school : ""), queue);
    }
  waiter = g_new0 (Waiter, 1);
  waiter->msg = msg;
  waiter->school = g_steal_pointer (&school);
  waiter->since = since;
  waiter->limit = (guint)limit;
  waiter->deadline = g_get_monotonic_time () + wait * G_USEC_PER_SEC;
  waiter->queue = queue;
  waiter->link.data = waiter;
  g_queue_push_tail_link (queue, &waiter->link);
  mamori_board_server_hold (msg, waiter_gone, waiter);
}

/* --- push ------------------------------------------------------------------------------ */

static void
pushed_event_free (MamoriPushedEvent *event)
{
  g_bytes_unref (event->payload);
  g_free (event);
}

static GPtrArray *
read_pushed (SoupServerMessage *msg, JsonObject *request)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)pushed_event_free);
  JsonNode *node = json_object_get_member (request, "events");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      mamori_board_server_bad_request (msg, "events");
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_EVENTS)
    {
      mamori_board_server_respond_error (msg, 413, "too-large",
                                         "More than 1,000 events in one request");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      MamoriPushedEvent *event;
      const char *payload;

      if (!JSON_NODE_HOLDS_OBJECT (element)
          || (payload
              = mamori_board_server_member_string (json_node_get_object (element), "payload"))
                 == NULL)
        {
          mamori_board_server_bad_request (msg, "events[].payload");
          return NULL;
        }
      event = g_new0 (MamoriPushedEvent, 1);
      event->payload = g_bytes_new (payload, strlen (payload));
      g_ptr_array_add (events, event);
      if (!mamori_board_server_member_hex (json_node_get_object (element), "sig", event->sig,
                                           sizeof event->sig))
        {
          mamori_board_server_bad_request (msg, "events[].sig");
          return NULL;
        }
    }
  return g_steal_pointer (&events);
}

void
mamori_board_server_handle_push (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GArray) results = g_array_new (FALSE, FALSE, sizeof (MamoriPushResult));
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *join_code = NULL;
  MamoriBoardRefusal refusal = { 0 };
  JsonObject *request;
  gint64 first_new = 0;

  if (!mamori_board_server_authenticate (self, msg, &school, &staff, &join_code))
    return;
  request = mamori_board_server_request_object (msg, parser);
  if (request == NULL || (events = read_pushed (msg, request)) == NULL)
    return;
  if (!mamori_board_push (self->board, school, join_code != NULL, events, results, &refusal, &error)
      || (epoch = mamori_board_get_epoch (self->board, &error)) == NULL)
    {
      if (!g_error_matches (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REFUSED))
        {
          mamori_board_server_respond_gerror (msg, error);
          mamori_board_refusal_clear (&refusal);
          return;
        }
      json_builder_begin_object (builder);
      mamori_board_server_add_string (builder, "error", "refused");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, refusal.index);
      if (refusal.has_id)
        mamori_board_server_add_hex (builder, "id", refusal.id, sizeof refusal.id);
      mamori_board_server_add_string (builder, "reason", refusal.reason);
      mamori_board_server_add_string (builder, "message", refusal.message);
      json_builder_end_object (builder);
      mamori_board_server_respond_builder (msg, 422, builder);
      mamori_board_refusal_clear (&refusal);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      MamoriPushResult *result = &g_array_index (results, MamoriPushResult, i);

      json_builder_begin_object (builder);
      mamori_board_server_add_hex (builder, "id", result->id, sizeof result->id);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, result->seq);
      json_builder_set_member_name (builder, "duplicate");
      json_builder_add_boolean_value (builder, result->duplicate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  mamori_board_server_add_string (builder, "epoch", epoch);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
  /* Duplicates too: the push that stored them may wait for its sync still. */
  for (guint i = 0; i < results->len; i++)
    {
      MamoriPushResult *result = &g_array_index (results, MamoriPushResult, i);

      if (!result->duplicate && (first_new == 0 || result->seq < first_new))
        first_new = result->seq;
    }
  mamori_board_server_when_durable (self, msg, school, first_new);
}

/* --- a school with its own vault joins ----------------------------------------------- */

/* [{author, author_seq, id}] as MamoriChainHead, or NULL. */
static GArray *
read_heads (JsonObject *request)
{
  g_autoptr (GArray) heads = g_array_new (FALSE, TRUE, sizeof (MamoriChainHead));
  JsonNode *node = json_object_get_member (request, "heads");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      MamoriChainHead head = { { 0 } };
      JsonObject *object;
      JsonNode *seq;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return NULL;
      object = json_node_get_object (element);
      seq = json_object_get_member (object, "author_seq");
      if (!mamori_board_server_member_hex (object, "author", head.author, sizeof head.author)
          || !mamori_board_server_member_hex (object, "id", head.id, sizeof head.id) || seq == NULL
          || !JSON_NODE_HOLDS_VALUE (seq) || json_node_get_value_type (seq) != G_TYPE_INT64
          || json_node_get_int (seq) < 1)
        return NULL;
      head.author_seq = json_node_get_int (seq);
      g_array_append_val (heads, head);
    }
  return g_steal_pointer (&heads);
}

void
mamori_board_server_handle_join (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (MamoriEvent) joined = NULL;
  g_autoptr (GArray) heads = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *join_code = NULL;
  JsonObject *request;

  if (!mamori_board_server_authenticate (self, msg, &school, &staff, &join_code))
    return;
  if (join_code == NULL)
    {
      mamori_board_server_respond_error (msg, 403, "not-permitted",
                                         "Only a session opened with a join code joins");
      return;
    }
  request = mamori_board_server_request_object (msg, parser);
  if (request == NULL)
    return;
  heads = read_heads (request);
  if (heads == NULL)
    {
      mamori_board_server_bad_request (msg, "heads");
      return;
    }
  joined = mamori_board_join (self->board, school, join_code, heads, &error);
  if (joined == NULL)
    {
      mamori_board_server_respond_gerror (msg, error);
      return;
    }
  if (!mamori_board_server_sync_now (self, msg))
    return;
  /* The history session has done its work: from now on, ordinary sessions. */
  g_hash_table_remove (self->tokens, mamori_board_server_bearer (msg));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "school_joined");
  mamori_board_server_add_event (builder, joined->payload, joined->sig, joined->server_seq);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
  mamori_board_server_wake (self, school);
}

/* --- the board role -------------------------------------------------------------------- */

void
mamori_board_server_handle_schools (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  JsonNode *schools;

  if (!mamori_board_server_authenticate (self, msg, &school, &staff, NULL))
    return;
  if (staff->role != MAMORI_ROLE_BOARD)
    {
      mamori_board_server_respond_error (msg, 403, "not-permitted",
                                         "Only the board sees every school");
      return;
    }
  schools = mamori_board_schools_view (self->board, &error);
  if (schools == NULL)
    {
      mamori_board_server_respond_gerror (msg, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schools");
  json_builder_add_value (builder, schools);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
}

/* --- publishing a policy --------------------------------------------------------------------- */

/* 409 levels-unmapped: the schools, each with the levels its register uses that the
 * policy lacks, so that the client words the refusal in its own language. */
static void
respond_unmapped (SoupServerMessage *msg, const char *message, GPtrArray *unmapped)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  mamori_board_server_add_string (builder, "error", "levels-unmapped");
  mamori_board_server_add_string (builder, "message", message);
  json_builder_set_member_name (builder, "schools");
  json_builder_begin_array (builder);
  for (guint i = 0; i < unmapped->len; i++)
    {
      MamoriBoardUnmapped *school = unmapped->pdata[i];

      json_builder_begin_object (builder);
      mamori_board_server_add_string (builder, "id", school->school);
      mamori_board_server_add_string (builder, "name", school->name);
      json_builder_set_member_name (builder, "levels");
      json_builder_begin_array (builder);
      for (guint j = 0; school->levels[j] != NULL; j++)
        json_builder_add_string_value (builder, school->levels[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 409, builder);
}

void
mamori_board_server_handle_policy (MamoriBoardServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *school = NULL;
  g_autofree char *document = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) unmapped = NULL;
  guint n_schools = 0, n_relevelled = 0;
  const char *map = NULL;
  JsonObject *request;
  JsonNode *node;
  gsize length;

  if (!mamori_board_server_authenticate (self, msg, &school, &staff, NULL))
    return;
  if (staff->role != MAMORI_ROLE_BOARD)
    {
      mamori_board_server_respond_error (msg, 403, "not-permitted",
                                         "Only the board publishes a policy");
      return;
    }
  request = mamori_board_server_request_object (msg, parser);
  if (request == NULL)
    return;
  node = json_object_get_member (request, "document");
  map = mamori_board_server_member_string (request, "map");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
      || (json_object_has_member (request, "map") && map == NULL))
    {
      mamori_board_server_bad_request (msg, "document, map");
      return;
    }
  json_generator_set_root (generator, node);
  document = json_generator_to_data (generator, &length);
  policy = mamori_policy_new_from_data (document, length, "request", &error);
  if (policy == NULL)
    {
      mamori_board_server_respond_error (msg, 400, "bad-request", error->message);
      return;
    }
  if (!mamori_board_publish_policy (self->board, policy, map, &n_schools, &n_relevelled, &unmapped,
                                    &error))
    {
      if (g_error_matches (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING))
        {
          mamori_board_server_respond_error (msg, 400, "bad-request", error->message);
          return;
        }
      if (unmapped != NULL)
        {
          respond_unmapped (msg, error->message, unmapped);
          return;
        }
      mamori_board_server_respond_gerror (msg, error);
      return;
    }
  if (!mamori_board_server_sync_now (self, msg))
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schools");
  json_builder_add_int_value (builder, n_schools);
  json_builder_set_member_name (builder, "relevelled");
  json_builder_add_int_value (builder, n_relevelled);
  json_builder_end_object (builder);
  mamori_board_server_respond_builder (msg, 200, builder);
  mamori_board_server_wake (self, NULL);
}
