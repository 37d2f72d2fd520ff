/* mamori-cli-vault.c — `mamori-cli vault …`: create, unlock and maintain a vault
 *
 * Exit statuses and the output of `vault info --json` are documented in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-secret.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"

/* New passphrases: the GUI shows strength; the command line insists on a floor. */
#define MIN_PASSPHRASE_CHARS 8

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
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

int
mamori_cli_vault_fail (const GError *error)
{
  mamori_cli_err ("%s", error->message);
  if (error->domain == MAMORI_CLI_SECRET_ERROR)
    return error->code == MAMORI_CLI_SECRET_ERROR_IO ? MAMORI_EXIT_FAILURE : MAMORI_EXIT_USAGE;
  if (error->domain != MAMORI_VAULT_ERROR)
    return MAMORI_EXIT_FAILURE;
  switch ((MamoriVaultError)error->code)
    {
    case MAMORI_VAULT_ERROR_WRONG_PASSPHRASE:
    case MAMORI_VAULT_ERROR_BAD_RECOVERY_CODE:
      return MAMORI_EXIT_WRONG_PASSPHRASE;
    case MAMORI_VAULT_ERROR_DAMAGED:
    case MAMORI_VAULT_ERROR_NOT_A_VAULT:
      return MAMORI_EXIT_DAMAGED;
    case MAMORI_VAULT_ERROR_TOO_NEW:
      return MAMORI_EXIT_TOO_NEW;
    case MAMORI_VAULT_ERROR_NO_SUCH_USER:
      return MAMORI_EXIT_USAGE;
    case MAMORI_VAULT_ERROR_EXISTS:
    case MAMORI_VAULT_ERROR_LAST_USER:
    case MAMORI_VAULT_ERROR_IO:
    case MAMORI_VAULT_ERROR_LOCKED:
    case MAMORI_VAULT_ERROR_NOT_ALLOWED:
    default:
      return MAMORI_EXIT_FAILURE;
    }
}

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
                                MIN_PASSPHRASE_CHARS, error);
}

int
mamori_cli_open_vault (const char *path,
                       const char *user,
                       const char *passphrase_file,
                       const char *recovery_code_file,
                       MamoriVault **out_vault,
                       MamoriSecret **out_secret)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) secret = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) users = NULL;

  if (path == NULL)
    return usage_error (_ ("--vault PATH is required"));
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      mamori_cli_err (_ ("There is no vault at %s"), path);
      return MAMORI_EXIT_FAILURE;
    }
  vault = mamori_vault_open (path, &error);
  if (vault == NULL)
    return mamori_cli_vault_fail (error);

  if (recovery_code_file != NULL)
    {
      secret = mamori_cli_get_secret (recovery_code_file, NULL, NULL, 0, &error);
      if (secret == NULL || !mamori_vault_unlock_with_recovery (vault, secret, &error))
        return mamori_cli_vault_fail (error);
      goto unlocked;
    }

  users = mamori_vault_list_users (vault);
  if (user == NULL && g_strv_length (users) == 1)
    user = users[0];
  if (user == NULL)
    {
      g_autofree char *list = g_strjoinv (", ", users);

      mamori_cli_err (_ ("--user NAME is required; the users of this vault are: %s"), list);
      return MAMORI_EXIT_USAGE;
    }
  if (!g_strv_contains ((const char *const *)users, user))
    {
      g_autofree char *list = g_strjoinv (", ", users);

      mamori_cli_err (_ ("“%s” is not a user of this vault; its users are: %s"), user, list);
      return MAMORI_EXIT_USAGE;
    }

  {
    g_autofree char *prompt = g_strdup_printf (_ ("Passphrase for %s: "), user);

    secret = mamori_cli_get_secret (passphrase_file, prompt, NULL, 0, &error);
  }
  if (secret == NULL || !mamori_vault_unlock (vault, user, secret, &error))
    return mamori_cli_vault_fail (error);

unlocked:
  *out_vault = g_steal_pointer (&vault);
  if (out_secret != NULL)
    *out_secret = g_steal_pointer (&secret);
  return MAMORI_EXIT_OK;
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

/* The recovery code on a line of its own, after what to do with it. */
static void
print_recovery_code (const char *recovery_code)
{
  mamori_cli_out ("\n%s\n", _ ("The recovery code is shown only this once. Print it or write it "
                               "down and give it to the board of education to keep: with it a "
                               "forgotten passphrase can be replaced, and anyone who has it can "
                               "open the vault."));
  mamori_cli_out ("\n%s %s\n\n", _ ("Recovery code:"), recovery_code);
}

