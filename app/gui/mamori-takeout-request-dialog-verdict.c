/* mamori-takeout-request-dialog-verdict.c — what the policy says of the request being
 * written: the core's rule engine (mamori_takeout_judge()) and the user's blanket grants
 * (mamori_takeout_grants_find_covering(), read once the vault is free) decide, the form
 * only words it, and shows the measures of the level that decides as check boxes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-takeout-request-dialog-private.h"

/* The roles that may approve at @level, as words: 「校長または副校長」. */
static char *
describe_approvers (MamoriLevel *level)
{
  MamoriRole roles[MAMORI_N_ROLES];
  guint n = mamori_takeout_level_approvers (level, roles);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        /* TRANSLATORS: between the roles that may approve, 「校長または副校長」 */
        g_string_append (text, _ (" or "));
      g_string_append (text, mamori_role_get_label (roles[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
measure_toggled_cb (MamoriTakeoutRequestDialog *self)
{
  _mamori_takeout_request_dialog_update (self);
}

/* Shows the measures of @level (none for NULL); a measure ticked already stays ticked. */
static void
show_measures (MamoriTakeoutRequestDialog *self, MamoriLevel *level)
{
  const char *const *measures = level != NULL ? mamori_level_get_measures (level) : NULL;
  gboolean same = measures != NULL && g_strv_length ((char **)measures) == self->measure_texts->len;

  for (guint i = 0; same && i < self->measure_texts->len; i++)
    same = g_str_equal (measures[i], g_ptr_array_index (self->measure_texts, i));
  if (same)
    return;
  for (guint i = 0; i < self->measure_rows->len; i++)
    adw_preferences_group_remove (self->measures_group, g_ptr_array_index (self->measure_rows, i));
  g_ptr_array_set_size (self->measure_rows, 0);
  g_ptr_array_set_size (self->measure_texts, 0);
  for (guint i = 0; measures != NULL && measures[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), measures[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      measures[i], -1);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (measure_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->measures_group, row);
      g_ptr_array_add (self->measure_rows, row);
      g_ptr_array_add (self->measure_texts, g_strdup (measures[i]));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->measures_group), self->measure_rows->len > 0);
}

gboolean
_mamori_takeout_request_dialog_measures_acknowledged (MamoriTakeoutRequestDialog *self)
{
  for (guint i = 0; i < self->measure_rows->len; i++)
    {
      GtkWidget *check = adw_action_row_get_activatable_widget (
          ADW_ACTION_ROW (g_ptr_array_index (self->measure_rows, i)));

      if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        return FALSE;
    }
  return TRUE;
}

static void
show_outcome (MamoriTakeoutRequestDialog *self,
              const char *style,
              const char *title,
              const char *detail)
{
  static const char *const styles[] = { "error", "warning", "success", "accent" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), style);
  gtk_label_set_label (self->outcome_label, title);
  gtk_label_set_label (self->outcome_detail, detail);
}

/* Applies the policy to what is chosen so far and says what will happen: TRUE when the
 * request may be filed (the policy does not refuse it). */
gboolean
_mamori_takeout_request_dialog_judge (MamoriTakeoutRequestDialog *self, const char *until)
{
  g_autoptr (GError) error = NULL;
  const MamoriTakeoutGrant *grant = NULL;
  g_autofree char *today = mamori_takeout_today ();
  g_autofree char *detail = NULL;
  g_autofree char *approvers = NULL;
  MamoriTakeoutVerdict verdict;
  const char *level;

  if (self->items->len == 0)
    {
      show_measures (self, NULL);
      show_outcome (self, NULL, _ ("No Items Yet"),
                    _ ("Add what you take out: the policy’s rule for it is shown here."));
      return FALSE;
    }
  if (!mamori_takeout_judge (self->policy, self->items,
                             adw_combo_row_get_selected (self->medium_row), &verdict, &error))
    {
      show_measures (self, NULL);
      show_outcome (self, "error", _ ("Cannot Apply the Policy"), error->message);
      return FALSE;
    }
  level = mamori_level_get_label (verdict.level);
  if (verdict.refusal != MAMORI_TAKEOUT_REFUSAL_NONE)
    {
      detail = mamori_takeout_verdict_explain (&verdict);
      show_measures (self, NULL);
      show_outcome (self, "error", _ ("Not Allowed"), detail);
      return FALSE;
    }
  show_measures (self, verdict.level);
  approvers = describe_approvers (verdict.level);
  switch (verdict.rule)
    {
    case MAMORI_TAKEOUT_APPROVAL_BLANKET:
      if (self->grants != NULL)
        grant = mamori_takeout_grants_find_covering (self->grants, self->policy, verdict.level,
                                                     mamori_takeout_date_is_valid (until) ? until
                                                                                          : today);
      if (self->grants == NULL)
        {
          detail = g_strdup_printf (_ ("%s: %s approves it, unless a blanket approval covers "
                                       "it: that is known once the vault is free."),
                                    level, approvers);
          show_outcome (self, "warning", _ ("Needs Approval"), detail);
        }
      else if (grant != NULL)
        {
          MamoriLevel *max = mamori_policy_lookup_level (self->policy, grant->max_level);

          detail = g_strdup_printf (
              _ ("%s: a blanket approval by %s (up to %s, until %s) covers it. It is approved "
                 "as soon as it is filed."),
              level, grant->granted_by_name != NULL ? grant->granted_by_name : grant->granted_by,
              max != NULL ? mamori_level_get_label (max) : grant->max_level, grant->date_until);
          show_outcome (self, "success", _ ("Covered by a Blanket Approval"), detail);
        }
      else
        {
          detail = g_strdup_printf (_ ("%s: no blanket approval covers it, so %s approves it. "
                                       "They may give a blanket approval for such requests."),
                                    level, approvers);
          show_outcome (self, "warning", _ ("Needs Approval"), detail);
        }
      break;
    case MAMORI_TAKEOUT_NOTIFY:
      detail = g_strdup_printf (_ ("%s: the request is recorded and %s is told of it. No "
                                   "approval is needed."),
                                level, approvers);
      show_outcome (self, "accent", _ ("Recorded, Approvers Told"), detail);
      break;
    case MAMORI_TAKEOUT_FREE:
      detail = g_strdup_printf (_ ("%s: the request is recorded. No approval is needed."), level);
      show_outcome (self, "success", _ ("Recorded"), detail);
      break;
    case MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE:
    case MAMORI_TAKEOUT_FORBIDDEN:
    default:
      detail = g_strdup_printf (_ ("%s: %s approves each take-out before the items leave the "
                                   "school."),
                                level, approvers);
      show_outcome (self, "warning", _ ("Needs Approval"), detail);
      break;
    }
  return TRUE;
}
