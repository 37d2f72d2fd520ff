/* mamori-board-main.c — the mamori-board command: admin commands and `serve`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "mamori-board-server.h"
#include "mamori-crypto.h"
#include "mamori-text.h"

/* docs/board.md lists these; they are mamori-cli's (conventions). */
enum
{
  BOARD_EXIT_OK = 0,
  BOARD_EXIT_NOTHING_FOUND = 1,
  BOARD_EXIT_USAGE = 2,
  BOARD_EXIT_DAMAGED = 4,
  BOARD_EXIT_TOO_NEW = 5,
  BOARD_EXIT_FAILURE = 6,
  BOARD_EXIT_NOT_PERMITTED = 8,
  BOARD_EXIT_BAD_INPUT = 9,
};

static char *opt_data;

/* UTF-8 as is (g_print would convert it to the locale's charset). */
static void G_GNUC_PRINTF (1, 2) out (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fflush (stdout);
}

static void G_GNUC_PRINTF (1, 2) err (const char *format, ...)
{
  va_list args;

  fputs ("mamori-board: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
}

static int
fail_with (const GError *error)
{
  err ("%s", error->message);
  if (error->domain == MAMORI_BOARD_ERROR)
    switch ((MamoriBoardError)error->code)
      {
      case MAMORI_BOARD_ERROR_NOT_FOUND:
        return BOARD_EXIT_NOTHING_FOUND;
      case MAMORI_BOARD_ERROR_BAD_REQUEST:
        return BOARD_EXIT_USAGE;
      case MAMORI_BOARD_ERROR_EXISTS:
      case MAMORI_BOARD_ERROR_NOT_PERMITTED:
      case MAMORI_BOARD_ERROR_LEVELS_UNMAPPED:
      case MAMORI_BOARD_ERROR_REVOKED:
      case MAMORI_BOARD_ERROR_REFUSED:
        return BOARD_EXIT_NOT_PERMITTED;
      default:
        return BOARD_EXIT_FAILURE;
      }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return BOARD_EXIT_DAMAGED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return BOARD_EXIT_TOO_NEW;
  return BOARD_EXIT_FAILURE;
}

/* Parses the command's options, with --data among them; FALSE on a usage error. */
static gboolean
parse (const char *command,
       const char *parameters,
       const char *summary,
       const GOptionEntry *entries,
       int *argc,
       char ***argv,
       int n_args)
{
  static const GOptionEntry data_entry[] = { { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt_data,
                                               N_ ("The board’s data directory"), N_ ("DIR") },
                                             { NULL } };
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("mamori-board %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, data_entry, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      err ("%s", error->message);
      return FALSE;
    }
  if (opt_data == NULL)
    {
      err ("%s", _ ("--data DIR is required"));
      return FALSE;
    }
  if (*argc != n_args + 1)
    {
      err (_ ("Usage: %s %s"), prgname, parameters);
      return FALSE;
    }
  return TRUE;
}

static int
open_board (MamoriBoard **out_board)
{
  g_autoptr (GError) error = NULL;

  *out_board = mamori_board_open (opt_data, &error);
  return *out_board != NULL ? BOARD_EXIT_OK : fail_with (error);
}

/* --- commands ---------------------------------------------------------------------------- */

static int
cmd_init (int argc, char **argv)
{
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = { { "name", 0, 0, G_OPTION_ARG_STRING, &name,
                                     N_ ("The board’s name, as schools see it"), N_ ("NAME") },
                                   { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;

  if (!parse ("init", "", _ ("Create a board: its store and its signing key."), entries, &argc,
              &argv, 0))
    return BOARD_EXIT_USAGE;
  board = mamori_board_create (opt_data, name != NULL ? name : _ ("Board of education"), &error);
  if (board == NULL)
    return fail_with (error);
  out (_ ("Board created in %s\n"), opt_data);
  out (_ ("Board id: %s\n"), mamori_board_get_id (board));
  return BOARD_EXIT_OK;
}

static int
cmd_add_school (int argc, char **argv)
{
  g_autofree char *join_id = NULL;
  const GOptionEntry entries[]
      = { { "id", 0, 0, G_OPTION_ARG_STRING, &join_id,
            N_ ("A school that kept its own vault: its id (mamori-cli vault info); prints a "
                "join code for one of its administrators"),
            N_ ("ID") },
          { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  int status;

  if (!parse ("add-school", _ ("NAME"), _ ("Create a school; prints its id."), entries, &argc,
              &argv, 1))
    return BOARD_EXIT_USAGE;
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (join_id != NULL)
    {
      if (!mamori_board_add_joining_school (board, join_id, argv[1], MAMORI_BOARD_CODE_DAYS, &code,
                                            &error))
        return fail_with (error);
      out (_ ("School “%s” registered with id %s; it joins when its history has arrived.\n"),
           argv[1], join_id);
      out (_ ("Join code for one of its administrators (valid for %d days): %s\n"),
           MAMORI_BOARD_CODE_DAYS, code);
      return BOARD_EXIT_OK;
    }
  id = mamori_board_add_school (board, argv[1], &error);
  if (id == NULL)
    return fail_with (error);
  out (_ ("School “%s” added. School id: %s\n"), argv[1], id);
  return BOARD_EXIT_OK;
}

static int
cmd_add_staff (int argc, char **argv)
{
  g_autofree char *school = NULL, *name = NULL, *role_name = NULL;
  int valid_for = MAMORI_BOARD_CODE_DAYS;
  const GOptionEntry entries[]
      = { { "school", 0, 0, G_OPTION_ARG_STRING, &school, N_ ("The school’s id"), N_ ("ID") },
          { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The person’s name"), N_ ("NAME") },
          { "role", 0, 0, G_OPTION_ARG_STRING, &role_name,
            N_ ("teacher, office, vice-principal, principal or board"), N_ ("ROLE") },
          { "valid-for", 0, 0, G_OPTION_ARG_INT, &valid_for,
            N_ ("Days the enrollment code stays valid (14)"), N_ ("DAYS") },
          { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *staff = NULL, *code = NULL;
  MamoriRole role;
  int status;

  if (!parse ("add-staff", "", _ ("Add a person to a school; prints a one-time enrollment code."),
              entries, &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if (school == NULL || name == NULL || role_name == NULL
      || !mamori_role_from_string (role_name, &role) || valid_for < 1 || valid_for > 365)
    {
      err ("%s", _ ("--school, --name and --role (teacher, office, vice-principal, principal, "
                    "board) are required; --valid-for is 1 to 365 days"));
      return BOARD_EXIT_USAGE;
    }
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_add_staff (board, school, name, role, (guint)valid_for, &staff, &code, &error))
    return fail_with (error);
  out (_ ("Staff id: %s\n"), staff);
  out (_ ("One-time enrollment code for %s (valid for %d days): %s\n"), name, valid_for, code);
  return BOARD_EXIT_OK;
}

static int
cmd_remove_staff (int argc, char **argv)
{
  g_autofree char *school = NULL, *staff = NULL;
  const GOptionEntry entries[]
      = { { "school", 0, 0, G_OPTION_ARG_STRING, &school, N_ ("The school’s id"), N_ ("ID") },
          { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_ ("The person’s staff id"), N_ ("ID") },
          { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!parse ("remove-staff", "", _ ("Remove a person: their keys sign nothing more."), entries,
              &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if (school == NULL || staff == NULL)
    {
      err ("%s", _ ("--school and --staff are required"));
      return BOARD_EXIT_USAGE;
    }
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_remove_staff (board, school, staff, &error))
    return fail_with (error);
  out (_ ("Removed %s\n"), staff);
  return BOARD_EXIT_OK;
}

static int
cmd_revoke_device (int argc, char **argv)
{
  g_autofree char *school = NULL, *key_hex = NULL;
  const GOptionEntry entries[]
      = { { "school", 0, 0, G_OPTION_ARG_STRING, &school, N_ ("The school’s id"), N_ ("ID") },
          { "key", 0, 0, G_OPTION_ARG_STRING, &key_hex, N_ ("The device’s signing key (hex)"),
            N_ ("HEX") },
          { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  guint8 key[MAMORI_SIGNING_KEY_SIZE];
  int status;

  if (!parse ("revoke-device", "", _ ("Revoke one device’s key."), entries, &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if (school == NULL || key_hex == NULL || !mamori_hex_decode (key_hex, key, sizeof key))
    {
      err ("%s", _ ("--school and --key (64 hex digits) are required"));
      return BOARD_EXIT_USAGE;
    }
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_revoke_device (board, school, key, &error))
    return fail_with (error);
  out (_ ("Revoked %s\n"), key_hex);
  return BOARD_EXIT_OK;
}

static int
cmd_publish_policy (int argc, char **argv)
{
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *map = NULL;
  const GOptionEntry entries[]
      = { { "map", 0, 0, G_OPTION_ARG_STRING, &map,
            N_ ("Where each level of the policy in force goes: A=I,B=II,…"), N_ ("OLD=NEW,…") },
          { NULL } };
  guint n_schools = 0, n_relevelled = 0;
  int status;

  if (!parse ("publish-policy", _ ("FILE"), _ ("Publish a policy to every school."), entries, &argc,
              &argv, 1))
    return BOARD_EXIT_USAGE;
  file = g_file_new_for_commandline_arg (argv[1]);
  policy = mamori_policy_new_from_file (file, &error);
  if (policy == NULL)
    {
      err ("%s", error->message);
      return BOARD_EXIT_BAD_INPUT;
    }
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_publish_policy (board, policy, map, &n_schools, &n_relevelled, NULL, &error))
    {
      /* A mapping that does not fit the levels is an input with errors. */
      if (g_error_matches (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_MAPPING))
        {
          err ("%s", error->message);
          return BOARD_EXIT_BAD_INPUT;
        }
      return fail_with (error);
    }
  out (g_dngettext (GETTEXT_PACKAGE, "Policy “%s” published to %u school\n",
                    "Policy “%s” published to %u schools\n", n_schools),
       mamori_policy_get_title (policy), n_schools);
  if (map != NULL)
    out (g_dngettext (GETTEXT_PACKAGE, "%u register entry moved to the new levels\n",
                      "%u register entries moved to the new levels\n", n_relevelled),
         n_relevelled);
  return BOARD_EXIT_OK;
}

static int
cmd_stats (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[]
      = { { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Write JSON"), NULL }, { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  MamoriBoardStats stats = { { 0 } };
  int status;

  if (!parse ("stats", "", _ ("What the board holds."), entries, &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_stats (board, &stats, &error))
    return fail_with (error);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;
      const struct
      {
        const char *name;
        gint64 value;
      } counts[] = { { "schools", stats.store.schools },
                     { "events", stats.store.events },
                     { "devices", stats.store.keys },
                     { "codes_open", stats.store.codes_open },
                     { "codes_used", stats.store.codes_used } };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "board");
      json_builder_add_string_value (builder, mamori_board_get_id (board));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, mamori_board_get_name (board));
      json_builder_set_member_name (builder, "epoch");
      json_builder_add_string_value (builder, stats.epoch);
      for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
        {
          json_builder_set_member_name (builder, counts[i].name);
          json_builder_add_int_value (builder, counts[i].value);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      out ("%s\n", text);
    }
  else
    {
      g_autofree char *schools = g_strdup_printf ("%" G_GINT64_FORMAT, stats.store.schools);
      g_autofree char *events = g_strdup_printf ("%" G_GINT64_FORMAT, stats.store.events);
      g_autofree char *keys = g_strdup_printf ("%" G_GINT64_FORMAT, stats.store.keys);
      g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT, stats.store.codes_open);
      g_autofree char *used = g_strdup_printf ("%" G_GINT64_FORMAT, stats.store.codes_used);

      out (_ ("Board: %s (%s)\n"), mamori_board_get_name (board), mamori_board_get_id (board));
      out (_ ("Epoch: %s\n"), stats.epoch);
      out (_ ("Schools: %s\n"), schools);
      out (_ ("Events: %s\n"), events);
      out (_ ("Device keys: %s\n"), keys);
      out (_ ("Enrollment codes open: %s, used: %s\n"), open, used);
    }
  g_free (stats.epoch);
  return BOARD_EXIT_OK;
}

static int
cmd_backup (int argc, char **argv)
{
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!parse ("backup", _ ("FILE"),
              _ ("Write a consistent copy of the store, while it is in use, with a new epoch."),
              NULL, &argc, &argv, 1))
    return BOARD_EXIT_USAGE;
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  if (!mamori_board_backup (board, argv[1], &error))
    return fail_with (error);
  out (_ ("Backup written to %s\n"), argv[1]);
  return BOARD_EXIT_OK;
}

static const char *
drop_reason (MamoriBoardDropReason reason)
{
  switch (reason)
    {
    case MAMORI_BOARD_DROP_BAD_SIGNATURE:
      return _ ("its signature is not its author’s");
    case MAMORI_BOARD_DROP_CHAIN:
      return _ ("it continues its author’s chain after an event dropped");
    case MAMORI_BOARD_DROP_REFUSED:
      return _ ("the school’s records refuse it without the events dropped");
    default:
      g_assert_not_reached ();
    }
}

static int
cmd_drop_held (int argc, char **argv)
{
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = { { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
                                     N_ ("Only list what would be dropped"), NULL },
                                   { NULL } };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GPtrArray) dropped = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  int status;

  if (!parse ("drop-held", "",
              _ ("Drop the events held for a bad signature, and those that cannot stand without "
                 "them; the board takes a new epoch."),
              entries, &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  dropped = mamori_board_drop_held (board, dry_run, &epoch, &error);
  if (dropped == NULL)
    return fail_with (error);
  if (dropped->len == 0)
    {
      out ("%s\n", _ ("No event is held for a bad signature"));
      return BOARD_EXIT_NOTHING_FOUND;
    }
  for (guint i = 0; i < dropped->len; i++)
    {
      MamoriBoardDropped *one = dropped->pdata[i];
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, one->seq);
      g_autofree char *author_seq = g_strdup_printf ("%" G_GINT64_FORMAT, one->author_seq);

      /* TRANSLATORS: the board's number of the event, the school's name and id, the
       * event's type, its author's key (shortened) and number in the author's chain,
       * then why it is dropped. */
      out (_ ("Event %s of %s (%s): %s by %.16s… #%s: %s\n"), seq, one->school_name, one->school,
           one->type, one->author, author_seq, drop_reason (one->reason));
    }
  if (dry_run)
    out (g_dngettext (
             GETTEXT_PACKAGE, "%u event would be dropped, and the board would take a new epoch\n",
             "%u events would be dropped, and the board would take a new epoch\n", dropped->len),
         dropped->len);
  else
    out (g_dngettext (GETTEXT_PACKAGE, "%u event dropped; the board’s new epoch is %s\n",
                      "%u events dropped; the board’s new epoch is %s\n", dropped->len),
         dropped->len, epoch);
  return BOARD_EXIT_OK;
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* ADDR:PORT, with ADDR an IP address ([…] for IPv6) or "localhost". */
static GInetSocketAddress *
parse_listen (const char *text)
{
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) address = NULL;
  const char *colon = strrchr (text, ':');
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    return NULL;
  host = g_strndup (text, colon - text);
  if (host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  if (g_str_equal (host, "localhost"))
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return NULL;
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16)port));
}

/* Each computer long-polling holds a connection, so a descriptor: a board of 500
 * schools holds 10,000.  The soft limit is often 1,024 (systemd's default for a
 * service); the hard one, which systemd sets high so that a program needing many can
 * raise its soft one, is the most the board may use. */
static void
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
    return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
    g_message ("Cannot raise the limit of open files: %s", g_strerror (errno));
}

static int
cmd_serve (int argc, char **argv)
{
  g_autofree char *listen = NULL, *cert = NULL, *key = NULL;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_ ("Address and port, such as 0.0.0.0:8443 (port 0: any free port)"), N_ ("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_ ("The certificate (PEM)"), N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_ ("Its private key (PEM)"), N_ ("FILE") },
    { NULL }
  };
  g_autoptr (MamoriBoard) board = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (MamoriBoardServer) server = NULL;
  g_autoptr (GInetSocketAddress) address = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;
  int status;

  if (!parse ("serve", "", _ ("Serve the board’s protocol over HTTPS."), entries, &argc, &argv, 0))
    return BOARD_EXIT_USAGE;
  if (listen == NULL || (address = parse_listen (listen)) == NULL
      || (cert == NULL) != (key == NULL))
    {
      err ("%s", _ ("--listen ADDR:PORT is required, and --tls-cert goes with --tls-key"));
      return BOARD_EXIT_USAGE;
    }
  if (cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert, key, &error);
      if (certificate == NULL)
        {
          err ("%s", error->message);
          return BOARD_EXIT_BAD_INPUT;
        }
    }
  if ((status = open_board (&board)) != BOARD_EXIT_OK)
    return status;
  raise_descriptor_limit ();
  server = mamori_board_server_new (board, certificate);
  if (!mamori_board_server_listen (server, address, &uri, &error))
    return fail_with (error);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit, loop);
  g_unix_signal_add (SIGTERM, quit, loop);
  out (_ ("Serving %s on %s\n"), mamori_board_get_name (board), uri);
  g_main_loop_run (loop);
  mamori_board_server_drain (server);
  return BOARD_EXIT_OK;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary; /* N_() */
} Command;

static const Command commands[] = {
  { "init", cmd_init, N_ ("Create a board: its store and its signing key") },
  { "add-school", cmd_add_school, N_ ("Create a school") },
  { "add-staff", cmd_add_staff, N_ ("Add a person; prints a one-time enrollment code") },
  { "remove-staff", cmd_remove_staff, N_ ("Remove a person") },
  { "revoke-device", cmd_revoke_device, N_ ("Revoke one device’s key") },
  { "publish-policy", cmd_publish_policy, N_ ("Publish a policy to every school") },
  { "serve", cmd_serve, N_ ("Serve the protocol (HTTPS; plain HTTP on loopback only)") },
  { "stats", cmd_stats, N_ ("What the board holds") },
  { "backup", cmd_backup, N_ ("Write a consistent copy of the store") },
  { "drop-held", cmd_drop_held, N_ ("Drop the events held for a bad signature") },
};

static void
usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _ ("Usage: mamori-board COMMAND --data DIR [OPTION…]"),
           _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-15s %s\n", commands[i].name, _ (commands[i].summary));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  mamori_text_use_utf8 ();
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!mamori_crypto_init (&error))
    {
      err ("%s", error->message);
      return BOARD_EXIT_FAILURE;
    }
  if (argc < 2)
    {
      usage (stderr);
      return BOARD_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      usage (stdout);
      return BOARD_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        status = commands[i].run (argc - 1, argv + 1);
        g_clear_pointer (&opt_data, g_free);
        return status;
      }
  err (_ ("Unknown command “%s”"), argv[1]);
  usage (stderr);
  return BOARD_EXIT_USAGE;
}
