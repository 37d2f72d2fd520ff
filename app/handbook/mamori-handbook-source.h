/* mamori-handbook-source.h — what a handbook is made from, as plain data
 *
 * The generator knows nothing of vaults, registers or rosters: whoever makes a handbook
 * fills a source with the policy in force, the school, the edition date, the people of
 * the contact chain and, when the school keeps one, its register entries.  Without
 * entries the handbook lists the policy's asset template.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-policy.h"

G_BEGIN_DECLS

/* One line of the school's asset register (情報資産台帳), as the handbook shows it. */
typedef struct
{
  char *name;
  char *category;  /* the category's label, e.g. 「成績情報」 */
  char *level_id;  /* a level of the policy */
  char *qualifier; /* 「個人情報を含まないもの」…, or NULL */
} MamoriHandbookEntry;

/* A person of the contact chain (section 6). */
typedef struct
{
  char *name;
  MamoriRole role;
} MamoriHandbookContact;

#define MAMORI_TYPE_HANDBOOK_SOURCE (mamori_handbook_source_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriHandbookSource, mamori_handbook_source, MAMORI, HANDBOOK_SOURCE, GObject)

/* @school may be NULL or empty: the cover then leaves a line to write it on. */
MamoriHandbookSource *
mamori_handbook_source_new (MamoriPolicy *policy, const char *school);

MamoriPolicy *
mamori_handbook_source_get_policy (MamoriHandbookSource *self);
/* Never NULL; "" when the school is not known. */
const char *
mamori_handbook_source_get_school (MamoriHandbookSource *self);

/* The edition date on the cover; today unless set. */
void
mamori_handbook_source_set_date (MamoriHandbookSource *self, GDateTime *date);
GDateTime *
mamori_handbook_source_get_date (MamoriHandbookSource *self);

void
mamori_handbook_source_add_contact (MamoriHandbookSource *self, const char *name, MamoriRole role);
/* The contacts in the order they were added. */
const MamoriHandbookContact *
mamori_handbook_source_get_contacts (MamoriHandbookSource *self, guint *n_contacts);

/* Adds a register entry.  Once there is one, section 2 lists the entries and no longer
 * the policy's template.  FALSE (and nothing added) when @level_id is not a level of the
 * policy. */
gboolean
mamori_handbook_source_add_entry (MamoriHandbookSource *self,
                                  const char *name,
                                  const char *category,
                                  const char *level_id,
                                  const char *qualifier,
                                  GError **error);
/* The register entries in the order they were added; NULL with @n_entries 0 when the
 * school gave none. */
const MamoriHandbookEntry *
mamori_handbook_source_get_entries (MamoriHandbookSource *self, guint *n_entries);
gboolean
mamori_handbook_source_has_register (MamoriHandbookSource *self);

G_END_DECLS
