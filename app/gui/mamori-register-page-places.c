/* mamori-register-page-places.c — the register page's places view (保管場所): every place
 * at the highest level of what it holds
 *
 * The places are read and folded in the session's thread (mamori_register_places_read(),
 * a session reading like the table's, taking its turn after it), which takes about a second
 * for 100,000 entries; meanwhile the page shows that it is reading, or the places it
 * showed until then.  They are shown by a GtkListView over a GtkTreeListModel: the list
 * view makes rows for about 200 items from the one at the top and recycles them, so 900
 * places or 10,000 cost the same, and a place's entries are made only when it is expanded
 * (GTK 4.8's list box laid out all its rows each frame: 900 expander rows kept the main
 * loop 64–96 ms a frame, docs/benchmarks.md).  The places expanded stay expanded when
 * they are read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-place-item.h"
#include "mamori-register-page-private.h"
#include "mamori-register-places.h"
#include "mamori-session-register.h"

/* Entries listed under a place before "and N more". */
#define PLACE_ENTRIES_SHOWN 50
/* GTK 4.8's list view makes rows for up to 200 items from the one at the top (not only
 * those on screen), all at once when that many come: 205 rows of places kept the main
 * loop 65–126 ms of CPU time (docs/benchmarks.md).  The first places shown come REVEAL_STEP more a
 * frame until the list has made its rows, then all of them, as the table's rows do
 * (mamori-register-page-load.c). */
#define REVEAL_STEP 32
#define REVEAL_ALL_FROM 224

/* The rows under a place's row.  GTK asks for them when the place is expanded, and also
 * when its row is shown, to know whether it can be (it then drops them): a place's 51
 * items at most, for the few rows on screen. */
static GListModel *
create_children_cb (gpointer item, gpointer user_data)
{
  return mamori_place_item_dup_children (item, PLACE_ENTRIES_SHOWN);
}

/* A row's widgets, for a place, an entry or how many more: the tree expander (the
 * indentation and a place's arrow) around the name over the count of entries or the
 * category, and a level badge, before a place's name and after an entry's.  One line
 * each, ellipsized: GTK 4.8's list view makes 205 rows at once, and wrapping labels made
 * that frame 330 ms long instead of 100–140 ms (docs/benchmarks.md). */
static void
row_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), mamori_level_badge_new (NULL));
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, MamoriRegisterPage *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr (MamoriPlaceItem) item = gtk_tree_list_row_get_item (row);
  const MamoriRegisterPlace *place = mamori_place_item_get_place (item);
  const MamoriRegisterEntry *entry = mamori_place_item_get_entry (item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  /* The level badge moves to where the row wants it (below). */
  GtkWidget *first = gtk_widget_get_first_child (box);
  GtkWidget *badge = MAMORI_IS_LEVEL_BADGE (first) ? first : gtk_widget_get_last_child (box);
  GtkWidget *text = badge == first ? gtk_widget_get_last_child (box) : first;
  MamoriLevel *level = NULL;
  GtkLabel *title = GTK_LABEL (gtk_widget_get_first_child (text));
  GtkLabel *subtitle = GTK_LABEL (gtk_widget_get_last_child (text));
  g_autofree char *title_text = NULL;
  g_autofree char *subtitle_text = NULL;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  if (place != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%'u", place->entries->len);

      title_text = g_strdup (place->location != NULL ? place->location : _ ("No place given"));
      /* Translators: how many entries a place holds. */
      subtitle_text = g_strdup_printf (_ ("%s entries"), count);
    }
  else if (entry != NULL)
    {
      const char *category = self->policy != NULL
                                 ? mamori_policy_get_category_label (self->policy, entry->category)
                                 : NULL;

      title_text = entry->qualifier != NULL
                       ? g_strdup_printf ("%s（%s）", entry->name, entry->qualifier)
                       : g_strdup (entry->name);
      subtitle_text = g_strdup (category != NULL ? category : entry->category);
    }
  else
    {
      g_autofree char *n = g_strdup_printf ("%'u", mamori_place_item_get_n_more (item));

      title_text = g_strdup_printf (_ ("and %s more"), n);
    }
  gtk_label_set_text (title, title_text);
  gtk_label_set_text (subtitle, subtitle_text);
  gtk_widget_set_visible (GTK_WIDGET (subtitle), subtitle_text != NULL);
  /* A place's level before its name, an entry's after. */
  if (place != NULL)
    level = place->level;
  else if (entry != NULL && self->policy != NULL)
    level = mamori_register_entry_get_level (entry, self->policy);
  if (place != NULL)
    gtk_box_reorder_child_after (GTK_BOX (box), badge, NULL);
  else
    gtk_box_reorder_child_after (GTK_BOX (box), badge, text);
  mamori_level_badge_set_level (MAMORI_LEVEL_BADGE (badge), level);
  gtk_widget_set_visible (badge, level != NULL);
}

/* The row is recycled or dropped: it lets go of the tree's row (and the reading it
 * keeps). */
