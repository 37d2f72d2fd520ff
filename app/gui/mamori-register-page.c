/* mamori-register-page.c
 *
 * The column view shows a MamoriRegisterTable: the table filters and sorts (the column
 * view's headers only say by which column, mamori-register-sorter.h), and a row object
 * exists only for the rows on screen, so 100,000 entries cost their text, not 100,000
 * objects.  The register is read in the session's thread (a session job: a second for
 * 100,000 entries) whenever it may have changed; the first reading after unlocking shows
 * that it is reading, later ones keep the list shown until the new one replaces it, in
 * place.  The places view (mamori-register-page-places.c) is read the same way when it is
 * shown, and shown by a list view over a tree of the places and their entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level-badge.h"
#include "mamori-register-page-private.h"
#include "mamori-register-sorter.h"

G_DEFINE_FINAL_TYPE (MamoriRegisterPage, mamori_register_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The columns, in the order of the board's form; the name and the place take the room. */
static const struct
{
  MamoriRegisterField field;
  gboolean expand;
} columns[] = {
  { MAMORI_REGISTER_FIELD_NAME, TRUE },       { MAMORI_REGISTER_FIELD_CATEGORY, FALSE },
  { MAMORI_REGISTER_FIELD_LEVEL, FALSE },     { MAMORI_REGISTER_FIELD_MEDIUM, FALSE },
  { MAMORI_REGISTER_FIELD_LOCATION, TRUE },   { MAMORI_REGISTER_FIELD_CUSTODIAN, FALSE },
  { MAMORI_REGISTER_FIELD_RETENTION, FALSE },
};

/* --- helpers shared with the actions ---------------------------------------------------- */

MamoriVault *
_mamori_register_page_get_vault (MamoriRegisterPage *self)
{
  if (self->session == NULL || self->policy == NULL
      || mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    return NULL;
  return mamori_session_get_vault (self->session);
}

/* While a session job runs (an import, a sync round), its thread has the vault: the
 * page reads and changes nothing until it ends. */
gboolean
_mamori_register_page_session_busy (MamoriRegisterPage *self)
{
  return self->session != NULL && mamori_session_get_busy (self->session);
}

gboolean
_mamori_register_page_may_edit (MamoriRegisterPage *self)
{
  MamoriVault *vault = _mamori_register_page_get_vault (self);

  return vault != NULL && mamori_register_can_edit (vault);
}

gboolean
_mamori_register_page_can_edit (MamoriRegisterPage *self)
{
  return _mamori_register_page_may_edit (self) && !_mamori_register_page_session_busy (self);
}

char *
_mamori_register_page_dup_selected_id (MamoriRegisterPage *self)
{
  g_autoptr (MamoriRegisterRow) row = NULL;

  row = gtk_single_selection_get_selected_item (self->selection) != NULL
            ? g_object_ref (gtk_single_selection_get_selected_item (self->selection))
            : NULL;
  return row != NULL ? g_strdup (mamori_register_row_get_id (row)) : NULL;
}

static void
toast_dismissed_cb (MamoriRegisterPage *self, AdwToast *toast)
{
  g_ptr_array_remove (self->toasts, toast);
}

void
_mamori_register_page_toast (MamoriRegisterPage *self, AdwToast *toast)
{
  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), toast);
}

void
_mamori_register_page_fail (MamoriRegisterPage *self, const char *what, const GError *error)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", what, error->message);
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 0);
  _mamori_register_page_toast (self, toast);
}

/* --- what is shown ----------------------------------------------------------------------- */

static void
update_count (MamoriRegisterPage *self)
{
  guint total = mamori_register_table_get_n_entries (self->table);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->table));
  /* Grouped as the locale groups digits: 100,000 件. */
  g_autofree char *total_text = g_strdup_printf ("%'u", total);
  g_autofree char *shown_text = g_strdup_printf ("%'u", shown);
  g_autofree char *text = NULL;

  if (_mamori_register_page_get_vault (self) == NULL || total == 0)
    text = g_strdup ("");
  else if (shown == total)
    /* Translators: the number of entries in the register. */
    text = g_strdup_printf (_ ("%s entries"), total_text);
  else
    /* Translators: “12 of 86 entries”. */
    text = g_strdup_printf (_ ("%s of %s entries"), shown_text, total_text);
  gtk_label_set_text (self->count_label, text);
}

