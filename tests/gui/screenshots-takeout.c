/* screenshots-takeout.c — the take-out screenshots of the docs, from the demo school
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" \
 *     _build/tests/gui/screenshots-takeout VAULT OUTDIR
 *
 * VAULT is the demo school's vault as build-aux/run makes it (passphrase mamori-demo);
 * it is not changed.  Writes OUTDIR/takeout-request.png (a teacher's request form with
 * the policy's outcome), takeout-queue.png (the vice-principal's approvals queue) and
 * takeout-timeline.png (a request's history) and takeout-grants.png (the blanket
 * approvals in force) and takeout-grant-form.png (granting one, the passphrase typed), in
 * Japanese.  Built on demand:
 * `meson compile -C _build tests/gui/screenshots-takeout`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-takeout-grant-dialog.h"
#include "mamori-takeout-grant-form.h"
#include "mamori-takeout-page.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-takeout-row.h"
#include "mamori-test-util.h"

#define DEMO_PASSPHRASE "mamori-demo"

static const char *vault_path;
static const char *out_dir;

static MamoriWindow *
open_as (MamoriSession **out_session, const char *user)
{
  MamoriSession *session = mamori_session_new (vault_path);
  MamoriWindow *window;

  mamori_session_set_last_user (session, user);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, "default-width", 1000,
                         "default-height", 720, NULL);
  gtk_window_present (GTK_WINDOW (window));
  mamori_test_flush ();
  mamori_test_unlock (window, DEMO_PASSPHRASE);
  mamori_test_wait_for_view (window, "main");
  *out_session = session;
  return window;
}

static MamoriTakeoutPage *
show_takeout (MamoriWindow *window)
{
  AdwViewStack *stack
      = ADW_VIEW_STACK (mamori_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));

  adw_view_stack_set_visible_child_name (stack, "takeout");
  mamori_test_flush ();
  return MAMORI_TAKEOUT_PAGE (adw_view_stack_get_visible_child (stack));
}

static void
wait_a_moment (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  mamori_test_flush ();
}

/* The check buttons under @root, in order. */
static void
collect_checks (GtkWidget *root, GPtrArray *checks)
{
  if (GTK_IS_CHECK_BUTTON (root))
    g_ptr_array_add (checks, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_checks (child, checks);
}

static void
close_window (MamoriWindow *window, MamoriSession *session)
{
  gtk_window_destroy (GTK_WINDOW (window));
  mamori_test_flush ();
  g_object_unref (session);
}

/* 鈴木 一郎 fills in a request for 通知表 on the official USB stick. */
static void
request_form (void)
{
  MamoriSession *session;
  MamoriWindow *window = open_as (&session, "鈴木 一郎");
  MamoriTakeoutPage *page = show_takeout (window);
  GtkWidget *form;
  GtkWidget *entry;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) later = g_date_time_add_days (now, 2);
  g_autofree char *from = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *until = g_date_time_format (later, "%Y-%m-%d");
  g_autoptr (GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *row;

  gtk_widget_activate_action (GTK_WIDGET (page), "takeout.new-request", NULL);
  mamori_test_flush ();
  form = GTK_WIDGET (mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_REQUEST_DIALOG));
  gtk_window_set_default_size (GTK_WINDOW (form), 600, 1130);
  entry = mamori_test_find_widget (form, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "通知表");
  wait_a_moment (500);
  row = mamori_test_find_row (form, "通知表");
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  mamori_test_flush ();
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (mamori_test_find_row (form, "媒体")),
                              MAMORI_TAKEOUT_MEDIUM_USB);
  mamori_test_type_into (form, "持ち出し先", "自宅");
  mamori_test_type_into (form, "目的", "所見の下書き");
  mamori_test_type_into (form, _ ("From (YYYY-MM-DD)"), from);
  mamori_test_type_into (form, _ ("Until (YYYY-MM-DD)"), until);
  mamori_test_flush ();
  /* Two of the measures ticked: 申請 still waits for the last one. */
  collect_checks (form, checks);
  for (guint i = 0; i < checks->len && i < 2; i++)
    gtk_check_button_set_active (g_ptr_array_index (checks, i), TRUE);
  wait_a_moment (300);
  mamori_test_save_png (form, out_dir, "takeout-request.png");
  gtk_window_destroy (GTK_WINDOW (form));
  close_window (window, session);
}

/* 山田 花子's queue, the history of the request that went all the way, and the blanket
 * approvals. */
static void
queue_and_timeline (void)
{
  MamoriSession *session;
  MamoriWindow *window = open_as (&session, "山田 花子");
  MamoriTakeoutPage *page = show_takeout (window);
  GtkSingleSelection *selection = mamori_takeout_page_get_selection (page);
  GtkWindow *dialog, *form;

  mamori_takeout_page_set_view (page, MAMORI_TAKEOUT_VIEW_QUEUE);
  gtk_single_selection_set_selected (selection, 0);
  wait_a_moment (300);
  mamori_test_save_png (GTK_WIDGET (window), out_dir, "takeout-queue.png");

  mamori_takeout_page_set_view (page, MAMORI_TAKEOUT_VIEW_ALL);
  mamori_test_flush ();
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    {
      g_autoptr (MamoriTakeoutRow) row = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (mamori_takeout_row_get_request (row)->state == MAMORI_TAKEOUT_STATE_CLOSED)
        {
          g_signal_emit_by_name (mamori_test_find_widget (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW),
                                 "activate", i);
          break;
        }
    }
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  wait_a_moment (300);
  mamori_test_save_png (GTK_WIDGET (dialog), out_dir, "takeout-timeline.png");
  gtk_window_destroy (dialog);

  gtk_widget_activate_action (GTK_WIDGET (page), "takeout.grants", NULL);
  mamori_test_flush ();
  dialog = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_DIALOG);
  g_assert_nonnull (dialog);
  wait_a_moment (300);
  mamori_test_save_png (GTK_WIDGET (dialog), out_dir, "takeout-grants.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "grants.new", NULL);
  mamori_test_flush ();
  form = mamori_test_find_toplevel (MAMORI_TYPE_TAKEOUT_GRANT_FORM);
  g_assert_nonnull (form);
  mamori_test_type_into (GTK_WIDGET (form), _ ("Your Passphrase"), DEMO_PASSPHRASE);
  wait_a_moment (300);
  mamori_test_save_png (GTK_WIDGET (form), out_dir, "takeout-grant-form.png");
  gtk_window_destroy (form);
  gtk_window_destroy (dialog);
  close_window (window, session);
}

int
main (int argc, char *argv[])
{

  mamori_test_init_for_screenshots (&argc, &argv);
  if (argc != 3)
    {
      g_printerr ("Usage: screenshots-takeout VAULT OUTDIR\n");
      return 2;
    }
  vault_path = argv[1];
  out_dir = argv[2];
  request_form ();
  queue_and_timeline ();
  return 0;
}
