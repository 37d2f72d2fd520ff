/* mamori-event-wire.h — an event as it travels between a school and its board
 * (docs/protocol.md, "What travels"): {author, payload, sig}, and seq in a pull
 *
 * The payload travels as a JSON string holding the exact bytes the author signed:
 * nobody writes it again to check it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mamori-event.h"

G_BEGIN_DECLS

/* The wire object of @event; with @with_seq, its server_seq as `seq` too. */
JsonNode *
mamori_event_to_wire (const MamoriEvent *event, gboolean with_seq);

/* The event a wire object carries (payload parsed as canonical, `author` the payload's
 * author, `sig` 64 bytes in hex; the signature itself is checked where it is appended);
 * with @with_seq, `seq` (a positive integer) becomes its server_seq.
 * MAMORI_RECORDS_ERROR_INVALID otherwise. */
MamoriEvent *
mamori_event_from_wire (JsonNode *node, gboolean with_seq, GError **error);

G_END_DECLS
