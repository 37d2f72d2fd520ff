/* mamori-register-entry.h — one line of the school's asset register (情報資産台帳)
 *
 * An entry is plain data: what the guidance asks a register to hold (名称, 分類, 重要度
 * with its qualifier, 媒体, 保管場所, 取扱者, 持ち出し, 保管期限, 備考), the values on
 * a multi-axis scheme's further axes, and who made and last changed it.  Everything
 * here is checked against the policy in force: its categories and levels, the level the
 * asset template gives a named asset (lowering an entry below it needs a reason), and
 * the level's take-out rule (an entry may only be stricter).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-policy-axis.h"
#include "mamori-policy.h"

G_BEGIN_DECLS

/* 媒体: how the asset exists. */
typedef enum
{
  MAMORI_MEDIUM_UNSET,
  MAMORI_MEDIUM_PAPER,
  MAMORI_MEDIUM_ELECTRONIC,
  MAMORI_MEDIUM_BOTH,
} MamoriMedium;

#define MAMORI_N_MEDIA (MAMORI_MEDIUM_BOTH + 1)

/* The fields, in the register's column order.  MAMORI_REGISTER_FIELD_REASON is the
 * reason given for an entry below its template's level. */
typedef enum
{
  MAMORI_REGISTER_FIELD_NAME,
  MAMORI_REGISTER_FIELD_QUALIFIER,
  MAMORI_REGISTER_FIELD_CATEGORY,
  MAMORI_REGISTER_FIELD_LEVEL,
  MAMORI_REGISTER_FIELD_MEDIUM,
  MAMORI_REGISTER_FIELD_LOCATION,
  MAMORI_REGISTER_FIELD_CUSTODIAN,
  MAMORI_REGISTER_FIELD_TAKEOUT,
  MAMORI_REGISTER_FIELD_RETENTION,
  MAMORI_REGISTER_FIELD_NOTES,
  MAMORI_REGISTER_FIELD_AXES,
  MAMORI_REGISTER_FIELD_REASON,
} MamoriRegisterField;

#define MAMORI_REGISTER_N_FIELDS (MAMORI_REGISTER_FIELD_REASON + 1)

/* The longest a name may be, and any other text field: together well under what one
 * event can be signed with (mamori-register.h, MAMORI_REGISTER_BATCH_BYTES). */
#define MAMORI_REGISTER_NAME_MAX 200
#define MAMORI_REGISTER_TEXT_MAX 1000

typedef struct
{
  char *id; /* 32 hex digits; NULL for an entry not yet added */
  char *name;
  char *qualifier; /* 「個人情報を含まないもの」…, or NULL */
  char *category;  /* a category id of the policy */
  char *level;     /* a level id of the policy */
  MamoriMedium medium;
  char *location;  /* 保管場所: a system, a folder, a cabinet, a USB stick; or NULL */
  char *custodian; /* 取扱者: a person or a role; or NULL */
  char *takeout;   /* a MamoriTakeoutRule id stricter than the level's, or NULL */
  char *retention; /* 保管期限, as the school writes it (「5年」, 「卒業後20年」) */
  char *notes;
  GHashTable *axes; /* axis id → value id, NULL when none */
  char *reason;     /* why the entry is below its template's level, or NULL */
  gboolean lowered; /* below its template's level (the board sees these) */
  char *created_by;
  char *created_at;
  char *updated_by;
  char *updated_at;
} MamoriRegisterEntry;

MamoriRegisterEntry *
mamori_register_entry_new (void);
MamoriRegisterEntry *
mamori_register_entry_copy (const MamoriRegisterEntry *entry);
void
mamori_register_entry_free (MamoriRegisterEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriRegisterEntry, mamori_register_entry_free)

/* "name", "qualifier", "category", …: the field's member in event bodies and JSON. */
const char *
mamori_register_field_to_string (MamoriRegisterField field);
gboolean
mamori_register_field_from_string (const char *text, MamoriRegisterField *out_field);
/* 「名称」, 「分類」, …: the field's column in the register's CSV and XLSX files (the
 * same whatever the language of the user: it is the exchange format). */
const char *
mamori_register_field_get_header (MamoriRegisterField field);
/* Translated label, for messages and forms. */
const char *
mamori_register_field_get_label (MamoriRegisterField field);

