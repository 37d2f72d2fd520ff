/* mamori-takeout-rule.c — the take-out rule engine and the words of take-out
 *
 * The highest level among the items decides (対策基準 3.3(2)⑤(ウ)); an entry of the
 * register may carry a rule stricter than its level's, and the strictest rule wins.  The
 * medium is then checked against the environment matrix (図表16): an explicit 「×」 in
 * its column refuses; a cell the policy leaves unstated does not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-level.h"
#include "mamori-takeout.h"

G_DEFINE_QUARK (mamori - takeout - error - quark, mamori_takeout_error)

static const char *const medium_ids[] = { "paper", "usb", "pc", "cloud", "private-usb" };
static const char *const medium_labels[] = {
  N_ ("Paper"),
  N_ ("Encrypted official USB stick"),
  N_ ("School work PC"),
  N_ ("Cloud service"),
  N_ ("Private USB stick"),
};
static const char *const state_ids[] = {
  "refused", "pending",  "approved", "rejected", "withdrawn",
  "out",     "returned", "closed",   "recorded",
};
static const char *const state_labels[] = {
  N_ ("Refused by the policy"),
  N_ ("Waiting for approval"),
  N_ ("Approved"),
  N_ ("Declined"),
  N_ ("Withdrawn"),
  N_ ("Taken out"),
  N_ ("Returned"),
  N_ ("Return confirmed"),
  N_ ("Recorded"),
};
static const char *const refusal_ids[] = { "", "forbidden", "medium", "private-medium" };

static gboolean
from_string (const char *const *ids, guint n, const char *str, int *out)
{
  for (guint i = 0; str != NULL && i < n; i++)
    if (g_str_equal (ids[i], str))
      {
        *out = (int)i;
        return TRUE;
      }
  return FALSE;
}

const char *
mamori_takeout_medium_to_string (MamoriTakeoutMedium medium)
{
  g_return_val_if_fail (medium < G_N_ELEMENTS (medium_ids), NULL);
  return medium_ids[medium];
}

gboolean
mamori_takeout_medium_from_string (const char *str, MamoriTakeoutMedium *out_medium)
{
  int value;

  if (!from_string (medium_ids, G_N_ELEMENTS (medium_ids), str, &value))
    return FALSE;
  *out_medium = value;
  return TRUE;
}

const char *
mamori_takeout_medium_get_label (MamoriTakeoutMedium medium)
{
  g_return_val_if_fail (medium < G_N_ELEMENTS (medium_labels), NULL);
  return _ (medium_labels[medium]);
}

const char *
mamori_takeout_state_to_string (MamoriTakeoutState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_ids), NULL);
  return state_ids[state];
}

gboolean
mamori_takeout_state_from_string (const char *str, MamoriTakeoutState *out_state)
{
  int value;

  if (!from_string (state_ids, G_N_ELEMENTS (state_ids), str, &value))
    return FALSE;
  *out_state = value;
  return TRUE;
}

const char *
mamori_takeout_state_get_label (MamoriTakeoutState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_labels), NULL);
  return _ (state_labels[state]);
}

const char *
mamori_takeout_refusal_to_string (MamoriTakeoutRefusal refusal)
{
  g_return_val_if_fail (refusal < G_N_ELEMENTS (refusal_ids), NULL);
  return refusal_ids[refusal];
}

gboolean
mamori_takeout_refusal_from_string (const char *str, MamoriTakeoutRefusal *out_refusal)
{
  int value;

  if (!from_string (refusal_ids, G_N_ELEMENTS (refusal_ids), str, &value))
    return FALSE;
  *out_refusal = value;
  return TRUE;
}

MamoriTakeoutItem *
mamori_takeout_item_new (const char *asset, const char *name, const char *level, const char *rule)
{
  MamoriTakeoutItem *item = g_new0 (MamoriTakeoutItem, 1);

  item->asset = g_strdup (asset);
  item->name = g_strdup (name);
  item->level = g_strdup (level);
  item->rule = g_strdup (rule);
  return item;
}

void
mamori_takeout_item_free (MamoriTakeoutItem *item)
{
  if (item == NULL)
    return;
  g_free (item->asset);
  g_free (item->name);
  g_free (item->level);
  g_free (item->rule);
  g_free (item);
}

MamoriTakeoutDraft *
mamori_takeout_draft_new (void)
{
  MamoriTakeoutDraft *draft = g_new0 (MamoriTakeoutDraft, 1);

  draft->items = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_item_free);
  return draft;
}

void
mamori_takeout_draft_free (MamoriTakeoutDraft *draft)
{
  if (draft == NULL)
    return;
  g_ptr_array_unref (draft->items);
  g_free (draft->destination);
  g_free (draft->purpose);
  g_free (draft->date_from);
  g_free (draft->date_until);
  g_free (draft);
}

const char *
mamori_takeout_event_get_label (const char *type)
{
  static const struct
  {
    const char *type;
    const char *label;
  } labels[] = {
    { MAMORI_EVENT_TAKEOUT_REQUESTED, NC_ ("takeout event", "Filed") },
    { MAMORI_EVENT_TAKEOUT_CHANGED, NC_ ("takeout event", "Changed") },
    { MAMORI_EVENT_TAKEOUT_APPROVED, NC_ ("takeout event", "Approved") },
    { MAMORI_EVENT_TAKEOUT_REJECTED, NC_ ("takeout event", "Declined") },
    { MAMORI_EVENT_TAKEOUT_WITHDRAWN, NC_ ("takeout event", "Withdrawn") },
    { MAMORI_EVENT_TAKEN_OUT, NC_ ("takeout event", "Taken out") },
    { MAMORI_EVENT_RETURNED, NC_ ("takeout event", "Returned") },
    { MAMORI_EVENT_RETURN_CONFIRMED, NC_ ("takeout event", "Return confirmed") },
    { MAMORI_EVENT_TAKEOUT_NOTIFIED, NC_ ("takeout event", "Acknowledged") },
    { MAMORI_EVENT_BLANKET_GRANTED, NC_ ("takeout event", "Blanket approval granted") },
    { MAMORI_EVENT_BLANKET_REVOKED, NC_ ("takeout event", "Blanket approval revoked") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].type, type) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "takeout event", labels[i].label);
  return type;
}

/* --- the rule engine ---------------------------------------------------------------- */

