/* mamori-booklet.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-booklet"

#include "config.h"

#include "mamori-booklet.h"

guint
mamori_booklet_get_n_padded_pages (guint n_pages)
{
  return (n_pages + 3) / 4 * 4;
}

guint
mamori_booklet_get_n_sides (guint n_pages)
{
  return mamori_booklet_get_n_padded_pages (n_pages) / 2;
}

void
mamori_booklet_get_side (guint n_pages, guint side, int *out_left, int *out_right)
{
  guint padded = mamori_booklet_get_n_padded_pages (n_pages);
  guint sheet = side / 2;
  guint left, right; /* 0-based pages of the padded booklet */

  g_return_if_fail (side < padded / 2);

  if (side % 2 == 0)
    {
      /* Outer side: a page from the back on the left, one from the front on the right. */
      left = padded - 1 - 2 * sheet;
      right = 2 * sheet;
    }
  else
    {
      left = 2 * sheet + 1;
      right = padded - 2 - 2 * sheet;
    }

  *out_left = left < n_pages ? (int)left : -1;
  *out_right = right < n_pages ? (int)right : -1;
}
