/* mamori-vfs-page.c — the sealed page format of the vault
 *
 * A page of 4096 bytes is stored as
 *
 *   [0, 4064)     ciphertext (page 1: [24, 4064), see below)
 *   [4064, 4076)  nonce, fresh from gcry_create_nonce() on every write (page 1 while
 *                 a transaction's journal is open: derived from the journal's id)
 *   [4076, 4092)  AEAD tag
 *   [4092, 4096)  spare, zero
 *
 * with associated data = database id ‖ page number (big endian) ‖ spare, for page 1
 * also its bytes 16–23, and for a page image in a rollback journal also the journal's
 * id (mamori-vfs-journal.c), so that an image cannot be moved into another journal.  Page 1 stores
 * the database id in bytes 0–15, where SQLite has its magic string, and keeps bytes 16–23 (page
 * size, format versions, reserved bytes per page, payload fractions) in clear because SQLite reads
 * them before any page can be decrypted.  Every byte of the file is thus either ciphertext or
 * authenticated: changing any one of them fails the tag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-vfs-private.h"

#define NONCE_OFFSET MAMORI_VFS_NONCE_OFFSET
#define TAG_OFFSET (NONCE_OFFSET + MAMORI_VFS_NONCE_LEN)
#define SPARE_OFFSET (TAG_OFFSET + MAMORI_VFS_TAG_LEN)
/* db id ‖ page number ‖ spare ‖ page 1's clear header fields ‖ journal id */
#define AD_MAX_LEN (MAMORI_VFS_DB_ID_LEN + 4 + MAMORI_VFS_SPARE_LEN + 8 + MAMORI_VFS_JOURNAL_ID_LEN)

G_STATIC_ASSERT (MAMORI_VFS_NONCE_OFFSET == MAMORI_VFS_USABLE);

G_STATIC_ASSERT (SPARE_OFFSET + MAMORI_VFS_SPARE_LEN == MAMORI_VFS_PAGE_SIZE);

const char *
_mamori_aead_mode_name (MamoriAeadMode mode)
{
  switch (mode)
    {
    case MAMORI_AEAD_GCM:
      return "gcm";
    case MAMORI_AEAD_OCB:
      return "ocb";
    case MAMORI_AEAD_GCM_SIV:
      return "gcm_siv";
    default:
      g_assert_not_reached ();
    }
}

gboolean
_mamori_aead_init (MamoriAead *aead, MamoriAeadMode mode, const guint8 *key, GError **error)
{
  static const int gcry_modes[] = {
    [MAMORI_AEAD_GCM] = GCRY_CIPHER_MODE_GCM,
    [MAMORI_AEAD_OCB] = GCRY_CIPHER_MODE_OCB,
    [MAMORI_AEAD_GCM_SIV] = GCRY_CIPHER_MODE_GCM_SIV,
  };
  gcry_error_t err;

  aead->mode = mode;
  /* GCRY_CIPHER_SECURE: the key schedule is as secret as the key. */
  err = gcry_cipher_open (&aead->hd, GCRY_CIPHER_AES256, gcry_modes[mode], GCRY_CIPHER_SECURE);
  if (err == 0)
    err = gcry_cipher_setkey (aead->hd, key, MAMORI_VFS_KEY_LEN);
  if (err != 0)
    {
      _mamori_aead_clear (aead);
      g_set_error (error, MAMORI_VFS_ERROR, MAMORI_VFS_ERROR_IO,
                   _ ("Could not set up AES-256-%s: %s"), _mamori_aead_mode_name (mode),
                   gcry_strerror (err));
      return FALSE;
    }
  return TRUE;
}

void
_mamori_aead_clear (MamoriAead *aead)
{
  /* gcry_cipher_close() wipes the key schedule. */
  g_clear_pointer (&aead->hd, gcry_cipher_close);
}

/* Starts an operation: GCM and OCB restart on a new nonce, GCM-SIV needs a reset
 * first.  OCB and GCM-SIV take the whole associated data in one call here. */
static gcry_error_t
aead_begin (MamoriAead *aead, const guint8 *nonce, const guint8 *ad, gsize ad_len)
{
  gcry_error_t err;

  if (aead->mode == MAMORI_AEAD_GCM_SIV)
    gcry_cipher_reset (aead->hd);
  err = gcry_cipher_setiv (aead->hd, nonce, MAMORI_VFS_NONCE_LEN);
  if (err == 0)
    err = gcry_cipher_authenticate (aead->hd, ad, ad_len);
  /* OCB must be told that the next call carries the last of the data. */
  if (err == 0 && aead->mode == MAMORI_AEAD_OCB)
    err = gcry_cipher_final (aead->hd);
  return err;
}

gboolean
_mamori_aead_seal (MamoriAead *aead,
                   const guint8 *nonce,
                   const guint8 *ad,
                   gsize ad_len,
                   const guint8 *in,
                   guint8 *out,
                   gsize len,
                   guint8 *tag)
{
  gcry_error_t err;

  err = aead_begin (aead, nonce, ad, ad_len);
  if (err == 0)
    err = gcry_cipher_encrypt (aead->hd, out, len, in, len);
  if (err == 0)
    err = gcry_cipher_gettag (aead->hd, tag, MAMORI_VFS_TAG_LEN);
  return err == 0;
}

