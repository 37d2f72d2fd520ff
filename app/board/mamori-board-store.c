/* mamori-board-store.c — the store's interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include "mamori-board-store.h"

G_DEFINE_INTERFACE (MamoriBoardStore, mamori_board_store, G_TYPE_OBJECT)

static void
mamori_board_store_default_init (MamoriBoardStoreInterface *iface)
{
}

void
mamori_stored_event_free (MamoriStoredEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->school);
  g_bytes_unref (event->payload);
  g_bytes_unref (event->sig);
  g_free (event);
}

void
mamori_stored_school_free (MamoriStoredSchool *school)
{
  if (school == NULL)
    return;
  g_free (school->id);
  g_free (school->name);
  g_free (school);
}

#define IFACE(self) MAMORI_BOARD_STORE_GET_IFACE (self)

char *
mamori_board_store_get_setting (MamoriBoardStore *self, const char *key, GError **error)
{
  return IFACE (self)->get_setting (self, key, error);
}

gboolean
mamori_board_store_set_setting (MamoriBoardStore *self,
                                const char *key,
                                const char *value,
                                GError **error)
{
  return IFACE (self)->set_setting (self, key, value, error);
}

gboolean
mamori_board_store_begin (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->begin (self, error);
}

gboolean
mamori_board_store_commit (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->commit (self, error);
}

void
mamori_board_store_rollback (MamoriBoardStore *self)
{
  IFACE (self)->rollback (self);
}

gboolean
mamori_board_store_add_school (
    MamoriBoardStore *self, const char *id, const char *name, gboolean joined, GError **error)
{
  return IFACE (self)->add_school (self, id, name, joined, error);
}

gboolean
mamori_board_store_set_joined (MamoriBoardStore *self, const char *id, GError **error)
{
  return IFACE (self)->set_joined (self, id, error);
}

GPtrArray *
mamori_board_store_list_schools (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->list_schools (self, error);
}

MamoriStoredSchool *
mamori_board_store_find_school (MamoriBoardStore *self, const char *id, GError **error)
{
  return IFACE (self)->find_school (self, id, error);
}

gboolean
mamori_board_store_put_event (MamoriBoardStore *self,
                              const char *school,
                              const guint8 *id,
                              GBytes *payload,
                              const guint8 *sig,
                              gint64 *out_seq,
                              GError **error)
{
  return IFACE (self)->put_event (self, school, id, payload, sig, out_seq, error);
}

gboolean
mamori_board_store_find_event (MamoriBoardStore *self,
                               const guint8 *id,
                               gint64 *out_seq,
                               GError **error)
{
  return IFACE (self)->find_event (self, id, out_seq, error);
}

GPtrArray *
mamori_board_store_read_events (
    MamoriBoardStore *self, const char *school, gint64 since, guint limit, GError **error)
{
  return IFACE (self)->read_events (self, school, since, limit, error);
}

gboolean
mamori_board_store_last_seq (MamoriBoardStore *self,
                             const char *school,
                             gint64 *out_seq,
                             GError **error)
{
  return IFACE (self)->last_seq (self, school, out_seq, error);
}

gboolean
mamori_board_store_defer_sync (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->defer_sync (self, error);
}

gboolean
mamori_board_store_sync (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->sync (self, error);
}

gboolean
mamori_board_store_hold_event (MamoriBoardStore *self,
                               gint64 seq,
                               const char *school,
                               GError **error)
{
  return IFACE (self)->hold_event (self, seq, school, error);
}

gboolean
mamori_board_store_release_event (MamoriBoardStore *self, gint64 seq, gboolean good, GError **error)
{
  return IFACE (self)->release_event (self, seq, good, error);
}

GPtrArray *
mamori_board_store_read_held (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->read_held (self, error);
}

GPtrArray *
mamori_board_store_read_bad (MamoriBoardStore *self, GError **error)
{
  return IFACE (self)->read_bad (self, error);
}

GPtrArray *
mamori_board_store_read_school (MamoriBoardStore *self,
                                const char *school,
                                gint64 since,
                                GError **error)
{
  return IFACE (self)->read_school (self, school, since, error);
}

gboolean
mamori_board_store_drop_events (MamoriBoardStore *self,
                                const gint64 *seqs,
                                guint n_seqs,
                                GError **error)
{
  return IFACE (self)->drop_events (self, seqs, n_seqs, error);
}

gboolean
mamori_board_store_put_code (MamoriBoardStore *self,
                             const guint8 *hash,
                             const char *school,
                             const char *staff,
                             gint64 expires_at,
                             GError **error)
{
  return IFACE (self)->put_code (self, hash, school, staff, expires_at, error);
}

gboolean
mamori_board_store_find_code (MamoriBoardStore *self,
                              const guint8 *hash,
                              gint64 now,
                              MamoriCodeState *out_state,
                              char **out_school,
                              char **out_staff,
                              GError **error)
{
  return IFACE (self)->find_code (self, hash, now, out_state, out_school, out_staff, error);
}

gboolean
mamori_board_store_use_code (MamoriBoardStore *self, const guint8 *hash, gint64 now, GError **error)
{
  return IFACE (self)->use_code (self, hash, now, error);
}

gboolean
mamori_board_store_note_key (MamoriBoardStore *self,
                             const guint8 *key,
                             const char *school,
                             GError **error)
{
  return IFACE (self)->note_key (self, key, school, error);
}

char *
mamori_board_store_find_key (MamoriBoardStore *self, const guint8 *key, GError **error)
{
  return IFACE (self)->find_key (self, key, error);
}

gboolean
mamori_board_store_stats (MamoriBoardStore *self, MamoriStoreStats *out, GError **error)
{
  return IFACE (self)->stats (self, out, error);
}

gboolean
mamori_board_store_backup (MamoriBoardStore *self,
                           const char *path,
                           const char *new_epoch,
                           GError **error)
{
  return IFACE (self)->backup (self, path, new_epoch, error);
}
