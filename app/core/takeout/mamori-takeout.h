/* mamori-takeout.h — take-out (持ち出し): requests, approvals, returns and blanket grants
 * as signed records
 *
 * A request names assets of the register (or free-text items with a level of the
 * policy), a medium, a destination, a purpose and a period.  The rule engine
 * (mamori_takeout_judge()) applies the policy at once: the highest level among the items
 * decides the rule (a register entry may carry a stricter one), and the medium is checked
 * against the environment matrix.  Every step is an event (docs/records.md, "Take-out"):
 *
 *   takeout-requested  the requester files a request (refused at once when the policy
 *                      forbids it: kept, so that the approvers see it)
 *   takeout-changed    the requester changes it: a new version, which needs approving again
 *   takeout-approved   an approver approves one version of a request
 *   takeout-rejected   an approver declines it, with a reason
 *   takeout-withdrawn  the requester withdraws it
 *   taken-out          the requester takes the items out
 *   returned           the requester brings them back
 *   return-confirmed   an approver confirms the return
 *   takeout-notified   an approver acknowledges a request the policy only asks to be told of
 *   blanket-granted    an approver grants a blanket approval (包括的承認): a person or all
 *                      staff, up to a level, until a date
 *   blanket-revoked    an approver ends one
 *
 * The fold (mamori-takeout-fold.c) checks authority where the data changes: nobody
 * approves, rejects or confirms their own request; an approver's roster role must be
 * among the approvers the policy in force names for the request's level (校長等 =
 * principal or vice-principal when it names none): both MAMORI_RECORDS_ERROR_NOT_PERMITTED,
 * never kept.  Where the policy asks for an approval in steps (a vice-principal's review,
 * then the principal's approval), each step is a takeout-approved event naming its step;
 * the request stays pending until the last; a step is signed by a role the policy names
 * for it, and by nobody who signed another step of the same version (NOT_PERMITTED).
 *
 * Approving, declining, confirming a return and granting a blanket approval take the
 * approver's passphrase again (mamori_vault_confirm_passphrase()): the event is signed
 * with the key it unwraps, so that an unattended unlocked screen decides nothing.  A step from the
 * wrong state, or an approval of a version that is no longer the latest, is
 * MAMORI_RECORDS_ERROR_CONFLICT: the records moved on (two approvers deciding at once), and a copy
 * that receives such an event keeps it with no effect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-csv.h"
#include "mamori-event-log.h"
#include "mamori-policy.h"
#include "mamori-vault.h"

G_BEGIN_DECLS

#define MAMORI_EVENT_TAKEOUT_REQUESTED "takeout-requested"
#define MAMORI_EVENT_TAKEOUT_CHANGED "takeout-changed"
#define MAMORI_EVENT_TAKEOUT_APPROVED "takeout-approved"
#define MAMORI_EVENT_TAKEOUT_REJECTED "takeout-rejected"
#define MAMORI_EVENT_TAKEOUT_WITHDRAWN "takeout-withdrawn"
#define MAMORI_EVENT_TAKEN_OUT "taken-out"
#define MAMORI_EVENT_RETURNED "returned"
#define MAMORI_EVENT_RETURN_CONFIRMED "return-confirmed"
#define MAMORI_EVENT_TAKEOUT_NOTIFIED "takeout-notified"
#define MAMORI_EVENT_BLANKET_GRANTED "blanket-granted"
#define MAMORI_EVENT_BLANKET_REVOKED "blanket-revoked"

/* The most steps an approval takes (the policy's approval_steps). */
#define MAMORI_TAKEOUT_MAX_STEPS 3

/* A blanket grant for everyone on the staff. */
#define MAMORI_TAKEOUT_GRANTEE_ALL "all"

extern const MamoriFoldModule mamori_takeout_fold_module;

#define MAMORI_TAKEOUT_ERROR (mamori_takeout_error_quark ())

typedef enum
{
  MAMORI_TAKEOUT_ERROR_INVALID,   /* a request that breaks a rule of its own (the message says) */
  MAMORI_TAKEOUT_ERROR_NOT_FOUND, /* no such request, grant, asset or person */
} MamoriTakeoutError;