void
_mamori_register_page_update (MamoriRegisterPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean unlocked = _mamori_register_page_get_vault (self) != NULL;
  gboolean may_edit = _mamori_register_page_may_edit (self);
  gboolean can_edit = _mamori_register_page_can_edit (self);
  guint total = mamori_register_table_get_n_entries (self->table);
  g_autofree char *selected = _mamori_register_page_dup_selected_id (self);
  gboolean places = g_str_equal (self->view, "places");
  gboolean editor;
  const char *visible;

  /* Adding, editing and removing wait for the vault when a job has it (a reading of the
   * register, a sync round): the change is made when it ends, and read again with the
   * rest.  The template and an import read the whole register first: not meanwhile. */
  gtk_widget_action_set_enabled (widget, "register.add", may_edit);
  gtk_widget_action_set_enabled (widget, "register.add-from-template", can_edit);
  gtk_widget_action_set_enabled (widget, "register.import", can_edit);
  gtk_widget_action_set_enabled (widget, "register.delete", may_edit && selected != NULL);
  gtk_widget_action_set_enabled (widget, "register.edit", unlocked);
  gtk_widget_action_set_enabled (widget, "register.export",
                                 unlocked && !_mamori_register_page_session_busy (self)
                                     && total > 0);
  /* Editors keep their controls while the session is busy, greyed by the actions. */
  editor = unlocked && mamori_register_can_edit (_mamori_register_page_get_vault (self));
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), editor);
  gtk_widget_set_visible (GTK_WIDGET (self->template_button), editor);
  gtk_widget_set_visible (self->empty_buttons, editor);
  /* The places view shows every place: the search and the filters are the list's. */
  gtk_spinner_set_spinning (self->loading_spinner,
                            unlocked && (!self->loaded || (places && self->places == NULL)));
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), unlocked && total > 0 && !places);
  gtk_widget_set_sensitive (GTK_WIDGET (self->category_dropdown), unlocked && total > 0 && !places);
  gtk_widget_set_sensitive (GTK_WIDGET (self->level_dropdown), unlocked && total > 0 && !places);
  gtk_widget_set_sensitive (GTK_WIDGET (self->files_button), unlocked);
  adw_status_page_set_description (
      self->empty_page,
      editor ? _ ("Start from the board’s standard items, filled in for this school, or import "
                  "the register you keep in Excel.")
             : _ ("The register is kept by the vice-principal and the office staff: it will "
                  "show here once they have filled it in."));

  if (!unlocked)
    visible = "locked";
  else if (!self->loaded)
    visible = "loading";
  else if (total == 0)
    visible = "empty";
  else if (places)
    visible = self->places != NULL ? "places" : "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->table)) == 0)
    visible = "none-found";
  else
    visible = "list";
  gtk_stack_set_visible_child_name (self->content_stack, visible);
  update_count (self);
}

void
_mamori_register_page_fill_filters (MamoriRegisterPage *self)
{
  g_autoptr (GtkStringList) categories = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) levels = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->category_ids, 0);
  g_ptr_array_set_size (self->level_ids, 0);
  gtk_string_list_append (categories, _ ("All categories"));
  g_ptr_array_add (self->category_ids, g_strdup (""));
  gtk_string_list_append (levels, _ ("All levels"));
  g_ptr_array_add (self->level_ids, g_strdup (""));
  if (self->policy != NULL)
    {
      const char *const *ids = mamori_policy_get_category_ids (self->policy);
      GListModel *level_model = mamori_policy_get_levels (self->policy);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          gtk_string_list_append (categories,
                                  mamori_policy_get_category_label (self->policy, ids[i]));
          g_ptr_array_add (self->category_ids, g_strdup (ids[i]));
        }
      for (guint i = 0; i < g_list_model_get_n_items (level_model); i++)
        {
          g_autoptr (MamoriLevel) level = g_list_model_get_item (level_model, i);

          gtk_string_list_append (levels, mamori_level_get_label (level));
          g_ptr_array_add (self->level_ids, g_strdup (mamori_level_get_id (level)));
        }
    }
  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (categories));
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (levels));
}

/* --- callbacks --------------------------------------------------------------------------- */

