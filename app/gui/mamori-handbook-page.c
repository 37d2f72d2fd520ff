/* mamori-handbook-page.c
 *
 * What the page shows comes from one of three places: the session's school (the
 * handbook source is built on the main thread from the unlocked vault, once no job of
 * the session has it; the layout and PDF in a thread), a source set by the caller, or a
 * PDF file opened by the user.  The made PDF never touches the disk unless exported: it
 * holds the school's register.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-handbook-page-private.h"
#include "mamori-handbook-vault.h"
#include "mamori-pdf-thumbnails.h"

G_DEFINE_FINAL_TYPE (MamoriHandbookPage, mamori_handbook_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_DOCUMENT,
  PROP_N_MATCHES,
  PROP_KIND,
  PROP_PAPER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_handbook_page_refresh (MamoriHandbookPage *self);

/* --- what is enabled, what the labels say -------------------------------------------- */

static void
update_actions (MamoriHandbookPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_document = self->document != NULL;
  guint n_pages = has_document ? mamori_pdf_document_get_n_pages (self->document) : 0;
  guint page = mamori_pdf_view_get_page (self->view);
  gboolean can_make
      = self->source != NULL
        || (self->session != NULL
            && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED);
  gboolean has_matches = self->matches != NULL && self->matches->len > 0;

  gtk_widget_action_set_enabled (widget, "handbook.print", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.print-booklet", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.export", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.previous-page", has_document && page > 0);
  gtk_widget_action_set_enabled (widget, "handbook.next-page", has_document && page + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "handbook.zoom-in", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.zoom-out", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.zoom-mode", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.zoom-actual", has_document);
  gtk_widget_action_set_enabled (widget, "handbook.find-next", has_matches);
  gtk_widget_action_set_enabled (widget, "handbook.find-previous", has_matches);
  gtk_widget_action_set_enabled (widget, "handbook.kind", can_make);
  gtk_widget_action_set_enabled (widget, "handbook.paper",
                                 can_make && self->kind == MAMORI_HANDBOOK_KIND_HANDBOOK);
  gtk_widget_action_set_enabled (widget, "handbook.show-generated", can_make && self->showing_file);
  gtk_widget_set_sensitive (GTK_WIDGET (self->find_button), has_document);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page_entry), has_document);
}

static void
update_page_label (MamoriHandbookPage *self)
{
  g_autofree char *page = NULL;
  g_autofree char *total = NULL;

  if (self->document == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->page_entry), "");
      gtk_label_set_text (self->n_pages_label, "");
      update_actions (self);
      return;
    }
  page = g_strdup_printf ("%u", mamori_pdf_view_get_page (self->view) + 1);
  /* Translators: after the page number: “3 / 25”. */
  total = g_strdup_printf (_ ("/ %u"), mamori_pdf_document_get_n_pages (self->document));
  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), page);
  gtk_label_set_text (self->n_pages_label, total);
  update_actions (self);
}

static void
update_zoom_label (MamoriHandbookPage *self)
{
  g_autofree char *label
      = g_strdup_printf ("%.0f %%", mamori_pdf_view_get_scale (self->view) * 100);

  gtk_menu_button_set_label (self->zoom_button, label);
}

static void
update_match_label (MamoriHandbookPage *self)
{
  g_autofree char *text = NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->matches == NULL || *query == '\0')
    text = g_strdup ("");
  else if (self->matches->len == 0)
    text = g_strdup (_ ("Not found"));
  else
    /* Translators: the current match and how many there are: “2 of 14”. */
    text = g_strdup_printf (_ ("%u of %u"), self->current_match + 1, self->matches->len);
  gtk_label_set_text (self->match_label, text);
  update_actions (self);
}

void
_mamori_handbook_page_show_status (MamoriHandbookPage *self,
                                   const char *title,
                                   const char *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->content_stack, "status");
}

/* --- the document -------------------------------------------------------------------- */

