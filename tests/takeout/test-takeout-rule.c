/* test-takeout-rule.c — the take-out rule engine: every preset's levels to their
 * outcome, highest level wins (and an entry's stricter rule), the medium against the
 * environment matrix, the approvers, and dates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-level.h"
#include "mamori-takeout.h"

/* A draft of free-text items at @levels (a comma-separated list). */
static MamoriTakeoutDraft *
draft_new (const char *levels, MamoriTakeoutMedium medium, const char *from, const char *until)
{
  MamoriTakeoutDraft *draft = mamori_takeout_draft_new ();
  g_auto (GStrv) ids = g_strsplit (levels, ",", -1);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("資料%u（%s）", i + 1, ids[i]);

      g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, name, ids[i], NULL));
    }
  draft->medium = medium;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup ("成績処理");
  draft->date_from = g_strdup (from);
  draft->date_until = g_strdup (until);
  return draft;
}

/* --- the rule engine ---------------------------------------------------------------- */

typedef struct
{
  const char *preset;
  const char *level;
  MamoriTakeoutRule rule;
} PresetCase;

/* From the presets' own words (data/policies): every level of every preset. */
static const PresetCase preset_cases[] = {
  { "oita-abcd", "A", MAMORI_TAKEOUT_FORBIDDEN },
  { "oita-abcd", "B", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "oita-abcd", "C", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "oita-abcd", "D", MAMORI_TAKEOUT_FREE },
  { "suginami-3", "high", MAMORI_TAKEOUT_FORBIDDEN },
  { "suginami-3", "mid", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "suginami-3", "low", MAMORI_TAKEOUT_FREE },
  { "yokohama-2", "personal", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "yokohama-2", "other", MAMORI_TAKEOUT_NOTIFY },
  { "mext-2025", "I", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "mext-2025", "II", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "mext-2025", "III", MAMORI_TAKEOUT_APPROVAL_BLANKET },
  { "mext-2025", "IV", MAMORI_TAKEOUT_FREE },
  { "mic-cia", "C3", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "mic-cia", "C2", MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE },
  { "mic-cia", "C1", MAMORI_TAKEOUT_APPROVAL_BLANKET },
};

static MamoriTakeoutVerdict
judge (MamoriPolicy *policy, const char *levels, MamoriTakeoutMedium medium)
{
  g_autoptr (MamoriTakeoutDraft) draft = draft_new (levels, medium, "2026-06-01", "2026-06-01");
  g_autoptr (GError) error = NULL;
  MamoriTakeoutVerdict verdict;

  g_assert_true (mamori_takeout_judge (policy, draft->items, medium, &verdict, &error));
  g_assert_no_error (error);
  return verdict;
}

static void
test_presets (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (preset_cases); i++)
    {
      const PresetCase *c = &preset_cases[i];
      g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (c->preset, NULL);
      MamoriTakeoutVerdict verdict = judge (policy, c->level, MAMORI_TAKEOUT_MEDIUM_PAPER);
      g_autofree char *why = mamori_takeout_verdict_explain (&verdict);

      g_test_message ("%s %s", c->preset, c->level);
      g_assert_cmpstr (mamori_level_get_id (verdict.level), ==, c->level);
      g_assert_cmpint (verdict.rule, ==, c->rule);
      g_assert_cmpint (verdict.refusal, ==,
                       c->rule == MAMORI_TAKEOUT_FORBIDDEN ? MAMORI_TAKEOUT_REFUSAL_FORBIDDEN
                                                           : MAMORI_TAKEOUT_REFUSAL_NONE);
      g_assert_true ((why != NULL) == (c->rule == MAMORI_TAKEOUT_FORBIDDEN));
    }
}

static void
test_highest_level (void)
{
  g_autoptr (MamoriPolicy) oita = mamori_policy_new_from_preset ("oita-abcd", NULL);
  g_autoptr (MamoriPolicy) mext = mamori_policy_new_from_preset ("mext-2025", NULL);
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_takeout_item_free);
  g_autoptr (GError) error = NULL;
  MamoriTakeoutVerdict verdict;

  verdict = judge (oita, "D,B,C", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpstr (mamori_level_get_id (verdict.level), ==, "B");
  g_assert_cmpint (verdict.rule, ==, MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE);
  verdict = judge (oita, "D,A", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_FORBIDDEN);
  verdict = judge (mext, "IV,III", MAMORI_TAKEOUT_MEDIUM_PAPER);
  g_assert_cmpstr (mamori_level_get_id (verdict.level), ==, "III");
  g_assert_cmpint (verdict.rule, ==, MAMORI_TAKEOUT_APPROVAL_BLANKET);

  /* An entry of the register with a rule stricter than its level's. */
  g_ptr_array_add (items, mamori_takeout_item_new (NULL, "指導要録の写し", "D", "forbidden"));
  g_assert_true (mamori_takeout_judge (oita, items, MAMORI_TAKEOUT_MEDIUM_PAPER, &verdict, &error));
  g_assert_cmpint (verdict.rule, ==, MAMORI_TAKEOUT_FORBIDDEN);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_FORBIDDEN);

  /* A level the policy does not have, and no item at all. */
  g_ptr_array_set_size (items, 0);
  g_assert_false (
      mamori_takeout_judge (oita, items, MAMORI_TAKEOUT_MEDIUM_PAPER, &verdict, &error));
  g_assert_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_INVALID);
  g_clear_error (&error);
  g_ptr_array_add (items, mamori_takeout_item_new (NULL, "x", "III", NULL));
  g_assert_false (
      mamori_takeout_judge (oita, items, MAMORI_TAKEOUT_MEDIUM_PAPER, &verdict, &error));
  g_assert_error (error, MAMORI_TAKEOUT_ERROR, MAMORI_TAKEOUT_ERROR_INVALID);
}

