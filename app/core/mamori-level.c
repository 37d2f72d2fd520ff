/* mamori-level.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy-private.h"

G_DEFINE_FINAL_TYPE (MamoriLevel, mamori_level, G_TYPE_OBJECT)

static const char *const empty_strv[] = { NULL };

static void
mamori_level_finalize (GObject *object)
{
  MamoriLevel *self = MAMORI_LEVEL (object);

  g_free (self->id);
  g_free (self->label);
  g_free (self->definition);
  g_free (self->takeout_text);
  g_strfreev (self->measures);
  g_strfreev (self->storage);
  g_strfreev (self->disposal);
  g_clear_pointer (&self->approvers, g_array_unref);
  g_clear_pointer (&self->approval_steps, g_ptr_array_unref);
  _mamori_basis_free (self->basis);
  _mamori_basis_free (self->takeout_basis);
  g_clear_pointer (&self->measures_basis, g_ptr_array_unref);
  g_clear_pointer (&self->storage_basis, g_ptr_array_unref);
  g_clear_pointer (&self->disposal_basis, g_ptr_array_unref);
  for (guint i = 0; i < MAMORI_N_ENVIRONMENTS; i++)
    _mamori_basis_free (self->environment_basis[i]);

  G_OBJECT_CLASS (mamori_level_parent_class)->finalize (object);
}

static void
mamori_level_class_init (MamoriLevelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_level_finalize;
}

static void
mamori_level_init (MamoriLevel *self)
{
  self->approvers = g_array_new (FALSE, FALSE, sizeof (MamoriRole));
  self->approval_steps = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  for (guint i = 0; i < MAMORI_N_ENVIRONMENTS; i++)
    self->environments[i] = MAMORI_PERMISSION_UNSTATED;
}

const char *
mamori_level_get_id (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->id;
}

const char *
mamori_level_get_label (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->label;
}

const char *
mamori_level_get_definition (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->definition;
}

guint
mamori_level_get_rank (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), 0);
  return self->rank;
}

gboolean
mamori_level_get_personal_info (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), FALSE);
  return self->personal_info;
}

MamoriTakeoutRule
mamori_level_get_takeout_rule (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), MAMORI_TAKEOUT_FORBIDDEN);
  return self->takeout_rule;
}

const char *
mamori_level_get_takeout_text (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->takeout_text;
}

const char *const *
mamori_level_get_measures (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), empty_strv);
  return self->measures ? (const char *const *)self->measures : empty_strv;
}

const char *const *
mamori_level_get_storage (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), empty_strv);
  return self->storage ? (const char *const *)self->storage : empty_strv;
}

const char *const *
mamori_level_get_disposal (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), empty_strv);
  return self->disposal ? (const char *const *)self->disposal : empty_strv;
}

const MamoriRole *
mamori_level_get_approvers (MamoriLevel *self, guint *n_approvers)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  g_return_val_if_fail (n_approvers != NULL, NULL);

  *n_approvers = self->approvers->len;
  return (const MamoriRole *)(gpointer)self->approvers->data;
}

guint
mamori_level_get_n_approval_steps (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), 0);

  return self->approval_steps->len;
}

const MamoriRole *
mamori_level_get_approval_step (MamoriLevel *self, guint step, guint *n_roles)
{
  GArray *roles;

  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  g_return_val_if_fail (step < self->approval_steps->len, NULL);
  g_return_val_if_fail (n_roles != NULL, NULL);

  roles = g_ptr_array_index (self->approval_steps, step);
  *n_roles = roles->len;
  return (const MamoriRole *)(gpointer)roles->data;
}

MamoriPermission
mamori_level_get_environment (MamoriLevel *self, MamoriEnvironment env)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), MAMORI_PERMISSION_UNSTATED);
  g_return_val_if_fail ((guint)env < MAMORI_N_ENVIRONMENTS, MAMORI_PERMISSION_UNSTATED);
  return self->environments[env];
}

const MamoriBasis *
mamori_level_get_basis (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->basis;
}

const MamoriBasis *
mamori_level_get_takeout_basis (MamoriLevel *self)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return self->takeout_basis;
}

const MamoriBasis *
mamori_level_get_measure_basis (MamoriLevel *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return _mamori_basis_list_get (self->measures_basis, index);
}

const MamoriBasis *
mamori_level_get_storage_basis (MamoriLevel *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return _mamori_basis_list_get (self->storage_basis, index);
}

const MamoriBasis *
mamori_level_get_disposal_basis (MamoriLevel *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  return _mamori_basis_list_get (self->disposal_basis, index);
}

const MamoriBasis *
mamori_level_get_environment_basis (MamoriLevel *self, MamoriEnvironment env)
{
  g_return_val_if_fail (MAMORI_IS_LEVEL (self), NULL);
  g_return_val_if_fail ((guint)env < MAMORI_N_ENVIRONMENTS, NULL);
  return self->environment_basis[env];
}
