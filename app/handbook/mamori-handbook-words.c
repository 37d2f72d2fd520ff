/* mamori-handbook-words.c — the Japanese words the handbook and the leaflet share
 *
 * The handbook is a Japanese document whatever the locale of the program writing it (a
 * board publishes it in Japanese, like its policy), so these are not gettext messages:
 * under LANG=C the app's labels would come out in English in the middle of Japanese.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-private.h"

const char *
mamori_handbook_role_label (MamoriRole role)
{
  switch (role)
    {
    case MAMORI_ROLE_TEACHER:
      return "教職員";
    case MAMORI_ROLE_VICE_PRINCIPAL:
      return "副校長・教頭";
    case MAMORI_ROLE_PRINCIPAL:
      return "校長";
    case MAMORI_ROLE_OFFICE:
      return "事務職員";
    case MAMORI_ROLE_BOARD:
      return "教育委員会";
    default:
      g_return_val_if_reached ("");
    }
}

const char *
mamori_handbook_takeout_label (MamoriTakeoutRule rule)
{
  switch (rule)
    {
    case MAMORI_TAKEOUT_FORBIDDEN:
      return "持ち出し禁止";
    case MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE:
      return "持ち出す都度、書面で許可を得る";
    case MAMORI_TAKEOUT_APPROVAL_BLANKET:
      return "包括的承認または口頭の許可";
    case MAMORI_TAKEOUT_NOTIFY:
      return "校長への届出";
    case MAMORI_TAKEOUT_FREE:
      return "許可は不要（措置は守る）";
    default:
      g_return_val_if_reached ("");
    }
}

const char *
mamori_handbook_basis_label (MamoriBasisKind kind)
{
  switch (kind)
    {
    case MAMORI_BASIS_READING:
      return "解釈";
    case MAMORI_BASIS_SCHOOL:
      return "学校の定め";
    case MAMORI_BASIS_BOARD:
      return "教育委員会の定め";
    case MAMORI_BASIS_SOURCE:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
mamori_handbook_environment_label (MamoriEnvironment env)
{
  switch (env)
    {
    case MAMORI_ENV_PRIVATE_CLOUD:
      return "プライベート\nクラウド";
    case MAMORI_ENV_PUBLIC_CLOUD:
      return "パブリック\nクラウド";
    case MAMORI_ENV_LEARNING_SERVER:
      return "学習系\nサーバ";
    case MAMORI_ENV_STAFF_PC:
      return "校務用\nパソコン";
    case MAMORI_ENV_REMOTE_ACCESS:
      return "リモート\nアクセス";
    case MAMORI_ENV_REMOVABLE_MEDIA:
      return "USBメモリ\n等の記録媒体";
    default:
      g_return_val_if_reached ("");
    }
}

char *
mamori_handbook_format_date (GDateTime *date)
{
  return g_strdup_printf ("%d年%d月%d日", g_date_time_get_year (date), g_date_time_get_month (date),
                          g_date_time_get_day_of_month (date));
}

GPtrArray *
mamori_handbook_everyday_scenarios (MamoriPolicy *policy)
{
  GListModel *scenarios = mamori_policy_get_scenarios (policy);
  guint n = g_list_model_get_n_items (scenarios);
  GPtrArray *everyday = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);

      if (mamori_scenario_get_shortcut (scenario))
        g_ptr_array_add (everyday, scenario);
    }
  for (guint i = 0; everyday->len == 0 && i < MIN (n, 8); i++)
    {
      g_autoptr (MamoriScenario) scenario = g_list_model_get_item (scenarios, i);

      g_ptr_array_add (everyday, scenario);
    }
  /* The policy's list model holds the scenarios for as long as the policy lives. */
  return everyday;
}
