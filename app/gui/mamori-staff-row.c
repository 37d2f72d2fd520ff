/* mamori-staff-row.c — a person in the staff page's list: name, role, and what may be
 * done to them
 *
 * The title is the name as the roster holds it (not markup: a name may hold "&" or "<"),
 * the subtitle the role, which follows the member's "role".  The unlocked user's row is
 * marked 「あなた」.  The menu (the row activates it too) names the person as the
 * actions' target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-staff-row.h"

struct _MamoriStaffRow
{
  AdwActionRow parent_instance;

  /* Template widgets */
  GtkWidget *self_label;
  GtkMenuButton *menu_button;

  /* Owned references */
  MamoriStaffMember *member;
};

G_DEFINE_FINAL_TYPE (MamoriStaffRow, mamori_staff_row, ADW_TYPE_ACTION_ROW)

enum
{
  PROP_0,
  PROP_MEMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
member_role_changed_cb (MamoriStaffRow *self)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                               mamori_role_get_label (mamori_staff_member_get_role (self->member)));
}

static void
mamori_staff_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriStaffRow *self = MAMORI_STAFF_ROW (object);

  switch (prop_id)
    {
    case PROP_MEMBER:
      g_value_set_object (value, self->member);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_row_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  MamoriStaffRow *self = MAMORI_STAFF_ROW (object);

  switch (prop_id)
    {
    case PROP_MEMBER:
      self->member = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_row_constructed (GObject *object)
{
  MamoriStaffRow *self = MAMORI_STAFF_ROW (object);
  const char *name;
  g_autofree char *menu_label = NULL;

  G_OBJECT_CLASS (mamori_staff_row_parent_class)->constructed (object);

  g_return_if_fail (MAMORI_IS_STAFF_MEMBER (self->member));

  name = mamori_staff_member_get_name (self->member);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  gtk_widget_set_visible (self->self_label, mamori_staff_member_get_is_self (self->member));
  g_signal_connect_object (self->member, "notify::role", G_CALLBACK (member_role_changed_cb), self,
                           G_CONNECT_SWAPPED);
  member_role_changed_cb (self);

  /* Translators: the menu of a person on the staff roster: 「山田 花子 の操作」. */
  menu_label = g_strdup_printf (_ ("Actions for %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), menu_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  menu_label, -1);
}

static void
mamori_staff_row_dispose (GObject *object)
{
  MamoriStaffRow *self = MAMORI_STAFF_ROW (object);

  g_clear_object (&self->member);

  G_OBJECT_CLASS (mamori_staff_row_parent_class)->dispose (object);
}

static void
mamori_staff_row_class_init (MamoriStaffRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_staff_row_get_property;
  object_class->set_property = mamori_staff_row_set_property;
  object_class->constructed = mamori_staff_row_constructed;
  object_class->dispose = mamori_staff_row_dispose;

  properties[PROP_MEMBER]
      = g_param_spec_object ("member", NULL, NULL, MAMORI_TYPE_STAFF_MEMBER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-staff-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffRow, self_label);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffRow, menu_button);
}

static void
mamori_staff_row_init (MamoriStaffRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mamori_staff_row_new (MamoriStaffMember *member)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (member), NULL);

  return g_object_new (MAMORI_TYPE_STAFF_ROW, "member", member, NULL);
}

MamoriStaffMember *
mamori_staff_row_get_member (MamoriStaffRow *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_ROW (self), NULL);

  return self->member;
}

void
mamori_staff_row_set_actions (MamoriStaffRow *self, gboolean change_role, gboolean remove)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  GVariant *target;

  g_return_if_fail (MAMORI_IS_STAFF_ROW (self));

  target = g_variant_ref_sink (g_variant_new_string (mamori_staff_member_get_name (self->member)));
  if (change_role)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("Change _Role…"), NULL);

      g_menu_item_set_action_and_target_value (item, "staff.change-role", target);
      g_menu_append_item (menu, item);
    }
  if (remove)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("_Remove…"), NULL);

      g_menu_item_set_action_and_target_value (item, "staff.remove", target);
      g_menu_append_item (menu, item);
    }
  g_variant_unref (target);

  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), change_role || remove);
  adw_action_row_set_activatable_widget (
      ADW_ACTION_ROW (self), change_role || remove ? GTK_WIDGET (self->menu_button) : NULL);
}
