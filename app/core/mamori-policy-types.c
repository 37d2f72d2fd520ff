/* mamori-policy-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-policy-private.h"

typedef struct
{
  int value;
  const char *id;
  const char *label; /* N_() */
} MamoriNamedValue;

static const MamoriNamedValue takeout_rules[] = {
  { MAMORI_TAKEOUT_FORBIDDEN, "forbidden", N_ ("Take-out forbidden") },
  { MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE, "approval-per-instance",
    N_ ("Written approval each time") },
  { MAMORI_TAKEOUT_APPROVAL_BLANKET, "approval-blanket", N_ ("Blanket or verbal approval") },
  { MAMORI_TAKEOUT_NOTIFY, "notify", N_ ("Notify the principal") },
  { MAMORI_TAKEOUT_FREE, "free", N_ ("No approval needed") },
};

static const MamoriNamedValue environments[] = {
  { MAMORI_ENV_PRIVATE_CLOUD, "private-cloud", N_ ("Private cloud") },
  { MAMORI_ENV_PUBLIC_CLOUD, "public-cloud", N_ ("Public cloud") },
  { MAMORI_ENV_LEARNING_SERVER, "learning-server", N_ ("Learning network server") },
  { MAMORI_ENV_STAFF_PC, "staff-pc", N_ ("Staff PC") },
  { MAMORI_ENV_REMOTE_ACCESS, "remote-access", N_ ("Remote access") },
  { MAMORI_ENV_REMOVABLE_MEDIA, "removable-media", N_ ("USB memory and other media") },
};

static const MamoriNamedValue roles[] = {
  { MAMORI_ROLE_TEACHER, "teacher", N_ ("Teacher") },
  { MAMORI_ROLE_VICE_PRINCIPAL, "vice-principal", N_ ("Vice-principal") },
  { MAMORI_ROLE_PRINCIPAL, "principal", N_ ("Principal") },
  { MAMORI_ROLE_OFFICE, "office", N_ ("Office staff") },
  { MAMORI_ROLE_BOARD, "board", N_ ("Board of education") },
};

static const MamoriNamedValue basis_kinds[] = {
  /* Translators: the rule is the cited section's own words. */
  { MAMORI_BASIS_SOURCE, "source", N_ ("Source") },
  /* Translators: a discreet marker beside a rule that interprets the source (解釈). */
  { MAMORI_BASIS_READING, "reading", N_ ("Interpretation") },
  /* Translators: a rule the school added (学校の定め). */
  { MAMORI_BASIS_SCHOOL, "school", N_ ("School rule") },
  /* Translators: a rule the board of education added (教育委員会の定め). */
  { MAMORI_BASIS_BOARD, "board", N_ ("Board rule") },
};

struct _MamoriBasis
{
  MamoriBasisKind kind;
  char *note;
};

static const MamoriNamedValue *
find_by_value (const MamoriNamedValue *table, gsize n, int value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return &table[i];
  g_return_val_if_reached (NULL);
}

static gboolean
find_by_id (const MamoriNamedValue *table, gsize n, const char *id, int *out_value)
{
  if (id == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (table[i].id, id))
      {
        *out_value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_NAMED_ENUM(prefix, Type, table)                                                     \
  const char *prefix##_to_string (Type value)                                                      \
  {                                                                                                \
    const MamoriNamedValue *entry = find_by_value (table, G_N_ELEMENTS (table), (int)value);       \
    return entry ? entry->id : NULL;                                                               \
  }                                                                                                \
  const char *prefix##_get_label (Type value)                                                      \
  {                                                                                                \
    const MamoriNamedValue *entry = find_by_value (table, G_N_ELEMENTS (table), (int)value);       \
    return entry ? g_dgettext (GETTEXT_PACKAGE, entry->label) : NULL;                              \
  }                                                                                                \
  gboolean prefix##_from_string (const char *str, Type *out_value)                                 \
  {                                                                                                \
    int value;                                                                                     \
    if (!find_by_id (table, G_N_ELEMENTS (table), str, &value))                                    \
      return FALSE;                                                                                \
    if (out_value != NULL)                                                                         \
      *out_value = (Type)value;                                                                    \
    return TRUE;                                                                                   \
  }

DEFINE_NAMED_ENUM (mamori_takeout_rule, MamoriTakeoutRule, takeout_rules)
DEFINE_NAMED_ENUM (mamori_environment, MamoriEnvironment, environments)
DEFINE_NAMED_ENUM (mamori_role, MamoriRole, roles)
DEFINE_NAMED_ENUM (mamori_basis_kind, MamoriBasisKind, basis_kinds)

MamoriBasis *
_mamori_basis_new (MamoriBasisKind kind, const char *note)
{
  MamoriBasis *self = g_new0 (MamoriBasis, 1);

  self->kind = kind;
  self->note = g_strdup (note);
  return self;
}

static MamoriBasis *
mamori_basis_copy (const MamoriBasis *self)
{
  return _mamori_basis_new (self->kind, self->note);
}

void
_mamori_basis_free (MamoriBasis *self)
{
  if (self == NULL)
    return;
  g_free (self->note);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (MamoriBasis, mamori_basis, mamori_basis_copy, _mamori_basis_free)

MamoriBasisKind
mamori_basis_get_kind (const MamoriBasis *self)
{
  g_return_val_if_fail (self != NULL, MAMORI_BASIS_SOURCE);
  return self->kind;
}

const char *
mamori_basis_get_note (const MamoriBasis *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->note;
}

gboolean
mamori_role_is_administrator (MamoriRole role)
{
  return role == MAMORI_ROLE_PRINCIPAL || role == MAMORI_ROLE_VICE_PRINCIPAL
         || role == MAMORI_ROLE_BOARD;
}
