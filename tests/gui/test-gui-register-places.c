/* test-gui-register-places.c — the register page's places view (保管場所): read in the
 * session's thread with the page's loading state, every place at the highest level of what
 * it holds, most sensitive first, a place's entries made when it is expanded (50 at most,
 * then how many more); read again in the thread when the register changes, the places
 * staying shown meanwhile and those expanded staying so; dropped when the vault is locked
 * while it reads.  What is shown is read from the list view's model and its row widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-level.h"
#include "mamori-place-item.h"
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

static gboolean
is_places_stack (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "places");
}

static gboolean
is_list_view (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LIST_VIEW (widget);
}

/* What the page's stack shows: "loading", "places", … */
static const char *
shown (Fixture *f)
{
  return gtk_stack_get_visible_child_name (
      GTK_STACK (mamori_test_find_matching (GTK_WIDGET (f->page), FALSE, is_places_stack, NULL)));
}

/* The places view's list view (shown or not). */
static GtkWidget *
places_view (Fixture *f)
{
  GtkWidget *stack = mamori_test_find_matching (GTK_WIDGET (f->page), FALSE, is_places_stack, NULL);
  GtkWidget *view;

  g_assert_nonnull (stack);
  view = mamori_test_find_matching (gtk_stack_get_child_by_name (GTK_STACK (stack), "places"),
                                    FALSE, is_list_view, NULL);
  g_assert_nonnull (view);
  return view;
}

/* How many rows the list view shows: the places, and the entries of those expanded. */
static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (
      G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (places_view (f)))));
}

/* The tree's row at @position of the list view's model (made on demand: a reference). */
static GtkTreeListRow *
tree_row (Fixture *f, guint position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (places_view (f))));
  GObject *row = g_list_model_get_item (model, position);

  g_assert_true (GTK_IS_TREE_LIST_ROW (row));
  return GTK_TREE_LIST_ROW (row);
}

static guint
row_depth (Fixture *f, guint position)
{
  g_autoptr (GtkTreeListRow) row = tree_row (f, position);

  return gtk_tree_list_row_get_depth (row);
}

static gboolean
row_expanded (Fixture *f, guint position)
{
  g_autoptr (GtkTreeListRow) row = tree_row (f, position);

  return gtk_tree_list_row_get_expanded (row);
}

/* The item at @position (which the model keeps). */
static MamoriPlaceItem *
row_item (Fixture *f, guint position)
{
  g_autoptr (GtkTreeListRow) row = tree_row (f, position);
  g_autoptr (MamoriPlaceItem) item = gtk_tree_list_row_get_item (row);

  g_assert_true (MAMORI_IS_PLACE_ITEM (item));
  return item;
}