static int
vault_create (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) passphrase = NULL;
  g_autoptr (MamoriSecret) recovery_code = NULL;
  g_autoptr (GError) error = NULL;
  MamoriRole role;

  if (options->vault == NULL || options->school == NULL || options->user == NULL)
    return usage_error (_ ("vault create needs --vault, --school, --user and --role"));
  if (!parse_role (options->role, &role))
    return MAMORI_EXIT_USAGE;

  passphrase = new_passphrase (options->passphrase_file, options->user, &error);
  if (passphrase == NULL)
    return mamori_cli_vault_fail (error);
  vault = mamori_vault_create (options->vault, options->school, options->user, role, passphrase,
                               &recovery_code, &error);
  if (vault == NULL)
    return mamori_cli_vault_fail (error);

  mamori_cli_out (_ ("Created the vault %s for %s, with %s (%s) as its first user.\n"),
                  options->vault, options->school, options->user, mamori_role_get_label (role));
  print_recovery_code (recovery_code);
  return MAMORI_EXIT_OK;
}

static int
vault_new_recovery_code (const Options *options)
{
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSecret) recovery_code = NULL;
  g_autoptr (GError) error = NULL;
  int status = open_vault (options, FALSE, &vault, NULL);

  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_vault_replace_recovery_code (vault, &recovery_code, &error))
    return mamori_cli_vault_fail (error);

  mamori_cli_out (_ ("Made a new recovery code for %s; the old one no longer works.\n"),
                  options->vault);
  print_recovery_code (recovery_code);
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

static void
print_info_json (MamoriVault *vault, const MamoriKeyFile *key_file, const char *created_at)
{
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
      json_builder_add_string_value (builder, mamori_role_to_string (slot->role));
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
  mamori_cli_out ("%-16s %s\n", _ ("Vault:"), mamori_vault_get_path (vault));
  mamori_cli_out ("%-16s %s\n", _ ("Created:"), created_at != NULL ? created_at : "");
  mamori_cli_out ("%-16s %d\n", _ ("Schema version:"), mamori_vault_get_schema_version (vault));
  mamori_cli_out ("%-16s %d\n", _ ("Key file:"), MAMORI_KEY_FILE_VERSION);
  mamori_cli_out ("%s\n", _ ("Users:"));
  for (guint i = 0; i < key_file->slots->len; i++)
    {
      const MamoriKeySlot *slot = g_ptr_array_index (key_file->slots, i);
      g_autofree char *kdf = describe_kdf (&slot->kdf);

      if (slot->kind == MAMORI_KEY_SLOT_USER)
        mamori_cli_out ("  %s (%s): %s\n", slot->user, mamori_role_to_string (slot->role), kdf);
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
  mamori_cli_out (_ ("Changed the passphrase of %s.\n"), mamori_vault_get_user (vault));
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
  mamori_cli_out (_ ("Removed %s from the vault.\n"), target);
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
    N_ ("Give another staff member a key slot") },
  { "remove-user", vault_remove_user, OPT_UNLOCK | OPT_REMOVE, N_ ("Remove a user’s key slot") },
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
  };
  const OptionSet bits[]
      = { OPT_VAULT,    OPT_SCHOOL,   OPT_USER,           OPT_ROLE,   OPT_PASSPHRASE,
          OPT_RECOVERY, OPT_NEW_USER, OPT_NEW_PASSPHRASE, OPT_REMOVE, OPT_JSON };
  GOptionEntry *entries = g_new0 (GOptionEntry, G_N_ELEMENTS (all) + 1);
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (all) == G_N_ELEMENTS (bits));
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (set & bits[i])
      entries[n++] = all[i];
  return entries;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _ ("Usage: mamori-cli vault COMMAND --vault PATH [OPTION…]"));
  fprintf (stream, "%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-17s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (stream, "\n%s\n",
           _ ("Passphrases are read from files or asked for on the terminal, never taken from "
              "the command line. Run “mamori-cli vault COMMAND --help” for the options."));
}

int
mamori_cli_vault (int argc, char **argv)
{
  if (argc < 2)
    {
      print_usage (stderr);
      return MAMORI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (stdout);
      return MAMORI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_auto (Options) options = { 0 };
        g_autofree GOptionEntry *entries = build_entries (commands[i].options, &options);
        g_autofree char *name = g_strconcat ("vault ", commands[i].name, NULL);
        int sub_argc = argc - 1;
        char **sub_argv = argv + 1;

        if (!mamori_cli_parse (name, NULL, _ (commands[i].summary), entries, &sub_argc, &sub_argv))
          return MAMORI_EXIT_USAGE;
        if (sub_argc > 1)
          return usage_error (_ ("Unexpected argument; passphrases are never given on the command "
                                 "line"));
        return commands[i].run (&options);
      }

  mamori_cli_err (_ ("Unknown vault command “%s”"), argv[1]);
  print_usage (stderr);
  return MAMORI_EXIT_USAGE;
}
