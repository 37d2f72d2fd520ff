/* mamori-cli-takeout.c — `mamori-cli takeout …`: take-out requests (持ち出し)
 *
 * request files a request and applies the policy at once (exit 7 when it refuses:
 * a forbidden level, a medium it does not allow); approve, reject, withdraw, out,
 * return, confirm, grant and revoke sign one event each as the user who unlocks (exit 8
 * when the records do not allow it: one's own request, no authority for the level or the
 * step, a second step by the same person, the wrong state).  approve, reject, confirm and
 * grant hand the passphrase that unlocked to the core again, which unwraps the signing
 * key with it (mamori-takeout.h): a passphrase typed at the prompt counts as asked; list, show, log
 * and form read (mamori-cli-takeout-read.c).  The JSON shapes are in docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-util.h"
#include "mamori-cli-takeout-private.h"
#include "mamori-cli-vault.h"
#include "mamori-level.h"
#include "mamori-roster.h"

void
_mamori_cli_takeout_options_clear (Options *o)
{
  g_free (o->vault);
  g_free (o->user);
  g_free (o->passphrase_file);
  g_strfreev (o->assets);
  g_strfreev (o->items);
  g_free (o->medium);
  g_free (o->to);
  g_free (o->purpose);
  g_free (o->from);
  g_free (o->until);
  g_free (o->reason);
  g_free (o->max_level);
  g_free (o->grant_to);
  g_free (o->grant_max_level);
  g_free (o->grant_until);
  g_free (o->state);
  g_free (o->format);
  g_free (o->encoding);
  g_free (o->output);
  g_strfreev (o->rest);
}

void
_mamori_cli_takeout_session_clear (Session *s)
{
  g_clear_object (&s->policy);
  g_clear_object (&s->vault);
  g_clear_pointer (&s->passphrase, mamori_secure_free);
}

int
_mamori_cli_takeout_usage_error (const char *message)
{
  mamori_cli_err ("%s", message);
  return MAMORI_EXIT_USAGE;
}

int
_mamori_cli_takeout_open_session (const Options *o, Session *out)
{
  g_autoptr (GError) error = NULL;
  int status = mamori_cli_open_vault (o->vault, o->user, o->passphrase_file, NULL, &out->vault,
                                      &out->passphrase);

  if (status != MAMORI_EXIT_OK)
    return status;
  out->policy = mamori_vault_load_policy (out->vault, &error);
  return out->policy != NULL ? MAMORI_EXIT_OK : mamori_cli_vault_fail (error);
}

MamoriDb *
_mamori_cli_takeout_db (Session *s)
{
  return mamori_vault_get_store (s->vault);
}

/* The exit status of a take-out error: what the records refuse is "not permitted" (8),
 * including a step from the wrong state, which the records call a conflict; an event the
 * records find malformed was made here from what was typed (a text too long, a control
 * character), so it is a usage error (2), not damage. */
int
_mamori_cli_takeout_fail (const GError *error)
{
  if (error->domain == MAMORI_RECORDS_ERROR && error->code == MAMORI_RECORDS_ERROR_INVALID)
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_USAGE;
    }
  if (error->domain == MAMORI_TAKEOUT_ERROR)
    {
      mamori_cli_err ("%s", error->message);
      return error->code == MAMORI_TAKEOUT_ERROR_NOT_FOUND ? MAMORI_EXIT_NOTHING_FOUND
                                                           : MAMORI_EXIT_USAGE;
    }
  if (error->domain == MAMORI_RECORDS_ERROR && error->code == MAMORI_RECORDS_ERROR_CONFLICT)
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_NOT_PERMITTED;
    }
  return mamori_cli_vault_fail (error);
}

