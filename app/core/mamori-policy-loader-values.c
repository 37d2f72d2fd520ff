/* mamori-policy-loader-values.c — validating readers for the members of a policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-policy-loader-private.h"

#define MAX_LEVEL_ID_CHARS 32

gboolean
_mamori_load_fail (MamoriLoadCtx *ctx, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (ctx->error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_INVALID, "%s: %s: %s",
               ctx->origin, ctx->path->str, reason);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gsize
_mamori_load_push_member (MamoriLoadCtx *ctx, const char *name)
{
  gsize mark = ctx->path->len;
  g_string_append_printf (ctx->path, ".%s", name);
  return mark;
}

gsize
_mamori_load_push_index (MamoriLoadCtx *ctx, guint index)
{
  gsize mark = ctx->path->len;
  g_string_append_printf (ctx->path, "[%u]", index);
  return mark;
}

void
_mamori_load_pop (MamoriLoadCtx *ctx, gsize mark)
{
  g_string_truncate (ctx->path, mark);
}

gboolean
_mamori_load_check_members (MamoriLoadCtx *ctx, JsonObject *object, const char *const *allowed)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (allowed, name))
        {
          _mamori_load_push_member (ctx, name);
          return _mamori_load_fail (ctx, _ ("unknown member"));
        }
    }
  return TRUE;
}

/* A missing required member is an error, a missing optional one (or an explicit null)
 * yields NULL. */
gboolean
_mamori_load_get_member (MamoriLoadCtx *ctx,
                         JsonObject *object,
                         const char *name,
                         gboolean required,
                         JsonNode **out_node)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_node = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      return _mamori_load_fail (ctx, _ ("required member “%s” is missing"), name);
    }
  *out_node = node;
  return TRUE;
}

gboolean
_mamori_load_string_node (MamoriLoadCtx *ctx, JsonNode *node, const char **out)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _mamori_load_fail (ctx, _ ("expected a string"));
  *out = json_node_get_string (node);
  if (is_blank (*out))
    return _mamori_load_fail (ctx, _ ("must not be empty"));
  return TRUE;
}

gboolean
_mamori_load_string (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, char **out)
{
  JsonNode *node;
  const char *value;
  gsize mark;

  if (!_mamori_load_get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, name);
  if (!_mamori_load_string_node (ctx, node, &value))
    return FALSE;
  _mamori_load_pop (ctx, mark);

  *out = g_strdup (value);
  return TRUE;
}

