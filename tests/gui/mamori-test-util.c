/* mamori-test-util.c — helpers shared by the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "mamori-crypto.h"
#include "mamori-roster.h"
#include "mamori-takeout.h"
#include "mamori-test-util.h"

#define WAIT_LIMIT_USEC (20 * G_USEC_PER_SEC)

gboolean
mamori_test_has_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

void
mamori_test_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  mamori_crypto_init (&error);
  g_assert_no_error (error);

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

MamoriLookup *
mamori_test_load_lookup (const char *preset_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPolicy) policy = mamori_policy_new_from_preset (preset_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (policy);

  return mamori_lookup_new (policy);
}

void
mamori_test_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  const char *query;
  gboolean searched;
} SearchWait;

static void
results_changed_cb (MamoriLookupPage *page, GParamSpec *pspec, SearchWait *wait)
{
  /* Replacing the text clears it first, and an empty query is searched at once:
   * wait for the results of the query itself. */
  if (g_str_equal (mamori_lookup_page_get_query (page), wait->query))
    wait->searched = TRUE;
}

GListModel *
mamori_test_search (MamoriLookupPage *page, const char *query)
{
  SearchWait wait = { query, FALSE };
  gulong handler;

  handler = g_signal_connect (page, "notify::results", G_CALLBACK (results_changed_cb), &wait);
  mamori_lookup_page_set_query (page, query);
  while (!wait.searched)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (page, handler);

  mamori_test_flush ();

  return mamori_lookup_page_get_results (page);
}

GtkWidget *
mamori_test_find_matching (GtkWidget *root,
                           gboolean mapped_only,
                           MamoriTestMatch match,
                           gconstpointer data)
{
  if (mapped_only && !gtk_widget_get_mapped (root))
    return NULL;

  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mamori_test_find_matching (child, mapped_only, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
mamori_test_find_widget (GtkWidget *root, GType type)
{
  return mamori_test_find_matching (root, TRUE, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_label (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

GtkWidget *
mamori_test_find_label (GtkWidget *root, const char *text)
{
  return mamori_test_find_matching (root, TRUE, is_label, text);
}

guint
mamori_test_count_actionables (GtkWidget *root, const char *action_name)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;

  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += mamori_test_count_actionables (child, action_name);

  return n;
}

static gboolean
is_row (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

GtkWidget *
mamori_test_find_row (GtkWidget *root, const char *title)
{
  return mamori_test_find_matching (root, TRUE, is_row, title);
}

static gboolean
is_actionable (GtkWidget *widget, gconstpointer action_name)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

GtkWidget *
mamori_test_find_actionable (GtkWidget *root, const char *action_name)
{
  return mamori_test_find_matching (root, TRUE, is_actionable, action_name);
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

GtkWidget *
mamori_test_find_css_class (GtkWidget *root, const char *css_class)
{
  return mamori_test_find_matching (root, TRUE, has_css_class, css_class);
}

GtkWindow *
mamori_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_assert_null (found);
          found = window;
        }
    }
  return found;
}

void
mamori_test_type_into (GtkWidget *root, const char *title, const char *text)
{
  GtkWidget *row = mamori_test_find_row (root, title);

  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
mamori_test_wait_for_view (MamoriWindow *window, const char *view)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_USEC;

  while (g_strcmp0 (mamori_window_get_view (window), view) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

void
mamori_test_wait_for_session (MamoriSession *session)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_USEC;

  while (mamori_session_get_busy (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  mamori_test_flush ();
}

void
mamori_test_fill_first_run (MamoriWindow *window,
                            const char *school,
                            const char *name,
                            MamoriRole role,
                            const char *passphrase,
                            const char *confirmation)
{
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *role_row;

  g_assert_cmpstr (mamori_window_get_view (window), ==, "first-run");
  if (mamori_test_find_row (root, g_dgettext (GETTEXT_PACKAGE, "School Name")) == NULL)
    {
      g_assert_true (gtk_widget_activate_action (
          mamori_test_find_actionable (root, "first-run.start"), "first-run.start", NULL));
      mamori_test_flush ();
    }

  mamori_test_type_into (root, g_dgettext (GETTEXT_PACKAGE, "School Name"), school);
  mamori_test_type_into (root, g_dgettext (GETTEXT_PACKAGE, "Your Name"), name);
  role_row = mamori_test_find_row (root, g_dgettext (GETTEXT_PACKAGE, "Role"));
  g_assert_true (ADW_IS_COMBO_ROW (role_row));
  /* The row offers the roles that may create a school, by their labels. */
  {
    GListModel *roles = adw_combo_row_get_model (ADW_COMBO_ROW (role_row));
    guint n = g_list_model_get_n_items (roles), found = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < n; i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (roles), i),
                       mamori_role_get_label (role)))
        found = i;
    g_assert_cmpuint (found, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (ADW_COMBO_ROW (role_row), found);
  }
  mamori_test_type_into (root, g_dgettext (GETTEXT_PACKAGE, "Passphrase"), passphrase);
  mamori_test_type_into (root, g_dgettext (GETTEXT_PACKAGE, "Confirm Passphrase"), confirmation);
}

void
mamori_test_unlock (MamoriWindow *window, const char *passphrase)
{
  GtkWidget *root = GTK_WIDGET (window);

  g_assert_cmpstr (mamori_window_get_view (window), ==, "unlock");
  mamori_test_type_into (root, g_dgettext (GETTEXT_PACKAGE, "Passphrase"), passphrase);
  g_assert_true (gtk_widget_get_sensitive (mamori_test_find_actionable (root, "unlock.unlock")));
  g_assert_true (gtk_widget_activate_action (mamori_test_find_actionable (root, "unlock.unlock"),
                                             "unlock.unlock", NULL));
  mamori_test_wait_for_session (mamori_window_get_session (window));
}

char *
mamori_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (NULL, &error);

  g_assert_no_error (error);
  return dir;
}

void
mamori_test_remove_dir (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        mamori_test_remove_dir (path);
      else
        g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A MamoriRecoveryCodeSink for vaults whose code no test needs. */
static gboolean
forget_recovery_code (const char *recovery_code, gpointer user_data, GError **error)
{
  return TRUE;
}

void
mamori_test_create_vault (const char *path, const MamoriTestUser *users, guint n_users)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = NULL;

  g_assert_cmpuint (n_users, >, 0);
  vault = mamori_vault_create (path, "テスト市立テスト小学校", users[0].name, users[0].role,
                               users[0].passphrase, forget_recovery_code, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 1; i < n_users; i++)
    {
      mamori_vault_add_user (vault, users[i].name, users[i].role, users[i].passphrase, &error);
      g_assert_no_error (error);
    }
  mamori_vault_lock (vault);
}

MamoriVault *
mamori_test_open_vault (const char *path, const MamoriTestUser *user)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriVault) vault = mamori_vault_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (mamori_vault_unlock (vault, user->name, user->passphrase, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&vault);
}

MamoriWindow *
mamori_test_open_window (const char *path,
                         const MamoriTestUser *user,
                         const char *page_name,
                         MamoriSession **out_session,
                         GtkWidget **out_page)
{
  MamoriSession *session = mamori_session_new (path);
  MamoriWindow *window;
  AdwViewStack *stack;

  mamori_session_set_last_user (session, user->name);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, user->passphrase);
  mamori_test_wait_for_view (window, "main");
  stack = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, page_name);
  mamori_test_flush ();
  *out_page = adw_view_stack_get_visible_child (stack);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, page_name);
  *out_session = session;
  return window;
}

