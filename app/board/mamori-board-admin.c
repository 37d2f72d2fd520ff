/* mamori-board-admin.c — the admin commands: schools, staff, devices, the policy,
 * statistics and backups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mamori-board-private.h"
#include "mamori-crypto.h"
#include "mamori-event-log.h"
#include "mamori-policy-install.h"
#include "mamori-policy-record.h"
#include "mamori-register.h"

/* --- admin ------------------------------------------------------------------------------ */

static gboolean
require_school (MamoriBoard *self, const char *school, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriStoredSchool) stored
      = mamori_board_store_find_school (self->store, school, &local_error);

  if (stored != NULL)
    return TRUE;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND,
                 _ ("The board has no school “%s”"), school);
  return FALSE;
}

/* A school the board creates gets the policy the board published last, as every school
 * did. */
static gboolean
install_current_policy (MamoriBoard *self, MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *body = mamori_board_store_get_setting (self->store, "policy", &local_error);

  if (body == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, body, -1, error))
    return FALSE;
  event = _mamori_board_sign (self, fold, MAMORI_EVENT_POLICY_INSTALLED,
                              json_node_copy (json_parser_get_root (parser)), error);
  return event != NULL
         && _mamori_board_store_event (self, fold, event,
                                       MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error);
}

char *
mamori_board_add_school (MamoriBoard *self, const char *name, GError **error)
{
  g_autofree char *id = _mamori_board_random_hex (16);
  g_autoptr (MamoriEvent) event = NULL;
  MamoriSchoolFold *fold;

  fold = _mamori_board_begin (self, id, error);
  if (fold == NULL)
    return NULL;
  if (!mamori_board_store_add_school (self->store, id, name, TRUE, error))
    goto fail;
  event = _mamori_board_sign (
      self, fold, MAMORI_EVENT_SCHOOL_CREATED,
      mamori_roster_school_created_by_board_body (name, self->id, self->public_key), error);
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error)
      || !install_current_policy (self, fold, error) || !_mamori_board_commit (self, fold, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  _mamori_board_rollback (self, fold);
  return NULL;
}

/* 60 random bits as 12 characters of Crockford's base32. */
static char *
new_code (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint8 bytes[8];
  guint64 bits = 0;
  char *code = g_malloc (MAMORI_BOARD_CODE_LEN + 1);

  mamori_crypto_random (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    bits = (bits << 8) | bytes[i];
  for (int i = 0; i < MAMORI_BOARD_CODE_LEN; i++)
    code[i] = alphabet[(bits >> (5 * i)) & 31];
  code[MAMORI_BOARD_CODE_LEN] = '\0';
  return code;
}

char *
mamori_board_normalize_code (const char *typed)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  g_autoptr (GString) code = g_string_new (NULL);

  for (const char *p = typed; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (c == 'I' || c == 'L')
        c = '1';
      else if (c == 'O')
        c = '0';
      if (strchr (alphabet, c) == NULL)
        return NULL;
      g_string_append_c (code, c);
    }
  if (code->len != MAMORI_BOARD_CODE_LEN)
    return NULL;
  return g_string_free (g_steal_pointer (&code), FALSE);
}

gboolean
mamori_board_add_joining_school (MamoriBoard *self,
                                 const char *id,
                                 const char *name,
                                 guint valid_days,
                                 char **out_code,
                                 GError **error)
{
  g_autofree char *code = new_code ();
  guint8 hash[MAMORI_EVENT_ID_SIZE], bytes[MAMORI_SCHOOL_ID_LEN / 2];
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + (gint64)valid_days * 24 * 3600;

  if (strlen (id) != MAMORI_SCHOOL_ID_LEN || !mamori_hex_decode (id, bytes, sizeof bytes)
      || g_str_equal (id, self->id))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_BAD_REQUEST,
                   _ ("A school id is 32 lowercase hex digits (as “mamori-cli vault info” shows "
                      "it)"));
      return FALSE;
    }
  mamori_event_hash ((const guint8 *)code, strlen (code), hash);
  if (!mamori_board_store_begin (self->store, error))
    return FALSE;
  if (!mamori_board_store_add_school (self->store, id, name, FALSE, error)
      || !mamori_board_store_put_code (self->store, hash, id, "", expires_at, error)
      || !mamori_board_store_commit (self->store, error))
    {
      mamori_board_store_rollback (self->store);
      return FALSE;
    }
  *out_code = g_strdup_printf ("%.4s-%.4s-%.4s", code, code + 4, code + 8);
  return TRUE;
}

