/* mamori-policy-loader-private.h — the validating readers shared by the policy loader
 *
 * Every reader checks one member and either stores it or records an error naming the
 * file, the JSON path and the reason, and returns FALSE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mamori-policy-private.h"

G_BEGIN_DECLS

typedef struct
{
  const char *origin;
  GString *path; /* the JSON path of the member being read, "$.assets[3].name" */
  GError **error;
} MamoriLoadCtx;

G_GNUC_PRINTF (2, 3)
gboolean
_mamori_load_fail (MamoriLoadCtx *ctx, const char *format, ...);
gsize
_mamori_load_push_member (MamoriLoadCtx *ctx, const char *name);
gsize
_mamori_load_push_index (MamoriLoadCtx *ctx, guint index);
void
_mamori_load_pop (MamoriLoadCtx *ctx, gsize mark);

gboolean
_mamori_load_check_members (MamoriLoadCtx *ctx, JsonObject *object, const char *const *allowed);
gboolean
_mamori_load_get_member (MamoriLoadCtx *ctx,
                         JsonObject *object,
                         const char *name,
                         gboolean required,
                         JsonNode **out_node);
/* A non-blank string. */
gboolean
_mamori_load_string_node (MamoriLoadCtx *ctx, JsonNode *node, const char **out);
gboolean
_mamori_load_string (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, char **out);
gboolean
_mamori_load_boolean (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, gboolean *out);
gboolean
_mamori_load_array (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, JsonArray **out);
gboolean
_mamori_load_object_at (MamoriLoadCtx *ctx, JsonArray *array, guint index, JsonObject **out);
gboolean
_mamori_load_strv_node (MamoriLoadCtx *ctx, JsonArray *array, GStrv *out);
gboolean
_mamori_load_strv (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, GStrv *out);
/* Policy, category, scenario and axis ids: a–z, 0–9 and "-". */
gboolean
_mamori_load_id (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out);
/* Level and axis value ids: letters (the scheme's own symbols too), digits, "-", "_". */
gboolean
_mamori_load_level_id (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out);
/* An optional reading in hiragana. */
gboolean
_mamori_load_reading (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out);
/* An optional "basis" member: NULL when missing or "source". */
gboolean
_mamori_load_basis (MamoriLoadCtx *ctx, JsonObject *object, MamoriBasis **out);
/* A list of policy texts, each a string or {"text", "basis"}: @out_bases runs beside the
 * texts with NULL for the source's words. */
gboolean
_mamori_load_texts (MamoriLoadCtx *ctx,
                    JsonObject *object,
                    const char *name,
                    gboolean required,
                    GStrv *out_texts,
                    GPtrArray **out_bases);
/* Rejects a second object in an array that repeats @key in @member. */
gboolean
_mamori_load_check_unique (MamoriLoadCtx *ctx,
                           GHashTable *seen,
                           const char *member,
                           const char *key);

G_END_DECLS
