/* mamori-handbook-incident.c — the handbook's section 6: when an incident happens, the
 * chain of reports (the school's own contacts) and what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-handbook"

#include "config.h"

#include "mamori-handbook-sections-private.h"

/* The names of @source's contacts with one of @roles, 「氏名　＿＿」 when there is none. */
static char *
contact_names (MamoriHandbookSections *b, const MamoriRole *roles, guint n_roles)
{
  guint n_contacts;
  const MamoriHandbookContact *contacts
      = mamori_handbook_source_get_contacts (b->source, &n_contacts);
  GString *text = g_string_new (NULL);

  for (guint r = 0; r < n_roles; r++)
    for (guint i = 0; i < n_contacts; i++)
      if (contacts[i].role == roles[r])
        {
          g_autofree char *name = g_markup_escape_text (contacts[i].name, -1);

          g_string_append_printf (text, "%s%s（%s）", text->len > 0 ? "　" : "", name,
                                  mamori_handbook_role_label (roles[r]));
        }
  if (text->len == 0)
    g_string_append (text, "氏名　＿＿＿＿＿＿＿＿＿＿＿＿");
  return g_string_free (text, FALSE);
}

static void
chain_box (MamoriHandbookSections *b,
           const char *role,
           const char *what,
           const char *names,
           gboolean arrow)
{
  MamoriHandbookWriter *w = b->w;
  const MamoriHandbookRect *block = mamori_handbook_writer_get_block (w);
  double label_width = block->width * 0.34;
  g_autoptr (PangoLayout) role_layout
      = mamori_handbook_writer_layout (w, MAMORI_STYLE_H3, role, label_width - 16);
  g_autofree char *detail
      = names != NULL
            ? g_strdup_printf ("%s\n%s\n連絡先（内線・電話）　＿＿＿＿＿＿＿＿＿＿", what, names)
            : g_strdup (what);
  g_autoptr (PangoLayout) detail_layout = mamori_handbook_writer_layout (
      w, MAMORI_STYLE_TABLE, detail, block->width - label_width - 16);
  double height = MAX (mamori_handbook_layout_height (role_layout),
                       mamori_handbook_layout_height (detail_layout))
                  + 16;
  double y;
  MamoriHandbookRect frame, label;

  mamori_handbook_writer_ensure (w, height + (arrow ? 22 : 0));
  y = mamori_handbook_writer_get_y (w);
  frame = (MamoriHandbookRect){ block->x, y, block->width, height };
  label = (MamoriHandbookRect){ block->x, y, label_width, height };
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &frame, MAMORI_WHITE, MAMORI_ACCENT, 1,
                               3);
  mamori_handbook_writer_rect (w, MAMORI_HANDBOOK_BOX_SHAPE, &label, MAMORI_ACCENT, 0, 0, 3);
  mamori_handbook_writer_show (w, role_layout, block->x + 8,
                               y + (height - mamori_handbook_layout_height (role_layout)) / 2,
                               MAMORI_WHITE);
  mamori_handbook_writer_show (w, detail_layout, block->x + label_width + 8, y + 8, MAMORI_INK);
  y += height;

  if (arrow)
    {
      cairo_t *cr = mamori_handbook_writer_get_cairo (w);
      double cx = block->x + label_width / 2;
      MamoriHandbookRect shape = { cx - 8, y + 3, 16, 16 };

      mamori_handbook_set_color (cr, MAMORI_ACCENT);
      cairo_move_to (cr, cx - 4, y + 3);
      cairo_line_to (cr, cx + 4, y + 3);
      cairo_line_to (cr, cx + 4, y + 10);
      cairo_line_to (cr, cx + 8, y + 10);
      cairo_line_to (cr, cx, y + 19);
      cairo_line_to (cr, cx - 8, y + 10);
      cairo_line_to (cr, cx - 4, y + 10);
      cairo_close_path (cr);
      cairo_fill (cr);
      mamori_handbook_writer_record (w, MAMORI_HANDBOOK_BOX_SHAPE, &shape);
      y += 22;
    }
  mamori_handbook_writer_set_y (w, y);
}

void
mamori_handbook_incident_section (MamoriHandbookSections *b)
{
  static const MamoriRole principals[] = { MAMORI_ROLE_PRINCIPAL, MAMORI_ROLE_VICE_PRINCIPAL };
  static const MamoriRole board[] = { MAMORI_ROLE_BOARD };
  g_autofree char *managers = contact_names (b, principals, G_N_ELEMENTS (principals));
  g_autofree char *board_names = contact_names (b, board, G_N_ELEMENTS (board));
  MamoriScenario *incident = mamori_policy_lookup_scenario (b->policy, "incident");

  mamori_handbook_section (b, 6, "事故が起きたとき");
  mamori_handbook_intro (
      b, "情報資産の紛失・盗難、情報の漏えい、コンピュータウイルスへの感染などに気付いたとき、"
         "またはそのおそれがあるときは、<b>自分で判断せず、直ちに</b>次の順に報告してください。"
         "報告が早いほど、被害の拡大を防げます。");

  chain_box (b, "教職員（気付いた人）", "事故やそのおそれに気付いたら、すぐに報告します。", NULL,
             TRUE);
  chain_box (b, "校長（情報セキュリティ管理者）", "状況を確かめ、被害の拡大を防ぐ指示をします。",
             managers, TRUE);
  chain_box (b, "教育委員会", "学校からの報告を受け、対応を指示します。", board_names, FALSE);
  mamori_handbook_writer_skip (b->w, 12);

  if (incident != NULL)
    {
      const char *const *cautions = mamori_scenario_get_cautions (incident);
      const char *const *prohibitions = mamori_scenario_get_prohibitions (incident);

      mamori_handbook_writer_heading (b->w, MAMORI_STYLE_H2, "事故のときにすること");
      for (guint i = 0; cautions[i] != NULL; i++)
        {
          g_autofree char *number = g_strdup_printf ("%u.", i + 1);
          g_autofree char *item = mamori_handbook_notes_mark_text (
              b->notes, cautions[i], mamori_scenario_get_caution_basis (incident, i));

          mamori_handbook_writer_item (b->w, MAMORI_STYLE_BODY, number, MAMORI_ACCENT, item, 4);
        }
      for (guint i = 0; prohibitions[i] != NULL; i++)
        {
          g_autofree char *item = mamori_handbook_notes_mark_text (
              b->notes, prohibitions[i], mamori_scenario_get_prohibition_basis (incident, i));

          mamori_handbook_writer_item (b->w, MAMORI_STYLE_BODY, "×", MAMORI_WARN, item, 4);
        }
      mamori_handbook_notes_flush (b->notes, b->w, 4);
    }
}
