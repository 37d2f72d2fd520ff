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

#include "mamori-normalize.h"
#include "mamori-policy-loader-private.h"

#define MAMORI_POLICY_FORMAT 1
/* A school's chain of approval is short (a review, then the approval): more is a typo. */
#define MAMORI_POLICY_MAX_APPROVAL_STEPS 3 /* MAMORI_TAKEOUT_MAX_STEPS */

typedef MamoriLoadCtx Ctx;

static gboolean
read_takeout (Ctx *ctx, JsonObject *level_object, MamoriLevel *level)
{
  static const char *const allowed[] = { "rule", "text", "measures", "basis", NULL };
  g_autofree char *rule = NULL;
  JsonNode *node;
  JsonObject *object;
  gsize mark;

  if (!_mamori_load_get_member (ctx, level_object, "takeout", TRUE, &node))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "takeout");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_fail (ctx, _ ("expected an object"));
  object = json_node_get_object (node);

  if (!_mamori_load_check_members (ctx, object, allowed)
      || !_mamori_load_string (ctx, object, "rule", TRUE, &rule)
      || !_mamori_load_string (ctx, object, "text", FALSE, &level->takeout_text)
      || !_mamori_load_texts (ctx, object, "measures", TRUE, &level->measures,
                              &level->measures_basis)
      || !_mamori_load_basis (ctx, object, &level->takeout_basis))
    return FALSE;

  if (!mamori_takeout_rule_from_string (rule, &level->takeout_rule))
    {
      _mamori_load_push_member (ctx, "rule");
      return _mamori_load_fail (
          ctx,
          _ ("unknown take-out rule “%s” (expected forbidden, approval-per-instance, "
             "approval-blanket, notify or free)"),
          rule);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_approvers (Ctx *ctx, JsonObject *object, MamoriLevel *level)
{
  g_auto (GStrv) roles = NULL;
  gsize mark;

  if (!_mamori_load_strv (ctx, object, "approvers", FALSE, &roles))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "approvers");
  for (guint i = 0; roles[i] != NULL; i++)
    {
      MamoriRole role;

      if (!mamori_role_from_string (roles[i], &role))
        {
          _mamori_load_push_index (ctx, i);
          return _mamori_load_fail (ctx, _ ("unknown role “%s”"), roles[i]);
        }
      g_array_append_val (level->approvers, role);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

/* Whether @role is among @level's approvers: those it names, or 校長等 (principal,
 * vice-principal) when it names none, as take-out reads the level. */
static gboolean
is_approver (MamoriLevel *level, MamoriRole role)
{
  if (level->approvers->len == 0)
    return role == MAMORI_ROLE_PRINCIPAL || role == MAMORI_ROLE_VICE_PRINCIPAL;
  for (guint i = 0; i < level->approvers->len; i++)
    if (g_array_index (level->approvers, MamoriRole, i) == role)
      return TRUE;
  return FALSE;
}

/* The roles of one step: known, each once, and among the level's approvers. */
static gboolean
read_step (Ctx *ctx, JsonObject *step_object, MamoriLevel *level)
{
  static const char *const allowed[] = { "roles", NULL };
  g_autoptr (GArray) step = g_array_new (FALSE, FALSE, sizeof (MamoriRole));
  g_auto (GStrv) roles = NULL;
  gsize mark;

  if (!_mamori_load_check_members (ctx, step_object, allowed)
      || !_mamori_load_strv (ctx, step_object, "roles", TRUE, &roles))
    return FALSE;
  mark = _mamori_load_push_member (ctx, "roles");
  if (roles[0] == NULL)
    return _mamori_load_fail (ctx, _ ("a step needs at least one role"));
  for (guint i = 0; roles[i] != NULL; i++)
    {
      gsize item_mark = _mamori_load_push_index (ctx, i);
      MamoriRole role;

      if (!mamori_role_from_string (roles[i], &role))
        return _mamori_load_fail (ctx, _ ("unknown role “%s”"), roles[i]);
      if (!is_approver (level, role))
        return _mamori_load_fail (ctx, _ ("“%s” is not among the level’s approvers"), roles[i]);
      for (guint r = 0; r < step->len; r++)
        if (g_array_index (step, MamoriRole, r) == role)
          return _mamori_load_fail (ctx, _ ("“%s” is named twice in this step"), roles[i]);
      g_array_append_val (step, role);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  g_ptr_array_add (level->approval_steps, g_steal_pointer (&step));
  return TRUE;
}

/* "approval_steps": the steps an approval takes, in order, each naming the roles that may
 * sign it; only where the take-out rule asks for an approval. */
static gboolean
read_approval_steps (Ctx *ctx, JsonObject *object, MamoriLevel *level)
{
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, object, "approval_steps", FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;
  mark = _mamori_load_push_member (ctx, "approval_steps");
  n = json_array_get_length (array);
  if (n == 0 || n > MAMORI_POLICY_MAX_APPROVAL_STEPS)
    return _mamori_load_fail (ctx, _ ("an approval takes 1 to %d steps"),
                              MAMORI_POLICY_MAX_APPROVAL_STEPS);
  if (level->takeout_rule != MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE
      && level->takeout_rule != MAMORI_TAKEOUT_APPROVAL_BLANKET)
    return _mamori_load_fail (ctx, _ ("only a level whose take-out needs an approval "
                                      "(approval-per-instance, approval-blanket) has approval "
                                      "steps"));
  for (guint i = 0; i < n; i++)
    {
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *step;

      if (!_mamori_load_object_at (ctx, array, i, &step) || !read_step (ctx, step, level))
        return FALSE;
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_permission (Ctx *ctx, JsonNode *value, MamoriPermission *out)
{
  if (JSON_NODE_HOLDS_NULL (value))
    *out = MAMORI_PERMISSION_UNSTATED;
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    *out = json_node_get_boolean (value) ? MAMORI_PERMISSION_ALLOWED : MAMORI_PERMISSION_DENIED;
  else
    return _mamori_load_fail (ctx, _ ("expected true, false or null"));
  return TRUE;
}

/* A cell is true, false or null, or {"value": …, "basis": {…}} when it is a reading. */
static gboolean
read_environment_cell (Ctx *ctx, JsonNode *node, MamoriLevel *level, MamoriEnvironment env)
{
  static const char *const allowed[] = { "value", "basis", NULL };
  JsonObject *object;
  JsonNode *value;
  gsize mark;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return read_permission (ctx, node, &level->environments[env]);

  object = json_node_get_object (node);
  if (!_mamori_load_check_members (ctx, object, allowed))
    return FALSE;
  value = json_object_get_member (object, "value");
  if (value == NULL)
    return _mamori_load_fail (ctx, _ ("required member “%s” is missing"), "value");
  mark = _mamori_load_push_member (ctx, "value");
  if (!read_permission (ctx, value, &level->environments[env]))
    return FALSE;
  _mamori_load_pop (ctx, mark);
  return _mamori_load_basis (ctx, object, &level->environment_basis[env]);
}

static gboolean
read_environments (Ctx *ctx, JsonObject *level_object, MamoriLevel *level)
{
  JsonNode *node;
  JsonObject *object;
  g_autoptr (GList) members = NULL;
  gsize mark;

  if (!_mamori_load_get_member (ctx, level_object, "environments", FALSE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, "environments");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_fail (ctx, _ ("expected an object"));
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      MamoriEnvironment env;
      gsize env_mark = _mamori_load_push_member (ctx, name);

      if (!mamori_environment_from_string (name, &env))
        return _mamori_load_fail (ctx, _ ("unknown environment"));
      if (!read_environment_cell (ctx, json_object_get_member (object, name), level, env))
        return FALSE;
      _mamori_load_pop (ctx, env_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_levels (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "id",       "label",     "definition",     "personal_info", "takeout", "storage",
          "disposal", "approvers", "approval_steps", "environments",  "basis",   NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, root, "levels", TRUE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "levels");
  n = json_array_get_length (array);
  if (n == 0)
    return _mamori_load_fail (ctx, _ ("a scheme needs at least one level"));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLevel) level = g_object_new (MAMORI_TYPE_LEVEL, NULL);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      level->rank = i;
      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !_mamori_load_check_members (ctx, object, allowed)
          || !_mamori_load_level_id (ctx, object, "id", &level->id)
          || !_mamori_load_check_unique (ctx, seen, "id", level->id)
          || !_mamori_load_string (ctx, object, "label", TRUE, &level->label)
          || !_mamori_load_string (ctx, object, "definition", TRUE, &level->definition)
          || !_mamori_load_boolean (ctx, object, "personal_info", TRUE, &level->personal_info)
          || !read_takeout (ctx, object, level)
          || !_mamori_load_texts (ctx, object, "storage", FALSE, &level->storage,
                                  &level->storage_basis)
          || !_mamori_load_texts (ctx, object, "disposal", FALSE, &level->disposal,
                                  &level->disposal_basis)
          || !read_approvers (ctx, object, level) || !read_approval_steps (ctx, object, level)
          || !read_environments (ctx, object, level)
          || !_mamori_load_basis (ctx, object, &level->basis))
        return FALSE;

      g_list_store_append (policy->levels, level);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_axis_values (Ctx *ctx, JsonObject *axis_object, MamoriAxis *axis)
{
  static const char *const allowed[] = { "id", "label", "definition", "handling", "basis", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, axis_object, "values", TRUE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "values");
  n = json_array_get_length (array);
  if (n == 0)
    return _mamori_load_fail (ctx, _ ("an axis needs at least one value"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAxisValue) value = g_object_new (MAMORI_TYPE_AXIS_VALUE, NULL);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      value->rank = i;
      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !_mamori_load_check_members (ctx, object, allowed)
          || !_mamori_load_level_id (ctx, object, "id", &value->id)
          || !_mamori_load_check_unique (ctx, seen, "id", value->id)
          || !_mamori_load_string (ctx, object, "label", TRUE, &value->label)
          || !_mamori_load_string (ctx, object, "definition", TRUE, &value->definition)
          || !_mamori_load_strv (ctx, object, "handling", FALSE, &value->handling)
          || !_mamori_load_basis (ctx, object, &value->basis))
        return FALSE;

      g_list_store_append (axis->values, value);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_axes (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[] = { "id", "label", "values", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;

  if (!_mamori_load_string (ctx, root, "levels_axis", FALSE, &policy->levels_axis)
      || !_mamori_load_array (ctx, root, "axes", FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, "axes");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (MamoriAxis) axis = g_object_new (MAMORI_TYPE_AXIS, NULL);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !_mamori_load_check_members (ctx, object, allowed)
          || !_mamori_load_id (ctx, object, "id", &axis->id)
          || !_mamori_load_check_unique (ctx, seen, "id", axis->id)
          || !_mamori_load_string (ctx, object, "label", TRUE, &axis->label)
          || !read_axis_values (ctx, object, axis))
        return FALSE;

      g_list_store_append (policy->axes, axis);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_categories (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[] = { "id", "label", "reading", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, root, "categories", TRUE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "categories");
  n = json_array_get_length (array);
  if (n == 0)
    return _mamori_load_fail (ctx, _ ("at least one category is needed"));

  for (guint i = 0; i < n; i++)
    {
      MamoriCategory *category = g_new0 (MamoriCategory, 1);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      g_ptr_array_add (policy->categories, category);
      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !_mamori_load_check_members (ctx, object, allowed)
          || !_mamori_load_id (ctx, object, "id", &category->id)
          || !_mamori_load_check_unique (ctx, seen, "id", category->id)
          || !_mamori_load_string (ctx, object, "label", TRUE, &category->label)
          || !_mamori_load_reading (ctx, object, "reading", &category->reading))
        return FALSE;
      g_strv_builder_add (ids, category->id);
      _mamori_load_pop (ctx, item_mark);
    }
  policy->category_ids = g_strv_builder_end (ids);
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

/* Each alias is a string, or {"name": …, "reading": …}. */
static gboolean
read_aliases (Ctx *ctx, JsonObject *object, MamoriAsset *asset)
{
  static const char *const allowed[] = { "name", "reading", NULL };
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *array;
  gsize mark;

  asset->alias_readings = g_ptr_array_new_with_free_func (g_free);
  if (!_mamori_load_array (ctx, object, "aliases", FALSE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "aliases");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      g_autofree char *name = NULL;
      char *reading = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *alias = json_node_get_object (node);

          if (!_mamori_load_check_members (ctx, alias, allowed)
              || !_mamori_load_string (ctx, alias, "name", TRUE, &name)
              || !_mamori_load_reading (ctx, alias, "reading", &reading))
            return FALSE;
        }
      else
        {
          const char *text;

          if (!_mamori_load_string_node (ctx, node, &text))
            return FALSE;
          name = g_strdup (text);
        }
      g_strv_builder_add (names, name);
      g_ptr_array_add (asset->alias_readings, reading);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  asset->aliases = g_strv_builder_end (names);
  return TRUE;
}

static gboolean
read_asset_axes (Ctx *ctx, JsonObject *object, MamoriPolicy *policy, MamoriAsset *asset)
{
  g_autoptr (GList) members = NULL;
  JsonNode *node;
  gsize mark;

  if (!_mamori_load_get_member (ctx, object, "axes", FALSE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, "axes");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_fail (ctx, _ ("expected an object of axis ids and values"));
  object = json_node_get_object (node);
  asset->axis_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *axis_id = l->data;
      MamoriAxis *axis = mamori_policy_lookup_axis (policy, axis_id);
      g_autofree char *value_id = NULL;
      MamoriAxisValue *value;

      if (axis == NULL)
        {
          _mamori_load_push_member (ctx, axis_id);
          return _mamori_load_fail (ctx, _ ("unknown axis"));
        }
      if (!_mamori_load_string (ctx, object, axis_id, TRUE, &value_id))
        return FALSE;
      value = mamori_axis_lookup_value (axis, value_id);
      if (value == NULL)
        {
          _mamori_load_push_member (ctx, axis_id);
          return _mamori_load_fail (ctx, _ ("“%s” is not a value of %s"), value_id, axis->label);
        }
      g_hash_table_insert (asset->axis_values, g_strdup (axis_id), value);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

/* What an asset's names have been claimed by while the assets are read. */
typedef struct
{
  GHashTable *entries; /* normalized "name\x1fqualifier" → index */
  GHashTable *names;   /* normalized name or alias → index of the asset that has it */
  GPtrArray *assets;   /* MamoriAsset, borrowed, by index */
} AssetNames;

/* The same (name, qualifier) may not be listed twice, and a name or alias belongs to one
 * asset: only the entries of one name (told apart by their qualifier) share aliases. */
static gboolean
check_asset_names (Ctx *ctx, AssetNames *seen, MamoriAsset *asset, guint index)
{
  g_autofree char *name = mamori_normalize (asset->name);
  g_autofree char *qualifier = mamori_normalize (asset->qualifier);
  g_autofree char *entry = g_strconcat (name, "\x1f", qualifier, NULL);
  gpointer other;

  if (g_hash_table_lookup_extended (seen->entries, entry, NULL, &other))
    {
      if (asset->qualifier != NULL)
        return _mamori_load_fail (
            ctx, _ ("“%s” with the qualifier “%s” is already listed at $.assets[%u]"), asset->name,
            asset->qualifier, GPOINTER_TO_UINT (other));
      return _mamori_load_fail (
          ctx, _ ("“%s” is already listed at $.assets[%u] (give one of them a qualifier)"),
          asset->name, GPOINTER_TO_UINT (other));
    }
  g_hash_table_insert (seen->entries, g_steal_pointer (&entry), GUINT_TO_POINTER (index));

  for (gint i = -1; i < (gint)g_strv_length (asset->aliases); i++)
    {
      g_autofree char *word = mamori_normalize (i < 0 ? asset->name : asset->aliases[i]);
      MamoriAsset *owner;

      if (!g_hash_table_lookup_extended (seen->names, word, NULL, &other))
        {
          g_hash_table_insert (seen->names, g_steal_pointer (&word), GUINT_TO_POINTER (index));
          continue;
        }
      owner = g_ptr_array_index (seen->assets, GPOINTER_TO_UINT (other));
      if (g_str_equal (owner->name, asset->name))
        continue;
      if (i >= 0)
        {
          _mamori_load_push_member (ctx, "aliases");
          _mamori_load_push_index (ctx, i);
        }
      else
        _mamori_load_push_member (ctx, "name");
      return _mamori_load_fail (
          ctx,
          _ ("“%s” already names “%s” ($.assets[%u]); a name or alias may belong to "
             "one asset only"),
          i < 0 ? asset->name : asset->aliases[i], owner->name, GPOINTER_TO_UINT (other));
    }
  return TRUE;
}

static gboolean
read_asset (Ctx *ctx, JsonObject *object, MamoriPolicy *policy, MamoriAsset *asset)
{
  static const char *const allowed[]
      = { "name",    "category", "level", "qualifier", "note", "aliases",
          "reading", "keywords", "axes",  "basis",     NULL };
  g_autofree char *level_id = NULL;
  const char *category_label;

  if (!_mamori_load_check_members (ctx, object, allowed)
      || !_mamori_load_string (ctx, object, "name", TRUE, &asset->name)
      || !_mamori_load_string (ctx, object, "category", TRUE, &asset->category_id)
      || !_mamori_load_string (ctx, object, "level", TRUE, &level_id)
      || !_mamori_load_string (ctx, object, "qualifier", FALSE, &asset->qualifier)
      || !_mamori_load_string (ctx, object, "note", FALSE, &asset->note)
      || !read_aliases (ctx, object, asset)
      || !_mamori_load_reading (ctx, object, "reading", &asset->reading)
      || !_mamori_load_strv (ctx, object, "keywords", FALSE, &asset->keywords)
      || !read_asset_axes (ctx, object, policy, asset)
      || !_mamori_load_basis (ctx, object, &asset->basis))
    return FALSE;

  category_label = mamori_policy_get_category_label (policy, asset->category_id);
  if (category_label == NULL)
    {
      _mamori_load_push_member (ctx, "category");
      return _mamori_load_fail (ctx, _ ("unknown category “%s”"), asset->category_id);
    }
  asset->category_label = g_strdup (category_label);

  asset->level = mamori_policy_lookup_level (policy, level_id);
  if (asset->level == NULL)
    {
      _mamori_load_push_member (ctx, "level");
      return _mamori_load_fail (ctx, _ ("unknown level “%s”"), level_id);
    }
  g_object_ref (asset->level);
  return TRUE;
}

static gboolean
read_assets (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  g_autoptr (GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) assets = g_ptr_array_new ();
  AssetNames seen = { entries, names, assets };
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, root, "assets", TRUE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "assets");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAsset) asset = g_object_new (MAMORI_TYPE_ASSET, NULL);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !read_asset (ctx, object, policy, asset) || !check_asset_names (ctx, &seen, asset, i))
        return FALSE;

      g_list_store_append (policy->assets, asset);
      g_ptr_array_add (assets, asset);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_scenarios (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "id",       "title",   "summary",      "icon",   "shortcut", "keywords",
          "cautions", "reading", "prohibitions", "source", "basis",    NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, root, "scenarios", TRUE, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, "scenarios");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriScenario) scenario = g_object_new (MAMORI_TYPE_SCENARIO, NULL);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      JsonObject *object;

      if (!_mamori_load_object_at (ctx, array, i, &object)
          || !_mamori_load_check_members (ctx, object, allowed)
          || !_mamori_load_id (ctx, object, "id", &scenario->id)
          || !_mamori_load_check_unique (ctx, seen, "id", scenario->id)
          || !_mamori_load_string (ctx, object, "title", TRUE, &scenario->title)
          || !_mamori_load_reading (ctx, object, "reading", &scenario->reading)
          || !_mamori_load_string (ctx, object, "summary", FALSE, &scenario->summary)
          || !_mamori_load_string (ctx, object, "icon", FALSE, &scenario->icon_name)
          || !_mamori_load_boolean (ctx, object, "shortcut", FALSE, &scenario->shortcut)
          || !_mamori_load_strv (ctx, object, "keywords", FALSE, &scenario->keywords)
          || !_mamori_load_texts (ctx, object, "cautions", TRUE, &scenario->cautions,
                                  &scenario->cautions_basis)
          || !_mamori_load_texts (ctx, object, "prohibitions", TRUE, &scenario->prohibitions,
                                  &scenario->prohibitions_basis)
          || !_mamori_load_string (ctx, object, "source", TRUE, &scenario->source)
          || !_mamori_load_basis (ctx, object, &scenario->basis))
        return FALSE;

      g_list_store_append (policy->scenarios, scenario);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_synonyms (Ctx *ctx, JsonObject *root, MamoriPolicy *policy)
{
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, root, "synonyms", FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, "synonyms");
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gsize item_mark = _mamori_load_push_index (ctx, i);
      GStrv group;

      if (!JSON_NODE_HOLDS_ARRAY (element))
        return _mamori_load_fail (ctx, _ ("expected an array of words"));
      if (!_mamori_load_strv_node (ctx, json_node_get_array (element), &group))
        return FALSE;
      g_ptr_array_add (policy->synonyms, group);
      if (g_strv_length (group) < 2)
        return _mamori_load_fail (ctx, _ ("a synonym group needs at least two words"));
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
read_document (Ctx *ctx, JsonNode *root_node, MamoriPolicy *policy)
{
  static const char *const allowed[]
      = { "format", "id",         "title",  "description", "source",   "levels", "levels_axis",
          "axes",   "categories", "assets", "scenarios",   "synonyms", NULL };
  JsonObject *root;
  JsonNode *format;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    return _mamori_load_fail (ctx, _ ("a policy must be a JSON object"));
  root = json_node_get_object (root_node);

  if (!_mamori_load_get_member (ctx, root, "format", TRUE, &format))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (format) || json_node_get_value_type (format) != G_TYPE_INT64
      || json_node_get_int (format) != MAMORI_POLICY_FORMAT)
    {
      _mamori_load_push_member (ctx, "format");
      return _mamori_load_fail (ctx,
                                _ ("unsupported format (this version of Mamori reads format %d)"),
                                MAMORI_POLICY_FORMAT);
    }

  return _mamori_load_check_members (ctx, root, allowed)
         && _mamori_load_id (ctx, root, "id", &policy->id)
         && _mamori_load_string (ctx, root, "title", TRUE, &policy->title)
         && _mamori_load_string (ctx, root, "description", FALSE, &policy->description)
         && _mamori_load_string (ctx, root, "source", TRUE, &policy->source)
         && read_levels (ctx, root, policy) && read_axes (ctx, root, policy)
         && read_categories (ctx, root, policy) && read_assets (ctx, root, policy)
         && read_scenarios (ctx, root, policy) && read_synonyms (ctx, root, policy);
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
