/* mamori-takeout-form.h — the take-out request form (持ち出し許可申請書) and the take-out
 * log (持出簿), drawn for PDF and for a printer alike
 *
 * One A4 page the school files: the date filed, the requester, the items and their
 * levels, the medium, destination, purpose and period, the measures the policy requires
 * with check boxes, the approver and the date with a box for the seal (押印欄), the
 * request's id and a short fingerprint of the approval's signature, so that a paper copy
 * can be checked against the records (mamori-cli takeout show).
 *
 * What a page shows is read from the records once (MamoriTakeoutForm,
 * MamoriTakeoutLogPages); the same function then draws a page into any cairo context at
 * one unit per point: a PDF surface here, a GtkPrintContext in the app.  Text is laid out
 * at 72 dpi without hinting, so a page breaks its lines the same at any resolution.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "mamori-takeout.h"

G_BEGIN_DECLS

/* A4, in points. */
#define MAMORI_TAKEOUT_FORM_WIDTH 595.28
#define MAMORI_TAKEOUT_FORM_HEIGHT 841.89

/* What the form shows, as text. */
typedef struct
{
  char *id;
  char *filed; /* YYYY-MM-DD */
  char *requester;
  char *items; /* one a line, each with its level */
  char *level;
  char *medium;
  char *destination;
  char *purpose;
  char *date_from; /* YYYY-MM-DD */
  char *date_until;
  char **measures;
  char *approver;    /* NULL until approved */
  char *approved_on; /* YYYY-MM-DD, or NULL */
  char *fingerprint; /* NULL until approved */
  gboolean example;  /* marked 記入例 all over */
} MamoriTakeoutForm;

void
mamori_takeout_form_free (MamoriTakeoutForm *form);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutForm, mamori_takeout_form_free)

/* The form of @request, with its approval read from the records. */
MamoriTakeoutForm *
mamori_takeout_form_new (MamoriDb *db,
                         MamoriPolicy *policy,
                         const MamoriTakeoutRequest *request,
                         GError **error);
/* A filled example (記入例) from fixed example data, for help: no vault needed. */
MamoriTakeoutForm *
mamori_takeout_form_new_example (void);

/* Draws the form on @cr, whose user space is the A4 page in points. */
void
mamori_takeout_form_draw (const MamoriTakeoutForm *form, cairo_t *cr);
/* The form as a one-page PDF with its font embedded. */
GBytes *
mamori_takeout_form_to_pdf (const MamoriTakeoutForm *form, GError **error);
/* Writes the form to @file (replaced only by a complete one). */
gboolean
mamori_takeout_form_save (const MamoriTakeoutForm *form, GFile *file, GError **error);

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

/* --- the 持出簿 (mamori-takeout-log-pdf.c) --------------------------------------------- */

/* A4 landscape, in points. */
#define MAMORI_TAKEOUT_LOG_WIDTH 841.89
#define MAMORI_TAKEOUT_LOG_HEIGHT 595.28

/* The 持出簿 for a range of dates, its rows read and split into pages. */
typedef struct _MamoriTakeoutLogPages MamoriTakeoutLogPages;

/* The log of requests whose period meets @from–@until (as mamori_takeout_list_between()
 * finds them). */
MamoriTakeoutLogPages *
mamori_takeout_log_pages_new (
    MamoriDb *db, MamoriPolicy *policy, const char *from, const char *until, GError **error);
void
mamori_takeout_log_pages_free (MamoriTakeoutLogPages *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutLogPages, mamori_takeout_log_pages_free)

const char *
mamori_takeout_log_pages_get_title (const MamoriTakeoutLogPages *log);
/* At least one: an empty log says so on its page. */
guint
mamori_takeout_log_pages_get_n_pages (const MamoriTakeoutLogPages *log);
/* Draws page @page (0-based) on @cr, whose user space is the landscape page in points. */
void
mamori_takeout_log_pages_draw (const MamoriTakeoutLogPages *log, guint page, cairo_t *cr);
GBytes *
mamori_takeout_log_pages_to_pdf (const MamoriTakeoutLogPages *log, GError **error);

/* Writes the 持出簿 for @from–@until as an A4 landscape PDF to @file. */
gboolean
mamori_takeout_log_pdf_write (MamoriDb *db,
                              MamoriPolicy *policy,
                              const char *from,
                              const char *until,
                              GFile *file,
                              GError **error);

G_END_DECLS