static void
filter_changed_cb (MamoriRegisterPage *self)
{
  guint category = gtk_drop_down_get_selected (self->category_dropdown);
  guint level = gtk_drop_down_get_selected (self->level_dropdown);

  /* Every row is replaced: the list makes its rows again, a few a frame. */
  _mamori_register_page_reveal_gradually (self);
  mamori_register_table_set_filter (
      self->table, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
      category < self->category_ids->len ? g_ptr_array_index (self->category_ids, category) : NULL,
      level < self->level_ids->len ? g_ptr_array_index (self->level_ids, level) : NULL);
  _mamori_register_page_update (self);
}

static void
sort_changed_cb (MamoriRegisterPage *self)
{
  MamoriRegisterField field = MAMORI_REGISTER_FIELD_NAME;
  gboolean descending = FALSE;

  /* Disposing the template takes the columns away, one by one. */
  if (self->column_view == NULL)
    return;
  mamori_register_sorter_get_sort (gtk_column_view_get_sorter (self->column_view), &field,
                                   &descending);
  _mamori_register_page_reveal_gradually (self);
  mamori_register_table_set_sort (self->table, field, descending);
}

static void
row_activated_cb (MamoriRegisterPage *self, guint position)
{
  g_autoptr (MamoriRegisterRow) row = g_list_model_get_item (G_LIST_MODEL (self->table), position);

  if (row != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "register.edit", "s",
                                mamori_register_row_get_id (row));
}

static gboolean
reload_idle_cb (gpointer data)
{
  MamoriRegisterPage *self = data;

  self->reload_source = 0;
  mamori_register_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* Unlocking changes both the session's state and its lookup: one reading of the register
 * for both, from an idle (the pages that read at unlock have read by then), and only
 * once the page is shown and the vault free.  Locking empties the table at once. */
static void
session_changed_cb (MamoriRegisterPage *self)
{
  gboolean unlocked = self->session != NULL
                      && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED;

  if (!unlocked)
    {
      g_clear_handle_id (&self->reload_source, g_source_remove);
      mamori_register_page_reload (self);
      return;
    }
  self->stale = TRUE;
  self->places_stale = TRUE;
  if (self->reload_source == 0)
    self->reload_source = g_idle_add (reload_idle_cb, self);
}

/* A job began or ended: what is enabled follows, and what was left to read is read now,
 * if shown (a hidden page is brought up to date when shown). */
static void
busy_changed_cb (MamoriRegisterPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->reload_source == 0)
    _mamori_register_page_read_next (self);
  _mamori_register_page_update (self);
}

static void
mamori_register_page_map (GtkWidget *widget)
{
  MamoriRegisterPage *self = MAMORI_REGISTER_PAGE (widget);

  GTK_WIDGET_CLASS (mamori_register_page_parent_class)->map (widget);
  if (self->reload_source == 0)
    _mamori_register_page_read_next (self);
  _mamori_register_page_update (self);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  MamoriRegisterField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "field"));
  GtkWidget *label;
  GtkWidget *box;
  GtkWidget *flag;

  if (field == MAMORI_REGISTER_FIELD_LEVEL)
    {
      GtkWidget *badge = mamori_level_badge_new (NULL);

      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_list_item_set_child (item, badge);
      return;
    }
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), field == MAMORI_REGISTER_FIELD_NAME ? 16 : 4);
  if (field != MAMORI_REGISTER_FIELD_NAME)
    {
      gtk_list_item_set_child (item, label);
      return;
    }
  /* The name, and a mark when the entry is below its template's level. */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  flag = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_tooltip_text (flag, _ ("Below the level the board’s template gives it"));
  gtk_widget_add_css_class (flag, "warning");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), flag);
  gtk_list_item_set_child (item, box);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MamoriRegisterPage *self)
{
  MamoriRegisterField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "field"));
  MamoriRegisterRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (field == MAMORI_REGISTER_FIELD_LEVEL)
    {
      g_autoptr (MamoriLevel) level
          = self->policy != NULL ? g_list_model_get_item (mamori_policy_get_levels (self->policy),
                                                          mamori_register_row_get_level_rank (row))
                                 : NULL;

      mamori_level_badge_set_level (MAMORI_LEVEL_BADGE (child), level);
      return;
    }
  if (field == MAMORI_REGISTER_FIELD_NAME)
    {
      gtk_widget_set_visible (gtk_widget_get_last_child (child),
                              mamori_register_row_get_lowered (row));
      child = gtk_widget_get_first_child (child);
    }
  gtk_label_set_text (GTK_LABEL (child), mamori_register_row_get_text (row, field));
}

