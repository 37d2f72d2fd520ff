/* mamori-handbook-notes.c — the marks of what is not the source's own words, and their notes
 *
 * A printed handbook cannot show a tooltip: a reading of the source is marked where it is
 * printed by a small 〔解釈※1〕 in soft ink, and its note (what was read how) is printed
 * under the table or the scene that holds it, as Japanese official documents print their
 * 注.  Additions by the school or the board are marked 〔学校の定め〕, 〔教育委員会の定め〕,
 * with a numbered note when they give one.  The numbers run through a section; the marks
 * of one reading under one table or scene share its note.  The leaflet, with no room for
 * notes, prints the marks alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-private.h"

typedef struct
{
  MamoriBasisKind kind;
  char *note;
  guint number;
} Note;

struct _MamoriHandbookNotes
{
  guint number;      /* the last number given in this section */
  GArray *notes;     /* Note: those not yet laid out */
  gboolean any_mark; /* whether any mark was given in the whole handbook */
};

static void
note_clear (gpointer data)
{
  g_free (((Note *)data)->note);
}

MamoriHandbookNotes *
mamori_handbook_notes_new (void)
{
  MamoriHandbookNotes *notes = g_new0 (MamoriHandbookNotes, 1);

  notes->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  g_array_set_clear_func (notes->notes, note_clear);
  return notes;
}

void
mamori_handbook_notes_free (MamoriHandbookNotes *notes)
{
  if (notes == NULL)
    return;
  g_array_unref (notes->notes);
  g_free (notes);
}

void
mamori_handbook_notes_restart (MamoriHandbookNotes *notes)
{
  g_return_if_fail (notes->notes->len == 0);
  notes->number = 0;
}

/* 〔解釈※1〕, or 〔学校の定め〕 without a number. */
static void
append_mark (GString *markup, MamoriBasisKind kind, guint number, guint32 color)
{
  g_autofree char *suffix = number > 0 ? g_strdup_printf ("※%u", number) : g_strdup ("");

  /* A mark is never broken across lines (Japanese rules would break it anywhere). */
  g_string_append_printf (markup,
                          "<span size=\"small\" foreground=\"#%06x\" allow_breaks=\"false\">"
                          "〔%s%s〕</span>",
                          color, mamori_handbook_basis_label (kind), suffix);
}

void
mamori_handbook_basis_mark (GString *markup, const MamoriBasis *basis, guint32 color)
{
  if (basis != NULL && mamori_basis_get_kind (basis) != MAMORI_BASIS_SOURCE)
    append_mark (markup, mamori_basis_get_kind (basis), 0, color);
}

gboolean
mamori_handbook_scenario_has_basis (MamoriScenario *scenario)
{
  const char *const *cautions = mamori_scenario_get_cautions (scenario);
  const char *const *prohibitions = mamori_scenario_get_prohibitions (scenario);

  if (mamori_scenario_get_basis (scenario) != NULL)
    return TRUE;
  for (guint i = 0; cautions[i] != NULL; i++)
    if (mamori_scenario_get_caution_basis (scenario, i) != NULL)
      return TRUE;
  for (guint i = 0; prohibitions[i] != NULL; i++)
    if (mamori_scenario_get_prohibition_basis (scenario, i) != NULL)
      return TRUE;
  return FALSE;
}

void
mamori_handbook_notes_mark (MamoriHandbookNotes *notes, GString *markup, const MamoriBasis *basis)
{
  MamoriBasisKind kind;
  const char *note;
  guint number = 0;

  if (basis == NULL || mamori_basis_get_kind (basis) == MAMORI_BASIS_SOURCE)
    return;
  kind = mamori_basis_get_kind (basis);
  note = mamori_basis_get_note (basis);
  notes->any_mark = TRUE;
  if (note != NULL)
    {
      guint i;

      /* One note under a table for the same reading of several of its cells. */
      for (i = 0; i < notes->notes->len; i++)
        {
          Note *kept = &g_array_index (notes->notes, Note, i);

          if (kept->kind == kind && g_str_equal (kept->note, note))
            break;
        }
      if (i == notes->notes->len)
        {
          Note added = { kind, g_strdup (note), ++notes->number };

          g_array_append_val (notes->notes, added);
        }
      number = g_array_index (notes->notes, Note, i).number;
    }
  append_mark (markup, kind, number, MAMORI_INK_SOFT);
}

char *
mamori_handbook_notes_mark_text (MamoriHandbookNotes *notes,
                                 const char *text,
                                 const MamoriBasis *basis)
{
  GString *markup = g_string_new (NULL);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (markup, escaped);
  mamori_handbook_notes_mark (notes, markup, basis);
  return g_string_free (markup, FALSE);
}

void
mamori_handbook_notes_flush (MamoriHandbookNotes *notes, MamoriHandbookWriter *w, double indent)
{
  if (notes->notes->len == 0)
    return;
  mamori_handbook_writer_skip (w, 3);
  for (guint i = 0; i < notes->notes->len; i++)
    {
      Note *note = &g_array_index (notes->notes, Note, i);
      g_autofree char *markup = g_markup_printf_escaped (
          "※%u %s：%s", note->number, mamori_handbook_basis_label (note->kind), note->note);

      mamori_handbook_writer_paragraph (w, MAMORI_STYLE_SMALL, markup, indent, MAMORI_INK_SOFT);
    }
  g_array_set_size (notes->notes, 0);
}

gboolean
mamori_handbook_notes_any_mark (MamoriHandbookNotes *notes)
{
  return notes->any_mark;
}