/* The column of the environment matrix a medium is checked in; FALSE for paper, which
 * the matrix does not cover. */
static gboolean
medium_environment (MamoriTakeoutMedium medium, MamoriEnvironment *out_env)
{
  switch (medium)
    {
    case MAMORI_TAKEOUT_MEDIUM_USB:
    case MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB:
      *out_env = MAMORI_ENV_REMOVABLE_MEDIA;
      return TRUE;
    case MAMORI_TAKEOUT_MEDIUM_PC:
      *out_env = MAMORI_ENV_STAFF_PC;
      return TRUE;
    case MAMORI_TAKEOUT_MEDIUM_CLOUD:
      *out_env = MAMORI_ENV_PUBLIC_CLOUD;
      return TRUE;
    case MAMORI_TAKEOUT_MEDIUM_PAPER:
    default:
      return FALSE;
    }
}

gboolean
mamori_takeout_judge (MamoriPolicy *policy,
                      GPtrArray *items,
                      MamoriTakeoutMedium medium,
                      MamoriTakeoutVerdict *out_verdict,
                      GError **error)
{
  g_autofree MamoriLevel **levels = NULL;
  MamoriTakeoutVerdict verdict = { 0 };
  MamoriEnvironment env;

  g_return_val_if_fail (MAMORI_IS_POLICY (policy), FALSE);
  g_return_val_if_fail (out_verdict != NULL, FALSE);

  if (items == NULL || items->len == 0)
    {
      g_set_error_literal (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_INVALID,
                           _ ("A take-out request names at least one item"));
      return FALSE;
    }
  levels = g_new0 (MamoriLevel *, items->len);
  verdict.rule = MAMORI_TAKEOUT_FREE;
  for (guint i = 0; i < items->len; i++)
    {
      const MamoriTakeoutItem *item = g_ptr_array_index (items, i);
      MamoriTakeoutRule own;

      levels[i] = item->level != NULL ? mamori_policy_lookup_level (policy, item->level) : NULL;
      if (levels[i] == NULL)
        {
          g_set_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_INVALID,
                       _ ("“%s” has the level “%s”, which the policy in force does not have"),
                       item->name, item->level != NULL ? item->level : "");
          return FALSE;
        }
      /* The enumeration runs from the strictest rule to the most lenient. */
      if (mamori_level_get_takeout_rule (levels[i]) < verdict.rule)
        verdict.rule = mamori_level_get_takeout_rule (levels[i]);
      if (item->rule != NULL && mamori_takeout_rule_from_string (item->rule, &own)
          && own < verdict.rule)
        verdict.rule = own;
    }
  verdict.level = mamori_policy_highest_level (policy, levels, items->len);
  if (mamori_level_get_takeout_rule (verdict.level) < verdict.rule)
    verdict.rule = mamori_level_get_takeout_rule (verdict.level);
  verdict.refusal = MAMORI_TAKEOUT_REFUSAL_NONE;
  if (verdict.rule == MAMORI_TAKEOUT_FORBIDDEN)
    verdict.refusal = MAMORI_TAKEOUT_REFUSAL_FORBIDDEN;
  else if (medium_environment (medium, &env))
    {
      verdict.environment = env;
      /* Every level the items hold must allow the medium, not only the highest: the
       * matrix need not be monotonic (oita-abcd allows the private cloud for B, not C). */
      for (guint i = 0; i < items->len && verdict.refusal == MAMORI_TAKEOUT_REFUSAL_NONE; i++)
        if (mamori_level_get_environment (levels[i], env) == MAMORI_PERMISSION_DENIED)
          verdict.refusal = MAMORI_TAKEOUT_REFUSAL_MEDIUM;
      /* The policies that require approval ask for official media (公用USBメモリ). */
      if (verdict.refusal == MAMORI_TAKEOUT_REFUSAL_NONE
          && medium == MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB && verdict.rule != MAMORI_TAKEOUT_FREE)
        verdict.refusal = MAMORI_TAKEOUT_REFUSAL_PRIVATE_MEDIUM;
    }
  *out_verdict = verdict;
  return TRUE;
}

