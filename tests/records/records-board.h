/* records-board.h — a board of education in a test: people with keys, plain SQLite
 * copies of the records (as mamori-board keeps them), and the board taking a push
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-db.h"
#include "mamori-event.h"
#include "mamori-roster.h"
#include "mamori-vault.h"

#define BOARD_ID "b0a4d0000000000000000000000000b1"
#define BOARD_NAME "テスト教育委員会"

typedef struct
{
  guint8 *seed; /* secure memory */
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  guint8 slot_key[MAMORI_KEY_SIZE];
  char *staff; /* the roster id, when a person */
} Signer;

Signer *
signer_new (void);
void
signer_free (Signer *signer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Signer, signer_free)
void
signer_keys (const Signer *signer, MamoriRosterKeys *out);

/* A plain in-memory copy of the records, migrated to the vault's schema. */
MamoriDb *
db_new (void);
void
db_free (MamoriDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriDb, db_free)

/* Pins the board BOARD_ID with @board's key in @db. */
void
pin (MamoriDb *db, const Signer *board);

/* The next event of @signer's chain in @school, as @db has it, signed. */
MamoriEvent *
sign_next (
    MamoriDb *db, const Signer *signer, const char *school, const char *type, JsonNode *body);

/* The board takes @batch (events of @school) in one transaction, as mamori-board does:
 * each checked at the board (a conflict is kept with no effect), a known one a
 * duplicate.  Returns the index of the refused event (and sets @error), or -1; fills
 * @seqs (gint64) with each event's number. */
int
board_take (MamoriDb *board, const char *school, GPtrArray *batch, GArray *seqs, GError **error);

/* The board's events after @since, at most @limit, each with its server_seq. */
GPtrArray *
board_events_since (MamoriDb *board, gint64 since, guint limit);

/* --- a school's vault in a test ------------------------------------------------------ */

/* A MamoriRecoveryCodeSink for vaults whose code no test needs. */
gboolean
test_keep_code (const char *recovery_code, gpointer user_data, GError **error);
/* The vault at @path, unlocked as @user. */
MamoriVault *
test_open_as (const char *path, const char *user, const char *passphrase);
/* Copies the (locked) vault at @from, database and key file, to @to: the same school on
 * another computer. */
void
test_copy_vault (const char *from, const char *to);
/* The events @vault has not sent. */
gint64
test_count_unsent (MamoriVault *vault);
/* A register entry called @name (学籍, the policy's first level, on paper), added. */
void
test_add_entry (MamoriVault *vault, const char *name);
