/* mamori-pdf-thumbnails.c
 *
 * A GtkListView of the page numbers: the list view only creates rows for what is in
 * sight, and each row asks the document for its page at thumbnail size (off the main
 * thread), kept once made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-pdf"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-pdf-thumbnails.h"

#define THUMBNAIL_WIDTH 112

struct _MamoriPdfThumbnails
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkListView *list;
  GtkSingleSelection *selection;
  GtkStringList *pages;

  MamoriPdfDocument *document;
  GHashTable *textures; /* page → GdkTexture */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MamoriPdfThumbnails, mamori_pdf_thumbnails, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  MamoriPdfThumbnails *self; /* weak */
  guint page;
} ThumbnailRequest;

static GtkPicture *
picture_of (GtkListItem *item)
{
  return GTK_PICTURE (gtk_widget_get_first_child (gtk_list_item_get_child (item)));
}

static void
rendered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ThumbnailRequest *request = user_data;
  g_autoptr (GdkTexture) texture
      = mamori_pdf_document_render_finish (MAMORI_PDF_DOCUMENT (source), result, NULL);
  MamoriPdfThumbnails *self = request->self;

  if (self != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *)&request->self);
      if (texture != NULL && MAMORI_PDF_DOCUMENT (source) == self->document)
        {
          g_hash_table_insert (self->textures, GUINT_TO_POINTER (request->page),
                               g_object_ref (texture));
          /* Rows bound meanwhile show it: the model says the item changed. */
          gtk_widget_queue_draw (GTK_WIDGET (self->list));
          for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
               row = gtk_widget_get_next_sibling (row))
            {
              GtkWidget *box = gtk_widget_get_first_child (row);
              GtkWidget *picture = box != NULL ? gtk_widget_get_first_child (box) : NULL;

              if (GTK_IS_PICTURE (picture)
                  && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picture), "page"))
                         == request->page + 1)
                gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
            }
        }
    }
  g_free (request);
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MamoriPdfThumbnails *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 1.414);
  gtk_widget_add_css_class (picture, "mamori-thumbnail");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MamoriPdfThumbnails *self)
{
  GtkStringObject *number = gtk_list_item_get_item (item);
  GtkPicture *picture = picture_of (item);
  GtkWidget *label = gtk_widget_get_last_child (gtk_list_item_get_child (item));
  guint page = (guint)g_ascii_strtoull (gtk_string_object_get_string (number), NULL, 10) - 1;
  GdkTexture *texture = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (page));
  g_autofree char *accessible = g_strdup_printf (_ ("Page %u"), page + 1);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (number));
  g_object_set_data (G_OBJECT (picture), "page", GUINT_TO_POINTER (page + 1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_picture_set_paintable (picture, texture != NULL ? GDK_PAINTABLE (texture) : NULL);

  if (texture == NULL && self->document != NULL)
    {
      ThumbnailRequest *request = g_new0 (ThumbnailRequest, 1);
      double width, height;

      mamori_pdf_document_get_page_size (self->document, page, &width, &height);
      request->self = self;
      request->page = page;
      g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&request->self);
      mamori_pdf_document_render_async (
          self->document, page,
          THUMBNAIL_WIDTH * gtk_widget_get_scale_factor (GTK_WIDGET (self)) / width,
          self->cancellable, rendered_cb, request);
    }
}

static void
selected_cb (MamoriPdfThumbnails *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
mamori_pdf_thumbnails_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  MamoriPdfThumbnails *self = MAMORI_PDF_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_uint (value, mamori_pdf_thumbnails_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_pdf_thumbnails_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  MamoriPdfThumbnails *self = MAMORI_PDF_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      mamori_pdf_thumbnails_set_page (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_pdf_thumbnails_dispose (GObject *object)
{
  MamoriPdfThumbnails *self = MAMORI_PDF_THUMBNAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->document);
  g_clear_pointer (&self->textures, g_hash_table_unref);

  G_OBJECT_CLASS (mamori_pdf_thumbnails_parent_class)->dispose (object);
}

static void
mamori_pdf_thumbnails_class_init (MamoriPdfThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_pdf_thumbnails_get_property;
  object_class->set_property = mamori_pdf_thumbnails_set_property;
  object_class->dispose = mamori_pdf_thumbnails_dispose;

  properties[PROP_PAGE]
      = g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pdfthumbnails");
}

static void
mamori_pdf_thumbnails_init (MamoriPdfThumbnails *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->pages = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->pages));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selected_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  self->list = GTK_LIST_VIEW (
      gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Pages"), -1);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->list));
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
  g_object_unref (self->selection);
}

void
mamori_pdf_thumbnails_set_document (MamoriPdfThumbnails *self, MamoriPdfDocument *document)
{
  guint n = document != NULL ? mamori_pdf_document_get_n_pages (document) : 0;
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (MAMORI_IS_PDF_THUMBNAILS (self));

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_object_unref (self->cancellable);
  g_hash_table_remove_all (self->textures);
  g_set_object (&self->document, document);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("%u", i + 1));
  g_ptr_array_add (numbers, NULL);
  gtk_string_list_splice (self->pages, 0, g_list_model_get_n_items (G_LIST_MODEL (self->pages)),
                          (const char *const *)numbers->pdata);
}

guint
mamori_pdf_thumbnails_get_page (MamoriPdfThumbnails *self)
{
  guint selected;

  g_return_val_if_fail (MAMORI_IS_PDF_THUMBNAILS (self), 0);

  selected = gtk_single_selection_get_selected (self->selection);
  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

void
mamori_pdf_thumbnails_set_page (MamoriPdfThumbnails *self, guint page)
{
  g_return_if_fail (MAMORI_IS_PDF_THUMBNAILS (self));

  if (page >= g_list_model_get_n_items (G_LIST_MODEL (self->pages))
      || page == gtk_single_selection_get_selected (self->selection))
    return;
  gtk_single_selection_set_selected (self->selection, page);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", page);
}
