/* mamori-text-row.h — a list row of policy text: an optional icon and title, wrapped text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A GtkListBoxRow that is not activatable; @text wraps and can be selected and copied.
 * @icon_name may be NULL, and one of @title and @text. */
GtkWidget *
mamori_text_row_new (const char *icon_name, const char *title, const char *text);
/* Shows each of @texts in @list as a text row with @icon_name (a static string, or
 * NULL), and "None listed in the policy" when there is none. */
void
mamori_text_row_bind_strv (GtkListBox *list, const char *const *texts, const char *icon_name);

G_END_DECLS
