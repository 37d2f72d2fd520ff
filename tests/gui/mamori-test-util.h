/* mamori-test-util.h — helpers shared by the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup-page.h"
#include "mamori-lookup.h"

G_BEGIN_DECLS

/* Exit status for "skipped" in meson. */
#define MAMORI_TEST_EXIT_SKIP 77

gboolean mamori_test_has_display (void);
/* gtk_test_init () and adw_init (), with animations off so that pages change at once. */
void mamori_test_init (int *argc, char ***argv);
MamoriLookup *mamori_test_load_lookup (const char *preset_id);
/* Runs the main loop until nothing is pending. */
void mamori_test_flush (void);
/* Types @query into @page and runs the main loop until the page has searched it. */
GListModel *mamori_test_search (MamoriLookupPage *page, const char *query);
/* The first mapped descendant of @root (or @root) of @type, depth first. */
GtkWidget *mamori_test_find_widget (GtkWidget *root, GType type);
/* The first mapped GtkLabel under @root whose text is @text. */
GtkWidget *mamori_test_find_label (GtkWidget *root, const char *text);
/* How many mapped GtkActionable under @root activate @action_name. */
guint mamori_test_count_actionables (GtkWidget *root, const char *action_name);

G_END_DECLS
