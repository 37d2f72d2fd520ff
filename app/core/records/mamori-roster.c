/* mamori-roster.c — the school's staff roster, as signed records
 *
 * The fold keeps three tables (mamori-vault-schema.c): `staff`, one row per person ever
 * added; `signing_keys`, every signing key anyone has held, with the seq of the event
 * that retired it, so that old events keep an author to show; and `recovery`, the
 * recovery key's public keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-roster.h"
#include "mamori-text.h"

#define RECOVERY_HOLDER "recovery"

const char *const mamori_roster_event_types[] = {
  MAMORI_EVENT_SCHOOL_CREATED,
  MAMORI_EVENT_STAFF_ADDED,
  MAMORI_EVENT_STAFF_ROLE_CHANGED,
  MAMORI_EVENT_STAFF_REMOVED,
  MAMORI_EVENT_STAFF_KEYS_CHANGED,
  MAMORI_EVENT_RECOVERY_CHANGED,
  NULL,
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
  add_keys (builder, keys);
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
mamori_roster_staff_keys_changed_body (const char *id, const MamoriRosterKeys *keys)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "staff", id);
  add_keys (builder, keys);
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

/* --- reading the roster ---------------------------------------------------------- */

#define STAFF_COLUMNS "id, name, role, slot_key, signing_key, added_seq, removed_seq"

static MamoriStaff *
staff_from_row (sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (MamoriStaff) staff = g_new0 (MamoriStaff, 1);

  staff->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  staff->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  if (staff->id == NULL || staff->name == NULL
      || !mamori_role_from_string ((const char *)sqlite3_column_text (stmt, 2), &staff->role)
      || sqlite3_column_bytes (stmt, 3) != MAMORI_KEY_SIZE
      || sqlite3_column_bytes (stmt, 4) != MAMORI_SIGNING_KEY_SIZE)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The staff roster in the vault is damaged"));
      return NULL;
    }
  memcpy (staff->keys.slot_key, sqlite3_column_blob (stmt, 3), MAMORI_KEY_SIZE);
  memcpy (staff->keys.signing_key, sqlite3_column_blob (stmt, 4), MAMORI_SIGNING_KEY_SIZE);
  staff->added_seq = sqlite3_column_int64 (stmt, 5);
  staff->removed_seq = sqlite3_column_int64 (stmt, 6);
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
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT " STAFF_COLUMNS " FROM staff WHERE signing_key = ? AND removed_seq IS NULL",
      error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  return query_staff (db, stmt, error);
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

gboolean
mamori_roster_exists (MamoriDb *db, gboolean *out_exists, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (db, "SELECT 1 FROM recovery", error);

  return stmt != NULL && mamori_db_step_row (db, stmt, out_exists, error);
}

gboolean
mamori_roster_get_recovery (MamoriDb *db, MamoriRosterKeys *out_keys, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "SELECT slot_key, signing_key FROM recovery", error);
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  if (!found || sqlite3_column_bytes (stmt, 0) != MAMORI_KEY_SIZE
      || sqlite3_column_bytes (stmt, 1) != MAMORI_SIGNING_KEY_SIZE)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BROKEN_CHAIN,
                           _ ("The staff roster in the vault has no recovery key"));
      return FALSE;
    }
  memcpy (out_keys->slot_key, sqlite3_column_blob (stmt, 0), MAMORI_KEY_SIZE);
  memcpy (out_keys->signing_key, sqlite3_column_blob (stmt, 1), MAMORI_SIGNING_KEY_SIZE);
  return TRUE;
}

/* Who held @key: a staff id, RECOVERY_HOLDER, or NULL. */
static char *
key_holder (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE], gboolean *out_retired)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "SELECT holder, retired_seq FROM signing_keys WHERE key = ?", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  if (!mamori_db_step_row (db, stmt, &found, NULL) || !found)
    return NULL;
  if (out_retired != NULL)
    *out_retired = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

char *
mamori_roster_describe_key (MamoriDb *db, const guint8 key[MAMORI_SIGNING_KEY_SIZE])
{
  g_autofree char *holder = key_holder (db, key, NULL);
  g_autoptr (MamoriStaff) staff = NULL;

  if (g_strcmp0 (holder, RECOVERY_HOLDER) == 0)
    return g_strdup (_ ("the recovery code"));
  if (holder != NULL)
    staff = mamori_roster_find_by_id (db, holder, NULL);
  if (staff != NULL)
    return g_strdup_printf ("%s (%s)", staff->name, mamori_role_get_label (staff->role));
  return mamori_hex_encode (key, 6);
}

