/* mamori-register-page-private.h — the register page's insides, shared by
 * mamori-register-page.c (the table, its columns, filters and views, the session),
 * mamori-register-page-load.c (reading the register in the session's thread),
 * mamori-register-page-places.c (the places view, read the same way) and
 * mamori-register-page-actions.c (adding, editing, removing, files: what editors do)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-register-page.h"
#include "mamori-register.h"

G_BEGIN_DECLS

struct _MamoriRegisterPage
{
  AdwBin parent_instance;

  /* Template widgets (the AdwToastOverlay is the bin's child: AdwBin owns it, so that
   * disposing the template does not unparent it under AdwBin's feet) */
  GtkSearchEntry *search_entry;
  GtkDropDown *category_dropdown;
  GtkDropDown *level_dropdown;
  GtkMenuButton *files_button;
  GtkButton *template_button;
  GtkButton *add_button;
  GtkStack *content_stack;
  GtkColumnView *column_view;
  GtkListView *places_view;
  AdwStatusPage *empty_page;
  GtkWidget *empty_buttons;
  GtkLabel *count_label;
  GtkSpinner *loading_spinner;

  /* Owned references */
  MamoriSession *session;
  GSignalGroup *session_signals;
  MamoriPolicy *policy; /* of the unlocked vault; NULL while locked */
  MamoriRegisterTable *table;
  GtkSliceListModel *slice; /* the table; only its first rows while they are first shown */
  GtkSingleSelection *selection;
  GPtrArray *category_ids;  /* char *: the category dropdown's ids, "" first for any */
  GPtrArray *level_ids;     /* char *: the level dropdown's ids, "" first for any */
  char *view;               /* "list" or "places" */
  GPtrArray *toasts;        /* AdwToast shown and not yet dismissed */
  guint reload_source;      /* an idle reading the register again */
  guint reveal_tick;        /* the column view's tick callback showing rows a few a frame */
  GCancellable *loading;    /* while the session's thread reads the register (for either view) */
  char *select_after_load;  /* the entry to select once the register is read again */
  char *edit_waiting;       /* the entry whose dialog opens once the vault is free */
  gboolean stale;           /* to be read again when next shown, or when the vault is free */
  gboolean loaded;          /* the table holds the unlocked vault's register */
  GPtrArray *places;        /* MamoriRegisterPlace of the places view; NULL until read */
  GListStore *places_store; /* MamoriPlaceItem: a place of self->places each */
  GtkTreeListModel *places_tree;   /* the places and, once expanded, their entries */
  GtkSliceListModel *places_slice; /* the tree; its first rows while they are first shown */
  guint places_reveal_tick;        /* the places view's tick callback growing the slice */
  gboolean places_stale;           /* the places to be read again when the places view is shown */
};

/* The unlocked vault, or NULL. */
MamoriVault *
_mamori_register_page_get_vault (MamoriRegisterPage *self);
/* Whether the user may change the register (their role), the vault unlocked: adding,
 * editing and removing, which wait for the vault when a job has it. */
gboolean
_mamori_register_page_may_edit (MamoriRegisterPage *self);
/* The same, and no job has the vault now: for what reads the whole register first (the
 * template, an import). */
gboolean
_mamori_register_page_can_edit (MamoriRegisterPage *self);
/* The id of the selected entry, or NULL. */
char *
_mamori_register_page_dup_selected_id (MamoriRegisterPage *self);
/* Selects and shows the entry with @id, if shown; once the register is read, while it
 * is being read. */
void
_mamori_register_page_select (MamoriRegisterPage *self, const char *id);
void
_mamori_register_page_toast (MamoriRegisterPage *self, AdwToast *toast);
/* Tells what went wrong, in a toast. */
void
_mamori_register_page_fail (MamoriRegisterPage *self, const char *what, const GError *error);
/* What is enabled and shown for the user's role and the state of the register. */
void
_mamori_register_page_update (MamoriRegisterPage *self);

/* Whether a session job has the vault: the page reads and changes nothing meanwhile. */
gboolean
_mamori_register_page_session_busy (MamoriRegisterPage *self);
/* The dropdowns' choices: every category and level of the policy. */
void
_mamori_register_page_fill_filters (MamoriRegisterPage *self);

/* mamori-register-page-load.c: the register changed (or was never read): both views are
 * read again in the session's thread (_mamori_register_page_read_next()). */
void
_mamori_register_page_start_reading (MamoriRegisterPage *self);
/* Starts the reading that is due, one at a time in the session's thread: the table's,
 * then the places' while the places view is chosen; now if the page is shown and the
 * vault free, else once it is. */
void
_mamori_register_page_read_next (MamoriRegisterPage *self);
/* Every row of the list is about to be replaced (the table goes from none to many, or is
 * filtered or sorted anew): the list shows them a few at a time (at once when nothing is
 * drawn). */
void
_mamori_register_page_reveal_gradually (MamoriRegisterPage *self);

/* The entry with @id was saved (or brought back): shown in place when the table is up to
 * date and it can be (mamori_register_table_update_entry()), else the register is read
 * again; then selected. */
void
_mamori_register_page_entry_saved (MamoriRegisterPage *self, const char *id);

/* mamori-register-page-places.c: the places view's model and rows (from init). */
void
_mamori_register_page_init_places (MamoriRegisterPage *self);
/* Reads the places in the session's thread (the page's loading is free). */
void
_mamori_register_page_read_places (MamoriRegisterPage *self);
/* Forgets the places shown (the vault was locked, the policy replaced, the page goes). */
void
_mamori_register_page_clear_places (MamoriRegisterPage *self);

/* Installs the "register." actions that change the register or its files. */
void
_mamori_register_page_class_init_actions (GtkWidgetClass *widget_class);

G_END_DECLS
