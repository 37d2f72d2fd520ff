/* mamori-handbook-private.h — the layout engine shared by the handbook and the leaflet
 *
 * A writer lays out blocks top to bottom in the text block of the current page and
 * starts a new page when the next line does not fit: paragraphs and table rows break
 * between lines (Pango breaks the lines, with Japanese line-breaking rules), a table
 * repeats its header row on every page it continues on, and a heading moves on with
 * what follows it.  Pages are cairo recordings, so that the contents page can be filled
 * in last and the pages imposed for a booklet.  Every box drawn is recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "mamori-handbook.h"

G_BEGIN_DECLS

/* Colours, 0xRRGGBB: ink that prints well in black and white too. */
#define MAMORI_INK 0x1a1a1a
#define MAMORI_INK_SOFT 0x5a6570
#define MAMORI_ACCENT 0x1f4e79       /* headings, bands, frames */
#define MAMORI_ACCENT_LIGHT 0xe6edf5 /* table headers */
#define MAMORI_RULE 0xa9b4bf         /* table rules */
#define MAMORI_WARN 0xb3261e         /* prohibitions */
#define MAMORI_WHITE 0xffffff
#define MAMORI_NO_FILL 0xff000000 /* not a colour: no background */

typedef enum
{
  MAMORI_STYLE_BODY,
  MAMORI_STYLE_SMALL,
  MAMORI_STYLE_TABLE,
  MAMORI_STYLE_TABLE_HEADER,
  MAMORI_STYLE_H1,
  MAMORI_STYLE_H2,
  MAMORI_STYLE_H3,
  MAMORI_STYLE_RUNNING, /* running header and page number */
  MAMORI_STYLE_TITLE,   /* the cover's and the leaflet's title */
  MAMORI_STYLE_SUBTITLE,
  MAMORI_N_STYLES
} MamoriTextStyle;

typedef struct
{
  const char *title; /* markup of the header cell */
  double fraction;   /* of the table's width */
  gboolean centered; /* centred both ways (short labels), else top left */
  gboolean checkbox; /* the cells hold a tick box, not text */
} MamoriTableColumn;

typedef struct _MamoriHandbookWriter MamoriHandbookWriter;

/* @font_scale multiplies every type size (the leaflet shrinks its type to fit). */
MamoriHandbookWriter *
mamori_handbook_writer_new (double page_width,
                            double page_height,
                            const MamoriHandbookRect *block,
                            double font_scale,
                            GError **error);
void
mamori_handbook_writer_free (MamoriHandbookWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriHandbookWriter, mamori_handbook_writer_free)

/* An entry of the PDF's outline (bookmarks): @title at the current position. */
typedef struct
{
  char *title;
  guint page;
  double y;
} MamoriOutlineEntry;

void
mamori_handbook_writer_mark (MamoriHandbookWriter *w, const char *title);

/* What a MamoriHandbook keeps of a writer: its pages (recordings), boxes and outline. */
GPtrArray *
mamori_handbook_writer_steal_pages (MamoriHandbookWriter *w);
GArray *
mamori_handbook_writer_steal_boxes (MamoriHandbookWriter *w);
/* MamoriOutlineEntry, in document order. */
GArray *
mamori_handbook_writer_steal_outline (MamoriHandbookWriter *w);

/* The running header (left, right) and page number of pages begun from now on; NULLs for
 * none (the cover). */
void
mamori_handbook_writer_set_running (MamoriHandbookWriter *w, const char *left, const char *right);

void
mamori_handbook_writer_new_page (MamoriHandbookWriter *w);
/* Goes back to a page already begun, at the top of its text block. */
void
mamori_handbook_writer_switch_to_page (MamoriHandbookWriter *w, guint page);
guint
mamori_handbook_writer_get_page (MamoriHandbookWriter *w);
guint
mamori_handbook_writer_get_n_pages (MamoriHandbookWriter *w);
cairo_t *
mamori_handbook_writer_get_cairo (MamoriHandbookWriter *w);
const MamoriHandbookRect *
mamori_handbook_writer_get_block (MamoriHandbookWriter *w);

/* Where the next block goes (page coordinates), and moving it. */
double
mamori_handbook_writer_get_y (MamoriHandbookWriter *w);
void
mamori_handbook_writer_set_y (MamoriHandbookWriter *w, double y);
double
mamori_handbook_writer_get_remaining (MamoriHandbookWriter *w);
/* Vertical space; never runs past the bottom of the page. */
void
mamori_handbook_writer_skip (MamoriHandbookWriter *w, double height);
/* A new page unless @height (and a heading waiting for it) still fits on this one; then
 * draws the waiting heading.  Every block begins with it. */
void
mamori_handbook_writer_ensure (MamoriHandbookWriter *w, double height);

/* A layout of @markup in @style, @width wide (Pango markup; escape what is not). */
PangoLayout *
mamori_handbook_writer_layout (MamoriHandbookWriter *w,
                               MamoriTextStyle style,
                               const char *markup,
                               double width);
double
mamori_handbook_layout_height (PangoLayout *layout);
/* Draws the whole of @layout at (@x, @y) in @color, recording a box per line (no page
 * break); returns its height. */
double
mamori_handbook_writer_show (
    MamoriHandbookWriter *w, PangoLayout *layout, double x, double y, guint32 color);

/* Flows @markup at the current position, from @indent to the right of the text block,
 * over as many pages as it needs. */
void
mamori_handbook_writer_paragraph (MamoriHandbookWriter *w,
                                  MamoriTextStyle style,
                                  const char *markup,
                                  double indent,
                                  guint32 color);
