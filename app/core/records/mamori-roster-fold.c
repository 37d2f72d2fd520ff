/* mamori-roster-fold.c — the folds of the roster's events: who may sign them, and what
 * they change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-records"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-roster-private.h"

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

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID, message);
  return FALSE;
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

/* Keys nobody has held before: a key is one person's, once. */
static gboolean
check_new_keys (MamoriDb *db, const MamoriRosterKeys *keys, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = NULL;
  g_autoptr (MamoriRosterKey) held = NULL;
  g_autoptr (MamoriBoardPin) board = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean found;

  held = mamori_roster_find_key (db, keys->signing_key, &local_error);
  if (local_error == NULL)
    board = mamori_roster_get_board (db, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (held != NULL
      || (board != NULL
          && memcmp (board->signing_key, keys->signing_key, MAMORI_SIGNING_KEY_SIZE) == 0))
    return conflict (error, _ ("This signing key has already been used on the roster"));
  stmt = mamori_db_statement (db, "SELECT 1 FROM signing_keys WHERE slot_key = ?", error);
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
  return invalid (error, _ ("A name on the roster must be 1–200 characters of text without "
                            "control characters or white space at either end"));
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
      conflict (error, _ ("That person is not on the staff roster"));
      return NULL;
    }
  return g_steal_pointer (&person);
}

