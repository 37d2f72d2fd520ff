/* mamori-board-protocol.c — enrollment, push and pull, as docs/protocol.md describes
 * them, without HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-board"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mamori-board-private.h"
#include "mamori-canonical-json.h"
#include "mamori-event-log.h"
#include "mamori-signing.h"
#include "mamori-takeout.h"

#define ENROLL_PROOF_PREFIX "mamori-enroll-v1:"

void
mamori_board_enrollment_free (MamoriBoardEnrollment *enrollment)
{
  if (enrollment == NULL)
    return;
  g_free (enrollment->school);
  g_free (enrollment->school_name);
  g_free (enrollment->staff);
  g_free (enrollment->staff_name);
  g_clear_pointer (&enrollment->device_added, mamori_event_free);
  g_free (enrollment);
}

void
mamori_board_refusal_clear (MamoriBoardRefusal *refusal)
{
  g_clear_pointer (&refusal->message, g_free);
  refusal->reason = NULL;
}

/* The school's name, and whether it has joined. */
static char *
find_school (MamoriBoard *self, const char *school, gboolean *out_joined, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (MamoriStoredSchool) stored
      = mamori_board_store_find_school (self->store, school, &local_error);

  if (stored == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND,
                     _ ("The board has no school “%s”"), school);
      return NULL;
    }
  *out_joined = stored->joined;
  return g_steal_pointer (&stored->name);
}

static gboolean
require_joined (MamoriBoard *self, const char *school, gboolean history, GError **error)
{
  g_autofree char *name = NULL;
  gboolean joined = FALSE;

  name = find_school (self, school, &joined, error);
  if (name == NULL)
    return FALSE;
  if (!joined && !history)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_JOINED,
                   _ ("The school “%s” has not sent its history to the board yet"), name);
      return FALSE;
    }
  if (joined && history)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_PERMITTED,
                   _ ("The school “%s” has joined the board already"), name);
      return FALSE;
    }
  return TRUE;
}

/* The code's school and person, or the error the protocol gives for it. */
static gboolean
check_code (MamoriBoard *self,
            const char *code,
            guint8 hash[MAMORI_EVENT_ID_SIZE],
            char **out_school,
            char **out_staff,
            GError **error)
{
  MamoriCodeState state;

  mamori_event_hash ((const guint8 *)code, strlen (code), hash);
  if (!mamori_board_store_find_code (self->store, hash, g_get_real_time () / G_USEC_PER_SEC, &state,
                                     out_school, out_staff, error))
    return FALSE;
  switch (state)
    {
    case MAMORI_CODE_VALID:
      return TRUE;
    case MAMORI_CODE_USED:
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_USED,
                   _ ("This enrollment code was used already"));
      break;
    case MAMORI_CODE_EXPIRED:
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_EXPIRED,
                   _ ("This enrollment code has expired"));
      break;
    case MAMORI_CODE_UNKNOWN:
    default:
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_UNKNOWN,
                   _ ("This is not an enrollment code of this board"));
    }
  g_clear_pointer (out_school, g_free);
  g_clear_pointer (out_staff, g_free);
  return FALSE;
}

