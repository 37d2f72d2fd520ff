/* mamori-register-sorter.c — a column of the register page that can be sorted by
 *
 * GTK 4.8 does not say which column a GtkColumnView sorts by
 * (gtk_column_view_sorter_get_primary_sort_column() is 4.10).  What it does say: its
 * sorter compares two items with the sorter of the column it sorts by first and turns
 * the answer round when that column is sorted descending.  So the page asks the view's
 * sorter to compare two probe items: the column sorter it consults first notes itself
 * and answers "smaller", and the view's answer gives the direction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-sorter"

#include "config.h"

#include "mamori-register-sorter.h"

struct _MamoriRegisterSorter
{
  GtkSorter parent_instance;

  MamoriRegisterField field;
};

G_DEFINE_FINAL_TYPE (MamoriRegisterSorter, mamori_register_sorter, GTK_TYPE_SORTER)

/* The first column sorter asked during a probe; NULL outside one.  Only the main
 * thread sorts. */
static MamoriRegisterSorter *asked;

static GtkOrdering
mamori_register_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  if (asked == NULL)
    asked = MAMORI_REGISTER_SORTER (sorter);
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
mamori_register_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
mamori_register_sorter_class_init (MamoriRegisterSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = mamori_register_sorter_compare;
  sorter_class->get_order = mamori_register_sorter_get_order;
}

static void
mamori_register_sorter_init (MamoriRegisterSorter *self)
{
}

GtkSorter *
mamori_register_sorter_new (MamoriRegisterField field)
{
  MamoriRegisterSorter *self = g_object_new (MAMORI_TYPE_REGISTER_SORTER, NULL);

  self->field = field;
  return GTK_SORTER (self);
}

gboolean
mamori_register_sorter_get_sort (GtkSorter *view_sorter,
                                 MamoriRegisterField *out_field,
                                 gboolean *out_descending)
{
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  asked = NULL;
  order = gtk_sorter_compare (view_sorter, a, b);
  if (asked == NULL || order == GTK_ORDERING_EQUAL)
    {
      asked = NULL;
      return FALSE;
    }
  *out_field = asked->field;
  *out_descending = order == GTK_ORDERING_LARGER;
  asked = NULL;
  return TRUE;
}
