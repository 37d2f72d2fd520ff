/* mamori-sync-join.c — a school that kept its own vault joins its board
 * (docs/protocol.md, "Joining with an existing vault")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mamori-event-log.h"
#include "mamori-text.h"
#include "mamori-sync-join.h"
#include "mamori-sync-private.h"
#include "mamori-vault-sync.h"

char *
mamori_sync_normalize_code (const char *code)
{
  g_autoptr (GString) normal = g_string_new (NULL);

  g_return_val_if_fail (code != NULL, NULL);

  /* Crockford's base32 forgives case, hyphens and the letters that look like digits. */
  for (const char *c = code; *c != '\0'; c++)
    {
      char upper = g_ascii_toupper (*c);

      if (upper == '-' || upper == ' ')
        continue;
      if (upper == 'I' || upper == 'L')
        upper = '1';
      else if (upper == 'O')
        upper = '0';
      if (!g_ascii_isdigit (upper) && !(upper >= 'A' && upper <= 'Z' && upper != 'U'))
        return NULL;
      g_string_append_c (normal, upper);
    }
  if (normal->len != 12)
    return NULL;
  return g_string_free (g_steal_pointer (&normal), FALSE);
}

/* The code in normal form, and this computer's name as a name, checked before anything
 * goes to the board; FALSE with @error otherwise. */
static gboolean
check_input (const char *code, const char *label, char **out_code, char **out_label, GError **error)
{
  g_autofree char *normal = mamori_sync_normalize_code (code);

  if (normal == NULL)
    g_set_error_literal (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_INPUT,
                         _ ("That is not an enrollment code: it has 12 letters and digits, as "
                            "in 7KQM-2XHD-94TC"));
  else
    *out_label = mamori_text_normalize_name (label, _ ("This computer’s name"), error);
  if (normal == NULL || *out_label == NULL)
    return FALSE;
  *out_code = g_steal_pointer (&normal);
  return TRUE;
}

