/* mamori-staff-roles.c — the roles a combo row offers for a staff member
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include "mamori-staff-roles.h"

/* A position in the row's list is an index here. */
static const MamoriRole listed_roles[] = {
  MAMORI_ROLE_TEACHER,   MAMORI_ROLE_OFFICE, MAMORI_ROLE_VICE_PRINCIPAL,
  MAMORI_ROLE_PRINCIPAL, MAMORI_ROLE_BOARD,
};

G_STATIC_ASSERT (G_N_ELEMENTS (listed_roles) == MAMORI_N_ROLES);

void
mamori_staff_role_row_init (AdwComboRow *row, MamoriRole role)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  for (guint i = 0; i < G_N_ELEMENTS (listed_roles); i++)
    {
      gtk_string_list_append (labels, mamori_role_get_label (listed_roles[i]));
      if (listed_roles[i] == role)
        selected = i;
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, selected);
}

MamoriRole
mamori_staff_role_row_get_role (AdwComboRow *row)
{
  guint selected;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), MAMORI_ROLE_TEACHER);

  selected = adw_combo_row_get_selected (row);
  g_return_val_if_fail (selected < G_N_ELEMENTS (listed_roles), MAMORI_ROLE_TEACHER);
  return listed_roles[selected];
}
