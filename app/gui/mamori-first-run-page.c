/* mamori-first-run-page.c — a welcome, then the form that creates the school's vault
 *
 * The form asks for the school, the first user and their role, and a passphrase twice,
 * rated as it is typed (mamori-passphrase-quality.c).  "first-run.create" is enabled
 * only for a complete form.  Creating copies the passphrase into secure memory, clears
 * both entries at once and hands the copy to the session, which derives the keys in a
 * thread; the page shows a spinner meanwhile.  Once the vault is made, the session holds
 * its recovery code for the window to show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-enroll-form.h"
#include "mamori-first-run-page.h"
#include "mamori-passphrase-quality.h"

struct _MamoriFirstRunPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkStack *stack;
  AdwStatusPage *welcome_page;
  GtkWidget *start_button;
  AdwEntryRow *school_row;
  AdwEntryRow *name_row;
  AdwComboRow *role_row;
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *confirm_row;
  GtkLevelBar *strength_bar;
  GtkLabel *hint_label;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkSpinner *spinner;
  MamoriEnrollForm *enroll_form;

  /* Owned references */
  MamoriSession *session;
};

G_DEFINE_FINAL_TYPE (MamoriFirstRunPage, mamori_first_run_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A school's vault is created by an administrator, the root of its staff roster; the
 * vice-principal (教頭), who usually sets up the school's PCs, comes first. */
static const MamoriRole founder_roles[]
    = { MAMORI_ROLE_VICE_PRINCIPAL, MAMORI_ROLE_PRINCIPAL, MAMORI_ROLE_BOARD };

static char *
stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
mamori_first_run_page_is_busy (MamoriFirstRunPage *self)
{
  return self->session != NULL && mamori_session_get_busy (self->session);
}

/* Rates the passphrase, says what is missing, and enables "first-run.create". */
static void
mamori_first_run_page_update (MamoriFirstRunPage *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *confirmation = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  g_autofree char *school = stripped_text (self->school_row);
  g_autofree char *name = stripped_text (self->name_row);
  MamoriPassphraseQuality quality;
  const char *hint;
  gboolean mismatch;

  quality = mamori_passphrase_quality (passphrase, name, &hint);
  mismatch = quality >= MAMORI_PASSPHRASE_WEAK && *confirmation != '\0'
             && !g_str_equal (passphrase, confirmation);
  /* The entries are empty by then: say what is happening instead. */
  if (mamori_first_run_page_is_busy (self))
    hint = _ ("Creating the vault. This takes a moment…");

  gtk_level_bar_set_value (self->strength_bar, quality);
  gtk_label_set_label (self->hint_label, mismatch ? _ ("The passphrases do not match.") : hint);
  if (mismatch)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "dim-label");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "first-run.create",
                                 self->session != NULL && !mamori_first_run_page_is_busy (self)
                                     && *school != '\0' && *name != '\0'
                                     && quality >= MAMORI_PASSPHRASE_WEAK
                                     && g_str_equal (passphrase, confirmation));
}

static void
mamori_first_run_page_set_working (MamoriFirstRunPage *self, gboolean working)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->school_row),     GTK_WIDGET (self->name_row),    GTK_WIDGET (self->role_row),
    GTK_WIDGET (self->passphrase_row), GTK_WIDGET (self->confirm_row),
  };

  /* An entry made insensitive while it has the focus never hears that it lost it. */
  if (working)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "first-run.back", !working);
  gtk_spinner_set_spinning (self->spinner, working);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), working);
}

static void
create_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (MamoriFirstRunPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean created;

  created = mamori_session_create_finish (MAMORI_SESSION (source), result, &error);
  mamori_first_run_page_set_working (self, FALSE);
  mamori_first_run_page_update (self);

  if (!created)
    {
      g_autofree char *message
          = g_strdup_printf (_ ("The vault could not be created: %s"), error->message);

      gtk_label_set_label (self->error_label, message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
    }
}

static void
form_changed_cb (MamoriFirstRunPage *self)
{
  mamori_first_run_page_update (self);
}

static void
confirm_activated_cb (MamoriFirstRunPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "first-run.create", NULL);
}

