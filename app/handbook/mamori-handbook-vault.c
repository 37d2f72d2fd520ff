/* mamori-handbook-vault.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-vault.h"

/* The contact chain's people: for now the vault's users and their key-slot roles. */
static void
add_staff (MamoriHandbookSource *source, MamoriVault *vault)
{
  g_auto (GStrv) users = mamori_vault_list_users (vault);

  for (guint i = 0; users[i] != NULL; i++)
    {
      MamoriRole role;

      if (mamori_vault_lookup_role (vault, users[i], &role))
        mamori_handbook_source_add_contact (source, users[i], role);
    }
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
  add_staff (source, vault);
  return source;
}
