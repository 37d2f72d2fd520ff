/* mamori-board.c — the board's data directory, its key, its copies of the schools'
 * records, and the admin commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mamori-board-private.h"
#include "mamori-board-store-sqlite.h"
#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-policy-record.h"

#define STORE_FILE "board.db"
#define KEY_FILE "board.key"

G_DEFINE_QUARK (mamori - board - error - quark, mamori_board_error)
G_DEFINE_FINAL_TYPE (MamoriBoard, mamori_board, G_TYPE_OBJECT)

void
_mamori_board_fold_free (MamoriSchoolFold *fold)
{
  if (fold->db != NULL)
    {
      mamori_db_forget_statements (fold->db);
      sqlite3_close (fold->db->handle);
      g_free (fold->db);
    }
  g_free (fold->school);
  g_free (fold);
}

static void
mamori_board_finalize (GObject *object)
{
  MamoriBoard *self = MAMORI_BOARD (object);

  g_hash_table_unref (self->folds);
  g_clear_object (&self->store);
  mamori_secure_free (self->seed);
  g_free (self->dir);
  g_free (self->id);
  g_free (self->name);
  g_free (self->folds_epoch);
  G_OBJECT_CLASS (mamori_board_parent_class)->finalize (object);
}

static void
mamori_board_dispose (GObject *object)
{
  _mamori_board_checking_stop (MAMORI_BOARD (object));
  G_OBJECT_CLASS (mamori_board_parent_class)->dispose (object);
}

static void
mamori_board_class_init (MamoriBoardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mamori_board_dispose;
  G_OBJECT_CLASS (klass)->finalize = mamori_board_finalize;

  /**
   * MamoriBoard::checked:
   *
   * Emitted in the main context when the signatures of events a push left to check
   * were checked: the events found good are served from now on.
   */
  g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
}

static void
mamori_board_init (MamoriBoard *self)
{
  self->folds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify)_mamori_board_fold_free);
}

char *
_mamori_board_random_hex (gsize n_bytes)
{
  guint8 bytes[32];

  g_assert (n_bytes <= sizeof bytes);
  mamori_crypto_random (bytes, n_bytes);
  return mamori_hex_encode (bytes, n_bytes);
}

/* --- the key file ------------------------------------------------------------------------- */

static gboolean
write_key (const char *path, const guint8 *seed, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write “%s”: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  ok = write (fd, seed, MAMORI_SIGNING_KEY_SIZE) == MAMORI_SIGNING_KEY_SIZE && fsync (fd) == 0;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Cannot write “%s”: %s"), path,
                 g_strerror (errno));
  close (fd);
  return ok;
}

/* Straight into secure memory, so the key has no copy on the ordinary heap. */
static guint8 *
read_key (const char *path, GError **error)
{
  guint8 *seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE + 1);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot read “%s”: %s"),
                   path, g_strerror (saved));
      mamori_secure_free (seed);
      return NULL;
    }
  n = read (fd, seed, MAMORI_SIGNING_KEY_SIZE + 1);
  close (fd);
  if (n != MAMORI_SIGNING_KEY_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("“%s” is not the board’s signing key"), path);
      mamori_secure_free (seed);
      return NULL;
    }
  return seed;
}

/* --- opening ------------------------------------------------------------------------------ */

static gboolean
load (MamoriBoard *self, GError **error)
{
  g_autofree char *key_path = g_build_filename (self->dir, KEY_FILE, NULL);
  g_autofree char *stored_key = NULL;
  g_autofree char *public_hex = NULL;

  self->seed = read_key (key_path, error);
  if (self->seed == NULL)
    return FALSE;
  mamori_signing_public_from_seed (self->seed, self->public_key);
  self->id = mamori_board_store_get_setting (self->store, "board_id", error);
  if (self->id == NULL)
    return FALSE;
  self->name = mamori_board_store_get_setting (self->store, "name", error);
  stored_key = mamori_board_store_get_setting (self->store, "signing_key", error);
  public_hex = mamori_hex_encode (self->public_key, MAMORI_SIGNING_KEY_SIZE);
  if (self->name == NULL || stored_key == NULL || !g_str_equal (stored_key, public_hex))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _ ("The key in “%s” is not this board’s"), key_path);
      return FALSE;
    }
  return TRUE;
}