GQuark
mamori_takeout_error_quark (void);

/* How the items travel.  PRIVATE_USB is a stick of one's own (私物): refused unless the
 * level is free to take out. */
typedef enum
{
  MAMORI_TAKEOUT_MEDIUM_PAPER,
  MAMORI_TAKEOUT_MEDIUM_USB, /* 暗号化した公用USBメモリ */
  MAMORI_TAKEOUT_MEDIUM_PC,  /* 校務用PC */
  MAMORI_TAKEOUT_MEDIUM_CLOUD,
  MAMORI_TAKEOUT_MEDIUM_PRIVATE_USB,
} MamoriTakeoutMedium;

const char *
mamori_takeout_medium_to_string (MamoriTakeoutMedium medium);
gboolean
mamori_takeout_medium_from_string (const char *str, MamoriTakeoutMedium *out_medium);
const char *
mamori_takeout_medium_get_label (MamoriTakeoutMedium medium);

typedef enum
{
  MAMORI_TAKEOUT_STATE_REFUSED,   /* the policy forbids it: nothing to approve */
  MAMORI_TAKEOUT_STATE_PENDING,   /* waiting for an approver */
  MAMORI_TAKEOUT_STATE_APPROVED,  /* approved (or covered by a blanket grant) */
  MAMORI_TAKEOUT_STATE_REJECTED,  /* declined, with a reason */
  MAMORI_TAKEOUT_STATE_WITHDRAWN, /* withdrawn by the requester */
  MAMORI_TAKEOUT_STATE_OUT,       /* taken out */
  MAMORI_TAKEOUT_STATE_RETURNED,  /* brought back, not yet confirmed */
  MAMORI_TAKEOUT_STATE_CLOSED,    /* the return confirmed */
  MAMORI_TAKEOUT_STATE_RECORDED,  /* notify or free: recorded, no approval needed */
} MamoriTakeoutState;

const char *
mamori_takeout_state_to_string (MamoriTakeoutState state);
gboolean
mamori_takeout_state_from_string (const char *str, MamoriTakeoutState *out_state);
const char *
mamori_takeout_state_get_label (MamoriTakeoutState state);

/* What a take-out event did, for a timeline: 「申請」, 「承認」, …; @type itself when it is
 * not a take-out event. */
const char *
mamori_takeout_event_get_label (const char *type);

/* Why the policy refuses a request at once. */
typedef enum
{
  MAMORI_TAKEOUT_REFUSAL_NONE,
  MAMORI_TAKEOUT_REFUSAL_FORBIDDEN,      /* the level (or an entry) may not leave the school */
  MAMORI_TAKEOUT_REFUSAL_MEDIUM,         /* the environment matrix denies the medium */
  MAMORI_TAKEOUT_REFUSAL_PRIVATE_MEDIUM, /* a private stick for a level that is not free */
} MamoriTakeoutRefusal;

const char *
mamori_takeout_refusal_to_string (MamoriTakeoutRefusal refusal);
gboolean
mamori_takeout_refusal_from_string (const char *str, MamoriTakeoutRefusal *out_refusal);

/* One thing taken out: an entry of the register (@asset, its id) or a free-text item. */
typedef struct
{
  char *asset; /* NULL for a free-text item */
  char *name;
  char *level;
  char *rule; /* the entry's own take-out rule when stricter than its level's; or NULL */
} MamoriTakeoutItem;

MamoriTakeoutItem *
mamori_takeout_item_new (const char *asset, const char *name, const char *level, const char *rule);
void
mamori_takeout_item_free (MamoriTakeoutItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutItem, mamori_takeout_item_free)

/* What the requester fills in. */
typedef struct
{
  GPtrArray *items; /* MamoriTakeoutItem */
  MamoriTakeoutMedium medium;
  char *destination;
  char *purpose;
  char *date_from; /* YYYY-MM-DD */
  char *date_until;
} MamoriTakeoutDraft;

MamoriTakeoutDraft *
mamori_takeout_draft_new (void);
void
mamori_takeout_draft_free (MamoriTakeoutDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutDraft, mamori_takeout_draft_free)

