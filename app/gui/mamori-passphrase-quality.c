/* mamori-passphrase-quality.c — how strong a new passphrase is, with a hint to improve it
 *
 * libpwquality scores a passphrase from 0 to 100, or refuses it with a reason.  Its
 * dictionary check needs cracklib's word list: where that is missing (a minimal system,
 * some runtimes) every passphrase would be refused for it, so the check is turned off
 * once, at the first use, rather than making a vault impossible to create.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <pwquality.h>

#include "mamori-passphrase-quality.h"

static pwquality_settings_t *
get_settings (void)
{
  static pwquality_settings_t *settings;

  if (g_once_init_enter (&settings))
    {
      pwquality_settings_t *new_settings = pwquality_default_settings ();
      void *auxerror = NULL;
      int min_length = 0;

      /* The system's own rules (/etc/security/pwquality.conf), when it has them. */
      pwquality_read_config (new_settings, NULL, NULL);
      pwquality_get_int_value (new_settings, PWQ_SETTING_MIN_LENGTH, &min_length);
      if (min_length < MAMORI_PASSPHRASE_MIN_CHARS)
        pwquality_set_int_value (new_settings, PWQ_SETTING_MIN_LENGTH, MAMORI_PASSPHRASE_MIN_CHARS);

      if (pwquality_check (new_settings, "Qv7#mamori-probe-Lx2!", NULL, NULL, &auxerror)
          == PWQ_ERROR_CRACKLIB_CHECK)
        pwquality_set_int_value (new_settings, PWQ_SETTING_DICT_CHECK, 0);

      g_once_init_leave (&settings, new_settings);
    }

  return settings;
}

static const char *
refusal_hint (int error)
{
  switch (error)
    {
    case PWQ_ERROR_MIN_LENGTH:
      return _ ("Too short: use at least 8 characters.");

    case PWQ_ERROR_CRACKLIB_CHECK:
      return _ ("Too easy to guess: it is a common word or close to one. Add more words, numbers "
                "or symbols.");

    case PWQ_ERROR_PALINDROME:
    case PWQ_ERROR_ROTATED:
    case PWQ_ERROR_CASE_CHANGES_ONLY:
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
    case PWQ_ERROR_MAX_SEQUENCE:
      return _ ("Avoid repeated characters and sequences such as 1234 or abcd.");

    case PWQ_ERROR_USER_CHECK:
    case PWQ_ERROR_GECOS_CHECK:
    case PWQ_ERROR_BAD_WORDS:
      return _ ("Do not use your own name in the passphrase.");

    case PWQ_ERROR_MIN_DIGITS:
    case PWQ_ERROR_MIN_UPPERS:
    case PWQ_ERROR_MIN_LOWERS:
    case PWQ_ERROR_MIN_OTHERS:
    case PWQ_ERROR_MIN_CLASSES:
      return _ ("Mix in numbers, symbols or more words.");

    default:
      return _ ("Too easy to guess. Add more words, numbers or symbols.");
    }
}

MamoriPassphraseQuality
mamori_passphrase_quality (const char *passphrase, const char *user, const char **out_hint)
{
  MamoriPassphraseQuality quality;
  const char *hint;
  void *auxerror = NULL;
  int score;

  g_return_val_if_fail (passphrase != NULL, MAMORI_PASSPHRASE_EMPTY);

  if (*passphrase == '\0')
    {
      quality = MAMORI_PASSPHRASE_EMPTY;
      hint = _ ("Use at least 8 characters: a few words only you would put together, or letters "
                "mixed with numbers and symbols.");
    }
  else if (g_utf8_strlen (passphrase, -1) < MAMORI_PASSPHRASE_MIN_CHARS)
    {
      quality = MAMORI_PASSPHRASE_TOO_WEAK;
      hint = refusal_hint (PWQ_ERROR_MIN_LENGTH);
    }
  else if ((score = pwquality_check (get_settings (), passphrase, NULL, user, &auxerror)) < 0)
    {
      char message[PWQ_MAX_ERROR_MESSAGE_LEN];

      /* Releases what libpwquality may have allocated for the message. */
      pwquality_strerror (message, sizeof message, score, auxerror);
      quality = MAMORI_PASSPHRASE_TOO_WEAK;
      hint = refusal_hint (score);
    }
  else if (score < 50)
    {
      quality = MAMORI_PASSPHRASE_WEAK;
      hint = _ ("Weak. Another word or a few numbers would make it much stronger.");
    }
  else if (score < 75)
    {
      quality = MAMORI_PASSPHRASE_FAIR;
      hint = _ ("Fair. A longer passphrase would be stronger.");
    }
  else if (score < 90)
    {
      quality = MAMORI_PASSPHRASE_GOOD;
      hint = _ ("Good passphrase.");
    }
  else
    {
      quality = MAMORI_PASSPHRASE_STRONG;
      hint = _ ("Strong passphrase.");
    }

  if (out_hint != NULL)
    *out_hint = hint;

  return quality;
}
