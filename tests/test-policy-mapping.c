/* test-policy-mapping.c — mapping one scheme's levels onto another's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mamori-policy-mapping.h"

static MamoriPolicy *
load_preset (const char *id)
{
  g_autoptr (GError) error = NULL;
  MamoriPolicy *policy = mamori_policy_new_from_preset (id, &error);

  g_assert_no_error (error);
  return policy;
}

static void
test_oita_to_mext (void)
{
  g_autoptr (MamoriPolicy) oita = load_preset ("oita-abcd");
  g_autoptr (MamoriPolicy) mext = load_preset ("mext-2025");
  g_autoptr (GError) error = NULL;
  /* As a board types it: the scheme's own numerals, full-width letters, spaces. */
  g_autoptr (MamoriLevelMapping) mapping
      = mamori_level_mapping_new_parse (oita, mext, "A=Ⅰ, B=Ⅱ, Ｃ=Ⅲ, D = Ⅳ", &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (mamori_level_mapping_map (mapping, "A") == mamori_policy_lookup_level (mext, "I"));
  g_assert_cmpstr (mamori_level_get_id (mamori_level_mapping_map (mapping, "C")), ==, "III");
  g_assert_cmpstr (mamori_level_get_id (mamori_level_mapping_map (mapping, "D")), ==, "IV");
  g_assert_null (mamori_level_mapping_map (mapping, "E"));
  text = mamori_level_mapping_to_string (mapping);
  g_assert_cmpstr (text, ==, "A=I,B=II,C=III,D=IV");
}

static void
test_labels_and_merging (void)
{
  g_autoptr (MamoriPolicy) oita = load_preset ("oita-abcd");
  g_autoptr (MamoriPolicy) yokohama = load_preset ("yokohama-2");
  g_autoptr (GError) error = NULL;
  /* Labels do as well as ids, and several levels may go to one. */
  g_autoptr (MamoriLevelMapping) mapping = mamori_level_mapping_new_parse (
      oita, yokohama, "重要度A=個人情報,重要度B=personal,C=personal,D=その他の情報,", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (mamori_level_get_id (mamori_level_mapping_map (mapping, "A")), ==, "personal");
  g_assert_cmpstr (mamori_level_get_id (mamori_level_mapping_map (mapping, "C")), ==, "personal");
  g_assert_cmpstr (mamori_level_get_id (mamori_level_mapping_map (mapping, "D")), ==, "other");
}

static void
test_errors (void)
{
  static const struct
  {
    const char *spec;
    const char *message;
  } cases[] = {
    { "A=Ⅰ,B=Ⅱ,C=Ⅲ", "D is not mapped: every level of oita-abcd needs a level of mext-2025 (I, II, "
                     "III, IV)" },
    { "A=Ⅰ,B=Ⅱ,C=Ⅲ,D=Ⅳ,A=Ⅱ", "A is mapped twice" },
    { "A=Ⅰ,B=Ⅱ,C=Ⅲ,E=Ⅳ", "“E” is not a level of oita-abcd (its levels are A, B, C, D)" },
    { "A=Ⅰ,B=Ⅱ,C=Ⅲ,D=Ⅴ", "“Ⅴ” is not a level of mext-2025 (its levels are I, II, III, IV)" },
    { "A=Ⅰ,B,C=Ⅲ,D=Ⅳ", "“B” is not a pair: write OLD=NEW, e.g. A=Ⅰ" },
    { "A=Ⅰ,,C=Ⅲ,D=Ⅳ", "“” is not a pair: write OLD=NEW, e.g. A=Ⅰ" },
    { "A=,B=Ⅱ,C=Ⅲ,D=Ⅳ", "is not a pair" },
    { "", "A is not mapped" },
  };
  g_autoptr (MamoriPolicy) oita = load_preset ("oita-abcd");
  g_autoptr (MamoriPolicy) mext = load_preset ("mext-2025");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriLevelMapping) mapping
          = mamori_level_mapping_new_parse (oita, mext, cases[i].spec, &error);

      g_test_message ("%s: %s", cases[i].spec, error ? error->message : "(no error)");
      g_assert_null (mapping);
      g_assert_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* A register of 1,000 entries moved to the new scheme and back keeps every entry's level. */
static void
test_round_trip (void)
{
  g_autoptr (MamoriPolicy) oita = load_preset ("oita-abcd");
  g_autoptr (MamoriPolicy) mext = load_preset ("mext-2025");
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriLevelMapping) forward
      = mamori_level_mapping_new_parse (oita, mext, "A=Ⅰ,B=Ⅱ,C=Ⅲ,D=Ⅳ", &error);
  g_autoptr (MamoriLevelMapping) back = NULL;
  GListModel *levels = mamori_policy_get_levels (oita);
  guint n_levels = g_list_model_get_n_items (levels);
  guint counts[4] = { 0 };

  g_assert_no_error (error);
  back = mamori_level_mapping_new_parse (mext, oita, "Ⅰ=A,Ⅱ=B,Ⅲ=C,Ⅳ=D", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, (i * 7) % n_levels);
      MamoriLevel *moved = mamori_level_mapping_map (forward, mamori_level_get_id (level));
      MamoriLevel *returned = mamori_level_mapping_map (back, mamori_level_get_id (moved));

      g_assert_true (mamori_policy_lookup_level (mext, mamori_level_get_id (moved)) == moved);
      g_assert_true (returned == level);
      counts[mamori_level_get_rank (moved)]++;
    }
  /* Every level of the new scheme was used, in the old one's proportions. */
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_assert_cmpuint (counts[i], ==, 250);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy-mapping/oita-to-mext", test_oita_to_mext);
  g_test_add_func ("/policy-mapping/labels-and-merging", test_labels_and_merging);
  g_test_add_func ("/policy-mapping/errors", test_errors);
  g_test_add_func ("/policy-mapping/round-trip", test_round_trip);

  return g_test_run ();
}