static JsonObject *
member_object (JsonNode *answer, const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (answer), name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The board named by an enrollment answer, checked. */
static gboolean
read_board (JsonNode *answer,
            const char **out_id,
            guint8 out_key[MAMORI_SIGNING_KEY_SIZE],
            const char **out_name,
            const char **out_school,
            GError **error)
{
  JsonObject *board = member_object (answer, "board");
  JsonObject *school = member_object (answer, "school");
  const char *key;

  if (board == NULL || school == NULL)
    return _mamori_sync_malformed (error, "/v1/enroll");
  *out_id = json_object_get_string_member_with_default (board, "id", NULL);
  *out_name = json_object_get_string_member_with_default (board, "name", NULL);
  key = json_object_get_string_member_with_default (board, "signing_key", NULL);
  *out_school = json_object_get_string_member_with_default (school, "id", NULL);
  if (*out_id == NULL || *out_name == NULL || *out_school == NULL || key == NULL
      || strlen (key) != 2 * MAMORI_SIGNING_KEY_SIZE
      || !mamori_hex_decode (key, out_key, MAMORI_SIGNING_KEY_SIZE))
    return _mamori_sync_malformed (error, "/v1/enroll");
  return TRUE;
}

static JsonNode *
heads_body (MamoriVault *vault, GError **error)
{
  g_autoptr (GArray) heads = mamori_event_log_heads (mamori_vault_get_store (vault),
                                                     mamori_vault_get_school_id (vault), error);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (heads == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "heads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < heads->len; i++)
    {
      const MamoriChainHead *head = &g_array_index (heads, MamoriChainHead, i);
      g_autofree char *author = mamori_hex_encode (head->author, sizeof head->author);
      g_autofree char *id = mamori_hex_encode (head->id, sizeof head->id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, author);
      json_builder_set_member_name (builder, "author_seq");
      json_builder_add_int_value (builder, head->author_seq);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
enroll_body (
    MamoriVault *vault, const char *code, const char *label, gboolean history, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *proof_text = g_strconcat ("mamori-enroll-v1:", code, NULL);
  g_autofree char *signing_key = NULL, *slot_key = NULL, *proof = NULL;
  const MamoriKeySlot *slot = mamori_key_file_find_user (mamori_vault_get_key_file (vault),
                                                         mamori_vault_get_user (vault));
  guint8 sig[MAMORI_SIGNATURE_SIZE];

  if (slot == NULL
      || !mamori_vault_sign (vault, (const guint8 *)proof_text, strlen (proof_text), sig, error))
    {
      if (slot == NULL)
        g_set_error_literal (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                             _ ("A person joins the school to its board, with their own key: "
                                "unlock the vault as a user"));
      return NULL;
    }
  signing_key = mamori_hex_encode (slot->signing_public, MAMORI_SIGNING_KEY_SIZE);
  slot_key = mamori_hex_encode (slot->slot_public, MAMORI_KEY_SIZE);
  proof = mamori_hex_encode (sig, sizeof sig);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "signing_key");
  json_builder_add_string_value (builder, signing_key);
  json_builder_set_member_name (builder, "slot_key");
  json_builder_add_string_value (builder, slot_key);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, label);
  json_builder_set_member_name (builder, "proof");
  json_builder_add_string_value (builder, proof);
  if (history)
    {
      json_builder_set_member_name (builder, "history");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
mamori_sync_join_board (MamoriVault *vault,
                        const char *url,
                        const char *code,
                        const char *label,
                        GBytes *certificate,
                        GCancellable *cancellable,
                        MamoriSyncReport *out_report,
                        GError **error)
{
  g_autofree char *normal = NULL, *label_name = NULL;
  g_autoptr (MamoriSyncClient) client = NULL;
  g_autoptr (JsonNode) peek_body = NULL, peek = NULL, enroll = NULL, enrolled = NULL;
  g_autoptr (JsonNode) join = NULL, joined = NULL;
  g_auto (MamoriSyncReport) history = { 0 };
  const char *board_id = NULL, *board_name = NULL, *school_id = NULL, *token;
  guint8 board_key[MAMORI_SIGNING_KEY_SIZE];
  guint status;

  g_return_val_if_fail (MAMORI_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (url != NULL && code != NULL && label != NULL, FALSE);

  if (!check_input (code, label, &normal, &label_name, error))
    return FALSE;
  if (!mamori_vault_unlocked_by_administrator (vault))
    {
      g_set_error_literal (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                           _ ("Only the principal or the vice-principal joins the school to a "
                              "board of education"));
      return FALSE;
    }
  client = _mamori_sync_client_new_for (vault, url, certificate, error);
  if (client == NULL)
    return FALSE;

  /* The code is checked before it is spent: it must be this school's. */
  peek_body = _mamori_sync_object_node ("code", normal, NULL);
  if (!_mamori_sync_client_request (client, "POST", "/v1/enroll/peek", peek_body, &status, &peek,
                                    cancellable, error))
    return FALSE;
  if (status != 200)
    return _mamori_sync_refusal (peek, status, error);
  if (!read_board (peek, &board_id, board_key, &board_name, &school_id, error))
    return FALSE;
  if (!g_str_equal (school_id, mamori_vault_get_school_id (vault)))
    {
      g_set_error_literal (error, MAMORI_SYNC_ERROR, MAMORI_SYNC_ERROR_NOT_PERMITTED,
                           _ ("This enrollment code is for another school than this vault’s: "
                              "check the code, or ask the board of education"));
      return FALSE;
    }

  enroll = enroll_body (vault, normal, label_name, TRUE, error);
  if (enroll == NULL
      || !_mamori_sync_client_request (client, "POST", "/v1/enroll", enroll, &status, &enrolled,
                                       cancellable, error))
    return FALSE;
  if (status != 200)
    return _mamori_sync_refusal (enrolled, status, error);
  token = _mamori_sync_member_string (enrolled, "token");
  if (token == NULL)
    return _mamori_sync_malformed (error, "/v1/enroll");

  /* Pinned first: if the connection drops from here on, joining again with a new code
   * finds the same board and goes on. */
  if (!mamori_vault_join_board (vault, board_id, board_key, board_name, url,
                                _mamori_sync_client_get_certificate (client), error))
    return FALSE;
  _mamori_sync_client_set_token (client, token);
  if (!_mamori_sync_client_push (client, &history, cancellable, error))
    return FALSE;
  join = heads_body (vault, error);
  if (join == NULL
      || !_mamori_sync_client_request (client, "POST", "/v1/join", join, &status, &joined,
                                       cancellable, error))
    return FALSE;
  if (status != 200)
    return _mamori_sync_refusal (joined, status, error);

  /* The board's school-joined arrives as every other event: by a pull, with a session of
   * this person's own. */
  _mamori_sync_client_set_token (client, NULL);
  return mamori_sync_client_sync (client, 0, cancellable, out_report, error);
}

/* Removes the files of a vault that enrolling made and could not finish. */
static void
remove_vault (const char *path)
{
  g_autofree char *keys = mamori_vault_get_key_file_path (path);
  g_autofree char *lock = g_strconcat (path, "-lock", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (keys);
  g_unlink (lock);
  g_unlink (journal);
}

gboolean
mamori_sync_enroll (const char *path,
                    const char *url,
                    const char *code,
                    const char *passphrase,
                    const char *label,
                    GBytes *certificate,
                    GCancellable *cancellable,
                    MamoriVault **out_vault,
                    MamoriSyncReport *out_report,
                    GError **error)
{
  g_autofree char *normal = NULL, *label_name = NULL;
  g_autoptr (MamoriSyncClient) client = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (JsonNode) peek_body = NULL, peek = NULL, enroll = NULL, enrolled = NULL;
  const char *board_id = NULL, *board_name = NULL, *school_id = NULL;
  const char *school_name, *staff_name, *role_name;
  JsonObject *school, *staff;
  guint8 board_key[MAMORI_SIGNING_KEY_SIZE];
  MamoriRole role;
  guint status;

  g_return_val_if_fail (path != NULL && url != NULL && code != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL && label != NULL && out_vault != NULL, FALSE);

  if (!check_input (code, label, &normal, &label_name, error))
    return FALSE;
  client = _mamori_sync_client_new_for (NULL, url, certificate, error);
  if (client == NULL)
    return FALSE;

  /* Who the code is for, before anything is made. */
  peek_body = _mamori_sync_object_node ("code", normal, NULL);
  if (!_mamori_sync_client_request (client, "POST", "/v1/enroll/peek", peek_body, &status, &peek,
                                    cancellable, error))
    return FALSE;
  if (status != 200)
    return _mamori_sync_refusal (peek, status, error);
  if (!read_board (peek, &board_id, board_key, &board_name, &school_id, error))
    return FALSE;
  school = member_object (peek, "school");
  staff = member_object (peek, "staff");
  school_name = json_object_get_string_member_with_default (school, "name", NULL);
  staff_name
      = staff != NULL ? json_object_get_string_member_with_default (staff, "name", NULL) : NULL;
  role_name
      = staff != NULL ? json_object_get_string_member_with_default (staff, "role", NULL) : NULL;
  if (school_name == NULL || staff_name == NULL || role_name == NULL
      || !mamori_role_from_string (role_name, &role))
    return _mamori_sync_malformed (error, "/v1/enroll/peek");

  vault = mamori_vault_create_enrolled (path, school_name, school_id, staff_name, role, passphrase,
                                        error);
  if (vault == NULL)
    return FALSE;
  _mamori_sync_client_set_vault (client, vault);
  enroll = enroll_body (vault, normal, label_name, FALSE, error);
  if (enroll == NULL
      || !_mamori_sync_client_request (client, "POST", "/v1/enroll", enroll, &status, &enrolled,
                                       cancellable, error)
      || (status != 200 && !_mamori_sync_refusal (enrolled, status, error))
      || !mamori_vault_join_board (vault, board_id, board_key, board_name, url,
                                   _mamori_sync_client_get_certificate (client), error))
    {
      /* Nothing of the school's is in it yet: a new code starts afresh. */
      g_clear_object (&vault);
      remove_vault (path);
      return FALSE;
    }
  /* Enrolled: the vault is kept whatever happens now, and sync finishes what is left. */
  *out_vault = g_object_ref (vault);
  return mamori_sync_client_sync (client, 0, cancellable, out_report, error);
}