gboolean
_mamori_load_boolean (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, gboolean *out)
{
  JsonNode *node;
  gsize mark;

  if (!_mamori_load_get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _mamori_load_fail (ctx, _ ("expected true or false"));
  _mamori_load_pop (ctx, mark);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_mamori_load_array (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, JsonArray **out)
{
  JsonNode *node;
  gsize mark;

  *out = NULL;
  if (!_mamori_load_get_member (ctx, object, name, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _mamori_load_fail (ctx, _ ("expected an array"));
  _mamori_load_pop (ctx, mark);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
_mamori_load_object_at (MamoriLoadCtx *ctx, JsonArray *array, guint index, JsonObject **out)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_fail (ctx, _ ("expected an object"));
  *out = json_node_get_object (node);
  return TRUE;
}

/* An array of non-empty strings, stored as a GStrv (possibly empty). */
gboolean
_mamori_load_strv_node (MamoriLoadCtx *ctx, JsonArray *array, GStrv *out)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      gsize mark = _mamori_load_push_index (ctx, i);
      const char *value;

      if (!_mamori_load_string_node (ctx, json_array_get_element (array, i), &value))
        return FALSE;
      g_strv_builder_add (builder, value);
      _mamori_load_pop (ctx, mark);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
_mamori_load_strv (
    MamoriLoadCtx *ctx, JsonObject *object, const char *name, gboolean required, GStrv *out)
{
  JsonArray *array;
  gsize mark;

  if (!_mamori_load_array (ctx, object, name, required, &array))
    return FALSE;
  if (array == NULL)
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  mark = _mamori_load_push_member (ctx, name);
  if (!_mamori_load_strv_node (ctx, array, out))
    return FALSE;
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

gboolean
_mamori_load_id (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out)
{
  gsize mark;

  if (!_mamori_load_string (ctx, object, name, TRUE, out))
    return FALSE;

  mark = _mamori_load_push_member (ctx, name);
  for (const char *p = *out; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return _mamori_load_fail (
          ctx, _ ("“%s” is not a valid id (use only lower-case a–z, digits 0–9 and “-”)"), *out);
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

/* Level ids appear in the register and in `--map A=Ⅰ,B=Ⅱ`: no spaces, "=" or ",". */
gboolean
_mamori_load_level_id (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out)
{
  gsize mark;

  if (!_mamori_load_string (ctx, object, name, TRUE, out))
    return FALSE;

  mark = _mamori_load_push_member (ctx, name);
  if (g_utf8_strlen (*out, -1) > MAX_LEVEL_ID_CHARS)
    return _mamori_load_fail (ctx, _ ("“%s” is too long for an id (at most %d characters)"), *out,
                              MAX_LEVEL_ID_CHARS);
  for (const char *p = *out; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '-' && c != '_')
        return _mamori_load_fail (ctx,
                                  _ ("“%s” is not a valid level id (use letters, digits, “-” and "
                                     "“_”, without spaces, “=” or “,”)"),
                                  *out);
    }
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

static gboolean
is_reading_char (gunichar c)
{
  return (c >= 0x3041 && c <= 0x3096)  /* ぁ … ゖ */
         || c == 0x309D || c == 0x309E /* ゝ ゞ */
         || c == 0x30FC                /* ー */
         || c == 0x30FB || c == ' ';   /* ・ and a space between words */
}

gboolean
_mamori_load_reading (MamoriLoadCtx *ctx, JsonObject *object, const char *name, char **out)
{
  gsize mark;

  if (!_mamori_load_string (ctx, object, name, FALSE, out))
    return FALSE;
  if (*out == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, name);
  for (const char *p = *out; *p; p = g_utf8_next_char (p))
    if (!is_reading_char (g_utf8_get_char (p)))
      return _mamori_load_fail (
          ctx, _ ("“%s” is not a reading in hiragana (words may be separated by spaces)"), *out);
  _mamori_load_pop (ctx, mark);
  return TRUE;
}

gboolean
_mamori_load_basis (MamoriLoadCtx *ctx, JsonObject *object, MamoriBasis **out)
{
  static const char *const allowed[] = { "kind", "note", NULL };
  g_autofree char *kind_id = NULL;
  g_autofree char *note = NULL;
  MamoriBasisKind kind;
  JsonNode *node;
  gsize mark;

  *out = NULL;
  if (!_mamori_load_get_member (ctx, object, "basis", FALSE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  mark = _mamori_load_push_member (ctx, "basis");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_fail (ctx, _ ("expected an object such as {\"kind\": \"reading\", "
                                      "\"note\": \"…\"}"));
  object = json_node_get_object (node);
  if (!_mamori_load_check_members (ctx, object, allowed)
      || !_mamori_load_string (ctx, object, "kind", TRUE, &kind_id)
      || !_mamori_load_string (ctx, object, "note", FALSE, &note))
    return FALSE;

  if (!mamori_basis_kind_from_string (kind_id, &kind))
    {
      _mamori_load_push_member (ctx, "kind");
      return _mamori_load_fail (
          ctx, _ ("unknown basis “%s” (expected source, reading, school or board)"), kind_id);
    }
  if (kind == MAMORI_BASIS_READING && note == NULL)
    return _mamori_load_fail (ctx, _ ("a reading needs a “note” that says what it interprets"));
  _mamori_load_pop (ctx, mark);

  if (kind != MAMORI_BASIS_SOURCE)
    *out = _mamori_basis_new (kind, note);
  return TRUE;
}

static gboolean
read_text_node (MamoriLoadCtx *ctx, JsonNode *node, const char **out_text, MamoriBasis **out_basis)
{
  static const char *const allowed[] = { "text", "basis", NULL };
  JsonObject *object;
  JsonNode *text;
  gsize mark;

  *out_basis = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _mamori_load_string_node (ctx, node, out_text);

  object = json_node_get_object (node);
  if (!_mamori_load_check_members (ctx, object, allowed)
      || !_mamori_load_get_member (ctx, object, "text", TRUE, &text))
    return FALSE;
  mark = _mamori_load_push_member (ctx, "text");
  if (!_mamori_load_string_node (ctx, text, out_text))
    return FALSE;
  _mamori_load_pop (ctx, mark);
  return _mamori_load_basis (ctx, object, out_basis);
}

gboolean
_mamori_load_texts (MamoriLoadCtx *ctx,
                    JsonObject *object,
                    const char *name,
                    gboolean required,
                    GStrv *out_texts,
                    GPtrArray **out_bases)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GPtrArray) bases = g_ptr_array_new_with_free_func ((GDestroyNotify)_mamori_basis_free);
  JsonArray *array;
  gsize mark;
  guint n;

  if (!_mamori_load_array (ctx, object, name, required, &array))
    return FALSE;

  mark = _mamori_load_push_member (ctx, name);
  n = array != NULL ? json_array_get_length (array) : 0;
  for (guint i = 0; i < n; i++)
    {
      gsize item_mark = _mamori_load_push_index (ctx, i);
      const char *text;
      MamoriBasis *basis;

      if (!read_text_node (ctx, json_array_get_element (array, i), &text, &basis))
        return FALSE;
      g_strv_builder_add (builder, text);
      g_ptr_array_add (bases, basis);
      _mamori_load_pop (ctx, item_mark);
    }
  _mamori_load_pop (ctx, mark);

  *out_texts = g_strv_builder_end (builder);
  *out_bases = g_steal_pointer (&bases);
  return TRUE;
}

gboolean
_mamori_load_check_unique (MamoriLoadCtx *ctx,
                           GHashTable *seen,
                           const char *member,
                           const char *key)
{
  if (g_hash_table_add (seen, g_strdup (key)))
    return TRUE;

  _mamori_load_push_member (ctx, member);
  return _mamori_load_fail (ctx, _ ("“%s” is defined twice"), key);
}
