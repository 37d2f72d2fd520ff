/* mamori-register-private.h — what the register's event bodies, fold and queries share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

G_END_DECLS
