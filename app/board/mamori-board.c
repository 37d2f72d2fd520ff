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

static void
fold_free (MamoriSchoolFold *fold)
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
  G_OBJECT_CLASS (mamori_board_parent_class)->finalize (object);
}

static void
mamori_board_class_init (MamoriBoardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_board_finalize;
}

static void
mamori_board_init (MamoriBoard *self)
{
  self->folds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)fold_free);
}

static char *
random_hex (gsize n_bytes)
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
  g_autofree char *id = random_hex (16);
  g_autofree char *epoch = random_hex (16);
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
  return mamori_board_store_last_seq (self->store, out_seq, error);
}

/* --- the schools' records -------------------------------------------------------------- */

static MamoriSchoolFold *
fold_get (MamoriBoard *self, const char *school, GError **error)
{
  MamoriSchoolFold *fold = g_hash_table_lookup (self->folds, school);

  if (fold != NULL)
    return fold;
  fold = g_new0 (MamoriSchoolFold, 1);
  fold->school = g_strdup (school);
  fold->db = g_new0 (MamoriDb, 1);
  /* "": a private temporary database on disk, gone when closed. */
  if (sqlite3_open ("", &fold->db->handle) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("Cannot open a copy of the school’s records"));
      fold_free (fold);
      return NULL;
    }
  if (!mamori_db_migrate (fold->db, error)
      || !mamori_roster_pin_board (fold->db, self->id, self->public_key, self->name, error))
    {
      fold_free (fold);
      return NULL;
    }
  g_hash_table_insert (self->folds, fold->school, fold);
  return fold;
}

/* Folds what the store holds for the school and the fold has not seen yet: events
 * stored by another process, or by this one before it opened the fold. */
static gboolean
fold_catch_up (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (GPtrArray) events
      = mamori_board_store_read_events (self->store, fold->school, fold->pending, 0, error);

  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      MamoriStoredEvent *stored = events->pdata[i];
      g_autoptr (MamoriEvent) event = NULL;

      if (g_bytes_get_size (stored->sig) != MAMORI_SIGNATURE_SIZE)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, stored->seq);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("The board’s store is damaged at event %s"), number);
          return FALSE;
        }
      event = mamori_event_parse (stored->payload, g_bytes_get_data (stored->sig, NULL), error);
      if (event == NULL)
        return FALSE;
      event->server_seq = stored->seq;
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

/* --- admin ------------------------------------------------------------------------------ */

static gboolean
require_school (MamoriBoard *self, const char *school, GError **error)
{
  g_autoptr (GPtrArray) schools = mamori_board_store_list_schools (self->store, error);

  if (schools == NULL)
    return FALSE;
  for (guint i = 0; i < schools->len; i++)
    if (g_str_equal (((MamoriStoredSchool *)schools->pdata[i])->id, school))
      return TRUE;
  g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND,
               _ ("The board has no school “%s”"), school);
  return FALSE;
}

/* A school the board creates gets the policy the board published last, as every school
 * did. */
static gboolean
install_current_policy (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *body = mamori_board_store_get_setting (self->store, "policy", &local_error);

  if (body == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, body, -1, error))
    return FALSE;
  event = _mamori_board_sign (self, fold, MAMORI_EVENT_POLICY_INSTALLED,
                              json_node_copy (json_parser_get_root (parser)), error);
  return event != NULL
         && _mamori_board_store_event (self, fold, event,
                                       MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error);
}

char *
mamori_board_add_school (MamoriBoard *self, const char *name, GError **error)
{
  g_autofree char *id = random_hex (16);
  g_autoptr (MamoriEvent) event = NULL;
  MamoriSchoolFold *fold;

  fold = _mamori_board_begin (self, id, error);
  if (fold == NULL)
    return NULL;
  if (!mamori_board_store_add_school (self->store, id, name, error))
    goto fail;
  event = _mamori_board_sign (
      self, fold, MAMORI_EVENT_SCHOOL_CREATED,
      mamori_roster_school_created_by_board_body (name, self->id, self->public_key), error);
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error)
      || !install_current_policy (self, fold, error) || !_mamori_board_commit (self, fold, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  _mamori_board_rollback (self, fold);
  return NULL;
}

