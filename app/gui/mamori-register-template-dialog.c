/* mamori-register-template-dialog.c — the board's standard items not yet in the register
 *
 * One group per category, each item with a check box, its level beside it; Add puts the
 * chosen ones in the register in one signed batch (mamori_register_add_all()), as soon as
 * no job of the session has the vault (mamori_session_when_free()), Add insensitive
 * meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-template-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-register-import.h"
#include "mamori-register-template-dialog.h"

struct _MamoriRegisterTemplateDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  AdwPreferencesPage *page;
  AdwEntryRow *location_row;
  GtkSwitch *all_switch;

  /* Owned references */
  MamoriSession *session;
  MamoriVault *vault;
  MamoriPolicy *policy;
  GPtrArray *assets; /* MamoriAsset (references): the items not in the register */
  GPtrArray *checks; /* GtkCheckButton (borrowed), one per asset */
  GPtrArray *adding; /* MamoriRegisterEntry: added when the vault is free */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MamoriRegisterTemplateDialog, mamori_register_template_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
count_chosen (MamoriRegisterTemplateDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  return n;
}

static void
check_toggled_cb (MamoriRegisterTemplateDialog *self)
{
  guint n = count_chosen (self);
  g_autofree char *count = g_strdup_printf ("%u", n);
  /* Translators: how many of the template's items are chosen. */
  g_autofree char *subtitle = g_strdup_printf (_ ("%s chosen"), count);

  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "template.add", self->adding == NULL && n > 0);
}

static void
all_toggled_cb (MamoriRegisterTemplateDialog *self)
{
  gboolean active = gtk_switch_get_active (self->all_switch);

  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i), active);
}

static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriRegisterTemplateDialog *self = user_data;
  g_autoptr (GPtrArray) entries = g_steal_pointer (&self->adding);
  g_autoptr (GError) error = NULL;

  if (free_error != NULL || !mamori_register_add_all (self->vault, self->policy, entries, &error))
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), _ ("Cannot Add the Items"),
                                  free_error != NULL ? free_error->message : error->message));

      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      check_toggled_cb (self);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, entries->len);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriRegisterTemplateDialog *self = MAMORI_REGISTER_TEMPLATE_DIALOG (widget);
  GPtrArray *entries;
  const char *location = gtk_editable_get_text (GTK_EDITABLE (self->location_row));

  if (self->adding != NULL)
    return;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_entry_free);
  for (guint i = 0; i < self->checks->len; i++)
    {
      MamoriRegisterEntry *entry;

      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        continue;
      entry = mamori_register_entry_new_from_template (g_ptr_array_index (self->assets, i),
                                                       self->policy);
      mamori_register_entry_set_text (entry, MAMORI_REGISTER_FIELD_LOCATION, location);
      g_ptr_array_add (entries, entry);
    }
  self->adding = entries;
  gtk_widget_action_set_enabled (widget, "template.add", FALSE);
  mamori_session_when_free (self->session, self->cancellable, vault_free_cb, self);
}

static void
fill (MamoriRegisterTemplateDialog *self)
{
  const char *const *categories = mamori_policy_get_category_ids (self->policy);

  for (guint c = 0; categories[c] != NULL; c++)
    {
      GtkWidget *group = NULL;

      for (guint i = 0; i < self->assets->len; i++)
        {
          MamoriAsset *asset = g_ptr_array_index (self->assets, i);
          GtkWidget *row, *check, *badge;

          if (!g_str_equal (mamori_asset_get_category_id (asset), categories[c]))
            continue;
          if (group == NULL)
            {
              group = adw_preferences_group_new ();
              adw_preferences_group_set_title (
                  ADW_PREFERENCES_GROUP (group),
                  mamori_policy_get_category_label (self->policy, categories[c]));
              adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
            }
          row = adw_action_row_new ();
          check = gtk_check_button_new ();
          badge = mamori_level_badge_new (mamori_asset_get_level (asset));
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         mamori_asset_get_display_name (asset));
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          if (mamori_asset_get_note (asset) != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mamori_asset_get_note (asset));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          mamori_asset_get_display_name (asset), -1);
          g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self,
                                   G_CONNECT_SWAPPED);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          g_ptr_array_add (self->checks, check);
        }
    }
}

static void
mamori_register_template_dialog_dispose (GObject *object)
{
  MamoriRegisterTemplateDialog *self = MAMORI_REGISTER_TEMPLATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->adding, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->vault);
  g_clear_object (&self->policy);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  G_OBJECT_CLASS (mamori_register_template_dialog_parent_class)->dispose (object);
}

static void
mamori_register_template_dialog_class_init (MamoriRegisterTemplateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mamori_register_template_dialog_dispose;

  /* The chosen items are in the register: how many. */
  signals[SIGNAL_ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-register-template-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterTemplateDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterTemplateDialog, page);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterTemplateDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterTemplateDialog, all_switch);
  gtk_widget_class_bind_template_callback (widget_class, all_toggled_cb);
  gtk_widget_class_install_action (widget_class, "template.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mamori_register_template_dialog_init (MamoriRegisterTemplateDialog *self)
{
  self->checks = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_register_template_dialog_new (MamoriSession *session,
                                     MamoriPolicy *policy,
                                     GPtrArray *entries)
{
  MamoriRegisterTemplateDialog *self;

  g_return_val_if_fail (MAMORI_IS_SESSION (session), NULL);
  g_return_val_if_fail (MAMORI_IS_VAULT (mamori_session_get_vault (session)), NULL);
  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_REGISTER_TEMPLATE_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->vault = g_object_ref (mamori_session_get_vault (session));
  self->policy = g_object_ref (policy);
  self->assets = mamori_register_template_missing (policy, entries);
  g_ptr_array_set_free_func (self->assets, g_object_unref);
  for (guint i = 0; i < self->assets->len; i++)
    g_object_ref (g_ptr_array_index (self->assets, i));
  fill (self);
  /* A new school starts with every item chosen. */
  gtk_switch_set_active (self->all_switch, entries->len == 0);
  check_toggled_cb (self);
  return GTK_WIDGET (self);
}
