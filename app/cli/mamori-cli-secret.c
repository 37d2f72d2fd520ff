/* mamori-cli-secret.c — passphrases and recovery codes for mamori-cli, never from argv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mamori-cli-secret.h"

/* Longer than any passphrase anyone types; a bigger "passphrase file" is a wrong file. */
#define MAX_SECRET_BYTES 1024

G_DEFINE_QUARK (mamori - cli - secret - error - quark, mamori_cli_secret_error)

/* Reads up to MAX_SECRET_BYTES from @fd into secure memory, up to a newline when
 * @line, dropping the line end. */
static MamoriSecret *
read_secret (int fd, gboolean line, const char *origin, GError **error)
{
  g_autoptr (MamoriSecret) secret = mamori_secure_alloc (MAX_SECRET_BYTES + 2);
  gsize len = 0;

  for (;;)
    {
      ssize_t n = read (fd, secret + len, line ? 1 : MAX_SECRET_BYTES + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_IO,
                       _ ("Cannot read %s: %s"), origin, g_strerror (errno));
          return NULL;
        }
      if (n == 0 || (line && secret[len] == '\n'))
        break;
      len += n;
      if (len > MAX_SECRET_BYTES)
        {
          g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_INVALID,
                       _ ("%s holds more than %d bytes: not a passphrase"), origin,
                       MAX_SECRET_BYTES);
          return NULL;
        }
    }

  /* Editors end a file with a newline, Windows ones with CR LF: neither is part of the
   * passphrase.  Other spaces are, as typed. */
  if (len > 0 && secret[len - 1] == '\n')
    len--;
  if (len > 0 && secret[len - 1] == '\r')
    len--;
  memset (secret + len, 0, MAX_SECRET_BYTES + 2 - len);

  if (len == 0 || !g_utf8_validate (secret, len, NULL))
    {
      g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_INVALID,
                   len == 0 ? _ ("%s is empty") : _ ("%s is not UTF-8 text"), origin);
      return NULL;
    }
  return g_steal_pointer (&secret);
}

static MamoriSecret *
read_secret_file (const char *path, GError **error)
{
  MamoriSecret *secret;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_IO,
                   _ ("Cannot open %s: %s"), path, g_strerror (errno));
      return NULL;
    }
  secret = read_secret (fd, FALSE, path, error);
  close (fd);
  return secret;
}

/* The terminal's settings while echo is off, to restore them if the user interrupts. */
static int tty_fd = -1;
static struct termios saved_termios;

static void
restore_terminal_and_die (int sig)
{
  tcsetattr (tty_fd, TCSAFLUSH, &saved_termios);
  signal (sig, SIG_DFL);
  raise (sig);
}

static MamoriSecret *
prompt_secret (int fd, const char *prompt, GError **error)
{
  struct sigaction action = { 0 }, old_int, old_term, old_hup;
  struct termios quiet;
  MamoriSecret *secret;

  if (tcgetattr (fd, &saved_termios) != 0)
    {
      g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_IO,
                   _ ("Cannot turn off echo on the terminal: %s"), g_strerror (errno));
      return NULL;
    }
  tty_fd = fd;
  action.sa_handler = restore_terminal_and_die;
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);
  sigaction (SIGHUP, &action, &old_hup);

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  quiet.c_lflag |= ECHONL;
  if (write (fd, prompt, strlen (prompt)) < 0 || tcsetattr (fd, TCSAFLUSH, &quiet) != 0)
    {
      g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_IO,
                   _ ("Cannot ask for the passphrase on the terminal: %s"), g_strerror (errno));
      secret = NULL;
    }
  else
    secret = read_secret (fd, TRUE, _ ("the terminal"), error);

  tcsetattr (fd, TCSAFLUSH, &saved_termios);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  sigaction (SIGHUP, &old_hup, NULL);
  tty_fd = -1;
  return secret;
}

static MamoriSecret *
ask_terminal (const char *prompt, const char *confirm_prompt, GError **error)
{
  g_autoptr (MamoriSecret) secret = NULL, again = NULL;
  int fd = g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      g_set_error_literal (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_NO_TERMINAL,
                           _ ("No terminal to ask for the passphrase on: give it in a file "
                              "(--passphrase-file and the like)"));
      return NULL;
    }
  secret = prompt_secret (fd, prompt, error);
  if (secret != NULL && confirm_prompt != NULL)
    {
      again = prompt_secret (fd, confirm_prompt, error);
      if (again == NULL)
        g_clear_pointer (&secret, mamori_secure_free);
      else if (strcmp (secret, again) != 0)
        {
          g_set_error_literal (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_MISMATCH,
                               _ ("The two passphrases differ; nothing was changed"));
          g_clear_pointer (&secret, mamori_secure_free);
        }
    }
  close (fd);
  return g_steal_pointer (&secret);
}

MamoriSecret *
mamori_cli_get_secret (const char *file,
                       const char *prompt,
                       const char *confirm_prompt,
                       guint min_chars,
                       GError **error)
{
  g_autoptr (MamoriSecret) secret = NULL;

  secret = file != NULL ? read_secret_file (file, error)
                        : ask_terminal (prompt, confirm_prompt, error);
  if (secret != NULL && g_utf8_strlen (secret, -1) < min_chars)
    {
      g_set_error (error, MAMORI_CLI_SECRET_ERROR, MAMORI_CLI_SECRET_ERROR_INVALID,
                   ngettext ("A passphrase needs at least %u character",
                             "A passphrase needs at least %u characters", min_chars),
                   min_chars);
      return NULL;
    }
  return g_steal_pointer (&secret);
}