static void
clear_matches (MamoriHandbookPage *self)
{
  g_cancellable_cancel (self->finding);
  g_clear_object (&self->finding);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current_match = 0;
  mamori_pdf_view_set_matches (self->view, NULL, 0);
  update_match_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

void
_mamori_handbook_page_set_document (MamoriHandbookPage *self, MamoriPdfDocument *document)
{
  if (!g_set_object (&self->document, document))
    return;
  clear_matches (self);
  mamori_pdf_view_set_document (self->view, document);
  mamori_pdf_thumbnails_set_document (self->thumbnails, document);
  if (document != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "document");
  update_page_label (self);
  update_zoom_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);

  /* A search typed before the document arrived applies to it. */
  if (document != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    mamori_handbook_page_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
_mamori_handbook_page_cancel_loading (MamoriHandbookPage *self)
{
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
}

typedef struct
{
  MamoriHandbookSource *source;
  MamoriHandbookKind kind;
  MamoriHandbookPaper paper;
} MakeJob;

static void
make_job_free (MakeJob *job)
{
  g_object_unref (job->source);
  g_free (job);
}

static void
make_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  MakeJob *job = task_data;
  GError *error = NULL;
  g_autoptr (MamoriHandbook) handbook
      = mamori_handbook_new (job->source, job->kind, job->paper, &error);
  g_autoptr (GBytes) pdf = NULL;
  MamoriPdfDocument *document = NULL;

  if (handbook != NULL)
    pdf = mamori_handbook_to_pdf (handbook, FALSE, &error);
  if (pdf != NULL)
    document = mamori_pdf_document_new (pdf, &error);
  if (document != NULL)
    g_task_return_pointer (task, document, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
_mamori_handbook_page_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriHandbookPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriPdfDocument) document = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  if (document == NULL)
    {
      _mamori_handbook_page_show_status (self,
                                         self->showing_file ? _ ("This File Cannot Be Shown")
                                                            : _ ("The Handbook Could Not Be Made"),
                                         error->message);
      update_actions (self);
      return;
    }
  _mamori_handbook_page_set_document (self, document);
}

static void
show_making (MamoriHandbookPage *self)
{
  _mamori_handbook_page_show_status (self,
                                     self->kind == MAMORI_HANDBOOK_KIND_LEAFLET
                                         ? _ ("Making the Leaflet…")
                                         : _ ("Making the Handbook…"),
                                     _ ("From the policy in force and the school’s records."));
}

/* Makes the document of @source (taken) in a thread; without one, says why (@error) or
 * that the vault is locked. */
static void
make_from (MamoriHandbookPage *self, MamoriHandbookSource *source, const GError *error)
{
  g_autoptr (GTask) task = NULL;
  MakeJob *job;

  if (source == NULL)
    {
      g_clear_object (&self->loading);
      if (error != NULL)
        _mamori_handbook_page_show_status (self, _ ("The Handbook Could Not Be Made"),
                                           error->message);
      else
        _mamori_handbook_page_show_status (
            self, _ ("Handbook"),
            _ ("Unlock the vault to see the school’s handbook, or open a PDF file."));
      update_actions (self);
      return;
    }

  show_making (self);
  job = g_new0 (MakeJob, 1);
  job->source = source;
  job->kind = self->kind;
  job->paper = self->paper;
  if (self->loading == NULL)
    self->loading = g_cancellable_new ();
  task = g_task_new (NULL, self->loading, _mamori_handbook_page_loaded_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify)make_job_free);
  g_task_run_in_thread (task, make_thread);
}

/* No job of the session has the vault: the school's handbook is read from it now (a locked
 * vault, @free_error, shows nothing of the school's). */
static void
vault_free_cb (MamoriSession *session, const GError *free_error, gpointer user_data)
{
  MamoriHandbookPage *self = user_data;
  g_autoptr (GError) error = NULL;
  MamoriHandbookSource *source = NULL;

  if (free_error == NULL)
    source = mamori_handbook_source_new_for_vault (mamori_session_get_vault (session), &error);
  make_from (self, source, error);
}

/* The school's handbook: from the caller's source, or the unlocked session's vault, read
 * once no job of the session has it (a sync round may, whenever the page is shown). */
void
_mamori_handbook_page_make (MamoriHandbookPage *self)
{
  _mamori_handbook_page_cancel_loading (self);
  self->stale = FALSE;
  _mamori_handbook_page_set_document (self, NULL);
  if (self->source != NULL)
    {
      make_from (self, g_object_ref (self->source), NULL);
      return;
    }
  if (self->session == NULL
      || mamori_session_get_state (self->session) != MAMORI_SESSION_STATE_UNLOCKED)
    {
      make_from (self, NULL, NULL);
      return;
    }
  show_making (self);
  self->loading = g_cancellable_new ();
  mamori_session_when_free (self->session, self->loading, vault_free_cb, self);
}

static void
mamori_handbook_page_refresh (MamoriHandbookPage *self)
{
  if (self->showing_file)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Made when next shown: nothing is made for a page nobody looks at. */
      self->stale = TRUE;
      _mamori_handbook_page_cancel_loading (self);
      _mamori_handbook_page_set_document (self, NULL);
      return;
    }
  _mamori_handbook_page_make (self);
}

static void
session_changed_cb (MamoriHandbookPage *self)
{
  gboolean unlocked = mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED;

  /* Nothing of the school's stays on screen once the vault locks. */
  if (!unlocked)
    {
      _mamori_handbook_page_cancel_loading (self);
      self->showing_file = FALSE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      _mamori_handbook_page_set_document (self, NULL);
    }
  mamori_handbook_page_refresh (self);
}

/* --- find ----------------------------------------------------------------------------- */

