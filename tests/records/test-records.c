/* test-records.c — the signed event log: canonical payloads, every refusal, chains checked
 * after reopening, a property test of random valid sequences and single-byte changes,
 * and the fold rebuilt from the log
 *
 * The events are signed here with a key this test holds: the vault's first
 * administrator adds that key to the roster as a vice-principal, so it may sign roster
 * events, and every check of the log applies to them as to any other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-canonical-json.h"
#include "mamori-event-log.h"
#include "mamori-roster.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

static const char founder_pass[] = "records test founder";

typedef struct
{
  char *dir;
  char *path;
  MamoriVault *vault;
  MamoriDb *db;
  const char *school;
  guint8 *seed; /* the test's own signing key, secure memory */
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
} Fixture;

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* Keys for a new person, whose secrets nobody keeps. */
static void
random_keys (MamoriRosterKeys *keys)
{
  mamori_crypto_random (keys->slot_key, sizeof keys->slot_key);
  mamori_crypto_random (keys->signing_key, sizeof keys->signing_key);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriEvent) added = NULL;
  g_autofree char *id = mamori_roster_new_staff_id ();
  MamoriRosterKeys keys;

  f->dir = vfs_test_make_dir ();
  f->path = g_build_filename (f->dir, "school.mamori", NULL);
  f->vault = mamori_vault_create (f->path, "記録テスト小学校", "山田", MAMORI_ROLE_PRINCIPAL,
                                  founder_pass, forget_code, NULL, &error);
  g_assert_no_error (error);
  f->db = mamori_vault_get_store (f->vault);
  f->school = mamori_vault_get_school_id (f->vault);

  f->seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  mamori_signing_generate (f->seed, f->public_key);
  mamori_crypto_random (keys.slot_key, sizeof keys.slot_key);
  memcpy (keys.signing_key, f->public_key, sizeof keys.signing_key);
  added = mamori_vault_append_event (
      f->vault, MAMORI_EVENT_STAFF_ADDED,
      mamori_roster_staff_added_body (id, "試験 管理者", MAMORI_ROLE_VICE_PRINCIPAL, &keys),
      &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  mamori_secure_free (f->seed);
  g_assert_finalize_object (f->vault);
  vfs_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* An event of @type by @seed's key, numbered @seq after @prev, signed. */
static MamoriEvent *
sign_event (const guint8 *seed,
            const guint8 *public_key,
            const char *school,
            const char *type,
            gint64 seq,
            const guint8 *prev,
            JsonNode *body)
{
  g_autoptr (GDateTime) time = g_date_time_new_utc (2026, 4, 1, 9, 0, 0);
  g_autoptr (GError) error = NULL;
  MamoriEvent *event = mamori_event_new (type, school, public_key, seq, prev, time, body, &error);
  gsize length;
  const guint8 *payload;

  g_assert_no_error (error);
  payload = g_bytes_get_data (event->payload, &length);
  g_assert_true (mamori_signing_sign (seed, public_key, payload, length, event->sig, &error));
  return event;
}

/* The next event of the test's own chain. */
static MamoriEvent *
next_event (Fixture *f, const char *type, JsonNode *body)
{
  g_autoptr (GError) error = NULL;
  guint8 head_id[MAMORI_EVENT_ID_SIZE];
  gint64 head_seq;

  g_assert_true (
      mamori_event_log_head (f->db, f->school, f->public_key, &head_seq, head_id, &error));
  return sign_event (f->seed, f->public_key, f->school, type, head_seq + 1,
                     head_seq > 0 ? head_id : NULL, body);
}

static JsonNode *
new_person_body (const char *name, MamoriRole role)
{
  g_autofree char *id = mamori_roster_new_staff_id ();
  MamoriRosterKeys keys;

  random_keys (&keys);
  return mamori_roster_staff_added_body (id, name, role, &keys);
}

static void
append_ok (Fixture *f, MamoriEvent *event)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mamori_db_exec (f->db, "BEGIN IMMEDIATE", &error));
  g_assert_true (mamori_event_log_append (f->db, f->school, event, MAMORI_APPEND_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (f->db, "COMMIT", &error));
  g_assert_cmpint (event->seq, >, 0);
}

