/* fuzz-event.c — libFuzzer target: an event's payload as it arrives from a file or the
 * network (mamori-event.c)
 *
 * Whatever the bytes, parsing either refuses them with an error or gives an event whose
 * payload is exactly the input, whose id is its hash, and whose chain fields the quick
 * scan used when a vault opens reads the same way; the quick scan never reads outside the
 * input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mamori-event.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GBytes) payload = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriEvent) event = NULL;
  guint8 sig[MAMORI_SIGNATURE_SIZE] = { 0 };
  guint8 id[MAMORI_EVENT_ID_SIZE];
  MamoriEventHeader header;
  gboolean scanned = mamori_event_scan_header (data, size, &header);

  event = mamori_event_parse (payload, sig, &error);
  if (event == NULL)
    {
      g_assert_nonnull (error);
      g_assert_cmpint (error->domain, ==, MAMORI_RECORDS_ERROR);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (event->payload, payload));
  mamori_event_hash (data, size, id);
  g_assert_cmpmem (id, sizeof id, event->id, sizeof event->id);
  /* A canonical payload always scans, to the same fields. */
  g_assert_true (scanned);
  g_assert_cmpint (header.author_seq, ==, event->author_seq);
  g_assert_cmpmem (header.author, sizeof header.author, event->author, sizeof event->author);
  g_assert_cmpint (header.has_prev, ==, event->has_prev);
  g_assert_cmpuint (header.type_len, ==, strlen (event->type));
  g_assert_cmpmem (header.type, header.type_len, event->type, header.type_len);
  return 0;
}