void
mamori_test_close_window (MamoriWindow *window, MamoriSession *session)
{
  /* GTK holds the window until it is destroyed: a reference of ours, to see it go. */
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (session);
}

char *
mamori_test_file_request (MamoriVault *vault, const char *item, const char *purpose)
{
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, item, "B", NULL));
  draft->medium = MAMORI_TAKEOUT_MEDIUM_USB;
  draft->destination = g_strdup ("自宅");
  draft->purpose = g_strdup (purpose);
  draft->date_from = g_strdup ("2026-06-01");
  draft->date_until = g_strdup ("2026-06-03");
  request = mamori_takeout_file (vault, draft, &error);
  g_assert_no_error (error);
  return g_strdup (request->id);
}

void
mamori_test_grant_blanket (const char *path,
                           const MamoriTestUser *granter,
                           const char *grantee,
                           const char *max_level)
{
  g_autoptr (MamoriVault) vault = mamori_test_open_vault (path, granter);
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *grant = NULL;

  if (grantee != NULL)
    {
      staff = mamori_roster_find_by_name (mamori_vault_get_store (vault), grantee, &error);
      g_assert_nonnull (staff);
    }
  grant = mamori_takeout_grant (vault, staff != NULL ? staff->id : MAMORI_TAKEOUT_GRANTEE_ALL,
                                max_level, "2999-03-31", granter->passphrase, &error);
  g_assert_no_error (error);
  mamori_vault_lock (vault);
}

void
mamori_test_save_png (GtkWidget *widget, const char *dir, const char *name)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  /* A window whose layout is pending draws nothing: its next frame comes first. */
  for (gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC; node == NULL;)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      mamori_test_flush ();
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        g_usleep (10000);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_print ("wrote %s (%d × %d)\n", path, width, height);
}

void
mamori_test_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("MAMORI_SCREENSHOT_DIR");

  if (dir != NULL)
    mamori_test_save_png (widget, dir, name);
}

gboolean
mamori_test_use_japanese (void)
{
  if (setlocale (LC_ALL, "ja_JP.UTF-8") == NULL)
    return FALSE;
  bindtextdomain (GETTEXT_PACKAGE, MAMORI_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

void
mamori_test_init_for_screenshots (int *argc, char ***argv)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  g_setenv ("LANGUAGE", "ja", TRUE);
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  mamori_test_init (argc, argv);
  mamori_test_use_japanese ();
  gtk_css_provider_load_from_resource (provider, "/io/github/mamori/Mamori/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

GHashTable *
mamori_test_snapshot_dir (const char *dir)
{
  GHashTable *files
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      char *contents;
      gsize length;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      g_hash_table_insert (files, g_strdup (name), g_bytes_new_take (contents, length));
    }

  return files;
}

void
mamori_test_assert_same_snapshot (GHashTable *before, GHashTable *after)
{
  GHashTableIter iter;
  gpointer name;
  gpointer contents;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &name, &contents))
    {
      GBytes *now = g_hash_table_lookup (after, name);

      g_assert_nonnull (now);
      g_assert_true (g_bytes_equal (contents, now));
    }
}