char *
mamori_takeout_verdict_explain (const MamoriTakeoutVerdict *verdict)
{
  const char *label;

  g_return_val_if_fail (verdict != NULL, NULL);

  label = mamori_level_get_label (verdict->level);
  switch (verdict->refusal)
    {
    case MAMORI_TAKEOUT_REFUSAL_FORBIDDEN:
      if (mamori_level_get_environment (verdict->level, MAMORI_ENV_REMOTE_ACCESS)
          == MAMORI_PERMISSION_ALLOWED)
        return g_strdup_printf (_ ("%s may not be taken out of the school. Use remote access "
                                   "instead: the policy allows it for this level."),
                                label);
      return g_strdup_printf (_ ("%s may not be taken out of the school."), label);
    case MAMORI_TAKEOUT_REFUSAL_MEDIUM:
      return g_strdup_printf (_ ("The policy does not allow %s for this request (%s): choose "
                                 "another medium."),
                              mamori_environment_get_label (verdict->environment), label);
    case MAMORI_TAKEOUT_REFUSAL_PRIVATE_MEDIUM:
      return g_strdup_printf (_ ("%s may not be taken out on a private USB stick: use an "
                                 "encrypted official one."),
                              label);
    case MAMORI_TAKEOUT_REFUSAL_NONE:
    default:
      return NULL;
    }
}

guint
mamori_takeout_level_approvers (MamoriLevel *level, MamoriRole out_roles[MAMORI_N_ROLES])
{
  guint n = 0;
  const MamoriRole *roles = mamori_level_get_approvers (level, &n);

  if (n == 0)
    {
      /* 校長等, the seed's default. */
      out_roles[0] = MAMORI_ROLE_PRINCIPAL;
      out_roles[1] = MAMORI_ROLE_VICE_PRINCIPAL;
      return 2;
    }
  n = MIN (n, MAMORI_N_ROLES);
  memcpy (out_roles, roles, n * sizeof (MamoriRole));
  return n;
}

gboolean
mamori_takeout_level_can_approve (MamoriLevel *level, MamoriRole role)
{
  MamoriRole roles[MAMORI_N_ROLES];
  guint n = mamori_takeout_level_approvers (level, roles);

  for (guint i = 0; i < n; i++)
    if (roles[i] == role)
      return TRUE;
  return FALSE;
}

gboolean
mamori_takeout_date_is_valid (const char *text)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = g_ascii_strtoull (text, NULL, 10);
  month = g_ascii_strtoull (text + 5, NULL, 10);
  day = g_ascii_strtoull (text + 8, NULL, 10);
  return year >= 1 && year <= 9999 && g_date_valid_dmy (day, month, year);
}

char *
mamori_takeout_today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

guint
mamori_takeout_level_n_steps (MamoriLevel *level)
{
  return MAX (mamori_level_get_n_approval_steps (level), 1);
}

guint
mamori_takeout_level_step_roles (MamoriLevel *level,
                                 guint step,
                                 MamoriRole out_roles[MAMORI_N_ROLES])
{
  guint n_steps = mamori_level_get_n_approval_steps (level);
  const MamoriRole *roles;
  guint n = 0;

  g_return_val_if_fail (step >= 1, 0);

  if (n_steps == 0)
    return mamori_takeout_level_approvers (level, out_roles);
  /* A step past the last (the policy in force has fewer steps than when the request's
   * first were signed) is the last step's. */
  roles = mamori_level_get_approval_step (level, MIN (step, n_steps) - 1, &n);
  n = MIN (n, MAMORI_N_ROLES);
  memcpy (out_roles, roles, n * sizeof (MamoriRole));
  return n;
}

gboolean
mamori_takeout_level_step_allows (MamoriLevel *level, guint step, MamoriRole role)
{
  MamoriRole roles[MAMORI_N_ROLES];
  guint n = mamori_takeout_level_step_roles (level, step, roles);

  for (guint i = 0; i < n; i++)
    if (roles[i] == role)
      return TRUE;
  return FALSE;
}

gboolean
mamori_takeout_level_can_grant (MamoriLevel *level, MamoriRole role)
{
  return mamori_takeout_level_step_allows (level, mamori_takeout_level_n_steps (level), role);
}

const char *
mamori_takeout_step_get_label (guint step, guint n_steps)
{
  /* The last step approves (承認); those before it review (審査済み). */
  return step >= n_steps ? g_dpgettext2 (GETTEXT_PACKAGE, "takeout event", "Approved")
                         : C_ ("takeout event", "Reviewed");
}
