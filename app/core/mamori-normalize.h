/* mamori-normalize.h — fold Japanese text the way people type it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NFKC (ＵＳＢ → USB, ﾊﾟｽﾜｰﾄﾞ → パスワード), case folding, katakana → hiragana,
 * and removal of spaces and punctuation that people type or omit at will
 * (・, 、, 。, brackets).  Returns a newly allocated string. */
char *
mamori_normalize (const char *text);

/* @text with every bracketed part removed (学級（学年）通信 → 学級通信), normalized. */
char *
mamori_normalize_without_brackets (const char *text);

G_END_DECLS
