/* mamori-scenario.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mamori-policy-private.h"

G_DEFINE_FINAL_TYPE (MamoriScenario, mamori_scenario, G_TYPE_OBJECT)

static const char *const empty_strv[] = { NULL };

static void
mamori_scenario_finalize (GObject *object)
{
  MamoriScenario *self = MAMORI_SCENARIO (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->icon_name);
  g_strfreev (self->keywords);
  g_strfreev (self->cautions);
  g_strfreev (self->prohibitions);
  g_free (self->source);
  g_free (self->reading);
  _mamori_basis_free (self->basis);
  g_clear_pointer (&self->cautions_basis, g_ptr_array_unref);
  g_clear_pointer (&self->prohibitions_basis, g_ptr_array_unref);

  G_OBJECT_CLASS (mamori_scenario_parent_class)->finalize (object);
}

static void
mamori_scenario_class_init (MamoriScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_scenario_finalize;
}

static void
mamori_scenario_init (MamoriScenario *self)
{
}

const char *
mamori_scenario_get_id (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->id;
}

const char *
mamori_scenario_get_title (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->title;
}

const char *
mamori_scenario_get_summary (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->summary;
}

const char *
mamori_scenario_get_icon_name (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->icon_name ? self->icon_name : "dialog-information-symbolic";
}

const char *const *
mamori_scenario_get_keywords (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), empty_strv);
  return self->keywords ? (const char *const *)self->keywords : empty_strv;
}

const char *const *
mamori_scenario_get_cautions (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), empty_strv);
  return self->cautions ? (const char *const *)self->cautions : empty_strv;
}

const char *const *
mamori_scenario_get_prohibitions (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), empty_strv);
  return self->prohibitions ? (const char *const *)self->prohibitions : empty_strv;
}

const char *
mamori_scenario_get_source (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->source;
}

gboolean
mamori_scenario_get_shortcut (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), FALSE);
  return self->shortcut;
}

const char *
mamori_scenario_get_reading (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->reading;
}

const MamoriBasis *
mamori_scenario_get_basis (MamoriScenario *self)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return self->basis;
}

const MamoriBasis *
mamori_scenario_get_caution_basis (MamoriScenario *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return _mamori_basis_list_get (self->cautions_basis, index);
}

const MamoriBasis *
mamori_scenario_get_prohibition_basis (MamoriScenario *self, guint index)
{
  g_return_val_if_fail (MAMORI_IS_SCENARIO (self), NULL);
  return _mamori_basis_list_get (self->prohibitions_basis, index);
}