static void
add_columns (MamoriRegisterPage *self)
{
  GtkColumnViewColumn *name_column = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "field", GINT_TO_POINTER (columns[i].field));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);
      column = gtk_column_view_column_new (mamori_register_field_get_label (columns[i].field),
                                           factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      /* Category labels are long (学校運営・学校経営・その他): the names get the room. */
      if (columns[i].field == MAMORI_REGISTER_FIELD_CATEGORY)
        gtk_column_view_column_set_fixed_width (column, 150);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_sorter (column, mamori_register_sorter_new (columns[i].field));
      g_object_unref (gtk_column_view_column_get_sorter (column));
      gtk_column_view_append_column (self->column_view, column);
      if (columns[i].field == MAMORI_REGISTER_FIELD_NAME)
        name_column = column;
    }
  gtk_column_view_sort_by_column (self->column_view, name_column, GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sort_changed_cb), self, G_CONNECT_SWAPPED);
}

/* --- GObject ----------------------------------------------------------------------------- */

static void
mamori_register_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriRegisterPage *self = MAMORI_REGISTER_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_register_page_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  MamoriRegisterPage *self = MAMORI_REGISTER_PAGE (object);
  const char *view = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_VIEW:
      view = g_strcmp0 (view, "places") == 0 ? "places" : "list";
      if (g_str_equal (view, self->view))
        return;
      g_free (self->view);
      self->view = g_strdup (view);
      _mamori_register_page_read_next (self);
      _mamori_register_page_update (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_register_page_dispose (GObject *object)
{
  MamoriRegisterPage *self = MAMORI_REGISTER_PAGE (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  /* A reading under way ends unheeded (its callback holds a reference to the page). */
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_pointer (&self->select_after_load, g_free);
  g_clear_pointer (&self->edit_waiting, g_free);
  /* libadwaita 1.2 unparents a toast left shown after its overlay is gone: dismiss them
   * while the overlay is there. */
  while (self->toasts != NULL && self->toasts->len > 0)
    adw_toast_dismiss (g_ptr_array_index (self->toasts, self->toasts->len - 1));
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->reveal_tick);
  self->reveal_tick = 0;
  _mamori_register_page_clear_places (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_REGISTER_PAGE);
  g_clear_object (&self->places_slice);
  g_clear_object (&self->places_tree);
  g_clear_object (&self->places_store);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->policy);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->table);
  g_clear_pointer (&self->category_ids, g_ptr_array_unref);
  g_clear_pointer (&self->level_ids, g_ptr_array_unref);
  g_clear_pointer (&self->view, g_free);

  G_OBJECT_CLASS (mamori_register_page_parent_class)->dispose (object);
}

static void
mamori_register_page_class_init (MamoriRegisterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_register_page_get_property;
  object_class->set_property = mamori_register_page_set_property;
  object_class->dispose = mamori_register_page_dispose;
  widget_class->map = mamori_register_page_map;

  /* "list" (the entries) or "places". */
  properties[PROP_VIEW]
      = g_param_spec_string ("view", NULL, NULL, "list",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-register-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, files_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, template_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, places_view);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, empty_buttons);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriRegisterPage, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_property_action (widget_class, "register.view", "view");
  _mamori_register_page_class_init_actions (widget_class);
}

static void
mamori_register_page_init (MamoriRegisterPage *self)
{
  self->view = g_strdup ("list");
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->category_ids = g_ptr_array_new_with_free_func (g_free);
  self->level_ids = g_ptr_array_new_with_free_func (g_free);
  self->table = mamori_register_table_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->table)), 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (_mamori_register_page_update), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  _mamori_register_page_init_places (self);
  _mamori_register_page_fill_filters (self);

  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::lookup",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "records-changed",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy",
                                  G_CALLBACK (busy_changed_cb), self);
  _mamori_register_page_update (self);
}

GtkWidget *
mamori_register_page_new (void)
{
  return g_object_new (MAMORI_TYPE_REGISTER_PAGE, NULL);
}

void
mamori_register_page_set_session (MamoriRegisterPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_REGISTER_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  session_changed_cb (self);
}

MamoriRegisterTable *
mamori_register_page_get_table (MamoriRegisterPage *self)
{
  g_return_val_if_fail (MAMORI_IS_REGISTER_PAGE (self), NULL);
  return self->table;
}
