/* mamori-staff-member.c — a person on the school's staff roster, as the GUI lists them
 *
 * The session keeps one per person on the roster (mamori_session_get_staff ()) and
 * changes the role in place, so that a row showing the person follows "role".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include "mamori-core-enums.h"
#include "mamori-staff-member.h"

struct _MamoriStaffMember
{
  GObject parent_instance;

  char *id;
  char *name;
  MamoriRole role;
  gboolean is_self;
};

G_DEFINE_FINAL_TYPE (MamoriStaffMember, mamori_staff_member, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_IS_SELF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_staff_member_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriStaffMember *self = MAMORI_STAFF_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_member_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  MamoriStaffMember *self = MAMORI_STAFF_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_ROLE:
      mamori_staff_member_set_role (self, g_value_get_enum (value));
      break;

    case PROP_IS_SELF:
      self->is_self = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_member_finalize (GObject *object)
{
  MamoriStaffMember *self = MAMORI_STAFF_MEMBER (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (mamori_staff_member_parent_class)->finalize (object);
}

static void
mamori_staff_member_class_init (MamoriStaffMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mamori_staff_member_get_property;
  object_class->set_property = mamori_staff_member_set_property;
  object_class->finalize = mamori_staff_member_finalize;

  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ROLE]
      = g_param_spec_enum ("role", NULL, NULL, MAMORI_TYPE_ROLE, MAMORI_ROLE_TEACHER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_SELF]
      = g_param_spec_boolean ("is-self", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mamori_staff_member_init (MamoriStaffMember *self)
{
}

MamoriStaffMember *
mamori_staff_member_new (const char *id, const char *name, MamoriRole role, gboolean is_self)
{
  g_return_val_if_fail (id != NULL && name != NULL, NULL);

  return g_object_new (MAMORI_TYPE_STAFF_MEMBER, "id", id, "name", name, "role", role, "is-self",
                       is_self, NULL);
}

const char *
mamori_staff_member_get_id (MamoriStaffMember *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (self), NULL);

  return self->id;
}

const char *
mamori_staff_member_get_name (MamoriStaffMember *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (self), NULL);

  return self->name;
}

MamoriRole
mamori_staff_member_get_role (MamoriStaffMember *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (self), MAMORI_ROLE_TEACHER);

  return self->role;
}

void
mamori_staff_member_set_role (MamoriStaffMember *self, MamoriRole role)
{
  g_return_if_fail (MAMORI_IS_STAFF_MEMBER (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

gboolean
mamori_staff_member_get_is_self (MamoriStaffMember *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (self), FALSE);

  return self->is_self;
}

gboolean
mamori_staff_member_is_administrator (MamoriStaffMember *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_MEMBER (self), FALSE);

  return mamori_role_is_administrator (self->role);
}
