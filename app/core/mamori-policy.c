/* mamori-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mamori-policies-resources.h"
#include "mamori-policy-private.h"

#define PRESET_RESOURCE_PATH "/io/github/mamori/Mamori/policies/"

/* Presets compiled into the library, default first. */
static const char *const presets[] = {
  "oita-abcd", "mext-2025", "suginami-3", "yokohama-2", "mic-cia", NULL,
};

G_DEFINE_QUARK (mamori - policy - error - quark, mamori_policy_error)

G_DEFINE_FINAL_TYPE (MamoriPolicy, mamori_policy, G_TYPE_OBJECT)

void
_mamori_category_free (MamoriCategory *category)
{
  g_free (category->id);
  g_free (category->label);
  g_free (category->reading);
  g_free (category);
}

const MamoriBasis *
_mamori_basis_list_get (GPtrArray *bases, guint index)
{
  if (bases == NULL || index >= bases->len)
    return NULL;
  return g_ptr_array_index (bases, index);
}

static void
mamori_policy_finalize (GObject *object)
{
  MamoriPolicy *self = MAMORI_POLICY (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->source);
  g_clear_object (&self->levels);
  g_clear_object (&self->assets);
  g_clear_object (&self->scenarios);
  g_clear_object (&self->axes);
  g_free (self->levels_axis);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_strfreev (self->category_ids);
  g_clear_pointer (&self->synonyms, g_ptr_array_unref);
  g_free (self->json);

  G_OBJECT_CLASS (mamori_policy_parent_class)->finalize (object);
}

static void
mamori_policy_class_init (MamoriPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_policy_finalize;
}

static void
mamori_policy_init (MamoriPolicy *self)
{
  self->levels = g_list_store_new (MAMORI_TYPE_LEVEL);
  self->assets = g_list_store_new (MAMORI_TYPE_ASSET);
  self->scenarios = g_list_store_new (MAMORI_TYPE_SCENARIO);
  self->axes = g_list_store_new (MAMORI_TYPE_AXIS);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify)_mamori_category_free);
  /* NULL-terminated so it can be handed out as a const char *const *const *. */
  self->synonyms = g_ptr_array_new_null_terminated (0, (GDestroyNotify)g_strfreev, TRUE);
}

MamoriPolicy *
mamori_policy_new_from_data (const char *data, gsize length, const char *origin, GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _mamori_policy_load (data, length, origin ? origin : "<policy>", error);
}

MamoriPolicy *
mamori_policy_new_from_file (GFile *file, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;

  name = g_file_get_parse_name (file);
  return mamori_policy_new_from_data (contents, length, name, error);
}

MamoriPolicy *
mamori_policy_new_from_preset (const char *preset_id, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (preset_id != NULL, NULL);

  if (!g_strv_contains (presets, preset_id))
    {
      g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_NOT_FOUND,
                   _ ("There is no policy preset “%s”"), preset_id);
      return NULL;
    }

  path = g_strconcat (PRESET_RESOURCE_PATH, preset_id, ".json", NULL);
  /* Looked up in our own resource, not the global table: a static library's resource
   * constructor may be dropped by the linker, and the GUI's resources are separate. */
  bytes = g_resource_lookup_data (mamori_policies_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  origin = g_strconcat (preset_id, ".json", NULL);
  data = g_bytes_get_data (bytes, &length);
  return mamori_policy_new_from_data (data, length, origin, error);
}

const char *const *
mamori_policy_list_presets (void)
{
  return presets;
}

const char *
mamori_policy_default_preset (void)
{
  return presets[0];
}

const char *
mamori_policy_get_id (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return self->id;
}

const char *
mamori_policy_get_title (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return self->title;
}

const char *
mamori_policy_get_description (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return self->description;
}

const char *
mamori_policy_get_source (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return self->source;
}

GListModel *
mamori_policy_get_levels (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return G_LIST_MODEL (self->levels);
}

GListModel *
mamori_policy_get_assets (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return G_LIST_MODEL (self->assets);
}

GListModel *
mamori_policy_get_scenarios (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return G_LIST_MODEL (self->scenarios);
}

MamoriLevel *
mamori_policy_lookup_level (MamoriPolicy *self, const char *level_id)
{
  guint n;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (level_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->levels));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (G_LIST_MODEL (self->levels), i);
      if (g_str_equal (level->id, level_id))
        return level; /* the store keeps it alive */
    }
  return NULL;
}

MamoriScenario *
mamori_policy_lookup_scenario (MamoriPolicy *self, const char *scenario_id)
{
  guint n;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (scenario_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->scenarios));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriScenario) scenario
          = g_list_model_get_item (G_LIST_MODEL (self->scenarios), i);
      if (g_str_equal (scenario->id, scenario_id))
        return scenario;
    }
  return NULL;
}

static MamoriCategory *
find_category (MamoriPolicy *self, const char *category_id)
{
  for (guint i = 0; i < self->categories->len; i++)
    {
      MamoriCategory *category = g_ptr_array_index (self->categories, i);
      if (g_str_equal (category->id, category_id))
        return category;
    }
  return NULL;
}

const char *
mamori_policy_get_category_label (MamoriPolicy *self, const char *category_id)
{
  MamoriCategory *category;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (category_id != NULL, NULL);

  category = find_category (self, category_id);
  return category ? category->label : NULL;
}

const char *
mamori_policy_get_category_reading (MamoriPolicy *self, const char *category_id)
{
  MamoriCategory *category;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (category_id != NULL, NULL);

  category = find_category (self, category_id);
  return category ? category->reading : NULL;
}

const char *const *
mamori_policy_get_category_ids (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return (const char *const *)self->category_ids;
}

const char *const *const *
mamori_policy_get_synonyms (MamoriPolicy *self)
{
  static const char *const *const none[] = { NULL };

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  /* A null-terminated array that never held anything has no storage yet. */
  if (self->synonyms->pdata == NULL)
    return none;
  return (const char *const *const *)self->synonyms->pdata;
}

GListModel *
mamori_policy_get_axes (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return G_LIST_MODEL (self->axes);
}

MamoriAxis *
mamori_policy_lookup_axis (MamoriPolicy *self, const char *axis_id)
{
  guint n;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (axis_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->axes));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (G_LIST_MODEL (self->axes), i);
      if (g_str_equal (axis->id, axis_id))
        return axis;
    }
  return NULL;
}

const char *
mamori_policy_get_levels_axis (MamoriPolicy *self)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  return self->levels_axis;
}

GPtrArray *
mamori_policy_get_assets_at_level (MamoriPolicy *self, MamoriLevel *level)
{
  GPtrArray *result;
  guint n;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);
  g_return_val_if_fail (MAMORI_IS_LEVEL (level), NULL);

  result = g_ptr_array_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->assets));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (G_LIST_MODEL (self->assets), i);
      if (asset->level == level)
        g_ptr_array_add (result, asset);
    }
  return result;
}

MamoriLevel *
mamori_policy_highest_level (MamoriPolicy *self, MamoriLevel *const *levels, guint n_levels)
{
  MamoriLevel *highest = NULL;

  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);

  for (guint i = 0; i < n_levels; i++)
    if (highest == NULL || levels[i]->rank < highest->rank)
      highest = levels[i];
  return highest;
}

char *
mamori_policy_to_json (MamoriPolicy *self, gsize *length)
{
  g_return_val_if_fail (MAMORI_IS_POLICY (self), NULL);

  if (length != NULL)
    *length = strlen (self->json);
  return g_strdup (self->json);
}