/* --- the rule engine ---------------------------------------------------------------- */

typedef struct
{
  MamoriLevel *level; /* the highest among the items; borrowed from the policy */
  MamoriTakeoutRule rule;
  MamoriTakeoutRefusal refusal;
  MamoriEnvironment environment; /* the column of the matrix the medium is checked in */
} MamoriTakeoutVerdict;

/* Applies @policy to @items (MamoriTakeoutItem) taken out on @medium.  Fails
 * (MAMORI_TAKEOUT_ERROR_INVALID) only when there is no item or an item's level is not one
 * of the policy's. */
gboolean
mamori_takeout_judge (MamoriPolicy *policy,
                      GPtrArray *items,
                      MamoriTakeoutMedium medium,
                      MamoriTakeoutVerdict *out_verdict,
                      GError **error);
/* Why the verdict refuses, with the alternative the policy gives (リモートアクセス when
 * the level allows it); NULL when it does not refuse. */
char *
mamori_takeout_verdict_explain (const MamoriTakeoutVerdict *verdict);
/* The roles that may approve a take-out at @level: the policy's approvers, or 校長等
 * (principal, vice-principal) when it names none.  Returns the number written. */
guint
mamori_takeout_level_approvers (MamoriLevel *level, MamoriRole out_roles[MAMORI_N_ROLES]);
gboolean
mamori_takeout_level_can_approve (MamoriLevel *level, MamoriRole role);
/* The steps an approval at @level takes: the policy's approval_steps, or 1. */
guint
mamori_takeout_level_n_steps (MamoriLevel *level);
/* The roles that may sign step @step (from 1) of an approval at @level: the step's, or
 * the approvers when the policy names no steps.  A step past the last is the last's.
 * Returns the number written. */
guint
mamori_takeout_level_step_roles (MamoriLevel *level,
                                 guint step,
                                 MamoriRole out_roles[MAMORI_N_ROLES]);
gboolean
mamori_takeout_level_step_allows (MamoriLevel *level, guint step, MamoriRole role);
/* Whether @role may grant a blanket approval up to @level: a blanket grant approves in
 * full, so it is for a role of the last step. */
gboolean
mamori_takeout_level_can_grant (MamoriLevel *level, MamoriRole role);
/* What step @step of @n_steps did, for a timeline: 「審査済み」 before the last,
 * 「承認」 for the last. */
const char *
mamori_takeout_step_get_label (guint step, guint n_steps);

/* --- the records -------------------------------------------------------------------- */

typedef struct
{
  char *id;
  char *requester; /* staff id */
  char *requester_name;
  GPtrArray *items; /* MamoriTakeoutItem */
  char *level;
  MamoriTakeoutRule rule;
  MamoriTakeoutMedium medium;
  char *destination;
  char *purpose;
  char *date_from;
  char *date_until;
  MamoriTakeoutState state;
  char *reason;      /* a refusal (mamori_takeout_refusal_to_string()) or the approver's reason */
  char *version;     /* hex id of the event that made the latest version */
  GStrv steps;       /* staff ids who signed the approval steps of the latest version, in
                      * order (never NULL; empty until the first step) */
  guint n_steps;     /* the steps approving it takes (1 unless the policy names more) */
  char *approved_by; /* staff id; NULL until approved (the last step's signer) */
  char *approved_by_name;
  char *rejected_by; /* staff id; NULL unless declined */
  char *grant;       /* the blanket grant that covers it; or NULL */
  char *noted_by;    /* the approver who acknowledged a notification */
  char *confirmed_by;
  gint64 created_seq;
  char *created_at;
  gint64 updated_seq;
} MamoriTakeoutRequest;

void
mamori_takeout_request_free (MamoriTakeoutRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutRequest, mamori_takeout_request_free)

typedef struct
{
  char *id;
  char *grantee; /* a staff id or MAMORI_TAKEOUT_GRANTEE_ALL */
  char *grantee_name;
  char *max_level;
  char *date_until;
  char *granted_by;
  char *granted_by_name;
  char *granted_at;
  gboolean revoked;
} MamoriTakeoutGrant;

void
mamori_takeout_grant_free (MamoriTakeoutGrant *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriTakeoutGrant, mamori_takeout_grant_free)

