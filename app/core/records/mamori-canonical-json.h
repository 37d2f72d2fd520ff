/* mamori-canonical-json.h — the one byte form of a JSON value that Mamori signs
 *
 * An event's signature covers the exact bytes of its payload, so a value must have one
 * written form only: objects with their members sorted by name (bytewise, which for
 * UTF-8 is code point order), no white space, integers only, strings as UTF-8 with only
 * the escapes JSON requires (\" \\ \b \f \n \r \t, other control characters as \u00xx,
 * lower-case hex).  docs/records.md gives the full rules.
 *
 * Written by hand rather than with JsonGenerator: the bytes a signature covers must not
 * change when a library changes how it pretty-prints, orders or escapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends the canonical form of @node to @out.  FALSE (with @out partly written) when
 * @node holds something that has no canonical form: a floating-point number, a string
 * that is not UTF-8 or holds a NUL. */
gboolean
mamori_canonical_json_append (GString *out, JsonNode *node);

/* Appends @text as a canonical JSON string (quoted and escaped); @text must be UTF-8. */
void
mamori_canonical_json_append_string (GString *out, const char *text);

G_END_DECLS