static void
row_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

/* A click on a place's row, or Enter on it, expands or collapses it as its arrow does. */
static void
place_activated_cb (GtkListView *view, guint position, MamoriRegisterPage *self)
{
  g_autoptr (GtkTreeListRow) row
      = g_list_model_get_item (G_LIST_MODEL (self->places_tree), position);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

/* The list shows every row of the tree. */
static void
reveal_all (MamoriRegisterPage *self)
{
  if (self->places_reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->places_view), self->places_reveal_tick);
  self->places_reveal_tick = 0;
  if (self->places_slice != NULL)
    gtk_slice_list_model_set_size (self->places_slice, G_MAXUINT);
}

/* A frame later: REVEAL_STEP rows more, or every row once the list has made its rows. */
static gboolean
reveal_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  MamoriRegisterPage *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->places_slice);

  if (size < REVEAL_ALL_FROM && size < g_list_model_get_n_items (G_LIST_MODEL (self->places_tree)))
    {
      gtk_slice_list_model_set_size (self->places_slice, size + REVEAL_STEP);
      return G_SOURCE_CONTINUE;
    }
  self->places_reveal_tick = 0;
  gtk_slice_list_model_set_size (self->places_slice, G_MAXUINT);
  /* The page is not loading any more. */
  _mamori_register_page_update (self);
  return G_SOURCE_REMOVE;
}

/* What a place is remembered by while it is expanded: its location, "" for none given
 * (mamori_register_places() gives NULL rather than an empty location). */
static const char *
place_key (const MamoriRegisterPlace *place)
{
  return place->location != NULL ? place->location : "";
}

/* Shows @places (taken) in place of those shown, the places expanded staying so. */
static void
show_places (MamoriRegisterPage *self, GPtrArray *places)
{
  g_autoptr (GHashTable) expanded = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->places_store));

  /* Keyed by the reading shown, which is kept until the new one has replaced it. */
  for (guint i = 0; i < n_shown; i++)
    {
      g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->places_tree, i);

      if (gtk_tree_list_row_get_expanded (row))
        g_hash_table_add (expanded, (gpointer)place_key (g_ptr_array_index (self->places, i)));
    }
  for (guint i = 0; i < places->len; i++)
    g_ptr_array_add (items, mamori_place_item_new (places, i));
  /* Rows replacing rows are as many widgets as before: only the first ones come a few a
   * frame. */
  reveal_all (self);
  if (n_shown == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gtk_slice_list_model_set_size (self->places_slice, REVEAL_STEP);
      self->places_reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->places_view),
                                                               reveal_tick_cb, self, NULL);
    }
  g_list_store_splice (self->places_store, 0, n_shown, items->pdata, items->len);
  for (guint i = 0; i < places->len && g_hash_table_size (expanded) > 0; i++)
    if (g_hash_table_remove (expanded, place_key (g_ptr_array_index (places, i))))
      {
        g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->places_tree, i);

        gtk_tree_list_row_set_expanded (row, TRUE);
      }
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places = places;
  _mamori_register_page_update (self);
}

static void
places_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriRegisterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) places = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (self->loading);

  g_clear_object (&self->loading);
  places = mamori_session_register_read_places_finish (MAMORI_SESSION (source), result, &error);
  if (!cancelled && _mamori_register_page_get_vault (self) != NULL)
    {
      if (places != NULL)
        show_places (self, g_steal_pointer (&places));
      else
        {
          _mamori_register_page_fail (self, _ ("Cannot read the register"), error);
          /* What was shown stays; the first time, an empty view rather than a spinner
           * that never stops. */
          if (self->places == NULL)
            show_places (self, g_ptr_array_new ());
        }
    }
  _mamori_register_page_read_next (self);
}

void
_mamori_register_page_init_places (MamoriRegisterPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  self->places_store = g_list_store_new (MAMORI_TYPE_PLACE_ITEM);
  self->places_tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->places_store)),
                                               FALSE, FALSE, create_children_cb, NULL, NULL);
  self->places_slice
      = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->places_tree)), 0, G_MAXUINT);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->places_slice)));
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), NULL);
  gtk_list_view_set_factory (self->places_view, factory);
  gtk_list_view_set_model (self->places_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect (self->places_view, "activate", G_CALLBACK (place_activated_cb), self);
  g_object_unref (selection);
  g_object_unref (factory);
}

void
_mamori_register_page_read_places (MamoriRegisterPage *self)
{
  g_return_if_fail (self->loading == NULL);

  self->places_stale = FALSE;
  self->loading = g_cancellable_new ();
  mamori_session_register_read_places_async (self->session, self->policy, self->loading,
                                             places_read_cb, g_object_ref (self));
}

void
_mamori_register_page_clear_places (MamoriRegisterPage *self)
{
  reveal_all (self);
  /* NULL once the page is disposed (which may run more than once). */
  if (self->places_store != NULL)
    g_list_store_remove_all (self->places_store);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places_stale = TRUE;
}
