/* mamori-lookup-page.h — the home page: search, scenario shortcuts and results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_LOOKUP_PAGE (mamori_lookup_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLookupPage, mamori_lookup_page, MAMORI, LOOKUP_PAGE, AdwBin)

GtkWidget *
mamori_lookup_page_new (void);
MamoriLookup *
mamori_lookup_page_get_lookup (MamoriLookupPage *self);
void
mamori_lookup_page_set_lookup (MamoriLookupPage *self, MamoriLookup *lookup);
const char *
mamori_lookup_page_get_query (MamoriLookupPage *self);
/* Types @query into the search entry; the results follow as they do for typing
 * (after the entry's search delay), announced by notify::results. */
void
mamori_lookup_page_set_query (MamoriLookupPage *self, const char *query);
/* The MamoriLookupResult of the current query, best first; empty for a blank query. */
GListModel *
mamori_lookup_page_get_results (MamoriLookupPage *self);
/* When the query found nothing: the names that look like it (MamoriLookupResult), which
 * the page offers with every scene; empty otherwise. */
GListModel *
mamori_lookup_page_get_suggestions (MamoriLookupPage *self);
void
mamori_lookup_page_focus_search (MamoriLookupPage *self);

G_END_DECLS