/* --- checks shared by the folds ---------------------------------------------------- */

static gboolean
not_permitted (GError **error, const char *message)
{
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED, message);
  return FALSE;
}

static gboolean
conflict (GError **error, const char *message)
{
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT, message);
  return FALSE;
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
                    "signing with a key that was replaced)"),
                 event->type);
  return NULL;
}

/* The author, who must be an administrator. */
static MamoriStaff *
require_administrator (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = mamori_roster_require_author (db, event, error);

  if (author == NULL)
    return NULL;
  if (!mamori_role_is_administrator (author->role))
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
                   _ ("%s is %s: only the principal, the vice-principal or the board of "
                      "education can change the staff roster"),
                   author->name, mamori_role_get_label (author->role));
      return NULL;
    }
  return g_steal_pointer (&author);
}

static gboolean
body_role (const MamoriEvent *event, MamoriRole *out_role, GError **error)
{
  const char *text = mamori_event_body_string (event, "role", error);

  if (text == NULL)
    return FALSE;
  if (mamori_role_from_string (text, out_role))
    return TRUE;
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID, _ ("Unknown role “%s”"),
               text);
  return FALSE;
}

static gboolean
body_keys (const MamoriEvent *event, JsonObject *object, MamoriRosterKeys *out, GError **error)
{
  const char *slot = json_object_get_string_member_with_default (object, "slot_key", NULL);
  const char *signing = json_object_get_string_member_with_default (object, "signing_key", NULL);

  if (mamori_hex_decode (slot, out->slot_key, sizeof out->slot_key)
      && mamori_hex_decode (signing, out->signing_key, sizeof out->signing_key))
    return TRUE;
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("The body of a “%s” event needs slot_key and signing_key as 64 hex digits"),
               event->type);
  return FALSE;
}

/* Keys nobody has held before: a key is one person's, once. */
static gboolean
check_new_keys (MamoriDb *db, const MamoriRosterKeys *keys, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  g_autofree char *holder = key_holder (db, keys->signing_key, NULL);
  gboolean found;

  if (holder != NULL)
    return conflict (error, _ ("This signing key has already been used on the roster"));
  stmt = mamori_db_statement (db,
                              "SELECT 1 FROM staff WHERE slot_key = ?1 "
                              "UNION ALL SELECT 1 FROM recovery WHERE slot_key = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, keys->slot_key, sizeof keys->slot_key, SQLITE_STATIC);
  if (!mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  return !found || conflict (error, _ ("This key slot has already been used on the roster"));
}

static gboolean
check_name (const char *name, GError **error)
{
  if (mamori_text_is_name (name))
    return TRUE;
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
                       _ ("A name on the roster must be 1–200 characters of text without "
                          "control characters or white space at either end"));
  return FALSE;
}

/* The person the event's "staff" names, who must be on the roster. */
static MamoriStaff *
roster_person (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  const char *id = mamori_event_body_string (event, "staff", error);
  g_autoptr (MamoriStaff) person = NULL;
  g_autoptr (GError) local_error = NULL;

  if (id == NULL)
    return NULL;
  person = mamori_roster_find_by_id (db, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (person == NULL || person->removed_seq != 0)
    {
      g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                           _ ("That person is not on the staff roster"));
      return NULL;
    }
  return g_steal_pointer (&person);
}

static gboolean
count_administrators (MamoriDb *db, gint64 *out_count, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db,
                             "SELECT count(*) FROM staff WHERE removed_seq IS NULL "
                             "AND role IN ('principal', 'vice-principal', 'board')",
                             error);
  gboolean found;

  if (stmt == NULL || !mamori_db_step_row (db, stmt, &found, error))
    return FALSE;
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* @person stops being an administrator: refused when they are the last one. */
static gboolean
check_not_last_administrator (MamoriDb *db, const MamoriStaff *person, GError **error)
{
  gint64 n;

  if (!mamori_role_is_administrator (person->role))
    return TRUE;
  if (!count_administrators (db, &n, error))
    return FALSE;
  if (n > 1)
    return TRUE;
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED,
               _ ("%s is the school’s last administrator: add another principal, "
                  "vice-principal or board member first"),
               person->name);
  return FALSE;
}

