/* mamori-vault-lock.c — the vault's lock file ("school.mamori-lock")
 *
 * Replacing the master key swaps both files of a vault for new ones.  A process that
 * read the old key file and then opens the new database would see page 1 fail — a false
 * alarm of tampering — and a process still writing to the old database would write to a
 * file nobody will read again.  So every process holds the lock file shared (flock) while
 * it has the vault unlocked, and a rotation holds it exclusively: it waits for the
 * others to close, or they wait for it, for a few seconds, then give up with "busy".
 * Cleaning up what an interrupted rotation left behind also needs the exclusive lock, so
 * that nobody removes the new files of a rotation that is running.
 *
 * SQLite's own locks (fcntl) are on the database file and cannot serve here: they end
 * with the connection, and the rotation replaces the very file they are on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-vault"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "mamori-vault-private.h"

#define LOCK_WAIT_USEC (10 * G_USEC_PER_SEC)
#define LOCK_POLL_USEC (20 * 1000)

static gboolean
open_lock_file (MamoriVault *self, GError **error)
{
  g_autofree char *path = NULL;
  int saved_errno;

  if (self->lock_fd >= 0)
    return TRUE;
  path = g_strconcat (self->path, "-lock", NULL);
  self->lock_fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd >= 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO, _ ("Cannot open %s: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Tries @operation (LOCK_SH or LOCK_EX) until it is granted or the wait is over. */
static gboolean
take (MamoriVault *self, int operation, const char *busy_message, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + LOCK_WAIT_USEC;

  if (!open_lock_file (self, error))
    return FALSE;
  for (;;)
    {
      int saved_errno;

      if (flock (self->lock_fd, operation | LOCK_NB) == 0)
        return TRUE;
      saved_errno = errno;
      if (saved_errno != EWOULDBLOCK && saved_errno != EINTR)
        {
          g_set_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_IO,
                       _ ("Cannot lock the vault %s: %s"), self->path, g_strerror (saved_errno));
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error_literal (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_BUSY, busy_message);
          return FALSE;
        }
      g_usleep (LOCK_POLL_USEC);
    }
}

gboolean
_mamori_vault_lock_shared (MamoriVault *self, GError **error)
{
  return take (self, LOCK_SH,
               _ ("The vault is busy: another program is replacing its key. Try again in a "
                  "moment"),
               error);
}

gboolean
_mamori_vault_lock_exclusive (MamoriVault *self, GError **error)
{
  /* Linux drops a shared flock before it tries for the exclusive one, even when that
   * fails: what the caller held is taken again then. */
  if (take (self, LOCK_EX,
            _ ("The vault is busy: another Mamori has it open. Close Mamori on this computer "
               "(or lock it) and try again"),
            error))
    return TRUE;
  if (self->keys != NULL)
    _mamori_vault_lock_shared (self, NULL);
  return FALSE;
}

gboolean
_mamori_vault_try_lock_exclusive (MamoriVault *self)
{
  return open_lock_file (self, NULL) && flock (self->lock_fd, LOCK_EX | LOCK_NB) == 0;
}

void
_mamori_vault_unlock_file (MamoriVault *self)
{
  if (self->lock_fd >= 0)
    flock (self->lock_fd, LOCK_UN);
}
