/* mamori-takeout-row.c — one take-out request as a row of the take-out page's list
 *
 * The columns' texts are made once, when the row is: a list shows them many times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-takeout"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-level.h"
#include "mamori-takeout-row.h"

struct _MamoriTakeoutRow
{
  GObject parent_instance;

  MamoriTakeoutRequest *request;
  char *state;
  char *items;
  char *level;
  char *period;
};

G_DEFINE_FINAL_TYPE (MamoriTakeoutRow, mamori_takeout_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_REQUESTER,
  PROP_ITEMS,
  PROP_LEVEL,
  PROP_PERIOD,
  PROP_PURPOSE,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mamori_takeout_row_finalize (GObject *object)
{
  MamoriTakeoutRow *self = MAMORI_TAKEOUT_ROW (object);

  g_clear_pointer (&self->request, mamori_takeout_request_free);
  g_free (self->state);
  g_free (self->items);
  g_free (self->level);
  g_free (self->period);
  G_OBJECT_CLASS (mamori_takeout_row_parent_class)->finalize (object);
}

static void
mamori_takeout_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriTakeoutRow *self = MAMORI_TAKEOUT_ROW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_REQUESTER:
      g_value_set_string (value, self->request->requester_name);
      break;
    case PROP_ITEMS:
      g_value_set_string (value, self->items);
      break;
    case PROP_LEVEL:
      g_value_set_string (value, self->level);
      break;
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;
    case PROP_PURPOSE:
      g_value_set_string (value, self->request->purpose);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->request->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_takeout_row_class_init (MamoriTakeoutRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mamori_takeout_row_finalize;
  object_class->get_property = mamori_takeout_row_get_property;

  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_REQUESTER] = g_param_spec_string ("requester", NULL, NULL, NULL, flags);
  properties[PROP_ITEMS] = g_param_spec_string ("items", NULL, NULL, NULL, flags);
  properties[PROP_LEVEL] = g_param_spec_string ("level", NULL, NULL, NULL, flags);
  properties[PROP_PERIOD] = g_param_spec_string ("period", NULL, NULL, NULL, flags);
  properties[PROP_PURPOSE] = g_param_spec_string ("purpose", NULL, NULL, NULL, flags);
  /* A declined request's reason, or NULL. */
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mamori_takeout_row_init (MamoriTakeoutRow *self)
{
}

MamoriTakeoutRow *
mamori_takeout_row_new (MamoriTakeoutRequest *request, MamoriPolicy *policy, const char *today)
{
  MamoriTakeoutRow *self = g_object_new (MAMORI_TYPE_TAKEOUT_ROW, NULL);
  MamoriLevel *level = policy != NULL ? mamori_policy_lookup_level (policy, request->level) : NULL;

  self->request = request;
  if (mamori_takeout_request_is_overdue (request, today))
    /* Translators: a request's state when it is out past its period. */
    self->state
        = g_strdup_printf (_ ("%s (overdue)"), mamori_takeout_state_get_label (request->state));
  else
    self->state = g_strdup (mamori_takeout_state_get_label (request->state));
  self->items = mamori_takeout_items_describe (request);
  self->level = g_strdup (level != NULL ? mamori_level_get_label (level) : request->level);
  /* Translators: a period of dates, from the first to the last. */
  self->period = g_strdup_printf (_ ("%s to %s"), request->date_from, request->date_until);
  return self;
}

const MamoriTakeoutRequest *
mamori_takeout_row_get_request (MamoriTakeoutRow *self)
{
  g_return_val_if_fail (MAMORI_IS_TAKEOUT_ROW (self), NULL);
  return self->request;
}
