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

/* The words of a sentence as Japanese writes them: runs of kanji, katakana, latin
 * letters and digits, split at hiragana (particles, okurigana: を, で, 持ち帰りたい),
 * spaces and punctuation.  Each is normalized; runs of one character are dropped
 * (見たい gives nothing).  A new array of strings. */
GPtrArray *
mamori_normalize_words (const char *text);

/* Whether @c is a kanji: a one-kanji word inside a run of kanji is part of a longer word
 * (家 in 家庭訪問). */
gboolean
mamori_normalize_is_kanji (gunichar c);

G_END_DECLS
