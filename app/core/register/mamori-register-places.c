/* mamori-register-places.c — where the school's information is kept, and at what level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include "mamori-normalize.h"
#include "mamori-register.h"
#include "mamori-register-places.h"

void
mamori_register_place_free (MamoriRegisterPlace *place)
{
  if (place == NULL)
    return;
  g_free (place->location);
  g_clear_object (&place->level);
  g_ptr_array_unref (place->entries);
  g_free (place);
}

static int
compare_places (gconstpointer a, gconstpointer b)
{
  const MamoriRegisterPlace *pa = *(MamoriRegisterPlace *const *)a;
  const MamoriRegisterPlace *pb = *(MamoriRegisterPlace *const *)b;
  guint rank_a = pa->level != NULL ? mamori_level_get_rank (pa->level) : G_MAXUINT;
  guint rank_b = pb->level != NULL ? mamori_level_get_rank (pb->level) : G_MAXUINT;

  if ((pa->location == NULL) != (pb->location == NULL))
    return pa->location == NULL ? 1 : -1;
  if (rank_a != rank_b)
    return rank_a < rank_b ? -1 : 1;
  return g_strcmp0 (pa->location, pb->location);
}

GPtrArray *
mamori_register_places (MamoriPolicy *policy, GPtrArray *entries)
{
  GPtrArray *places = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_place_free);
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *key = mamori_normalize (entry->location != NULL ? entry->location : "");
      MamoriRegisterPlace *place = g_hash_table_lookup (by_key, key);
      MamoriLevel *level = mamori_register_entry_get_level (entry, policy);

      if (place == NULL)
        {
          place = g_new0 (MamoriRegisterPlace, 1);
          place->location = g_strdup (entry->location);
          place->entries = g_ptr_array_new ();
          g_ptr_array_add (places, place);
          g_hash_table_insert (by_key, g_steal_pointer (&key), place);
        }
      g_ptr_array_add (place->entries, entry);
      if (level != NULL)
        {
          MamoriLevel *both[2] = { place->level != NULL ? place->level : level, level };

          g_set_object (&place->level, mamori_policy_highest_level (policy, both, 2));
        }
    }
  g_ptr_array_sort (places, compare_places);
  return places;
}

GPtrArray *
mamori_register_places_read (MamoriPolicy *policy,
                             MamoriDb *db,
                             GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  GPtrArray *places;

  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);
  g_return_val_if_fail (db != NULL, NULL);

  entries = mamori_register_list (db, error);
  if (entries == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  places = mamori_register_places (policy, entries);
  /* Every entry is in exactly one place: the places take them over from the list. */
  g_ptr_array_set_free_func (entries, NULL);
  for (guint i = 0; i < places->len; i++)
    g_ptr_array_set_free_func (((MamoriRegisterPlace *)g_ptr_array_index (places, i))->entries,
                               (GDestroyNotify)mamori_register_entry_free);
  return places;
}