static gint64
count (Fixture *f, const char *sql)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db->handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* Refused with @code and the records exactly as they were. */
static void
append_refused (Fixture *f, MamoriEvent *event, int code, const char *in_message)
{
  g_autoptr (GError) error = NULL;
  gint64 events = count (f, "SELECT count(*) FROM events");
  gint64 staff = count (f, "SELECT count(*) FROM staff");
  gint64 keys = count (f, "SELECT count(*) FROM signing_keys");

  g_assert_true (mamori_db_exec (f->db, "BEGIN IMMEDIATE", &error));
  g_assert_false (mamori_event_log_append (f->db, f->school, event, MAMORI_APPEND_DEFAULT, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” is not in “%s”", in_message, error->message);
  g_clear_error (&error);
  g_assert_true (mamori_db_exec (f->db, "COMMIT", &error));
  g_assert_cmpint (event->seq, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events"), ==, events);
  g_assert_cmpint (count (f, "SELECT count(*) FROM staff"), ==, staff);
  g_assert_cmpint (count (f, "SELECT count(*) FROM signing_keys"), ==, keys);
}

/* --- canonical payloads ------------------------------------------------------------------ */

static char *
canonical (const char *json)
{
  g_autoptr (JsonNode) node = parse_json (json);
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_true (mamori_canonical_json_append (out, node));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_canonical_json (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "{ \"b\" : 1, \"a\" : [true, false, null] }", "{\"a\":[true,false,null],\"b\":1}" },
    /* Members by code point: "Z" < "a" < "あ". */
    { "{\"あ\":1,\"a\":2,\"Z\":3}", "{\"Z\":3,\"a\":2,\"あ\":1}" },
    { "{\"s\":\"tab\\tnl\\ncr\\rq\\\"bs\\\\\\u0001\\u001f/\"}",
      "{\"s\":\"tab\\tnl\\ncr\\rq\\\"bs\\\\\\u0001\\u001f/\"}" },
    /* Non-ASCII stays UTF-8, however the input escaped it. */
    { "{\"s\":\"\\u901a\\u77e5\\u8868\"}", "{\"s\":\"通知表\"}" },
    { "{\"n\":-42,\"big\":9007199254740993}", "{\"big\":9007199254740993,\"n\":-42}" },
    { "{\"nested\":{\"y\":{\"b\":1,\"a\":2},\"x\":[]}}",
      "{\"nested\":{\"x\":[],\"y\":{\"a\":2,\"b\":1}}}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = canonical (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  /* Fractions have no single decimal form. */
  {
    g_autoptr (JsonNode) node = parse_json ("{\"x\":1.5}");
    g_autoptr (GString) out = g_string_new (NULL);

    g_assert_false (mamori_canonical_json_append (out, node));
  }
}

/* The exact bytes of a known event: a change to the payload format shows here first. */
static void
test_payload_bytes (void)
{
  g_autoptr (GDateTime) time = g_date_time_new_utc (2026, 4, 1, 9, 30, 5);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriEvent) event = NULL, parsed = NULL;
  g_autofree char *id = NULL, *checksum = NULL;
  guint8 author[MAMORI_SIGNING_KEY_SIZE], prev[MAMORI_EVENT_ID_SIZE];
  static const char expected[]
      = "{\"v\":1,\"type\":\"staff-removed\",\"school\":\"00112233445566778899aabbccddeeff\","
        "\"author\":\"0101010101010101010101010101010101010101010101010101010101010101\","
        "\"author_seq\":2,"
        "\"prev\":\"0202020202020202020202020202020202020202020202020202020202020202\","
        "\"created_at\":\"2026-04-01T09:30:05Z\",\"body\":{\"note\":\"退職\",\"staff\":\"s1\"}}";
  guint8 sig[MAMORI_SIGNATURE_SIZE] = { 0 };
  gsize length;

  memset (author, 1, sizeof author);
  memset (prev, 2, sizeof prev);
  event = mamori_event_new ("staff-removed", "00112233445566778899aabbccddeeff", author, 2, prev,
                            time, parse_json ("{\"staff\":\"s1\",\"note\":\"退職\"}"), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (event->payload, &length), length, expected, strlen (expected));
  id = mamori_hex_encode (event->id, sizeof event->id);
  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);
  g_assert_cmpstr (id, ==, checksum);

  /* Parsing gives the same event back. */
  parsed = mamori_event_parse (event->payload, sig, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (parsed->id, sizeof parsed->id, event->id, sizeof event->id);
  g_assert_cmpstr (parsed->type, ==, "staff-removed");
  g_assert_cmpint (parsed->author_seq, ==, 2);
  g_assert_true (parsed->has_prev);
  g_assert_cmpstr (parsed->created_at, ==, "2026-04-01T09:30:05Z");
}

/* Every other way to write the same event is refused: one meaning, one form. */
static void
test_parse_refuses (void)
{
  static const char good[]
      = "{\"v\":1,\"type\":\"staff-removed\",\"school\":\"00112233445566778899aabbccddeeff\","
        "\"author\":\"0101010101010101010101010101010101010101010101010101010101010101\","
        "\"author_seq\":1,\"prev\":null,\"created_at\":\"2026-04-01T09:30:05Z\","
        "\"body\":{\"staff\":\"s1\"}}";
  static const struct
  {
    const char *from, *to;
  } edits[] = {
    { "{\"v\":1,", "{ \"v\":1," }, /* white space */
    { "\"body\":{\"staff\":\"s1\"}", "\"body\":{\"staff\":\"s1\",\"staff\":\"s2\"}" },
    { "\"s1\"", "\"\\u0073\\u0031\"" },           /* an escape where none is needed */
    { "\"author_seq\":1", "\"author_seq\":01" },  /* not JSON at all */
    { "\"author_seq\":1", "\"author_seq\":1.0" }, /* a fraction */
    { "\"v\":1", "\"v\":2" },                     /* a newer format */
    { "\"prev\":null", "\"prev\":\"00\"" },       /* a prev that is no id */
    { "\"author_seq\":1,\"prev\":null", "\"author_seq\":2,\"prev\":null" },
    { "2026-04-01T09:30:05Z", "2026-04-31T09:30:05Z" }, /* no such day */
    { "2026-04-01T09:30:05Z", "2026-04-01 09:30:05" },
    { "\"type\":\"staff-removed\"", "\"type\":\"Staff-Removed\"" },
    { "\"school\":\"00112233", "\"school\":\"GG112233" },
    { "0101010101010101010101010101010101010101010101010101010101010101\"",
      "01010101010101010101010101010101010101010101010101010101010101\"" },
    { "\"body\":{\"staff\":\"s1\"}", "\"body\":[1]" },
    { "\"body\":{\"staff\":\"s1\"}}", "\"body\":{\"staff\":\"s1\"},\"extra\":1}" },
    { "\"created_at\"", "\"created\"" },
    /* The members of the envelope in another order. */
    { "\"v\":1,\"type\":\"staff-removed\",", "\"type\":\"staff-removed\",\"v\":1," },
  };
  guint8 sig[MAMORI_SIGNATURE_SIZE] = { 0 };

  {
    g_autoptr (GBytes) payload = g_bytes_new_static (good, strlen (good));
    g_autoptr (GError) error = NULL;
    g_autoptr (MamoriEvent) event = mamori_event_parse (payload, sig, &error);

    g_assert_no_error (error);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      const char *at = strstr (good, edits[i].from);
      g_autofree char *text = NULL;
      g_autoptr (GBytes) payload = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriEvent) event = NULL;

      g_assert_nonnull (at);
      text = g_strdup_printf ("%.*s%s%s", (int)(at - good), good, edits[i].to,
                              at + strlen (edits[i].from));
      payload = g_bytes_new (text, strlen (text));
      event = mamori_event_parse (payload, sig, &error);
      if (event != NULL)
        g_error ("accepted: %s", text);
      g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID);
    }
  /* Trailing bytes, a NUL inside, not UTF-8. */
  {
    static const char *const raw[] = { "x", "\0", "\xff" };

    for (gsize i = 0; i < G_N_ELEMENTS (raw); i++)
      {
        g_autoptr (GByteArray) bytes = g_byte_array_new ();
        g_autoptr (GBytes) payload = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (MamoriEvent) event = NULL;

        g_byte_array_append (bytes, (const guint8 *)good, strlen (good));
        g_byte_array_append (bytes, (const guint8 *)raw[i], 1);
        payload = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
        event = mamori_event_parse (payload, sig, &error);
        g_assert_null (event);
        g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID);
      }
  }
}

