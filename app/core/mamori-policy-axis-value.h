/* mamori-policy-axis-value.h — one value of a further classification axis (完全性2 …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mamori-policy-types.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_AXIS_VALUE (mamori_axis_value_get_type ())
G_DECLARE_FINAL_TYPE (MamoriAxisValue, mamori_axis_value, MAMORI, AXIS_VALUE, GObject)

const char *
mamori_axis_value_get_id (MamoriAxisValue *self);
/* Display label, e.g. 「完全性2」. */
const char *
mamori_axis_value_get_label (MamoriAxisValue *self);
const char *
mamori_axis_value_get_definition (MamoriAxisValue *self);
/* Position on its axis: 0 is the strictest value. */
guint
mamori_axis_value_get_rank (MamoriAxisValue *self);
/* 取扱制限: what the value asks of whoever handles the asset; never NULL, may be empty. */
const char *const *
mamori_axis_value_get_handling (MamoriAxisValue *self);
/* NULL when the value is the source's words. */
const MamoriBasis *
mamori_axis_value_get_basis (MamoriAxisValue *self);

G_END_DECLS
