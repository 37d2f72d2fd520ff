/* mamori-board-store-sqlite-held.c — the embedded store's events held for their
 * signatures (docs/protocol.md, "Push"), and dropping those found bad
 *
 * `held` names the events whose own signature is still to be checked (bad = 0) or was
 * found bad (bad = 1); read_events() in mamori-board-store-sqlite.c serves no event of a
 * school from its first held one on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include "mamori-board-store-sqlite-private.h"

static gboolean
hold_event (MamoriBoardStore *store, gint64 seq, const char *school, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, "INSERT INTO held (seq, school) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, school, -1, SQLITE_STATIC);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

static gboolean
release_event (MamoriBoardStore *store, gint64 seq, gboolean good, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = _mamori_board_store_sqlite_prepare (
      self, good ? "DELETE FROM held WHERE seq = ?" : "UPDATE held SET bad = 1 WHERE seq = ?",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return _mamori_board_store_sqlite_step_done (self, stmt, error);
}

/* The events held whose signatures are still to check (@bad FALSE) or found bad. */
static GPtrArray *
read_held_marked (MamoriBoardStore *store, gboolean bad, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = NULL;

  stmt = _mamori_board_store_sqlite_prepare (
      self,
      "SELECT e.seq, e.school, e.payload, e.sig FROM held h JOIN events e "
      "ON e.seq = h.seq WHERE h.bad = ? ORDER BY e.seq",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, bad ? 1 : 0);
  return _mamori_board_store_sqlite_collect_events (self, stmt, error);
}

static GPtrArray *
read_held (MamoriBoardStore *store, GError **error)
{
  return read_held_marked (store, FALSE, error);
}

static GPtrArray *
read_bad (MamoriBoardStore *store, GError **error)
{
  return read_held_marked (store, TRUE, error);
}

static GPtrArray *
read_school (MamoriBoardStore *store, const char *school, gint64 since, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);
  g_autoptr (StoreStatement) stmt = NULL;

  stmt = _mamori_board_store_sqlite_prepare (
      self,
      "SELECT seq, school, payload, sig FROM events WHERE school = ? AND seq > ? "
      "ORDER BY seq",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, school, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  return _mamori_board_store_sqlite_collect_events (self, stmt, error);
}

static gboolean
drop_events (MamoriBoardStore *store, const gint64 *seqs, guint n_seqs, GError **error)
{
  MamoriBoardStoreSqlite *self = MAMORI_BOARD_STORE_SQLITE (store);

  for (guint i = 0; i < n_seqs; i++)
    {
      g_autoptr (StoreStatement) held
          = _mamori_board_store_sqlite_prepare (self, "DELETE FROM held WHERE seq = ?", error);
      g_autoptr (StoreStatement) event = NULL;

      if (held == NULL)
        return FALSE;
      sqlite3_bind_int64 (held, 1, seqs[i]);
      if (!_mamori_board_store_sqlite_step_done (self, held, error))
        return FALSE;
      event = _mamori_board_store_sqlite_prepare (self, "DELETE FROM events WHERE seq = ?", error);
      if (event == NULL)
        return FALSE;
      sqlite3_bind_int64 (event, 1, seqs[i]);
      if (!_mamori_board_store_sqlite_step_done (self, event, error))
        return FALSE;
    }
  return TRUE;
}

void
_mamori_board_store_sqlite_held_iface_init (MamoriBoardStoreInterface *iface)
{
  iface->hold_event = hold_event;
  iface->release_event = release_event;
  iface->read_held = read_held;
  iface->read_bad = read_bad;
  iface->read_school = read_school;
  iface->drop_events = drop_events;
}
