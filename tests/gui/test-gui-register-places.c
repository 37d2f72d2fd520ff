/* test-gui-register-places.c — the register page's places view (保管場所): read in the
 * session's thread with the page's loading state, every place at the highest level of what
 * it holds, most sensitive first, a place's entries made when it is expanded; read again
 * in the thread when the register changes, the places staying shown meanwhile; dropped
 * when the vault is locked while it reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-register-import.h"
#include "mamori-register-page.h"
#include "mamori-register.h"
#include "mamori-test-util.h"

static const MamoriTestUser users[] = {
  { "山田 花子", MAMORI_ROLE_VICE_PRINCIPAL, "hanako-passphrase-1" },
};

/* 80 places 書庫 00 … 書庫 79 of 25 entries at C and D each, but for one entry at B in
 * 書庫 03, 13, … 73 and one at A in 書庫 07; and 55 entries at D kept nowhere given. */
#define N_PLACES 80
#define PER_PLACE 25
#define NOWHERE 55

typedef struct
{
  char *dir;
  MamoriSession *session;
  MamoriWindow *window;
  MamoriRegisterPage *page;
} Fixture;

static void
fill_register (const char *path)
{
  g_autoptr (MamoriVault) vault = mamori_test_open_vault (path, &users[0]);
  g_autoptr (MamoriPolicy) policy = mamori_vault_load_policy (vault, NULL);
  g_autoptr (GString) csv = g_string_new ("名称,分類,重要度,保管場所\r\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GError) error = NULL;

  for (guint place = 0; place < N_PLACES; place++)
    for (guint i = 0; i < PER_PLACE; i++)
      {
        const char *level = i % 2 == 0 ? "重要度C" : "重要度D";

        if (i == 5 && place % 10 == 3)
          level = "重要度B";
        if (i == 7 && place == 7)
          level = "重要度A";
        g_string_append_printf (csv, "出席簿 %02u-%02u,学籍情報,%s,書庫 %02u\r\n", place, i, level,
                                place);
      }
  for (guint i = 0; i < NOWHERE; i++)
    g_string_append_printf (csv, "配布プリント %02u,学籍情報,重要度D,\r\n", i);
  bytes = g_bytes_new (csv->str, csv->len);
  import = mamori_register_import_prepare (policy, NULL, bytes, 0, "places.csv");
  g_assert_cmpuint (import->errors->len, ==, 0);
  g_assert_true (mamori_register_import_apply (vault, import, &error));
  g_assert_no_error (error);
  mamori_vault_lock (vault);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until the page shows the register as the vault holds it, in the
 * view it shows, every row of it; at most 30 s. */
static void
wait_for_page (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  /* Wakes the loop, so that a page that never stops loading fails the test. */
  guint tick = g_timeout_add (100, wake_cb, NULL);

  mamori_test_flush ();
  while (mamori_register_page_get_loading (f->page) || mamori_session_get_busy (f->session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  mamori_test_flush ();
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  GtkWidget *page;

  f->dir = mamori_test_make_dir ();
  path = g_build_filename (f->dir, "school.mamori", NULL);
  mamori_test_create_vault (path, users, G_N_ELEMENTS (users));
  fill_register (path);
  f->window = mamori_test_open_window (path, &users[0], "register", &f->session, &page);
  f->page = MAMORI_REGISTER_PAGE (page);
  wait_for_page (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  mamori_test_wait_for_session (f->session);
  mamori_test_close_window (f->window, f->session);
  mamori_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The first widget under @widget (itself included) that @match accepts, shown or not. */
static GtkWidget *
find_any (GtkWidget *widget, gboolean (*match) (GtkWidget *widget))
{
  if (match (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_any (child, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_places_stack (GtkWidget *widget)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "places");
}

static gboolean
is_list_box (GtkWidget *widget)
{
  return GTK_IS_LIST_BOX (widget);
}

/* What the page's stack shows: "loading", "places", … */
static const char *
shown (Fixture *f)
{
  return gtk_stack_get_visible_child_name (
      GTK_STACK (find_any (GTK_WIDGET (f->page), is_places_stack)));
}

/* The places view's list (shown or not): its rows are the places, in order. */
static GtkWidget *
places_list (Fixture *f)
{
  GtkWidget *stack = find_any (GTK_WIDGET (f->page), is_places_stack);
  GtkWidget *list;

  g_assert_nonnull (stack);
  list = find_any (gtk_stack_get_child_by_name (GTK_STACK (stack), "places"), is_list_box);
  g_assert_nonnull (list);
  return list;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkWidget *
place_row (Fixture *f, guint position)
{
  GtkWidget *row
      = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (places_list (f)), (int)position));

  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  return row;
}

/* The id of the level the badge of @row shows. */
static const char *
badge_level (GtkWidget *row)
{
  g_autoptr (MamoriLevel) level = NULL;
  GtkWidget *badge = mamori_test_find_widget (row, g_type_from_name ("MamoriLevelBadge"));

  g_assert_nonnull (badge);
  g_object_get (badge, "level", &level, NULL);
  g_assert_nonnull (level);
  /* Borrowed from the policy, which outlives the test's look. */
  return mamori_level_get_id (level);
}

static void
assert_place (Fixture *f, guint position, const char *title, const char *level, const char *count)
{
  GtkWidget *row = place_row (f, position);

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, count);
  g_assert_cmpstr (badge_level (row), ==, level);
}

/* How many rows of entries @row shows once expanded. */
static guint
n_entry_rows (GtkWidget *row)
{
  GtkWidget *list;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  mamori_test_flush ();
  /* The expander row's own header is a list of one row; its entries are in the list its
   * revealer shows. */
  list = find_any (mamori_test_find_widget (row, GTK_TYPE_REVEALER), is_list_box);
  g_assert_nonnull (list);
  return n_children (list);
}

static void
test_places (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);
  const char *loading = g_dgettext (GETTEXT_PACKAGE, "Loading the Register…");
  char title[32];

  /* Read in the session's thread, the page saying so, no place made meanwhile. */
  g_assert_true (gtk_widget_activate_action (page, "register.view", "s", "places"));
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_true (mamori_register_page_get_loading (f->page));
  g_assert_cmpstr (shown (f), ==, "loading");
  g_assert_nonnull (mamori_test_find_label (page, loading));
  g_assert_cmpuint (n_children (places_list (f)), ==, 0);
  wait_for_page (f);
  g_assert_cmpstr (shown (f), ==, "places");
  g_assert_null (mamori_test_find_label (page, loading));

  /* Every place, once, at its highest level: A, then the B places by name, then C; the
   * entries kept nowhere given last. */
  g_assert_cmpuint (n_children (places_list (f)), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 07", "A", "25 entries");
  for (guint i = 0; i < 8; i++)
    {
      g_snprintf (title, sizeof title, "書庫 %02u", i * 10 + 3);
      assert_place (f, 1 + i, title, "B", "25 entries");
    }
  assert_place (f, 9, "書庫 00", "C", "25 entries");
  assert_place (f, N_PLACES - 1, "書庫 79", "C", "25 entries");
  assert_place (f, N_PLACES, "No place given", "D", "55 entries");

  /* A place's entries, made when it is expanded: at most 50, then how many more. */
  g_assert_cmpuint (n_entry_rows (place_row (f, 0)), ==, PER_PLACE);
  g_assert_nonnull (mamori_test_find_row (place_row (f, 0), "出席簿 07-07"));
  g_assert_cmpstr (badge_level (mamori_test_find_row (place_row (f, 0), "出席簿 07-07")), ==, "A");
  g_assert_cmpuint (n_entry_rows (place_row (f, N_PLACES)), ==, 51);
  g_assert_nonnull (mamori_test_find_row (place_row (f, N_PLACES), "and 5 more"));

  /* The register changes: read again in the thread while the places stay shown, then
   * 書庫 00 holds an A too and comes first with 書庫 07. */
  {
    MamoriVault *vault = mamori_session_get_vault (f->session);
    MamoriPolicy *policy = mamori_lookup_get_policy (mamori_session_get_lookup (f->session));
    g_autoptr (MamoriRegisterEntry) entry = mamori_register_entry_new ();
    g_autoptr (GError) error = NULL;

    entry->name = g_strdup ("指導要録");
    entry->category = g_strdup ("seiseki");
    entry->level = g_strdup ("A");
    entry->location = g_strdup ("書庫 00");
    g_assert_true (mamori_register_add (vault, policy, entry, &error));
    g_assert_no_error (error);
  }
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_cmpstr (shown (f), ==, "places");
  g_assert_cmpuint (n_children (places_list (f)), ==, N_PLACES + 1);
  wait_for_page (f);
  g_assert_cmpuint (n_children (places_list (f)), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 00", "A", "26 entries");
  assert_place (f, 1, "書庫 07", "A", "25 entries");

  /* Locked while it reads: the reading is dropped, no place shows, and unlocked again the
   * places are read anew. */
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  mamori_session_lock (f->session);
  mamori_test_wait_for_session (f->session);
  g_assert_cmpint (mamori_session_get_state (f->session), ==, MAMORI_SESSION_STATE_LOCKED);
  g_assert_false (mamori_register_page_get_loading (f->page));
  g_assert_cmpuint (n_children (places_list (f)), ==, 0);
  mamori_test_unlock (f->window, users[0].passphrase);
  mamori_test_wait_for_view (f->window, "main");
  wait_for_page (f);
  g_assert_cmpuint (n_children (places_list (f)), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 00", "A", "26 entries");
}

int
main (int argc, char *argv[])
{
  if (!mamori_test_has_display ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return MAMORI_TEST_EXIT_SKIP;
    }

  mamori_test_init (&argc, &argv);

  g_test_add ("/gui/register/places", Fixture, NULL, fixture_set_up, test_places,
              fixture_tear_down);

  return g_test_run ();
}
