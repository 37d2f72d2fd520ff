/* mamori-register-history.h — who changed an entry of the register, when, from what to what
 *
 * An entry's history is read back from the signed events that touched it (the fold
 * notes which: register_history), so it shows exactly what was signed, by whom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-register.h"

G_BEGIN_DECLS

typedef struct
{
  MamoriRegisterField field;
  char *old_value; /* as stored: ids for category, level, medium, take-out; NULL when empty */
  char *new_value;
} MamoriRegisterFieldChange;

typedef struct
{
  gint64 seq;
  char *type;         /* asset-added, asset-changed, asset-removed, assets-imported */
  char *author;       /* who signed it: a name and role (mamori_roster_describe_key()) */
  char *author_id;    /* the holder of the key that signed it (a staff id), or NULL */
  char *created_at;   /* "YYYY-MM-DDTHH:MM:SSZ" */
  char *file;         /* the imported file's name, for assets-imported */
  GPtrArray *changes; /* MamoriRegisterFieldChange; every field set, for an addition */
} MamoriRegisterHistoryItem;

void
mamori_register_history_item_free (MamoriRegisterHistoryItem *item);

/* The events that touched entry @id, oldest first (MamoriRegisterHistoryItem). */
GPtrArray *
mamori_register_history (MamoriDb *db, const char *id, GError **error);

/* @value of @field as people read it: the category's and level's labels, the medium's
 * and take-out rule's translated labels, axis values' labels ("" for NULL). */
char *
mamori_register_format_value (MamoriPolicy *policy, MamoriRegisterField field, const char *value);

G_END_DECLS
