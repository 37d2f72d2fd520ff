/* mamori-text.c — names people type: of the school, of its staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "mamori-text.h"

G_DEFINE_QUARK (mamori - text - error - quark, mamori_text_error)

/* Characters that change how text is displayed or are not text at all. */
static gboolean
is_forbidden (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

gunichar
mamori_text_find_hidden (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (is_forbidden (g_utf8_get_char (p)))
      return g_utf8_get_char (p);
  return 0;
}

void
mamori_text_use_utf8 (void)
{
  if (!g_get_charset (NULL))
    setlocale (LC_CTYPE, "C.UTF-8");
}

char *
mamori_text_show_hidden (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *shown = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && c != '\t' && is_forbidden (c))
        g_string_append_printf (shown, "<U+%04X>", c);
      else
        g_string_append_unichar (shown, c);
    }
  return g_string_free (shown, FALSE);
}

static gboolean
refuse (GError **error, const char *what, const char *why)
{
  /* TRANSLATORS: the first %s is the field ("The user’s name"), the second why. */
  g_set_error (error, MAMORI_TEXT_ERROR, MAMORI_TEXT_ERROR_INVALID, _ ("%s %s"), what, why);
  return FALSE;
}

static gboolean
check (const char *text, const char *what, GError **error)
{
  glong n = g_utf8_strlen (text, -1);
  gunichar hidden;

  if (n == 0)
    return refuse (error, what, _ ("is empty"));
  if (n > MAMORI_NAME_MAX_CHARS)
    return refuse (error, what, _ ("is longer than 200 characters"));
  if ((hidden = mamori_text_find_hidden (text)) != 0)
    {
      g_autofree char *why = g_strdup_printf (
          _ ("contains the invisible or control character U+%04X, which could make it show "
             "as another name"),
          hidden);

      return refuse (error, what, why);
    }
  return TRUE;
}

/* NFC of @text without white space at either end (Unicode white space: the ideographic
 * space is common in Japanese names typed with an input method). */
static char *
strip_spaces (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  const char *start = normal, *end = normal + strlen (normal);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *last = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (last)))
        break;
      end = last;
    }
  return g_strndup (start, end - start);
}

char *
mamori_text_normalize_name (const char *text, const char *what, GError **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (what != NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      refuse (error, what, _ ("is not valid UTF-8 text"));
      return NULL;
    }
  normal = strip_spaces (text);
  if (!check (normal, what, error))
    return NULL;
  return g_steal_pointer (&normal);
}

gboolean
mamori_text_is_name (const char *text)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return FALSE;
  normal = mamori_text_normalize_name (text, "", NULL);
  return normal != NULL && g_str_equal (normal, text);
}
