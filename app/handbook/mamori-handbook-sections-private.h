/* mamori-handbook-sections-private.h — the handbook's sections, shared by the files that
 * lay them out (mamori-handbook-sections.c, mamori-handbook-incident.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-handbook-private.h"

G_BEGIN_DECLS

#define N_SECTIONS 7

typedef struct
{
  MamoriHandbookWriter *w;
  MamoriHandbookSource *source;
  MamoriPolicy *policy;
  guint n_levels;
  MamoriHandbookNotes *notes;
  /* Contents: each section's title and first page. */
  const char *section_titles[N_SECTIONS];
  guint section_pages[N_SECTIONS];
  guint n_check_items;
} MamoriHandbookSections;

/* Starts section @number: its band, on a new page unless most of this one is free. */
void
mamori_handbook_section (MamoriHandbookSections *b, guint number, const char *title);
/* The section's opening paragraph. */
void
mamori_handbook_intro (MamoriHandbookSections *b, const char *markup);

void
mamori_handbook_incident_section (MamoriHandbookSections *b);

G_END_DECLS
