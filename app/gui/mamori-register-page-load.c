/* mamori-register-page-load.c — the register page reading the register: in the
 * session's thread (a session job) whenever it may have changed and the page is shown,
 * what was read shown in place, the selection kept; and the list's rows made a few a
 * frame when every row is replaced.  The places view's readings take their turn here
 * too (mamori-register-page-places.c): one reading at a time, the table's first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-register-page-private.h"
#include "mamori-session-register.h"

/* GTK 4.8's list view keeps a row of widgets for up to 200 items from the one at the top
 * (not only those on screen), and makes them all at once when that many come: 200 rows
 * of seven cells kept the main loop 150–400 ms.  When every row is replaced (a register
 * read into an empty table, a new filter or order) the list gets REVEAL_STEP more rows a
 * frame until it has made its rows, then the whole table. */
#define REVEAL_STEP 32
#define REVEAL_ALL_FROM 224

/* The list shows every entry of the table. */
static void
reveal_all (MamoriRegisterPage *self)
{
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->reveal_tick);
  self->reveal_tick = 0;
  gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
}

/* A frame later: REVEAL_STEP rows more, or every row once the list has made its rows. */
static gboolean
reveal_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  MamoriRegisterPage *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->slice);

  if (size < REVEAL_ALL_FROM && size < g_list_model_get_n_items (G_LIST_MODEL (self->table)))
    {
      gtk_slice_list_model_set_size (self->slice, size + REVEAL_STEP);
      return G_SOURCE_CONTINUE;
    }
  self->reveal_tick = 0;
  gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

void
_mamori_register_page_reveal_gradually (MamoriRegisterPage *self)
{
  reveal_all (self);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_slice_list_model_set_size (self->slice, REVEAL_STEP);
  self->reveal_tick
      = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), reveal_tick_cb, self, NULL);
}

static void
select_now (MamoriRegisterPage *self, const char *id)
{
  guint position = mamori_register_table_find (self->table, id);

  if (position == G_MAXUINT)
    return;
  /* Selecting a row not shown yet shows them all now. */
  if (position >= gtk_slice_list_model_get_size (self->slice))
    reveal_all (self);
  gtk_single_selection_set_selected (self->selection, position);
  /* GTK 4.8 has no gtk_column_view_scroll_to() (4.12): its list view scrolls. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

void
_mamori_register_page_select (MamoriRegisterPage *self, const char *id)
{
  if (self->loading != NULL || self->stale)
    {
      g_free (self->select_after_load);
      self->select_after_load = g_strdup (id);
      return;
    }
  select_now (self, id);
}

/* What was read, shown in place of what is shown: the selection kept (or the entry
 * just saved selected). */
static void
show_reading (MamoriRegisterPage *self, MamoriRegisterSnapshot *snapshot, const GError *error)
{
  g_autofree char *selected = NULL;
  g_autofree char *select = g_steal_pointer (&self->select_after_load);

  /* The page says what went wrong, and shows what it had (nothing, the first time). */
  self->loaded = TRUE;
  if (snapshot == NULL)
    {
      _mamori_register_page_fail (self, _ ("Cannot read the register"), error);
      _mamori_register_page_update (self);
      return;
    }
  selected = _mamori_register_page_dup_selected_id (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->table)) == 0)
    _mamori_register_page_reveal_gradually (self);
  mamori_register_table_take_snapshot (self->table, snapshot);
  if (select == NULL && selected != NULL)
    {
      g_autofree char *now = _mamori_register_page_dup_selected_id (self);

      /* The selected row changed place: found again where it is now. */
      if (g_strcmp0 (now, selected) != 0)
        select = g_steal_pointer (&selected);
    }
  /* An entry saved while this was read is in the next reading, which is due. */
  if (select != NULL && mamori_register_table_find (self->table, select) == G_MAXUINT
      && self->stale)
    self->select_after_load = g_steal_pointer (&select);
  if (select != NULL)
    select_now (self, select);
  _mamori_register_page_update (self);
}

