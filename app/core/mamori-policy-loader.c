/* mamori-policy-loader.c — parse and validate a policy document
 *
 * The whole document is validated while it is converted; the policy object is only
 * returned when every member checked out, so a bad file never half-loads.  Errors name
 * the JSON path of the problem so a board administrator can find it in an editor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "mamori-policy-private.h"

#define MAMORI_POLICY_FORMAT 1

typedef struct
{
  const char *origin;
  GString *path;
  GError **error;
} Ctx;

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Ctx *ctx, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (ctx->error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_INVALID, "%s: %s: %s",
               ctx->origin, ctx->path->str, reason);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gsize
push_member (Ctx *ctx, const char *name)
{
  gsize mark = ctx->path->len;
  g_string_append_printf (ctx->path, ".%s", name);
  return mark;
}

static gsize
push_index (Ctx *ctx, guint index)
{
  gsize mark = ctx->path->len;
  g_string_append_printf (ctx->path, "[%u]", index);
  return mark;
}

static void
pop (Ctx *ctx, gsize mark)
{
  g_string_truncate (ctx->path, mark);
}

static gboolean
check_members (Ctx *ctx, JsonObject *object, const char *const *allowed)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (allowed, name))
        {
          gsize mark = push_member (ctx, name);
          gboolean ok = fail (ctx, _ ("unknown member"));
          pop (ctx, mark);
          return ok;
        }
    }
  return TRUE;
}

/* Looks up @name; a missing required member is an error, a missing optional one
 * (or an explicit null) yields NULL. */
static gboolean
get_member (Ctx *ctx, JsonObject *object, const char *name, gboolean required, JsonNode **out_node)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_node = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      return fail (ctx, _ ("required member “%s” is missing"), name);
    }
  *out_node = node;
  return TRUE;
}