MamoriBoard *
mamori_board_create (const char *dir, const char *name, GError **error)
{
  g_autoptr (MamoriBoard) self = g_object_new (MAMORI_TYPE_BOARD, NULL);
  g_autofree char *store_path = g_build_filename (dir, STORE_FILE, NULL);
  g_autofree char *key_path = g_build_filename (dir, KEY_FILE, NULL);
  g_autofree char *id = _mamori_board_random_hex (16);
  g_autofree char *epoch = _mamori_board_random_hex (16);
  g_autofree char *public_hex = NULL;
  guint8 *seed;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];

  if (g_file_test (store_path, G_FILE_TEST_EXISTS) || g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_EXISTS,
                   _ ("“%s” holds a board already"), dir);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot create “%s”: %s"),
                   dir, g_strerror (saved));
      return NULL;
    }
  seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  mamori_signing_generate (seed, public_key);
  if (!write_key (key_path, seed, error))
    {
      mamori_secure_free (seed);
      return NULL;
    }
  mamori_secure_free (seed);
  public_hex = mamori_hex_encode (public_key, MAMORI_SIGNING_KEY_SIZE);
  self->store = mamori_board_store_sqlite_open (store_path, TRUE, error);
  if (self->store == NULL || !mamori_board_store_begin (self->store, error))
    {
      g_unlink (key_path);
      return NULL;
    }
  if (!mamori_board_store_set_setting (self->store, "board_id", id, error)
      || !mamori_board_store_set_setting (self->store, "name", name, error)
      || !mamori_board_store_set_setting (self->store, "signing_key", public_hex, error)
      || !mamori_board_store_set_setting (self->store, "epoch", epoch, error)
      || !mamori_board_store_commit (self->store, error))
    {
      mamori_board_store_rollback (self->store);
      return NULL;
    }
  self->dir = g_strdup (dir);
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

MamoriBoard *
mamori_board_open (const char *dir, GError **error)
{
  g_autoptr (MamoriBoard) self = g_object_new (MAMORI_TYPE_BOARD, NULL);
  g_autofree char *store_path = g_build_filename (dir, STORE_FILE, NULL);

  if (!g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND,
                   _ ("“%s” holds no board (run “mamori-board init” first)"), dir);
      return NULL;
    }
  self->dir = g_strdup (dir);
  self->store = mamori_board_store_sqlite_open (store_path, FALSE, error);
  if (self->store == NULL || !load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
mamori_board_get_id (MamoriBoard *self)
{
  return self->id;
}

const char *
mamori_board_get_name (MamoriBoard *self)
{
  return self->name;
}

char *
mamori_board_get_epoch (MamoriBoard *self, GError **error)
{
  return mamori_board_store_get_setting (self->store, "epoch", error);
}

const guint8 *
mamori_board_get_public_key (MamoriBoard *self)
{
  return self->public_key;
}

MamoriBoardStore *
mamori_board_get_store (MamoriBoard *self)
{
  return self->store;
}

gboolean
mamori_board_last_seq (MamoriBoard *self, gint64 *out_seq, GError **error)
{
  return mamori_board_store_last_seq (self->store, NULL, out_seq, error);
}

gboolean
mamori_board_defer_sync (MamoriBoard *self, GError **error)
{
  return mamori_board_store_defer_sync (self->store, error);
}

gboolean
mamori_board_sync (MamoriBoard *self, GError **error)
{
  return mamori_board_store_sync (self->store, error);
}

gboolean
mamori_board_school_last_seq (MamoriBoard *self,
                              const char *school,
                              gint64 *out_seq,
                              GError **error)
{
  return mamori_board_store_last_seq (self->store, school, out_seq, error);
}

/* --- the schools' records -------------------------------------------------------------- */

MamoriSchoolFold *
_mamori_board_fold_new (MamoriBoard *self, const char *school, GError **error)
{
  MamoriSchoolFold *fold = g_new0 (MamoriSchoolFold, 1);

  fold->school = g_strdup (school);
  fold->db = g_new0 (MamoriDb, 1);
  /* "": a private temporary database on disk, gone when closed. */
  if (sqlite3_open ("", &fold->db->handle) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("Cannot open a copy of the school’s records"));
      _mamori_board_fold_free (fold);
      return NULL;
    }
  /* A cache, gone with the process: no durability to pay for, and a small page cache
   * each (a board keeps hundreds of these open; the rest is in the temporary file). */
  if (!mamori_db_exec (fold->db,
                       "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; "
                       "PRAGMA cache_size=-512",
                       error)
      || !mamori_db_migrate (fold->db, error)
      || !mamori_roster_pin_board (fold->db, self->id, self->public_key, self->name, error))
    {
      _mamori_board_fold_free (fold);
      return NULL;
    }
  return fold;
}

