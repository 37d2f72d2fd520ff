/* mamori-cli-takeout-private.h — what the parts of `mamori-cli takeout` share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mamori-takeout.h"

G_BEGIN_DECLS

typedef struct
{
  char *vault;
  char *user;
  char *passphrase_file;
  gboolean json;
  gboolean mine;
  char **assets;
  char **items;
  char *medium;
  char *to;
  char *purpose;
  char *from;
  char *until;
  char *reason;
  char *max_level;
  char *grant_to;
  char *grant_max_level;
  char *grant_until;
  char *state;
  char *format;
  char *encoding;
  char *output;
  gboolean example;
  char **rest;
} Options;

void
_mamori_cli_takeout_options_clear (Options *o);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, _mamori_cli_takeout_options_clear)

typedef enum
{
  OPT_JSON = 1 << 0,
  OPT_REQUEST = 1 << 1, /* --asset, --item, --medium, --to, --purpose, --from, --until */
  OPT_ID = 1 << 2,      /* one positional ID */
  OPT_REASON = 1 << 3,
  OPT_GRANT = 1 << 4, /* --to, --max-level, --until */
  OPT_LIST = 1 << 5,  /* --state, --mine */
  OPT_LOG = 1 << 6,   /* --from, --until, --format, --encoding, --output */
  OPT_OUTPUT = 1 << 7,
  OPT_APPROVE = 1 << 8, /* --grant-until, --grant-to, --grant-max-level */
  OPT_EXAMPLE = 1 << 9, /* --example */
} OptionSet;

typedef struct
{
  MamoriVault *vault;
  MamoriPolicy *policy;
  MamoriSecret *passphrase; /* the one that unlocked: a decision is signed with it again */
} Session;

void
_mamori_cli_takeout_session_clear (Session *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, _mamori_cli_takeout_session_clear)

int
_mamori_cli_takeout_usage_error (const char *message);
/* Unlocks the vault as the options say and reads its policy. */
int
_mamori_cli_takeout_open_session (const Options *o, Session *out);
MamoriDb *
_mamori_cli_takeout_db (Session *s);
/* Prints @error; the exit status it maps to (docs/cli.md). */
int
_mamori_cli_takeout_fail (const GError *error);
void
_mamori_cli_takeout_add_member (JsonBuilder *builder, const char *member, const char *value);
/* "steps": the approval's steps at @level, each {"step", "roles"} and, with @request,
 * "signed_by" (the signer's name, or null while it waits). */
void
_mamori_cli_takeout_add_steps (JsonBuilder *builder,
                               MamoriDb *db,
                               MamoriLevel *level,
                               const MamoriTakeoutRequest *request);
/* The one positional ID; NULL when there is none or more than one. */
const char *
_mamori_cli_takeout_id (const Options *o);
int
_mamori_cli_takeout_check_dates (const char *from, const char *until);

/* list, show, log, form (mamori-cli-takeout-read.c). */
int
_mamori_cli_takeout_list (const Options *o);
int
_mamori_cli_takeout_show (const Options *o);
int
_mamori_cli_takeout_log (const Options *o);
int
_mamori_cli_takeout_form (const Options *o);

G_END_DECLS