MamoriBoardEnrollment *
mamori_board_enroll (MamoriBoard *self,
                     const char *code,
                     const MamoriRosterKeys *keys,
                     const char *label,
                     const guint8 *proof,
                     gboolean history,
                     GError **error)
{
  g_autoptr (MamoriBoardEnrollment) enrollment = g_new0 (MamoriBoardEnrollment, 1);
  g_autoptr (MamoriStaff) staff = NULL;
  g_autofree char *proof_text = g_strconcat (ENROLL_PROOF_PREFIX, code, NULL);
  guint8 hash[MAMORI_EVENT_ID_SIZE];
  MamoriSchoolFold *fold;
  gboolean joined = FALSE;

  if (!check_code (self, code, hash, &enrollment->school, &enrollment->staff, error))
    return NULL;
  enrollment->school_name = find_school (self, enrollment->school, &joined, error);
  if (enrollment->school_name == NULL)
    return NULL;
  enrollment->history = enrollment->staff[0] == '\0';
  if (keys != NULL && enrollment->history != history)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_BAD_REQUEST, "%s",
                   enrollment->history
                       ? _ ("This is a join code: the device sends its school’s history")
                       : _ ("This is not a join code"));
      return NULL;
    }
  if (keys != NULL
      && !mamori_signing_verify (keys->signing_key, (const guint8 *)proof_text, strlen (proof_text),
                                 proof))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_BAD_REQUEST,
                   _ ("The proof is not the signing key’s signature of the code"));
      return NULL;
    }
  /* A join code is used when the history has arrived (mamori_board_join()). */
  if (enrollment->history)
    {
      g_clear_pointer (&enrollment->staff, g_free);
      return g_steal_pointer (&enrollment);
    }

  fold = keys != NULL ? _mamori_board_begin (self, enrollment->school, error)
                      : _mamori_board_fold_begin (self, enrollment->school, error);
  if (fold == NULL)
    return NULL;
  staff = mamori_roster_find_by_id (fold->db, enrollment->staff, error);
  if (staff == NULL || staff->removed_seq != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REVOKED,
                     _ ("The person this code was for is no longer on the staff"));
      goto fail;
    }
  enrollment->staff_name = g_strdup (staff->name);
  enrollment->role = staff->role;
  if (keys == NULL)
    {
      _mamori_board_fold_rollback (self, fold);
      return g_steal_pointer (&enrollment);
    }

  enrollment->device_added
      = _mamori_board_sign (self, fold, MAMORI_EVENT_DEVICE_ADDED,
                            mamori_roster_device_added_body (staff->id, keys, label), error);
  if (enrollment->device_added == NULL
      || !_mamori_board_store_event (self, fold, enrollment->device_added,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error))
    goto fail;
  if (enrollment->device_added->effect != NULL)
    {
      /* A key somebody holds already, say: nothing to enroll. */
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_BAD_REQUEST, "%s",
                   enrollment->device_added->effect);
      goto fail;
    }
  if (!mamori_board_store_use_code (self->store, hash, g_get_real_time () / G_USEC_PER_SEC, error)
      || !_mamori_board_commit (self, fold, error))
    goto fail;
  return g_steal_pointer (&enrollment);

fail:
  if (keys != NULL)
    _mamori_board_rollback (self, fold);
  else
    _mamori_board_fold_rollback (self, fold);
  return NULL;
}

gboolean
mamori_board_find_device (MamoriBoard *self,
                          const guint8 key[MAMORI_SIGNING_KEY_SIZE],
                          char **out_school,
                          MamoriStaff **out_staff,
                          GError **error)
{
  g_autofree char *school = mamori_board_store_find_key (self->store, key, error);
  g_autoptr (MamoriStaff) staff = NULL;
  g_autoptr (GError) local_error = NULL;
  MamoriSchoolFold *fold;

  if (school == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_NOT_FOUND,
                     _ ("The board does not know this device"));
      return FALSE;
    }
  if (!require_joined (self, school, FALSE, error))
    return FALSE;
  fold = _mamori_board_fold_begin (self, school, error);
  if (fold == NULL)
    return FALSE;
  staff = mamori_roster_find_signer (fold->db, key, &local_error);
  _mamori_board_fold_commit (self, fold, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (staff == NULL)
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REVOKED,
                   _ ("This device’s key was revoked, or its person removed"));
      return FALSE;
    }
  *out_school = g_steal_pointer (&school);
  *out_staff = g_steal_pointer (&staff);
  return TRUE;
}

/* --- push ------------------------------------------------------------------------------ */

static void
refuse (MamoriBoardRefusal *refusal, guint index, const char *reason, const char *message)
{
  refusal->index = index;
  refusal->reason = reason;
  g_free (refusal->message);
  refusal->message = g_strdup (message);
}

/* "invalid" or "not-canonical", for a payload mamori_event_parse() refused: whether it is
 * a JSON object that only lacks its canonical form. */
static const char *
why_invalid (GBytes *payload)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) canonical = g_string_new (NULL);
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize)length, NULL))
    return "invalid";
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !mamori_canonical_json_append (canonical, root))
    return "invalid";
  if (canonical->len != length || memcmp (canonical->str, data, length) != 0)
    return "not-canonical";
  return "invalid";
}