/* The tree expander of the row widget showing @position under @widget, or NULL. */
static GtkWidget *
find_expander (GtkWidget *widget, guint position)
{
  GtkTreeListRow *row;

  if (GTK_IS_TREE_EXPANDER (widget))
    {
      row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (widget));
      return row != NULL && gtk_tree_list_row_get_position (row) == position ? widget : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_expander (child, position);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widgets the list view shows for @position, scrolled to: its tree expander. */
static GtkWidget *
row_widget (Fixture *f, guint position)
{
  GtkWidget *view = places_view (f);
  GtkWidget *expander;

  g_assert_true (gtk_widget_activate_action (view, "list.scroll-to-item", "u", position));
  mamori_test_flush ();
  expander = find_expander (view, position);
  g_assert_nonnull (expander);
  return expander;
}

/* The texts a row shows, but its level's: "書庫 07 | 25 entries". */
static void
append_texts (GtkWidget *widget, GString *texts)
{
  if (!gtk_widget_get_visible (widget) || MAMORI_IS_LEVEL_BADGE (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s%s", texts->len > 0 ? " | " : "",
                            gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_texts (child, texts);
}

static gboolean
is_shown_badge (GtkWidget *widget, gconstpointer data)
{
  return MAMORI_IS_LEVEL_BADGE (widget) && gtk_widget_get_visible (widget);
}

/* The id of the level the row shows, or NULL. */
static const char *
row_level (GtkWidget *row)
{
  g_autoptr (MamoriLevel) level = NULL;
  GtkWidget *badge = mamori_test_find_matching (row, FALSE, is_shown_badge, NULL);

  if (badge == NULL)
    return NULL;
  g_object_get (badge, "level", &level, NULL);
  g_assert_nonnull (level);
  /* Borrowed from the policy, which outlives the test's look. */
  return mamori_level_get_id (level);
}

/* That the row at @position shows @texts and @level (an id, or NULL for none). */
static void
assert_row (Fixture *f, guint position, const char *texts, const char *level)
{
  GtkWidget *row = row_widget (f, position);
  g_autoptr (GString) shown_texts = g_string_new (NULL);

  append_texts (row, shown_texts);
  g_assert_cmpstr (shown_texts->str, ==, texts);
  g_assert_cmpstr (row_level (row), ==, level);
}

/* That the row at @position is a place, shown as @title at @level with @count; expanded
 * or not. */
static void
assert_place (Fixture *f,
              guint position,
              const char *title,
              const char *level,
              const char *count,
              gboolean expanded)
{
  g_autofree char *texts = g_strdup_printf ("%s | %s", title, count);

  g_assert_nonnull (mamori_place_item_get_place (row_item (f, position)));
  g_assert_cmpuint (row_depth (f, position), ==, 0);
  g_assert_cmpint (row_expanded (f, position), ==, expanded);
  assert_row (f, position, texts, level);
}

/* Expands or collapses the place at @position as a click on it, or Enter, does. */
static void
activate (Fixture *f, guint position)
{
  g_assert_true (gtk_widget_activate_action (places_view (f), "list.activate-item", "u", position));
  mamori_test_flush ();
}

/* The position of the entry named @name among the rows after @from, of its place. */
static guint
find_entry (Fixture *f, guint from, const char *name)
{
  for (guint i = from; i < n_rows (f); i++)
    {
      const MamoriRegisterEntry *entry = mamori_place_item_get_entry (row_item (f, i));

      if (entry == NULL)
        break;
      if (g_str_equal (entry->name, name))
        return i;
    }
  g_assert_not_reached ();
}

/* 指導要録 at A in 書庫 00: it comes first, with 書庫 07. */
static void
add_a_to_shelf_00 (Fixture *f)
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

static void
show_places (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "register.view", "s", "places"));
  wait_for_page (f);
  g_assert_cmpstr (shown (f), ==, "places");
}

static void
test_places (Fixture *f, gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (f->page);
  const char *loading = g_dgettext (GETTEXT_PACKAGE, "Loading the Register…");
  char title[32];

  /* Read in the session's thread, the page saying so, no place shown meanwhile. */
  g_assert_true (gtk_widget_activate_action (page, "register.view", "s", "places"));
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_true (mamori_register_page_get_loading (f->page));
  g_assert_cmpstr (shown (f), ==, "loading");
  g_assert_nonnull (mamori_test_find_label (page, loading));
  g_assert_cmpuint (n_rows (f), ==, 0);
  wait_for_page (f);
  g_assert_cmpstr (shown (f), ==, "places");
  g_assert_null (mamori_test_find_label (page, loading));

  /* Every place, once, at its highest level: A, then the B places by name, then C; the
   * entries kept nowhere given last. */
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 07", "A", "25 entries", FALSE);
  for (guint i = 0; i < 8; i++)
    {
      g_snprintf (title, sizeof title, "書庫 %02u", i * 10 + 3);
      assert_place (f, 1 + i, title, "B", "25 entries", FALSE);
    }
  assert_place (f, 9, "書庫 00", "C", "25 entries", FALSE);
  assert_place (f, N_PLACES - 1, "書庫 79", "C", "25 entries", FALSE);
  assert_place (f, N_PLACES, "No place given", "D", "55 entries", FALSE);

  /* A place's entries, made when it is expanded (a click or Enter), under it, each with
   * its category and level; collapsed the same way. */
  activate (f, 0);
  assert_place (f, 0, "書庫 07", "A", "25 entries", TRUE);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1 + PER_PLACE);
  for (guint i = 1; i <= PER_PLACE; i++)
    g_assert_cmpuint (row_depth (f, i), ==, 1);
  assert_row (f, find_entry (f, 1, "出席簿 07-07"), "出席簿 07-07 | 学籍情報", "A");
  assert_row (f, find_entry (f, 1, "出席簿 07-01"), "出席簿 07-01 | 学籍情報", "D");
  assert_place (f, 1 + PER_PLACE, "書庫 03", "B", "25 entries", FALSE);
  activate (f, 0);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 07", "A", "25 entries", FALSE);
  /* Activating an entry's row changes nothing. */
  activate (f, N_PLACES);
  activate (f, N_PLACES + 1);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1 + 51);
  activate (f, N_PLACES);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);

  /* The register changes: read again in the thread while the places stay shown, then
   * 書庫 00 holds an A too and comes first with 書庫 07. */
  add_a_to_shelf_00 (f);
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  g_assert_cmpstr (shown (f), ==, "places");
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);
  /* (The model only: showing a row runs the main loop, where the reading may end.) */
  g_assert_cmpstr (mamori_place_item_get_place (row_item (f, 0))->location, ==, "書庫 07");
  wait_for_page (f);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 00", "A", "26 entries", FALSE);
  assert_place (f, 1, "書庫 07", "A", "25 entries", FALSE);

  /* Locked while it reads: the reading is dropped, no place shows, and unlocked again the
   * places are read anew. */
  mamori_register_page_reload (f->page);
  g_assert_true (mamori_session_get_busy (f->session));
  mamori_session_lock (f->session);
  mamori_test_wait_for_session (f->session);
  g_assert_cmpint (mamori_session_get_state (f->session), ==, MAMORI_SESSION_STATE_LOCKED);
  g_assert_false (mamori_register_page_get_loading (f->page));
  g_assert_cmpuint (n_rows (f), ==, 0);
  mamori_test_unlock (f->window, users[0].passphrase);
  mamori_test_wait_for_view (f->window, "main");
  wait_for_page (f);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1);
  assert_place (f, 0, "書庫 00", "A", "26 entries", FALSE);
}

