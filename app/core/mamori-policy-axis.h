/* mamori-policy-axis.h — a further axis a scheme classifies along (完全性, 可用性)
 *
 * A scheme's levels are its primary axis (for mic-cia, 機密性): the take-out rule, the
 * measures and "highest level wins" follow them.  Further axes only add handling limits
 * (取扱制限) and a value per asset, which the register records beside the level.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mamori-policy-axis-value.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_AXIS (mamori_axis_get_type ())
G_DECLARE_FINAL_TYPE (MamoriAxis, mamori_axis, MAMORI, AXIS, GObject)

const char *
mamori_axis_get_id (MamoriAxis *self);
/* e.g. 「完全性」 */
const char *
mamori_axis_get_label (MamoriAxis *self);
/* GListModel of MamoriAxisValue, strictest first. */
GListModel *
mamori_axis_get_values (MamoriAxis *self);
MamoriAxisValue *
mamori_axis_lookup_value (MamoriAxis *self, const char *value_id);

G_END_DECLS
