/* mamori-handbook-page-private.h — the handbook page's insides, shared by
 * mamori-handbook-page.c (the document, find, the session) and
 * mamori-handbook-page-actions.c (files, printing, the page's actions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-handbook-page.h"
#include "mamori-handbook.h"
#include "mamori-pdf-thumbnails.h"

G_BEGIN_DECLS

struct _MamoriHandbookPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkToggleButton *find_button;
  GtkMenuButton *paper_button;
  GtkMenuButton *zoom_button;
  GtkEntry *page_entry;
  GtkLabel *n_pages_label;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *match_label;
  GtkStack *content_stack;
  AdwStatusPage *status_page;
  MamoriPdfThumbnails *thumbnails;
  MamoriPdfView *view;

  /* Owned references */
  MamoriSession *session;
  GSignalGroup *session_signals;
  MamoriHandbookSource *source; /* set by the caller, instead of the session's */
  MamoriPdfDocument *document;
  GCancellable *loading; /* making or opening a document */
  GCancellable *finding;
  GArray *matches; /* MamoriPdfMatch; the view holds its own copy */

  MamoriHandbookKind kind;
  MamoriHandbookPaper paper;
  gboolean showing_file; /* an opened PDF rather than the school's handbook */
  gboolean stale;        /* the school's handbook is to be made again when shown */
  guint current_match;
};

void
_mamori_handbook_page_show_status (MamoriHandbookPage *self,
                                   const char *title,
                                   const char *description);
void
_mamori_handbook_page_set_document (MamoriHandbookPage *self, MamoriPdfDocument *document);
void
_mamori_handbook_page_cancel_loading (MamoriHandbookPage *self);
/* Shows the document a GTask made, or why there is none. */
void
_mamori_handbook_page_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data);
/* Makes the school's handbook (or leaflet) again, in a thread. */
void
_mamori_handbook_page_make (MamoriHandbookPage *self);
void
_mamori_handbook_page_move_match (MamoriHandbookPage *self, int step);
/* Every "handbook." action without a state. */
void
_mamori_handbook_page_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

G_END_DECLS