/* Whether @event, refused as not permitted, is its author deciding in their own favour:
 * approving the take-out request they filed, or granting a blanket approval to
 * themselves.  The records refuse both as NOT_PERMITTED; the protocol names them apart
 * (separation of duties), so this reads the fold as it was before @event. */
static gboolean
is_self_approval (MamoriSchoolFold *fold, const MamoriEvent *event, const MamoriRosterKey *key)
{
  const char *member = g_str_equal (event->type, MAMORI_EVENT_TAKEOUT_APPROVED)  ? "id"
                       : g_str_equal (event->type, MAMORI_EVENT_BLANKET_GRANTED) ? "to"
                                                                                 : NULL;
  g_autoptr (MamoriTakeoutRequest) request = NULL;
  const char *value;

  if (member == NULL || key == NULL
      || (value = mamori_event_body_string (event, member, NULL)) == NULL)
    return FALSE;
  if (g_str_equal (member, "to"))
    return g_strcmp0 (value, key->holder) == 0;
  request = mamori_takeout_find (fold->db, value, NULL);
  return request != NULL && g_strcmp0 (request->requester, key->holder) == 0;
}

/* The protocol's word for the records' refusal of @event. */
static const char *
reason_for (MamoriSchoolFold *fold, const MamoriEvent *event, const GError *error)
{
  if (error->domain != MAMORI_RECORDS_ERROR)
    return NULL;
  switch ((MamoriRecordsError)error->code)
    {
    case MAMORI_RECORDS_ERROR_INVALID:
      return "invalid";
    case MAMORI_RECORDS_ERROR_BAD_SIGNATURE:
      return "bad-signature";
    case MAMORI_RECORDS_ERROR_BROKEN_CHAIN:
      return "broken-chain";
    case MAMORI_RECORDS_ERROR_FORK:
      return "fork";
    case MAMORI_RECORDS_ERROR_WRONG_SCHOOL:
      return "wrong-school";
    case MAMORI_RECORDS_ERROR_UNKNOWN_TYPE:
      return "unknown-type";
    case MAMORI_RECORDS_ERROR_NOT_PERMITTED:
    case MAMORI_RECORDS_ERROR_CONFLICT:
    case MAMORI_RECORDS_ERROR_DUPLICATE:
    default:
      {
        g_autoptr (MamoriRosterKey) key = mamori_roster_find_key (fold->db, event->author, NULL);
        g_autoptr (MamoriStaff) holder = NULL;

        if (key != NULL && key->retired_seq != 0)
          return "revoked";
        if (key != NULL)
          holder = mamori_roster_find_by_id (fold->db, key->holder, NULL);
        if (holder != NULL && holder->removed_seq != 0)
          return "revoked";
        if (error->code == MAMORI_RECORDS_ERROR_NOT_PERMITTED
            && is_self_approval (fold, event, key))
          return "self-approval";
        return "not-permitted";
      }
    }
}

/* What a push knows of an event's own signature. */
typedef enum
{
  SIGNATURE_LATER, /* vouched for by a later event's signature, and checked in the background */
  SIGNATURE_GOOD,
  SIGNATURE_BAD,
} Signature;

/* Checks and stores one event; FALSE with @refusal set, or with @error for a failure of
 * the board's own.  An event new to the board is added to @fresh. */