/* 60 random bits as 12 characters of Crockford's base32. */
static char *
new_code (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint8 bytes[8];
  guint64 bits = 0;
  char *code = g_malloc (MAMORI_BOARD_CODE_LEN + 1);

  mamori_crypto_random (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    bits = (bits << 8) | bytes[i];
  for (int i = 0; i < MAMORI_BOARD_CODE_LEN; i++)
    code[i] = alphabet[(bits >> (5 * i)) & 31];
  code[MAMORI_BOARD_CODE_LEN] = '\0';
  return code;
}

char *
mamori_board_normalize_code (const char *typed)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr (GString) code = g_string_new (NULL);

  for (const char *p = typed; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (c == 'I' || c == 'L')
        c = '1';
      else if (c == 'O')
        c = '0';
      if (strchr (alphabet, c) == NULL)
        return NULL;
      g_string_append_c (code, c);
    }
  if (code->len != MAMORI_BOARD_CODE_LEN)
    return NULL;
  return g_string_free (g_steal_pointer (&code), FALSE);
}

gboolean
mamori_board_add_staff (MamoriBoard *self,
                        const char *school,
                        const char *name,
                        MamoriRole role,
                        guint valid_days,
                        char **out_staff,
                        char **out_code,
                        GError **error)
{
  g_autofree char *staff = mamori_roster_new_staff_id ();
  g_autofree char *code = new_code ();
  g_autoptr (MamoriEvent) event = NULL;
  guint8 hash[MAMORI_EVENT_ID_SIZE];
  MamoriSchoolFold *fold;
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + (gint64)valid_days * 24 * 3600;

  if (!require_school (self, school, error))
    return FALSE;
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    return FALSE;
  mamori_event_hash ((const guint8 *)code, strlen (code), hash);
  event = _mamori_board_sign (self, fold, MAMORI_EVENT_STAFF_ADDED,
                              mamori_roster_staff_added_body (staff, name, role, NULL), error);
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
    goto fail;
  /* At the board a conflict is kept with no effect; here it means the name is in use. */
  if (event->effect != NULL)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED, "%s",
                   event->effect);
      goto fail;
    }
  if (!mamori_board_store_put_code (self->store, hash, school, staff, expires_at, error)
      || !_mamori_board_commit (self, fold, error))
    goto fail;
  *out_staff = g_steal_pointer (&staff);
  *out_code = g_strdup_printf ("%.4s-%.4s-%.4s", code, code + 4, code + 8);
  return TRUE;

fail:
  _mamori_board_rollback (self, fold);
  return FALSE;
}

/* Signs and stores one event of the board in @school; an event that would change
 * nothing is refused, naming why. */
static gboolean
board_act (MamoriBoard *self, const char *school, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  MamoriSchoolFold *fold;

  if (!require_school (self, school, error))
    {
      json_node_unref (body);
      return FALSE;
    }
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    {
      json_node_unref (body);
      return FALSE;
    }
  event = _mamori_board_sign (self, fold, type, body, error);
  if (event == NULL
      || !_mamori_board_store_event (
          self, fold, event, MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, MAMORI_BOARD_ERROR,
                     local_error->domain == MAMORI_RECORDS_ERROR ? MAMORI_BOARD_ERROR_NOT_PERMITTED
                                                                 : MAMORI_BOARD_ERROR_BAD_REQUEST,
                     "%s", local_error->message);
      _mamori_board_rollback (self, fold);
      return FALSE;
    }
  if (event->effect != NULL)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED, "%s",
                   event->effect);
      _mamori_board_rollback (self, fold);
      return FALSE;
    }
  return _mamori_board_commit (self, fold, error);
}

gboolean
mamori_board_remove_staff (MamoriBoard *self, const char *school, const char *staff, GError **error)
{
  return board_act (self, school, MAMORI_EVENT_STAFF_REMOVED,
                    mamori_roster_staff_removed_body (staff), error);
}

