/* mamori-date-row.c — an entry row for a date written YYYY-MM-DD, with a calendar to pick it
 *
 * The text stays what the records take (YYYY-MM-DD, as typed or as picked): the forms
 * that use the row check it and say what is wrong.  The calendar opens on the date typed,
 * or on today when there is none yet, and a day picked in it replaces the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mamori-date-row.h"

struct _MamoriDateRow
{
  AdwEntryRow parent_instance;

  /* Template widgets */
  GtkMenuButton *calendar_button;
  GtkPopover *popover;
  GtkCalendar *calendar;

  gboolean opening; /* the calendar is being set to the row's date */
};

G_DEFINE_FINAL_TYPE (MamoriDateRow, mamori_date_row, ADW_TYPE_ENTRY_ROW)

GDateTime *
mamori_date_row_get_date (MamoriDateRow *self)
{
  g_autofree char *text = NULL;
  int year, month, day;

  g_return_val_if_fail (MAMORI_IS_DATE_ROW (self), NULL);

  /* White space around it is forgiven, as the forms forgive it. */
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self))));
  /* Exactly YYYY-MM-DD in ASCII digits: sscanf alone would take "2026-6-1" or "+026". */
  if (strlen (text) != 10)
    return NULL;
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return NULL;
  if (sscanf (text, "%4d-%2d-%2d", &year, &month, &day) != 3
      || !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

void
mamori_date_row_set_date (MamoriDateRow *self, GDateTime *date)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MAMORI_IS_DATE_ROW (self));
  g_return_if_fail (date != NULL);

  text = g_date_time_format (date, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self), text);
}

static void
popover_show_cb (MamoriDateRow *self)
{
  g_autoptr (GDateTime) date = mamori_date_row_get_date (self);

  if (date == NULL)
    date = g_date_time_new_now_local ();
  self->opening = TRUE;
  gtk_calendar_select_day (self->calendar, date);
  self->opening = FALSE;
}

static void
day_selected_cb (MamoriDateRow *self)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (self->calendar);

  /* Showing the typed date as the calendar opens picks nothing. */
  if (self->opening)
    return;
  mamori_date_row_set_date (self, date);
  gtk_popover_popdown (self->popover);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
mamori_date_row_class_init (MamoriDateRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-date-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriDateRow, calendar_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriDateRow, popover);
  gtk_widget_class_bind_template_child (widget_class, MamoriDateRow, calendar);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
}

static void
mamori_date_row_init (MamoriDateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_date_row_new (void)
{
  return g_object_new (MAMORI_TYPE_DATE_ROW, NULL);
}
