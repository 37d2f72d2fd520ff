/* mamori-takeout-form.h — the take-out request form (持ち出し許可申請書) and the take-out
 * log (持出簿) as PDF
 *
 * One A4 page the school files: the date filed, the requester, the items and their
 * levels, the medium, destination, purpose and period, the measures the policy requires
 * with check boxes, the approver and the date with a box for the seal (押印欄), the
 * request's id and a short fingerprint of the approval's signature, so that a paper copy
 * can be checked against the records (mamori-cli takeout show).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-takeout.h"

G_BEGIN_DECLS

/* The fingerprint printed on the form: the first 8 bytes of SHA-256 of the signature of
 * the event that approved @request (its takeout-approved, or the blanket-granted event of
 * the grant that covered it), in four groups of hex; NULL when nothing approved it. */
char *
mamori_takeout_form_fingerprint (MamoriDb *db, const MamoriTakeoutRequest *request, GError **error);

/* Writes the form for @request to @file (replaced only by a complete one). */
gboolean
mamori_takeout_form_write (MamoriDb *db,
                           MamoriPolicy *policy,
                           const MamoriTakeoutRequest *request,
                           GFile *file,
                           GError **error);

/* Writes the 持出簿 for requests whose period meets @from–@until (as
 * mamori_takeout_list_between() finds them) as an A4 landscape PDF to @file
 * (mamori-takeout-log-pdf.c). */
gboolean
mamori_takeout_log_pdf_write (MamoriDb *db,
                              MamoriPolicy *policy,
                              const char *from,
                              const char *until,
                              GFile *file,
                              GError **error);

G_END_DECLS
