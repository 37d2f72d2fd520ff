/* mamori-sync-client.h — a vault talking to its board (docs/protocol.md): a session,
 * the outbox pushed, pages pulled, until both sides hold the same events
 *
 * The records change only through mamori-vault-sync.h, each step in one vault
 * transaction: a connection dropped at any point loses nothing and applies nothing
 * twice.  The calls block on the network: the command line runs them as they are, the
 * application in a GTask thread of its own with a vault of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-vault.h"

G_BEGIN_DECLS

#define MAMORI_SYNC_ERROR (mamori_sync_error_quark ())
GQuark
mamori_sync_error_quark (void);

typedef enum
{
  MAMORI_SYNC_ERROR_NOT_JOINED,    /* the school has joined no board */
  MAMORI_SYNC_ERROR_UNREACHABLE,   /* no answer, a 5xx, 429: try again later, nothing lost */
  MAMORI_SYNC_ERROR_CERTIFICATE,   /* not the certificate pinned at enrollment */
  MAMORI_SYNC_ERROR_REVOKED,       /* this device's key was revoked, or its person removed */
  MAMORI_SYNC_ERROR_NOT_PERMITTED, /* the caller's role may not ask this */
  MAMORI_SYNC_ERROR_REFUSED,       /* the board refused an event an honest vault sends */
  MAMORI_SYNC_ERROR_PROTOCOL,      /* an answer that is not what the protocol says */
  MAMORI_SYNC_ERROR_INPUT,         /* not a board's address, not an enrollment code */
  MAMORI_SYNC_ERROR_LEVELS,        /* a policy to publish lacks levels registers use */
} MamoriSyncError;

/* What one round did. */
typedef struct
{
  guint pushed;        /* events the board stored (duplicates too) */
  guint received;      /* events this vault did not hold */
  GPtrArray *arrived;  /* MamoriEvent: those events, in the board's order, or NULL */
  GPtrArray *undone;   /* MamoriEvent: refused by the board and taken back */
  char *undone_reason; /* why, in the user's language */
  char *undone_code;   /* the board's reason (docs/protocol.md, "Push"), or NULL */
} MamoriSyncReport;

void
mamori_sync_report_clear (MamoriSyncReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MamoriSyncReport, mamori_sync_report_clear)

#define MAMORI_TYPE_SYNC_CLIENT (mamori_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (MamoriSyncClient, mamori_sync_client, MAMORI, SYNC_CLIENT, GObject)

/* A client for the board @vault (unlocked by a person) has joined; NULL with
 * MAMORI_SYNC_ERROR_NOT_JOINED when none. */
MamoriSyncClient *
mamori_sync_client_new (MamoriVault *vault, GError **error);

/* The SHA-256 of @certificate's DER form: what a vault pins. */
GBytes *
mamori_sync_certificate_hash (GTlsCertificate *certificate);

/* The longest a pull may wait for news (docs/protocol.md, "Numbers"). */
#define MAMORI_SYNC_MAX_WAIT 60

/* Pushes the outbox and pulls until the board has nothing more: one round.  With @wait,
 * the first pull waits up to that many seconds for news when the board has none (a long
 * poll).  Events the board refuses because the records changed under this vault (a role
 * taken away, a device revoked) are taken back and listed in @out_report. */
gboolean
mamori_sync_client_sync (MamoriSyncClient *self,
                         guint wait,
                         GCancellable *cancellable,
                         MamoriSyncReport *out_report,
                         GError **error);

/* The seconds the board asked to wait (Retry-After) with its last refusal, or 0. */
guint
mamori_sync_client_get_retry_after (MamoriSyncClient *self);

/* How long to wait before trying again after @failures failed rounds in a row (1 or
 * more): what the board asked (@retry_after seconds) if it did, else 1, 2, 4 … at most
 * 300 seconds, each ×0.5–1.5 at random so that a school's computers do not all come back
 * at once.  In milliseconds. */
guint
mamori_sync_next_delay (guint failures, guint retry_after);

G_END_DECLS