void
_mamori_cli_takeout_add_member (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
_mamori_cli_takeout_add_steps (JsonBuilder *builder,
                               MamoriDb *db,
                               MamoriLevel *level,
                               const MamoriTakeoutRequest *request)
{
  guint n_steps = request != NULL ? request->n_steps : mamori_takeout_level_n_steps (level);

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint step = 1; step <= n_steps; step++)
    {
      MamoriRole roles[MAMORI_N_ROLES];
      guint n_roles = mamori_takeout_level_step_roles (level, step, roles);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "step");
      json_builder_add_int_value (builder, step);
      json_builder_set_member_name (builder, "roles");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_roles; i++)
        json_builder_add_string_value (builder, mamori_role_to_string (roles[i]));
      json_builder_end_array (builder);
      if (request != NULL)
        {
          const char *id = step <= g_strv_length (request->steps) ? request->steps[step - 1] : NULL;
          g_autoptr (MamoriStaff) signer
              = id != NULL ? mamori_roster_find_by_id (db, id, NULL) : NULL;

          _mamori_cli_takeout_add_member (builder, "signed_by", signer != NULL ? signer->name : id);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

const char *
_mamori_cli_takeout_id (const Options *o)
{
  return o->rest != NULL && o->rest[0] != NULL && o->rest[1] == NULL ? o->rest[0] : NULL;
}

/* --- request ------------------------------------------------------------------------ */

int
_mamori_cli_takeout_check_dates (const char *from, const char *until)
{
  if (from == NULL || until == NULL)
    return _mamori_cli_takeout_usage_error (_ ("--from DATE and --until DATE are required"));
  if (!mamori_takeout_date_is_valid (from) || !mamori_takeout_date_is_valid (until))
    return _mamori_cli_takeout_usage_error (_ ("Dates are written YYYY-MM-DD"));
  if (g_strcmp0 (from, until) > 0)
    return _mamori_cli_takeout_usage_error (_ ("--until comes before --from"));
  return MAMORI_EXIT_OK;
}

/* The draft from the options: entries of the register by name or id, and free-text
 * items NAME=LEVEL. */
static int
build_draft (const Options *o, Session *s, MamoriTakeoutDraft *draft)
{
  g_autoptr (GError) error = NULL;
  int status;

  if ((o->assets == NULL || o->assets[0] == NULL) && (o->items == NULL || o->items[0] == NULL))
    return _mamori_cli_takeout_usage_error (
        _ ("Name at least one --asset NAME (or --item NAME=LEVEL)"));
  if (o->medium == NULL || !mamori_takeout_medium_from_string (o->medium, &draft->medium))
    return _mamori_cli_takeout_usage_error (
        _ ("--medium is one of paper, usb, pc, cloud, private-usb"));
  if (o->to == NULL || *o->to == '\0' || o->purpose == NULL || *o->purpose == '\0')
    return _mamori_cli_takeout_usage_error (_ ("--to TEXT and --purpose TEXT are required"));
  status = _mamori_cli_takeout_check_dates (o->from, o->until);
  if (status != MAMORI_EXIT_OK)
    return status;
  for (guint i = 0; o->assets != NULL && o->assets[i] != NULL; i++)
    {
      MamoriTakeoutItem *item
          = mamori_takeout_item_from_register (_mamori_cli_takeout_db (s), o->assets[i], &error);

      if (item == NULL)
        return _mamori_cli_takeout_fail (error);
      g_ptr_array_add (draft->items, item);
    }
  for (guint i = 0; o->items != NULL && o->items[i] != NULL; i++)
    {
      const char *equals = strrchr (o->items[i], '=');
      g_autofree char *name = NULL;

      if (equals == NULL || equals == o->items[i] || equals[1] == '\0')
        return _mamori_cli_takeout_usage_error (_ ("--item is written NAME=LEVEL"));
      name = g_strndup (o->items[i], equals - o->items[i]);
      g_ptr_array_add (draft->items, mamori_takeout_item_new (NULL, name, equals + 1, NULL));
    }
  draft->destination = g_strdup (o->to);
  draft->purpose = g_strdup (o->purpose);
  draft->date_from = g_strdup (o->from);
  draft->date_until = g_strdup (o->until);
  return MAMORI_EXIT_OK;
}

static int
takeout_request (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (MamoriTakeoutDraft) draft = mamori_takeout_draft_new ();
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *why = NULL;
  MamoriTakeoutVerdict verdict;
  MamoriRole roles[MAMORI_N_ROLES];
  guint n_roles;
  gboolean refused;
  int status = _mamori_cli_takeout_open_session (o, &s);

  if (status != MAMORI_EXIT_OK || (status = build_draft (o, &s, draft)) != MAMORI_EXIT_OK)
    return status;
  if (!mamori_takeout_judge (s.policy, draft->items, draft->medium, &verdict, &error))
    return _mamori_cli_takeout_fail (error);
  request = mamori_takeout_file (s.vault, draft, &error);
  if (request == NULL)
    return _mamori_cli_takeout_fail (error);
  refused = request->state == MAMORI_TAKEOUT_STATE_REFUSED;
  n_roles = refused ? 0 : mamori_takeout_level_approvers (verdict.level, roles);
  if (o->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      const char *const *measures = mamori_level_get_measures (verdict.level);

      json_builder_begin_object (builder);
      _mamori_cli_takeout_add_member (builder, "id", request->id);
      _mamori_cli_takeout_add_member (builder, "state",
                                      mamori_takeout_state_to_string (request->state));
      _mamori_cli_takeout_add_member (builder, "level", request->level);
      _mamori_cli_takeout_add_member (builder, "rule",
                                      mamori_takeout_rule_to_string (request->rule));
      json_builder_set_member_name (builder, "approvers");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_roles && request->rule <= MAMORI_TAKEOUT_NOTIFY; i++)
        json_builder_add_string_value (builder, mamori_role_to_string (roles[i]));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "measures");
      json_builder_begin_array (builder);
      for (guint i = 0; !refused && measures[i] != NULL; i++)
        json_builder_add_string_value (builder, measures[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      mamori_cli_out_json (builder);
    }
  else
    {
      const char *const *measures = mamori_level_get_measures (verdict.level);

      mamori_cli_out ("%s\n", request->id);
      if (!refused)
        for (guint i = 0; measures[i] != NULL; i++)
          mamori_cli_err (_ ("Measure: %s"), measures[i]);
    }
  if (!refused)
    return MAMORI_EXIT_OK;
  why = mamori_takeout_verdict_explain (&verdict);
  mamori_cli_err ("%s", why);
  return MAMORI_EXIT_REFUSED;
}

/* --- one step ----------------------------------------------------------------------- */

typedef gboolean (*StepFunc) (MamoriVault *vault, const char *id, GError **error);

static int
run_step (const Options *o, StepFunc func)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GError) error = NULL;
  const char *id = _mamori_cli_takeout_id (o);
  int status;

  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  return func (s.vault, id, &error) ? MAMORI_EXIT_OK : _mamori_cli_takeout_fail (error);
}

