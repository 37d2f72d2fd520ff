/* mamori-sync-board.c — the board role's requests: the schools' view, publishing a policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mamori-sync-board.h"
#include "mamori-sync-private.h"

/* --- the schools --------------------------------------------------------------------------- */

GListModel *
mamori_sync_client_fetch_schools (MamoriSyncClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GListStore) schools = NULL;
  JsonNode *array;
  guint status;

  g_return_val_if_fail (MAMORI_IS_SYNC_CLIENT (self), NULL);

  if (!_mamori_sync_client_authorized (self, "GET", "/v1/schools", NULL, &status, &answer,
                                       cancellable, error))
    return NULL;
  if (status != SOUP_STATUS_OK)
    {
      _mamori_sync_refusal (answer, status, error);
      return NULL;
    }
  array = json_object_get_member (json_node_get_object (answer), "schools");
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    {
      _mamori_sync_malformed (error, "/v1/schools");
      return NULL;
    }
  schools = g_list_store_new (MAMORI_TYPE_BOARD_SCHOOL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (array), i);
      g_autoptr (MamoriBoardSchool) school = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        school = mamori_board_school_new_from_json (json_node_get_object (element));
      if (school == NULL)
        {
          _mamori_sync_malformed (error, "/v1/schools");
          return NULL;
        }
      g_list_store_append (schools, school);
    }
  return G_LIST_MODEL (g_steal_pointer (&schools));
}

static void
fetch_schools_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *schools = mamori_sync_client_fetch_schools (source, cancellable, &error);

  if (schools != NULL)
    g_task_return_pointer (task, schools, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
mamori_sync_client_fetch_schools_async (MamoriSyncClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAMORI_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mamori_sync_client_fetch_schools_async);
  g_task_run_in_thread (task, fetch_schools_thread);
}

GListModel *
mamori_sync_client_fetch_schools_finish (MamoriSyncClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- publishing a policy ------------------------------------------------------------------- */

/* {"document": the policy's JSON, "map": …}. */
static JsonNode *
publish_body (MamoriPolicy *policy, const char *level_map, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *document = NULL;
  gsize length;

  document = mamori_policy_to_json (policy, &length);
  if (!json_parser_load_from_data (parser, document, length, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "document");
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  if (level_map != NULL)
    {
      json_builder_set_member_name (builder, "map");
      json_builder_add_string_value (builder, level_map);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
get_count (JsonNode *answer, const char *member, guint *out_count)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0
      || json_node_get_int (node) > G_MAXUINT)
    return FALSE;
  *out_count = (guint)json_node_get_int (node);
  return TRUE;
}

/* One school of a levels-unmapped refusal, "さくら小学校 (A, B)"; NULL when malformed. */
static char *
unmapped_school (JsonNode *node)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) levels = NULL;
  g_autofree char *joined = NULL;
  const char *name;
  JsonNode *array;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  name = _mamori_sync_member_string (node, "name");
  array = json_object_get_member (json_node_get_object (node), "levels");
  if (name == NULL || array == NULL || !JSON_NODE_HOLDS_ARRAY (array)
      || json_array_get_length (json_node_get_array (array)) == 0)
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *level = json_array_get_element (json_node_get_array (array), i);

      if (!JSON_NODE_HOLDS_VALUE (level) || json_node_get_value_type (level) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (level));
    }
  levels = g_strv_builder_end (builder);
  /* TRANSLATORS: separates the levels of one school, "A, B". */
  joined = g_strjoinv (C_ ("list of levels", ", "), levels);
  /* TRANSLATORS: a school's name and the levels its register uses that the policy lacks. */
  return g_strdup_printf (C_ ("school and levels", "%s (%s)"), name, joined);
}

/* 409 levels-unmapped: MAMORI_SYNC_ERROR_LEVELS, in the user's language, naming the
 * schools and levels from the answer's `schools` (not the board's English message). */