/* The largest payload libgcrypt can sign is allowed, and signs; a larger one is refused,
 * never handed to libgcrypt (which aborts the process on it). */
static void
test_payload_size (void)
{
  g_autoptr (GDateTime) time = g_date_time_new_utc (2026, 4, 1, 9, 0, 0);
  guint8 *seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];
  g_autoptr (GError) error = NULL;

  mamori_signing_generate (seed, public_key);
  for (gsize padding = MAMORI_EVENT_PAYLOAD_MAX - 600; padding < MAMORI_EVENT_PAYLOAD_MAX + 600;
       padding += 300)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autofree char *text = g_strnfill (padding, 'x');
      g_autoptr (MamoriEvent) event = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "padding");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
      event = mamori_event_new ("staff-removed", "00112233445566778899aabbccddeeff", public_key, 1,
                                NULL, time, json_builder_get_root (builder), &error);
      if (event == NULL)
        {
          g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_INVALID);
          g_assert_cmpuint (padding, >, MAMORI_EVENT_PAYLOAD_MAX - 300);
          g_clear_error (&error);
          continue;
        }
      g_assert_cmpuint (g_bytes_get_size (event->payload), <=, MAMORI_EVENT_PAYLOAD_MAX);
      g_assert_true (mamori_signing_sign (seed, public_key, g_bytes_get_data (event->payload, NULL),
                                          g_bytes_get_size (event->payload), event->sig, &error));
      g_assert_no_error (error);
      g_assert_true (mamori_event_verify (event, &error));
    }
  /* Signing more than that says so instead of aborting. */
  {
    g_autofree guint8 *big = g_malloc0 (MAMORI_SIGNING_MAX_DATA + 1);
    guint8 sig[MAMORI_SIGNATURE_SIZE];

    g_assert_false (
        mamori_signing_sign (seed, public_key, big, MAMORI_SIGNING_MAX_DATA + 1, sig, &error));
    g_assert_nonnull (error);
    g_assert_false (mamori_signing_verify (public_key, big, MAMORI_SIGNING_MAX_DATA + 1, sig));
  }
  mamori_secure_free (seed);
}

