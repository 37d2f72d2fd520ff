/* mamori-text-row.h — a list row of policy text: an optional icon and title, wrapped text,
 * and the discreet marker of a text that is a reading of the source (「解釈」)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

/* The basis of the text at @index of a list of @owner (mamori_level_get_measure_basis …). */
typedef const MamoriBasis *(*MamoriBasisAt) (gpointer owner, guint index);

/* A GtkListBoxRow that is not activatable; @text wraps and can be selected and copied.
 * @icon_name may be NULL, and one of @title and @text. */
GtkWidget *
mamori_text_row_new (const char *icon_name, const char *title, const char *text);
/* The same, marked with @basis when it is not the source's words (NULL: not marked). */
GtkWidget *
mamori_text_row_new_with_basis (const char *icon_name,
                                const char *title,
                                const char *text,
                                const MamoriBasis *basis);
/* Shows each of @texts in @list as a text row with @icon_name (a static string, or NULL),
 * marked with its basis from @basis_at (@owner, index), and "None listed in the policy"
 * when there is none. */
void
mamori_text_row_bind_texts (GtkListBox *list,
                            const char *const *texts,
                            gpointer owner,
                            MamoriBasisAt basis_at,
                            const char *icon_name);
/* A small 「解釈」 (or 「学校の定め」, 「教育委員会の定め」) tag followed by its note. */
GtkWidget *
mamori_basis_marker_new (const MamoriBasis *basis);

G_END_DECLS
