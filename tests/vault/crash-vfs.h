/* crash-vfs.h — an in-memory SQLite VFS that loses power on demand
 *
 * Modelled on SQLite's own crash tests: what a file has been written since its last
 * sync is only in the "disk cache" until then.  At a power loss each unsynced write
 * is dropped, kept, or torn (a random subset of its 512-byte sectors reaches the
 * disk).  Directory entries behave like a POSIX file system's: creating or unlinking
 * a file is durable only after a directory sync (xDelete with syncDir, or the first
 * sync of a new journal, as SQLite's unix VFS does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _CrashVfs CrashVfs;

/* Registers the VFS as @name (makeDflt=0); its randomness comes from @seed. */
CrashVfs *
crash_vfs_new (const char *name, guint32 seed);
void
crash_vfs_free (CrashVfs *vfs);

/* How the device describes itself to SQLite: sector size and SQLITE_IOCAP_* flags. */
void
crash_vfs_set_device (CrashVfs *vfs, int sector_size, int characteristics);

/* Power fails at the @n-th next write, sync, truncate or delete (which then fails,
 * as does everything after it); 0 disarms. */
void
crash_vfs_arm (CrashVfs *vfs, guint64 n);
gboolean
crash_vfs_has_crashed (CrashVfs *vfs);
/* Writes, syncs, truncates and deletes so far. */
guint64
crash_vfs_get_op_count (CrashVfs *vfs);

/* The power comes back: unsynced writes and directory changes are lost or torn as
 * described above, every file is as the disk holds it, and operations succeed again.
 * Connections must be closed first. */
void
crash_vfs_power_loss (CrashVfs *vfs);

/* Forgets every file. */
void
crash_vfs_reset (CrashVfs *vfs);

G_END_DECLS