/* --- the log ---------------------------------------------------------------------------- */

static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriEvent) first = NULL, second = NULL;
  guint8 *other_seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  guint8 other_public[MAMORI_SIGNING_KEY_SIZE], zero[MAMORI_EVENT_ID_SIZE] = { 0 };

  first = next_event (f, MAMORI_EVENT_STAFF_ADDED, new_person_body ("一郎", MAMORI_ROLE_TEACHER));
  append_ok (f, first);

  /* A signature that is not the author's. */
  {
    g_autoptr (MamoriEvent) event
        = next_event (f, MAMORI_EVENT_STAFF_ADDED, new_person_body ("二郎", MAMORI_ROLE_TEACHER));

    event->sig[10] ^= 1;
    append_refused (f, event, MAMORI_RECORDS_ERROR_BAD_SIGNATURE, "signature");
  }
  /* A gap in the chain. */
  {
    g_autoptr (MamoriEvent) event
        = sign_event (f->seed, f->public_key, f->school, MAMORI_EVENT_STAFF_ADDED, 3, first->id,
                      new_person_body ("三郎", MAMORI_ROLE_TEACHER));

    append_refused (f, event, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, "does not follow");
  }
  /* The right number, the wrong previous event. */
  {
    g_autoptr (MamoriEvent) event
        = sign_event (f->seed, f->public_key, f->school, MAMORI_EVENT_STAFF_ADDED, 2, zero,
                      new_person_body ("四郎", MAMORI_ROLE_TEACHER));

    append_refused (f, event, MAMORI_RECORDS_ERROR_BROKEN_CHAIN, "previous event");
  }
  /* A second event numbered 1: a fork. */
  {
    g_autoptr (MamoriEvent) event
        = sign_event (f->seed, f->public_key, f->school, MAMORI_EVENT_STAFF_ADDED, 1, NULL,
                      new_person_body ("五郎", MAMORI_ROLE_TEACHER));

    append_refused (f, event, MAMORI_RECORDS_ERROR_FORK, "fork");
  }
  /* The same event again. */
  append_refused (f, first, MAMORI_RECORDS_ERROR_DUPLICATE, NULL);
  /* Another school's. */
  {
    g_autoptr (MamoriEvent) event = sign_event (
        f->seed, f->public_key, "ffeeddccbbaa99887766554433221100", MAMORI_EVENT_STAFF_ADDED, 2,
        first->id, new_person_body ("六郎", MAMORI_ROLE_TEACHER));

    append_refused (f, event, MAMORI_RECORDS_ERROR_WRONG_SCHOOL, "another school");
  }
  /* A type no fold knows. */
  {
    g_autoptr (MamoriEvent) event = next_event (f, "staff-promoted-to-god", parse_json ("{}"));

    append_refused (f, event, MAMORI_RECORDS_ERROR_UNKNOWN_TYPE, "staff-promoted-to-god");
  }
  /* An author the roster does not hold, correctly signed. */
  mamori_signing_generate (other_seed, other_public);
  {
    g_autoptr (MamoriEvent) event
        = sign_event (other_seed, other_public, f->school, MAMORI_EVENT_STAFF_ADDED, 1, NULL,
                      new_person_body ("七郎", MAMORI_ROLE_PRINCIPAL));

    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "not on the staff roster");
  }
  /* A body the fold cannot read. */
  {
    g_autoptr (MamoriEvent) event
        = next_event (f, MAMORI_EVENT_STAFF_ADDED, parse_json ("{\"name\":\"八郎\"}"));

    append_refused (f, event, MAMORI_RECORDS_ERROR_INVALID, NULL);
  }

  /* After all that, the chain goes on where it was. */
  second = next_event (f, MAMORI_EVENT_STAFF_ADDED, new_person_body ("九郎", MAMORI_ROLE_OFFICE));
  append_ok (f, second);
  g_assert_cmpint (second->author_seq, ==, 2);
  mamori_secure_free (other_seed);
}