const char *
mamori_medium_to_string (MamoriMedium medium);
gboolean
mamori_medium_from_string (const char *text, MamoriMedium *out_medium);
/* 「紙」, 「電子」, 「両方」 ("" when unset): the exchange format's words. */
const char *
mamori_medium_get_word (MamoriMedium medium);
/* Reads what people write: 紙, 電子, 両方, 紙・電子, 紙/電子 (and the ids). */
gboolean
mamori_medium_parse (const char *text, MamoriMedium *out_medium);
/* Translated label. */
const char *
mamori_medium_get_label (MamoriMedium medium);

/* 「持ち出し禁止」…: the exchange format's words for a take-out rule. */
const char *
mamori_register_takeout_word (MamoriTakeoutRule rule);
/* Reads a take-out rule as an id, the exchange format's word or the translated label. */
gboolean
mamori_register_takeout_parse (const char *text, MamoriTakeoutRule *out_rule);

/* The value of @field as text, NULL when empty: a medium's id, the lowered flag aside,
 * the axes as "id=value" pairs joined by ", " in axis-id order. */
char *
mamori_register_entry_dup_value (const MamoriRegisterEntry *entry, MamoriRegisterField field);
/* Sets a text field of @entry (not the medium or the axes) to @text; NULL or "" clears it. */
void
mamori_register_entry_set_text (MamoriRegisterEntry *entry,
                                MamoriRegisterField field,
                                const char *text);
/* Whether two entries hold the same values in every field (ids and authorship aside). */
gboolean
mamori_register_entry_same_fields (const MamoriRegisterEntry *a, const MamoriRegisterEntry *b);
/* Whether @field differs between @a and @b. */
gboolean
mamori_register_entry_field_differs (const MamoriRegisterEntry *a,
                                     const MamoriRegisterEntry *b,
                                     MamoriRegisterField field);

/* What identifies an entry across imports: its name, qualifier and place, normalised
 * (mamori-normalize.h), so that ＵＳＢ and USB are the same place. */
char *
mamori_register_entry_key (const MamoriRegisterEntry *entry);

/* The category id or level of @policy that @text names by id or label, as people type
 * it (mamori_normalize()); NULL if none. */
const char *
mamori_register_find_category (MamoriPolicy *policy, const char *text);
MamoriLevel *
mamori_register_find_level (MamoriPolicy *policy, const char *text);
/* The value of @axis (one of @policy's) that @text names by id or label. */
MamoriAxisValue *
mamori_register_find_axis_value (MamoriPolicy *policy, MamoriAxis *axis, const char *text);

/* The template asset of this name and qualifier, or NULL for the school's own. */
MamoriAsset *
mamori_register_find_template (MamoriPolicy *policy, const char *name, const char *qualifier);

/* A new entry for the template's @asset: its name, qualifier, category, level and values
 * on the scheme's further axes. */
MamoriRegisterEntry *
mamori_register_entry_new_from_template (MamoriAsset *asset, MamoriPolicy *policy);
/* The template's assets (MamoriAsset, borrowed from @policy) that no entry of @entries
 * has the name and qualifier of, in the policy's order. */
GPtrArray *
mamori_register_template_missing (MamoriPolicy *policy, GPtrArray *entries);

/* A reason why @entry cannot be kept as it is. */
typedef struct
{
  MamoriRegisterField field;
  char *message;
} MamoriRegisterProblem;

void
mamori_register_problem_free (MamoriRegisterProblem *problem);

/* Normalises @entry's text (NFC, white space trimmed, empty → NULL), sets `lowered`
 * from the policy's template, and returns what is wrong with it
 * (MamoriRegisterProblem, in field order; empty when it can be kept): a missing name,
 * category or level, one the policy does not know, text too long or with control
 * characters, a take-out rule laxer than the level's, an axis value the scheme does
 * not have, a lowered level without a reason. */
GPtrArray *
mamori_register_entry_check (MamoriRegisterEntry *entry, MamoriPolicy *policy);

/* The level of @entry in @policy, or NULL if the policy has no such level. */
MamoriLevel *
mamori_register_entry_get_level (const MamoriRegisterEntry *entry, MamoriPolicy *policy);
/* The take-out rule that applies: the entry's own, else its level's. */
MamoriTakeoutRule
mamori_register_entry_get_takeout (const MamoriRegisterEntry *entry, MamoriPolicy *policy);

G_END_DECLS