gboolean
_mamori_aead_open (MamoriAead *aead,
                   const guint8 *nonce,
                   const guint8 *ad,
                   gsize ad_len,
                   const guint8 *in,
                   guint8 *out,
                   gsize len,
                   const guint8 *tag)
{
  gcry_error_t err;

  if (aead->mode == MAMORI_AEAD_GCM_SIV)
    {
      /* GCM-SIV checks the tag while decrypting, so it must have it first. */
      gcry_cipher_reset (aead->hd);
      err = gcry_cipher_setiv (aead->hd, nonce, MAMORI_VFS_NONCE_LEN);
      if (err == 0)
        err = gcry_cipher_authenticate (aead->hd, ad, ad_len);
      if (err == 0)
        err = gcry_cipher_set_decryption_tag (aead->hd, tag, MAMORI_VFS_TAG_LEN);
    }
  else
    {
      err = aead_begin (aead, nonce, ad, ad_len);
    }
  if (err == 0)
    err = gcry_cipher_decrypt (aead->hd, out, len, in == out ? NULL : in, in == out ? 0 : len);
  if (err == 0)
    err = gcry_cipher_checktag (aead->hd, tag, MAMORI_VFS_TAG_LEN);
  return err == 0;
}

/* Fills @ad from the page as stored and returns its length. */
static gsize
page_ad (
    guint8 *ad, const guint8 *db_id, guint32 pgno, const guint8 *journal_id, const guint8 *stored)
{
  gsize len = 0;

  memcpy (ad, db_id, MAMORI_VFS_DB_ID_LEN);
  len += MAMORI_VFS_DB_ID_LEN;
  ad[len++] = pgno >> 24;
  ad[len++] = pgno >> 16;
  ad[len++] = pgno >> 8;
  ad[len++] = pgno;
  memcpy (ad + len, stored + SPARE_OFFSET, MAMORI_VFS_SPARE_LEN);
  len += MAMORI_VFS_SPARE_LEN;
  if (pgno == 1)
    {
      memcpy (ad + len, stored + MAMORI_VFS_DB_ID_LEN, 8);
      len += 8;
    }
  if (journal_id != NULL)
    {
      memcpy (ad + len, journal_id, MAMORI_VFS_JOURNAL_ID_LEN);
      len += MAMORI_VFS_JOURNAL_ID_LEN;
    }
  return len;
}

gboolean
_mamori_page_seal (MamoriAead *aead,
                   const guint8 *db_id,
                   guint32 pgno,
                   const guint8 *journal_id,
                   const guint8 *nonce,
                   const guint8 *plain,
                   guint8 *out)
{
  guint8 ad[AD_MAX_LEN];
  gsize ad_len, start = 0;

  if (pgno == 1)
    {
      memcpy (out, db_id, MAMORI_VFS_DB_ID_LEN);
      memcpy (out + MAMORI_VFS_DB_ID_LEN, plain + MAMORI_VFS_DB_ID_LEN, 8);
      start = MAMORI_VFS_PAGE1_CLEAR;
    }
  if (nonce != NULL)
    memcpy (out + NONCE_OFFSET, nonce, MAMORI_VFS_NONCE_LEN);
  else
    gcry_create_nonce (out + NONCE_OFFSET, MAMORI_VFS_NONCE_LEN);
  memset (out + SPARE_OFFSET, 0, MAMORI_VFS_SPARE_LEN);
  ad_len = page_ad (ad, db_id, pgno, journal_id, out);
  return _mamori_aead_seal (aead, out + NONCE_OFFSET, ad, ad_len, plain + start, out + start,
                            MAMORI_VFS_USABLE - start, out + TAG_OFFSET);
}

gboolean
_mamori_page_open (MamoriAead *aead,
                   const guint8 *db_id,
                   guint32 pgno,
                   const guint8 *journal_id,
                   const guint8 *sealed,
                   guint8 *out)
{
  guint8 ad[AD_MAX_LEN];
  gsize ad_len, start = pgno == 1 ? MAMORI_VFS_PAGE1_CLEAR : 0;

  ad_len = page_ad (ad, db_id, pgno, journal_id, sealed);
  /* The stored id is not in the associated data (@db_id is): compare it as well. */
  if ((pgno == 1 && memcmp (sealed, db_id, MAMORI_VFS_DB_ID_LEN) != 0)
      || !_mamori_aead_open (aead, sealed + NONCE_OFFSET, ad, ad_len, sealed + start, out + start,
                             MAMORI_VFS_USABLE - start, sealed + TAG_OFFSET))
    {
      memset (out, 0, MAMORI_VFS_PAGE_SIZE);
      return FALSE;
    }
  if (sealed != out)
    {
      memcpy (out, sealed, start);
      memcpy (out + MAMORI_VFS_USABLE, sealed + MAMORI_VFS_USABLE, MAMORI_VFS_RESERVE);
    }
  if (pgno == 1)
    memcpy (out, MAMORI_VFS_SQLITE_MAGIC, MAMORI_VFS_DB_ID_LEN);
  return TRUE;
}
