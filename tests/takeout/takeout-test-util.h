/* takeout-test-util.h — a school with a principal, a vice-principal and two teachers,
 * and the helpers the take-out tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-event-log.h"
#include "mamori-takeout.h"
#include "mamori-vault.h"

#define PRINCIPAL "校長"
#define VICE "教頭"
#define TEACHER "教諭"
#define COLLEAGUE "同僚"

typedef struct
{
  char *dir;
  char *path;
  MamoriVault *vault;
} Fixture;

const char *
pass_of (const char *user);
void
as (Fixture *f, const char *user);
const char *
pass_now (Fixture *f);
void
fixture_set_up (Fixture *f, gconstpointer data);
void
fixture_tear_down (Fixture *f, gconstpointer data);
MamoriDb *
db_of (Fixture *f);
gint64
count_events (Fixture *f);
char *
staff_id (Fixture *f, const char *name);
MamoriTakeoutDraft *
draft_new (const char *levels, MamoriTakeoutMedium medium, const char *from, const char *until);
MamoriTakeoutRequest *
file (Fixture *f, const char *levels, MamoriTakeoutMedium medium);
MamoriTakeoutState
state_of (Fixture *f, const char *id);
void
expect_refused (Fixture *f, gboolean ok, GError *error, int code);
GError *
append_raw (Fixture *f, const char *type, JsonNode *body);
char *
policy_with_steps (Fixture *f, const char *level, const char *steps_json);
void
install_steps (Fixture *f, const char *level, const char *steps_json);
