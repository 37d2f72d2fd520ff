/* mamori-board-school.h — one school as the board of education sees it (GET
 * /v1/schools, docs/protocol.md "The board's view"): its take-out counts and its register
 * entries kept below their template's level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A register entry below the level the policy's template gives it. */
typedef struct
{
  char *entry;
  char *name;
  char *qualifier;      /* or NULL */
  char *level;          /* the school's */
  char *template_level; /* or NULL: the policy in force no longer names the asset */
  char *reason;
  char *by;      /* who set the level or the reason last: a name and role, or NULL */
  char *by_name; /* the same person's name and role id, when the board names them */
  char *by_role;
  char *at; /* when (their claim), or NULL */
} MamoriBoardLowered;

void
mamori_board_lowered_free (MamoriBoardLowered *lowered);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriBoardLowered, mamori_board_lowered_free)

#define MAMORI_TYPE_BOARD_SCHOOL (mamori_board_school_get_type ())
G_DECLARE_FINAL_TYPE (MamoriBoardSchool, mamori_board_school, MAMORI, BOARD_SCHOOL, GObject)

/* One element of the answer's "schools"; NULL when it lacks what the protocol says. */
MamoriBoardSchool *
mamori_board_school_new_from_json (JsonObject *object);

const char *
mamori_board_school_get_id (MamoriBoardSchool *self);
const char *
mamori_board_school_get_name (MamoriBoardSchool *self);
/* Whether the school has joined (a school with its own vault sends its history first). */
gboolean
mamori_board_school_get_joined (MamoriBoardSchool *self);
guint
mamori_board_school_get_staff (MamoriBoardSchool *self);
/* Take-out requests waiting for an approver, out past their period, declined. */
guint
mamori_board_school_get_pending (MamoriBoardSchool *self);
guint
mamori_board_school_get_overdue (MamoriBoardSchool *self);
guint
mamori_board_school_get_declined (MamoriBoardSchool *self);
/* The latest created_at among the school's events, or NULL. */
const char *
mamori_board_school_get_last_event_at (MamoriBoardSchool *self);
/* MamoriBoardLowered, in the order they were added to the register. */
GPtrArray *
mamori_board_school_get_lowered (MamoriBoardSchool *self);

G_END_DECLS