gboolean
mamori_board_add_staff (MamoriBoard *self,
                        const char *school,
                        const char *name,
                        MamoriRole role,
                        guint valid_days,
                        char **out_staff,
                        char **out_code,
                        GError **error)
{
  g_autofree char *staff = mamori_roster_new_staff_id ();
  g_autofree char *code = new_code ();
  g_autoptr (MamoriEvent) event = NULL;
  guint8 hash[MAMORI_EVENT_ID_SIZE];
  MamoriSchoolFold *fold;
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + (gint64)valid_days * 24 * 3600;

  if (!require_school (self, school, error))
    return FALSE;
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    return FALSE;
  mamori_event_hash ((const guint8 *)code, strlen (code), hash);
  event = _mamori_board_sign (self, fold, MAMORI_EVENT_STAFF_ADDED,
                              mamori_roster_staff_added_body (staff, name, role, NULL), error);
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
    goto fail;
  /* At the board a conflict is kept with no effect; here it means the name is in use. */
  if (event->effect != NULL)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED, "%s",
                   event->effect);
      goto fail;
    }
  if (!mamori_board_store_put_code (self->store, hash, school, staff, expires_at, error)
      || !_mamori_board_commit (self, fold, error))
    goto fail;
  *out_staff = g_steal_pointer (&staff);
  *out_code = g_strdup_printf ("%.4s-%.4s-%.4s", code, code + 4, code + 8);
  return TRUE;

fail:
  _mamori_board_rollback (self, fold);
  return FALSE;
}

/* Signs and stores one event of the board in @school; an event that would change
 * nothing is refused, naming why. */
static gboolean
board_act (MamoriBoard *self, const char *school, const char *type, JsonNode *body, GError **error)
{
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  MamoriSchoolFold *fold;

  if (!require_school (self, school, error))
    {
      json_node_unref (body);
      return FALSE;
    }
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    {
      json_node_unref (body);
      return FALSE;
    }
  event = _mamori_board_sign (self, fold, type, body, error);
  if (event == NULL
      || !_mamori_board_store_event (
          self, fold, event, MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, MAMORI_BOARD_ERROR,
                     local_error->domain == MAMORI_RECORDS_ERROR ? MAMORI_BOARD_ERROR_NOT_PERMITTED
                                                                 : MAMORI_BOARD_ERROR_BAD_REQUEST,
                     "%s", local_error->message);
      _mamori_board_rollback (self, fold);
      return FALSE;
    }
  if (event->effect != NULL)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED, "%s",
                   event->effect);
      _mamori_board_rollback (self, fold);
      return FALSE;
    }
  return _mamori_board_commit (self, fold, error);
}

gboolean
mamori_board_remove_staff (MamoriBoard *self, const char *school, const char *staff, GError **error)
{
  return board_act (self, school, MAMORI_EVENT_STAFF_REMOVED,
                    mamori_roster_staff_removed_body (staff), error);
}

gboolean
mamori_board_revoke_device (MamoriBoard *self,
                            const char *school,
                            const guint8 key[MAMORI_SIGNING_KEY_SIZE],
                            GError **error)
{
  return board_act (self, school, MAMORI_EVENT_DEVICE_REVOKED,
                    mamori_roster_device_revoked_body (key), error);
}