static void
mamori_first_run_page_start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->school_row));
}

static void
mamori_first_run_page_enroll_action (GtkWidget *widget,
                                     const char *action_name,
                                     GVariant *parameter)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "enroll");
  gtk_widget_grab_focus (GTK_WIDGET (self->enroll_form));
}

static void
mamori_first_run_page_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  gtk_widget_grab_focus (self->start_button);
}

static void
mamori_first_run_page_create_action (GtkWidget *widget,
                                     const char *action_name,
                                     GVariant *parameter)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (widget);
  g_autofree char *school = stripped_text (self->school_row);
  g_autofree char *name = stripped_text (self->name_row);
  char *passphrase;

  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  mamori_first_run_page_set_working (self, TRUE);
  mamori_session_create_async (self->session, school, name,
                               founder_roles[adw_combo_row_get_selected (self->role_row)],
                               passphrase, create_cb, g_object_ref (self));
  mamori_first_run_page_update (self);
}

static gboolean
mamori_first_run_page_grab_focus (GtkWidget *widget)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (widget);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "welcome"))
    return gtk_widget_grab_focus (self->start_button);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "enroll"))
    return gtk_widget_grab_focus (GTK_WIDGET (self->enroll_form));

  return gtk_widget_grab_focus (GTK_WIDGET (self->school_row));
}

static void
mamori_first_run_page_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_first_run_page_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mamori_first_run_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_first_run_page_dispose (GObject *object)
{
  MamoriFirstRunPage *self = MAMORI_FIRST_RUN_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (mamori_first_run_page_parent_class)->dispose (object);
}

static void
mamori_first_run_page_class_init (MamoriFirstRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_first_run_page_get_property;
  object_class->set_property = mamori_first_run_page_set_property;
  object_class->dispose = mamori_first_run_page_dispose;

  widget_class->grab_focus = mamori_first_run_page_grab_focus;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAMORI_TYPE_ENROLL_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, school_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, role_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MamoriFirstRunPage, enroll_form);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);

  gtk_widget_class_install_action (widget_class, "first-run.start", NULL,
                                   mamori_first_run_page_start_action);
  gtk_widget_class_install_action (widget_class, "first-run.enroll", NULL,
                                   mamori_first_run_page_enroll_action);
  gtk_widget_class_install_action (widget_class, "first-run.back", NULL,
                                   mamori_first_run_page_back_action);
  gtk_widget_class_install_action (widget_class, "first-run.create", NULL,
                                   mamori_first_run_page_create_action);
}

static void
mamori_first_run_page_init (MamoriFirstRunPage *self)
{
  g_autoptr (GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_icon_name (self->welcome_page, APPLICATION_ID);

  /* The list follows founder_roles, so that a position is a role. */
  for (gsize i = 0; i < G_N_ELEMENTS (founder_roles); i++)
    gtk_string_list_append (roles, mamori_role_get_label (founder_roles[i]));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  adw_combo_row_set_selected (self->role_row, 0);

  /* Five blocks, from refused (red) to strong (green). */
  gtk_level_bar_remove_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (self->strength_bar, "mamori-too-weak",
                                  MAMORI_PASSPHRASE_TOO_WEAK);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_LOW,
                                  MAMORI_PASSPHRASE_FAIR);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_HIGH,
                                  MAMORI_PASSPHRASE_GOOD);
  gtk_level_bar_add_offset_value (self->strength_bar, GTK_LEVEL_BAR_OFFSET_FULL,
                                  MAMORI_PASSPHRASE_STRONG);

  mamori_first_run_page_update (self);
}

GtkWidget *
mamori_first_run_page_new (void)
{
  return g_object_new (MAMORI_TYPE_FIRST_RUN_PAGE, NULL);
}

MamoriSession *
mamori_first_run_page_get_session (MamoriFirstRunPage *self)
{
  g_return_val_if_fail (MAMORI_IS_FIRST_RUN_PAGE (self), NULL);

  return self->session;
}

void
mamori_first_run_page_set_session (MamoriFirstRunPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_FIRST_RUN_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  mamori_enroll_form_set_session (self->enroll_form, session);
  mamori_first_run_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
