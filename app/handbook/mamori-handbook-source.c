/* mamori-handbook-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mamori-handbook-source.h"
#include "mamori-handbook.h"

struct _MamoriHandbookSource
{
  GObject parent_instance;

  MamoriPolicy *policy;
  char *school;
  GDateTime *date;
  GArray *contacts; /* MamoriHandbookContact */
  GArray *entries;  /* MamoriHandbookEntry */
};

G_DEFINE_FINAL_TYPE (MamoriHandbookSource, mamori_handbook_source, G_TYPE_OBJECT)

static void
contact_clear (MamoriHandbookContact *contact)
{
  g_free (contact->name);
}

static void
entry_clear (MamoriHandbookEntry *entry)
{
  g_free (entry->name);
  g_free (entry->category);
  g_free (entry->level_id);
  g_free (entry->qualifier);
}

static void
mamori_handbook_source_finalize (GObject *object)
{
  MamoriHandbookSource *self = MAMORI_HANDBOOK_SOURCE (object);

  g_clear_object (&self->policy);
  g_free (self->school);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->contacts, g_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);

  G_OBJECT_CLASS (mamori_handbook_source_parent_class)->finalize (object);
}

static void
mamori_handbook_source_class_init (MamoriHandbookSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mamori_handbook_source_finalize;
}

static void
mamori_handbook_source_init (MamoriHandbookSource *self)
{
  self->contacts = g_array_new (FALSE, TRUE, sizeof (MamoriHandbookContact));
  g_array_set_clear_func (self->contacts, (GDestroyNotify)contact_clear);
  self->entries = g_array_new (FALSE, TRUE, sizeof (MamoriHandbookEntry));
  g_array_set_clear_func (self->entries, (GDestroyNotify)entry_clear);
  self->date = g_date_time_new_now_local ();
}

MamoriHandbookSource *
mamori_handbook_source_new (MamoriPolicy *policy, const char *school)
{
  MamoriHandbookSource *self;

  g_return_val_if_fail (MAMORI_IS_POLICY (policy), NULL);

  self = g_object_new (MAMORI_TYPE_HANDBOOK_SOURCE, NULL);
  self->policy = g_object_ref (policy);
  self->school = g_strstrip (g_strdup (school != NULL ? school : ""));
  return self;
}

MamoriPolicy *
mamori_handbook_source_get_policy (MamoriHandbookSource *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), NULL);
  return self->policy;
}

const char *
mamori_handbook_source_get_school (MamoriHandbookSource *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), NULL);
  return self->school;
}

void
mamori_handbook_source_set_date (MamoriHandbookSource *self, GDateTime *date)
{
  g_return_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self));
  g_return_if_fail (date != NULL);

  g_date_time_unref (self->date);
  self->date = g_date_time_ref (date);
}

GDateTime *
mamori_handbook_source_get_date (MamoriHandbookSource *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), NULL);
  return self->date;
}

void
mamori_handbook_source_add_contact (MamoriHandbookSource *self, const char *name, MamoriRole role)
{
  MamoriHandbookContact contact = { g_strdup (name), role };

  g_return_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self));
  g_return_if_fail (name != NULL);

  g_array_append_val (self->contacts, contact);
}

const MamoriHandbookContact *
mamori_handbook_source_get_contacts (MamoriHandbookSource *self, guint *n_contacts)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), NULL);

  *n_contacts = self->contacts->len;
  return (const MamoriHandbookContact *)self->contacts->data;
}

gboolean
mamori_handbook_source_add_entry (MamoriHandbookSource *self,
                                  const char *name,
                                  const char *category,
                                  const char *level_id,
                                  const char *qualifier,
                                  GError **error)
{
  MamoriHandbookEntry entry;

  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), FALSE);
  g_return_val_if_fail (name != NULL && category != NULL && level_id != NULL, FALSE);

  if (mamori_policy_lookup_level (self->policy, level_id) == NULL)
    {
      g_set_error (error, MAMORI_POLICY_ERROR, MAMORI_POLICY_ERROR_INVALID,
                   _ ("“%s” is not a level of the policy %s (entry “%s”)"), level_id,
                   mamori_policy_get_id (self->policy), name);
      return FALSE;
    }

  entry = (MamoriHandbookEntry){ g_strdup (name), g_strdup (category), g_strdup (level_id),
                                 qualifier != NULL && *qualifier != '\0' ? g_strdup (qualifier)
                                                                         : NULL };
  g_array_append_val (self->entries, entry);
  return TRUE;
}

const MamoriHandbookEntry *
mamori_handbook_source_get_entries (MamoriHandbookSource *self, guint *n_entries)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), NULL);

  *n_entries = self->entries->len;
  return self->entries->len > 0 ? (const MamoriHandbookEntry *)self->entries->data : NULL;
}

gboolean
mamori_handbook_source_has_register (MamoriHandbookSource *self)
{
  g_return_val_if_fail (MAMORI_IS_HANDBOOK_SOURCE (self), FALSE);
  return self->entries->len > 0;
}
