/* mamori-roster.c — the school's staff roster, as signed records: the event bodies and
 * reading the roster (the folds are in mamori-roster-fold.c)
 *
 * The fold keeps four tables (mamori-vault-schema.c): `staff`, one row per person ever
 * added; `signing_keys`, every signing key anyone has held, with its slot key and the seq
 * of the event that retired it, so that old events keep an author to show; `recovery`,
 * the recovery key's public keys; and `board`, the board the school joined.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-roster-private.h"

const char *const mamori_roster_event_types[] = {
  MAMORI_EVENT_SCHOOL_CREATED,   MAMORI_EVENT_SCHOOL_JOINED,
  MAMORI_EVENT_STAFF_ADDED,      MAMORI_EVENT_STAFF_ROLE_CHANGED,
  MAMORI_EVENT_STAFF_REMOVED,    MAMORI_EVENT_STAFF_KEYS_CHANGED,
  MAMORI_EVENT_DEVICE_ADDED,     MAMORI_EVENT_DEVICE_REVOKED,
  MAMORI_EVENT_RECOVERY_CHANGED, NULL,
};

void
mamori_staff_free (MamoriStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff);
}

void
mamori_roster_key_free (MamoriRosterKey *key)
{
  if (key == NULL)
    return;
  g_free (key->holder);
  g_free (key->label);
  g_free (key);
}

void
mamori_board_pin_free (MamoriBoardPin *pin)
{
  if (pin == NULL)
    return;
  g_free (pin->id);
  g_free (pin->name);
  g_free (pin);
}

char *
mamori_roster_new_staff_id (void)
{
  guint8 bytes[16];

  /* Unique, not secret: a nonce, not key material. */
  gcry_create_nonce (bytes, sizeof bytes);
  return mamori_hex_encode (bytes, sizeof bytes);
}

/* --- bodies ---------------------------------------------------------------------- */

static void
add_hex (JsonBuilder *builder, const char *member, const guint8 *bytes, gsize len)
{
  g_autofree char *hex = mamori_hex_encode (bytes, len);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, hex);
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_keys (JsonBuilder *builder, const MamoriRosterKeys *keys)
{
  add_hex (builder, "slot_key", keys->slot_key, sizeof keys->slot_key);
  add_hex (builder, "signing_key", keys->signing_key, sizeof keys->signing_key);
}

static void
add_person (JsonBuilder *builder,
            const char *id,
            const char *name,
            MamoriRole role,
            const MamoriRosterKeys *keys)
{
  add_string (builder, "staff", id);
  add_string (builder, "name", name);
  add_string (builder, "role", mamori_role_to_string (role));
  if (keys != NULL)
    add_keys (builder, keys);
}

static void
add_board (JsonBuilder *builder, const char *board_id, const guint8 *board_key)
{
  json_builder_set_member_name (builder, "board");
  json_builder_begin_object (builder);
  add_string (builder, "id", board_id);
  add_hex (builder, "signing_key", board_key, MAMORI_SIGNING_KEY_SIZE);
  json_builder_end_object (builder);
}

