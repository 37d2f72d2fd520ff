/* test-gui-date-row.c — the date row of the take-out forms: what it takes as a date, the
 * calendar opening on the date typed (or today), and a day picked in it written into the
 * row, while moving to another month picks nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-date-row.h"
#include "mamori-test-util.h"

typedef struct
{
  GtkWindow *window;
  MamoriDateRow *row;
  GtkMenuButton *button;
  GtkCalendar *calendar;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GtkWidget *list = gtk_list_box_new ();

  f->row = MAMORI_DATE_ROW (mamori_date_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), "From");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->row));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, list);
  gtk_window_present (f->window);
  mamori_test_flush ();
  f->button = GTK_MENU_BUTTON (mamori_test_find_widget (GTK_WIDGET (f->row), GTK_TYPE_MENU_BUTTON));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_ref (f->window);
  gtk_window_destroy (f->window);
  mamori_test_flush ();
  g_assert_finalize_object (f->window);
}

static GtkCalendar *
open_calendar (Fixture *f)
{
  GtkPopover *popover = gtk_menu_button_get_popover (f->button);

  gtk_menu_button_popup (f->button);
  mamori_test_flush ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  return GTK_CALENDAR (mamori_test_find_widget (GTK_WIDGET (popover), GTK_TYPE_CALENDAR));
}

static void
assert_calendar_on (GtkCalendar *calendar, int year, int month, int day)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (calendar);

  g_assert_cmpint (g_date_time_get_year (date), ==, year);
  g_assert_cmpint (g_date_time_get_month (date), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, day);
}

static void
test_parse (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *text;
    gboolean valid;
  } cases[] = {
    { "2026-06-01", TRUE },          { " 2027-03-31 ", TRUE },
    { "2028-02-29", TRUE },          { "2026-02-29", FALSE },
    { "2026-6-1", FALSE },           { "2026-06-01x", FALSE },
    { "2026/06/01", FALSE },         { "", FALSE },
    { "２０２６-０６-０１", FALSE }, { "2026-13-01", FALSE },
    { "+026-06-01", FALSE },         { "2026-06- 1", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) date = NULL;

      gtk_editable_set_text (GTK_EDITABLE (f->row), cases[i].text);
      date = mamori_date_row_get_date (f->row);
      if (cases[i].valid != (date != NULL))
        g_error ("“%s” taken as a date: %d", cases[i].text, date != NULL);
    }
}

static void
test_pick (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) picked = g_date_time_new_local (2026, 7, 20, 0, 0, 0);
  g_autoptr (GDateTime) today = g_date_time_new_now_local ();
  GtkCalendar *calendar;
  GtkWidget *other_month;

  /* It opens on the date typed, and showing it writes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (f->row), "2026-06-15");
  calendar = open_calendar (f);
  assert_calendar_on (calendar, 2026, 6, 15);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "2026-06-15");

  /* Going to another month (the calendar's first arrow) picks nothing: the row and the
   * popover stay. */
  other_month = mamori_test_find_widget (GTK_WIDGET (calendar), GTK_TYPE_BUTTON);
  g_assert_nonnull (other_month);
  g_signal_emit_by_name (other_month, "clicked");
  mamori_test_flush ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "2026-06-15");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (f->button))));

  {
    g_autoptr (GDateTime) shown = gtk_calendar_get_date (calendar);

    g_assert_cmpint (g_date_time_get_month (shown), !=, 6);
  }

  /* A day picked is written as YYYY-MM-DD, and the calendar closes. */
  gtk_calendar_select_day (calendar, picked);
  mamori_test_flush ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "2026-07-20");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (f->button))));

  /* Nothing that is a date typed: it opens on today. */
  gtk_editable_set_text (GTK_EDITABLE (f->row), "2026-02-30");
  calendar = open_calendar (f);
  assert_calendar_on (calendar, g_date_time_get_year (today), g_date_time_get_month (today),
                      g_date_time_get_day_of_month (today));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->row)), ==, "2026-02-30");
}

int
main (int argc, char **argv)
{
  if (!mamori_test_has_display ())
    return MAMORI_TEST_EXIT_SKIP;
  mamori_test_init (&argc, &argv);

  g_test_add ("/gui/date-row/parse", Fixture, NULL, fixture_set_up, test_parse, fixture_tear_down);
  g_test_add ("/gui/date-row/pick", Fixture, NULL, fixture_set_up, test_pick, fixture_tear_down);
  return g_test_run ();
}
