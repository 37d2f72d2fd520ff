/* mamori-level-mapping-dialog.c — where each level of the policy in force goes in a new
 * one, when the school changes schemes
 *
 * One row per level of the old policy, with the new policy's levels to choose from.
 * Each starts at the new level in the same place of the order (the first at the first,
 * the last at the last, those between spread evenly): 大分県's A–D onto MEXT's Ⅰ–Ⅳ starts
 * as A=Ⅰ … D=Ⅳ.  The register's entries move by what is chosen
 * (mamori_policy_install()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-mapping-dialog.h"

struct _MamoriLevelMappingDialog
{
  AdwMessageDialog parent_instance;

  /* Template widgets */
  GtkListBox *levels_list;

  /* Owned references */
  MamoriPolicy *from;
  MamoriPolicy *to;
  GPtrArray *rows; /* AdwComboRow, one per level of @from, borrowed from the list */
};

G_DEFINE_FINAL_TYPE (MamoriLevelMappingDialog, mamori_level_mapping_dialog, ADW_TYPE_MESSAGE_DIALOG)

static GtkStringList *
level_labels (GListModel *levels)
{
  GtkStringList *labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      gtk_string_list_append (labels, mamori_level_get_label (level));
    }
  return labels;
}

static void
mamori_level_mapping_dialog_fill (MamoriLevelMappingDialog *self)
{
  GListModel *old_levels = mamori_policy_get_levels (self->from);
  GListModel *new_levels = mamori_policy_get_levels (self->to);
  guint n_old = g_list_model_get_n_items (old_levels);
  guint n_new = g_list_model_get_n_items (new_levels);

  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (old_levels, i);
      g_autoptr (GtkStringList) labels = level_labels (new_levels);
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mamori_level_get_label (level));
      adw_combo_row_set_model (row, G_LIST_MODEL (labels));
      adw_combo_row_set_selected (row, n_old > 1 ? (i * (n_new - 1) + (n_old - 1) / 2) / (n_old - 1)
                                                 : 0);
      gtk_list_box_append (self->levels_list, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }
}

MamoriPolicy *
mamori_level_mapping_dialog_get_policy (MamoriLevelMappingDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL_MAPPING_DIALOG (self), NULL);

  return self->to;
}

char *
mamori_level_mapping_dialog_get_spec (MamoriLevelMappingDialog *self)
{
  GListModel *old_levels, *new_levels;
  g_autoptr (GString) spec = g_string_new (NULL);

  g_return_val_if_fail (MAMORI_IS_LEVEL_MAPPING_DIALOG (self), NULL);

  old_levels = mamori_policy_get_levels (self->from);
  new_levels = mamori_policy_get_levels (self->to);
  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autoptr (MamoriLevel) old_level = g_list_model_get_item (old_levels, i);
      g_autoptr (MamoriLevel) new_level = g_list_model_get_item (
          new_levels, adw_combo_row_get_selected (g_ptr_array_index (self->rows, i)));

      g_string_append_printf (spec, "%s%s=%s", i > 0 ? "," : "", mamori_level_get_id (old_level),
                              mamori_level_get_id (new_level));
    }
  return g_string_free (g_steal_pointer (&spec), FALSE);
}

static void
mamori_level_mapping_dialog_dispose (GObject *object)
{
  MamoriLevelMappingDialog *self = MAMORI_LEVEL_MAPPING_DIALOG (object);

  g_clear_object (&self->from);
  g_clear_object (&self->to);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mamori_level_mapping_dialog_parent_class)->dispose (object);
}

static void
mamori_level_mapping_dialog_class_init (MamoriLevelMappingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_level_mapping_dialog_dispose;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-level-mapping-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriLevelMappingDialog, levels_list);
}

static void
mamori_level_mapping_dialog_init (MamoriLevelMappingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

MamoriLevelMappingDialog *
mamori_level_mapping_dialog_new (GtkWindow *parent, MamoriPolicy *from, MamoriPolicy *to)
{
  MamoriLevelMappingDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (MAMORI_IS_POLICY (from) && MAMORI_IS_POLICY (to), NULL);

  self = g_object_new (MAMORI_TYPE_LEVEL_MAPPING_DIALOG, "transient-for", parent, NULL);
  self->from = g_object_ref (from);
  self->to = g_object_ref (to);
  body = g_strdup_printf (_ ("The register’s entries are at the levels of “%s”. Choose where "
                             "each of them goes in “%s”: every entry moves, and the change is "
                             "recorded under your name."),
                          mamori_policy_get_title (from), mamori_policy_get_title (to));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  mamori_level_mapping_dialog_fill (self);
  return self;
}

MamoriLevelMappingDialog *
mamori_level_mapping_dialog_new_for_board (GtkWindow *parent,
                                           MamoriPolicy *from,
                                           MamoriPolicy *to,
                                           const char *refusal)
{
  MamoriLevelMappingDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (MAMORI_IS_POLICY (from) && MAMORI_IS_POLICY (to), NULL);

  self = mamori_level_mapping_dialog_new (parent, from, to);
  /* TRANSLATORS: the policy in force, the new policy, then the board's refusal. */
  body = g_strdup_printf (_ ("Choose where each level of “%s” goes in “%s”: the board moves "
                             "the schools’ register entries and signs the change in each "
                             "school.\n\n%s"),
                          mamori_policy_get_title (from), mamori_policy_get_title (to), refusal);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _ ("Map the Schools’ Levels"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "install", _ ("_Publish"));
  return self;
}
