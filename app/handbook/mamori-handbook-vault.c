/* mamori-handbook-vault.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-vault.h"
#include "mamori-register.h"
#include "mamori-roster.h"

/* The contact chain's people: the staff roster, with the roles it gives them. */
static gboolean
add_staff (MamoriHandbookSource *source, MamoriVault *vault, GError **error)
{
  g_autoptr (GPtrArray) staff = mamori_vault_list_staff (vault, FALSE, error);

  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      MamoriStaff *person = g_ptr_array_index (staff, i);

      mamori_handbook_source_add_contact (source, person->name, person->role);
    }
  return TRUE;
}

/* Section 2 lists the school's register when it has entries; an entry whose level the
 * policy no longer has is left out (the handbook says what the policy in force means). */
static gboolean
add_register (MamoriHandbookSource *source,
              MamoriPolicy *policy,
              MamoriVault *vault,
              GError **error)
{
  g_autoptr (GPtrArray) entries = mamori_register_list (mamori_vault_get_store (vault), error);

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);
      const char *category = mamori_policy_get_category_label (policy, entry->category);

      mamori_handbook_source_add_entry (source, entry->name,
                                        category != NULL ? category : entry->category, entry->level,
                                        entry->qualifier, NULL);
    }
  return TRUE;
}

MamoriHandbookSource *
mamori_handbook_source_new_for_vault (MamoriVault *vault, GError **error)
{
  g_autoptr (MamoriPolicy) policy = NULL;
  MamoriHandbookSource *source;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);

  policy = mamori_vault_load_policy (vault, error);
  if (policy == NULL)
    return NULL;
  source = mamori_handbook_source_new (policy, mamori_vault_get_school (vault));
  if (!add_staff (source, vault, error) || !add_register (source, policy, vault, error))
    g_clear_object (&source);
  return source;
}
