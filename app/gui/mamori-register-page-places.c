/* mamori-register-page-places.c — the register page's places view (保管場所): every place
 * at the highest level of what it holds
 *
 * The places are read and folded in the session's thread (mamori_register_places_read(),
 * a session reading like the table's, taking its turn after it), which takes about a second
 * for 100,000 entries; meanwhile the page shows that it is reading, or the places it
 * showed until then.  A place's row is added a few a frame, within a few milliseconds each
 * frame, and its entries are made only when it is first expanded: 100,000 entries in 900
 * places were 45,000 rows made at once on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-register-page-private.h"
#include "mamori-register-places.h"
#include "mamori-session-register.h"

/* Entries listed under a place before "and N more". */
#define PLACE_ENTRIES_SHOWN 50
/* How long a frame may spend adding places' rows, in microseconds: half the time GTK took
 * to lay out and draw since the last one, at least 6 ms (a frame of 60 Hz is 16.7 ms)
 * and at most 10 ms.  GTK 4.8's list box lays out all its rows each frame: where frames
 * are slow (software GL, a loaded machine) more rows a frame make fewer of them.  With
 * 900 places, 16 ms at most gave 3.0 s and a 110 ms stall without GL, 10 ms 3.8 s and
 * 96 ms, 6 ms 4.3 s and 68 ms (docs/benchmarks.md). */
#define PLACES_FRAME_BUDGET_MIN_US 6000
#define PLACES_FRAME_BUDGET_MAX_US 10000

static GtkWidget *
level_badge (MamoriLevel *level)
{
  GtkWidget *badge = mamori_level_badge_new (level);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  return badge;
}

/* The entries of @place under its row, the first time it is expanded. */
static void
add_entry_rows (MamoriRegisterPage *self, GtkWidget *row, const MamoriRegisterPlace *place)
{
  for (guint i = 0; i < place->entries->len && i < PLACE_ENTRIES_SHOWN; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (place->entries, i);
      GtkWidget *entry_row = adw_action_row_new ();
      g_autofree char *name = entry->qualifier != NULL
                                  ? g_strdup_printf ("%s（%s）", entry->name, entry->qualifier)
                                  : g_strdup (entry->name);
      MamoriLevel *level = mamori_register_entry_get_level (entry, self->policy);
      const char *category = mamori_policy_get_category_label (self->policy, entry->category);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry_row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (entry_row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (entry_row),
                                   category != NULL ? category : entry->category);
      if (level != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (entry_row), level_badge (level));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), entry_row);
    }
  if (place->entries->len > PLACE_ENTRIES_SHOWN)
    {
      GtkWidget *more = adw_action_row_new ();
      g_autofree char *n = g_strdup_printf ("%'u", place->entries->len - PLACE_ENTRIES_SHOWN);
      g_autofree char *title = g_strdup_printf (_ ("and %s more"), n);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), title);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), more);
    }
}

static void
place_expanded_cb (GtkWidget *row, GParamSpec *pspec, MamoriRegisterPage *self)
{
  const MamoriRegisterPlace *place = g_object_get_data (G_OBJECT (row), "place");

  if (place == NULL || !adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    return;
  /* Made once: the place is forgotten by the row, which keeps its entries' rows. */
  g_object_set_data (G_OBJECT (row), "place", NULL);
  add_entry_rows (self, row, place);
}

/* The row of @place (which self->places keeps as long as the row is in the list). */
static GtkWidget *
place_row (MamoriRegisterPage *self, const MamoriRegisterPlace *place)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *count = g_strdup_printf ("%'u", place->entries->len);
  /* Translators: how many entries a place holds. */
  g_autofree char *subtitle = g_strdup_printf (_ ("%s entries"), count);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 place->location != NULL ? place->location : _ ("No place given"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (place->level != NULL)
    adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), level_badge (place->level));
  g_object_set_data (G_OBJECT (row), "place", (gpointer)place);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (place_expanded_cb), self, 0);
  return row;
}

static void
remove_place_rows (MamoriRegisterPage *self)
{
  GtkWidget *child;

  if (self->places_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->places_list), self->places_tick);
  self->places_tick = 0;
  if (self->places_list == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->places_list))) != NULL)
    gtk_list_box_remove (self->places_list, child);
}

/* A frame: rows for the next places, for as long as the frame's budget allows (one at
 * least), until every place has its row. */
static gboolean
places_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  MamoriRegisterPage *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 until = now
                 + CLAMP ((now - self->places_tick_ended) / 2, PLACES_FRAME_BUDGET_MIN_US,
                          PLACES_FRAME_BUDGET_MAX_US);

  do
    {
      MamoriRegisterPlace *place = g_ptr_array_index (self->places, self->places_added++);

      gtk_list_box_append (self->places_list, place_row (self, place));
    }
  while (self->places_added < self->places->len && g_get_monotonic_time () < until);
  self->places_tick_ended = g_get_monotonic_time ();
  if (self->places_added < self->places->len)
    return G_SOURCE_CONTINUE;
  self->places_tick = 0;
  /* The page is not loading any more. */
  _mamori_register_page_update (self);
  return G_SOURCE_REMOVE;
}

/* Shows @places (taken) in place of those shown. */
static void
show_places (MamoriRegisterPage *self, GPtrArray *places)
{
  remove_place_rows (self);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places = places;
  self->places_added = 0;
  self->places_tick_ended = g_get_monotonic_time ();
  if (places->len > 0)
    self->places_tick
        = gtk_widget_add_tick_callback (GTK_WIDGET (self->places_list), places_tick_cb, self, NULL);
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
  remove_place_rows (self);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places_added = 0;
  self->places_stale = TRUE;
}
