/* mamori-policy-private.h — the policy model's structures, shared by the loader
 *
 * The loader fills these structures directly once a document has been validated;
 * everything outside app/core/mamori-policy*.c and the item files uses the getters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-policy.h"

G_BEGIN_DECLS

struct _MamoriLevel
{
  GObject parent_instance;

  char *id;
  char *label;
  char *definition;
  guint rank;
  gboolean personal_info;
  MamoriTakeoutRule takeout_rule;
  char *takeout_text;
  GStrv measures;
  GStrv storage;
  GStrv disposal;
  GArray *approvers;         /* MamoriRole */
  GPtrArray *approval_steps; /* GArray of MamoriRole, one per step, in order */
  MamoriPermission environments[MAMORI_N_ENVIRONMENTS];

  /* NULL where the item is the source's words; the arrays run beside their lists. */
  MamoriBasis *basis;
  MamoriBasis *takeout_basis;
  GPtrArray *measures_basis;
  GPtrArray *storage_basis;
  GPtrArray *disposal_basis;
  MamoriBasis *environment_basis[MAMORI_N_ENVIRONMENTS];
};

struct _MamoriAsset
{
  GObject parent_instance;

  char *name;
  char *category_id;
  char *category_label;
  MamoriLevel *level; /* owned */
  char *qualifier;
  char *note;
  GStrv aliases;
  GPtrArray *alias_readings; /* char *, NULL where an alias has none; beside aliases */
  char *reading;
  GStrv keywords;
  GHashTable *axis_values; /* axis id → MamoriAxisValue (borrowed from the axis) */
  MamoriBasis *basis;
  char *display_name;
};

struct _MamoriScenario
{
  GObject parent_instance;

  char *id;
  char *title;
  char *summary;
  char *icon_name;
  char *reading;
  gboolean shortcut;
  GStrv keywords;
  GStrv cautions;
  GStrv prohibitions;
  char *source;
  MamoriBasis *basis;
  GPtrArray *cautions_basis;
  GPtrArray *prohibitions_basis;
};

struct _MamoriAxisValue
{
  GObject parent_instance;

  char *id;
  char *label;
  char *definition;
  guint rank;
  GStrv handling;
  MamoriBasis *basis;
};

struct _MamoriAxis
{
  GObject parent_instance;

  char *id;
  char *label;
  GListStore *values; /* MamoriAxisValue, strictest first */
};

typedef struct
{
  char *id;
  char *label;
  char *reading;
} MamoriCategory;

struct _MamoriPolicy
{
  GObject parent_instance;

  char *id;
  char *title;
  char *description;
  char *source;
  GListStore *levels;
  GListStore *assets;
  GListStore *scenarios;
  GListStore *axes;      /* MamoriAxis, besides the levels */
  char *levels_axis;     /* what the levels classify along, e.g. 「機密性」, or NULL */
  GPtrArray *categories; /* MamoriCategory */
  GStrv category_ids;
  GPtrArray *synonyms; /* GStrv, NULL-terminated */
  char *json;          /* the document the policy was loaded from */
};

/* Parses and validates @data; fills a new policy. */
MamoriPolicy *
_mamori_policy_load (const char *data, gsize length, const char *origin, GError **error);

void
_mamori_category_free (MamoriCategory *category);

MamoriBasis *
_mamori_basis_new (MamoriBasisKind kind, const char *note);
void
_mamori_basis_free (MamoriBasis *basis);
/* The basis at @index of a list's bases (NULL for the source's words or out of range). */
const MamoriBasis *
_mamori_basis_list_get (GPtrArray *bases, guint index);

G_END_DECLS