JsonNode *
mamori_roster_school_created_body (const char *school_name,
                                   const char *founder_id,
                                   const char *founder_name,
                                   MamoriRole founder_role,
                                   const MamoriRosterKeys *founder,
                                   const MamoriRosterKeys *recovery)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "name", school_name);
  json_builder_set_member_name (builder, "founder");
  json_builder_begin_object (builder);
  add_person (builder, founder_id, founder_name, founder_role, founder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "recovery");
  json_builder_begin_object (builder);
  add_keys (builder, recovery);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_school_created_by_board_body (const char *school_name,
                                            const char *board_id,
                                            const guint8 board_key[MAMORI_SIGNING_KEY_SIZE])
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "name", school_name);
  add_board (builder, board_id, board_key);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_school_joined_body (const char *board_id,
                                  const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                                  GArray *heads)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_board (builder, board_id, board_key);
  json_builder_set_member_name (builder, "heads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < heads->len; i++)
    {
      const MamoriChainHead *head = &g_array_index (heads, MamoriChainHead, i);

      json_builder_begin_object (builder);
      add_hex (builder, "author", head->author, sizeof head->author);
      json_builder_set_member_name (builder, "author_seq");
      json_builder_add_int_value (builder, head->author_seq);
      add_hex (builder, "id", head->id, sizeof head->id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_staff_added_body (const char *id,
                                const char *name,
                                MamoriRole role,
                                const MamoriRosterKeys *keys)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_person (builder, id, name, role, keys);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_device_added_body (const char *id, const MamoriRosterKeys *keys, const char *label)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "staff", id);
  add_keys (builder, keys);
  add_string (builder, "label", label);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_device_revoked_body (const guint8 signing_key[MAMORI_SIGNING_KEY_SIZE])
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_hex (builder, "signing_key", signing_key, MAMORI_SIGNING_KEY_SIZE);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_staff_role_changed_body (const char *id, MamoriRole role)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "staff", id);
  add_string (builder, "role", mamori_role_to_string (role));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_staff_removed_body (const char *id)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "staff", id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_staff_keys_changed_body (const char *id,
                                       const MamoriRosterKeys *keys,
                                       const guint8 *replaces)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "staff", id);
  add_keys (builder, keys);
  if (replaces != NULL)
    add_hex (builder, "replaces", replaces, MAMORI_SIGNING_KEY_SIZE);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
mamori_roster_recovery_changed_body (const MamoriRosterKeys *keys)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_keys (builder, keys);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- the board ----------------------------------------------------------------------- */

MamoriBoardPin *
mamori_roster_get_board (MamoriDb *db, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT board_id, signing_key, name, joined_seq FROM board", error);
  g_autoptr (MamoriBoardPin) pin = NULL;
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error) || !found)
    return NULL;
  if (sqlite3_column_bytes (stmt, 1) != MAMORI_SIGNING_KEY_SIZE)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The board the school joined is stored damaged"));
      return NULL;
    }
  pin = g_new0 (MamoriBoardPin, 1);
  pin->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  memcpy (pin->signing_key, sqlite3_column_blob (stmt, 1), MAMORI_SIGNING_KEY_SIZE);
  pin->name = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  pin->joined_seq = sqlite3_column_int64 (stmt, 3);
  return g_steal_pointer (&pin);
}

gboolean
mamori_roster_pin_board (MamoriDb *db,
                         const char *board_id,
                         const guint8 board_key[MAMORI_SIGNING_KEY_SIZE],
                         const char *name,
                         GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriBoardPin) pinned = mamori_roster_get_board (db, &local_error);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  guint8 id_bytes[MAMORI_SCHOOL_ID_LEN / 2];

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (strlen (board_id) != MAMORI_SCHOOL_ID_LEN
      || !mamori_hex_decode (board_id, id_bytes, sizeof id_bytes) || !mamori_text_is_name (name))
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                           _ ("A board is named by 32 hex digits and a name"));
      return FALSE;
    }
  if (pinned != NULL)
    {
      if (g_str_equal (pinned->id, board_id)
          && memcmp (pinned->signing_key, board_key, MAMORI_SIGNING_KEY_SIZE) == 0)
        return TRUE;
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("The school has joined another board (%s) already"), pinned->name);
      return FALSE;
    }
  stmt = mamori_db_statement (
      db, "INSERT INTO board (id, board_id, signing_key, name) VALUES (1, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, board_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, board_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

/* The board as a person on the roster, once its first event in the school is folded;
 * NULL without an error otherwise. */
static MamoriStaff *
board_as_staff (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error)
{
  g_autoptr (MamoriBoardPin) pin = mamori_roster_get_board (db, error);
  MamoriStaff *board;

  if (pin == NULL || pin->joined_seq == 0
      || memcmp (pin->signing_key, key, MAMORI_SIGNING_KEY_SIZE) != 0)
    return NULL;
  board = g_new0 (MamoriStaff, 1);
  board->id = g_strdup (MAMORI_ROSTER_BOARD_ID);
  board->name = g_strdup (pin->name);
  board->role = MAMORI_ROLE_BOARD;
  board->added_seq = pin->joined_seq;
  return board;
}

/* --- reading the roster ---------------------------------------------------------- */

#define STAFF_COLUMNS "staff.id, staff.name, staff.role, staff.added_seq, staff.removed_seq"

static MamoriStaff *
staff_from_row (sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (MamoriStaff) staff = g_new0 (MamoriStaff, 1);

  staff->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  staff->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  if (staff->id == NULL || staff->name == NULL
      || !mamori_role_from_string ((const char *)sqlite3_column_text (stmt, 2), &staff->role))
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The staff roster in the vault is damaged"));
      return NULL;
    }
  staff->added_seq = sqlite3_column_int64 (stmt, 3);
  staff->removed_seq = sqlite3_column_int64 (stmt, 4);
  return g_steal_pointer (&staff);
}

