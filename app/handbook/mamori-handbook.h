/* mamori-handbook.h — the compact handbook and the leaflet, as PDF
 *
 * A MamoriHandbook is a document laid out from a MamoriHandbookSource with cairo and
 * Pango: its pages are kept as cairo recordings, written out as PDF page by page or
 * imposed two-up for a folded booklet.  Every box it lays out is kept too, so that a
 * test can check that nothing leaves the margins.
 *
 * The handbook is a Japanese document: its fixed words are Japanese whatever the locale
 * of the program that writes it, like the policy it is made from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-handbook-source.h"

G_BEGIN_DECLS

#define MAMORI_HANDBOOK_ERROR (mamori_handbook_error_quark ())

typedef enum
{
  MAMORI_HANDBOOK_ERROR_WRITE, /* the PDF could not be written */
  MAMORI_HANDBOOK_ERROR_FONT,  /* no Japanese font */
} MamoriHandbookError;

GQuark
mamori_handbook_error_quark (void);

typedef enum
{
  MAMORI_HANDBOOK_PAPER_B5, /* 182 × 257 mm, the size of Oita's handbook */
  MAMORI_HANDBOOK_PAPER_A4,
} MamoriHandbookPaper;

typedef enum
{
  MAMORI_HANDBOOK_KIND_HANDBOOK, /* 学校情報セキュリティハンドブック */
  MAMORI_HANDBOOK_KIND_LEAFLET,  /* one A4 sheet, both sides, for the staff-room wall */
} MamoriHandbookKind;

/* What a laid-out box is: body content must stay inside the text block; the running
 * header and the page number sit in the margins. */
typedef enum
{
  MAMORI_HANDBOOK_BOX_TEXT,     /* a line of text */
  MAMORI_HANDBOOK_BOX_CELL,     /* a table cell */
  MAMORI_HANDBOOK_BOX_SHAPE,    /* a frame, band, arrow or icon */
  MAMORI_HANDBOOK_BOX_CHECKBOX, /* a tick box of the check sheet */
  MAMORI_HANDBOOK_BOX_HEADER,   /* the running header */
  MAMORI_HANDBOOK_BOX_FOOTER,   /* the page number */
} MamoriHandbookBoxKind;

typedef struct
{
  double x, y, width, height; /* points, from the top left of the page */
} MamoriHandbookRect;

typedef struct
{
  guint page; /* 0-based */
  MamoriHandbookBoxKind kind;
  MamoriHandbookRect rect;
} MamoriHandbookBox;

/* The page size of @paper in points (1/72 inch). */
void
mamori_handbook_paper_get_size (MamoriHandbookPaper paper, double *out_width, double *out_height);
/* "b5" or "a4" (as on the command line) → @out_paper. */
gboolean
mamori_handbook_paper_from_string (const char *text, MamoriHandbookPaper *out_paper);

#define MAMORI_TYPE_HANDBOOK (mamori_handbook_get_type ())
G_DECLARE_FINAL_TYPE (MamoriHandbook, mamori_handbook, MAMORI, HANDBOOK, GObject)

/* Lays out the document.  A leaflet is always A4; @paper applies to the handbook.
 * MAMORI_HANDBOOK_ERROR_FONT when no Japanese font is installed. */
MamoriHandbook *
mamori_handbook_new (MamoriHandbookSource *source,
                     MamoriHandbookKind kind,
                     MamoriHandbookPaper paper,
                     GError **error);

MamoriHandbookKind
mamori_handbook_get_kind (MamoriHandbook *self);
guint
mamori_handbook_get_n_pages (MamoriHandbook *self);
/* Every page has the same size, in points. */
void
mamori_handbook_get_page_size (MamoriHandbook *self, double *out_width, double *out_height);
/* The area inside the margins, where body content goes. */
void
mamori_handbook_get_text_block (MamoriHandbook *self, MamoriHandbookRect *out_rect);
/* Every box laid out, in the order it was laid out. */
const MamoriHandbookBox *
mamori_handbook_get_boxes (MamoriHandbook *self, guint *n_boxes);
/* The number of check-sheet items (one tick box each); 0 for a leaflet. */
guint
mamori_handbook_get_n_check_items (MamoriHandbook *self);

/* The document as PDF, with every font embedded.  With @booklet, the pages are padded
 * to a multiple of four and imposed two-up in folding order (mamori-booklet.h) on
 * landscape sheets twice the page size: B4 for a B5 handbook, A3 for A4. */
GBytes *
mamori_handbook_to_pdf (MamoriHandbook *self, gboolean booklet, GError **error);

/* Writes @bytes to @path through a temporary file in the same folder and a rename, so
 * that a failure leaves no partial file at @path (and an older file there intact). */
gboolean
mamori_handbook_save_bytes (GBytes *bytes, const char *path, GError **error);

/* Lets go of what the font stack (fontconfig, cairo, Pango) keeps for the life of the
 * process: call it before a program that made a handbook exits, so that a leak checker
 * sees only real leaks.  Nothing of the handbook may be used after it. */
void
mamori_handbook_release_font_caches (void);

G_END_DECLS
