/* mamori-takeout-request-dialog-private.h — the new take-out request form, shared by
 * mamori-takeout-request-dialog.c (the items, the details, filing) and
 * mamori-takeout-request-dialog-verdict.c (what the policy says of the request)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-date-row.h"
#include "mamori-register-table.h"
#include "mamori-roster.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-takeout.h"

G_BEGIN_DECLS

struct _MamoriTakeoutRequestDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkRevealer *problem_revealer;
  GtkLabel *problem_label;
  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkLabel *results_label;
  GtkListBox *items_list;
  AdwEntryRow *free_name_row;
  AdwComboRow *free_level_row;
  AdwComboRow *medium_row;
  AdwEntryRow *destination_row;
  AdwEntryRow *purpose_row;
  MamoriDateRow *from_row;
  MamoriDateRow *until_row;
  GtkLabel *details_label;
  GtkLabel *outcome_label;
  GtkLabel *outcome_detail;
  AdwPreferencesGroup *measures_group;

  /* Owned references */
  MamoriSession *session;
  MamoriVault *vault;
  MamoriPolicy *policy;
  MamoriStaff *me;   /* read once the vault is free; NULL until then */
  GPtrArray *grants; /* the blanket grants the user may use today, read with @me */
  MamoriRegisterTable *table;
  GPtrArray *items;          /* MamoriTakeoutItem, as picked */
  GPtrArray *measure_rows;   /* AdwActionRow in measures_group (borrowed from it) */
  GPtrArray *measure_texts;  /* the measures the rows show, to keep ticks across changes */
  MamoriTakeoutDraft *draft; /* filed when the vault is free: 申請 was pressed */
  GCancellable *cancellable; /* the readings and the waits for the vault, till it goes */
  gboolean reading;          /* the register is being read for the table */
  GPtrArray *picks_waiting;  /* char *: ids of entries picked, read once the vault is free */
  gboolean destination_touched;
  gboolean purpose_touched;
};

/* Says what the details lack and what the policy says, and enables 申請 when it may be
 * filed. */
void
_mamori_takeout_request_dialog_update (MamoriTakeoutRequestDialog *self);

/* mamori-takeout-request-dialog-verdict.c: applies the policy to the items chosen so
 * far (mamori_takeout_judge()) and the user's blanket grants, shows the outcome and the
 * measures of the level that decides; TRUE when the request may be filed. */
gboolean
_mamori_takeout_request_dialog_judge (MamoriTakeoutRequestDialog *self, const char *until);
/* Whether every measure shown is ticked. */
gboolean
_mamori_takeout_request_dialog_measures_acknowledged (MamoriTakeoutRequestDialog *self);

G_END_DECLS
