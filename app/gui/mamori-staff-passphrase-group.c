/* mamori-staff-passphrase-group.c — a new passphrase typed twice, rated as it is typed
 *
 * The rating is libpwquality's (mamori-passphrase-quality.c), shown as a level bar of
 * five blocks from refused (red) to strong, with a hint, as on the first-run page.
 * "acceptable" is TRUE once the passphrase is not refused and the confirmation matches;
 * Enter in the confirmation emits "activated".  The passphrase leaves the entries only
 * through mamori_staff_passphrase_group_take_passphrase (), into secure memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-crypto.h"
#include "mamori-passphrase-quality.h"
#include "mamori-staff-passphrase-group.h"

struct _MamoriStaffPassphraseGroup
{
  AdwPreferencesGroup parent_instance;

  /* Template widgets */
  AdwPasswordEntryRow *passphrase_row;
  AdwPasswordEntryRow *confirm_row;
  GtkLevelBar *strength_bar;
  GtkLabel *hint_label;

  /* Owned */
  char *user;
  char *status;

  gboolean acceptable;
};

G_DEFINE_FINAL_TYPE (MamoriStaffPassphraseGroup,
                     mamori_staff_passphrase_group,
                     ADW_TYPE_PREFERENCES_GROUP)

enum
{
  PROP_0,
  PROP_USER,
  PROP_PASSPHRASE_TITLE,
  PROP_CONFIRM_TITLE,
  PROP_ACCEPTABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mamori_staff_passphrase_group_update (MamoriStaffPassphraseGroup *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *confirmation = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  MamoriPassphraseQuality quality;
  gboolean mismatch, acceptable;
  const char *hint;

  quality = mamori_passphrase_quality (passphrase, self->user, &hint);
  mismatch = quality >= MAMORI_PASSPHRASE_WEAK && *confirmation != '\0'
             && !g_str_equal (passphrase, confirmation);
  acceptable = quality >= MAMORI_PASSPHRASE_WEAK && g_str_equal (passphrase, confirmation);
  if (mismatch)
    hint = _ ("The passphrases do not match.");
  if (self->status != NULL)
    hint = self->status;

  gtk_level_bar_set_value (self->strength_bar, quality);
  gtk_label_set_label (self->hint_label, hint);
  if (mismatch && self->status == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "dim-label");
    }

  if (self->acceptable == acceptable)
    return;
  self->acceptable = acceptable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPTABLE]);
}

static void
passphrase_changed_cb (MamoriStaffPassphraseGroup *self)
{
  mamori_staff_passphrase_group_update (self);
}

static void
confirm_activated_cb (MamoriStaffPassphraseGroup *self)
{
  g_signal_emit (self, signals[ACTIVATED], 0);
}

static void
mamori_staff_passphrase_group_get_property (GObject *object,
                                            guint prop_id,
                                            GValue *value,
                                            GParamSpec *pspec)
{
  MamoriStaffPassphraseGroup *self = MAMORI_STAFF_PASSPHRASE_GROUP (object);

  switch (prop_id)
    {
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_PASSPHRASE_TITLE:
      g_value_set_string (
          value, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->passphrase_row)));
      break;

    case PROP_CONFIRM_TITLE:
      g_value_set_string (value,
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->confirm_row)));
      break;

    case PROP_ACCEPTABLE:
      g_value_set_boolean (value, self->acceptable);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_passphrase_group_set_property (GObject *object,
                                            guint prop_id,
                                            const GValue *value,
                                            GParamSpec *pspec)
{
  MamoriStaffPassphraseGroup *self = MAMORI_STAFF_PASSPHRASE_GROUP (object);

  switch (prop_id)
    {
    case PROP_USER:
      mamori_staff_passphrase_group_set_user (self, g_value_get_string (value));
      break;

    case PROP_PASSPHRASE_TITLE:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->passphrase_row),
                                     g_value_get_string (value));
      break;

    case PROP_CONFIRM_TITLE:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->confirm_row),
                                     g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_passphrase_group_finalize (GObject *object)
{
  MamoriStaffPassphraseGroup *self = MAMORI_STAFF_PASSPHRASE_GROUP (object);

  g_free (self->user);
  g_free (self->status);

  G_OBJECT_CLASS (mamori_staff_passphrase_group_parent_class)->finalize (object);
}

static gboolean
mamori_staff_passphrase_group_grab_focus (GtkWidget *widget)
{
  MamoriStaffPassphraseGroup *self = MAMORI_STAFF_PASSPHRASE_GROUP (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
mamori_staff_passphrase_group_class_init (MamoriStaffPassphraseGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_staff_passphrase_group_get_property;
  object_class->set_property = mamori_staff_passphrase_group_set_property;
  object_class->finalize = mamori_staff_passphrase_group_finalize;

  widget_class->grab_focus = mamori_staff_passphrase_group_grab_focus;

  properties[PROP_USER]
      = g_param_spec_string ("user", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PASSPHRASE_TITLE] = g_param_spec_string (
      "passphrase-title", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CONFIRM_TITLE] = g_param_spec_string ("confirm-title", NULL, NULL, NULL,
                                                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCEPTABLE]
      = g_param_spec_boolean ("acceptable", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/mamori/Mamori/mamori-staff-passphrase-group.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseGroup, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseGroup, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseGroup, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPassphraseGroup, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);
}

static void
mamori_staff_passphrase_group_init (MamoriStaffPassphraseGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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

  mamori_staff_passphrase_group_update (self);
}

void
mamori_staff_passphrase_group_set_user (MamoriStaffPassphraseGroup *self, const char *user)
{
  g_return_if_fail (MAMORI_IS_STAFF_PASSPHRASE_GROUP (self));

  if (g_strcmp0 (self->user, user) == 0)
    return;

  g_free (self->user);
  self->user = g_strdup (user);
  mamori_staff_passphrase_group_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

gboolean
mamori_staff_passphrase_group_get_acceptable (MamoriStaffPassphraseGroup *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_PASSPHRASE_GROUP (self), FALSE);

  return self->acceptable;
}

char *
mamori_staff_passphrase_group_take_passphrase (MamoriStaffPassphraseGroup *self)
{
  char *passphrase;

  g_return_val_if_fail (MAMORI_IS_STAFF_PASSPHRASE_GROUP (self), NULL);

  passphrase = mamori_secure_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  return passphrase;
}

void
mamori_staff_passphrase_group_set_status (MamoriStaffPassphraseGroup *self, const char *status)
{
  g_return_if_fail (MAMORI_IS_STAFF_PASSPHRASE_GROUP (self));

  g_free (self->status);
  self->status = g_strdup (status);
  mamori_staff_passphrase_group_update (self);
}