void
mamori_board_unmapped_free (MamoriBoardUnmapped *unmapped)
{
  g_free (unmapped->school);
  g_free (unmapped->name);
  g_strfreev (unmapped->levels);
  g_free (unmapped);
}

/* The levels @fold's register uses that @policy lacks, as a MamoriBoardUnmapped added
 * to @unmapped (none when it lacks none): entries would need a mapping to move to the
 * new levels. */
static gboolean
levels_lacking (MamoriSchoolFold *fold,
                const char *school_name,
                MamoriPolicy *policy,
                GPtrArray *unmapped,
                GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = mamori_db_prepare (
      fold->db,
      "SELECT DISTINCT level FROM register_entries WHERE removed_seq IS NULL ORDER BY level",
      error);
  g_autoptr (GStrvBuilder) levels = g_strv_builder_new ();
  MamoriBoardUnmapped *school;
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *level = (const char *)sqlite3_column_text (stmt, 0);

      if (mamori_policy_lookup_level (policy, level) != NULL)
        continue;
      g_strv_builder_add (levels, level);
      any = TRUE;
    }
  if (rc != SQLITE_DONE)
    return mamori_db_fail (fold->db, rc, error);
  if (!any)
    return TRUE;
  school = g_new0 (MamoriBoardUnmapped, 1);
  school->school = g_strdup (fold->school);
  school->name = g_strdup (school_name);
  school->levels = g_strv_builder_end (levels);
  g_ptr_array_add (unmapped, school);
  return TRUE;
}

/* "さくら小学校 (A, B); もみじ中学校 (C)", for the refusal's message. */
static char *
unmapped_text (GPtrArray *unmapped)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < unmapped->len; i++)
    {
      MamoriBoardUnmapped *school = unmapped->pdata[i];
      g_autofree char *levels = g_strjoinv (", ", school->levels);

      g_string_append_printf (text, "%s%s (%s)", i > 0 ? "; " : "", school->name, levels);
    }
  return g_string_free (text, FALSE);
}

/* The policy in force in @fold's school, or NULL (no error) when it has none yet. */
static MamoriPolicy *
policy_in_force (MamoriSchoolFold *fold, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt
      = mamori_db_prepare (fold->db, "SELECT json FROM policy ORDER BY id DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      mamori_db_fail (fold->db, rc, error);
      return NULL;
    }
  return mamori_policy_new_from_data ((const char *)sqlite3_column_text (stmt, 0),
                                      (gsize)sqlite3_column_bytes (stmt, 0), "records", error);
}

/* The board signs, in one school, a policy-installed and (with @map_spec) the
 * asset-changed events moving the register's entries to the new levels, as `mamori-cli
 * policy install` does in a school's vault.  Without a mapping, the levels the register
 * uses and the policy lacks are noted in @unmapped. */
static gboolean
publish_in_school (MamoriBoard *self,
                   MamoriSchoolFold *fold,
                   const char *school_name,
                   MamoriPolicy *policy,
                   const char *map_spec,
                   GPtrArray *unmapped,
                   guint *out_relevelled,
                   GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriPolicy) old = policy_in_force (fold, &local_error);
  g_autoptr (MamoriLevelMapping) mapping = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (MamoriEvent) event = NULL;
  g_autofree char *mapping_text = NULL;
  JsonNode *body;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (map_spec != NULL && old != NULL)
    {
      mapping = mamori_level_mapping_new_parse (old, policy, map_spec, error);
      if (mapping == NULL)
        {
          g_prefix_error (error, "%s: ", school_name);
          return FALSE;
        }
      mapping_text = mamori_level_mapping_to_string (mapping);
      entries = mamori_register_list (fold->db, error);
      if (entries == NULL)
        return FALSE;
    }
  else if (!levels_lacking (fold, school_name, policy, unmapped, error))
    return FALSE;

  body = mamori_policy_installed_body (policy, mapping_text, error);
  event = body != NULL ? _mamori_board_sign (self, fold, MAMORI_EVENT_POLICY_INSTALLED, body, error)
                       : NULL;
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
    return FALSE;
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      g_autoptr (MamoriEvent) changed = NULL;

      body = mamori_policy_relevel_entry (entries->pdata[i], policy, mapping, mapping_text,
                                          &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", school_name);
          return FALSE;
        }
      if (body == NULL)
        continue;
      changed = _mamori_board_sign (self, fold, MAMORI_EVENT_ASSET_CHANGED, body, error);
      if (changed == NULL
          || !_mamori_board_store_event (self, fold, changed,
                                         MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
        return FALSE;
      (*out_relevelled)++;
    }
  return TRUE;
}

