/* mamori-text-row.c — a list row of policy text: an optional icon and title, wrapped text
 *
 * Policy text is long Japanese prose: it wraps at any character and is never
 * ellipsized, and a teacher can select it to copy it into a document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-text-row.h"

static GtkWidget *
mamori_text_row_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);

  return label;
}

GtkWidget *
mamori_text_row_new (const char *icon_name, const char *title, const char *text)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *text_box;

  g_return_val_if_fail (title != NULL || text != NULL, NULL);

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  if (icon_name != NULL)
    {
      GtkWidget *image
          = g_object_new (GTK_TYPE_IMAGE, "icon-name", icon_name, "valign", GTK_ALIGN_START,
                          "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

      gtk_widget_add_css_class (image, "mamori-row-icon");
      gtk_box_append (GTK_BOX (box), image);
    }

  if (title != NULL)
    {
      GtkWidget *title_label = mamori_text_row_label_new (title);

      gtk_widget_add_css_class (title_label, "heading");
      gtk_box_append (GTK_BOX (text_box), title_label);
    }

  if (text != NULL)
    {
      GtkWidget *text_label = mamori_text_row_label_new (text);

      gtk_label_set_selectable (GTK_LABEL (text_label), TRUE);
      if (title != NULL)
        gtk_widget_add_css_class (text_label, "dim-label");
      gtk_box_append (GTK_BOX (text_box), text_label);
    }

  gtk_box_append (GTK_BOX (box), text_box);
  gtk_widget_add_css_class (box, "mamori-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  return row;
}

static GtkWidget *
create_string_row_cb (gpointer item, gpointer user_data)
{
  const char *icon_name = user_data;

  return mamori_text_row_new (icon_name, NULL, gtk_string_object_get_string (item));
}

void
mamori_text_row_bind_strv (GtkListBox *list, const char *const *texts, const char *icon_name)
{
  g_autoptr (GtkStringList) strings = NULL;
  GtkWidget *placeholder;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  g_return_if_fail (texts != NULL);

  strings = gtk_string_list_new (texts);
  gtk_list_box_bind_model (list, G_LIST_MODEL (strings), create_string_row_cb, (gpointer)icon_name,
                           NULL);

  placeholder = gtk_label_new (_ ("None listed in the policy"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_add_css_class (placeholder, "mamori-row-content");
  gtk_list_box_set_placeholder (list, placeholder);
}
