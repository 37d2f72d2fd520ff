/* mamori-vault-sync.h — what a vault keeps of its board: the link, the outbox, and the
 * events that arrive (docs/protocol.md; docs/records.md, "Joining a board")
 *
 * The network side (app/sync/) only carries bytes: every change to the records that
 * sync makes is one of these calls, each in one vault transaction, so that a crash or a
 * dropped connection between two of them loses nothing and applies nothing twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-event.h"
#include "mamori-signing.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

/* Where the school's board is, and how far this vault has pulled from it. */
typedef struct
{
  char *url;
  GBytes *certificate; /* SHA-256 of the TLS certificate pinned at enrollment, or NULL */
  char *epoch;         /* the board store's epoch the cursor belongs to, or NULL */
  gint64 cursor;       /* the `next` of the last page applied */
} MamoriBoardLink;

void
mamori_board_link_free (MamoriBoardLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardLink, mamori_board_link_free)

/* The school's board: NULL without an error when the school has joined none. */
MamoriBoardLink *
mamori_vault_get_board_link (MamoriVault *self, GError **error);

/* Pins the board (its id, key and name: the root of the school's roster from its first
 * event here on) and stores where it is, in one transaction.  Joining a second board is
 * refused (MAMORI_RECORDS_ERROR_CONFLICT); joining the same one again only updates the
 * address and the certificate. */
gboolean
mamori_vault_join_board (MamoriVault *self,
                         const char *board_id,
                         const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                         const char *board_name,
                         const char *url,
                         GBytes *certificate,
                         GError **error);

/* The events the board has not acknowledged yet, oldest first, at most @limit (0: all). */
GPtrArray *
mamori_vault_sync_outbox (MamoriVault *self, guint limit, GError **error);
/* Their number. */
gboolean
mamori_vault_sync_count_unsent (MamoriVault *self, gint64 *out_count, GError **error);

/* The board stored @events (as sent) under @seqs: one transaction, then the log is put
 * in the board's order. */
gboolean
mamori_vault_sync_acknowledge (MamoriVault *self,
                               GPtrArray *events,
                               const gint64 *seqs,
                               GError **error);

/* How many events a pull gathers, from several of the board's pages, before it applies
 * them in one transaction: each transaction costs its syncs to disk and the key file's
 * (docs/benchmarks.md, "Sync"). */
#define MAMORI_VAULT_SYNC_RECEIVE_BATCH 5000

/* What applying one page of a pull did. */
typedef struct
{
  guint received;         /* events this vault did not hold */
  gboolean refolded;      /* the records were folded again in the board's order */
  gboolean epoch_changed; /* the board was restored: pull again from 0 (nothing applied) */
} MamoriSyncApplied;

/* Applies a page pulled from the board: the events (each with its server_seq) and the
 * cursor @next, in one transaction.  A page from another epoch than the cursor's applies
 * nothing: the vault forgets every number the old board gave, resets the cursor, and
 * says so in @out_applied (push the events again, pull from 0).  An event the records
 * refuse aborts the whole page with the reason (nothing applied, the cursor stays). */
gboolean
mamori_vault_sync_receive (MamoriVault *self,
                           const char *epoch,
                           GPtrArray *events,
                           gint64 next,
                           MamoriSyncApplied *out_applied,
                           GError **error);

/* The board refused @event for good: removes it and the later events of its chain that
 * the board does not have either, and folds the records again without them.  Returns
 * what was undone, in chain order, to be shown to the person. */
GPtrArray *
mamori_vault_sync_undo_refused (MamoriVault *self, const MamoriEvent *event, GError **error);

G_END_DECLS