/* The one row @stmt (bound by the caller) finds, or NULL without an error. */
static MamoriStaff *
query_staff (MamoriDb *db, sqlite3_stmt *stmt, GError **error)
{
  gboolean found;

  if (!mamori_db_step_row (db, stmt, &found, error) || !found)
    return NULL;
  return staff_from_row (stmt, error);
}

MamoriStaff *
mamori_roster_find_by_name (MamoriDb *db, const char *name, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT " STAFF_COLUMNS " FROM staff WHERE name = ? AND removed_seq IS NULL", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return query_staff (db, stmt, error);
}

MamoriStaff *
mamori_roster_find_by_id (MamoriDb *db, const char *id, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT " STAFF_COLUMNS " FROM staff WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return query_staff (db, stmt, error);
}

MamoriStaff *
mamori_roster_find_signer (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db,
                             "SELECT " STAFF_COLUMNS " FROM staff JOIN signing_keys ON holder = id "
                             "WHERE key = ? AND retired_seq IS NULL AND removed_seq IS NULL",
                             error);
  g_autoptr (GError) local_error = NULL;
  MamoriStaff *staff;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  staff = query_staff (db, stmt, &local_error);
  if (staff != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return staff;
    }
  return board_as_staff (db, key, error);
}

GPtrArray *
mamori_roster_list (MamoriDb *db, gboolean include_removed, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_staff_free);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  int rc;

  stmt = mamori_db_statement (db,
                              include_removed
                                  ? "SELECT " STAFF_COLUMNS " FROM staff ORDER BY added_seq"
                                  : "SELECT " STAFF_COLUMNS " FROM staff WHERE removed_seq IS NULL "
                                    "ORDER BY added_seq",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MamoriStaff *staff = staff_from_row (stmt, error);

      if (staff == NULL)
        return NULL;
      g_ptr_array_add (list, staff);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

#define KEY_COLUMNS "key, holder, slot_key, label, added_seq, retired_seq"

static MamoriRosterKey *
key_from_row (sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (MamoriRosterKey) key = g_new0 (MamoriRosterKey, 1);

  key->holder = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  key->has_slot_key = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
  if (key->holder == NULL || sqlite3_column_bytes (stmt, 0) != MAMORI_SIGNING_KEY_SIZE
      || (key->has_slot_key && sqlite3_column_bytes (stmt, 2) != MAMORI_KEY_SIZE))
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The staff roster in the vault is damaged"));
      return NULL;
    }
  memcpy (key->keys.signing_key, sqlite3_column_blob (stmt, 0), MAMORI_SIGNING_KEY_SIZE);
  if (key->has_slot_key)
    memcpy (key->keys.slot_key, sqlite3_column_blob (stmt, 2), MAMORI_KEY_SIZE);
  key->label = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  key->added_seq = sqlite3_column_int64 (stmt, 4);
  key->retired_seq = sqlite3_column_int64 (stmt, 5);
  return g_steal_pointer (&key);
}

