/* mamori-cli-vault.c — `mamori-cli vault …`: create, unlock and maintain a vault
 *
 * Exit statuses and the output of `vault info --json` are documented in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-secret.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-roster.h"

typedef struct
{
  char *vault;
  char *user;
  char *passphrase_file;
  char *recovery_code_file;
  char *new_passphrase_file;
  char *new_user;
  char *remove;
  char *school;
  char *role;
  char *staff;
  gboolean json;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->vault);
  g_free (options->user);
  g_free (options->passphrase_file);
  g_free (options->recovery_code_file);
  g_free (options->new_passphrase_file);
  g_free (options->new_user);
  g_free (options->remove);
  g_free (options->school);
  g_free (options->role);
  g_free (options->staff);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
usage_error (const char *message)
{
  mamori_cli_err ("%s", message);
  return MAMORI_EXIT_USAGE;
}

static gboolean
parse_role (const char *text, MamoriRole *out_role)
{
  if (text != NULL && mamori_role_from_string (text, out_role))
    return TRUE;
  mamori_cli_err (_ ("--role must be one of teacher, vice-principal, principal, office, board"));
  return FALSE;
}

static MamoriSecret *
new_passphrase (const char *file, const char *user, GError **error)
{
  g_autofree char *prompt = g_strdup_printf (_ ("New passphrase for %s: "), user);

  return mamori_cli_get_secret (file, prompt, _ ("The same passphrase again: "),
                                MAMORI_CLI_MIN_PASSPHRASE_CHARS, error);
}

/* The vault named by the options; recovery codes are refused where @allow_recovery is
 * FALSE (changing a passphrase needs the old one). */
static int
open_vault (const Options *options,
            gboolean allow_recovery,
            MamoriVault **out_vault,
            MamoriSecret **out_secret)
{
  return mamori_cli_open_vault (options->vault, options->user, options->passphrase_file,
                                allow_recovery ? options->recovery_code_file : NULL, out_vault,
                                out_secret);
}

/* --- sub-commands ------------------------------------------------------------------ */

/* The recovery code on a line of its own, after what to do with it: a MamoriRecoveryCodeSink
 * that fails when the code could not be written out, so that it is never committed
 * unseen. */
static gboolean
write_recovery_code (const char *recovery_code, gpointer user_data, GError **error)
{
  g_autoptr (MamoriSecret) text = NULL;
  const char *what = _ ("The recovery code is shown only this once. Print it or write it down "
                        "and give it to the board of education to keep: with it a forgotten "
                        "passphrase can be replaced, and anyone who has it can open the vault.");
  g_autofree char *heading
      = g_strdup_printf ("%s\n\n%s\n\n%s ", (const char *)user_data, what, _ ("Recovery code:"));

  text = mamori_secure_alloc (strlen (heading) + strlen (recovery_code) + 3);
  g_stpcpy (g_stpcpy (g_stpcpy ((char *)text, heading), recovery_code), "\n\n");
  return mamori_cli_out_checked (text, error);
}

static int
vault_create (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) passphrase = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *done = NULL;
  MamoriRole role;

  if (options->vault == NULL || options->school == NULL || options->user == NULL)
    return usage_error (_ ("vault create needs --vault, --school, --user and --role"));
  if (!parse_role (options->role, &role))
    return MAMORI_EXIT_USAGE;

  passphrase = new_passphrase (options->passphrase_file, options->user, &error);
  if (passphrase == NULL)
    return mamori_cli_vault_fail (error);
  done = g_strdup_printf (_ ("Created the vault %s for %s, with %s (%s) as its first user."),
                          options->vault, options->school, options->user,
                          mamori_role_get_label (role));
  vault = mamori_vault_create (options->vault, options->school, options->user, role, passphrase,
                               write_recovery_code, done, &error);
  if (vault == NULL)
    {
      if (error->domain == G_IO_ERROR)
        mamori_cli_err (_ ("The recovery code could not be written out, so the vault was not "
                           "created"));
      return mamori_cli_vault_fail (error);
    }
  return MAMORI_EXIT_OK;
}