static gboolean
read_string (Ctx *ctx, JsonObject *object, const char *name, gboolean required, char **out)
{
  JsonNode *node;
  const char *value;
  gsize mark;

  if (!get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = push_member (ctx, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (ctx, _ ("expected a string"));
  value = json_node_get_string (node);
  if (is_blank (value))
    return fail (ctx, _ ("must not be empty"));
  pop (ctx, mark);

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_boolean (Ctx *ctx, JsonObject *object, const char *name, gboolean required, gboolean *out)
{
  JsonNode *node;
  gsize mark;

  if (!get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = push_member (ctx, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (ctx, _ ("expected true or false"));
  pop (ctx, mark);

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_array (Ctx *ctx, JsonObject *object, const char *name, gboolean required, JsonArray **out)
{
  JsonNode *node;
  gsize mark;

  *out = NULL;
  if (!get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = push_member (ctx, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (ctx, _ ("expected an array"));
  pop (ctx, mark);

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_object_at (Ctx *ctx, JsonArray *array, guint index, JsonObject **out)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, _ ("expected an object"));
  *out = json_node_get_object (node);
  return TRUE;
}

/* An array of non-empty strings, stored as a GStrv (possibly empty). */
static gboolean
read_strv_node (Ctx *ctx, JsonArray *array, GStrv *out)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gsize mark = push_index (ctx, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (ctx, _ ("expected a string"));
      value = json_node_get_string (element);
      if (is_blank (value))
        return fail (ctx, _ ("must not be empty"));
      g_strv_builder_add (builder, value);
      pop (ctx, mark);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_strv (Ctx *ctx, JsonObject *object, const char *name, gboolean required, GStrv *out)
{
  JsonArray *array;
  gsize mark;

  if (!read_array (ctx, object, name, required, &array))
    return FALSE;
  if (array == NULL)
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  mark = push_member (ctx, name);
  if (!read_strv_node (ctx, array, out))
    return FALSE;
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_id (Ctx *ctx, JsonObject *object, const char *name, char **out)
{
  gsize mark;

  if (!read_string (ctx, object, name, TRUE, out))
    return FALSE;

  mark = push_member (ctx, name);
  for (const char *p = *out; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return fail (ctx, _ ("“%s” is not a valid id (use a–z, 0–9 and “-”)"), *out);
  pop (ctx, mark);
  return TRUE;
}

/* Rejects a second object in an array that repeats @key. */
static gboolean
check_unique (Ctx *ctx, GHashTable *seen, const char *member, const char *key)
{
  gsize mark;

  if (g_hash_table_add (seen, g_strdup (key)))
    return TRUE;

  mark = push_member (ctx, member);
  fail (ctx, _ ("“%s” is defined twice"), key);
  pop (ctx, mark);
  return FALSE;
}

static gboolean
read_takeout (Ctx *ctx, JsonObject *level_object, MamoriLevel *level)
{
  static const char *const allowed[] = { "rule", "text", "measures", NULL };
  g_autofree char *rule = NULL;
  JsonNode *node;
  JsonObject *object;
  gsize mark;

  if (!get_member (ctx, level_object, "takeout", TRUE, &node))
    return FALSE;

  mark = push_member (ctx, "takeout");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, _ ("expected an object"));
  object = json_node_get_object (node);

  if (!check_members (ctx, object, allowed) || !read_string (ctx, object, "rule", TRUE, &rule)
      || !read_string (ctx, object, "text", FALSE, &level->takeout_text)
      || !read_strv (ctx, object, "measures", TRUE, &level->measures))
    return FALSE;

  if (!mamori_takeout_rule_from_string (rule, &level->takeout_rule))
    {
      push_member (ctx, "rule");
      return fail (ctx,
                   _ ("unknown take-out rule “%s” (expected forbidden, approval-per-instance, "
                      "approval-blanket, notify or free)"),
                   rule);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_approvers (Ctx *ctx, JsonObject *object, MamoriLevel *level)
{
  g_auto (GStrv) roles = NULL;
  gsize mark;

  if (!read_strv (ctx, object, "approvers", FALSE, &roles))
    return FALSE;

  mark = push_member (ctx, "approvers");
  for (guint i = 0; roles[i] != NULL; i++)
    {
      MamoriRole role;

      if (!mamori_role_from_string (roles[i], &role))
        {
          push_index (ctx, i);
          return fail (ctx, _ ("unknown role “%s”"), roles[i]);
        }
      g_array_append_val (level->approvers, role);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_environments (Ctx *ctx, JsonObject *level_object, MamoriLevel *level)
{
  JsonNode *node;
  JsonObject *object;
  g_autoptr (GList) members = NULL;
  gsize mark;

  if (!get_member (ctx, level_object, "environments", FALSE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = push_member (ctx, "environments");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, _ ("expected an object"));
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      MamoriEnvironment env;
      gsize env_mark = push_member (ctx, name);

      if (!mamori_environment_from_string (name, &env))
        return fail (ctx, _ ("unknown environment"));
      if (JSON_NODE_HOLDS_NULL (value))
        level->environments[env] = MAMORI_PERMISSION_UNSTATED;
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        level->environments[env]
            = json_node_get_boolean (value) ? MAMORI_PERMISSION_ALLOWED : MAMORI_PERMISSION_DENIED;
      else
        return fail (ctx, _ ("expected true, false or null"));
      pop (ctx, env_mark);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_levels (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "id",      "label",    "definition", "personal_info", "takeout",
          "storage", "disposal", "approvers",  "environments",  NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!read_array (ctx, root, "levels", TRUE, &array))
    return FALSE;

  mark = push_member (ctx, "levels");
  n = json_array_get_length (array);
  if (n == 0)
    return fail (ctx, _ ("a scheme needs at least one level"));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLevel) level = g_object_new (MAMORI_TYPE_LEVEL, NULL);
      gsize item_mark = push_index (ctx, i);
      JsonObject *object;

      level->rank = i;
      if (!read_object_at (ctx, array, i, &object) || !check_members (ctx, object, allowed)
          || !read_string (ctx, object, "id", TRUE, &level->id)
          || !check_unique (ctx, seen, "id", level->id)
          || !read_string (ctx, object, "label", TRUE, &level->label)
          || !read_string (ctx, object, "definition", TRUE, &level->definition)
          || !read_boolean (ctx, object, "personal_info", TRUE, &level->personal_info)
          || !read_takeout (ctx, object, level)
          || !read_strv (ctx, object, "storage", FALSE, &level->storage)
          || !read_strv (ctx, object, "disposal", FALSE, &level->disposal)
          || !read_approvers (ctx, object, level) || !read_environments (ctx, object, level))
        return FALSE;

      g_list_store_append (policy->levels, level);
      pop (ctx, item_mark);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_categories (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[] = { "id", "label", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  JsonArray *array;
  gsize mark;
  guint n;

  if (!read_array (ctx, root, "categories", TRUE, &array))
    return FALSE;

  mark = push_member (ctx, "categories");
  n = json_array_get_length (array);
  if (n == 0)
    return fail (ctx, _ ("at least one category is needed"));

  for (guint i = 0; i < n; i++)
    {
      MamoriCategory *category = g_new0 (MamoriCategory, 1);
      gsize item_mark = push_index (ctx, i);
      JsonObject *object;

      g_ptr_array_add (policy->categories, category);
      if (!read_object_at (ctx, array, i, &object) || !check_members (ctx, object, allowed)
          || !read_id (ctx, object, "id", &category->id)
          || !check_unique (ctx, seen, "id", category->id)
          || !read_string (ctx, object, "label", TRUE, &category->label))
        return FALSE;
      g_strv_builder_add (ids, category->id);
      pop (ctx, item_mark);
    }
  policy->category_ids = g_strv_builder_end (ids);
  pop (ctx, mark);
  return TRUE;
}

static const char *
find_category_label (MamoriPolicy *policy, const char *id)
{
  for (guint i = 0; i < policy->categories->len; i++)
    {
      MamoriCategory *category = g_ptr_array_index (policy->categories, i);
      if (g_str_equal (category->id, id))
        return category->label;
    }
  return NULL;
}

static gboolean
read_assets (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "name", "category", "level", "qualifier", "note", "aliases", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!read_array (ctx, root, "assets", TRUE, &array))
    return FALSE;

  mark = push_member (ctx, "assets");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAsset) asset = g_object_new (MAMORI_TYPE_ASSET, NULL);
      g_autofree char *level_id = NULL;
      g_autofree char *key = NULL;
      gsize item_mark = push_index (ctx, i);
      const char *category_label;
      JsonObject *object;

      if (!read_object_at (ctx, array, i, &object) || !check_members (ctx, object, allowed)
          || !read_string (ctx, object, "name", TRUE, &asset->name)
          || !read_string (ctx, object, "category", TRUE, &asset->category_id)
          || !read_string (ctx, object, "level", TRUE, &level_id)
          || !read_string (ctx, object, "qualifier", FALSE, &asset->qualifier)
          || !read_string (ctx, object, "note", FALSE, &asset->note)
          || !read_strv (ctx, object, "aliases", FALSE, &asset->aliases))
        return FALSE;

      key = g_strdup_printf ("%s（%s）", asset->name, asset->qualifier ? asset->qualifier : "");
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        return fail (ctx, _ ("“%s” is listed twice with the same qualifier"), asset->name);

      category_label = find_category_label (policy, asset->category_id);
      if (category_label == NULL)
        {
          push_member (ctx, "category");
          return fail (ctx, _ ("unknown category “%s”"), asset->category_id);
        }
      asset->category_label = g_strdup (category_label);

      asset->level = mamori_policy_lookup_level (policy, level_id);
      if (asset->level == NULL)
        {
          push_member (ctx, "level");
          return fail (ctx, _ ("unknown level “%s”"), level_id);
        }
      g_object_ref (asset->level);

      g_list_store_append (policy->assets, asset);
      pop (ctx, item_mark);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_scenarios (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "id",       "title",    "summary",      "icon",   "shortcut",
          "keywords", "cautions", "prohibitions", "source", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!read_array (ctx, root, "scenarios", TRUE, &array))
    return FALSE;

  mark = push_member (ctx, "scenarios");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriScenario) scenario = g_object_new (MAMORI_TYPE_SCENARIO, NULL);
      gsize item_mark = push_index (ctx, i);
      JsonObject *object;

      if (!read_object_at (ctx, array, i, &object) || !check_members (ctx, object, allowed)
          || !read_id (ctx, object, "id", &scenario->id)
          || !check_unique (ctx, seen, "id", scenario->id)
          || !read_string (ctx, object, "title", TRUE, &scenario->title)
          || !read_string (ctx, object, "summary", FALSE, &scenario->summary)
          || !read_string (ctx, object, "icon", FALSE, &scenario->icon_name)
          || !read_boolean (ctx, object, "shortcut", FALSE, &scenario->shortcut)
          || !read_strv (ctx, object, "keywords", FALSE, &scenario->keywords)
          || !read_strv (ctx, object, "cautions", TRUE, &scenario->cautions)
          || !read_strv (ctx, object, "prohibitions", TRUE, &scenario->prohibitions)
          || !read_string (ctx, object, "source", TRUE, &scenario->source))
        return FALSE;

      g_list_store_append (policy->scenarios, scenario);
      pop (ctx, item_mark);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_synonyms (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  JsonArray *array;
  gsize mark;
  guint n;

  if (!read_array (ctx, root, "synonyms", FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  mark = push_member (ctx, "synonyms");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gsize item_mark = push_index (ctx, i);
      GStrv group;

      if (!JSON_NODE_HOLDS_ARRAY (element))
        return fail (ctx, _ ("expected an array of words"));
      if (!read_strv_node (ctx, json_node_get_array (element), &group))
        return FALSE;
      g_ptr_array_add (policy->synonyms, group);
      if (g_strv_length (group) < 2)
        return fail (ctx, _ ("a synonym group needs at least two words"));
      pop (ctx, item_mark);
    }
  pop (ctx, mark);
  return TRUE;
}

static gboolean
read_document (Ctx *ctx, JsonNode *root_node, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "format",     "id",     "title",     "description", "source", "levels",
          "categories", "assets", "scenarios", "synonyms",    NULL };
  JsonObject *root;
  JsonNode *format;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return fail (ctx, _ ("a policy must be a JSON object"));
  root = json_node_get_object (root_node);

  if (!get_member (ctx, root, "format", TRUE, &format))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (format) || json_node_get_value_type (format) != G_TYPE_INT64
      || json_node_get_int (format) != MAMORI_POLICY_FORMAT)
    {
      push_member (ctx, "format");
      return fail (ctx, _ ("unsupported format (this version of Mamori reads format %d)"),
                   MAMORI_POLICY_FORMAT);
    }

  return check_members (ctx, root, allowed) && read_id (ctx, root, "id", &policy->id)
         && read_string (ctx, root, "title", TRUE, &policy->title)
         && read_string (ctx, root, "description", FALSE, &policy->description)
         && read_string (ctx, root, "source", TRUE, &policy->source)
         && read_levels (ctx, root, policy) && read_categories (ctx, root, policy)
         && read_assets (ctx, root, policy) && read_scenarios (ctx, root, policy)
         && read_synonyms (ctx, root, policy);
}

MamoriPolicy *
_mamori_policy_load (const char *data, gsize length, const char *origin, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GString) path = g_string_new ("$");
  g_autoptr (GError) parse_error = NULL;
  Ctx ctx = { origin, path, error };

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_PARSE,
                   _ ("%s: not valid UTF-8 text"), origin);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_PARSE, "%s: %s", origin,
                   parse_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_PARSE,
                   _ ("%s: the file is empty"), origin);
      return NULL;
    }

  policy = g_object_new (MAMORI_TYPE_POLICY, NULL);
  if (!read_document (&ctx, json_parser_get_root (parser), policy))
    return NULL;

  policy->json = g_strndup (data, length);
  return g_steal_pointer (&policy);
}
