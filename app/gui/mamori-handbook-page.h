/* mamori-handbook-page.h — ハンドブック: the school's handbook or leaflet, or any PDF
 *
 * The page makes the school's handbook from the unlocked session (its policy, its
 * name, its staff) in a thread, whenever it is shown and the policy has changed; it
 * shows it with thumbnails, zoom, page navigation and find, prints it (also as a
 * folded booklet) and exports it.  It opens any PDF the board publishes too.  Locking
 * the vault drops whatever it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-handbook-source.h"
#include "mamori-pdf-view.h"
#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_HANDBOOK_PAGE (mamori_handbook_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriHandbookPage, mamori_handbook_page, MAMORI, HANDBOOK_PAGE, AdwBin)

GtkWidget *
mamori_handbook_page_new (void);

/* The session whose school's handbook the page shows (followed as it locks, unlocks and
 * changes its policy). */
void
mamori_handbook_page_set_session (MamoriHandbookPage *self, MamoriSession *session);
/* Shows the handbook (or leaflet) of @source instead of the session's: for a page without
 * a session. */
void
mamori_handbook_page_set_source (MamoriHandbookPage *self, MamoriHandbookSource *source);
/* Opens a PDF file (in a thread); the page tells what went wrong if it is not one. */
void
mamori_handbook_page_open_file (MamoriHandbookPage *self, GFile *file);

MamoriPdfView *
mamori_handbook_page_get_view (MamoriHandbookPage *self);
/* The document shown, or NULL while there is none (being made, or nothing to show). */
MamoriPdfDocument *
mamori_handbook_page_get_document (MamoriHandbookPage *self);

/* Searches the document for @text (as typing it in the find bar does); the matches come
 * asynchronously ("n-matches" follows). */
void
mamori_handbook_page_find (MamoriHandbookPage *self, const char *text);
guint
mamori_handbook_page_get_n_matches (MamoriHandbookPage *self);
/* The current match, 0-based. */
guint
mamori_handbook_page_get_current_match (MamoriHandbookPage *self);

G_END_DECLS