static int
vault_new_recovery_code (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *done = NULL;
  int status = open_vault (options, FALSE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  done = g_strdup_printf (_ ("Made a new recovery code for %s; the old one no longer works."),
                          options->vault);
  if (!mamori_vault_replace_recovery_code (vault, write_recovery_code, done, &error))
    {
      if (error->domain == G_IO_ERROR)
        mamori_cli_err (_ ("The new recovery code could not be written out, so it was not "
                           "made: the old one still works"));
      return mamori_cli_vault_fail (error);
    }
  return MAMORI_EXIT_OK;
}

static void
add_kdf (JsonBuilder *builder, const MamoriKdfParams *kdf)
{
  json_builder_set_member_name (builder, "kdf");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_string_value (builder, "argon2id");
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, kdf->iterations);
  json_builder_set_member_name (builder, "memory_kib");
  json_builder_add_int_value (builder, kdf->memory_kib);
  json_builder_set_member_name (builder, "parallelism");
  json_builder_add_int_value (builder, kdf->parallelism);
  json_builder_end_object (builder);
}

static char *
describe_kdf (const MamoriKdfParams *kdf)
{
  return g_strdup_printf (_ ("Argon2id, %u passes over %u MiB, %u lane(s)"), kdf->iterations,
                          kdf->memory_kib / 1024, kdf->parallelism);
}

/* The role the roster gives each name (the key file's copy is only what the unlock screen
 * shows). */
static GHashTable *
roster_roles (MamoriVault *vault)
{
  GHashTable *roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) staff = mamori_vault_list_staff (vault, FALSE, NULL);

  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      MamoriStaff *person = g_ptr_array_index (staff, i);

      g_hash_table_insert (roles, g_strdup (person->name), GINT_TO_POINTER (person->role));
    }
  return roles;
}

static const char *
role_of (GHashTable *roles, const MamoriKeySlot *slot)
{
  gpointer role;

  if (!g_hash_table_lookup_extended (roles, slot->user, NULL, &role))
    return NULL;
  return mamori_role_to_string (GPOINTER_TO_INT (role));
}

static void
print_info_json (MamoriVault *vault, const MamoriKeyFile *key_file, const char *created_at)
{
  g_autoptr (GHashTable) roles = roster_roles (vault);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const MamoriKeySlot *recovery = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "vault");
  json_builder_add_string_value (builder, mamori_vault_get_path (vault));
  json_builder_set_member_name (builder, "school");
  json_builder_add_string_value (builder, mamori_vault_get_school (vault));
  json_builder_set_member_name (builder, "school_id");
  json_builder_add_string_value (builder, mamori_vault_get_school_id (vault));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, mamori_vault_get_schema_version (vault));
  json_builder_set_member_name (builder, "key_file_version");
  json_builder_add_int_value (builder, MAMORI_KEY_FILE_VERSION);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      const MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);

      if (slot->kind != MAMORI_KEY_SLOT_USER)
        {
          recovery = slot;
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, slot->user);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role_of (roles, slot));
      add_kdf (builder, &slot->kdf);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "recovery");
  if (recovery != NULL)
    {
      json_builder_begin_object (builder);
      add_kdf (builder, &recovery->kdf);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  mamori_cli_out ("%s\n", text);
}

static int
vault_info (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GHashTable) roles = NULL;
  g_autofree char *created_at = NULL;
  const MamoriKeyFile *key_file;
  int status = open_vault (options, TRUE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  key_file = mamori_vault_get_key_file (vault);
  created_at = mamori_vault_get_meta (vault, "created_at");
  if (options->json)
    {
      print_info_json (vault, key_file, created_at);
      return MAMORI_EXIT_OK;
    }

  mamori_cli_out ("%-16s %s\n", _ ("School:"), mamori_vault_get_school (vault));
  mamori_cli_out ("%-16s %s\n", _ ("School id:"), mamori_vault_get_school_id (vault));
  mamori_cli_out ("%-16s %s\n", _ ("Vault:"), mamori_vault_get_path (vault));
  mamori_cli_out ("%-16s %s\n", _ ("Created:"), created_at != NULL ? created_at : "");
  mamori_cli_out ("%-16s %d\n", _ ("Schema version:"), mamori_vault_get_schema_version (vault));
  mamori_cli_out ("%-16s %d\n", _ ("Key file:"), MAMORI_KEY_FILE_VERSION);
  mamori_cli_out ("%s\n", _ ("Users:"));
  roles = roster_roles (vault);
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      const MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);
      g_autofree char *kdf = describe_kdf (&slot->kdf);

      if (slot->kind == MAMORI_KEY_SLOT_USER)
        mamori_cli_out ("  %s (%s): %s\n", slot->user, role_of (roles, slot), kdf);
      else
        mamori_cli_out ("%-16s %s\n", _ ("Recovery slot:"), kdf);
    }
  return MAMORI_EXIT_OK;
}