gboolean
mamori_board_publish_policy (MamoriBoard *self,
                             MamoriPolicy *policy,
                             const char *map_spec,
                             guint *out_schools,
                             guint *out_relevelled,
                             GPtrArray **out_unmapped,
                             GError **error)
{
  g_autoptr (GPtrArray) unmapped
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_board_unmapped_free);
  g_autoptr (GPtrArray) schools = NULL;
  g_autoptr (GPtrArray) folds = g_ptr_array_new ();
  g_autoptr (JsonNode) body = mamori_policy_installed_body (policy, NULL, error);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *body_text = NULL;
  guint relevelled = 0;

  if (out_unmapped != NULL)
    *out_unmapped = NULL;
  if (body == NULL || !mamori_board_store_begin (self->store, error))
    return FALSE;
  json_generator_set_root (generator, body);
  body_text = json_generator_to_data (generator, NULL);
  schools = mamori_board_store_list_schools (self->store, error);
  if (schools == NULL || !mamori_board_store_set_setting (self->store, "policy", body_text, error))
    goto fail;
  /* One event in each school's own chain: a board-wide event (school = the board's id)
   * could not reach a school created after it, whose chain of the board's events would
   * then start past number 1 (docs/protocol.md, "Publishing a policy"). */
  for (guint i = 0; i < schools->len; i++)
    {
      MamoriStoredSchool *school = schools->pdata[i];
      MamoriSchoolFold *fold;

      /* A school still sending its history gets the policy once it has joined. */
      if (!school->joined)
        continue;
      fold = _mamori_board_fold_begin (self, school->id, error);
      if (fold == NULL)
        goto fail;
      g_ptr_array_add (folds, fold);
      if (!publish_in_school (self, fold, school->name, policy, map_spec, unmapped, &relevelled,
                              error))
        goto fail;
    }
  if (unmapped->len > 0)
    {
      g_autofree char *text = unmapped_text (unmapped);

      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_LEVELS_UNMAPPED,
                   _ ("These schools’ registers use levels the policy does not have: say where "
                      "each level goes (--map); nothing was published: %s"),
                   text);
      if (out_unmapped != NULL)
        *out_unmapped = g_steal_pointer (&unmapped);
      goto fail;
    }
  if (!mamori_board_store_commit (self->store, error))
    goto fail;
  for (guint i = 0; i < folds->len; i++)
    _mamori_board_fold_commit (self, folds->pdata[i], NULL);
  *out_schools = folds->len;
  *out_relevelled = relevelled;
  return TRUE;

fail:
  mamori_board_store_rollback (self->store);
  for (guint i = 0; i < folds->len; i++)
    _mamori_board_fold_rollback (self, folds->pdata[i]);
  return FALSE;
}

gboolean
mamori_board_stats (MamoriBoard *self, MamoriBoardStats *out, GError **error)
{
  out->epoch = mamori_board_get_epoch (self, error);
  return out->epoch != NULL && mamori_board_store_stats (self->store, &out->store, error);
}

gboolean
mamori_board_backup (MamoriBoard *self, const char *path, GError **error)
{
  g_autofree char *epoch = _mamori_board_random_hex (16);

  return mamori_board_store_backup (self->store, path, epoch, error);
}
