/* mamori-policy-install.c — putting a policy in force in a school's vault
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-policy-install.h"
#include "mamori-policy-record.h"
#include "mamori-register.h"

/* The levels the register uses that @policy does not have, as "A, B", or NULL. */
static char *
missing_levels (GPtrArray *entries, MamoriPolicy *policy)
{
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);

      if (mamori_policy_lookup_level (policy, entry->level) == NULL
          && !g_ptr_array_find_with_equal_func (missing, entry->level, g_str_equal, NULL))
        g_ptr_array_add (missing, entry->level);
    }
  if (missing->len == 0)
    return NULL;
  g_ptr_array_add (missing, NULL);
  return g_strjoinv (", ", (char **)missing->pdata);
}

JsonNode *
mamori_policy_relevel_entry (const MamoriRegisterEntry *entry,
                             MamoriPolicy *policy,
                             MamoriLevelMapping *mapping,
                             const char *mapping_text,
                             GError **error)
{
  g_autoptr (MamoriRegisterEntry) after = mamori_register_entry_copy (entry);
  g_autoptr (GPtrArray) problems = NULL;
  MamoriLevel *level = mamori_level_mapping_map (mapping, entry->level);

  if (level == NULL)
    return NULL;
  g_free (after->level);
  after->level = g_strdup (mamori_level_get_id (level));
  problems = mamori_register_entry_check (after, policy);
  /* Below the new template's level because of the board's mapping: that is the reason. */
  if (after->lowered && after->reason == NULL)
    {
      after->reason = g_strdup_printf (_ ("Moved by the level mapping %s"), mapping_text);
      g_clear_pointer (&problems, g_ptr_array_unref);
      problems = mamori_register_entry_check (after, policy);
    }
  if (problems->len > 0)
    {
      MamoriRegisterProblem *problem = g_ptr_array_index (problems, 0);

      g_set_error (error, MAMORI_REGISTER_ERROR, MAMORI_REGISTER_ERROR_INVALID,
                   _ ("“%s” cannot move to the new policy: %s"), entry->name, problem->message);
      return NULL;
    }
  return mamori_register_changed_body (entry, after);
}

gboolean
mamori_policy_install (MamoriVault *vault,
                       MamoriPolicy *policy,
                       const char *mapping_spec,
                       guint *out_relevelled,
                       GError **error)
{
  g_autoptr (MamoriPolicy) old = NULL;
  g_autoptr (GPtrArray) entries = NULL, events = NULL;
  g_autoptr (GArray) drafts = g_array_new (FALSE, FALSE, sizeof (MamoriEventDraft));
  g_autoptr (MamoriLevelMapping) mapping = NULL;
  g_autofree char *mapping_text = NULL;
  JsonNode *body;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);

  if (!mamori_vault_unlocked_by_administrator (vault))
    {
      g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED,
                           _ ("Only the principal, the vice-principal or the board of education "
                              "can change the school’s policy"));
      return FALSE;
    }
  old = mamori_vault_load_policy (vault, error);
  entries = old != NULL ? mamori_register_list (mamori_vault_get_store (vault), error) : NULL;
  if (entries == NULL)
    return FALSE;
  if (mapping_spec != NULL)
    {
      mapping = mamori_level_mapping_new_parse (old, policy, mapping_spec, error);
      if (mapping == NULL)
        return FALSE;
      mapping_text = mamori_level_mapping_to_string (mapping);
    }
  else
    {
      g_autofree char *missing = missing_levels (entries, policy);

      if (missing != NULL)
        {
          g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING,
                       _ ("The register has entries at levels %s, which “%s” does not have: "
                          "say where each level of “%s” goes (--map)"),
                       missing, mamori_policy_get_title (policy), mamori_policy_get_title (old));
          return FALSE;
        }
    }

  body = mamori_policy_installed_body (policy, mapping_text, error);
  if (body == NULL)
    return FALSE;
  g_array_append_val (drafts, ((MamoriEventDraft){ MAMORI_EVENT_POLICY_INSTALLED, body }));
  for (guint i = 0; mapping != NULL && i < entries->len; i++)
    {
      g_autoptr (GError) local_error = NULL;

      body = mamori_policy_relevel_entry (g_ptr_array_index (entries, i), policy, mapping,
                                          mapping_text, &local_error);
      if (local_error != NULL)
        {
          for (guint d = 0; d < drafts->len; d++)
            json_node_unref (g_array_index (drafts, MamoriEventDraft, d).body);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (body != NULL)
        g_array_append_val (drafts, ((MamoriEventDraft){ MAMORI_EVENT_ASSET_CHANGED, body }));
    }

  events = mamori_vault_append_events (vault, (MamoriEventDraft *)drafts->data, drafts->len, error);
  if (events == NULL)
    return FALSE;
  if (out_relevelled != NULL)
    *out_relevelled = events->len - 1;
  return TRUE;
}
