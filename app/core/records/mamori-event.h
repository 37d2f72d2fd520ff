/* mamori-event.h — one signed event of the school's records
 *
 * An event is {v, type, school, author, author_seq, prev, created_at, body}, written as
 * canonical JSON (mamori-canonical-json.h) with these members first and in this order:
 * that text is the payload, the exact bytes its author signs with Ed25519.  Its id is
 * SHA-256(payload).  `author` is the hex of the author's Ed25519 public key, so an event
 * carries what is needed to check its signature; each author's events form a chain:
 * author_seq counts from 1 and `prev` is the id of the author's previous event (null for
 * the first).  docs/records.md describes the format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mamori-records-error.h"
#include "mamori-signing.h"

G_BEGIN_DECLS

#define MAMORI_EVENT_FORMAT_VERSION 1
#define MAMORI_EVENT_ID_SIZE 32
/* Lowercase hex of an id or a key, with its NUL. */
#define MAMORI_HEX_ID_LEN (2 * MAMORI_EVENT_ID_SIZE + 1)
/* School ids: 16 random bytes as lowercase hex. */
#define MAMORI_SCHOOL_ID_LEN 32
/* Types are short lowercase words joined by hyphens. */
#define MAMORI_EVENT_TYPE_MAX 64
/* A payload larger than this is refused: a signature covers the whole payload in one
 * piece, which libgcrypt can sign and check up to this size (mamori-signing.h).  A record
 * that needs more (a large import) is several events. */
#define MAMORI_EVENT_PAYLOAD_MAX MAMORI_SIGNING_MAX_DATA

typedef struct
{
  guint8 id[MAMORI_EVENT_ID_SIZE];
  char *type;
  char *school;
  guint8 author[MAMORI_SIGNING_KEY_SIZE];
  gint64 author_seq;
  gboolean has_prev;
  guint8 prev[MAMORI_EVENT_ID_SIZE];
  char *created_at; /* UTC, "YYYY-MM-DDTHH:MM:SSZ": the author's claim, for display */
  JsonNode *body;   /* an object */
  GBytes *payload;
  guint8 sig[MAMORI_SIGNATURE_SIZE];
  gint64 seq;        /* local order once stored in a log; 0 before */
  gint64 server_seq; /* the board's order once the board has it; 0 before */
  char *effect;      /* NULL, or why the event changed nothing (docs/records.md) */
} MamoriEvent;

void
mamori_event_free (MamoriEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriEvent, mamori_event_free)

/* A new unsigned event: builds its payload and id.  @body (an object) is taken.
 * @prev is NULL for an author's first event.  FALSE-like NULL with
 * MAMORI_RECORDS_ERROR_INVALID when a member has no canonical form. */
MamoriEvent *
mamori_event_new (const char *type,
                  const char *school,
                  const guint8 author[MAMORI_SIGNING_KEY_SIZE],
                  gint64 author_seq,
                  const guint8 *prev,
                  GDateTime *created_at,
                  JsonNode *body,
                  GError **error);

/* Parses a payload as stored or received: it must be canonical, every member present
 * and of its type.  The signature is copied, not checked (mamori_event_verify()). */
MamoriEvent *
mamori_event_parse (GBytes *payload, const guint8 sig[MAMORI_SIGNATURE_SIZE], GError **error);

/* Whether sig is the author's signature over the payload. */
gboolean
mamori_event_verify (const MamoriEvent *event, GError **error);

/* The fields of a canonical payload that precede its body, read without parsing it:
 * what opening a vault needs to check each author's chain quickly.  The strings point
 * into the payload (without their quotes). */
typedef struct
{
  const char *type;
  gsize type_len;
  const char *school;
  gsize school_len;
  guint8 author[MAMORI_SIGNING_KEY_SIZE];
  gint64 author_seq;
  gboolean has_prev;
  guint8 prev[MAMORI_EVENT_ID_SIZE];
  const char *created_at;
  gsize created_at_len;
} MamoriEventHeader;

/* FALSE when the payload does not start as a canonical payload does. */
gboolean
mamori_event_scan_header (const guint8 *payload, gsize length, MamoriEventHeader *out);

/* SHA-256 of @data. */
void
mamori_event_hash (const guint8 *data, gsize length, guint8 out_id[MAMORI_EVENT_ID_SIZE]);

/* Lowercase hex of @len bytes (2 * @len characters). */
char *
mamori_hex_encode (const guint8 *bytes, gsize len);
/* Exactly 2 * @len lowercase hex digits. */
gboolean
mamori_hex_decode (const char *text, guint8 *out, gsize len);

/* Members of an event body, for the folds: NULL / FALSE (with
 * MAMORI_RECORDS_ERROR_INVALID naming the member) when absent or of another type. */
const char *
mamori_event_body_string (const MamoriEvent *event, const char *member, GError **error);
gboolean
mamori_event_body_key (const MamoriEvent *event,
                       const char *member,
                       guint8 out_key[MAMORI_SIGNING_KEY_SIZE],
                       GError **error);

/* "2026-12-02T14:15:31Z" for @time (UTC). */
char *
mamori_event_format_time (GDateTime *time);

G_END_DECLS