/* --- writing the roster ---------------------------------------------------------- */

static gboolean
insert_person (MamoriDb *db,
               const MamoriEvent *event,
               const char *id,
               const char *name,
               MamoriRole role,
               const MamoriRosterKeys *keys,
               GError **error)
{
  g_autoptr (MamoriDbStatement) staff = NULL, key = NULL;
  g_autoptr (MamoriStaff) existing = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 id_bytes[16];

  if (!mamori_hex_decode (id, id_bytes, sizeof id_bytes))
    return conflict (error, _ ("A staff id must be 32 lowercase hex digits"));
  if (!check_name (name, error))
    return FALSE;
  existing = mamori_roster_find_by_id (db, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    return conflict (error, _ ("This staff id is already on the roster"));
  existing = mamori_roster_find_by_name (db, name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT,
                   _ ("%s is already on the staff roster"), name);
      return FALSE;
    }
  if (!check_new_keys (db, keys, error))
    return FALSE;

  staff
      = mamori_db_statement (db,
                             "INSERT INTO staff (id, name, role, slot_key, signing_key, added_seq) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             error);
  key = mamori_db_statement (db, "INSERT INTO signing_keys (key, holder) VALUES (?, ?)", error);
  if (staff == NULL || key == NULL)
    return FALSE;
  sqlite3_bind_text (staff, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (staff, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (staff, 3, mamori_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_blob (staff, 4, keys->slot_key, MAMORI_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (staff, 5, keys->signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (staff, 6, event->seq);
  sqlite3_bind_blob (key, 1, keys->signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (key, 2, id, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, staff, error) && mamori_db_step_done (db, key, error);
}

/* Retires the signing keys of @holder that are still in use. */
static gboolean
retire_keys (MamoriDb *db, const char *holder, gint64 seq, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "UPDATE signing_keys SET retired_seq = ? WHERE holder = ? AND retired_seq IS NULL",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
add_key (MamoriDb *db, const guint8 *key, const char *holder, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db, "INSERT INTO signing_keys (key, holder) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
set_recovery (MamoriDb *db, const MamoriRosterKeys *keys, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "INSERT OR REPLACE INTO recovery (id, slot_key, signing_key) VALUES (1, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, keys->slot_key, MAMORI_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, keys->signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error)
         && add_key (db, keys->signing_key, RECOVERY_HOLDER, error);
}

/* --- the folds ------------------------------------------------------------------- */

static JsonObject *
body_object (const MamoriEvent *event, const char *member_name, GError **error)
{
  JsonObject *body = json_node_get_object (event->body);
  JsonNode *node = json_object_get_member (body, member_name);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  g_set_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID,
               _ ("The body of a “%s” event needs “%s”"), event->type, member_name);
  return NULL;
}

/* The school's name and id, as its first event gives them. */
static gboolean
put_school (MamoriDb *db, const MamoriEvent *event, const char *name, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('school', ?), ('school_id', ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->school, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
fold_school_created (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  const char *name = mamori_event_body_string (event, "name", error);
  JsonObject *founder, *recovery_object;
  MamoriRosterKeys founder_keys, recovery;
  MamoriRole role;
  gboolean exists;

  if (name == NULL || !check_name (name, error) || !mamori_roster_exists (db, &exists, error))
    return FALSE;
  if (exists)
    return not_permitted (error, _ ("The school already exists: “school-created” is the first "
                                    "event of a school’s records and only that"));
  founder = body_object (event, "founder", error);
  recovery_object = founder != NULL ? body_object (event, "recovery", error) : NULL;
  if (recovery_object == NULL || !body_keys (event, founder, &founder_keys, error)
      || !body_keys (event, recovery_object, &recovery, error))
    return FALSE;
  if (!mamori_role_from_string (json_object_get_string_member_with_default (founder, "role", ""),
                                &role)
      || !mamori_role_is_administrator (role))
    return not_permitted (error, _ ("A school is created by its principal, vice-principal or "
                                    "board of education"));
  /* The root of trust signs for itself. */
  if (memcmp (founder_keys.signing_key, event->author, MAMORI_SIGNING_KEY_SIZE) != 0)
    return not_permitted (error, _ ("“school-created” must be signed by the administrator it "
                                    "names"));
  return put_school (db, event, name, error) && set_recovery (db, &recovery, error)
         && insert_person (db, event,
                           json_object_get_string_member_with_default (founder, "staff", ""),
                           json_object_get_string_member_with_default (founder, "name", ""), role,
                           &founder_keys, error);
}

static gboolean
fold_staff_added (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  JsonObject *body = json_node_get_object (event->body);
  MamoriRosterKeys keys;
  const char *id, *name;
  MamoriRole role;

  if (author == NULL || !body_role (event, &role, error) || !body_keys (event, body, &keys, error))
    return FALSE;
  id = mamori_event_body_string (event, "staff", error);
  name = id != NULL ? mamori_event_body_string (event, "name", error) : NULL;
  if (name == NULL)
    return FALSE;
  return insert_person (db, event, id, name, role, &keys, error);
}

static gboolean
fold_staff_role_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  g_autoptr (MamoriStaff) person = NULL;
  g_autoptr (MamoriDbStatement) stmt = NULL;
  MamoriRole role;

  if (author == NULL || !body_role (event, &role, error))
    return FALSE;
  person = roster_person (db, event, error);
  if (person == NULL)
    return FALSE;
  if (g_str_equal (person->id, author->id))
    return not_permitted (error, _ ("Nobody can change their own role: ask another "
                                    "administrator"));
  if (role == person->role)
    return conflict (error, _ ("That person already has this role"));
  if (!mamori_role_is_administrator (role) && !check_not_last_administrator (db, person, error))
    return FALSE;

  stmt = mamori_db_statement (db, "UPDATE staff SET role = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, mamori_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, person->id, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
fold_staff_removed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  g_autoptr (MamoriStaff) person = NULL;
  g_autoptr (MamoriDbStatement) stmt = NULL;

  if (author == NULL)
    return FALSE;
  person = roster_person (db, event, error);
  if (person == NULL || !check_not_last_administrator (db, person, error))
    return FALSE;

  stmt = mamori_db_statement (db, "UPDATE staff SET removed_seq = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  sqlite3_bind_text (stmt, 2, person->id, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error) && retire_keys (db, person->id, event->seq, error);
}

static gboolean
fold_staff_keys_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) person = roster_person (db, event, error);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  MamoriRosterKeys keys, recovery;

  if (person == NULL || !body_keys (event, json_node_get_object (event->body), &keys, error)
      || !mamori_roster_get_recovery (db, &recovery, error))
    return FALSE;
  /* The person themselves (a new passphrase), or the recovery code (a forgotten one). */
  if (memcmp (event->author, person->keys.signing_key, MAMORI_SIGNING_KEY_SIZE) != 0
      && memcmp (event->author, recovery.signing_key, MAMORI_SIGNING_KEY_SIZE) != 0)
    return not_permitted (error, _ ("A person’s keys are changed by that person or with the "
                                    "recovery code only"));
  if (!check_new_keys (db, &keys, error))
    return FALSE;

  stmt = mamori_db_statement (db, "UPDATE staff SET slot_key = ?, signing_key = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, keys.slot_key, MAMORI_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, keys.signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, person->id, -1, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error) && retire_keys (db, person->id, event->seq, error)
         && add_key (db, keys.signing_key, person->id, error);
}

static gboolean
fold_recovery_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  MamoriRosterKeys keys;

  if (author == NULL || !body_keys (event, json_node_get_object (event->body), &keys, error)
      || !check_new_keys (db, &keys, error))
    return FALSE;
  return retire_keys (db, RECOVERY_HOLDER, event->seq, error) && set_recovery (db, &keys, error);
}

static const MamoriEventHandler handlers[] = {
  { MAMORI_EVENT_SCHOOL_CREATED, fold_school_created },
  { MAMORI_EVENT_STAFF_ADDED, fold_staff_added },
  { MAMORI_EVENT_STAFF_ROLE_CHANGED, fold_staff_role_changed },
  { MAMORI_EVENT_STAFF_REMOVED, fold_staff_removed },
  { MAMORI_EVENT_STAFF_KEYS_CHANGED, fold_staff_keys_changed },
  { MAMORI_EVENT_RECOVERY_CHANGED, fold_recovery_changed },
};

const MamoriFoldModule mamori_roster_fold_module = {
  handlers,
  G_N_ELEMENTS (handlers),
  "DELETE FROM staff; DELETE FROM signing_keys; DELETE FROM recovery;",
};