/* A list item: @marker (・, ○, ✕, 1.) hanging in front of @markup. */
void
mamori_handbook_writer_item (MamoriHandbookWriter *w,
                             MamoriTextStyle style,
                             const char *marker,
                             guint32 marker_color,
                             const char *markup,
                             double indent);
/* A section heading (level 1, on a band) or a sub-heading (level 2, 3).  It is drawn by
 * the next block's mamori_handbook_writer_ensure (), so that it starts the page that
 * block starts on. */
void
mamori_handbook_writer_heading (MamoriHandbookWriter *w, MamoriTextStyle style, const char *text);

/* Rectangles: filled (@fill, or MAMORI_NO_FILL) and stroked (@line_width 0 for none),
 * recorded as a box of @kind. */
void
mamori_handbook_writer_rect (MamoriHandbookWriter *w,
                             MamoriHandbookBoxKind kind,
                             const MamoriHandbookRect *rect,
                             guint32 fill,
                             guint32 stroke,
                             double line_width,
                             double radius);
void
mamori_handbook_writer_record (MamoriHandbookWriter *w,
                               MamoriHandbookBoxKind kind,
                               const MamoriHandbookRect *rect);

/* Tables: the columns are copied; the header row is drawn now and again at the top of
 * every page the table continues on.  Rows break between lines when a page ends. */
void
mamori_handbook_writer_table_begin (MamoriHandbookWriter *w,
                                    const MamoriTableColumn *columns,
                                    guint n_columns);
/* @cells: one markup per column (ignored for checkbox columns); @fills: a background per
 * cell or NULL. */
void
mamori_handbook_writer_table_row (MamoriHandbookWriter *w,
                                  const char *const *cells,
                                  const guint32 *fills);
/* A row across every column (a group's name), kept with the row after it. */
void
mamori_handbook_writer_table_group (MamoriHandbookWriter *w, const char *markup);
void
mamori_handbook_writer_table_end (MamoriHandbookWriter *w);

/* Colour helpers. */
void
mamori_handbook_set_color (cairo_t *cr, guint32 rgb);
/* A light background for the level of @rank (0 is the most sensitive). */
guint32
mamori_handbook_level_fill (guint rank, guint n_levels);

/* Symbolic icons from the icon theme, drawn in @color into @rect (librsvg); FALSE and
 * nothing drawn when the theme has no such icon. */
gboolean
mamori_handbook_draw_icon (MamoriHandbookWriter *w,
                           const char *icon_name,
                           const MamoriHandbookRect *rect,
                           guint32 color);

/* The sections, for mamori-handbook.c.  Return the number of check items laid out. */
guint
mamori_handbook_lay_out_booklet (MamoriHandbookWriter *w, MamoriHandbookSource *source);
void
mamori_handbook_lay_out_leaflet (MamoriHandbookSource *source,
                                 double page_width,
                                 double page_height,
                                 const MamoriHandbookRect *block,
                                 MamoriHandbookWriter **out_writer,
                                 GError **error);

/* The marks of what is not the source's own words (a reading, the school's or the board's
 * addition) and their numbered notes, laid out under the table or scene that holds them. */
typedef struct _MamoriHandbookNotes MamoriHandbookNotes;

MamoriHandbookNotes *
mamori_handbook_notes_new (void);
void
mamori_handbook_notes_free (MamoriHandbookNotes *notes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriHandbookNotes, mamori_handbook_notes_free)
/* The numbers start again from ※1 (a new section); every note must have been laid out. */
void
mamori_handbook_notes_restart (MamoriHandbookNotes *notes);
/* Appends the mark of @basis to @markup (nothing for the source's words, NULL) and keeps
 * its note for mamori_handbook_notes_flush (). */
void
mamori_handbook_notes_mark (MamoriHandbookNotes *notes, GString *markup, const MamoriBasis *basis);
/* @text escaped, followed by the mark of @basis. */
char *
mamori_handbook_notes_mark_text (MamoriHandbookNotes *notes,
                                 const char *text,
                                 const MamoriBasis *basis);
/* Lays out the notes kept since the last flush, at the current position. */
void
mamori_handbook_notes_flush (MamoriHandbookNotes *notes, MamoriHandbookWriter *w, double indent);
/* The mark of @basis alone, without a number or a note (the leaflet has no room for
 * notes), in @color. */
void
mamori_handbook_basis_mark (GString *markup, const MamoriBasis *basis, guint32 color);
/* Whether @scenario or one of its items is not the source's words. */
gboolean
mamori_handbook_scenario_has_basis (MamoriScenario *scenario);
/* Whether any mark was given (the contents page then says what the marks mean). */
gboolean
mamori_handbook_notes_any_mark (MamoriHandbookNotes *notes);

/* Japanese words the handbook shares between its parts. */
const char *
mamori_handbook_role_label (MamoriRole role);
const char *
mamori_handbook_takeout_label (MamoriTakeoutRule rule);
/* 「解釈」, 「学校の定め」, 「教育委員会の定め」 (not for the source's words). */
const char *
mamori_handbook_basis_label (MamoriBasisKind kind);
/* As a table's column heading, broken where a Japanese reader would break it. */
const char *
mamori_handbook_environment_label (MamoriEnvironment env);
/* 「2025年4月1日」 */
char *
mamori_handbook_format_date (GDateTime *date);
/* The scenes of the leaflet: the policy's shortcut scenes (出勤時, 離席時, …), or its
 * first eight when it marks none.  A new array of borrowed scenarios. */
GPtrArray *
mamori_handbook_everyday_scenarios (MamoriPolicy *policy);

G_END_DECLS
