/* mamori-cli-sync.c — `mamori-cli sync`: the vault and its board exchange events
 *
 * --once pushes and pulls until nothing is left, then exits; without it the command
 * keeps the vault in step (long polls, and capped exponential back-off with jitter while
 * the board cannot be reached) until it is interrupted.  Each step is one vault
 * transaction, so an interruption loses nothing.  Exit statuses: docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-secret.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-sync-client.h"
#include "mamori-sync-join.h"
#include "mamori-vault-sync.h"

/* The long poll of the continuous mode: under the board's limit and the client's
 * timeout. */
#define SYNC_WAIT 25

static int
sync_fail (const GError *error)
{
  if (error->domain != MAMORI_SYNC_ERROR)
    return mamori_cli_vault_fail (error);
  mamori_cli_err ("%s", error->message);
  switch ((MamoriSyncError)error->code)
    {
    case MAMORI_SYNC_ERROR_UNREACHABLE:
      return MAMORI_EXIT_UNREACHABLE;
    case MAMORI_SYNC_ERROR_CERTIFICATE:
      return MAMORI_EXIT_DAMAGED;
    case MAMORI_SYNC_ERROR_NOT_JOINED:
    case MAMORI_SYNC_ERROR_REVOKED:
    case MAMORI_SYNC_ERROR_NOT_PERMITTED:
    case MAMORI_SYNC_ERROR_REFUSED:
      return MAMORI_EXIT_NOT_PERMITTED;
    case MAMORI_SYNC_ERROR_INPUT:
      return MAMORI_EXIT_USAGE;
    case MAMORI_SYNC_ERROR_PROTOCOL:
    default:
      return MAMORI_EXIT_FAILURE;
    }
}

static void
print_report (MamoriVault *vault, const MamoriSyncReport *report, gboolean json)
{
  gint64 unsent = 0;

  mamori_vault_sync_count_unsent (vault, &unsent, NULL);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pushed");
      json_builder_add_int_value (builder, report->pushed);
      json_builder_set_member_name (builder, "received");
      json_builder_add_int_value (builder, report->received);
      json_builder_set_member_name (builder, "unsent");
      json_builder_add_int_value (builder, unsent);
      json_builder_set_member_name (builder, "undone");
      json_builder_begin_array (builder);
      for (guint i = 0; report->undone != NULL && i < report->undone->len; i++)
        {
          const MamoriEvent *event = report->undone->pdata[i];
          g_autofree char *id = mamori_hex_encode (event->id, sizeof event->id);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, event->type);
          json_builder_set_member_name (builder, "created_at");
          json_builder_add_string_value (builder, event->created_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "undone_reason");
      if (report->undone_reason != NULL)
        json_builder_add_string_value (builder, report->undone_reason);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "undone_code");
      if (report->undone_code != NULL)
        json_builder_add_string_value (builder, report->undone_code);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      mamori_cli_out_json (builder);
      return;
    }
  mamori_cli_out (_ ("Sent %u, received %u; %u not sent yet.\n"), report->pushed, report->received,
                  (guint)unsent);
  if (report->undone != NULL && report->undone->len > 0)
    {
      mamori_cli_out (_ ("The board of education refused %u of this computer’s records, and "
                         "they were taken back: %s\n"),
                      report->undone->len, report->undone_reason);
      for (guint i = 0; i < report->undone->len; i++)
        {
          const MamoriEvent *event = report->undone->pdata[i];

          mamori_cli_out ("  %s  %s\n", event->created_at, event->type);
        }
    }
}

/* Runs until interrupted: a long poll after each round, back-off after a failure. */
static int
keep_in_step (MamoriSyncClient *client, MamoriVault *vault, gboolean json)
{
  guint failures = 0;

  for (;;)
    {
      g_auto (MamoriSyncReport) report = { 0 };
      g_autoptr (GError) error = NULL;

      if (mamori_sync_client_sync (client, SYNC_WAIT, NULL, &report, &error))
        {
          failures = 0;
          if (report.pushed > 0 || report.received > 0
              || (report.undone != NULL && report.undone->len > 0))
            print_report (vault, &report, json);
          continue;
        }
      if (!g_error_matches (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_UNREACHABLE))
        return sync_fail (error);
      mamori_cli_err ("%s", error->message);
      g_usleep (
          (gulong)mamori_sync_next_delay (++failures, mamori_sync_client_get_retry_after (client))
          * 1000);
    }
}

