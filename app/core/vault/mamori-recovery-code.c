/* mamori-recovery-code.c — the printable form of a vault's recovery key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-crypto.h"
#include "mamori-recovery-code.h"
#include "mamori-vault-error.h"

#define N_GROUPS 8
#define DATA_PER_GROUP 4
#define N_DATA (N_GROUPS * DATA_PER_GROUP) /* 32 symbols × 5 bits = 160 bits */

G_STATIC_ASSERT (N_DATA * 5 == MAMORI_RECOVERY_KEY_SIZE * 8);

/* Crockford's base32: no I, L, O or U, which are easy to misread. */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int
symbol_value (char c)
{
  const char *found;

  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';
  found = c != '\0' ? strchr (alphabet, c) : NULL;
  return found != NULL ? (int)(found - alphabet) : -1;
}

/* Luhn mod 32 over the group's position and its four symbols. */
static guint
group_check (guint group, const guint8 *values)
{
  guint8 input[DATA_PER_GROUP + 1];
  guint sum = 0, factor = 2;

  input[0] = group;
  memcpy (input + 1, values, DATA_PER_GROUP);
  for (int i = DATA_PER_GROUP; i >= 0; i--)
    {
      guint addend = factor * input[i];

      factor = factor == 2 ? 1 : 2;
      sum += addend / 32 + addend % 32;
    }
  return (32 - sum % 32) % 32;
}

/* Symbol @i of the big-endian bit string @key, 5 bits each. */
static guint8
key_symbol (const guint8 *key, guint i)
{
  guint bit = i * 5, value = 0;

  for (guint b = 0; b < 5; b++, bit++)
    value = (value << 1) | ((key[bit / 8] >> (7 - bit % 8)) & 1);
  return value;
}

char *
mamori_recovery_code_generate (guint8 out_key[MAMORI_RECOVERY_KEY_SIZE])
{
  /* 5 characters per group and a dash between groups. */
  char *code = mamori_secure_alloc (N_GROUPS * 6);
  guint8 *values = mamori_secure_alloc (N_DATA);
  char *p = code;

  mamori_crypto_random (out_key, MAMORI_RECOVERY_KEY_SIZE);
  for (guint i = 0; i < N_DATA; i++)
    values[i] = key_symbol (out_key, i);

  for (guint g = 0; g < N_GROUPS; g++)
    {
      if (g > 0)
        *p++ = '-';
      for (guint j = 0; j < DATA_PER_GROUP; j++)
        *p++ = alphabet[values[g * DATA_PER_GROUP + j]];
      *p++ = alphabet[group_check (g, values + g * DATA_PER_GROUP)];
    }
  mamori_secure_free (values);
  return code;
}

gboolean
mamori_recovery_code_parse (const char *code,
                            guint8 out_key[MAMORI_RECOVERY_KEY_SIZE],
                            GError **error)
{
  guint8 *symbols = mamori_secure_alloc (N_GROUPS * (DATA_PER_GROUP + 1));
  guint8 *values = mamori_secure_alloc (N_DATA);
  guint n = 0;
  gboolean ok = TRUE;

  for (const char *c = code; *c != '\0' && ok; c++)
    {
      int v;

      if (*c == ' ' || *c == '-' || *c == '\t' || *c == '\n' || *c == '\r')
        continue;
      v = symbol_value (*c);
      if (v < 0)
        {
          g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE,
                       _ ("A recovery code has only the letters, digits and dashes printed on "
                          "it"));
          ok = FALSE;
        }
      else if (n < N_GROUPS * (DATA_PER_GROUP + 1))
        symbols[n] = v;
      n++;
    }

  if (ok && n != N_GROUPS * (DATA_PER_GROUP + 1))
    {
      g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE,
                   _ ("The recovery code has %u characters; it must have %u (%u groups of %u)"), n,
                   N_GROUPS * (DATA_PER_GROUP + 1), N_GROUPS, DATA_PER_GROUP + 1);
      ok = FALSE;
    }

  for (guint g = 0; ok && g < N_GROUPS; g++)
    {
      const guint8 *group = symbols + g * (DATA_PER_GROUP + 1);

      if (group_check (g, group) != group[DATA_PER_GROUP])
        {
          g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE,
                       _ ("Group %u of the recovery code is mistyped"), g + 1);
          ok = FALSE;
        }
      memcpy (values + g * DATA_PER_GROUP, group, DATA_PER_GROUP);
    }

  if (ok)
    {
      memset (out_key, 0, MAMORI_RECOVERY_KEY_SIZE);
      for (guint i = 0; i < N_DATA; i++)
        for (guint b = 0; b < 5; b++)
          {
            guint bit = i * 5 + b;

            if ((values[i] >> (4 - b)) & 1)
              out_key[bit / 8] |= 1 << (7 - bit % 8);
          }
    }

  mamori_secure_free (values);
  mamori_secure_free (symbols);
  return ok;
}