/* The request with @id; NULL without an error when there is none. */
MamoriTakeoutRequest *
mamori_takeout_find (MamoriDb *db, const char *id, GError **error);

typedef struct
{
  int state;             /* a MamoriTakeoutState, or -1 for all */
  const char *requester; /* a staff id, or NULL for everyone's */
} MamoriTakeoutFilter;

/* Requests, newest first. */
GPtrArray *
mamori_takeout_list (MamoriDb *db, const MamoriTakeoutFilter *filter, GError **error);
/* Requests out (taken out, not yet returned) whose period ended before @today
 * (YYYY-MM-DD), the earliest due first. */
GPtrArray *
mamori_takeout_list_overdue (MamoriDb *db, const char *today, GError **error);
/* Requests out whose period ends between @today and @days days later, the earliest first. */
GPtrArray *
mamori_takeout_list_due_soon (MamoriDb *db, const char *today, guint days, GError **error);
/* Whether @request is out past its period on @today. */
gboolean
mamori_takeout_request_is_overdue (const MamoriTakeoutRequest *request, const char *today);
/* Requests waiting for an approver: pending, and notifications nobody acknowledged. */
GPtrArray *
mamori_takeout_list_queue (MamoriDb *db, GError **error);
/* The events of a request, in log order (MamoriEvent). */
GPtrArray *
mamori_takeout_history (MamoriDb *db, const char *id, GError **error);
/* Blanket grants, the newest first; the revoked ones with @include_revoked. */
GPtrArray *
mamori_takeout_list_grants (MamoriDb *db, gboolean include_revoked, GError **error);

/* Whether @grant is in force on @today (YYYY-MM-DD): not revoked, not expired. */
gboolean
mamori_takeout_grant_is_valid (const MamoriTakeoutGrant *grant, const char *today);
/* Whether @grant is for the staff member @staff_id (to them, or to all staff). */
gboolean
mamori_takeout_grant_is_for (const MamoriTakeoutGrant *grant, const char *staff_id);
/* The blanket grants a request by @requester (a staff id) filed on @filed_on may use: not
 * revoked, valid that day, for the requester or all staff, and not granted by the
 * requester; the earliest first. */
GPtrArray *
mamori_takeout_list_usable_grants (MamoriDb *db,
                                   const char *requester,
                                   const char *filed_on,
                                   GError **error);
/* Of @grants (mamori_takeout_list_usable_grants()), the earliest that covers a request at
 * @level whose period ends on @date_until: valid that day too, up to @level or a more
 * sensitive one.  NULL when none does. */
const MamoriTakeoutGrant *
mamori_takeout_grants_find_covering (GPtrArray *grants,
                                     MamoriPolicy *policy,
                                     MamoriLevel *level,
                                     const char *date_until);
/* The blanket grant that covers a request by @requester (a staff id) at @level whose
 * period ends on @date_until, filed on @filed_on: valid on both days, for the requester
 * or all staff, up to @level or a more sensitive one, and not granted by the requester.
 * The earliest such grant; NULL (and no error) when none covers it.  The fold applies the
 * same test when a request is filed; the request form shows it before filing. */
MamoriTakeoutGrant *
mamori_takeout_find_covering_grant (MamoriDb *db,
                                    MamoriPolicy *policy,
                                    const char *requester,
                                    MamoriLevel *level,
                                    const char *date_until,
                                    const char *filed_on,
                                    GError **error);

/* Requests (not refused ones) whose period meets @from–@until, in the order filed. */
GPtrArray *
mamori_takeout_list_between (MamoriDb *db, const char *from, const char *until, GError **error);
/* The day the request was filed, in the local time zone (YYYY-MM-DD). */
char *
mamori_takeout_filed_on (const MamoriTakeoutRequest *request);
/* The items' names, joined with 「、」. */
char *
mamori_takeout_items_describe (const MamoriTakeoutRequest *request);
/* The 持出簿 for @from–@until as CSV in @encoding (UTF-8 with a BOM, or CP932:
 * G_CONVERT_ERROR when a character has no CP932 form). */
