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
  GArray *approvers; /* MamoriRole */
  MamoriPermission environments[MAMORI_N_ENVIRONMENTS];
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
  char *display_name;
};

struct _MamoriScenario
{
  GObject parent_instance;

  char *id;
  char *title;
  char *summary;
  char *icon_name;
  gboolean shortcut;
  GStrv keywords;
  GStrv cautions;
  GStrv prohibitions;
  char *source;
};

typedef struct
{
  char *id;
  char *label;
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

G_END_DECLS
