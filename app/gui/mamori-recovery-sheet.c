/* mamori-recovery-sheet.c — the printed recovery code, for the board of education to keep
 *
 * One page, laid out with Pango in points: a title, the school and the date, the code
 * in a frame, what it is for and how it is used, and lines for the board to sign for
 * it.  The operation is asynchronous; the page that starts it may be gone by the time
 * it prints, so the operation holds its own copy of the code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mamori-crypto.h"
#include "mamori-recovery-sheet.h"

#define GROUPS_PER_LINE 4

typedef struct
{
  char *school;
  char *code_lines; /* secure memory */
  GDateTime *date;
} Sheet;

static void
sheet_free (Sheet *sheet)
{
  g_free (sheet->school);
  mamori_secure_free (sheet->code_lines);
  g_date_time_unref (sheet->date);
  g_free (sheet);
}

/* Lays out @text in @font across @width from @y; returns where the next text goes. */
static double
draw_text (GtkPrintContext *context,
           const char *text,
           const char *font,
           PangoAlignment alignment,
           double width,
           double y)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr (PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr (PangoFontDescription) description = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text, -1);

  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);

  return y + (double)height / PANGO_SCALE;
}

static void
draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page_nr, Sheet *sheet)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  g_autofree char *date = g_date_time_format (sheet->date, "%x");
  g_autofree char *created = g_strdup_printf (_ ("Created on %s"), date);
  double code_top;
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);

  y = draw_text (context, _ ("Mamori Vault Recovery Code"), "Sans Bold 20", PANGO_ALIGN_LEFT, width,
                 y);
  y = draw_text (context, sheet->school, "Sans 15", PANGO_ALIGN_LEFT, width, y + 8);
  y = draw_text (context, created, "Sans 11", PANGO_ALIGN_LEFT, width, y + 4);

  /* The code, framed. */
  code_top = y + 28;
  y = draw_text (context, sheet->code_lines, "Monospace Bold 22", PANGO_ALIGN_CENTER, width,
                 code_top + 16);
  cairo_set_line_width (cr, 1.5);
  cairo_rectangle (cr, 0, code_top, width, y + 16 - code_top);
  cairo_stroke (cr);
  y += 16;

  y = draw_text (
      context,
      _ ("This code opens the school’s Mamori vault when a passphrase has been forgotten. "
         "Keep it where only the board of education can reach it, such as a locked cabinet: "
         "anyone who has this code can open the vault and read everything in it."),
      "Sans 11", PANGO_ALIGN_LEFT, width, y + 28);
  y = draw_text (
      context,
      _ ("To use it, a board administrator runs “mamori-cli vault recover” on the school’s "
         "computer and types the code. Small letters are fine; O is read as 0, and I or L as 1."),
      "Sans 11", PANGO_ALIGN_LEFT, width, y + 12);

  y = draw_text (context, _ ("Received by (board of education):"), "Sans 11", PANGO_ALIGN_LEFT,
                 width, y + 48);
  cairo_move_to (cr, 0, y + 28);
  cairo_line_to (cr, width * 0.6, y + 28);
  cairo_stroke (cr);
  y = draw_text (context, _ ("Date received:"), "Sans 11", PANGO_ALIGN_LEFT, width, y + 44);
  cairo_move_to (cr, 0, y + 28);
  cairo_line_to (cr, width * 0.6, y + 28);
  cairo_stroke (cr);
}

GtkPrintOperation *
mamori_recovery_sheet_new (const char *school, const char *recovery_code)
{
  GtkPrintOperation *operation;
  Sheet *sheet;

  g_return_val_if_fail (school != NULL, NULL);
  g_return_val_if_fail (recovery_code != NULL, NULL);

  sheet = g_new0 (Sheet, 1);
  sheet->school = g_strdup (school);
  sheet->code_lines = mamori_recovery_code_to_lines (recovery_code);
  sheet->date = g_date_time_new_now_local ();

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* Translators: the name of the print job, as the printer queue lists it. */
  gtk_print_operation_set_job_name (operation, _ ("Mamori recovery code"));

  g_object_set_data_full (G_OBJECT (operation), "mamori-recovery-sheet", sheet,
                          (GDestroyNotify)sheet_free);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), sheet);

  return operation;
}

char *
mamori_recovery_code_to_lines (const char *recovery_code)
{
  char *lines;
  guint dashes = 0;

  g_return_val_if_fail (recovery_code != NULL, NULL);

  lines = mamori_secure_strdup (recovery_code);
  for (char *c = lines; *c != '\0'; c++)
    if (*c == '-' && ++dashes == GROUPS_PER_LINE)
      *c = '\n';

  return lines;
}