/* A teacher the test holds the key of: on the roster, with no say over it. */
static void
test_teacher_signs_nothing_of_the_roster (Fixture *f, gconstpointer data)
{
  guint8 *seed = mamori_secure_alloc (MAMORI_SIGNING_KEY_SIZE);
  g_autofree char *id = mamori_roster_new_staff_id ();
  g_autoptr (MamoriEvent) added = NULL;
  g_autoptr (MamoriStaff) yamada = NULL;
  MamoriRosterKeys keys;
  guint8 public_key[MAMORI_SIGNING_KEY_SIZE];

  mamori_signing_generate (seed, public_key);
  mamori_crypto_random (keys.slot_key, sizeof keys.slot_key);
  memcpy (keys.signing_key, public_key, sizeof keys.signing_key);
  added = next_event (f, MAMORI_EVENT_STAFF_ADDED,
                      mamori_roster_staff_added_body (id, "田中", MAMORI_ROLE_TEACHER, &keys));
  append_ok (f, added);
  yamada = mamori_roster_find_by_name (f->db, "山田", NULL);
  g_assert_nonnull (yamada);

  {
    g_autoptr (MamoriEvent) event
        = sign_event (seed, public_key, f->school, MAMORI_EVENT_STAFF_ADDED, 1, NULL,
                      new_person_body ("偽校長", MAMORI_ROLE_PRINCIPAL));

    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "only the principal");
  }
  {
    g_autoptr (MamoriEvent) event
        = sign_event (seed, public_key, f->school, MAMORI_EVENT_STAFF_ROLE_CHANGED, 1, NULL,
                      mamori_roster_staff_role_changed_body (id, MAMORI_ROLE_PRINCIPAL));

    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "only the principal");
  }
  {
    g_autoptr (MamoriEvent) event
        = sign_event (seed, public_key, f->school, MAMORI_EVENT_STAFF_REMOVED, 1, NULL,
                      mamori_roster_staff_removed_body (yamada->id));

    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "only the principal");
  }
  /* Another person's keys: only they, or the recovery code. */
  {
    MamoriRosterKeys mine;
    g_autoptr (MamoriEvent) event = NULL;

    random_keys (&mine);
    event = sign_event (seed, public_key, f->school, MAMORI_EVENT_STAFF_KEYS_CHANGED, 1, NULL,
                        mamori_roster_staff_keys_changed_body (yamada->id, &mine, NULL));
    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "that person");
  }
  /* A second school-created, to start the roster over. */
  {
    MamoriRosterKeys recovery;
    g_autoptr (MamoriEvent) event = NULL;
    g_autofree char *new_id = mamori_roster_new_staff_id ();

    random_keys (&recovery);
    event
        = sign_event (seed, public_key, f->school, MAMORI_EVENT_SCHOOL_CREATED, 1, NULL,
                      mamori_roster_school_created_body ("乗っ取り小学校", new_id, "田中",
                                                         MAMORI_ROLE_PRINCIPAL, &keys, &recovery));
    append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "already exists");
  }
  mamori_secure_free (seed);
}