typedef gboolean (*DecisionFunc) (MamoriVault *vault,
                                  const char *id,
                                  const char *passphrase,
                                  GError **error);

/* A step that decides: signed with the key the passphrase unwraps again. */
static int
run_decision (const Options *o, DecisionFunc func)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GError) error = NULL;
  const char *id = _mamori_cli_takeout_id (o);
  int status;

  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  return func (s.vault, id, s.passphrase, &error) ? MAMORI_EXIT_OK
                                                  : _mamori_cli_takeout_fail (error);
}

/* The staff id of @name, or MAMORI_TAKEOUT_GRANTEE_ALL for "all"; NULL (with the exit
 * status in *@out_status) when nobody is called so. */
static char *
grantee_of (Session *s, const char *name, int *out_status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriStaff) staff = NULL;

  if (g_str_equal (name, MAMORI_TAKEOUT_GRANTEE_ALL))
    return g_strdup (MAMORI_TAKEOUT_GRANTEE_ALL);
  staff = mamori_roster_find_by_name (_mamori_cli_takeout_db (s), name, &error);
  if (staff != NULL)
    return g_strdup (staff->id);
  if (error != NULL)
    *out_status = mamori_cli_vault_fail (error);
  else
    {
      mamori_cli_err (_ ("Nobody on the staff is called “%s”"), name);
      *out_status = MAMORI_EXIT_NOTHING_FOUND;
    }
  return NULL;
}

