/* test-normalize.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mamori-normalize.h"
#include "mamori-text.h"

typedef struct
{
  const char *input;
  const char *expected;
} Case;

static void
test_normalize_table (void)
{
  static const Case cases[] = {
    { "ＵＳＢ", "usb" }, /* full-width letters */
    { "USB", "usb" },
    { "ﾊﾟｽﾜｰﾄﾞ", "ぱすわーど" }, /* half-width katakana with voicing marks */
    { "パスワード", "ぱすわーど" },
    { "ぱすわーど", "ぱすわーど" },
    { "Ｅメール", "eめーる" },
    { "学級（学年）通信", "学級学年通信" }, /* brackets are dropped, their content kept */
    { "指導要録 その写し", "指導要録その写し" },
    { "児童・生徒", "児童生徒" },
    { "　通知表　", "通知表" }, /* ideographic spaces */
    { "ＰＴＡ資料", "pta資料" },
    { "①", "1" },
    { "ｹｰｽ", "けーす" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = mamori_normalize (cases[i].input);
      g_assert_cmpstr (result, ==, cases[i].expected);
    }
}

static void
test_normalize_without_brackets (void)
{
  static const Case cases[] = {
    { "学級（学年）通信", "学級通信" },
    { "週ごとの指導計画(個人情報が含まれるもの。)", "週ごとの指導計画" },
    { "転退学受付（整理）簿", "転退学受付簿" },
    { "通知表", "通知表" },
    { "閉じていない（括弧", "閉じていない" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = mamori_normalize_without_brackets (cases[i].input);
      g_assert_cmpstr (result, ==, cases[i].expected);
    }
}

static void
test_normalize_invalid (void)
{
  g_autofree char *null_result = mamori_normalize (NULL);
  g_assert_cmpstr (null_result, ==, "");
}

/* What a message quotes reaches a terminal as text: escapes and bidirectional overrides are
 * written out, newlines and ordinary text are kept, and bytes that are not UTF-8 cannot
 * pass. */
static void
test_show_hidden (void)
{
  static const Case cases[] = {
    { "鈴木 一郎", "鈴木 一郎" },
    { "a\033[2Jb", "a<U+001B>[2Jb" },
    { "\u202Eevil", "<U+202E>evil" },
    { "line\nnext\ttab", "line\nnext\ttab" },
    { "\r\x7f", "<U+000D><U+007F>" },
    { "\xc2\x9b", "<U+009B>" }, /* the C1 control sequence introducer */
    { "ok\xff", "ok\xef\xbf\xbd" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = mamori_text_show_hidden (cases[i].input);
      g_assert_cmpstr (shown, ==, cases[i].expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/normalize/table", test_normalize_table);
  g_test_add_func ("/normalize/without-brackets", test_normalize_without_brackets);
  g_test_add_func ("/normalize/null", test_normalize_invalid);
  g_test_add_func ("/text/show-hidden", test_show_hidden);

  return g_test_run ();
}
