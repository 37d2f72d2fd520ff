/* mamori-register-table.h — the register as the page shows it: 100,000 entries filtered
 * and sorted in a moment, without an object per entry
 *
 * The table reads the present entries straight from the vault into arrays: the text of
 * each shown column in one string chunk (repeated places, custodians and periods stored
 * once), with its normalised form (mamori_normalize()) for search-as-you-type and for
 * sorting.  It is a GListModel of MamoriRegisterRow, the positions of the entries that
 * pass the filter in the chosen order; a row object is made only when a list asks for
 * one (the rows on screen), so memory grows with the entries' text, not with objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-db.h"
#include "mamori-register-entry.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_REGISTER_ROW (mamori_register_row_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterRow, mamori_register_row, MAMORI, REGISTER_ROW, GObject)

#define MAMORI_TYPE_REGISTER_TABLE (mamori_register_table_get_type ())
G_DECLARE_FINAL_TYPE (MamoriRegisterTable, mamori_register_table, MAMORI, REGISTER_TABLE, GObject)

/* The present entries of a register as read for a table, before a table shows them. */
typedef struct _MamoriRegisterSnapshot MamoriRegisterSnapshot;

/* Reads the register's present entries from @db, with the labels of @policy, and makes
 * every order a table sorts by: the slow part of showing 100,000 entries (about a
 * second), which may run in any thread that has @db to itself.  @cancellable is looked
 * at every few thousand rows: NULL with G_IO_ERROR_CANCELLED. */
MamoriRegisterSnapshot *
mamori_register_snapshot_read (MamoriPolicy *policy,
                               MamoriDb *db,
                               GCancellable *cancellable,
                               GError **error);
void
mamori_register_snapshot_free (MamoriRegisterSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriRegisterSnapshot, mamori_register_snapshot_free)

MamoriRegisterTable *
mamori_register_table_new (void);

/* Shows @snapshot (taken) with the filter and the order as they were, in the main
 * thread: a few milliseconds.  The views hear only of the rows that changed, between
 * the first and the last that differ, so a list keeps its place and its selection. */
void
mamori_register_table_take_snapshot (MamoriRegisterTable *self, MamoriRegisterSnapshot *snapshot);

/* Reads the register's present entries from @db, with the labels of @policy, and shows
 * them (the two above in one go, in the main thread); the filter and the order stay as
 * they were.  FALSE (and the table as it was) on error. */
gboolean
mamori_register_table_load (MamoriRegisterTable *self,
                            MamoriPolicy *policy,
                            MamoriDb *db,
                            GError **error);
/* Shows the entry with @id as @db now holds it, read alone, in place: for one entry
 * changed, or added last, since the table was read (a few milliseconds, where reading the
 * table again takes a second).  The views hear only of the rows between its old place and
 * its new one.  FALSE, the table as it was, when that cannot be done (the entry was removed
 * or brought back among older ones, or cannot be read): read the table again. */
gboolean
mamori_register_table_update_entry (MamoriRegisterTable *self, MamoriDb *db, const char *id);
/* Empties the table (the vault was locked). */
void
mamori_register_table_clear (MamoriRegisterTable *self);

/* The number of entries, whatever the filter. */
guint
mamori_register_table_get_n_entries (MamoriRegisterTable *self);

/* Shows only the entries whose name, qualifier, place, custodian or retention holds
 * every word of @text (normalised: ＵＳＢ finds USB, カタカナ finds かたかな), of the
 * category @category_id and the level @level_id (NULL or "" for any). */
void
mamori_register_table_set_filter (MamoriRegisterTable *self,
                                  const char *text,
                                  const char *category_id,
                                  const char *level_id);
/* Orders the entries by @field (name, category, level, medium, location, custodian or
 * retention; categories and levels in the policy's order), then as they were added. */
void
mamori_register_table_set_sort (MamoriRegisterTable *self,
                                MamoriRegisterField field,
                                gboolean descending);

/* The position in the model of the entry with @id, or G_MAXUINT when it is not shown. */
guint
mamori_register_table_find (MamoriRegisterTable *self, const char *id);

const char *
mamori_register_row_get_id (MamoriRegisterRow *self);
/* The row's text in @field as the page shows it: labels of the category, level and
 * medium; "" when empty.  Borrowed from the table. */
const char *
mamori_register_row_get_text (MamoriRegisterRow *self, MamoriRegisterField field);
/* The level's position in the scheme (0 is the most sensitive), for its badge. */
guint
mamori_register_row_get_level_rank (MamoriRegisterRow *self);
gboolean
mamori_register_row_get_lowered (MamoriRegisterRow *self);

G_END_DECLS
