/* mamori-board-drop.c — dropping the events held for a bad signature
 * (`mamori-board drop-held`, docs/board.md)
 *
 * A pushed event whose own signature turns out not to be its author's stays held, and
 * with it every later event of its school (docs/protocol.md, "Push").  Only a modified
 * client sends one.  Dropping it takes with it what cannot stand without it: the later
 * events of its author's chain, which name it by its hash, and any event the school's
 * records refuse once those are gone.  The school's records are folded again from the
 * store without them to find those; the rest is released and served.  Every event stored
 * was acknowledged to the computer that pushed it, so the board takes a new epoch: the
 * computers pull again from the start and push again what the board no longer has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-board-private.h"
#include "mamori-event-log.h"
#include "mamori-records-error.h"

void
mamori_board_dropped_free (MamoriBoardDropped *dropped)
{
  g_free (dropped->school);
  g_free (dropped->school_name);
  g_free (dropped->type);
  g_free (dropped->author);
  g_free (dropped);
}

static void
add_dropped (GPtrArray *dropped,
             const MamoriStoredSchool *school,
             const MamoriEvent *event,
             MamoriBoardDropReason reason)
{
  MamoriBoardDropped *one = g_new0 (MamoriBoardDropped, 1);

  one->seq = event->server_seq;
  one->school = g_strdup (school->id);
  one->school_name = g_strdup (school->name);
  one->type = g_strdup (event->type);
  one->author = mamori_hex_encode (event->author, MAMORI_SIGNING_KEY_SIZE);
  one->author_seq = event->author_seq;
  one->reason = reason;
  g_ptr_array_add (dropped, one);
}

/* Folds @school's events again, in the board's order, without those of @bad (seq →
 * itself) and what goes with them, which are added to @dropped. */
static gboolean
refold_school (MamoriBoard *self,
               const MamoriStoredSchool *school,
               GHashTable *bad,
               GPtrArray *dropped,
               GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GHashTable) cut = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  MamoriSchoolFold *fold;
  gboolean ok = TRUE;

  events = mamori_board_store_read_school (self->store, school->id, 0, error);
  if (events == NULL)
    return FALSE;
  fold = _mamori_board_fold_new (self, school->id, error);
  if (fold == NULL || !mamori_db_exec (fold->db, "BEGIN", error))
    {
      g_clear_pointer (&fold, _mamori_board_fold_free);
      return FALSE;
    }
  for (guint i = 0; ok && i < events->len; i++)
    {
      MamoriStoredEvent *stored = events->pdata[i];
      g_autoptr (MamoriEvent) event = _mamori_board_parse_stored (stored, error);
      g_autoptr (GError) refusal = NULL;
      g_autofree char *author = NULL;

      if (event == NULL)
        {
          ok = FALSE;
          break;
        }
      author = mamori_hex_encode (event->author, MAMORI_SIGNING_KEY_SIZE);
      if (g_hash_table_contains (bad, &stored->seq))
        add_dropped (dropped, school, event, MAMORI_BOARD_DROP_BAD_SIGNATURE);
      else if (g_hash_table_contains (cut, author))
        add_dropped (dropped, school, event, MAMORI_BOARD_DROP_CHAIN);
      /* Folded as when stored: the signatures the store keeps were checked then (or
       * are being checked by `serve`, which holds what it finds bad). */
      else if (mamori_event_log_append (fold->db, school->id, event,
                                        MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE,
                                        &refusal))
        continue;
      else if (refusal->domain == MAMORI_RECORDS_ERROR)
        add_dropped (dropped, school, event, MAMORI_BOARD_DROP_REFUSED);
      else
        {
          g_propagate_error (error, g_steal_pointer (&refusal));
          ok = FALSE;
          break;
        }
      /* Its author's later events name it by its hash: they go with it. */
      g_hash_table_add (cut, g_steal_pointer (&author));
    }
  _mamori_board_fold_free (fold);
  return ok;
}

static gint
by_seq (gconstpointer a, gconstpointer b)
{
  const MamoriBoardDropped *x = *(MamoriBoardDropped *const *)a;
  const MamoriBoardDropped *y = *(MamoriBoardDropped *const *)b;

  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The events to drop, in the board's order: MamoriBoardDropped. */
static GPtrArray *
find_dropped (MamoriBoard *self, GError **error)
{
  g_autoptr (GPtrArray) dropped
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_board_dropped_free);
  g_autoptr (GPtrArray) held = mamori_board_store_read_bad (self->store, error);
  g_autoptr (GHashTable) bad = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) schools = g_hash_table_new (g_str_hash, g_str_equal);

  if (held == NULL)
    return NULL;
  for (guint i = 0; i < held->len; i++)
    {
      MamoriStoredEvent *stored = held->pdata[i];

      g_hash_table_add (bad, &stored->seq);
      g_hash_table_add (schools, stored->school);
    }
  for (guint i = 0; i < held->len; i++)
    {
      MamoriStoredEvent *stored = held->pdata[i];
      g_autoptr (MamoriStoredSchool) school = NULL;

      if (!g_hash_table_remove (schools, stored->school))
        continue;
      school = mamori_board_store_find_school (self->store, stored->school, error);
      if (school == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _ ("The board’s store holds events of a school it does not have: %s"),
                         stored->school);
          return NULL;
        }
      if (!refold_school (self, school, bad, dropped, error))
        return NULL;
    }
  g_ptr_array_sort (dropped, by_seq);
  return g_steal_pointer (&dropped);
}

GPtrArray *
mamori_board_drop_held (MamoriBoard *self, gboolean dry_run, char **out_epoch, GError **error)
{
  g_autoptr (GPtrArray) dropped = NULL;
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *epoch = NULL;

  g_return_val_if_fail (MAMORI_IS_BOARD (self), NULL);

  if (out_epoch != NULL)
    *out_epoch = NULL;
  /* One write transaction, even to look: `serve` stores nothing meanwhile, so what is
   * listed is what would be dropped. */
  if (!mamori_board_store_begin (self->store, error))
    return NULL;
  dropped = find_dropped (self, error);
  if (dropped == NULL || dry_run || dropped->len == 0)
    {
      mamori_board_store_rollback (self->store);
      return g_steal_pointer (&dropped);
    }
  for (guint i = 0; i < dropped->len; i++)
    g_array_append_val (seqs, ((MamoriBoardDropped *)dropped->pdata[i])->seq);
  epoch = _mamori_board_random_hex (16);
  if (!mamori_board_store_drop_events (self->store, (gint64 *)seqs->data, seqs->len, error)
      || !mamori_board_store_set_setting (self->store, "epoch", epoch, error)
      || !mamori_board_store_commit (self->store, error))
    {
      mamori_board_store_rollback (self->store);
      return NULL;
    }
  /* This process's copies held what is gone; `serve`'s notice the new epoch. */
  g_hash_table_remove_all (self->folds);
  if (out_epoch != NULL)
    *out_epoch = g_steal_pointer (&epoch);
  return g_steal_pointer (&dropped);
}
