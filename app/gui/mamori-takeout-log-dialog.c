/* mamori-takeout-log-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout-log-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mamori-date-row.h"
#include "mamori-takeout-log-dialog.h"
#include "mamori-takeout.h"

struct _MamoriTakeoutLogDialog
{
  AdwMessageDialog parent_instance;

  /* Template widgets */
  MamoriDateRow *from_row;
  MamoriDateRow *until_row;
  AdwComboRow *format_row;
  AdwComboRow *encoding_row;

  gboolean export;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutLogDialog, mamori_takeout_log_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
response_id (MamoriTakeoutLogDialog *self)
{
  return self->export ? "export" : "print";
}

/* The response is offered while the dates are dates, the first not after the last. */
static void
changed_cb (MamoriTakeoutLogDialog *self)
{
  const char *from = mamori_takeout_log_dialog_get_from (self);
  const char *until = mamori_takeout_log_dialog_get_until (self);
  gboolean valid = mamori_takeout_date_is_valid (from) && mamori_takeout_date_is_valid (until)
                   && strcmp (from, until) <= 0;

  /* The template's rows change before the responses exist. */
  if (!adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (self), response_id (self)))
    return;
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), response_id (self), valid);
  gtk_widget_set_visible (GTK_WIDGET (self->format_row), self->export);
  gtk_widget_set_visible (
      GTK_WIDGET (self->encoding_row),
      self->export && mamori_takeout_log_dialog_get_format (self) == MAMORI_TAKEOUT_LOG_FORMAT_CSV);
}

static void
mamori_takeout_log_dialog_class_init (MamoriTakeoutLogDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (MAMORI_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-takeout-log-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutLogDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutLogDialog, until_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutLogDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriTakeoutLogDialog, encoding_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
mamori_takeout_log_dialog_init (MamoriTakeoutLogDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_takeout_log_dialog_new (GtkWindow *parent, gboolean export, const char *today)
{
  MamoriTakeoutLogDialog *self;
  int year = 0, month = 0;
  g_autofree char *first = NULL, *last = NULL;

  g_return_val_if_fail (mamori_takeout_date_is_valid (today), NULL);

  self = g_object_new (MAMORI_TYPE_TAKEOUT_LOG_DIALOG, "transient-for", parent, NULL);
  self->export = export;
  /* This month: from its first day to its last. */
  sscanf (today, "%d-%d", &year, &month);
  first = g_strdup_printf ("%04d-%02d-01", year, month);
  last = g_strdup_printf ("%04d-%02d-%02d", year, month,
                          g_date_get_days_in_month ((GDateMonth)month, (GDateYear)year));
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), first);
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), last);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self), "cancel", _ ("_Cancel"),
                                    response_id (self), export ? _ ("_Export…") : _ ("_Print…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), response_id (self),
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), response_id (self));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), export ? _ ("Export the Take-out Log")
                                                                    : _ ("Print the Take-out Log"));
  changed_cb (self);
  return GTK_WIDGET (self);
}

const char *
mamori_takeout_log_dialog_get_from (MamoriTakeoutLogDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_LOG_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->from_row));
}

const char *
mamori_takeout_log_dialog_get_until (MamoriTakeoutLogDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_LOG_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->until_row));
}

MamoriTakeoutLogFormat
mamori_takeout_log_dialog_get_format (MamoriTakeoutLogDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_LOG_DIALOG (self), MAMORI_TAKEOUT_LOG_FORMAT_PDF);
  return adw_combo_row_get_selected (self->format_row) == 1 ? MAMORI_TAKEOUT_LOG_FORMAT_CSV
                                                            : MAMORI_TAKEOUT_LOG_FORMAT_PDF;
}

MamoriCsvEncoding
mamori_takeout_log_dialog_get_encoding (MamoriTakeoutLogDialog *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_LOG_DIALOG (self), MAMORI_CSV_ENCODING_CP932);
  return adw_combo_row_get_selected (self->encoding_row) == 1 ? MAMORI_CSV_ENCODING_UTF8
                                                              : MAMORI_CSV_ENCODING_CP932;
}
