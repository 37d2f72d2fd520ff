/* mamori-keyslots.h — the key-slot file beside a vault ("school.mamori-keys")
 *
 * The master key that encrypts the database's pages is stored only here, sealed to
 * each slot.  A slot has an X25519 key pair: its secret half is wrapped by the slot key
 * (Argon2id of the user's passphrase, or of the recovery key), and the master key is
 * sealed to its public half.  Opening a slot needs the passphrase; sealing a new master
 * key to every slot (rotation) needs only the public halves.  A user slot also holds
 * that user's Ed25519 signing seed, wrapped by the same slot key.
 *
 * The file is JSON, replaced atomically (temp file, fsync, rename, fsync of the
 * directory).  Its format is in docs/architecture.md, "Vault: keys".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mamori-crypto.h"
#include "mamori-policy-types.h"
#include "mamori-signing.h"

G_BEGIN_DECLS

/* Version 2 adds the file's MAC, the recovery slot's signing key and the roster event a
 * slot is waiting on; version 1 files are read (and rewritten as 2 when the roster is
 * first built, mamori-vault-roster.c). */
#define MAMORI_KEY_FILE_VERSION 2
#define MAMORI_DB_ID_SIZE 16
#define MAMORI_KDF_SALT_SIZE 16

/* Argon2id parameters, stored in each slot so that every slot opens with the values it
 * was made with, whatever machine or build opens it. */
typedef struct
{
  guint iterations;
  guint memory_kib;
  guint parallelism;
  guint8 salt[MAMORI_KDF_SALT_SIZE];
} MamoriKdfParams;

/* What a key file may ask of the KDF: beyond this it is forged (or made for a machine far
 * larger than a school's), and obeying it would lock the user out for minutes or exhaust
 * memory.  Mamori itself makes 64 MiB and at most 100 passes. */
#define MAMORI_KDF_MAX_ITERATIONS 100
#define MAMORI_KDF_MAX_MEMORY_KIB (256 * 1024)
#define MAMORI_KDF_MAX_PARALLELISM 4

/* Parameters for a new slot with a fresh salt: 64 MiB and the number of passes that
 * takes about 0.75 s on this machine (measured once per process).  When the
 * environment has MAMORI_KDF_TEST_FAST=1 — for the test suite only — 1 pass over
 * 8 MiB instead. */
void
mamori_kdf_params_init (MamoriKdfParams *params);

gboolean
mamori_kdf_derive (const MamoriKdfParams *params,
                   const void *secret,
                   gsize secret_len,
                   guint8 *out_key,
                   GError **error);

typedef enum
{
  MAMORI_KEY_SLOT_USER,
  MAMORI_KEY_SLOT_RECOVERY,
} MamoriKeySlotKind;

/* The secrets of an opened slot: one secure-memory block, wiped when freed. */
typedef struct
{
  guint8 master_key[MAMORI_KEY_SIZE];
  guint8 slot_secret[MAMORI_KEY_SIZE];
  guint8 signing_seed[MAMORI_SIGNING_KEY_SIZE]; /* the user's, or the recovery key's */
} MamoriSlotKeys;

MamoriSlotKeys *
mamori_slot_keys_new (void);
void
mamori_slot_keys_free (MamoriSlotKeys *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriSlotKeys, mamori_slot_keys_free)

typedef struct
{
  MamoriKeySlotKind kind;
  char *user; /* user slots only */
  MamoriRole role;
  MamoriKdfParams kdf;
  guint8 slot_public[MAMORI_KEY_SIZE];
  guint8 slot_secret[MAMORI_WRAPPED_KEY_SIZE]; /* wrapped by the slot key */
  guint8 master_ephemeral[MAMORI_KEY_SIZE];
  guint8 master_wrapped[MAMORI_WRAPPED_KEY_SIZE];
  guint8 signing_public[MAMORI_SIGNING_KEY_SIZE];
  /* A user's signing seed is wrapped by the slot key; the recovery key's is sealed to
   * slot_public (signing_ephemeral ‖ signing_secret), so that it can be given to a
   * recovery slot made before it existed. */
  guint8 signing_ephemeral[MAMORI_KEY_SIZE]; /* recovery slot only */
  guint8 signing_secret[MAMORI_WRAPPED_KEY_SIZE];
  gboolean has_signing; /* FALSE only in a version 1 recovery slot */
  /* The roster event that makes this slot's keys the roster's (staff-added,
   * staff-keys-changed, staff-role-changed, recovery-changed), written with the slot in
   * the same transaction as the event: if the transaction is lost to a crash after the
   * file was written, unlocking appends the event, finishing what was begun. */
  GBytes *pending_payload;
  guint8 pending_sig[MAMORI_SIGNATURE_SIZE];
} MamoriKeySlot;