/* The folds are of the store as its epoch says: `drop-held` removes events and takes a
 * new epoch (mamori-board-drop.c), so a process whose folds were made before folds
 * every school again.  Only between writes: the epoch changes under no open
 * transaction, and no fold is in one of its own then. */
static gboolean
folds_current (MamoriBoard *self, GError **error)
{
  g_autofree char *epoch = mamori_board_store_get_setting (self->store, "epoch", error);

  if (epoch == NULL)
    return error == NULL || *error == NULL;
  if (self->folds_epoch != NULL && !g_str_equal (epoch, self->folds_epoch))
    {
      GHashTableIter iter;
      MamoriSchoolFold *fold;

      g_hash_table_iter_init (&iter, self->folds);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&fold))
        if (mamori_db_in_transaction (fold->db))
          return TRUE;
      g_hash_table_remove_all (self->folds);
    }
  g_free (self->folds_epoch);
  self->folds_epoch = g_steal_pointer (&epoch);
  return TRUE;
}

static MamoriSchoolFold *
fold_get (MamoriBoard *self, const char *school, GError **error)
{
  MamoriSchoolFold *fold;

  if (!folds_current (self, error))
    return NULL;
  fold = g_hash_table_lookup (self->folds, school);
  if (fold != NULL)
    return fold;
  fold = _mamori_board_fold_new (self, school, error);
  if (fold != NULL)
    g_hash_table_insert (self->folds, fold->school, fold);
  return fold;
}

MamoriEvent *
_mamori_board_parse_stored (MamoriStoredEvent *stored, GError **error)
{
  MamoriEvent *event;

  if (g_bytes_get_size (stored->sig) != MAMORI_SIGNATURE_SIZE)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, stored->seq);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("The board’s store is damaged at event %s"), number);
      return NULL;
    }
  event = mamori_event_parse (stored->payload, g_bytes_get_data (stored->sig, NULL), error);
  if (event != NULL)
    event->server_seq = stored->seq;
  return event;
}

/* Folds what the store holds for the school and the fold has not seen yet: events
 * stored by another process, or by this one before it opened the fold.  Held ones too:
 * they were stored, and acknowledged, on the strength of their chains' signatures, and
 * what comes after them continues them. */
static gboolean
fold_catch_up (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (GPtrArray) events
      = mamori_board_store_read_school (self->store, fold->school, fold->pending, error);

  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      MamoriStoredEvent *stored = events->pdata[i];
      g_autoptr (MamoriEvent) event = _mamori_board_parse_stored (stored, error);

      if (event == NULL)
        return FALSE;
      /* Checked when stored: folding them again needs no second check of signatures. */
      if (!mamori_event_log_append (fold->db, fold->school, event,
                                    MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, stored->seq);

          g_prefix_error (error,
                          _ ("The board’s store holds an event its records refuse (number %s): "),
                          number);
          return FALSE;
        }
      fold->pending = stored->seq;
    }
  return TRUE;
}

MamoriSchoolFold *
_mamori_board_fold_begin (MamoriBoard *self, const char *school, GError **error)
{
  MamoriSchoolFold *fold = fold_get (self, school, error);

  if (fold == NULL || !mamori_db_exec (fold->db, "BEGIN IMMEDIATE", error))
    return NULL;
  fold->pending = fold->applied;
  if (!fold_catch_up (self, fold, error))
    {
      _mamori_board_fold_rollback (self, fold);
      return NULL;
    }
  return fold;
}