/* The rules an administrator's own events meet. */
static void
test_administrator_rules (Fixture *f, gconstpointer data)
{
  g_autoptr (MamoriStaff) me = mamori_roster_find_signer (f->db, f->public_key, NULL);
  g_autoptr (MamoriStaff) yamada = mamori_roster_find_by_name (f->db, "山田", NULL);
  g_autoptr (MamoriEvent) event = NULL;

  g_assert_nonnull (me);
  /* Nobody changes their own role. */
  event = next_event (f, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                      mamori_roster_staff_role_changed_body (me->id, MAMORI_ROLE_BOARD));
  append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "their own role");
  g_clear_pointer (&event, mamori_event_free);
  /* A name already on the roster. */
  event = next_event (f, MAMORI_EVENT_STAFF_ADDED, new_person_body ("山田", MAMORI_ROLE_TEACHER));
  append_refused (f, event, MAMORI_RECORDS_ERROR_CONFLICT, "already on the staff roster");
  g_clear_pointer (&event, mamori_event_free);
  /* A name that could disguise itself. */
  event = next_event (f, MAMORI_EVENT_STAFF_ADDED,
                      new_person_body ("山\u202e田", MAMORI_ROLE_TEACHER));
  append_refused (f, event, MAMORI_RECORDS_ERROR_INVALID, NULL);
  g_clear_pointer (&event, mamori_event_free);

  /* An administrator may remove another — then is the last one, and stays. */
  event = next_event (f, MAMORI_EVENT_STAFF_REMOVED, mamori_roster_staff_removed_body (yamada->id));
  append_ok (f, event);
  g_clear_pointer (&event, mamori_event_free);
  event = next_event (f, MAMORI_EVENT_STAFF_REMOVED, mamori_roster_staff_removed_body (me->id));
  append_refused (f, event, MAMORI_RECORDS_ERROR_NOT_PERMITTED, "last administrator");
  g_clear_pointer (&event, mamori_event_free);
  /* A removed person is removed once. */
  event = next_event (f, MAMORI_EVENT_STAFF_REMOVED, mamori_roster_staff_removed_body (yamada->id));
  append_refused (f, event, MAMORI_RECORDS_ERROR_CONFLICT, "not on the staff roster");
}

static void
test_check_after_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MamoriLogCheck check;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("職員%d", i);
      g_autoptr (MamoriEvent) event
          = next_event (f, MAMORI_EVENT_STAFF_ADDED, new_person_body (name, MAMORI_ROLE_TEACHER));

      append_ok (f, event);
    }
  mamori_vault_lock (f->vault);
  g_assert_true (mamori_vault_unlock (f->vault, "山田", founder_pass, &error));
  g_assert_no_error (error);
  f->db = mamori_vault_get_store (f->vault);
  f->school = mamori_vault_get_school_id (f->vault);
  g_assert_true (mamori_event_log_check (f->db, FALSE, &check, &error));
  g_assert_no_error (error);
  /* school-created, policy-installed and one staff-added by 山田, five staff-added by the
   * test's key. */
  g_assert_cmpuint (check.n_events, ==, 8);
  g_assert_cmpuint (check.n_authors, ==, 2);
  g_assert_cmpuint (check.n_signatures_checked, ==, 2);
  g_assert_true (mamori_event_log_check (f->db, TRUE, &check, &error));
  g_assert_cmpuint (check.n_signatures_checked, ==, 8);
}

/* --- a property: random valid sequences verify; any changed byte is found --------------- */

/* A payload's bytes that are all changed in turn; of a longer one, as many more. */
#define PAYLOAD_BYTES_ALL 1024

static void
random_roster_events (Fixture *f, GRand *rand, guint n)
{
  g_autoptr (GPtrArray) people = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (MamoriEvent) event = NULL;
      guint choice = people->len == 0 ? 0 : g_rand_int_range (rand, 0, 3);

      if (choice == 0)
        {
          g_autofree char *id = mamori_roster_new_staff_id ();
          g_autofree char *name = g_strdup_printf ("職員 %u", i);
          MamoriRosterKeys keys;

          random_keys (&keys);
          event = next_event (f, MAMORI_EVENT_STAFF_ADDED,
                              mamori_roster_staff_added_body (
                                  id, name, g_rand_int_range (rand, 0, MAMORI_N_ROLES), &keys));
          g_ptr_array_add (people, g_steal_pointer (&id));
        }
      else if (choice == 1)
        {
          const char *id = g_ptr_array_index (people, g_rand_int_range (rand, 0, people->len));
          g_autoptr (MamoriStaff) person = mamori_roster_find_by_id (f->db, id, NULL);
          MamoriRole role = (person->role + 1 + g_rand_int_range (rand, 0, MAMORI_N_ROLES - 1))
                            % MAMORI_N_ROLES;

          event = next_event (f, MAMORI_EVENT_STAFF_ROLE_CHANGED,
                              mamori_roster_staff_role_changed_body (id, role));
        }
      else
        {
          guint at = g_rand_int_range (rand, 0, people->len);

          event = next_event (f, MAMORI_EVENT_STAFF_REMOVED,
                              mamori_roster_staff_removed_body (people->pdata[at]));
          g_ptr_array_remove_index (people, at);
        }
      append_ok (f, event);
    }
}

/* Flips bit 0 of byte @at of @column in event @seq (inside a savepoint), checks the log,
 * and undoes it.  Returns whether the check failed, as it must, with a records error. */