/* A new slot for @master_key opened by @secret (a passphrase, or the recovery key),
 * with its own new key pair and a new signing key.  @out_keys, if not NULL, receives the slot's
 * secrets as mamori_key_slot_open() would. */
MamoriKeySlot *
mamori_key_slot_new (MamoriKeySlotKind kind,
                     const char *user,
                     MamoriRole role,
                     const void *secret,
                     gsize secret_len,
                     const guint8 *master_key,
                     MamoriSlotKeys *out_keys,
                     GError **error);

/* MAMORI_VAULT_ERROR_WRONG_PASSPHRASE (or _BAD_RECOVERY_CODE for the recovery slot)
 * when @secret does not open the slot; _DAMAGED when the slot was altered. */
gboolean
mamori_key_slot_open (const MamoriKeySlot *slot,
                      const void *secret,
                      gsize secret_len,
                      MamoriSlotKeys *out_keys,
                      GError **error);

/* Gives a version 1 recovery slot, which has none, the signing key @seed (public half
 * @public_key), sealed to the slot's public key. */
void
mamori_key_slot_give_signing_key (MamoriKeySlot *slot,
                                  const guint8 *seed,
                                  const guint8 public_key[MAMORI_SIGNING_KEY_SIZE]);

/* Records @payload and @sig as the roster event the slot waits on. */
void
mamori_key_slot_set_pending (MamoriKeySlot *slot,
                             GBytes *payload,
                             const guint8 sig[MAMORI_SIGNATURE_SIZE]);

/* Seals @master_key to the slot's public key, replacing the sealed key it had. */
gboolean
mamori_key_slot_seal_master (MamoriKeySlot *slot, const guint8 *master_key, GError **error);

void
mamori_key_slot_free (MamoriKeySlot *slot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriKeySlot, mamori_key_slot_free)

#define MAMORI_KEY_FILE_MAC_SIZE 32

typedef struct
{
  guint version; /* as read; what is written is always MAMORI_KEY_FILE_VERSION */
  gboolean has_mac;
  guint8 mac[MAMORI_KEY_FILE_MAC_SIZE];
  guint8 db_id[MAMORI_DB_ID_SIZE]; /* the database these slots belong to */
  char *school;                    /* shown before unlocking; the vault's meta is authoritative */
  GPtrArray *slots;                /* MamoriKeySlot, user slots in creation order, recovery last */
} MamoriKeyFile;

MamoriKeyFile *
mamori_key_file_new (const guint8 *db_id, const char *school);
/* MAMORI_VAULT_ERROR_NOT_A_VAULT when the file is missing or not a key file,
 * _TOO_NEW when a newer Mamori wrote it, _DAMAGED when it is malformed. */
MamoriKeyFile *
mamori_key_file_load (const char *path, GError **error);
/* Writes the file atomically with a MAC under a key derived from @master_key, so that a
 * change by someone who cannot open the vault is seen (mamori_key_file_check_mac()).
 * The file keeps the permissions it had; a new file gets @mode. */
gboolean
mamori_key_file_save (
    MamoriKeyFile *key_file, const char *path, const guint8 *master_key, int mode, GError **error);
/* MAMORI_VAULT_ERROR_DAMAGED when the file has no MAC (version 1) or its MAC is not
 * @master_key's: someone who could not open the vault changed it. */
gboolean
mamori_key_file_check_mac (const MamoriKeyFile *key_file, const guint8 *master_key, GError **error);
void
mamori_key_file_free (MamoriKeyFile *key_file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriKeyFile, mamori_key_file_free)

/* Takes ownership of @slot; a user slot replaces that user's slot if there is one. */
void
mamori_key_file_add_slot (MamoriKeyFile *key_file, MamoriKeySlot *slot);
MamoriKeySlot *
mamori_key_file_find_user (const MamoriKeyFile *key_file, const char *user);
MamoriKeySlot *
mamori_key_file_get_recovery (const MamoriKeyFile *key_file);
guint
mamori_key_file_count_users (const MamoriKeyFile *key_file);
gboolean
mamori_key_file_remove_user (MamoriKeyFile *key_file, const char *user);

/* fsync of the file or directory @path: what was written to it is on the disk after this. */
gboolean
mamori_sync_path (const char *path, GError **error);

/* fsync of the directory that holds @path: a rename in it is durable only after this. */
gboolean
mamori_sync_parent_directory (const char *path, GError **error);

G_END_DECLS