static void
found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriHandbookPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) matches
      = mamori_pdf_document_find_finish (MAMORI_PDF_DOCUMENT (source), result, &error);
  guint page;

  if (matches == NULL || MAMORI_PDF_DOCUMENT (source) != self->document)
    return;
  g_clear_object (&self->finding);
  g_clear_pointer (&self->matches, g_array_unref);
  self->matches = g_array_ref (matches);

  /* The first match from the page in sight on. */
  page = mamori_pdf_view_get_page (self->view);
  self->current_match = 0;
  for (guint i = 0; i < matches->len; i++)
    if (g_array_index (matches, MamoriPdfMatch, i).page >= page)
      {
        self->current_match = i;
        break;
      }
  mamori_pdf_view_set_matches (self->view, g_array_ref (matches), self->current_match);
  update_match_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

void
_mamori_handbook_page_move_match (MamoriHandbookPage *self, int step)
{
  if (self->matches == NULL || self->matches->len == 0)
    return;
  self->current_match = (self->current_match + self->matches->len + step) % self->matches->len;
  mamori_pdf_view_set_matches (self->view, g_array_ref (self->matches), self->current_match);
  update_match_label (self);
}

static void
search_changed_cb (MamoriHandbookPage *self)
{
  mamori_handbook_page_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activate_cb (MamoriHandbookPage *self)
{
  _mamori_handbook_page_move_match (self, 1);
}

static void
search_next_cb (MamoriHandbookPage *self)
{
  _mamori_handbook_page_move_match (self, 1);
}

static void
search_previous_cb (MamoriHandbookPage *self)
{
  _mamori_handbook_page_move_match (self, -1);
}

static void
search_stop_cb (MamoriHandbookPage *self)
{
  gtk_toggle_button_set_active (self->find_button, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
page_entry_activate_cb (MamoriHandbookPage *self)
{
  guint64 page;

  if (g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->page_entry)), 10, 1,
                                  G_MAXUINT, &page, NULL))
    mamori_pdf_view_go_to_page (self->view, (guint)page - 1);
  update_page_label (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
mamori_handbook_page_map (GtkWidget *widget)
{
  MamoriHandbookPage *self = MAMORI_HANDBOOK_PAGE (widget);

  GTK_WIDGET_CLASS (mamori_handbook_page_parent_class)->map (widget);
  if (self->stale || (self->document == NULL && self->loading == NULL && !self->showing_file))
    _mamori_handbook_page_make (self);
}

static void
mamori_handbook_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriHandbookPage *self = MAMORI_HANDBOOK_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, mamori_handbook_page_get_n_matches (self));
      break;
    case PROP_KIND:
      g_value_set_string (value,
                          self->kind == MAMORI_HANDBOOK_KIND_LEAFLET ? "leaflet" : "handbook");
      break;
    case PROP_PAPER:
      g_value_set_string (value, self->paper == MAMORI_HANDBOOK_PAPER_A4 ? "a4" : "b5");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Choosing the handbook or the leaflet, B5 or A4, makes the school's document again. */
static void
mamori_handbook_page_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  MamoriHandbookPage *self = MAMORI_HANDBOOK_PAGE (object);
  const char *text = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_strcmp0 (text, "leaflet") == 0 ? MAMORI_HANDBOOK_KIND_LEAFLET
                                                    : MAMORI_HANDBOOK_KIND_HANDBOOK;
      break;
    case PROP_PAPER:
      if (text == NULL || !mamori_handbook_paper_from_string (text, &self->paper))
        self->paper = MAMORI_HANDBOOK_PAPER_B5;
      gtk_menu_button_set_label (self->paper_button,
                                 self->paper == MAMORI_HANDBOOK_PAPER_A4 ? "A4" : "B5");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
  self->showing_file = FALSE;
  mamori_handbook_page_refresh (self);
}

static void
mamori_handbook_page_dispose (GObject *object)
{
  MamoriHandbookPage *self = MAMORI_HANDBOOK_PAGE (object);

  _mamori_handbook_page_cancel_loading (self);
  g_cancellable_cancel (self->finding);
  g_clear_object (&self->finding);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAMORI_TYPE_HANDBOOK_PAGE);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->source);
  g_clear_object (&self->document);
  g_clear_pointer (&self->matches, g_array_unref);

  G_OBJECT_CLASS (mamori_handbook_page_parent_class)->dispose (object);
}

