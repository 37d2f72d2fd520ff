/* mamori-takeout-decide.c — the decisions on take-out requests, signed with the
 * approver's passphrase asked again
 *
 * Approving (a step of an approval, or the only one), declining, confirming a return and
 * granting a blanket approval unwrap the approver's signing key again from their key slot
 * with their passphrase (mamori_vault_confirm_passphrase()), as a bank asks before a
 * transfer, and sign the event with it; the key is wiped afterwards.  A wrong passphrase
 * signs nothing.  The fold decides whether the records allow the decision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include "mamori-register.h"
#include "mamori-takeout-private.h"

/* Appends @drafts (bodies taken) signed with the key @passphrase unwraps again. */
static gboolean
append_confirmed (
    MamoriVault *vault, const char *passphrase, MamoriEventDraft *drafts, guint n, GError **error)
{
  g_autoptr (MamoriVaultSigner) signer = mamori_vault_confirm_passphrase (vault, passphrase, error);
  g_autoptr (GPtrArray) events = NULL;

  if (signer == NULL)
    {
      for (guint i = 0; i < n; i++)
        json_node_unref (drafts[i].body);
      return FALSE;
    }
  events = mamori_vault_append_events_as (vault, signer, drafts, n, error);
  return events != NULL;
}

/* The approval step the unlocked user would sign next on @request. */
static guint
next_step (const MamoriTakeoutRequest *request)
{
  return g_strv_length (request->steps) + 1;
}

gboolean
_mamori_takeout_approve_as (MamoriVault *vault,
                            MamoriVaultSigner *signer,
                            const char *id,
                            GError **error)
{
  g_autoptr (MamoriTakeoutRequest) request = _mamori_takeout_require_request (vault, id, error);
  g_autoptr (GPtrArray) events = NULL;
  MamoriEventDraft draft;

  if (request == NULL)
    return FALSE;
  draft = (MamoriEventDraft){ MAMORI_EVENT_TAKEOUT_APPROVED,
                              mamori_takeout_decision_body (id, request->version,
                                                            next_step (request), NULL) };
  events = mamori_vault_append_events_as (vault, signer, &draft, 1, error);
  return events != NULL;
}

gboolean
mamori_takeout_approve (MamoriVault *vault, const char *id, const char *passphrase, GError **error)
{
  g_autoptr (MamoriVaultSigner) signer = NULL;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  signer = mamori_vault_confirm_passphrase (vault, passphrase, error);
  return signer != NULL && _mamori_takeout_approve_as (vault, signer, id, error);
}

char *
mamori_takeout_approve_with_grant (MamoriVault *vault,
                                   const char *id,
                                   const char *grantee,
                                   const char *max_level,
                                   const char *date_until,
                                   const char *passphrase,
                                   GError **error)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autofree char *grant = mamori_register_new_id ();
  MamoriEventDraft drafts[2];

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  request = _mamori_takeout_require_request (vault, id, error);
  if (request == NULL)
    return NULL;
  drafts[0] = (MamoriEventDraft){
    MAMORI_EVENT_BLANKET_GRANTED,
    mamori_takeout_grant_body (grant, grantee != NULL ? grantee : request->requester,
                               max_level != NULL ? max_level : request->level, date_until),
  };
  drafts[1] = (MamoriEventDraft){ MAMORI_EVENT_TAKEOUT_APPROVED,
                                  mamori_takeout_decision_body (id, request->version,
                                                                next_step (request), NULL) };
  if (!append_confirmed (vault, passphrase, drafts, G_N_ELEMENTS (drafts), error))
    return NULL;
  return g_steal_pointer (&grant);
}

gboolean
mamori_takeout_reject (
    MamoriVault *vault, const char *id, const char *reason, const char *passphrase, GError **error)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  MamoriEventDraft draft;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  request = _mamori_takeout_require_request (vault, id, error);
  if (request == NULL)
    return FALSE;
  draft = (MamoriEventDraft){ MAMORI_EVENT_TAKEOUT_REJECTED,
                              mamori_takeout_decision_body (id, request->version, 0, reason) };
  return append_confirmed (vault, passphrase, &draft, 1, error);
}

gboolean
mamori_takeout_confirm_return (MamoriVault *vault,
                               const char *id,
                               const char *passphrase,
                               GError **error)
{
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  MamoriEventDraft draft;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  request = _mamori_takeout_require_request (vault, id, error);
  if (request == NULL)
    return FALSE;
  draft = (MamoriEventDraft){ MAMORI_EVENT_RETURN_CONFIRMED, mamori_takeout_id_body (id) };
  return append_confirmed (vault, passphrase, &draft, 1, error);
}

char *
mamori_takeout_grant (MamoriVault *vault,
                      const char *grantee,
                      const char *max_level,
                      const char *date_until,
                      const char *passphrase,
                      GError **error)
{
  g_autofree char *id = mamori_register_new_id ();
  MamoriEventDraft draft;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  draft = (MamoriEventDraft){ MAMORI_EVENT_BLANKET_GRANTED,
                              mamori_takeout_grant_body (id, grantee, max_level, date_until) };
  if (!append_confirmed (vault, passphrase, &draft, 1, error))
    return NULL;
  return g_steal_pointer (&id);
}