int
mamori_cli_sync (int argc, char **argv)
{
  g_autofree char *vault_path = NULL, *user = NULL, *passphrase_file = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriSyncClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  gboolean once = FALSE, json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_path, N_ ("The school’s vault"), N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("Unlock as this user"), N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_ ("Read the passphrase from FILE (- for standard input)"), N_ ("FILE") },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_ ("Push and pull until nothing is left, then exit"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print what was done as JSON"), NULL },
    { NULL },
  };

  if (!mamori_cli_parse ("sync", NULL, _ ("Exchange records with the board of education"), entries,
                         &argc, &argv))
    return MAMORI_EXIT_USAGE;
  if (vault_path == NULL || argc > 1)
    {
      mamori_cli_err (_ ("Usage: mamori-cli sync --vault PATH [--user NAME] "
                         "[--passphrase-file FILE] [--once] [--json]"));
      return MAMORI_EXIT_USAGE;
    }
  status = mamori_cli_open_vault (vault_path, user, passphrase_file, NULL, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;
  client = mamori_sync_client_new (vault, &error);
  if (client == NULL)
    return sync_fail (error);
  if (!once)
    return keep_in_step (client, vault, json);
  if (!mamori_sync_client_sync (client, 0, NULL, &report, &error))
    return sync_fail (error);
  print_report (vault, &report, json);
  /* Taken back is not lost from sight: a script sees the board refused something. */
  return report.undone != NULL && report.undone->len > 0 ? MAMORI_EXIT_NOT_PERMITTED
                                                         : MAMORI_EXIT_OK;
}

/* The SHA-256 of the certificate in the PEM file @path. */
static GBytes *
certificate_hash_of (const char *path, GError **error)
{
  g_autoptr (GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, error);

  return certificate != NULL ? mamori_sync_certificate_hash (certificate) : NULL;
}

/* No vault here yet: the code is a person's enrollment code, and their vault is made. */
static int
enroll (const char *path,
        const char *url,
        const char *code,
        const char *passphrase_file,
        const char *label,
        GBytes *certificate,
        gboolean json)
{
  g_autoptr (MamoriSecret) passphrase = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  gboolean synced;

  passphrase = mamori_cli_get_secret (passphrase_file, _ ("New passphrase for this computer: "),
                                      _ ("The same passphrase again: "),
                                      MAMORI_CLI_MIN_PASSPHRASE_CHARS, &error);
  if (passphrase == NULL)
    return mamori_cli_vault_fail (error);
  synced = mamori_sync_enroll (path, url, code, passphrase, label, certificate, NULL, &vault,
                               &report, &error);
  if (vault == NULL)
    return sync_fail (error);
  mamori_cli_out (_ ("Created the vault %s for %s, as %s.\n"), path,
                  mamori_vault_get_school (vault), mamori_vault_get_user (vault));
  if (!synced)
    return sync_fail (error);
  print_report (vault, &report, json);
  return MAMORI_EXIT_OK;
}

int
mamori_cli_board_join (int argc, char **argv)
{
  g_autofree char *vault_path = NULL, *user = NULL, *passphrase_file = NULL;
  g_autofree char *label = NULL, *certificate_file = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (GBytes) certificate = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (MamoriSyncReport) report = { 0 };
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_path, N_ ("The school’s vault"), N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_ ("Unlock as this user"), N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_ ("Read the passphrase from FILE (- for standard input)"), N_ ("FILE") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label,
      N_ ("This computer’s name for the board (default: the host name)"), N_ ("NAME") },
    { "certificate", 0, 0, G_OPTION_ARG_FILENAME, &certificate_file,
      N_ ("The board’s certificate (PEM), when no certificate authority signed it"), N_ ("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print what was done as JSON"), NULL },
    { NULL },
  };

  if (!mamori_cli_parse ("board-join", "URL CODE",
                         _ ("Join the school’s vault to its board of education"), entries, &argc,
                         &argv))
    return MAMORI_EXIT_USAGE;
  if (vault_path == NULL || argc != 3)
    {
      mamori_cli_err (_ ("Usage: mamori-cli board-join --vault PATH [--user NAME] "
                         "[--passphrase-file FILE] [--label NAME] [--certificate FILE] URL CODE"));
      return MAMORI_EXIT_USAGE;
    }
  if (certificate_file != NULL)
    {
      certificate = certificate_hash_of (certificate_file, &error);
      if (certificate == NULL)
        {
          mamori_cli_err ("%s", error->message);
          return MAMORI_EXIT_USAGE;
        }
    }
  if (!g_file_test (vault_path, G_FILE_TEST_EXISTS))
    return enroll (vault_path, argv[1], argv[2], passphrase_file,
                   label != NULL ? label : g_get_host_name (), certificate, json);
  status = mamori_cli_open_vault (vault_path, user, passphrase_file, NULL, &vault, NULL);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (!mamori_sync_join_board (vault, argv[1], argv[2], label != NULL ? label : g_get_host_name (),
                               certificate, NULL, &report, &error))
    return sync_fail (error);
  print_report (vault, &report, json);
  return MAMORI_EXIT_OK;
}
