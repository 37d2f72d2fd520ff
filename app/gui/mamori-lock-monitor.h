/* mamori-lock-monitor.h — when to lock: after idle time, and when the desktop locks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MAMORI_TYPE_LOCK_MONITOR (mamori_lock_monitor_get_type ())
G_DECLARE_FINAL_TYPE (MamoriLockMonitor, mamori_lock_monitor, MAMORI, LOCK_MONITOR, GObject)

/* Emits "lock-requested" while "armed": after "idle-timeout" seconds (0: never)
 * without key or pointer input in a watched window, and, with "lock-on-screen-lock",
 * when the desktop session locks or the computer is about to suspend. */
MamoriLockMonitor *
mamori_lock_monitor_new (void);

/* Input in @window counts as use; the window keeps the controller, not the monitor. */
void
mamori_lock_monitor_watch_window (MamoriLockMonitor *self, GtkWindow *window);
/* Counts as use now. */
void
mamori_lock_monitor_reset (MamoriLockMonitor *self);

gboolean
mamori_lock_monitor_get_armed (MamoriLockMonitor *self);
void
mamori_lock_monitor_set_armed (MamoriLockMonitor *self, gboolean armed);
guint
mamori_lock_monitor_get_idle_timeout (MamoriLockMonitor *self);
void
mamori_lock_monitor_set_idle_timeout (MamoriLockMonitor *self, guint seconds);

G_END_DECLS