static gboolean
push_one (MamoriBoard *self,
          MamoriSchoolFold *fold,
          guint index,
          MamoriPushedEvent *pushed,
          Signature signature,
          MamoriPushResult *result,
          GPtrArray *fresh,
          MamoriBoardRefusal *refusal,
          GError **error)
{
  g_autoptr (MamoriEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *reason;

  event = mamori_event_parse (pushed->payload, pushed->sig, &local_error);
  if (event == NULL)
    {
      refuse (refusal, index, why_invalid (pushed->payload), local_error->message);
      return FALSE;
    }
  memcpy (refusal->id, event->id, sizeof refusal->id);
  refusal->has_id = TRUE;
  memcpy (result->id, event->id, sizeof result->id);
  if (!mamori_board_store_find_event (self->store, event->id, &result->seq, error))
    return FALSE;
  if (result->seq > 0)
    {
      result->duplicate = TRUE;
      return TRUE;
    }
  /* A school's computers push the school's events; only the board signs its own. */
  if (!g_str_equal (event->school, fold->school))
    {
      refuse (refusal, index, "wrong-school", _ ("The event belongs to another school"));
      return FALSE;
    }
  if (signature == SIGNATURE_BAD)
    {
      mamori_event_verify (event, &local_error);
      refuse (refusal, index, "bad-signature",
              local_error != NULL ? local_error->message : "bad signature");
      return FALSE;
    }
  /* Its signature was checked before the store was locked, or is vouched for by a later
   * event of its chain in the batch (mamori_board_push()). */
  if (_mamori_board_store_event (self, fold, event,
                                 MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, &local_error))
    {
      result->seq = event->server_seq;
      event->seq = index; /* its place in the batch, from here on */
      g_ptr_array_add (fresh, g_steal_pointer (&event));
      return TRUE;
    }
  reason = reason_for (fold, event, local_error);
  if (reason == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  refuse (refusal, index, reason, local_error->message);
  return FALSE;
}

/* Signature checks are most of a push's cost (an Ed25519 verification is 0.6–2.5 ms
 * with libgcrypt), so a push checks one per author: the signature of the author's last
 * event in the batch, before the store is locked, on every core.  The fold checks that
 * each event names the id (SHA-256 of the payload) of the author's event before it, so
 * that signature vouches for every event of the author the batch brings.  The others'
 * own signatures are checked after the push, before anybody is served them
 * (mamori-board-checking.c). */
#define VERIFY_THREADS_MAX 8

typedef struct
{
  GPtrArray *events;
  Signature *signatures;
  gint next; /* atomic */
} VerifyJob;

static gpointer
verify_some (gpointer data)
{
  VerifyJob *job = data;
  guint i;

  while ((i = (guint)g_atomic_int_add (&job->next, 1)) < job->events->len)
    {
      MamoriPushedEvent *pushed = job->events->pdata[i];
      MamoriEventHeader header;
      gsize length;
      const guint8 *payload = g_bytes_get_data (pushed->payload, &length);

      if (job->signatures[i] == SIGNATURE_LATER)
        continue;
      job->signatures[i]
          = mamori_event_scan_header (payload, length, &header)
                    && mamori_signing_verify (header.author, payload, length, pushed->sig)
                ? SIGNATURE_GOOD
                : SIGNATURE_BAD;
    }
  return NULL;
}

static guint
author_hash (gconstpointer key)
{
  guint hash;

  memcpy (&hash, key, sizeof hash);
  return hash;
}

static gboolean
author_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, MAMORI_SIGNING_KEY_SIZE) == 0;
}

/* The last event of each author in @events is checked now (SIGNATURE_GOOD or _BAD); the
 * others are SIGNATURE_LATER.  A payload whose header cannot be read is checked now: it
 * is refused anyway. */
static Signature *
verify_signatures (GPtrArray *events)
{
  g_autoptr (GHashTable) last = g_hash_table_new (author_hash, author_equal);
  g_autofree MamoriEventHeader *headers = g_new0 (MamoriEventHeader, events->len);
  Signature *signatures = g_new0 (Signature, events->len);
  VerifyJob job = { events, signatures, 0 };
  GThread *threads[VERIFY_THREADS_MAX];
  GHashTableIter iter;
  gpointer value;
  guint n_threads, n_now = 0;

  for (guint i = 0; i < events->len; i++)
    {
      MamoriPushedEvent *pushed = events->pdata[i];
      gsize length;
      const guint8 *payload = g_bytes_get_data (pushed->payload, &length);

      signatures[i] = SIGNATURE_BAD;
      if (mamori_event_scan_header (payload, length, &headers[i]))
        {
          signatures[i] = SIGNATURE_LATER;
          g_hash_table_insert (last, headers[i].author, GUINT_TO_POINTER (i));
        }
    }
  g_hash_table_iter_init (&iter, last);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    signatures[GPOINTER_TO_UINT (value)] = SIGNATURE_BAD;
  for (guint i = 0; i < events->len; i++)
    n_now += signatures[i] != SIGNATURE_LATER;
  n_threads = CLAMP (MIN ((guint)g_get_num_processors (), n_now), 1, VERIFY_THREADS_MAX);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("mamori-verify", verify_some, &job);
  verify_some (&job);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  return signatures;
}

