/* mamori-text.h — names people type: of the school, of its staff
 *
 * A name is shown on the unlock screen, printed on forms and compared to find a person,
 * so it must be one string however it was typed and must not be able to disguise
 * itself: it is NFC, has no white space at either end, is 1–200 characters long and
 * holds no control or format characters (which include the bidirectional overrides that
 * make text display in another order than it is stored).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_TEXT_ERROR (mamori_text_error_quark ())

typedef enum
{
  MAMORI_TEXT_ERROR_INVALID,
} MamoriTextError;

GQuark
mamori_text_error_quark (void);

#define MAMORI_NAME_MAX_CHARS 200

/* @text as a name (NFC, trimmed of white space at both ends), or NULL with
 * MAMORI_TEXT_ERROR_INVALID saying what is wrong with @what (e.g. "The user’s name"). */
char *
mamori_text_normalize_name (const char *text, const char *what, GError **error);

/* The first control, format (such as a bidirectional override), unassigned, private-use
 * or line/paragraph-separator character of @text (valid UTF-8), or 0 when it has none:
 * what can make text show otherwise than it is stored. */
gunichar
mamori_text_find_hidden (const char *text);

/* @text (any bytes) as it can be shown on a terminal without being obeyed by it: every
 * character mamori_text_find_hidden() would name, except a newline or a tab, written as
 * <U+XXXX>, and bytes that are not UTF-8 as U+FFFD. */
char *
mamori_text_show_hidden (const char *text);

/* Makes the C library's character type UTF-8 when the locale's is not (LANG=C, as scripts,
 * cron and services often run): Mamori's text is UTF-8 whatever the locale, and GOption
 * would otherwise refuse every Japanese argument.  Call it after setlocale (LC_ALL, ""). */
void
mamori_text_use_utf8 (void);

/* Whether @text is already a name as mamori_text_normalize_name() returns it. */
gboolean
mamori_text_is_name (const char *text);

G_END_DECLS