static void
mamori_handbook_page_class_init (MamoriHandbookPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *const simple_actions[]
      = { "handbook.print",        "handbook.print-booklet",  "handbook.export",
          "handbook.open",         "handbook.show-generated", "handbook.previous-page",
          "handbook.next-page",    "handbook.zoom-in",        "handbook.zoom-out",
          "handbook.zoom-actual",  "handbook.find",           "handbook.find-next",
          "handbook.find-previous" };

  object_class->get_property = mamori_handbook_page_get_property;
  object_class->set_property = mamori_handbook_page_set_property;
  object_class->dispose = mamori_handbook_page_dispose;
  widget_class->map = mamori_handbook_page_map;

  properties[PROP_DOCUMENT]
      = g_param_spec_object ("document", NULL, NULL, MAMORI_TYPE_PDF_DOCUMENT,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MATCHES]
      = g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "handbook" or "leaflet" */
  properties[PROP_KIND]
      = g_param_spec_string ("kind", NULL, NULL, "handbook",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "b5" or "a4" */
  properties[PROP_PAPER]
      = g_param_spec_string ("paper", NULL, NULL, "b5",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_PDF_VIEW);
  g_type_ensure (MAMORI_TYPE_PDF_THUMBNAILS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-handbook-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, find_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, paper_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, page_entry);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, match_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, thumbnails);
  gtk_widget_class_bind_template_child (widget_class, MamoriHandbookPage, view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_entry_activate_cb);

  for (guint i = 0; i < G_N_ELEMENTS (simple_actions); i++)
    gtk_widget_class_install_action (widget_class, simple_actions[i], NULL,
                                     _mamori_handbook_page_action);
  gtk_widget_class_install_action (widget_class, "handbook.zoom-mode", "s",
                                   _mamori_handbook_page_action);
  gtk_widget_class_install_property_action (widget_class, "handbook.kind", "kind");
  gtk_widget_class_install_property_action (widget_class, "handbook.paper", "paper");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "handbook.find",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "handbook.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "handbook.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "handbook.previous-page",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "handbook.next-page",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "handbook.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "handbook.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "handbook.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "handbook.zoom-actual", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "handbook.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "handbook.open",
                                       NULL);
}

static void
mamori_handbook_page_init (MamoriHandbookPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->kind = MAMORI_HANDBOOK_KIND_HANDBOOK;
  self->paper = MAMORI_HANDBOOK_PAPER_B5;
  gtk_menu_button_set_label (self->paper_button, "B5");
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* A whole page at a time: a B5 page is read as a page, not a strip. */
  mamori_pdf_view_set_zoom_mode (self->view, MAMORI_PDF_ZOOM_FIT_PAGE);

  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::lookup",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (self->view, "notify::page", G_CALLBACK (update_page_label), self);
  g_signal_connect_swapped (self->view, "notify::scale", G_CALLBACK (update_zoom_label), self);
  g_signal_connect_swapped (self->view, "notify::zoom-mode", G_CALLBACK (update_zoom_label), self);
  g_object_bind_property (self->view, "page", self->thumbnails, "page",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  _mamori_handbook_page_show_status (
      self, _ ("Handbook"),
      _ ("Unlock the vault to see the school’s handbook, or open a PDF file."));
  update_page_label (self);
  update_zoom_label (self);
}

GtkWidget *
mamori_handbook_page_new (void)
{
  return g_object_new (MAMORI_TYPE_HANDBOOK_PAGE, NULL);
}

void
mamori_handbook_page_set_session (MamoriHandbookPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  self->showing_file = FALSE;
  mamori_handbook_page_refresh (self);
}

void
mamori_handbook_page_set_source (MamoriHandbookPage *self, MamoriHandbookSource *source)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK_PAGE (self));
  g_return_if_fail (source == NULL || MAMORI_IS_HANDBOOK_SOURCE (source));

  g_set_object (&self->source, source);
  self->showing_file = FALSE;
  mamori_handbook_page_refresh (self);
}

MamoriPdfView *
mamori_handbook_page_get_view (MamoriHandbookPage *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_PAGE (self), NULL);
  return self->view;
}

MamoriPdfDocument *
mamori_handbook_page_get_document (MamoriHandbookPage *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_PAGE (self), NULL);
  return self->document;
}

void
mamori_handbook_page_find (MamoriHandbookPage *self, const char *text)
{
  g_autofree char *query = NULL;

  g_return_if_fail (MAMORI_IS_HANDBOOK_PAGE (self));
  g_return_if_fail (text != NULL);

  clear_matches (self);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    {
      /* Typing the text runs this again, through "search-changed". */
      gtk_toggle_button_set_active (self->find_button, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
      return;
    }
  query = g_strstrip (g_strdup (text));
  if (self->document == NULL || *query == '\0')
    return;
  self->finding = g_cancellable_new ();
  mamori_pdf_document_find_async (self->document, query, self->finding, found_cb,
                                  g_object_ref (self));
}

guint
mamori_handbook_page_get_n_matches (MamoriHandbookPage *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_PAGE (self), 0);
  return self->matches != NULL ? self->matches->len : 0;
}

guint
mamori_handbook_page_get_current_match (MamoriHandbookPage *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_PAGE (self), 0);
  return self->current_match;
}
