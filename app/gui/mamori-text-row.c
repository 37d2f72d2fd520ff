/* mamori-text-row.c — a list row of policy text: an optional icon and title, wrapped text
 *
 * Policy text is long Japanese prose: it wraps at any character and is never
 * ellipsized, and a teacher can select it to copy it into a document.  A text that is
 * someone's reading of the source says so, discreetly, under it: a small 「解釈」 tag and
 * the note that says what was read how.
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

static const char *
basis_explanation (MamoriBasisKind kind)
{
  switch (kind)
    {
    case MAMORI_BASIS_READING:
      return _ ("Not the words of the cited section: how they were read");
    case MAMORI_BASIS_SCHOOL:
      return _ ("Added by the school");
    case MAMORI_BASIS_BOARD:
      return _ ("Added by the board of education");
    case MAMORI_BASIS_SOURCE:
    default:
      return _ ("The words of the cited section");
    }
}

GtkWidget *
mamori_basis_marker_new (const MamoriBasis *basis)
{
  MamoriBasisKind kind;
  GtkWidget *box;
  GtkWidget *tag;

  g_return_val_if_fail (basis != NULL, NULL);

  kind = mamori_basis_get_kind (basis);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  tag = gtk_label_new (mamori_basis_kind_get_label (kind));
  gtk_widget_set_valign (tag, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (tag, basis_explanation (kind));
  gtk_widget_add_css_class (tag, "mamori-basis-tag");
  gtk_widget_add_css_class (tag, "caption");
  gtk_box_append (GTK_BOX (box), tag);

  if (mamori_basis_get_note (basis) != NULL)
    {
      GtkWidget *note = mamori_text_row_label_new (mamori_basis_get_note (basis));

      gtk_label_set_selectable (GTK_LABEL (note), TRUE);
      gtk_widget_add_css_class (note, "caption");
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (box), note);
    }

  gtk_widget_add_css_class (box, "mamori-basis");
  return box;
}

GtkWidget *
mamori_text_row_new_with_basis (const char *icon_name,
                                const char *title,
                                const char *text,
                                const MamoriBasis *basis)
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

  if (basis != NULL)
    gtk_box_append (GTK_BOX (text_box), mamori_basis_marker_new (basis));

  gtk_box_append (GTK_BOX (box), text_box);
  gtk_widget_add_css_class (box, "mamori-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  return row;
}

GtkWidget *
mamori_text_row_new (const char *icon_name, const char *title, const char *text)
{
  return mamori_text_row_new_with_basis (icon_name, title, text, NULL);
}

void
mamori_text_row_bind_texts (GtkListBox *list,
                            const char *const *texts,
                            gpointer owner,
                            MamoriBasisAt basis_at,
                            const char *icon_name)
{
  GtkWidget *placeholder;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  g_return_if_fail (texts != NULL);
  g_return_if_fail (basis_at != NULL);

  for (guint i = 0; texts[i] != NULL; i++)
    gtk_list_box_append (
        list, mamori_text_row_new_with_basis (icon_name, NULL, texts[i], basis_at (owner, i)));

  placeholder = gtk_label_new (_ ("None listed in the policy"));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_add_css_class (placeholder, "mamori-row-content");
  gtk_list_box_set_placeholder (list, placeholder);
}
