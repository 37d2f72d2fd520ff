/* mamori-cli-takeout-read.c — `mamori-cli takeout list`, `show`, `log` and `form`: what
 * reads the records and signs nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-cli-commands.h"
#include "mamori-cli-takeout-private.h"
#include "mamori-cli-util.h"
#include "mamori-cli-vault.h"
#include "mamori-handbook.h"
#include "mamori-roster.h"
#include "mamori-takeout-form.h"

static void
add_request_json (JsonBuilder *builder, const MamoriTakeoutRequest *r, const char *today)
{
  json_builder_begin_object (builder);
  _mamori_cli_takeout_add_member (builder, "id", r->id);
  _mamori_cli_takeout_add_member (builder, "state", mamori_takeout_state_to_string (r->state));
  _mamori_cli_takeout_add_member (builder, "requester", r->requester_name);
  json_builder_set_member_name (builder, "assets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < r->items->len; i++)
    json_builder_add_string_value (builder,
                                   ((MamoriTakeoutItem *)g_ptr_array_index (r->items, i))->name);
  json_builder_end_array (builder);
  _mamori_cli_takeout_add_member (builder, "level", r->level);
  _mamori_cli_takeout_add_member (builder, "rule", mamori_takeout_rule_to_string (r->rule));
  _mamori_cli_takeout_add_member (builder, "from", r->date_from);
  _mamori_cli_takeout_add_member (builder, "until", r->date_until);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, mamori_takeout_request_is_overdue (r, today));
  _mamori_cli_takeout_add_member (builder, "approved_by", r->approved_by_name);
  json_builder_end_object (builder);
}

static void
print_request_line (const MamoriTakeoutRequest *r, const char *today)
{
  g_autofree char *items = mamori_takeout_items_describe (r);

  mamori_cli_out ("%s\t%s\t%s\t%s\t%s\t%s–%s%s\n", r->id, mamori_takeout_state_to_string (r->state),
                  r->requester_name != NULL ? r->requester_name : "", items, r->level, r->date_from,
                  r->date_until,
                  mamori_takeout_request_is_overdue (r, today) ? _ ("\toverdue") : "");
}

int
_mamori_cli_takeout_list (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriStaff) me = NULL;
  g_autofree char *today = mamori_takeout_today ();
  MamoriTakeoutFilter filter = { -1, NULL };
  MamoriTakeoutState state;
  int status;

  if (o->state != NULL)
    {
      if (!mamori_takeout_state_from_string (o->state, &state))
        return _mamori_cli_takeout_usage_error (
            _ ("--state is one of refused, pending, approved, rejected, "
               "withdrawn, out, returned, closed, recorded"));
      filter.state = state;
    }
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  if (o->mine)
    {
      me = mamori_roster_find_by_name (_mamori_cli_takeout_db (&s), mamori_vault_get_user (s.vault),
                                       &error);
      if (me == NULL)
        return error != NULL ? mamori_cli_vault_fail (error) : MAMORI_EXIT_NOTHING_FOUND;
      filter.requester = me->id;
    }
  requests = mamori_takeout_list (_mamori_cli_takeout_db (&s), &filter, &error);
  if (requests == NULL)
    return mamori_cli_vault_fail (error);
  if (o->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "requests");
      json_builder_begin_array (builder);
      for (guint i = 0; i < requests->len; i++)
        add_request_json (builder, g_ptr_array_index (requests, i), today);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      mamori_cli_out_json (builder);
    }
  else
    for (guint i = 0; i < requests->len; i++)
      print_request_line (g_ptr_array_index (requests, i), today);
  return requests->len > 0 ? MAMORI_EXIT_OK : MAMORI_EXIT_NOTHING_FOUND;
}

int
_mamori_cli_takeout_show (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *today = mamori_takeout_today ();
  const char *id = _mamori_cli_takeout_id (o);
  MamoriLevel *level;
  int status;

  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  request = mamori_takeout_find (_mamori_cli_takeout_db (&s), id, &error);
  if (request == NULL)
    {
      if (error != NULL)
        return mamori_cli_vault_fail (error);
      mamori_cli_err (_ ("There is no take-out request %s"), id);
      return MAMORI_EXIT_NOTHING_FOUND;
    }
  history = mamori_takeout_history (_mamori_cli_takeout_db (&s), id, &error);
  if (history == NULL)
    return mamori_cli_vault_fail (error);
  if (!o->json)
    {
      print_request_line (request, today);
      mamori_cli_out ("\t%s\t%s\t%s\n", mamori_takeout_medium_get_label (request->medium),
                      request->destination, request->purpose);
      if (request->reason != NULL && request->state == MAMORI_TAKEOUT_STATE_REJECTED)
        mamori_cli_out ("\t%s\n", request->reason);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "request");
  add_request_json (builder, request, today);
  _mamori_cli_takeout_add_member (builder, "medium",
                                  mamori_takeout_medium_to_string (request->medium));
  _mamori_cli_takeout_add_member (builder, "to", request->destination);
  _mamori_cli_takeout_add_member (builder, "purpose", request->purpose);
  _mamori_cli_takeout_add_member (builder, "reason", request->reason);
  /* What its approval took or takes; none for a request that needs none, or that a
   * blanket grant covers. */
  level = mamori_policy_lookup_level (s.policy, request->level);
  if (level != NULL && request->grant == NULL && request->state != MAMORI_TAKEOUT_STATE_REFUSED
      && (request->rule == MAMORI_TAKEOUT_APPROVAL_PER_INSTANCE
          || request->rule == MAMORI_TAKEOUT_APPROVAL_BLANKET))
    _mamori_cli_takeout_add_steps (builder, _mamori_cli_takeout_db (&s), level, request);
  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < history->len; i++)
    {
      MamoriEvent *event = g_ptr_array_index (history, i);
      g_autofree char *author
          = mamori_roster_describe_key (_mamori_cli_takeout_db (&s), event->author);
      g_autofree char *event_id = mamori_hex_encode (event->id, MAMORI_EVENT_ID_SIZE);
      g_autofree char *sig = mamori_hex_encode (event->sig, MAMORI_SIGNATURE_SIZE);

      json_builder_begin_object (builder);
      _mamori_cli_takeout_add_member (builder, "type", event->type);
      _mamori_cli_takeout_add_member (builder, "author", author);
      _mamori_cli_takeout_add_member (builder, "created_at", event->created_at);
      _mamori_cli_takeout_add_member (builder, "event", event_id);
      _mamori_cli_takeout_add_member (builder, "sig", sig);
      json_builder_set_member_name (builder, "body");
      json_builder_add_value (builder, json_node_copy (event->body));
      json_builder_end_object (builder);
      if (!o->json)
        mamori_cli_out ("%s\t%s\t%s\n", event->created_at, author, event->type);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (o->json)
    mamori_cli_out_json (builder);
  return MAMORI_EXIT_OK;
}

