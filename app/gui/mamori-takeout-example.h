/* mamori-takeout-example.h — the filled example of the take-out request form (記入例)
 *
 * A window showing the form drawn from fixed example data (mamori_takeout_form_new_example()),
 * to print or export, so that a teacher sees how the paper the school files looks when
 * it is complete: ticked measures, the approver's seal, the request id and fingerprint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-pdf-document.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_EXAMPLE (mamori_takeout_example_get_type ())
G_DECLARE_FINAL_TYPE (
    MamoriTakeoutExample, mamori_takeout_example, MAMORI, TAKEOUT_EXAMPLE, AdwWindow)

GtkWidget *
mamori_takeout_example_new (GtkWindow *parent);

/* The example as shown (NULL when it could not be drawn). */
MamoriPdfDocument *
mamori_takeout_example_get_document (MamoriTakeoutExample *self);

G_END_DECLS