/* The reading ended: shown, unless the vault was locked, the policy replaced or the page
 * disposed meanwhile; then whatever is left to read is read. */
static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriRegisterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  MamoriRegisterSnapshot *snapshot;
  gboolean cancelled = g_cancellable_is_cancelled (self->loading);

  g_clear_object (&self->loading);
  snapshot = mamori_session_register_read_finish (MAMORI_SESSION (source), result, &error);
  if (cancelled || _mamori_register_page_get_vault (self) == NULL)
    g_clear_pointer (&snapshot, mamori_register_snapshot_free);
  else
    show_reading (self, snapshot, error);
  _mamori_register_page_read_next (self);
}

void
_mamori_register_page_read_next (MamoriRegisterPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->loading != NULL
      || _mamori_register_page_session_busy (self) || _mamori_register_page_get_vault (self) == NULL
      || self->policy == NULL)
    return;
  if (self->stale)
    {
      self->stale = FALSE;
      self->loading = g_cancellable_new ();
      mamori_session_register_read_async (self->session, self->policy, self->loading, read_cb,
                                          g_object_ref (self));
    }
  else if (self->places_stale && g_str_equal (self->view, "places"))
    _mamori_register_page_read_places (self);
  else
    return;
  _mamori_register_page_update (self);
}

void
_mamori_register_page_start_reading (MamoriRegisterPage *self)
{
  self->stale = TRUE;
  self->places_stale = TRUE;
  _mamori_register_page_read_next (self);
}

void
mamori_register_page_reload (MamoriRegisterPage *self)
{
  MamoriLookup *lookup;
  MamoriPolicy *policy = NULL;

  g_return_if_fail (MAMORI_IS_REGISTER_PAGE (self));

  lookup = self->session != NULL
                   && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED
               ? mamori_session_get_lookup (self->session)
               : NULL;
  if (lookup != NULL)
    policy = mamori_lookup_get_policy (lookup);
  if (policy != self->policy)
    {
      g_set_object (&self->policy, policy);
      _mamori_register_page_fill_filters (self);
      /* Labels and levels come from the policy: the entries are read again with it. */
      if (self->loading != NULL)
        g_cancellable_cancel (self->loading);
      self->loaded = FALSE;
      _mamori_register_page_clear_places (self);
    }
  if (self->policy == NULL)
    {
      if (self->loading != NULL)
        g_cancellable_cancel (self->loading);
      self->stale = FALSE;
      self->loaded = FALSE;
      g_clear_pointer (&self->select_after_load, g_free);
      mamori_register_table_clear (self->table);
      _mamori_register_page_clear_places (self);
    }
  else
    _mamori_register_page_start_reading (self);
  _mamori_register_page_update (self);
}

gboolean
mamori_register_page_get_loading (MamoriRegisterPage *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_PAGE (self), FALSE);
  if (self->loading != NULL)
    return TRUE;
  if (_mamori_register_page_get_vault (self) == NULL)
    return FALSE;
  /* The places view is loading until its places are read and the list has their rows. */
  return self->stale
         || (g_str_equal (self->view, "places")
             && (self->places_stale || self->places == NULL || self->places_reveal_tick != 0));
}

void
_mamori_register_page_entry_saved (MamoriRegisterPage *self, const char *id)
{
  MamoriVault *vault = _mamori_register_page_get_vault (self);

  /* One entry in a table that is up to date: read alone and shown in place, at once.  The
   * places are read again in the thread when next shown. */
  self->places_stale = TRUE;
  if (vault != NULL && self->loaded && !self->stale && self->loading == NULL
      && !_mamori_register_page_session_busy (self)
      && mamori_register_table_update_entry (self->table, mamori_vault_get_store (vault), id))
    _mamori_register_page_update (self);
  else
    mamori_register_page_reload (self);
  _mamori_register_page_read_next (self);
  _mamori_register_page_select (self, id);
}
