/* mamori-board-school.c — one school as the board of education sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include "mamori-board-school.h"

struct _MamoriBoardSchool
{
  GObject parent_instance;

  char *id;
  char *name;
  gboolean joined;
  guint staff;
  guint pending;
  guint overdue;
  guint declined;
  char *last_event_at;
  GPtrArray *lowered; /* MamoriBoardLowered */
};

G_DEFINE_FINAL_TYPE (MamoriBoardSchool, mamori_board_school, G_TYPE_OBJECT)

void
mamori_board_lowered_free (MamoriBoardLowered *lowered)
{
  if (lowered == NULL)
    return;
  g_free (lowered->entry);
  g_free (lowered->name);
  g_free (lowered->qualifier);
  g_free (lowered->level);
  g_free (lowered->template_level);
  g_free (lowered->reason);
  g_free (lowered->by);
  g_free (lowered->by_name);
  g_free (lowered->by_role);
  g_free (lowered->at);
  g_free (lowered);
}

/* A string member, or NULL (absent, null, or not a string). */
static char *
dup_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* A count: a non-negative integer member. */
static gboolean
get_count (JsonObject *object, const char *member, guint *out_count)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT)
    return FALSE;
  *out_count = (guint)value;
  return TRUE;
}

static JsonObject *
get_object (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static MamoriBoardLowered *
lowered_from_json (JsonNode *node)
{
  g_autoptr (MamoriBoardLowered) lowered = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  lowered = g_new0 (MamoriBoardLowered, 1);
  lowered->entry = dup_string (object, "entry");
  lowered->name = dup_string (object, "name");
  lowered->qualifier = dup_string (object, "qualifier");
  lowered->level = dup_string (object, "level");
  lowered->template_level = dup_string (object, "template_level");
  lowered->reason = dup_string (object, "reason");
  lowered->by = dup_string (object, "by");
  lowered->by_name = dup_string (object, "by_name");
  lowered->by_role = dup_string (object, "by_role");
  lowered->at = dup_string (object, "at");
  if (lowered->entry == NULL || lowered->name == NULL || lowered->level == NULL)
    return NULL;
  return g_steal_pointer (&lowered);
}

MamoriBoardSchool *
mamori_board_school_new_from_json (JsonObject *object)
{
  g_autoptr (MamoriBoardSchool) self = g_object_new (MAMORI_TYPE_BOARD_SCHOOL, NULL);
  JsonObject *takeout = get_object (object, "takeout");
  JsonNode *joined = json_object_get_member (object, "joined");
  JsonNode *lowered = json_object_get_member (object, "lowered");

  self->id = dup_string (object, "id");
  self->name = dup_string (object, "name");
  self->last_event_at = dup_string (object, "last_event_at");
  if (self->id == NULL || self->name == NULL || joined == NULL || !JSON_NODE_HOLDS_VALUE (joined)
      || json_node_get_value_type (joined) != G_TYPE_BOOLEAN
      || !get_count (object, "staff", &self->staff)
      || !get_count (takeout, "pending", &self->pending)
      || !get_count (takeout, "overdue", &self->overdue)
      || !get_count (takeout, "declined", &self->declined) || lowered == NULL
      || !JSON_NODE_HOLDS_ARRAY (lowered))
    return NULL;
  self->joined = json_node_get_boolean (joined);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lowered)); i++)
    {
      MamoriBoardLowered *entry
          = lowered_from_json (json_array_get_element (json_node_get_array (lowered), i));

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (self->lowered, entry);
    }
  return g_steal_pointer (&self);
}

const char *
mamori_board_school_get_id (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), NULL);

  return self->id;
}

const char *
mamori_board_school_get_name (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), NULL);

  return self->name;
}

gboolean
mamori_board_school_get_joined (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), FALSE);

  return self->joined;
}

guint
mamori_board_school_get_staff (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), 0);

  return self->staff;
}

guint
mamori_board_school_get_pending (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), 0);

  return self->pending;
}

guint
mamori_board_school_get_overdue (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), 0);

  return self->overdue;
}

guint
mamori_board_school_get_declined (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), 0);

  return self->declined;
}

const char *
mamori_board_school_get_last_event_at (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), NULL);

  return self->last_event_at;
}

GPtrArray *
mamori_board_school_get_lowered (MamoriBoardSchool *self)
{
  g_return_val_if_fail (MAMORI_IS_BOARD_SCHOOL (self), NULL);

  return self->lowered;
}

static void
mamori_board_school_finalize (GObject *object)
{
  MamoriBoardSchool *self = MAMORI_BOARD_SCHOOL (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->last_event_at);
  g_ptr_array_unref (self->lowered);

  G_OBJECT_CLASS (mamori_board_school_parent_class)->finalize (object);
}

static void
mamori_board_school_class_init (MamoriBoardSchoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_board_school_finalize;
}

static void
mamori_board_school_init (MamoriBoardSchool *self)
{
  self->lowered = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_board_lowered_free);
}