MamoriRosterKey *
mamori_roster_find_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT " KEY_COLUMNS " FROM signing_keys WHERE key = ?", error);
  gboolean found;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  if (!mamori_db_step_row (db, stmt, &found, error) || !found)
    return NULL;
  return key_from_row (stmt, error);
}

GPtrArray *
mamori_roster_list_keys (MamoriDb *db,
                         const char *staff_id,
                         gboolean include_retired,
                         GError **error)
{
  g_autoptr (GPtrArray) keys
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_roster_key_free);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  int rc;

  stmt = mamori_db_statement (db,
                              include_retired
                                  ? "SELECT " KEY_COLUMNS " FROM signing_keys WHERE holder = ? "
                                    "ORDER BY added_seq"
                                  : "SELECT " KEY_COLUMNS " FROM signing_keys WHERE holder = ? "
                                    "AND retired_seq IS NULL ORDER BY added_seq",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, staff_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MamoriRosterKey *key = key_from_row (stmt, error);

      if (key == NULL)
        return NULL;
      g_ptr_array_add (keys, key);
    }
  if (rc != SQLITE_DONE)
    {
      mamori_db_fail (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

gboolean
mamori_roster_exists (MamoriDb *db, gboolean *out_exists, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT 1 FROM meta WHERE key = 'school_id'", error);

  return stmt != NULL && mamori_db_step_row (db, stmt, out_exists, error);
}

gboolean
mamori_roster_get_recovery (MamoriDb *db,
                            MamoriRosterKeys *out_keys,
                            gboolean *out_found,
                            GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT slot_key, signing_key FROM recovery", error);

  if (stmt == NULL || !mamori_db_step_row (db, stmt, out_found, error))
    return FALSE;
  if (!*out_found)
    return TRUE;
  if (sqlite3_column_bytes (stmt, 0) != MAMORI_KEY_SIZE
      || sqlite3_column_bytes (stmt, 1) != MAMORI_SIGNING_KEY_SIZE)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The recovery key on the staff roster is damaged"));
      return FALSE;
    }
  memcpy (out_keys->slot_key, sqlite3_column_blob (stmt, 0), MAMORI_KEY_SIZE);
  memcpy (out_keys->signing_key, sqlite3_column_blob (stmt, 1), MAMORI_SIGNING_KEY_SIZE);
  return TRUE;
}

char *
mamori_roster_describe_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE])
{
  g_autoptr (MamoriRosterKey) held = mamori_roster_find_key (db, key, NULL);
  g_autoptr (MamoriBoardPin) board = NULL;
  g_autoptr (MamoriStaff) staff = NULL;

  if (held != NULL && g_str_equal (held->holder, MAMORI_ROSTER_RECOVERY_HOLDER))
    return g_strdup (_ ("the recovery code"));
  if (held != NULL)
    staff = mamori_roster_find_by_id (db, held->holder, NULL);
  if (staff != NULL)
    return g_strdup_printf ("%s (%s)", staff->name, mamori_role_get_label (staff->role));
  board = mamori_roster_get_board (db, NULL);
  if (board != NULL && memcmp (board->signing_key, key, MAMORI_SIGNING_KEY_SIZE) == 0)
    return g_strdup_printf ("%s (%s)", board->name, mamori_role_get_label (MAMORI_ROLE_BOARD));
  return mamori_hex_encode (key, 6);
}

MamoriStaff *
mamori_roster_require_author (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  MamoriStaff *author = mamori_roster_find_signer (db, event->author, &local_error);

  if (author != NULL)
    return author;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
                 _ ("The author of this “%s” event is not on the staff roster (removed, or "
                    "signing with a key that was replaced or revoked)"),
                 event->type);
  return NULL;
}