/* The events of @fresh (stored by this push, in batch order) whose signatures are left
 * for later: each one's author must have a later event in @fresh whose signature was
 * checked.  When an author's last new event was not checked (the batch's last event of
 * that author was one the board had already), it is checked now; a bad one refuses the
 * batch (@out_index).  Returns the events to hold, as MamoriStoredEvent. */
static GPtrArray *
vouch_for (
    const char *school, GPtrArray *fresh, GArray *results, Signature *signatures, guint *out_index)
{
  g_autoptr (GHashTable) last = g_hash_table_new (author_hash, author_equal);
  g_autoptr (GPtrArray) held
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_stored_event_free);
  GHashTableIter iter;
  gpointer value;
  gboolean bad = FALSE;

  for (guint k = 0; k < fresh->len; k++)
    g_hash_table_insert (last, ((MamoriEvent *)fresh->pdata[k])->author, fresh->pdata[k]);
  g_hash_table_iter_init (&iter, last);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MamoriEvent *event = value;
      guint index = (guint)event->seq;

      if (signatures[index] != SIGNATURE_LATER)
        continue;
      signatures[index] = mamori_event_verify (event, NULL) ? SIGNATURE_GOOD : SIGNATURE_BAD;
      if (signatures[index] == SIGNATURE_BAD && (!bad || index < *out_index))
        {
          bad = TRUE;
          *out_index = index;
        }
    }
  if (bad)
    return NULL;
  for (guint k = 0; k < fresh->len; k++)
    {
      MamoriEvent *event = fresh->pdata[k];
      MamoriStoredEvent *stored;

      if (signatures[event->seq] != SIGNATURE_LATER)
        continue;
      stored = g_new0 (MamoriStoredEvent, 1);
      stored->seq = g_array_index (results, MamoriPushResult, event->seq).seq;
      stored->school = g_strdup (school);
      stored->payload = g_bytes_ref (event->payload);
      stored->sig = g_bytes_new (event->sig, sizeof event->sig);
      g_ptr_array_add (held, stored);
    }
  return g_steal_pointer (&held);
}

gboolean
mamori_board_push (MamoriBoard *self,
                   const char *school,
                   gboolean history,
                   GPtrArray *events,
                   GArray *results,
                   MamoriBoardRefusal *out_refusal,
                   GError **error)
{
  g_autofree Signature *signatures = NULL;
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_event_free);
  g_autoptr (GPtrArray) held = NULL;
  MamoriSchoolFold *fold;
  guint bad_index = 0;

  g_array_set_size (results, 0);
  if (!require_joined (self, school, history, error))
    return FALSE;
  signatures = verify_signatures (events);
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      MamoriPushResult result = { { 0 } };

      out_refusal->has_id = FALSE;
      if (!push_one (self, fold, i, events->pdata[i], signatures[i], &result, fresh, out_refusal,
                     error))
        goto refused;
      g_array_append_val (results, result);
    }
  held = vouch_for (school, fresh, results, signatures, &bad_index);
  if (held == NULL)
    {
      MamoriPushResult *result = &g_array_index (results, MamoriPushResult, bad_index);

      refuse (out_refusal, bad_index, "bad-signature",
              _ ("The event does not carry its author’s signature"));
      memcpy (out_refusal->id, result->id, sizeof out_refusal->id);
      out_refusal->has_id = TRUE;
      goto refused;
    }
  for (guint k = 0; k < held->len; k++)
    {
      MamoriStoredEvent *stored = held->pdata[k];

      if (!mamori_board_store_hold_event (self->store, stored->seq, school, error))
        goto failed;
    }
  if (!_mamori_board_commit (self, fold, error))
    {
      g_array_set_size (results, 0);
      return FALSE;
    }
  _mamori_board_check_later (self, g_steal_pointer (&held));
  return TRUE;

