/* mamori-sync-private.h — what the files of app/sync share: the client's HTTP exchange
 * and the reading of the board's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mamori-sync-client.h"

G_BEGIN_DECLS

/* The client's fields, for the files of app/sync (mamori-sync-client.c owns them). */
struct _MamoriSyncClient
{
  GObject parent_instance;

  MamoriVault *vault; /* owned */
  SoupSession *session;
  SoupSession *watch_session; /* mamori-sync-watch.c's, made by the first watch */
  char *url;                  /* without a trailing slash */
  GBytes *certificate;        /* SHA-256 of the pinned certificate, or NULL (loopback) */
  char *token;                /* the session's, or NULL */
  guint retry_after;          /* seconds, from the last refusal */
  gboolean wrong_certificate;
};

/* A client for the board at @url, whose certificate hash is @certificate (NULL: the
 * first one a system-trusted TLS connection shows is taken, as at enrollment).  @vault
 * may be NULL until there is one (enrolling): no session is opened without it. */
MamoriSyncClient *
_mamori_sync_client_new_for (MamoriVault *vault,
                             const char *url,
                             GBytes *certificate,
                             GError **error);
void
_mamori_sync_client_set_vault (MamoriSyncClient *self, MamoriVault *vault);
void
_mamori_sync_client_set_token (MamoriSyncClient *self, const char *token);
/* The pinned (or, after the first answer, the seen) certificate's SHA-256, or NULL. */
GBytes *
_mamori_sync_client_get_certificate (MamoriSyncClient *self);

/* The vault, or NULL while enrolling. */
MamoriVault *
_mamori_sync_client_get_vault (MamoriSyncClient *self);
const char *
_mamori_sync_client_get_url (MamoriSyncClient *self);
/* The session's token, or NULL before the first one. */
const char *
_mamori_sync_client_get_token (MamoriSyncClient *self);
/* The watch's own HTTP session (mamori-sync-watch.c), made on first use in the caller's
 * thread: its connections are apart from the rounds'. */
SoupSession *
_mamori_sync_client_get_watch_session (MamoriSyncClient *self);
/* @name of the answer object as an integer / an array; FALSE / NULL when it is not one. */
gboolean
_mamori_sync_member_int (JsonNode *answer, const char *name, gint64 *out_value);
JsonArray *
_mamori_sync_member_array (JsonNode *answer, const char *name);
/* Whether @certificate's SHA-256 is @pin (NULL: nothing is pinned, FALSE). */
gboolean
_mamori_sync_is_pinned (GBytes *pin, GTlsCertificate *certificate);
/* MAMORI_SYNC_ERROR_CERTIFICATE: not the pinned certificate; FALSE. */
gboolean
_mamori_sync_wrong_certificate (GError **error);
/* The seconds of @message's Retry-After, or 0. */
guint
_mamori_sync_parse_retry_after (SoupMessage *message);

/* Sends @body (NULL: none) to @path; the status and the answer, an object.  No answer, a
 * 5xx or a 429 is MAMORI_SYNC_ERROR_UNREACHABLE; another certificate than the pinned one
 * MAMORI_SYNC_ERROR_CERTIFICATE. */
gboolean
_mamori_sync_client_request (MamoriSyncClient *self,
                             const char *method,
                             const char *path,
                             JsonNode *body,
                             guint *out_status,
                             JsonNode **out_answer,
                             GCancellable *cancellable,
                             GError **error);
/* _mamori_sync_client_request() with a session opened first when there is none, and
 * opened again once when the board says the token has expired. */
gboolean
_mamori_sync_client_authorized (MamoriSyncClient *self,
                                const char *method,
                                const char *path,
                                JsonNode *body,
                                guint *out_status,
                                JsonNode **out_answer,
                                GCancellable *cancellable,
                                GError **error);
/* Pushes the whole outbox (with the session or the token set). */
gboolean
_mamori_sync_client_push (MamoriSyncClient *self,
                          MamoriSyncReport *report,
                          GCancellable *cancellable,
                          GError **error);

/* A string member of the object @answer, or NULL. */
const char *
_mamori_sync_member_string (JsonNode *answer, const char *name);
/* An object {name: value, …} of string members; the list ends with NULL. */
JsonNode *
_mamori_sync_object_node (const char *name, const char *value, ...) G_GNUC_NULL_TERMINATED;
/* MAMORI_SYNC_ERROR_PROTOCOL: the answer to @what lacks what the protocol says. */
gboolean
_mamori_sync_malformed (GError **error, const char *what);
/* The error answer @answer (docs/protocol.md, "Errors") as a GError; FALSE. */
gboolean
_mamori_sync_refusal (JsonNode *answer, guint status, GError **error);

G_END_DECLS