static int
vault_verify (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  int status = open_vault (options, TRUE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_vault_verify (vault, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("%s: every page decrypts and authenticates; integrity check ok\n"),
                  options->vault);
  return MAMORI_EXIT_OK;
}

static int
vault_passwd (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) old_passphrase = NULL, passphrase = NULL;
  g_autoptr (GError) error = NULL;
  int status = open_vault (options, FALSE, &vault, &old_passphrase);

  if (status != MAMORI_EXIT_OK)
    return status;
  passphrase = new_passphrase (options->new_passphrase_file, mamori_vault_get_user (vault), &error);
  if (passphrase == NULL
      || !mamori_vault_change_passphrase (vault, old_passphrase, passphrase, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("Changed the passphrase of %s; their key slot and signing key are new.\n"),
                  mamori_vault_get_user (vault));
  return MAMORI_EXIT_OK;
}

static int
vault_add_user (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) passphrase = NULL;
  g_autoptr (GError) error = NULL;
  MamoriRole role;
  int status;

  if (options->new_user == NULL)
    return usage_error (_ ("vault add-user needs --new-user NAME and --role ROLE"));
  if (!parse_role (options->role, &role))
    return MAMORI_EXIT_USAGE;
  status = open_vault (options, TRUE, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;

  passphrase = new_passphrase (options->new_passphrase_file, options->new_user, &error);
  if (passphrase == NULL
      || !mamori_vault_add_user (vault, options->new_user, role, passphrase, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("Added %s (%s) to the vault.\n"), options->new_user,
                  mamori_role_get_label (role));
  return MAMORI_EXIT_OK;
}

static int
vault_remove_user (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  /* The documented form is `remove-user --user NAME`: NAME (or the recovery code)
   * unlocks and NAME is removed.  With --remove, --user unlocks and --remove goes. */
  const char *target = options->remove != NULL ? options->remove : options->user;

  if (target == NULL)
    return usage_error (_ ("vault remove-user needs --user NAME (the user to remove), or "
                           "--remove NAME with --user the user who unlocks"));
  status = open_vault (options, TRUE, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_vault_remove_user (vault, target, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("Removed %s from the staff roster; their key slot no longer opens the "
                     "vault. Run “vault rotate-key” so that no copy of their slot made before "
                     "opens it either.\n"),
                  target);
  return MAMORI_EXIT_OK;
}

static int
vault_recover (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) code = NULL, passphrase = NULL;
  g_autoptr (GError) error = NULL;

  if (options->vault == NULL || options->user == NULL)
    return usage_error (_ ("vault recover needs --vault PATH and --user NAME (whose passphrase "
                           "is forgotten)"));
  if (!g_file_test (options->vault, G_FILE_TEST_EXISTS))
    {
      mamori_cli_err (_ ("There is no vault at %s"), options->vault);
      return MAMORI_EXIT_FAILURE;
    }
  vault = mamori_vault_open (options->vault, &error);
  if (vault == NULL)
    return mamori_cli_vault_fail (error);

  code
      = mamori_cli_get_secret (options->recovery_code_file, _ ("Recovery code: "), NULL, 0, &error);
  if (code != NULL)
    passphrase = new_passphrase (options->new_passphrase_file, options->user, &error);
  if (passphrase == NULL || !mamori_vault_recover (vault, code, options->user, passphrase, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("%s has a new passphrase and a new signing key.\n"), options->user);
  return MAMORI_EXIT_OK;
}

static int
vault_rotate_key (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  int status = open_vault (options, TRUE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_vault_rotate_key (vault, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("Replaced the master key of %s; every key slot now opens the new key.\n"),
                  options->vault);
  return MAMORI_EXIT_OK;
}

static int
vault_set_role (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  MamoriRole role;
  int status;

  if (options->staff == NULL)
    return usage_error (_ ("vault set-role needs --staff NAME and --role ROLE"));
  if (!parse_role (options->role, &role))
    return MAMORI_EXIT_USAGE;
  status = open_vault (options, FALSE, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_vault_set_role (vault, options->staff, role, &error))
    return mamori_cli_vault_fail (error);
  mamori_cli_out (_ ("%s is now %s.\n"), options->staff, mamori_role_get_label (role));
  return MAMORI_EXIT_OK;
}

/* What a roster event did, in a sentence. */
static char *
describe_roster_event (const MamoriEvent *event, GHashTable *names)
{
  JsonObject *body = json_node_get_object (event->body);
  const char *staff = json_object_get_string_member_with_default (body, "staff", "");
  const char *name = json_object_get_string_member_with_default (body, "name", NULL);
  const char *role = json_object_get_string_member_with_default (body, "role", NULL);
  MamoriRole parsed;
  const char *label;

  if (name == NULL)
    name = g_hash_table_lookup (names, staff);
  if (name == NULL)
    name = staff;
  label = role != NULL && mamori_role_from_string (role, &parsed) ? mamori_role_get_label (parsed)
                                                                  : "";
  if (g_str_equal (event->type, MAMORI_EVENT_SCHOOL_CREATED))
    {
      JsonObject *founder = json_object_get_object_member (body, "founder");

      return g_strdup_printf (_ ("created the school %s with %s as its first administrator"), name,
                              json_object_get_string_member_with_default (founder, "name", ""));
    }
  if (g_str_equal (event->type, MAMORI_EVENT_STAFF_ADDED))
    return g_strdup_printf (_ ("added %s (%s)"), name, label);
  if (g_str_equal (event->type, MAMORI_EVENT_STAFF_ROLE_CHANGED))
    return g_strdup_printf (_ ("made %s %s"), name, label);
  if (g_str_equal (event->type, MAMORI_EVENT_STAFF_REMOVED))
    return g_strdup_printf (_ ("removed %s"), name);
  if (g_str_equal (event->type, MAMORI_EVENT_STAFF_KEYS_CHANGED))
    return g_strdup_printf (_ ("gave %s new keys"), name);
  if (g_str_equal (event->type, MAMORI_EVENT_RECOVERY_CHANGED))
    return g_strdup (_ ("replaced the recovery code"));
  return g_strdup (event->type);
}

static void
add_string_member (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
vault_log (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL, staff = NULL;
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  int status = open_vault (options, TRUE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  events = mamori_vault_list_roster_events (vault, &error);
  staff = events != NULL ? mamori_vault_list_staff (vault, TRUE, &error) : NULL;
  if (staff == NULL)
    return mamori_cli_vault_fail (error);
  for (guint i = 0; i < staff->len; i++)
    {
      MamoriStaff *person = g_ptr_array_index (staff, i);

      g_hash_table_insert (names, person->id, person->name);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      MamoriEvent *event = g_ptr_array_index (events, i);
      g_autofree char *id = mamori_hex_encode (event->id, sizeof event->id);
      g_autofree char *author = mamori_hex_encode (event->author, sizeof event->author);
      g_autofree char *signer
          = mamori_roster_describe_key (mamori_vault_get_store (vault), event->author);
      g_autofree char *what = describe_roster_event (event, names);

      if (!options->json)
        {
          mamori_cli_out ("%s  %s  %s\n", event->created_at, signer, what);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, event->seq);
      add_string_member (builder, "id", id);
      add_string_member (builder, "type", event->type);
      add_string_member (builder, "created_at", event->created_at);
      add_string_member (builder, "author", author);
      add_string_member (builder, "signed_by", signer);
      add_string_member (builder, "summary", what);
      json_builder_set_member_name (builder, "body");
      json_builder_add_value (builder, json_node_copy (event->body));
      json_builder_set_member_name (builder, "verified");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (options->json)
    {
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      mamori_cli_out ("%s\n", text);
    }
  return MAMORI_EXIT_OK;
}

/* --- dispatch -------------------------------------------------------------------- */

typedef enum
{
  OPT_VAULT = 1 << 0,
  OPT_USER = 1 << 1,
  OPT_PASSPHRASE = 1 << 2,
  OPT_RECOVERY = 1 << 3,
  OPT_NEW_PASSPHRASE = 1 << 4,
  OPT_NEW_USER = 1 << 5,
  OPT_REMOVE = 1 << 6,
  OPT_SCHOOL = 1 << 7,
  OPT_ROLE = 1 << 8,
  OPT_JSON = 1 << 9,
  OPT_STAFF = 1 << 10,
} OptionSet;

#define OPT_UNLOCK (OPT_VAULT | OPT_USER | OPT_PASSPHRASE | OPT_RECOVERY)

typedef struct
{
  const char *name;
  int (*run) (const Options *options);
  OptionSet options;
  const char *summary; /* N_() */
} Command;

static const Command commands[] = {
  { "create", vault_create, OPT_VAULT | OPT_SCHOOL | OPT_USER | OPT_ROLE | OPT_PASSPHRASE,
    N_ ("Create a school’s vault and print its recovery code") },
  { "info", vault_info, OPT_UNLOCK | OPT_JSON,
    N_ ("Show the school, users, roles, schema version and KDF parameters") },
  { "verify", vault_verify, OPT_UNLOCK,
    N_ ("Decrypt and authenticate every page, then run SQLite’s integrity check") },
  { "passwd", vault_passwd, OPT_VAULT | OPT_USER | OPT_PASSPHRASE | OPT_NEW_PASSPHRASE,
    N_ ("Change a user’s passphrase") },
  { "add-user", vault_add_user, OPT_UNLOCK | OPT_NEW_USER | OPT_ROLE | OPT_NEW_PASSPHRASE,
    N_ ("Add a staff member to the roster, with a key slot") },
  { "remove-user", vault_remove_user, OPT_UNLOCK | OPT_REMOVE,
    N_ ("Remove a person from the staff roster, and their key slot") },
  { "set-role", vault_set_role, OPT_VAULT | OPT_USER | OPT_PASSPHRASE | OPT_STAFF | OPT_ROLE,
    N_ ("Change another person’s role on the staff roster") },
  { "log", vault_log, OPT_UNLOCK | OPT_JSON,
    N_ ("List the staff roster’s signed events: who did what, when, signed by whom") },
  { "recover", vault_recover, OPT_VAULT | OPT_USER | OPT_RECOVERY | OPT_NEW_PASSPHRASE,
    N_ ("Set a new passphrase for a user with the recovery code") },
  { "new-recovery-code", vault_new_recovery_code, OPT_VAULT | OPT_USER | OPT_PASSPHRASE,
    N_ ("Replace the recovery code; the old one stops working") },
  { "rotate-key", vault_rotate_key, OPT_UNLOCK,
    N_ ("Replace the master key (re-encrypts the whole database)") },
};

static GOptionEntry *
build_entries (OptionSet set, Options *o)
{
  const GOptionEntry all[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &o->vault, N_ ("The vault’s database file"),
      N_ ("PATH") },
    { "school", 0, 0, G_OPTION_ARG_STRING, &o->school, N_ ("The school’s name"), N_ ("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o->role,
      N_ ("teacher, vice-principal, principal, office or board"), N_ ("ROLE") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o->passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
    { "recovery-code-file", 0, 0, G_OPTION_ARG_FILENAME, &o->recovery_code_file,
      N_ ("Unlock with the recovery code in FILE"), N_ ("FILE") },
    { "new-user", 0, 0, G_OPTION_ARG_STRING, &o->new_user, N_ ("The user to add"), N_ ("NAME") },
    { "new-passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o->new_passphrase_file,
      N_ ("Read the new passphrase from FILE instead of asking twice"), N_ ("FILE") },
    { "remove", 0, 0, G_OPTION_ARG_STRING, &o->remove, N_ ("The user to remove"), N_ ("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_ ("Print JSON (see docs/cli.md)"), NULL },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &o->staff, N_ ("The staff member whose role changes"),
      N_ ("NAME") },
  };
  const OptionSet bits[]
      = { OPT_VAULT,    OPT_SCHOOL,         OPT_USER,   OPT_ROLE, OPT_PASSPHRASE, OPT_RECOVERY,
          OPT_NEW_USER, OPT_NEW_PASSPHRASE, OPT_REMOVE, OPT_JSON, OPT_STAFF };
  GOptionEntry *entries = g_new0 (GOptionEntry, G_N_ELEMENTS (all) + 1);
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (all) == G_N_ELEMENTS (bits));
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (set & bits[i])
      entries[n++] = all[i];
  return entries;
}

int
mamori_cli_vault (int argc, char **argv)
{
  const MamoriCliGroup group = {
    "vault",
    _ ("Usage: mamori-cli vault COMMAND --vault PATH [OPTION…]"),
    _ ("Passphrases are read from files or asked for on the terminal, never taken from the "
       "command line. Run “mamori-cli vault COMMAND --help” for the options."),
  };
  g_auto (Options) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autofree char *name = NULL;
  int sub_argc = argc - 1;
  char **sub_argv = argv + 1;
  int status;
  const Command *command = MAMORI_CLI_FIND_COMMAND (&group, Command, commands, argc, argv, &status);

  if (command == NULL)
    return status;
  entries = build_entries (command->options, &options);
  name = g_strconcat ("vault ", command->name, NULL);
  if (!mamori_cli_parse (name, NULL, _ (command->summary), entries, &sub_argc, &sub_argv))
    return MAMORI_EXIT_USAGE;
  if (sub_argc > 1)
    return usage_error (_ ("Unexpected argument; passphrases are never given on the command "
                           "line"));
  return command->run (&options);
}