static gboolean
flip_detected (Fixture *f, gint64 seq, const char *column, gint64 at, gboolean all_signatures)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM events WHERE seq = ?", column);
  g_autofree char *update = g_strdup_printf ("UPDATE events SET %s = ? WHERE seq = ?", column);
  g_autoptr (sqlite3_stmt) read = NULL, write = NULL;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_assert_true (mamori_db_exec (f->db, "SAVEPOINT tamper", &error));
  g_assert_cmpint (sqlite3_prepare_v2 (f->db->handle, select, -1, &read, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (read, 1, seq);
  g_assert_cmpint (sqlite3_step (read), ==, SQLITE_ROW);
  g_byte_array_append (bytes, sqlite3_column_blob (read, 0), sqlite3_column_bytes (read, 0));
  g_assert_cmpint (at, <, bytes->len);
  bytes->data[at] ^= 1;
  g_assert_cmpint (sqlite3_prepare_v2 (f->db->handle, update, -1, &write, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (write, 1, bytes->data, bytes->len, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 2, seq);
  g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);

  ok = mamori_event_log_check (f->db, all_signatures, NULL, &error);
  g_assert_true (ok || error->domain == MAMORI_RECORDS_ERROR);
  g_assert_true (mamori_db_exec (f->db, "ROLLBACK TO tamper; RELEASE tamper", NULL));
  return !ok;
}

/* An insider's rewrite of event @seq: a byte of its body changed and its id made to
 * match, as anyone with the master key can.  Returns whether the check failed. */
static gboolean
rewrite_detected (Fixture *f, gint64 seq)
{
  g_autoptr (MamoriDbStatement) read = NULL, write = NULL;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  guint8 id[MAMORI_EVENT_ID_SIZE];
  const guint8 *body;
  gboolean ok;

  g_assert_true (mamori_db_exec (f->db, "SAVEPOINT tamper", &error));
  read = mamori_db_statement (f->db, "SELECT payload FROM events WHERE seq = ?", &error);
  sqlite3_bind_int64 (read, 1, seq);
  g_assert_cmpint (sqlite3_step (read), ==, SQLITE_ROW);
  g_byte_array_append (bytes, sqlite3_column_blob (read, 0), sqlite3_column_bytes (read, 0));
  body = memmem (bytes->data, bytes->len, "\"body\":{\"", 9);
  g_assert_nonnull (body);
  /* The first letter of the body's first member name: still canonical JSON. */
  bytes->data[body - bytes->data + 9] ^= 0x01;
  mamori_event_hash (bytes->data, bytes->len, id);
  write
      = mamori_db_statement (f->db, "UPDATE events SET payload = ?, id = ? WHERE seq = ?", &error);
  sqlite3_bind_blob (write, 1, bytes->data, bytes->len, SQLITE_STATIC);
  sqlite3_bind_blob (write, 2, id, sizeof id, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 3, seq);
  g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);

  ok = mamori_event_log_check (f->db, FALSE, NULL, &error);
  g_assert_true (ok || error->domain == MAMORI_RECORDS_ERROR);
  g_clear_pointer (&read, mamori_db_statement_release);
  g_clear_pointer (&write, mamori_db_statement_release);
  g_assert_true (mamori_db_exec (f->db, "ROLLBACK TO tamper; RELEASE tamper", NULL));
  return !ok;
}

static gboolean
sql_detected (Fixture *f, const char *sql)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_assert_true (mamori_db_exec (f->db, "SAVEPOINT tamper", &error));
  g_assert_true (mamori_db_exec (f->db, sql, &error));
  ok = mamori_event_log_check (f->db, FALSE, NULL, &error);
  g_assert_true (ok || error->domain == MAMORI_RECORDS_ERROR);
  g_assert_true (mamori_db_exec (f->db, "ROLLBACK TO tamper; RELEASE tamper", NULL));
  return !ok;
}

