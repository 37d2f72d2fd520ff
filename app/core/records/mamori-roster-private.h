/* mamori-roster-private.h — what the roster's reading (mamori-roster.c) and its folds
 * (mamori-roster-fold.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-roster.h"
#include "mamori-text.h"

G_BEGIN_DECLS

/* The holder of the recovery key in `signing_keys`. */
#define MAMORI_ROSTER_RECOVERY_HOLDER "recovery"

G_END_DECLS
