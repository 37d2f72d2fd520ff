/* mamori-lock-monitor.c — when to lock: after idle time, and when the desktop locks
 *
 * Idle time: a capture-phase controller on each watched window sees every key, button,
 * scroll and motion event before any widget does, and only notes the time.  One timeout
 * runs to the earliest moment the monitor could be idle long enough; when it fires it
 * checks the time of the last input and either asks to lock or waits for the rest.
 *
 * The desktop: GNOME Shell's org.gnome.ScreenSaver "ActiveChanged" (true) on the session
 * bus, and systemd-logind on the system bus — "Lock" of this login session (what
 * `loginctl lock-session` and other desktops send) and "PrepareForSleep" (true).  Both
 * buses are optional: without them (a test, a desktop without logind) the monitor only
 * counts idle time, and says nothing about it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "mamori-lock-monitor.h"

#define SCREENSAVER_NAME "org.gnome.ScreenSaver"
#define SCREENSAVER_PATH "/org/gnome/ScreenSaver"
#define LOGIN1_NAME "org.freedesktop.login1"
#define LOGIN1_PATH "/org/freedesktop/login1"
#define LOGIN1_MANAGER_IFACE "org.freedesktop.login1.Manager"
#define LOGIN1_SESSION_IFACE "org.freedesktop.login1.Session"

struct _MamoriLockMonitor
{
  GObject parent_instance;

  gboolean armed;
  guint idle_timeout;
  gboolean lock_on_screen_lock;

  gint64 last_input;
  guint timeout_id;

  GCancellable *cancellable;
  GDBusConnection *session_bus;
  GDBusConnection *system_bus;
  guint screensaver_id;
  guint sleep_id;
  guint session_lock_id;
};

G_DEFINE_FINAL_TYPE (MamoriLockMonitor, mamori_lock_monitor, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ARMED,
  PROP_IDLE_TIMEOUT,
  PROP_LOCK_ON_SCREEN_LOCK,
  N_PROPS
};

enum
{
  LOCK_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mamori_lock_monitor_schedule (MamoriLockMonitor *self);

static void
mamori_lock_monitor_request_lock (MamoriLockMonitor *self)
{
  if (self->armed)
    g_signal_emit (self, signals[LOCK_REQUESTED], 0);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  MamoriLockMonitor *self = MAMORI_LOCK_MONITOR (user_data);

  self->timeout_id = 0;
  mamori_lock_monitor_schedule (self);

  return G_SOURCE_REMOVE;
}

/* Asks to lock if the idle time is over; otherwise waits for the rest of it. */
static void
mamori_lock_monitor_schedule (MamoriLockMonitor *self)
{
  gint64 remaining;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (!self->armed || self->idle_timeout == 0)
    return;

  remaining = self->last_input + self->idle_timeout * G_USEC_PER_SEC - g_get_monotonic_time ();
  if (remaining <= 0)
    {
      /* Counting starts again, in case whoever listens cannot lock right now. */
      self->last_input = g_get_monotonic_time ();
      mamori_lock_monitor_request_lock (self);
      mamori_lock_monitor_schedule (self);
      return;
    }

  self->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint)((remaining + 999) / 1000),
                                         idle_timeout_cb, self, NULL);
}

static gboolean
input_event_cb (MamoriLockMonitor *self, GdkEvent *event)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      mamori_lock_monitor_reset (self);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* --- the desktop ---------------------------------------------------------------- */

static void
desktop_locked (MamoriLockMonitor *self)
{
  if (self->lock_on_screen_lock)
    mamori_lock_monitor_request_lock (self);
}

/* ActiveChanged (b) and PrepareForSleep (b): true is the moment to lock. */
static void
boolean_signal_cb (GDBusConnection *connection,
                   const char *sender_name,
                   const char *object_path,
                   const char *interface_name,
                   const char *signal_name,
                   GVariant *parameters,
                   gpointer user_data)
{
  gboolean active;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &active);
  if (active)
    desktop_locked (MAMORI_LOCK_MONITOR (user_data));
}

static void
session_lock_cb (GDBusConnection *connection,
                 const char *sender_name,
                 const char *object_path,
                 const char *interface_name,
                 const char *signal_name,
                 GVariant *parameters,
                 gpointer user_data)
{
  desktop_locked (MAMORI_LOCK_MONITOR (user_data));
}

static void
session_bus_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  MamoriLockMonitor *self;

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No session bus, the screen saver is not watched: %s", error->message);
      return;
    }

  self = MAMORI_LOCK_MONITOR (user_data);
  self->session_bus = bus;
  self->screensaver_id = g_dbus_connection_signal_subscribe (
      bus, SCREENSAVER_NAME, SCREENSAVER_NAME, "ActiveChanged", SCREENSAVER_PATH, NULL,
      G_DBUS_SIGNAL_FLAGS_NONE, boolean_signal_cb, self, NULL);
}

static void
login_session_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  MamoriLockMonitor *self;
  const char *path;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No login session, its lock is not watched: %s", error->message);
      return;
    }

  self = MAMORI_LOCK_MONITOR (user_data);
  g_variant_get (reply, "(&o)", &path);
  self->session_lock_id = g_dbus_connection_signal_subscribe (
      self->system_bus, LOGIN1_NAME, LOGIN1_SESSION_IFACE, "Lock", path, NULL,
      G_DBUS_SIGNAL_FLAGS_NONE, session_lock_cb, self, NULL);
}