static void
test_medium (void)
{
  g_autoptr (MamoriPolicy) oita = mamori_policy_new_from_preset ("oita-abcd", NULL);
  MamoriTakeoutVerdict verdict;
  g_autofree char *why = NULL;

  /* B: 公用USBメモリ, not a public cloud (図表16: ×), not a private stick. */
  verdict = judge (oita, "B", MAMORI_TAKEOUT_MEDIUM_USB);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_NONE);
  verdict = judge (oita, "B", MAMORI_TAKEOUT_MEDIUM_CLOUD);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_MEDIUM);
  g_assert_cmpint (verdict.environment, ==, MAMORI_ENV_PUBLIC_CLOUD);
  verdict = judge (oita, "B", MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_PRIVATE_MEDIUM);
  /* C may use the cloud the board allows; D may go on anything. */
  verdict = judge (oita, "C", MAMORI_TAKEOUT_MEDIUM_CLOUD);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_NONE);
  verdict = judge (oita, "D", MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_NONE);
  /* Every level's column counts: D allows the cloud, B with it does not. */
  verdict = judge (oita, "D,B", MAMORI_TAKEOUT_MEDIUM_CLOUD);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_MEDIUM);

  /* A: forbidden, and the alternative the policy gives. */
  verdict = judge (oita, "A", MAMORI_TAKEOUT_MEDIUM_USB);
  why = mamori_takeout_verdict_explain (&verdict);
  g_assert_cmpint (verdict.refusal, ==, MAMORI_TAKEOUT_REFUSAL_FORBIDDEN);
  g_assert_nonnull (strstr (why, "remote access"));
}

static void
test_approvers (void)
{
  g_autoptr (MamoriPolicy) oita = mamori_policy_new_from_preset ("oita-abcd", NULL);
  g_autoptr (MamoriPolicy) yokohama = mamori_policy_new_from_preset ("yokohama-2", NULL);
  MamoriLevel *b = mamori_policy_lookup_level (oita, "B");
  MamoriLevel *personal = mamori_policy_lookup_level (yokohama, "personal");
  MamoriLevel *a = mamori_policy_lookup_level (oita, "A");

  g_assert_true (mamori_takeout_level_can_approve (b, MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_true (mamori_takeout_level_can_approve (b, MAMORI_ROLE_PRINCIPAL));
  g_assert_false (mamori_takeout_level_can_approve (b, MAMORI_ROLE_TEACHER));
  g_assert_false (mamori_takeout_level_can_approve (b, MAMORI_ROLE_OFFICE));
  g_assert_true (mamori_takeout_level_can_approve (personal, MAMORI_ROLE_PRINCIPAL));
  g_assert_false (mamori_takeout_level_can_approve (personal, MAMORI_ROLE_VICE_PRINCIPAL));
  /* A level that names no approvers: 校長等. */
  g_assert_true (mamori_takeout_level_can_approve (a, MAMORI_ROLE_VICE_PRINCIPAL));
  g_assert_false (mamori_takeout_level_can_approve (a, MAMORI_ROLE_BOARD));
}

static void
test_dates (void)
{
  g_assert_true (mamori_takeout_date_is_valid ("2028-02-29"));
  g_assert_false (mamori_takeout_date_is_valid ("2026-02-29"));
  g_assert_false (mamori_takeout_date_is_valid ("2026-13-01"));
  g_assert_false (mamori_takeout_date_is_valid ("2026-1-01"));
  g_assert_false (mamori_takeout_date_is_valid ("２０２６-01-01"));
  g_assert_false (mamori_takeout_date_is_valid (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/takeout/rule/presets", test_presets);
  g_test_add_func ("/takeout/rule/highest-level", test_highest_level);
  g_test_add_func ("/takeout/rule/medium", test_medium);
  g_test_add_func ("/takeout/rule/approvers", test_approvers);
  g_test_add_func ("/takeout/rule/dates", test_dates);
  return g_test_run ();
}