int
_mamori_cli_takeout_log (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (GBytes) csv = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  MamoriCsvEncoding encoding = MAMORI_CSV_ENCODING_UTF8;
  int status = _mamori_cli_takeout_check_dates (o->from, o->until);

  if (status != MAMORI_EXIT_OK)
    return status;
  if (o->output == NULL)
    return _mamori_cli_takeout_usage_error (_ ("log needs --output FILE"));
  if (o->format == NULL || (!g_str_equal (o->format, "csv") && !g_str_equal (o->format, "pdf")))
    return _mamori_cli_takeout_usage_error (_ ("--format is csv or pdf"));
  if (o->encoding != NULL
      && (!mamori_csv_encoding_from_string (o->encoding, &encoding)
          || encoding == MAMORI_CSV_ENCODING_AUTO))
    return _mamori_cli_takeout_usage_error (_ ("--encoding is utf-8 or cp932"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  file = g_file_new_for_commandline_arg (o->output);
  if (g_str_equal (o->format, "pdf"))
    {
      gboolean written = mamori_takeout_log_pdf_write (_mamori_cli_takeout_db (&s), s.policy,
                                                       o->from, o->until, file, &error);

      mamori_handbook_release_font_caches ();
      if (written)
        return MAMORI_EXIT_OK;
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  csv = mamori_takeout_log_csv (_mamori_cli_takeout_db (&s), s.policy, o->from, o->until, encoding,
                                &error);
  if (csv == NULL
      || !g_file_replace_contents (file, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL,
                                   FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  return MAMORI_EXIT_OK;
}

/* The 記入例: fixed example data, no vault. */
static int
write_example (const Options *o)
{
  g_autoptr (MamoriTakeoutForm) form = mamori_takeout_form_new_example ();
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  gboolean written;

  if (o->rest != NULL || o->vault != NULL)
    return _mamori_cli_takeout_usage_error (
        _ ("--example writes the filled example: it takes no ID and no vault"));
  file = g_file_new_for_commandline_arg (o->output);
  written = mamori_takeout_form_save (form, file, &error);
  mamori_handbook_release_font_caches ();
  if (!written)
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  return MAMORI_EXIT_OK;
}

int
_mamori_cli_takeout_form (const Options *o)
{
  g_auto (Session) s = { 0 };
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  const char *id = _mamori_cli_takeout_id (o);
  gboolean written;
  int status;

  if (o->output == NULL)
    return _mamori_cli_takeout_usage_error (_ ("form needs --output FILE.pdf"));
  if (o->example)
    return write_example (o);
  if (id == NULL)
    return _mamori_cli_takeout_usage_error (_ ("Name the request: its ID"));
  status = _mamori_cli_takeout_open_session (o, &s);
  if (status != MAMORI_EXIT_OK)
    return status;
  request = mamori_takeout_find (_mamori_cli_takeout_db (&s), id, &error);
  if (request == NULL)
    {
      if (error != NULL)
        return mamori_cli_vault_fail (error);
      mamori_cli_err (_ ("There is no take-out request %s"), id);
      return MAMORI_EXIT_NOTHING_FOUND;
    }
  file = g_file_new_for_commandline_arg (o->output);
  written
      = mamori_takeout_form_write (_mamori_cli_takeout_db (&s), s.policy, request, file, &error);
  mamori_handbook_release_font_caches ();
  if (!written)
    {
      mamori_cli_err ("%s", error->message);
      return MAMORI_EXIT_FAILURE;
    }
  return MAMORI_EXIT_OK;
}
