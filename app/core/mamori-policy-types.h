/* mamori-policy-types.h — enumerations shared by the policy model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How an asset of a level may leave the school (持ち出し). */
typedef enum
{
  MAMORI_TAKEOUT_FORBIDDEN,             /* 持ち出し禁止 */
  MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE, /* 持ち出す都度、書面による許可 */
  MAMORI_TAKEOUT_APPROVAL_BLANKET,      /* 包括的承認・口頭による許可 */
  MAMORI_TAKEOUT_NOTIFY,                /* 届出制 */
  MAMORI_TAKEOUT_FREE,                  /* 制限なし（措置は守る） */
} MamoriTakeoutRule;

/* Where information may be handled (図表16).  The order is the column order. */
typedef enum
{
  MAMORI_ENV_PRIVATE_CLOUD,
  MAMORI_ENV_PUBLIC_CLOUD,
  MAMORI_ENV_LEARNING_SERVER,
  MAMORI_ENV_STAFF_PC,
  MAMORI_ENV_REMOTE_ACCESS,
  MAMORI_ENV_REMOVABLE_MEDIA,
} MamoriEnvironment;

#define MAMORI_N_ENVIRONMENTS (MAMORI_ENV_REMOVABLE_MEDIA + 1)

/* A cell of the environment matrix: the policy may not say. */
typedef enum
{
  MAMORI_PERMISSION_UNSTATED = -1, /* ポリシーに記載なし */
  MAMORI_PERMISSION_DENIED = 0,
  MAMORI_PERMISSION_ALLOWED = 1,
} MamoriPermission;

/* Staff roles, as written in policy files and on the command line. */
typedef enum
{
  MAMORI_ROLE_TEACHER,
  MAMORI_ROLE_VICE_PRINCIPAL,
  MAMORI_ROLE_PRINCIPAL,
  MAMORI_ROLE_OFFICE,
  MAMORI_ROLE_BOARD,
} MamoriRole;

#define MAMORI_N_ROLES (MAMORI_ROLE_BOARD + 1)

/* On what a level, an asset, a rule, a cell of the environment matrix or a scenario item
 * rests: the words of the section it cites, or someone's reading or addition. */
typedef enum
{
  MAMORI_BASIS_SOURCE,  /* the words of the cited section (the default) */
  MAMORI_BASIS_READING, /* an interpretation of the source; its note says of what */
  MAMORI_BASIS_SCHOOL,  /* added by the school */
  MAMORI_BASIS_BOARD,   /* added by the board of education */
} MamoriBasisKind;

/* An immutable basis and its note, owned by the policy item that carries it.  Items that
 * are the source's words carry none: every getter that returns one returns NULL then. */
typedef struct _MamoriBasis MamoriBasis;

#define MAMORI_TYPE_BASIS (mamori_basis_get_type ())
GType
mamori_basis_get_type (void) G_GNUC_CONST;
MamoriBasisKind
mamori_basis_get_kind (const MamoriBasis *self);
/* What the reading is of, or why the school or board added it; NULL when not given. */
const char *
mamori_basis_get_note (const MamoriBasis *self);

const char *
mamori_takeout_rule_to_string (MamoriTakeoutRule rule);
gboolean
mamori_takeout_rule_from_string (const char *str, MamoriTakeoutRule *out_rule);
/* Translated, human-readable label ("Forbidden" / 「持ち出し禁止」). */
const char *
mamori_takeout_rule_get_label (MamoriTakeoutRule rule);

const char *
mamori_environment_to_string (MamoriEnvironment env);
gboolean
mamori_environment_from_string (const char *str, MamoriEnvironment *out_env);
const char *
mamori_environment_get_label (MamoriEnvironment env);

const char *
mamori_role_to_string (MamoriRole role);
gboolean
mamori_role_from_string (const char *str, MamoriRole *out_role);
const char *
mamori_role_get_label (MamoriRole role);
/* Whether @role administers the school's vault (校長等 and the board of education):
 * installs the policy, replaces the recovery code. */
gboolean
mamori_role_is_administrator (MamoriRole role);

const char *
mamori_basis_kind_to_string (MamoriBasisKind kind);
gboolean
mamori_basis_kind_from_string (const char *str, MamoriBasisKind *out_kind);
/* Short, translated marker: 「出典」, 「解釈」, 「学校の定め」, 「教育委員会の定め」. */
const char *
mamori_basis_kind_get_label (MamoriBasisKind kind);

G_END_DECLS
