/* mamori-policy-mapping.c — a mapping from one scheme's levels to another's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-policy-mapping.h"

struct _MamoriLevelMapping
{
  MamoriPolicy *from;
  MamoriPolicy *to;
  GPtrArray *targets; /* MamoriLevel of @to, by rank of the level of @from */
};

G_DEFINE_BOXED_TYPE (MamoriLevelMapping,
                     mamori_level_mapping,
                     mamori_level_mapping_ref,
                     mamori_level_mapping_unref)

/* A mapping refused half way has levels not mapped yet. */
static void
unref_target (gpointer level)
{
  if (level != NULL)
    g_object_unref (level);
}

static void
mamori_level_mapping_clear (MamoriLevelMapping *self)
{
  g_clear_object (&self->from);
  g_clear_object (&self->to);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
}

MamoriLevelMapping *
mamori_level_mapping_ref (MamoriLevelMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
mamori_level_mapping_unref (MamoriLevelMapping *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify)mamori_level_mapping_clear);
}

static char *
fold (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);

  return g_strstrip (g_steal_pointer (&nfkc));
}

/* The level of @policy that @name (an id or a label) names, or NULL. */
static MamoriLevel *
find_level (MamoriPolicy *policy, const char *name)
{
  GListModel *levels = mamori_policy_get_levels (policy);
  g_autofree char *wanted = fold (name);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_autofree char *id = fold (mamori_level_get_id (level));
      g_autofree char *label = fold (mamori_level_get_label (level));

      if (g_str_equal (wanted, id) || g_str_equal (wanted, label))
        return level;
    }
  return NULL;
}

/* 「A, B, C, D」: the ids a message can offer. */
static char *
list_level_ids (MamoriPolicy *policy)
{
  GListModel *levels = mamori_policy_get_levels (policy);
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
      g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", mamori_level_get_id (level));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING, message);
  return FALSE;
}

static gboolean
parse_pair (MamoriLevelMapping *self, const char *pair, GError **error)
{
  g_auto (GStrv) sides = g_strsplit (pair, "=", 2);
  g_autofree char *old_ids = NULL;
  g_autofree char *new_ids = NULL;
  MamoriLevel *from_level;
  MamoriLevel *to_level;

  if (sides[0] == NULL || sides[1] == NULL || *g_strstrip (sides[0]) == '\0'
      || *g_strstrip (sides[1]) == '\0')
    return fail (error, _ ("“%s” is not a pair: write OLD=NEW, e.g. A=Ⅰ"), pair);

  from_level = find_level (self->from, sides[0]);
  if (from_level == NULL)
    {
      old_ids = list_level_ids (self->from);
      return fail (error, _ ("“%s” is not a level of %s (its levels are %s)"), sides[0],
                   mamori_policy_get_id (self->from), old_ids);
    }
  to_level = find_level (self->to, sides[1]);
  if (to_level == NULL)
    {
      new_ids = list_level_ids (self->to);
      return fail (error, _ ("“%s” is not a level of %s (its levels are %s)"), sides[1],
                   mamori_policy_get_id (self->to), new_ids);
    }
  if (g_ptr_array_index (self->targets, mamori_level_get_rank (from_level)) != NULL)
    return fail (error, _ ("%s is mapped twice"), mamori_level_get_id (from_level));

  g_ptr_array_index (self->targets, mamori_level_get_rank (from_level)) = g_object_ref (to_level);
  return TRUE;
}

MamoriLevelMapping *
mamori_level_mapping_new_parse (MamoriPolicy *from,
                                MamoriPolicy *to,
                                const char *spec,
                                GError **error)
{
  g_autoptr (MamoriLevelMapping) self = NULL;
  g_auto (GStrv) pairs = NULL;
  GListModel *levels;
  guint n_levels;

  g_return_val_if_fail (MAMORI_IS_POLICY (from), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (to), NULL);
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  levels = mamori_policy_get_levels (from);
  n_levels = g_list_model_get_n_items (levels);

  self = g_atomic_rc_box_new0 (MamoriLevelMapping);
  self->from = g_object_ref (from);
  self->to = g_object_ref (to);
  self->targets = g_ptr_array_new_full (n_levels, unref_target);
  g_ptr_array_set_size (self->targets, n_levels);

  pairs = g_strsplit (spec, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      /* A trailing comma is forgiven, an empty pair inside is not. */
      if (*g_strstrip (pairs[i]) == '\0' && pairs[i + 1] == NULL && i > 0)
        break;
      if (!parse_pair (self, pairs[i], error))
        return NULL;
    }

  for (guint i = 0; i < n_levels; i++)
    if (g_ptr_array_index (self->targets, i) == NULL)
      {
        g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);
        g_autofree char *new_ids = list_level_ids (to);

        fail (error, _ ("%s is not mapped: every level of %s needs a level of %s (%s)"),
              mamori_level_get_id (level), mamori_policy_get_id (from), mamori_policy_get_id (to),
              new_ids);
        return NULL;
      }

  return g_steal_pointer (&self);
}

MamoriLevel *
mamori_level_mapping_map (MamoriLevelMapping *self, const char *level_id)
{
  MamoriLevel *from_level;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (level_id != NULL, NULL);

  from_level = mamori_policy_lookup_level (self->from, level_id);
  if (from_level == NULL)
    return NULL;
  return g_ptr_array_index (self->targets, mamori_level_get_rank (from_level));
}

char *
mamori_level_mapping_to_string (MamoriLevelMapping *self)
{
  GListModel *levels;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  levels = mamori_policy_get_levels (self->from);
  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      g_string_append_printf (text, "%s%s=%s", i > 0 ? "," : "", mamori_level_get_id (level),
                              mamori_level_get_id (g_ptr_array_index (self->targets, i)));
    }
  return g_string_free (text, FALSE);
}
