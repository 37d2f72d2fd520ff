/* mamori-test-util.c — helpers shared by the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-test-util.h"

gboolean
mamori_test_has_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

void
mamori_test_init (int *argc,
                  char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

MamoriLookup *
mamori_test_load_lookup (const char *preset_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MamoriPolicy) policy = mamori_policy_new_from_preset (preset_id, &error);

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
results_changed_cb (MamoriLookupPage *page,
                    GParamSpec *pspec,
                    SearchWait *wait)
{
  /* Replacing the text clears it first, and an empty query is searched at once:
   * wait for the results of the query itself. */
  if (g_str_equal (mamori_lookup_page_get_query (page), wait->query))
    wait->searched = TRUE;
}

GListModel *
mamori_test_search (MamoriLookupPage *page,
                    const char *query)
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
mamori_test_find_widget (GtkWidget *root,
                         GType type)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mamori_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
mamori_test_find_label (GtkWidget *root,
                        const char *text)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mamori_test_find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

guint
mamori_test_count_actionables (GtkWidget *root,
                               const char *action_name)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;

  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += mamori_test_count_actionables (child, action_name);

  return n;
}