static gboolean
levels_unmapped (JsonNode *answer, GError **error)
{
  JsonNode *array = json_object_get_member (json_node_get_object (answer), "schools");
  g_autoptr (GString) list = g_string_new (NULL);

  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array)
      || json_array_get_length (json_node_get_array (array)) == 0)
    return _mamori_sync_malformed (error, "/v1/policy");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (array)); i++)
    {
      g_autofree char *school
          = unmapped_school (json_array_get_element (json_node_get_array (array), i));

      if (school == NULL)
        return _mamori_sync_malformed (error, "/v1/policy");
      if (i > 0)
        /* TRANSLATORS: separates the schools, "さくら小学校 (A, B); もみじ中学校 (C)". */
        g_string_append (list, C_ ("list of schools", "; "));
      g_string_append (list, school);
    }
  g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_LEVELS,
               _ ("These schools’ registers use levels the policy does not have; the board "
                  "published nothing: %s"),
               list->str);
  return FALSE;
}

gboolean
mamori_sync_client_publish_policy (MamoriSyncClient *self,
                                   MamoriPolicy *policy,
                                   const char *level_map,
                                   guint *out_schools,
                                   guint *out_relevelled,
                                   GCancellable *cancellable,
                                   GError **error)
{
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (JsonNode) answer = NULL;
  const char *code, *message;
  guint status, schools, relevelled;

  g_return_val_if_fail (MAMORI_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  body = publish_body (policy, level_map, error);
  if (body == NULL
      || !_mamori_sync_client_authorized (self, "POST", "/v1/policy", body, &status, &answer,
                                          cancellable, error))
    return FALSE;
  code = _mamori_sync_member_string (answer, "error");
  message = _mamori_sync_member_string (answer, "message");
  if (status == SOUP_STATUS_CONFLICT && g_strcmp0 (code, "levels-unmapped") == 0)
    return levels_unmapped (answer, error);
  if (status == SOUP_STATUS_BAD_REQUEST && message != NULL)
    {
      g_set_error (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT,
                   _ ("The board of education did not publish the policy: %s"), message);
      return FALSE;
    }
  if (status != SOUP_STATUS_OK)
    return _mamori_sync_refusal (answer, status, error);
  if (!get_count (answer, "schools", &schools) || !get_count (answer, "relevelled", &relevelled))
    return _mamori_sync_malformed (error, "/v1/policy");
  if (out_schools != NULL)
    *out_schools = schools;
  if (out_relevelled != NULL)
    *out_relevelled = relevelled;
  return TRUE;
}

typedef struct
{
  MamoriPolicy *policy;
  char *level_map;
  guint schools;
  guint relevelled;
} Publication;

static void
publication_free (Publication *publication)
{
  g_object_unref (publication->policy);
  g_free (publication->level_map);
  g_free (publication);
}

static void
publish_policy_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Publication *publication = task_data;
  GError *error = NULL;

  if (mamori_sync_client_publish_policy (source, publication->policy, publication->level_map,
                                         &publication->schools, &publication->relevelled,
                                         cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mamori_sync_client_publish_policy_async (MamoriSyncClient *self,
                                         MamoriPolicy *policy,
                                         const char *level_map,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Publication *publication;

  g_return_if_fail (MAMORI_IS_SYNC_CLIENT (self));
  g_return_if_fail (MAMORI_IS_POLICY (policy));

  publication = g_new0 (Publication, 1);
  publication->policy = g_object_ref (policy);
  publication->level_map = g_strdup (level_map);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mamori_sync_client_publish_policy_async);
  g_task_set_task_data (task, publication, (GDestroyNotify)publication_free);
  g_task_run_in_thread (task, publish_policy_thread);
}

gboolean
mamori_sync_client_publish_policy_finish (MamoriSyncClient *self,
                                          GAsyncResult *result,
                                          guint *out_schools,
                                          guint *out_relevelled,
                                          GError **error)
{
  Publication *publication;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  publication = g_task_get_task_data (G_TASK (result));
  if (out_schools != NULL)
    *out_schools = publication->schools;
  if (out_relevelled != NULL)
    *out_relevelled = publication->relevelled;
  return TRUE;
}