/* The administrators: the people with such a role, and the board once it is in. */
static gboolean
count_administrators (MamoriDb *db, gint64 *out_count, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt
      = mamori_db_statement (db,
                             "SELECT (SELECT count(*) FROM staff WHERE removed_seq IS NULL "
                             "AND role IN ('principal', 'vice-principal', 'board')) + "
                             "(SELECT count(*) FROM board WHERE joined_seq IS NOT NULL)",
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
add_key (MamoriDb *db,
         const MamoriEvent *event,
         const MamoriRosterKeys *keys,
         const char *holder,
         const char *label,
         GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "INSERT INTO signing_keys (key, holder, slot_key, label, added_seq) VALUES (?, ?, ?, ?, ?)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, keys->signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, keys->slot_key, MAMORI_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, label, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, event->seq);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
insert_person (MamoriDb *db,
               const MamoriEvent *event,
               const char *id,
               const char *name,
               MamoriRole role,
               const MamoriRosterKeys *keys,
               GError **error)
{
  g_autoptr (MamoriDbStatement) staff = NULL;
  g_autoptr (MamoriStaff) existing = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 id_bytes[16];

  if (!mamori_hex_decode (id, id_bytes, sizeof id_bytes))
    return invalid (error, _ ("A staff id must be 32 lowercase hex digits"));
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
  if (keys != NULL && !check_new_keys (db, keys, error))
    return FALSE;

  staff = mamori_db_statement (
      db, "INSERT INTO staff (id, name, role, added_seq) VALUES (?, ?, ?, ?)", error);
  if (staff == NULL)
    return FALSE;
  sqlite3_bind_text (staff, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (staff, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (staff, 3, mamori_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (staff, 4, event->seq);
  return mamori_db_step_done (db, staff, error)
         && (keys == NULL || add_key (db, event, keys, id, NULL, error));
}

/* Retires the keys of @holder still in use (@key NULL), or that one. */
static gboolean
retire_keys (MamoriDb *db, const char *holder, const guint8 *key, gint64 seq, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db,
      "UPDATE signing_keys SET retired_seq = ?1 WHERE holder = ?2 AND retired_seq IS NULL "
      "AND (?3 IS NULL OR key = ?3)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_STATIC);
  if (key != NULL)
    sqlite3_bind_blob (stmt, 3, key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error);
}

static gboolean
set_recovery (MamoriDb *db, const MamoriEvent *event, const MamoriRosterKeys *keys, GError **error)
{
  g_autoptr (MamoriDbStatement) stmt = mamori_db_statement (
      db, "INSERT OR REPLACE INTO recovery (id, slot_key, signing_key) VALUES (1, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, keys->slot_key, MAMORI_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, keys->signing_key, MAMORI_SIGNING_KEY_SIZE, SQLITE_STATIC);
  return mamori_db_step_done (db, stmt, error)
         && add_key (db, event, keys, MAMORI_ROSTER_RECOVERY_HOLDER, NULL, error);
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

/* @event is signed by the pinned board, which it names; the board comes into the school
 * with it. */
static gboolean
board_comes_in (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriBoardPin) pin = mamori_roster_get_board (db, &local_error);
  g_autoptr (MamoriDbStatement) stmt = NULL;
  JsonObject *board = body_object (event, "board", error);
  guint8 named_key[MAMORI_SIGNING_KEY_SIZE];

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (board == NULL)
    return FALSE;
  if (!mamori_hex_decode (json_object_get_string_member_with_default (board, "signing_key", ""),
                          named_key, sizeof named_key))
    return invalid (error, _ ("The board’s signing key must be 64 hex digits"));
  if (pin == NULL
      || !g_str_equal (json_object_get_string_member_with_default (board, "id", ""), pin->id)
      || memcmp (named_key, pin->signing_key, MAMORI_SIGNING_KEY_SIZE) != 0
      || memcmp (event->author, pin->signing_key, MAMORI_SIGNING_KEY_SIZE) != 0)
    return not_permitted (error, _ ("Only the board this school joined signs this, with the key "
                                    "the school pinned when it joined"));
  if (pin->joined_seq != 0)
    return conflict (error, _ ("The board is in the school already"));
  stmt = mamori_db_statement (db, "UPDATE board SET joined_seq = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->seq);
  return mamori_db_step_done (db, stmt, error);
}

/* --- the folds ------------------------------------------------------------------- */

static gboolean
fold_school_created_by_founder (MamoriDb *db,
                                const MamoriEvent *event,
                                const char *name,
                                GError **error)
{
  JsonObject *founder = body_object (event, "founder", error);
  JsonObject *recovery_object = founder != NULL ? body_object (event, "recovery", error) : NULL;
  MamoriRosterKeys founder_keys, recovery;
  MamoriRole role;

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
  return put_school (db, event, name, error) && set_recovery (db, event, &recovery, error)
         && insert_person (db, event,
                           json_object_get_string_member_with_default (founder, "staff", ""),
                           json_object_get_string_member_with_default (founder, "name", ""), role,
                           &founder_keys, error);
}

static gboolean
fold_school_created (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  const char *name = mamori_event_body_string (event, "name", error);
  gboolean exists;

  if (name == NULL || !check_name (name, error) || !mamori_roster_exists (db, &exists, error))
    return FALSE;
  if (exists)
    return not_permitted (error, _ ("The school already exists: “school-created” is the first "
                                    "event of a school’s records and only that"));
  /* A school the board creates has the board as its root, and no founder. */
  if (json_object_has_member (json_node_get_object (event->body), "board"))
    return board_comes_in (db, event, error) && put_school (db, event, name, error);
  return fold_school_created_by_founder (db, event, name, error);
}

/* @heads (the body's) names exactly the last event of every chain in the school but the
 * board's: the history the board confirms, as it stands. */
static gboolean
check_heads (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  JsonNode *node = json_object_get_member (json_node_get_object (event->body), "heads");
  g_autoptr (GArray) chains = mamori_event_log_heads (db, event->school, error);
  JsonArray *heads;
  guint n_chains = 0;

  if (chains == NULL)
    return FALSE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _ ("The body of a “school-joined” event needs “heads”"));
  heads = json_node_get_array (node);
  for (guint i = 0; i < chains->len; i++)
    {
      const MamoriChainHead *chain = &g_array_index (chains, MamoriChainHead, i);
      gboolean named = FALSE;

      if (memcmp (chain->author, event->author, MAMORI_SIGNING_KEY_SIZE) == 0)
        continue;
      n_chains++;
      for (guint h = 0; h < json_array_get_length (heads) && !named; h++)
        {
          JsonObject *head = json_array_get_object_element (heads, h);
          guint8 author[MAMORI_SIGNING_KEY_SIZE], id[MAMORI_EVENT_ID_SIZE];

          named = head != NULL
                  && mamori_hex_decode (
                      json_object_get_string_member_with_default (head, "author", ""), author,
                      sizeof author)
                  && mamori_hex_decode (json_object_get_string_member_with_default (head, "id", ""),
                                        id, sizeof id)
                  && memcmp (author, chain->author, sizeof author) == 0
                  && memcmp (id, chain->id, sizeof id) == 0
                  && json_object_get_int_member_with_default (head, "author_seq", 0)
                         == chain->author_seq;
        }
      if (!named)
        return invalid (error, _ ("The board’s confirmation does not name the school’s history "
                                  "as the records hold it"));
    }
  if (n_chains != json_array_get_length (heads))
    return invalid (error, _ ("The board’s confirmation names events the school’s records do "
                              "not hold"));
  return TRUE;
}

static gboolean
fold_school_joined (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriBoardPin) pin = mamori_roster_get_board (db, &local_error);
  gboolean exists;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!mamori_roster_exists (db, &exists, error))
    return FALSE;
  if (!exists)
    return not_permitted (error, _ ("A school joins a board with the history it has: "
                                    "“school-joined” cannot be its first event"));
  return check_heads (db, event, error) && board_comes_in (db, event, error);
}

static gboolean
fold_staff_added (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  JsonObject *body = json_node_get_object (event->body);
  gboolean has_keys
      = json_object_has_member (body, "slot_key") || json_object_has_member (body, "signing_key");
  MamoriRosterKeys keys;
  const char *id, *name;
  MamoriRole role;

  if (author == NULL || !body_role (event, &role, error)
      || (has_keys && !body_keys (event, body, &keys, error)))
    return FALSE;
  id = mamori_event_body_string (event, "staff", error);
  name = id != NULL ? mamori_event_body_string (event, "name", error) : NULL;
  if (name == NULL)
    return FALSE;
  return insert_person (db, event, id, name, role, has_keys ? &keys : NULL, error);
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
  return mamori_db_step_done (db, stmt, error)
         && retire_keys (db, person->id, NULL, event->seq, error);
}

/* The key a staff-keys-changed replaces: the one that signed it, or with the recovery
 * key, the one `replaces` names (all the person's keys without it, as first written). */
static gboolean
replaced_key (MamoriDb *db,
              const MamoriEvent *event,
              const MamoriStaff *person,
              gboolean *out_all,
              guint8 out_key[MAMORI_SIGNING_KEY_SIZE],
              GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriRosterKey) author = mamori_roster_find_key (db, event->author, &local_error);
  JsonObject *body = json_node_get_object (event->body);
  g_autoptr (MamoriRosterKey) replaced = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_all = FALSE;
  if (author != NULL && author->retired_seq == 0 && g_str_equal (author->holder, person->id))
    {
      memcpy (out_key, event->author, MAMORI_SIGNING_KEY_SIZE);
      return TRUE;
    }
  if (author == NULL || author->retired_seq != 0
      || !g_str_equal (author->holder, MAMORI_ROSTER_RECOVERY_HOLDER))
    return not_permitted (error, _ ("A person’s keys are changed by that person or with the "
                                    "recovery code only"));
  if (!json_object_has_member (body, "replaces"))
    {
      *out_all = TRUE;
      return TRUE;
    }
  if (!mamori_event_body_key (event, "replaces", out_key, error))
    return FALSE;
  replaced = mamori_roster_find_key (db, out_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (replaced == NULL || replaced->retired_seq != 0 || !g_str_equal (replaced->holder, person->id))
    return conflict (error, _ ("The key to replace is not one that person holds"));
  return TRUE;
}

static gboolean
fold_staff_keys_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) person = roster_person (db, event, error);
  g_autoptr (MamoriRosterKey) old = NULL;
  guint8 replaced[MAMORI_SIGNING_KEY_SIZE];
  MamoriRosterKeys keys;
  gboolean all;

  if (person == NULL || !body_keys (event, json_node_get_object (event->body), &keys, error)
      || !replaced_key (db, event, person, &all, replaced, error)
      || !check_new_keys (db, &keys, error))
    return FALSE;
  /* The new keys are used where the old were: they keep the computer's name. */
  if (!all)
    old = mamori_roster_find_key (db, replaced, NULL);
  return retire_keys (db, person->id, all ? NULL : replaced, event->seq, error)
         && add_key (db, event, &keys, person->id, old != NULL ? old->label : NULL, error);
}

static gboolean
fold_device_added (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  g_autoptr (MamoriStaff) person = NULL;
  MamoriRosterKeys keys;
  const char *label;

  if (author == NULL)
    return FALSE;
  person = roster_person (db, event, error);
  label = person != NULL ? mamori_event_body_string (event, "label", error) : NULL;
  if (label == NULL || !body_keys (event, json_node_get_object (event->body), &keys, error))
    return FALSE;
  if (!mamori_text_is_name (label))
    return invalid (error, _ ("A computer’s name must be 1–200 characters of text without "
                              "control characters or white space at either end"));
  return check_new_keys (db, &keys, error) && add_key (db, event, &keys, person->id, label, error);
}

static gboolean
fold_device_revoked (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  g_autoptr (MamoriRosterKey) key = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 signing_key[MAMORI_SIGNING_KEY_SIZE];

  if (author == NULL || !mamori_event_body_key (event, "signing_key", signing_key, error))
    return FALSE;
  if (memcmp (signing_key, event->author, MAMORI_SIGNING_KEY_SIZE) == 0)
    return not_permitted (error, _ ("Nobody revokes the key they sign with: ask another "
                                    "administrator"));
  key = mamori_roster_find_key (db, signing_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (key == NULL || g_str_equal (key->holder, MAMORI_ROSTER_RECOVERY_HOLDER))
    return invalid (error, _ ("That key is nobody’s on the staff roster"));
  if (key->retired_seq != 0)
    return conflict (error, _ ("That key was retired already"));
  return retire_keys (db, key->holder, signing_key, event->seq, error);
}

static gboolean
fold_recovery_changed (MamoriDb *db, const MamoriEvent *event, GError **error)
{
  g_autoptr (MamoriStaff) author = require_administrator (db, event, error);
  MamoriRosterKeys keys;

  if (author == NULL || !body_keys (event, json_node_get_object (event->body), &keys, error)
      || !check_new_keys (db, &keys, error))
    return FALSE;
  return retire_keys (db, MAMORI_ROSTER_RECOVERY_HOLDER, NULL, event->seq, error)
         && set_recovery (db, event, &keys, error);
}

static const MamoriEventHandler handlers[] = {
  { MAMORI_EVENT_SCHOOL_CREATED, fold_school_created },
  { MAMORI_EVENT_SCHOOL_JOINED, fold_school_joined },
  { MAMORI_EVENT_STAFF_ADDED, fold_staff_added },
  { MAMORI_EVENT_STAFF_ROLE_CHANGED, fold_staff_role_changed },
  { MAMORI_EVENT_STAFF_REMOVED, fold_staff_removed },
  { MAMORI_EVENT_STAFF_KEYS_CHANGED, fold_staff_keys_changed },
  { MAMORI_EVENT_DEVICE_ADDED, fold_device_added },
  { MAMORI_EVENT_DEVICE_REVOKED, fold_device_revoked },
  { MAMORI_EVENT_RECOVERY_CHANGED, fold_recovery_changed },
};

const MamoriFoldModule mamori_roster_fold_module = {
  handlers,
  G_N_ELEMENTS (handlers),
  "DELETE FROM staff; DELETE FROM signing_keys; DELETE FROM recovery;"
  "DELETE FROM meta WHERE key = 'school_id'; UPDATE board SET joined_seq = NULL;",
};