static void
system_bus_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  const char *session_id = g_getenv ("XDG_SESSION_ID");
  MamoriLockMonitor *self;

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, logind is not watched: %s", error->message);
      return;
    }

  self = MAMORI_LOCK_MONITOR (user_data);
  self->system_bus = bus;
  self->sleep_id = g_dbus_connection_signal_subscribe (
      bus, LOGIN1_NAME, LOGIN1_MANAGER_IFACE, "PrepareForSleep", LOGIN1_PATH, NULL,
      G_DBUS_SIGNAL_FLAGS_NONE, boolean_signal_cb, self, NULL);

  /* The session's object path; logind finds it by process where the variable is unset. */
  g_dbus_connection_call (bus, LOGIN1_NAME, LOGIN1_PATH, LOGIN1_MANAGER_IFACE,
                          session_id != NULL ? "GetSession" : "GetSessionByPID",
                          session_id != NULL ? g_variant_new ("(s)", session_id)
                                             : g_variant_new ("(u)", (guint32)getpid ()),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                          login_session_cb, self);
}

static void
unsubscribe (GDBusConnection *bus, guint *id)
{
  if (*id != 0)
    g_dbus_connection_signal_unsubscribe (bus, *id);
  *id = 0;
}

/* --- GObject -------------------------------------------------------------------- */

static void
mamori_lock_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriLockMonitor *self = MAMORI_LOCK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_ARMED:
      g_value_set_boolean (value, self->armed);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    case PROP_LOCK_ON_SCREEN_LOCK:
      g_value_set_boolean (value, self->lock_on_screen_lock);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_lock_monitor_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  MamoriLockMonitor *self = MAMORI_LOCK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_ARMED:
      mamori_lock_monitor_set_armed (self, g_value_get_boolean (value));
      break;

    case PROP_IDLE_TIMEOUT:
      mamori_lock_monitor_set_idle_timeout (self, g_value_get_uint (value));
      break;

    case PROP_LOCK_ON_SCREEN_LOCK:
      if (self->lock_on_screen_lock != g_value_get_boolean (value))
        {
          self->lock_on_screen_lock = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_lock_monitor_dispose (GObject *object)
{
  MamoriLockMonitor *self = MAMORI_LOCK_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (self->session_bus != NULL)
    unsubscribe (self->session_bus, &self->screensaver_id);
  if (self->system_bus != NULL)
    {
      unsubscribe (self->system_bus, &self->sleep_id);
      unsubscribe (self->system_bus, &self->session_lock_id);
    }
  g_clear_object (&self->session_bus);
  g_clear_object (&self->system_bus);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mamori_lock_monitor_parent_class)->dispose (object);
}

static void
mamori_lock_monitor_class_init (MamoriLockMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mamori_lock_monitor_get_property;
  object_class->set_property = mamori_lock_monitor_set_property;
  object_class->dispose = mamori_lock_monitor_dispose;

  properties[PROP_ARMED]
      = g_param_spec_boolean ("armed", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IDLE_TIMEOUT]
      = g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT / G_USEC_PER_SEC, 600,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOCK_ON_SCREEN_LOCK]
      = g_param_spec_boolean ("lock-on-screen-lock", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MamoriLockMonitor::lock-requested:
   *
   * Time to lock: the idle time is over, or the desktop locked.
   */
  signals[LOCK_REQUESTED] = g_signal_new ("lock-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mamori_lock_monitor_init (MamoriLockMonitor *self)
{
  self->idle_timeout = 600;
  self->lock_on_screen_lock = TRUE;
  self->last_input = g_get_monotonic_time ();
  self->cancellable = g_cancellable_new ();

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, session_bus_cb, self);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, self);
}

MamoriLockMonitor *
mamori_lock_monitor_new (void)
{
  return g_object_new (MAMORI_TYPE_LOCK_MONITOR, NULL);
}

void
mamori_lock_monitor_watch_window (MamoriLockMonitor *self, GtkWindow *window)
{
  GtkEventController *controller;

  g_return_if_fail (MAMORI_IS_LOCK_MONITOR (self));
  g_return_if_fail (GTK_IS_WINDOW (window));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "mamori-lock-monitor");
  g_signal_connect_object (controller, "event", G_CALLBACK (input_event_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

void
mamori_lock_monitor_reset (MamoriLockMonitor *self)
{
  g_return_if_fail (MAMORI_IS_LOCK_MONITOR (self));

  /* No rescheduling: the timeout, when it fires, counts from here. */
  self->last_input = g_get_monotonic_time ();
}

gboolean
mamori_lock_monitor_get_armed (MamoriLockMonitor *self)
{
  g_return_val_if_fail (MAMORI_IS_LOCK_MONITOR (self), FALSE);

  return self->armed;
}

void
mamori_lock_monitor_set_armed (MamoriLockMonitor *self, gboolean armed)
{
  g_return_if_fail (MAMORI_IS_LOCK_MONITOR (self));

  armed = !!armed;
  if (self->armed == armed)
    return;

  self->armed = armed;
  self->last_input = g_get_monotonic_time ();
  mamori_lock_monitor_schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARMED]);
}

guint
mamori_lock_monitor_get_idle_timeout (MamoriLockMonitor *self)
{
  g_return_val_if_fail (MAMORI_IS_LOCK_MONITOR (self), 0);

  return self->idle_timeout;
}

void
mamori_lock_monitor_set_idle_timeout (MamoriLockMonitor *self, guint seconds)
{
  g_return_if_fail (MAMORI_IS_LOCK_MONITOR (self));

  if (self->idle_timeout == seconds)
    return;

  self->idle_timeout = seconds;
  mamori_lock_monitor_schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}