gboolean
mamori_board_revoke_device (MamoriBoard *self,
                            const char *school,
                            const guint8 key[MAMORI_SIGNING_KEY_SIZE],
                            GError **error)
{
  return board_act (self, school, MAMORI_EVENT_DEVICE_REVOKED,
                    mamori_roster_device_revoked_body (key), error);
}

/* The levels @fold's register uses that @policy lacks, appended to @out as "name (A, B)";
 * entries would need a mapping to move to the new levels. */
static gboolean
levels_lacking (MamoriSchoolFold *fold,
                const char *school_name,
                MamoriPolicy *policy,
                GString *out,
                GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (
      fold->db,
      "SELECT DISTINCT level FROM register_entries WHERE removed_seq IS NULL ORDER BY level",
      error);
  gboolean first = TRUE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *level = (const char *)sqlite3_column_text (stmt, 0);

      if (mamori_policy_lookup_level (policy, level) != NULL)
        continue;
      if (first)
        g_string_append_printf (out, "%s%s (%s", out->len > 0 ? "; " : "", school_name, level);
      else
        g_string_append_printf (out, ", %s", level);
      first = FALSE;
    }
  if (!first)
    g_string_append_c (out, ')');
  return rc == SQLITE_DONE || mamori_db_fail (fold->db, rc, error);
}

gboolean
mamori_board_publish_policy (MamoriBoard *self,
                             MamoriPolicy *policy,
                             guint *out_schools,
                             GError **error)
{
  g_autoptr (GPtrArray) schools = NULL;
  g_autoptr (GPtrArray) folds = g_ptr_array_new ();
  g_autoptr (JsonNode) body = mamori_policy_installed_body (policy, NULL, error);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GString) lacking = g_string_new (NULL);
  g_autofree char *body_text = NULL;

  if (body == NULL || !mamori_board_store_begin (self->store, error))
    return FALSE;
  json_generator_set_root (generator, body);
  body_text = json_generator_to_data (generator, NULL);
  schools = mamori_board_store_list_schools (self->store, error);
  if (schools == NULL || !mamori_board_store_set_setting (self->store, "policy", body_text, error))
    goto fail;
  /* One event in each school's own chain: a board-wide event (school = the board's id)
   * could not reach a school created after it, whose chain of the board's events would
   * then start past number 1 (docs/protocol.md, "Publishing a policy"). */
  for (guint i = 0; i < schools->len; i++)
    {
      g_autoptr (MamoriEvent) event = NULL;
      MamoriSchoolFold *fold
          = _mamori_board_fold_begin (self, ((MamoriStoredSchool *)schools->pdata[i])->id, error);

      if (fold == NULL)
        goto fail;
      g_ptr_array_add (folds, fold);
      if (!levels_lacking (fold, ((MamoriStoredSchool *)schools->pdata[i])->name, policy, lacking,
                           error))
        goto fail;
      event = _mamori_board_sign (self, fold, MAMORI_EVENT_POLICY_INSTALLED, json_node_copy (body),
                                  error);
      if (event == NULL
          || !_mamori_board_store_event (self, fold, event,
                                         MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
        goto fail;
    }
  if (lacking->len > 0)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED,
                   _ ("These schools’ registers use levels the policy does not have, and a "
                      "mapping to move them is not supported yet; nothing was published: %s"),
                   lacking->str);
      goto fail;
    }
  if (!mamori_board_store_commit (self->store, error))
    goto fail;
  for (guint i = 0; i < folds->len; i++)
    _mamori_board_fold_commit (self, folds->pdata[i], NULL);
  *out_schools = folds->len;
  return TRUE;

fail:
  mamori_board_store_rollback (self->store);
  for (guint i = 0; i < folds->len; i++)
    _mamori_board_fold_rollback (self, folds->pdata[i]);
  return FALSE;
}

gboolean
mamori_board_stats (MamoriBoard *self, MamoriBoardStats *out, GError **error)
{
  out->epoch = mamori_board_get_epoch (self, error);
  return out->epoch != NULL && mamori_board_store_stats (self->store, &out->store, error);
}

gboolean
mamori_board_backup (MamoriBoard *self, const char *path, GError **error)
{
  g_autofree char *epoch = random_hex (16);

  return mamori_board_store_backup (self->store, path, epoch, error);
}
