/* mamori-takeout-log-dialog.h — which dates the 持出簿 covers, and in what file
 *
 * From and until (this month by default); for an export, PDF or CSV, and the CSV's
 * encoding: CP932 (what Excel in Japan opens) or UTF-8.  The response is "print" or
 * "export" as the dialog was made for, enabled while the dates make a range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-csv.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_TAKEOUT_LOG_FORMAT_PDF,
  MAMORI_TAKEOUT_LOG_FORMAT_CSV,
} MamoriTakeoutLogFormat;

#define MAMORI_TYPE_TAKEOUT_LOG_DIALOG (mamori_takeout_log_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriTakeoutLogDialog, mamori_takeout_log_dialog, MAMORI, TAKEOUT_LOG_DIALOG, AdwMessageDialog)

/* A dialog to print the log (@export FALSE) or to export it, as of @today (YYYY-MM-DD). */
GtkWidget *
mamori_takeout_log_dialog_new (GtkWindow *parent, gboolean export, const char *today);

const char *
mamori_takeout_log_dialog_get_from (MamoriTakeoutLogDialog *self);
const char *
mamori_takeout_log_dialog_get_until (MamoriTakeoutLogDialog *self);
MamoriTakeoutLogFormat
mamori_takeout_log_dialog_get_format (MamoriTakeoutLogDialog *self);
/* MAMORI_CSV_ENCODING_CP932 or MAMORI_CSV_ENCODING_UTF8. */
MamoriCsvEncoding
mamori_takeout_log_dialog_get_encoding (MamoriTakeoutLogDialog *self);

G_END_DECLS
