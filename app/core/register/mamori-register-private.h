/* mamori-register-private.h — what the register's event bodies, fold and queries share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-policy-axis.h"
#include "mamori-register.h"

G_BEGIN_DECLS

/* The columns of register_entries that make a MamoriRegisterEntry, in this order. */
#define MAMORI_REGISTER_ENTRY_COLUMNS                                                              \
  "id, name, qualifier, category, level, medium, location, custodian, takeout, retention, "        \
  "notes, axes, reason, lowered, created_by, created_at, updated_by, updated_at"

/* The entry on @stmt's current row (MAMORI_REGISTER_ENTRY_COLUMNS first). */
MamoriRegisterEntry *
_mamori_register_entry_from_row (sqlite3_stmt *stmt);

/* The "entry" object of asset-added bodies. */
void
_mamori_register_build_entry (JsonBuilder *builder, const MamoriRegisterEntry *entry);
/* An "entry" object read back; NULL with MAMORI_RECORDS_ERROR_INVALID naming the
 * member that is not what it should be. */
MamoriRegisterEntry *
_mamori_register_entry_from_object (JsonObject *object, GError **error);
/* The "changes" object of asset-changed bodies. */
void
_mamori_register_build_changes (JsonBuilder *builder,
                                const MamoriRegisterEntry *before,
                                const MamoriRegisterEntry *after);
/* Sets @field of @entry from a JSON value (a string, an object of axes, or null). */
gboolean
_mamori_register_entry_set (MamoriRegisterEntry *entry,
                            MamoriRegisterField field,
                            JsonNode *value,
                            GError **error);
/* The axes as canonical JSON text (NULL when none), and back. */
char *
_mamori_register_axes_to_json (GHashTable *axes);
GHashTable *
_mamori_register_axes_from_json (const char *json);

/* A column of a register file: a field, or a further axis of the scheme. */
typedef struct
{
  MamoriRegisterField field;
  MamoriAxis *axis; /* for MAMORI_REGISTER_FIELD_AXES (borrowed from the policy) */
} MamoriRegisterColumn;

/* The columns a file of @policy may have (MamoriRegisterColumn), in the order they are
 * written: the eight of the board's form first, then 区分, 持ち出し, the reason for a
 * lower level, and the scheme's further axes. */
GArray *
_mamori_register_columns (MamoriPolicy *policy);
const char *
_mamori_register_column_header (const MamoriRegisterColumn *column);
/* @entry's value in @column as a file holds it: labels, not ids. */
char *
_mamori_register_column_value (MamoriPolicy *policy,
                               const MamoriRegisterEntry *entry,
                               const MamoriRegisterColumn *column);

/* The connection's page cache size (PRAGMA cache_size: pages, or KiB when negative), for
 * bulk work that sets its own and gives the vault's back after.  Lowering it frees the
 * pages beyond the new size. */
gboolean
_mamori_register_get_cache_size (MamoriDb *db, gint64 *out_size, GError **error);
gboolean
_mamori_register_set_cache_size (MamoriDb *db, gint64 size, GError **error);

G_END_DECLS