GBytes *
mamori_takeout_log_csv (MamoriDb *db,
                        MamoriPolicy *policy,
                        const char *from,
                        const char *until,
                        MamoriCsvEncoding encoding,
                        GError **error);

/* Today's date in the school's time zone, YYYY-MM-DD: the clock the lists default to. */
char *
mamori_takeout_today (void);
/* Whether @text is a date YYYY-MM-DD. */
gboolean
mamori_takeout_date_is_valid (const char *text);

/* --- acting, as the user who unlocked the vault ------------------------------------- */

/* Resolves the register entry named @name (or with id @name) to an item at its level;
 * MAMORI_TAKEOUT_ERROR_NOT_FOUND when none, _INVALID when the name is in the register
 * more than once (in different places): name it by id. */
MamoriTakeoutItem *
mamori_takeout_item_from_register (MamoriDb *db, const char *name, GError **error);

/* Files @draft; returns the request as the fold made it (REFUSED when the policy
 * forbids it: the caller says why with mamori_takeout_verdict_explain()). */
MamoriTakeoutRequest *
mamori_takeout_file (MamoriVault *vault, const MamoriTakeoutDraft *draft, GError **error);
MamoriTakeoutRequest *
mamori_takeout_change (MamoriVault *vault,
                       const char *id,
                       const MamoriTakeoutDraft *draft,
                       GError **error);
/* The decisions below take the unlocked approver's @passphrase (NUL-terminated, ideally
 * in secure memory; never kept or logged) and run the key derivation (about a second:
 * not on a main loop's thread).  A wrong one is MAMORI_VAULT_ERROR_WRONG_PASSPHRASE, and
 * nothing is written. */

/* Signs the next approval step of the latest version of request @id (the only step, or
 * the last, approves it). */
gboolean
mamori_takeout_approve (MamoriVault *vault, const char *id, const char *passphrase, GError **error);
/* Approves request @id and, in the same transaction, grants a blanket approval
 * (blanket-granted, then takeout-approved): to @grantee (a staff id, or
 * MAMORI_TAKEOUT_GRANTEE_ALL; NULL: the requester), up to @max_level (NULL: the request's
 * level), until @date_until.  Returns the grant's id; nothing is appended on failure. */
char *
mamori_takeout_approve_with_grant (MamoriVault *vault,
                                   const char *id,
                                   const char *grantee,
                                   const char *max_level,
                                   const char *date_until,
                                   const char *passphrase,
                                   GError **error);
gboolean
mamori_takeout_reject (
    MamoriVault *vault, const char *id, const char *reason, const char *passphrase, GError **error);
gboolean
mamori_takeout_withdraw (MamoriVault *vault, const char *id, GError **error);
gboolean
mamori_takeout_take_out (MamoriVault *vault, const char *id, GError **error);
gboolean
mamori_takeout_return (MamoriVault *vault, const char *id, GError **error);
gboolean
mamori_takeout_confirm_return (MamoriVault *vault,
                               const char *id,
                               const char *passphrase,
                               GError **error);
gboolean
mamori_takeout_acknowledge (MamoriVault *vault, const char *id, GError **error);
/* @grantee: a staff id or MAMORI_TAKEOUT_GRANTEE_ALL.  Returns the new grant's id. */
char *
mamori_takeout_grant (MamoriVault *vault,
                      const char *grantee,
                      const char *max_level,
                      const char *date_until,
                      const char *passphrase,
                      GError **error);
gboolean
mamori_takeout_revoke (MamoriVault *vault, const char *grant_id, GError **error);

/* Event bodies (docs/records.md, "Take-out"), for the functions above and for tests. */
JsonNode *
mamori_takeout_request_body (const char *id, const MamoriTakeoutDraft *draft);
/* @step: the approval step (from 1) of a takeout-approved; 0 for a takeout-rejected. */
JsonNode *
mamori_takeout_decision_body (const char *id, const char *version, guint step, const char *reason);
JsonNode *
mamori_takeout_id_body (const char *id);
JsonNode *
mamori_takeout_grant_body (const char *grant,
                           const char *grantee,
                           const char *max_level,
                           const char *date_until);

G_END_DECLS