static void
test_property (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr (GError) error = NULL;
  gint64 seq_max;

  random_roster_events (f, rand, 10);
  g_assert_true (mamori_event_log_check (f->db, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events"), ==, 13);
  seq_max = count (f, "SELECT max(seq) FROM events");

  /* One transaction around every change and its undoing: nothing is committed. */
  g_assert_true (mamori_db_exec (f->db, "BEGIN IMMEDIATE", &error));
  for (gint64 seq = 1; seq <= seq_max; seq++)
    {
      g_autofree char *length_sql = g_strdup_printf (
          "SELECT length(payload) FROM events WHERE seq = %" G_GINT64_FORMAT, seq);
      gint64 length = count (f, length_sql);

      /* The payload's bytes: found by the check made at every unlock.  Every one of
       * its first PAYLOAD_BYTES_ALL (the header the check reads, and all of most events),
       * then its last and as many others at random: the policy installed with the vault
       * is some 20 KB, each byte one check of the whole log. */
      for (gint64 i = 0; i < MIN (length, 2 * PAYLOAD_BYTES_ALL + 1); i++)
        {
          gint64 at = i < PAYLOAD_BYTES_ALL || length <= 2 * PAYLOAD_BYTES_ALL + 1 ? i
                      : i == PAYLOAD_BYTES_ALL
                          ? length - 1
                          : g_rand_int_range (rand, PAYLOAD_BYTES_ALL, length - 1);

          if (!flip_detected (f, seq, "payload", at, FALSE))
            g_error ("a change to byte %" G_GINT64_FORMAT " of event %" G_GINT64_FORMAT
                     " went unseen",
                     at, seq);
        }
      /* The signature's first and last bytes and one at random, found by the full check
       * (vault verify), which verifies every event's signature: what the other bytes
       * would test is Ed25519 itself, 64 full checks an event. */
      for (const int *at
           = (const int[]){ 0, MAMORI_SIGNATURE_SIZE - 1,
                            g_rand_int_range (rand, 1, MAMORI_SIGNATURE_SIZE - 1), -1 };
           *at >= 0; at++)
        g_assert_true (flip_detected (f, seq, "sig", *at, TRUE));
      /* Every byte of the id, the author and prev: the check at unlock. */
      for (int at = 0; at < MAMORI_EVENT_ID_SIZE; at++)
        {
          g_assert_true (flip_detected (f, seq, "id", at, FALSE));
          g_assert_true (flip_detected (f, seq, "author", at, FALSE));
        }
      /* A payload rewritten with its id to match: the next event, or the signature of
       * the last one, gives it away. */
      g_assert_true (rewrite_detected (f, seq));
      /* The filing columns. */
      for (const char *const *sql
           = (const char *[]){ "UPDATE events SET type = type || 'x'",
                               "UPDATE events SET author_seq = author_seq + 100", NULL };
           *sql != NULL; sql++)
        {
          g_autofree char *one = g_strdup_printf ("%s WHERE seq = %" G_GINT64_FORMAT, *sql, seq);

          g_assert_true (sql_detected (f, one));
        }
    }
  /* An event taken from the middle of a chain breaks it.  (Its last event taken away is
   * a roll back to an older valid state: what a chain cannot see — docs/records.md.) */
  {
    g_autofree char *sql = g_strdup_printf (
        "DELETE FROM events WHERE author = (SELECT author FROM events WHERE seq = %" G_GINT64_FORMAT
        ") AND author_seq = 2",
        seq_max);

    g_assert_true (sql_detected (f, sql));
  }
  g_assert_true (mamori_db_exec (f->db, "ROLLBACK", &error));
}

/* The roster's tables, as text, to compare. */
static char *
dump_roster (Fixture *f)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *const *sql
       = (const char *[]){ "SELECT id, name, role, added_seq, removed_seq FROM staff ORDER BY id",
                           "SELECT hex(key), holder, hex(slot_key), label, added_seq, retired_seq "
                           "FROM signing_keys ORDER BY key",
                           "SELECT hex(slot_key), hex(signing_key) FROM recovery", NULL };
       *sql != NULL; sql++)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (f->db->handle, *sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            g_string_append_printf (out, "%s|", (const char *)sqlite3_column_text (stmt, i));
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The tables are a cache of the log: folding it again gives them back exactly. */
static void
test_rebuild (Fixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  random_roster_events (f, rand, 30);
  before = dump_roster (f);
  g_assert_true (mamori_db_exec (f->db, "BEGIN IMMEDIATE", &error));
  g_assert_true (mamori_event_log_rebuild (f->db, f->school, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_db_exec (f->db, "COMMIT", &error));
  after = dump_roster (f);
  g_assert_cmpstr (after, ==, before);
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

  g_test_add_func ("/records/canonical-json", test_canonical_json);
  g_test_add_func ("/records/payload-bytes", test_payload_bytes);
  g_test_add_func ("/records/parse-refuses", test_parse_refuses);
  g_test_add_func ("/records/payload-size", test_payload_size);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/records/refusals", test_refusals);
  ADD ("/records/teacher-signs-nothing-of-the-roster", test_teacher_signs_nothing_of_the_roster);
  ADD ("/records/administrator-rules", test_administrator_rules);
  ADD ("/records/check-after-reopen", test_check_after_reopen);
  ADD ("/records/property", test_property);
  ADD ("/records/rebuild", test_rebuild);
#undef ADD
  return g_test_run ();
}