refused:
  if (error != NULL && *error == NULL)
    g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_REFUSED, "%s", out_refusal->message);
failed:
  _mamori_board_rollback (self, fold);
  g_array_set_size (results, 0);
  return FALSE;
}

/* --- a school with its own vault joins ----------------------------------------------------- */

static gint
compare_heads (gconstpointer a, gconstpointer b)
{
  return memcmp (((const MamoriChainHead *)a)->author, ((const MamoriChainHead *)b)->author,
                 MAMORI_SIGNING_KEY_SIZE);
}

static gboolean
same_heads (GArray *held, GArray *named)
{
  if (held->len != named->len)
    return FALSE;
  g_array_sort (held, compare_heads);
  g_array_sort (named, compare_heads);
  for (guint i = 0; i < held->len; i++)
    {
      MamoriChainHead *a = &g_array_index (held, MamoriChainHead, i);
      MamoriChainHead *b = &g_array_index (named, MamoriChainHead, i);

      if (memcmp (a->author, b->author, sizeof a->author) != 0 || a->author_seq != b->author_seq
          || memcmp (a->id, b->id, sizeof a->id) != 0)
        return FALSE;
    }
  return TRUE;
}

MamoriEvent *
mamori_board_join (
    MamoriBoard *self, const char *school, const char *code, GArray *heads, GError **error)
{
  g_autoptr (GArray) held = NULL;
  g_autoptr (MamoriEvent) event = NULL;
  g_autofree char *code_school = NULL, *code_staff = NULL;
  guint8 hash[MAMORI_EVENT_ID_SIZE];
  MamoriSchoolFold *fold;

  if (!check_code (self, code, hash, &code_school, &code_staff, error)
      || !require_joined (self, school, TRUE, error))
    return NULL;
  if (!g_str_equal (code_school, school) || code_staff[0] != '\0')
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_CODE_UNKNOWN,
                   _ ("This is not the school’s join code"));
      return NULL;
    }
  fold = _mamori_board_begin (self, school, error);
  if (fold == NULL)
    return NULL;
  held = mamori_event_log_heads (fold->db, school, error);
  if (held == NULL)
    goto fail;
  if (held->len == 0 || !same_heads (held, heads))
    {
      g_set_error (error, MAMORI_BOARD_ERROR, MAMORI_BOARD_ERROR_HISTORY_INCOMPLETE,
                   _ ("The board holds %u chains of the school’s records, which are not the %u "
                      "named: push the whole history first"),
                   held->len, heads->len);
      goto fail;
    }
  event = _mamori_board_sign (self, fold, MAMORI_EVENT_SCHOOL_JOINED,
                              mamori_roster_school_joined_body (self->id, self->public_key, held),
                              error);
  if (event == NULL
      || !_mamori_board_store_event (self, fold, event,
                                     MAMORI_APPEND_AT_BOARD | MAMORI_APPEND_SIGNED_HERE, error)
      || !mamori_board_store_set_joined (self->store, school, error)
      || !mamori_board_store_use_code (self->store, hash, g_get_real_time () / G_USEC_PER_SEC,
                                       error)
      || !_mamori_board_commit (self, fold, error))
    goto fail;
  return g_steal_pointer (&event);

fail:
  _mamori_board_rollback (self, fold);
  return NULL;
}

/* --- pull ----------------------------------------------------------------------------- */

GPtrArray *
mamori_board_pull (MamoriBoard *self,
                   const char *school,
                   gint64 since,
                   guint limit,
                   gint64 *out_next,
                   gboolean *out_more,
                   GError **error)
{
  g_autoptr (GPtrArray) events
      = mamori_board_store_read_events (self->store, school, since, limit + 1, error);

  if (events == NULL)
    return NULL;
  *out_more = events->len > limit;
  if (*out_more)
    g_ptr_array_set_size (events, limit);
  *out_next = events->len > 0 ? ((MamoriStoredEvent *)events->pdata[events->len - 1])->seq : since;
  return g_steal_pointer (&events);
}
