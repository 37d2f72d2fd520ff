/* mamori-normalize.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-normalize.h"

#define KATAKANA_SMALL_A 0x30A1  /* ァ */
#define KATAKANA_SMALL_KE 0x30F6 /* ヶ */
#define KATAKANA_TO_HIRAGANA 0x60

/* Characters dropped before matching: people type 学級(学年)通信, 学級学年通信 or
 * 学級 学年 通信 for the same thing. */
static gboolean
is_ignorable (gunichar c)
{
  /* g_unichar_ispunct() covers symbols too; ー and 々 are letters (Lm). */
  return g_unichar_isspace (c) || g_unichar_ispunct (c);
}

static gboolean
is_open_bracket (gunichar c)
{
  return c == '(' || c == '[' || c == 0x3010 /* 【 */ || c == 0x300C /* 「 */
         || c == 0x3014 /* 〔 */;
}

static gboolean
is_close_bracket (gunichar c)
{
  return c == ')' || c == ']' || c == 0x3011 || c == 0x300D || c == 0x3015;
}

static char *
fold (const char *text, gboolean drop_bracketed)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  int depth = 0;

  if (text == NULL)
    return g_strdup ("");

  /* NFKC turns full-width letters and half-width kana into their usual forms and
   * （） into (), so the bracket and case handling below sees one alphabet. */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (nfkc, -1);

  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (drop_bracketed && is_open_bracket (c))
        {
          depth++;
          continue;
        }
      if (drop_bracketed && is_close_bracket (c) && depth > 0)
        {
          depth--;
          continue;
        }
      if (depth > 0 || is_ignorable (c))
        continue;
      if (c >= KATAKANA_SMALL_A && c <= KATAKANA_SMALL_KE)
        c -= KATAKANA_TO_HIRAGANA;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
mamori_normalize (const char *text)
{
  return fold (text, FALSE);
}

char *
mamori_normalize_without_brackets (const char *text)
{
  return fold (text, TRUE);
}

gboolean
mamori_normalize_is_kanji (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN || c == 0x3005 /* 々 */;
}

static gboolean
is_hiragana (gunichar c)
{
  return c >= 0x3041 && c <= 0x309F;
}

static void
add_word (GPtrArray *words, GString *run)
{
  if (g_utf8_strlen (run->str, -1) >= 2)
    g_ptr_array_add (words, fold (run->str, FALSE));
  g_string_truncate (run, 0);
}

GPtrArray *
mamori_normalize_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *nfkc = NULL;
  g_autoptr (GString) run = g_string_new (NULL);

  if (text == NULL)
    return words;
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return words;

  for (const char *p = nfkc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* ー lengthens the katakana before it (メモリー) but does not start a word. */
      if (is_hiragana (c) || is_ignorable (c) || (c == 0x30FC && run->len == 0))
        add_word (words, run);
      else
        g_string_append_unichar (run, c);
    }
  add_word (words, run);
  return words;
}