gboolean
_mamori_board_fold_commit (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  if (!mamori_db_exec (fold->db, "COMMIT", error))
    {
      /* A cache: what it lost, it folds again from the store. */
      g_hash_table_remove (self->folds, fold->school);
      return FALSE;
    }
  fold->applied = fold->pending;
  return TRUE;
}

void
_mamori_board_fold_rollback (MamoriBoard *self, MamoriSchoolFold *fold)
{
  if (mamori_db_in_transaction (fold->db))
    sqlite3_exec (fold->db->handle, "ROLLBACK", NULL, NULL, NULL);
  fold->pending = fold->applied;
}

MamoriSchoolFold *
_mamori_board_begin (MamoriBoard *self, const char *school, GError **error)
{
  MamoriSchoolFold *fold;

  if (!mamori_board_store_begin (self->store, error))
    return NULL;
  fold = _mamori_board_fold_begin (self, school, error);
  if (fold == NULL)
    mamori_board_store_rollback (self->store);
  return fold;
}

gboolean
_mamori_board_commit (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (GError) fold_error = NULL;

  if (!mamori_board_store_commit (self->store, error))
    {
      _mamori_board_rollback (self, fold);
      return FALSE;
    }
  if (!_mamori_board_fold_commit (self, fold, &fold_error))
    g_warning ("The copy of a school’s records is folded again: %s", fold_error->message);
  return TRUE;
}

void
_mamori_board_rollback (MamoriBoard *self, MamoriSchoolFold *fold)
{
  mamori_board_store_rollback (self->store);
  _mamori_board_fold_rollback (self, fold);
}

/* The keys that may open a session for the school: every author, and every key an event
 * gives someone. */
static gboolean
note_keys (MamoriBoard *self, const MamoriEvent *event, GError **error)
{
  JsonObject *body = json_node_get_object (event->body);
  const char *hex;
  guint8 key[MAMORI_SIGNING_KEY_SIZE];

  /* The board's own key opens no session: only this process holds it. */
  if (memcmp (event->author, self->public_key, sizeof key) != 0
      && !mamori_board_store_note_key (self->store, event->author, event->school, error))
    return FALSE;
  hex = json_object_get_string_member_with_default (body, "signing_key", NULL);
  if (hex != NULL && mamori_hex_decode (hex, key, sizeof key))
    return mamori_board_store_note_key (self->store, key, event->school, error);
  return TRUE;
}

gboolean
_mamori_board_store_event (
    MamoriBoard *self, MamoriSchoolFold *fold, MamoriEvent *event, int flags, GError **error)
{
  gint64 seq;

  if (!mamori_board_store_put_event (self->store, event->school, event->id, event->payload,
                                     event->sig, &seq, error))
    return FALSE;
  event->server_seq = seq;
  if (!mamori_event_log_append (fold->db, fold->school, event, flags, error))
    return FALSE;
  fold->pending = seq;
  return note_keys (self, event, error);
}

static MamoriEvent *
sign_event (MamoriBoard *self,
            const char *school,
            gint64 head_seq,
            const guint8 *head_id,
            const char *type,
            JsonNode *body,
            GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (MamoriEvent) event = NULL;
  const guint8 *payload;
  gsize length;

  event = mamori_event_new (type, school, self->public_key, head_seq + 1,
                            head_seq > 0 ? head_id : NULL, now, body, error);
  if (event == NULL)
    return NULL;
  payload = g_bytes_get_data (event->payload, &length);
  if (!mamori_signing_sign (self->seed, self->public_key, payload, length, event->sig, error))
    return NULL;
  return g_steal_pointer (&event);
}

MamoriEvent *
_mamori_board_sign (
    MamoriBoard *self, MamoriSchoolFold *fold, const char *type, JsonNode *body, GError **error)
{
  guint8 head_id[MAMORI_EVENT_ID_SIZE];
  gint64 head_seq;

  if (!mamori_event_log_head (fold->db, fold->school, self->public_key, &head_seq, head_id, error))
    {
      json_node_unref (body);
      return NULL;
    }
  return sign_event (self, fold->school, head_seq, head_id, type, body, error);
}