/* Expanded places stay expanded when the places are read again, wherever they move; a
 * place of more than 50 entries lists 50, then how many more. */
static void
test_expanded (Fixture *f, gconstpointer data)
{
  show_places (f);
  activate (f, 0);
  activate (f, N_PLACES + PER_PLACE);
  assert_place (f, N_PLACES + PER_PLACE, "No place given", "D", "55 entries", TRUE);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1 + PER_PLACE + 51);
  for (guint i = 1; i <= 50; i++)
    g_assert_nonnull (mamori_place_item_get_entry (row_item (f, N_PLACES + PER_PLACE + i)));
  g_assert_cmpuint (mamori_place_item_get_n_more (row_item (f, n_rows (f) - 1)), ==, 5);
  assert_row (f, n_rows (f) - 1, "and 5 more", NULL);
  g_assert_cmpuint (row_depth (f, n_rows (f) - 1), ==, 1);

  /* 書庫 00 comes first, 書庫 07 second: still expanded, 書庫 00 not. */
  add_a_to_shelf_00 (f);
  mamori_register_page_reload (f->page);
  wait_for_page (f);
  g_assert_cmpuint (n_rows (f), ==, N_PLACES + 1 + PER_PLACE + 51);
  assert_place (f, 0, "書庫 00", "A", "26 entries", FALSE);
  assert_place (f, 1, "書庫 07", "A", "25 entries", TRUE);
  assert_row (f, find_entry (f, 2, "出席簿 07-07"), "出席簿 07-07 | 学籍情報", "A");
  assert_place (f, N_PLACES + PER_PLACE, "No place given", "D", "55 entries", TRUE);
  assert_row (f, n_rows (f) - 1, "and 5 more", NULL);
}

/* Read again while scrolled down (live sync reads again whenever it brings anything): the
 * list stays where it was, as it does while the page splices the new places into the
 * same store rather than giving the view a new model. */
static void
test_scroll_kept (Fixture *f, gconstpointer data)
{
  GtkAdjustment *adjustment;
  double bottom;

  show_places (f);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (places_view (f)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     2 * gtk_adjustment_get_page_size (adjustment));
  bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gtk_adjustment_set_value (adjustment, bottom);
  mamori_test_flush ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, bottom / 2);

  add_a_to_shelf_00 (f);
  mamori_register_page_reload (f->page);
  wait_for_page (f);
  mamori_test_flush ();
  assert_place (f, 0, "書庫 00", "A", "26 entries", FALSE);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, bottom / 2);
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
  g_test_add ("/gui/register/places-scroll-kept", Fixture, NULL, fixture_set_up, test_scroll_kept,
              fixture_tear_down);
  g_test_add ("/gui/register/places-expanded", Fixture, NULL, fixture_set_up, test_expanded,
              fixture_tear_down);

  return g_test_run ();
}
