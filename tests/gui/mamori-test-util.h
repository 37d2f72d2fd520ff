/* mamori-test-util.h — helpers shared by the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-lookup-page.h"
#include "mamori-lookup.h"
#include "mamori-session.h"
#include "mamori-vault.h"
#include "mamori-window.h"

G_BEGIN_DECLS

/* Exit status for "skipped" in meson. */
#define MAMORI_TEST_EXIT_SKIP 77

gboolean
mamori_test_has_display (void);
/* mamori_crypto_init (), gtk_test_init () and adw_init (), with animations off so that
 * pages change at once, and fast key derivation (MAMORI_KDF_TEST_FAST=1). */
void
mamori_test_init (int *argc, char ***argv);
MamoriLookup *
mamori_test_load_lookup (const char *preset_id);
/* Runs the main loop until nothing is pending. */
void
mamori_test_flush (void);
/* Types @query into @page and runs the main loop until the page has searched it. */
GListModel *
mamori_test_search (MamoriLookupPage *page, const char *query);
/* Whether @widget is the one looked for, given @data. */
typedef gboolean (*MamoriTestMatch) (GtkWidget *widget, gconstpointer data);
/* The first descendant of @root (or @root), depth first, that @match accepts; with
 * @mapped_only, among those mapped (a widget not mapped hides its children too). */
GtkWidget *
mamori_test_find_matching (GtkWidget *root,
                           gboolean mapped_only,
                           MamoriTestMatch match,
                           gconstpointer data);
/* The first mapped descendant of @root (or @root) of @type, depth first. */
GtkWidget *
mamori_test_find_widget (GtkWidget *root, GType type);
/* The first mapped GtkLabel under @root whose text is @text. */
GtkWidget *
mamori_test_find_label (GtkWidget *root, const char *text);
/* How many mapped GtkActionable under @root activate @action_name. */
guint
mamori_test_count_actionables (GtkWidget *root, const char *action_name);

/* The first mapped AdwPreferencesRow under @root titled @title. */
GtkWidget *
mamori_test_find_row (GtkWidget *root, const char *title);
/* The first mapped GtkActionable under @root that activates @action_name. */
GtkWidget *
mamori_test_find_actionable (GtkWidget *root, const char *action_name);
/* The first mapped widget under @root with the style class @css_class. */
GtkWidget *
mamori_test_find_css_class (GtkWidget *root, const char *css_class);
/* The one visible toplevel window of @type, or NULL. */
GtkWindow *
mamori_test_find_toplevel (GType type);
/* Types @text into the row titled @title under @root. */
void
mamori_test_type_into (GtkWidget *root, const char *title, const char *text);

/* Runs the main loop until @window shows @view ("unlock", "main", …); at most 20 s. */
void
mamori_test_wait_for_view (MamoriWindow *window, const char *view);
/* Runs the main loop until @session is no longer busy; at most 20 s. */
void
mamori_test_wait_for_session (MamoriSession *session);
/* Fills the first-run form of @window (opening it from the welcome page). */
void
mamori_test_fill_first_run (MamoriWindow *window,
                            const char *school,
                            const char *name,
                            MamoriRole role,
                            const char *passphrase,
                            const char *confirmation);
/* Unlocks through @window's unlock page as @user (who must be chosen there). */
void
mamori_test_unlock (MamoriWindow *window, const char *passphrase);

/* A new empty directory; remove it with mamori_test_remove_dir (). */
char *
mamori_test_make_dir (void);
void
mamori_test_remove_dir (const char *dir);
/* Creates a vault at @path with the users (name, role, passphrase) in @users, the first
 * one creating it; returns it locked. */
typedef struct
{
  const char *name;
  MamoriRole role;
  const char *passphrase;
} MamoriTestUser;
void
mamori_test_create_vault (const char *path, const MamoriTestUser *users, guint n_users);
/* The vault at @path, unlocked as @user. */
MamoriVault *
mamori_test_open_vault (const char *path, const MamoriTestUser *user);
/* A window on a new session of the vault at @path, presented and unlocked as @user,
 * showing its page @page_name ("takeout", "register", …), which @out_page receives;
 * @out_session receives the session.  Close it with mamori_test_close_window(). */
MamoriWindow *
mamori_test_open_window (const char *path,
                         const MamoriTestUser *user,
                         const char *page_name,
                         MamoriSession **out_session,
                         GtkWidget **out_page);
/* Destroys @window and checks that nothing holds it or @session any more: takes the
 * session. */
void
mamori_test_close_window (MamoriWindow *window, MamoriSession *session);
/* A take-out request filed in @vault: @item at level B on a USB stick, to 自宅, for
 * @purpose, from 2026-06-01 to 2026-06-03. */
char *
mamori_test_file_request (MamoriVault *vault, const char *item, const char *purpose);
/* A blanket approval up to @max_level until 2999-03-31, granted in the vault at @path by
 * @granter to @grantee (a name on the roster, or NULL for all staff). */
void
mamori_test_grant_blanket (const char *path,
                           const MamoriTestUser *granter,
                           const char *grantee,
                           const char *max_level);

/* Writes what @widget shows now to @dir/@name (PNG), waiting for its first frame if its
 * layout is still pending. */
void
mamori_test_save_png (GtkWidget *widget, const char *dir, const char *name);
/* mamori_test_save_png() into $MAMORI_SCREENSHOT_DIR, when it is set (the docs' screenshots
 * are taken by running a test with it). */
void
mamori_test_screenshot (GtkWidget *widget, const char *name);
/* Switches the test to Japanese (ja_JP.UTF-8 and the catalogue the build makes) for the
 * docs' screenshots; FALSE when the system has no such locale. */
gboolean
mamori_test_use_japanese (void);

/* mamori_test_init() for the programs that take the docs' screenshots: in Japanese, with
 * the application's style sheet, which the application itself would load. */
void
mamori_test_init_for_screenshots (int *argc, char ***argv);

/* Every file of @dir, by name, with its contents. */
GHashTable *
mamori_test_snapshot_dir (const char *dir);
void
mamori_test_assert_same_snapshot (GHashTable *before, GHashTable *after);

G_END_DECLS