static int
takeout_approve (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *grantee = NULL, *grant = NULL;
  const char *id = _mamori_cli_takeout_id (o);
  int status;

  if (o->grant_until == NULL)
    {
      if (o->grant_to != NULL || o->grant_max_level != NULL)
        return _mamori_cli_takeout_usage_error (
            _ ("--grant-to and --grant-max-level go with --grant-until DATE"));
      return run_decision (o, mamori_takeout_approve);
    }
  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  if (!mamori_takeout_date_is_valid (o->grant_until))
    return _mamori_cli_takeout_usage_error (_ ("Dates are written YYYY-MM-DD"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (o->grant_to != NULL && (grantee = grantee_of (&s, o->grant_to, &status)) == NULL)
    return status;
  grant = mamori_takeout_approve_with_grant (s.vault, id, grantee, o->grant_max_level,
                                             o->grant_until, s.passphrase, &error);
  if (grant == NULL)
    return _mamori_cli_takeout_fail (error);
  mamori_cli_out ("%s\n", grant);
  return MAMORI_EXIT_OK;
}

static int
takeout_withdraw (const Options *o)
{
  return run_step (o, mamori_takeout_withdraw);
}

static int
takeout_out (const Options *o)
{
  return run_step (o, mamori_takeout_take_out);
}

static int
takeout_return (const Options *o)
{
  return run_step (o, mamori_takeout_return);
}

static int
takeout_confirm (const Options *o)
{
  return run_decision (o, mamori_takeout_confirm_return);
}

static int
takeout_acknowledge (const Options *o)
{
  return run_step (o, mamori_takeout_acknowledge);
}

static int
takeout_reject (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GError) error = NULL;
  const char *id = _mamori_cli_takeout_id (o);
  int status;

  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  if (o->reason == NULL || *o->reason == '\0')
    return _mamori_cli_takeout_usage_error (_ ("A rejection needs --reason TEXT"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  return mamori_takeout_reject (s.vault, id, o->reason, s.passphrase, &error)
             ? MAMORI_EXIT_OK
             : _mamori_cli_takeout_fail (error);
}

/* --- blanket grants ----------------------------------------------------------------- */

static int
takeout_grant (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *grant = NULL, *grantee = NULL;
  int status;

  if (o->to == NULL || o->max_level == NULL || o->until == NULL)
    return _mamori_cli_takeout_usage_error (
        _ ("grant needs --to NAME|all, --max-level LEVEL and --until DATE"));
  if (!mamori_takeout_date_is_valid (o->until))
    return _mamori_cli_takeout_usage_error (_ ("Dates are written YYYY-MM-DD"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (mamori_policy_lookup_level (s.policy, o->max_level) == NULL)
    {
      mamori_cli_err (_ ("The policy has no level “%s”"), o->max_level);
      return MAMORI_EXIT_USAGE;
    }
  grantee = grantee_of (&s, o->to, &status);
  if (grantee == NULL)
    return status;
  grant = mamori_takeout_grant (s.vault, grantee, o->max_level, o->until, s.passphrase, &error);
  if (grant == NULL)
    return _mamori_cli_takeout_fail (error);
  mamori_cli_out ("%s\n", grant);
  return MAMORI_EXIT_OK;
}

static int
takeout_revoke (const Options *o)
{
  return run_step (o, mamori_takeout_revoke);
}

/* --- the commands ------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  int (*run) (const Options *o);
  OptionSet options;
  const char *parameters;
  const char *summary; /* N_() */
} Command;

static const Command commands[] = {
  { "request", takeout_request, OPT_REQUEST | OPT_JSON, NULL,
    N_ ("Ask to take assets out; prints the request’s id") },
  { "approve", takeout_approve, OPT_ID | OPT_APPROVE, N_ ("ID"),
    N_ ("Approve a request (with --grant-until, as a blanket approval too)") },
  { "reject", takeout_reject, OPT_ID | OPT_REASON, N_ ("ID"),
    N_ ("Decline a request, with the reason") },
  { "withdraw", takeout_withdraw, OPT_ID, N_ ("ID"), N_ ("Withdraw one’s own request") },
  { "out", takeout_out, OPT_ID, N_ ("ID"), N_ ("Record that the items were taken out") },
  { "return", takeout_return, OPT_ID, N_ ("ID"), N_ ("Record that the items came back") },
  { "confirm", takeout_confirm, OPT_ID, N_ ("ID"), N_ ("Confirm a return") },
  { "acknowledge", takeout_acknowledge, OPT_ID, N_ ("ID"),
    N_ ("Acknowledge a take-out the policy only asks to be told of") },
  { "grant", takeout_grant, OPT_GRANT, NULL,
    N_ ("Grant a blanket approval to a person or all staff, up to a level, until a date") },
  { "revoke", takeout_revoke, OPT_ID, N_ ("GRANT-ID"), N_ ("Revoke a blanket approval") },
  { "list", _mamori_cli_takeout_list, OPT_LIST | OPT_JSON, NULL,
    N_ ("List requests, the newest first") },
  { "show", _mamori_cli_takeout_show, OPT_ID | OPT_JSON, N_ ("ID"),
    N_ ("Show a request and its history") },
  { "log", _mamori_cli_takeout_log, OPT_LOG, NULL,
    N_ ("Write the take-out log for a range of dates") },
  { "form", _mamori_cli_takeout_form, OPT_ID | OPT_OUTPUT | OPT_EXAMPLE, N_ ("ID"),
    N_ ("Write a request’s form as PDF (with --example, a filled example)") },
};

static void
add_entry (GArray *list, const GOptionEntry *entry)
{
  g_array_append_vals (list, entry, 1);
}

static GOptionEntry *
build_entries (const Command *command, Options *o)
{
  GArray *list = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  const GOptionEntry common[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &o->vault, N_ ("The vault’s database file"),
      N_ ("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_ ("The user who unlocks the vault"),
      N_ ("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &o->passphrase_file,
      N_ ("Read the passphrase from FILE instead of asking on the terminal"), N_ ("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->rest, NULL, NULL },
  };
  const GOptionEntry json
      = { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_ ("Print JSON (see docs/cli.md)"), NULL };
  const GOptionEntry from
      = { "from",     0, 0, G_OPTION_ARG_STRING, &o->from, N_ ("The first day (YYYY-MM-DD)"),
          N_ ("DATE") };
  const GOptionEntry until
      = { "until",    0, 0, G_OPTION_ARG_STRING, &o->until, N_ ("The last day (YYYY-MM-DD)"),
          N_ ("DATE") };
  const GOptionEntry example
      = { "example",
          0,
          0,
          G_OPTION_ARG_NONE,
          &o->example,
          N_ ("A filled example of the form (記入例) instead of a request’s: no vault needed"),
          NULL };
  const GOptionEntry output = {
    "output", 0, 0, G_OPTION_ARG_FILENAME, &o->output, N_ ("The file to write"), N_ ("FILE")
  };
  const GOptionEntry request[] = {
    { "asset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->assets,
      N_ ("An entry of the register, by name or id (repeatable)"), N_ ("NAME") },
    { "item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->items,
      N_ ("Something not in the register, with a level of the policy (repeatable)"),
      N_ ("NAME=LEVEL") },
    { "medium", 0, 0, G_OPTION_ARG_STRING, &o->medium,
      N_ ("paper, usb (encrypted official stick), pc (school work PC), cloud or private-usb"),
      N_ ("MEDIUM") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, N_ ("Where the items go"), N_ ("TEXT") },
    { "purpose", 0, 0, G_OPTION_ARG_STRING, &o->purpose, N_ ("What for"), N_ ("TEXT") },
  };
  const GOptionEntry reason
      = { "reason",   0, 0, G_OPTION_ARG_STRING, &o->reason, N_ ("Why the request is declined"),
          N_ ("TEXT") };
  const GOptionEntry grant[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, N_ ("A person on the staff, or all"), N_ ("NAME") },
    { "max-level", 0, 0, G_OPTION_ARG_STRING, &o->max_level,
      N_ ("The most sensitive level the grant covers"), N_ ("LEVEL") },
  };
  const GOptionEntry approve[] = {
    { "grant-until", 0, 0, G_OPTION_ARG_STRING, &o->grant_until,
      N_ ("Approve as a blanket approval too, valid until DATE"), N_ ("DATE") },
    { "grant-to", 0, 0, G_OPTION_ARG_STRING, &o->grant_to,
      N_ ("The blanket approval’s holder: a person or all (by default the requester)"),
      N_ ("NAME") },
    { "grant-max-level", 0, 0, G_OPTION_ARG_STRING, &o->grant_max_level,
      N_ ("The most sensitive level it covers (by default the request’s)"), N_ ("LEVEL") },
  };
  const GOptionEntry filter[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &o->state, N_ ("Only requests in this state"),
      N_ ("STATE") },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &o->mine, N_ ("Only one’s own requests"), NULL },
  };
  const GOptionEntry log[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, N_ ("csv or pdf"), N_ ("FORMAT") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &o->encoding, N_ ("utf-8 (the default) or cp932"),
      N_ ("ENCODING") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    add_entry (list, &common[i]);
  if (command->options & OPT_JSON)
    add_entry (list, &json);
  if (command->options & OPT_REQUEST)
    for (guint i = 0; i < G_N_ELEMENTS (request); i++)
      add_entry (list, &request[i]);
  if (command->options & (OPT_REQUEST | OPT_LOG))
    add_entry (list, &from);
  if (command->options & (OPT_REQUEST | OPT_LOG | OPT_GRANT))
    add_entry (list, &until);
  if (command->options & OPT_REASON)
    add_entry (list, &reason);
  if (command->options & OPT_GRANT)
    for (guint i = 0; i < G_N_ELEMENTS (grant); i++)
      add_entry (list, &grant[i]);
  if (command->options & OPT_APPROVE)
    for (guint i = 0; i < G_N_ELEMENTS (approve); i++)
      add_entry (list, &approve[i]);
  if (command->options & OPT_LIST)
    for (guint i = 0; i < G_N_ELEMENTS (filter); i++)
      add_entry (list, &filter[i]);
  if (command->options & OPT_LOG)
    for (guint i = 0; i < G_N_ELEMENTS (log); i++)
      add_entry (list, &log[i]);
  if (command->options & (OPT_LOG | OPT_OUTPUT))
    add_entry (list, &output);
  if (command->options & OPT_EXAMPLE)
    add_entry (list, &example);
  return (GOptionEntry *)(gpointer)g_array_free (list, FALSE);
}

int
mamori_cli_takeout (int argc, char **argv)
{
  const MamoriCliGroup group = {
    "takeout",
    _ ("Usage: mamori-cli takeout COMMAND --vault PATH [OPTION…]"),
    _ ("Run “mamori-cli takeout COMMAND --help” for the options."),
  };
  g_auto (Options) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autofree char *name = NULL;
  int sub_argc = argc - 1;
  char **sub_argv = argv + 1;
  int status;
  const Command *command = MAMORI_CLI_FIND_COMMAND (&group, Command, commands, argc, argv, &status);

  if (command == NULL)
    return status;
  entries = build_entries (command, &options);
  name = g_strconcat ("takeout ", command->name, NULL);
  if (!mamori_cli_parse (name, command->parameters ? _ (command->parameters) : NULL,
                         _ (command->summary), entries, &sub_argc, &sub_argv))
    return MAMORI_EXIT_USAGE;
  if (!(command->options & OPT_ID) && options.rest != NULL)
    return _mamori_cli_takeout_usage_error (
        _ ("Unexpected argument; passphrases are never given on the command line"));
  return command->run (&options);
}
