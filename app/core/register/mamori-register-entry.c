/* mamori-register-entry.c — one line of the school's asset register
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-register"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mamori-asset.h"
#include "mamori-normalize.h"
#include "mamori-policy-axis.h"
#include "mamori-register-entry.h"

typedef struct
{
  const char *id;
  const char *header; /* the exchange format's column, not translated */
  const char *label;  /* NC_("register field") */
} FieldInfo;

static const FieldInfo fields[MAMORI_REGISTER_N_FIELDS] = {
  { "name", "名称", NC_ ("register field", "Name") },
  { "qualifier", "区分", NC_ ("register field", "Qualifier") },
  { "category", "分類", NC_ ("register field", "Category") },
  { "level", "重要度", NC_ ("register field", "Level") },
  { "medium", "媒体", NC_ ("register field", "Medium") },
  { "location", "保管場所", NC_ ("register field", "Kept in") },
  { "custodian", "取扱者", NC_ ("register field", "Custodian") },
  { "takeout", "持ち出し", NC_ ("register field", "Take-out") },
  { "retention", "保管期限", NC_ ("register field", "Retention") },
  { "notes", "備考", NC_ ("register field", "Notes") },
  { "axes", "その他の分類", NC_ ("register field", "Other axes") },
  { "reason", "重要度を下げる理由", NC_ ("register field", "Reason for the lower level") },
};

typedef struct
{
  const char *id;
  const char *word;  /* the exchange format's word */
  const char *label; /* NC_("medium") */
} MediumInfo;

static const MediumInfo media[MAMORI_N_MEDIA] = {
  { "", "", NC_ ("medium", "Not set") },
  { "paper", "紙", NC_ ("medium", "Paper") },
  { "electronic", "電子", NC_ ("medium", "Electronic") },
  { "both", "両方", NC_ ("medium", "Paper and electronic") },
};

/* The exchange format's words for the take-out rules, in MamoriTakeoutRule order. */
static const char *const takeout_words[] = {
  "持ち出し禁止", "都度書面許可", "包括的承認", "届出", "制限なし",
};
G_STATIC_ASSERT (G_N_ELEMENTS (takeout_words) == MAMORI_TAKEOUT_FREE + 1);

MamoriRegisterEntry *
mamori_register_entry_new (void)
{
  return g_new0 (MamoriRegisterEntry, 1);
}

static GHashTable *
copy_axes (GHashTable *axes)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer key, value;

  if (axes == NULL)
    return NULL;
  copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, axes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

MamoriRegisterEntry *
mamori_register_entry_copy (const MamoriRegisterEntry *entry)
{
  MamoriRegisterEntry *copy = g_new0 (MamoriRegisterEntry, 1);

  copy->id = g_strdup (entry->id);
  copy->name = g_strdup (entry->name);
  copy->qualifier = g_strdup (entry->qualifier);
  copy->category = g_strdup (entry->category);
  copy->level = g_strdup (entry->level);
  copy->medium = entry->medium;
  copy->location = g_strdup (entry->location);
  copy->custodian = g_strdup (entry->custodian);
  copy->takeout = g_strdup (entry->takeout);
  copy->retention = g_strdup (entry->retention);
  copy->notes = g_strdup (entry->notes);
  copy->axes = copy_axes (entry->axes);
  copy->reason = g_strdup (entry->reason);
  copy->lowered = entry->lowered;
  copy->created_by = g_strdup (entry->created_by);
  copy->created_at = g_strdup (entry->created_at);
  copy->updated_by = g_strdup (entry->updated_by);
  copy->updated_at = g_strdup (entry->updated_at);
  return copy;
}

void
mamori_register_entry_free (MamoriRegisterEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->qualifier);
  g_free (entry->category);
  g_free (entry->level);
  g_free (entry->location);
  g_free (entry->custodian);
  g_free (entry->takeout);
  g_free (entry->retention);
  g_free (entry->notes);
  g_clear_pointer (&entry->axes, g_hash_table_unref);
  g_free (entry->reason);
  g_free (entry->created_by);
  g_free (entry->created_at);
  g_free (entry->updated_by);
  g_free (entry->updated_at);
  g_free (entry);
}

const char *
mamori_register_field_to_string (MamoriRegisterField field)
{
  g_return_val_if_fail (field < MAMORI_REGISTER_N_FIELDS, NULL);
  return fields[field].id;
}

gboolean
mamori_register_field_from_string (const char *text, MamoriRegisterField *out_field)
{
  for (guint i = 0; text != NULL && i < MAMORI_REGISTER_N_FIELDS; i++)
    if (g_str_equal (fields[i].id, text))
      {
        *out_field = i;
        return TRUE;
      }
  return FALSE;
}

const char *
mamori_register_field_get_header (MamoriRegisterField field)
{
  g_return_val_if_fail (field < MAMORI_REGISTER_N_FIELDS, NULL);
  return fields[field].header;
}

const char *
mamori_register_field_get_label (MamoriRegisterField field)
{
  g_return_val_if_fail (field < MAMORI_REGISTER_N_FIELDS, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "register field", fields[field].label);
}

const char *
mamori_medium_to_string (MamoriMedium medium)
{
  g_return_val_if_fail (medium < MAMORI_N_MEDIA, NULL);
  return medium == MAMORI_MEDIUM_UNSET ? NULL : media[medium].id;
}

gboolean
mamori_medium_from_string (const char *text, MamoriMedium *out_medium)
{
  for (guint i = MAMORI_MEDIUM_PAPER; text != NULL && i < MAMORI_N_MEDIA; i++)
    if (g_str_equal (media[i].id, text))
      {
        *out_medium = i;
        return TRUE;
      }
  return FALSE;
}

const char *
mamori_medium_get_word (MamoriMedium medium)
{
  g_return_val_if_fail (medium < MAMORI_N_MEDIA, NULL);
  return media[medium].word;
}

const char *
mamori_medium_get_label (MamoriMedium medium)
{
  g_return_val_if_fail (medium < MAMORI_N_MEDIA, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "medium", media[medium].label);
}

gboolean
mamori_medium_parse (const char *text, MamoriMedium *out_medium)
{
  /* What Excel users write for "both", after normalisation drops 「・」 and spaces. */
  static const char *const both[]
      = { "両方", "紙電子", "紙/電子", "電子紙", "電子/紙", "紙と電子" };
  g_autofree char *normal = text != NULL ? mamori_normalize (text) : NULL;

  if (normal == NULL || *normal == '\0')
    {
      *out_medium = MAMORI_MEDIUM_UNSET;
      return TRUE;
    }
  if (mamori_medium_from_string (normal, out_medium))
    return TRUE;
  for (guint i = MAMORI_MEDIUM_PAPER; i < MAMORI_N_MEDIA; i++)
    if (g_str_equal (normal, media[i].word))
      {
        *out_medium = i;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    if (g_str_equal (normal, both[i]))
      {
        *out_medium = MAMORI_MEDIUM_BOTH;
        return TRUE;
      }
  return FALSE;
}

const char *
mamori_register_takeout_word (MamoriTakeoutRule rule)
{
  g_return_val_if_fail (rule <= MAMORI_TAKEOUT_FREE, NULL);
  return takeout_words[rule];
}

gboolean
mamori_register_takeout_parse (const char *text, MamoriTakeoutRule *out_rule)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return FALSE;
  if (mamori_takeout_rule_from_string (text, out_rule))
    return TRUE;
  normal = mamori_normalize (text);
  for (guint i = 0; i < G_N_ELEMENTS (takeout_words); i++)
    {
      g_autofree char *word = mamori_normalize (takeout_words[i]);
      g_autofree char *label = mamori_normalize (mamori_takeout_rule_get_label (i));

      if (g_str_equal (normal, word) || g_str_equal (normal, label))
        {
          *out_rule = i;
          return TRUE;
        }
    }
  return FALSE;
}

static char **
text_slot (MamoriRegisterEntry *entry, MamoriRegisterField field)
{
  switch (field)
    {
    case MAMORI_REGISTER_FIELD_NAME:
      return &entry->name;
    case MAMORI_REGISTER_FIELD_QUALIFIER:
      return &entry->qualifier;
    case MAMORI_REGISTER_FIELD_CATEGORY:
      return &entry->category;
    case MAMORI_REGISTER_FIELD_LEVEL:
      return &entry->level;
    case MAMORI_REGISTER_FIELD_LOCATION:
      return &entry->location;
    case MAMORI_REGISTER_FIELD_CUSTODIAN:
      return &entry->custodian;
    case MAMORI_REGISTER_FIELD_TAKEOUT:
      return &entry->takeout;
    case MAMORI_REGISTER_FIELD_RETENTION:
      return &entry->retention;
    case MAMORI_REGISTER_FIELD_NOTES:
      return &entry->notes;
    case MAMORI_REGISTER_FIELD_REASON:
      return &entry->reason;
    case MAMORI_REGISTER_FIELD_MEDIUM:
    case MAMORI_REGISTER_FIELD_AXES:
    default:
      return NULL;
    }
}

void
mamori_register_entry_set_text (MamoriRegisterEntry *entry,
                                MamoriRegisterField field,
                                const char *text)
{
  char **slot = text_slot (entry, field);

  g_return_if_fail (slot != NULL);
  g_free (*slot);
  *slot = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* qsort() hands the comparison pointers to the elements: here, to strings. */
static int
compare_ids (const void *a, const void *b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static char *
axes_text (GHashTable *axes)
{
  g_autofree const char **ids = NULL;
  g_autoptr (GString) text = NULL;
  guint n;

  if (axes == NULL || g_hash_table_size (axes) == 0)
    return NULL;
  ids = (const char **)g_hash_table_get_keys_as_array (axes, &n);
  qsort (ids, n, sizeof *ids, compare_ids);
  text = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s=%s", i > 0 ? ", " : "", ids[i],
                            (const char *)g_hash_table_lookup (axes, ids[i]));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
mamori_register_entry_dup_value (const MamoriRegisterEntry *entry, MamoriRegisterField field)
{
  if (field == MAMORI_REGISTER_FIELD_AXES)
    return axes_text (entry->axes);
  if (field == MAMORI_REGISTER_FIELD_MEDIUM)
    return g_strdup (mamori_medium_to_string (entry->medium));
  return g_strdup (*text_slot ((MamoriRegisterEntry *)entry, field));
}

gboolean
mamori_register_entry_field_differs (const MamoriRegisterEntry *a,
                                     const MamoriRegisterEntry *b,
                                     MamoriRegisterField field)
{
  g_autofree char *text_a = mamori_register_entry_dup_value (a, field);
  g_autofree char *text_b = mamori_register_entry_dup_value (b, field);

  return g_strcmp0 (text_a, text_b) != 0;
}

gboolean
mamori_register_entry_same_fields (const MamoriRegisterEntry *a, const MamoriRegisterEntry *b)
{
  for (guint i = 0; i < MAMORI_REGISTER_N_FIELDS; i++)
    if (mamori_register_entry_field_differs (a, b, i))
      return FALSE;
  return TRUE;
}

char *
mamori_register_entry_key (const MamoriRegisterEntry *entry)
{
  g_autofree char *name = mamori_normalize (entry->name != NULL ? entry->name : "");
  g_autofree char *qualifier = mamori_normalize (entry->qualifier != NULL ? entry->qualifier : "");
  g_autofree char *location = mamori_normalize (entry->location != NULL ? entry->location : "");

  /* U+001F cannot occur in the parts: control characters are refused in every field. */
  return g_strconcat (name, "\x1f", qualifier, "\x1f", location, NULL);
}

/* What people may write for a policy's categories, levels and axis values, normalised
 * (mamori_normalize()), and its template's assets by name and qualifier: made once per
 * policy and kept on it, for an import reads the same few words 100,000 times. */
typedef struct
{
  GHashTable *categories;  /* word → category id */
  GHashTable *levels;      /* word → MamoriLevel */
  GHashTable *axis_values; /* "axis id\x1fword" → MamoriAxisValue */
  GHashTable *templates;   /* "name\x1fqualifier" → MamoriAsset */
} PolicyWords;

static void
policy_words_free (PolicyWords *words)
{
  g_hash_table_unref (words->categories);
  g_hash_table_unref (words->levels);
  g_hash_table_unref (words->axis_values);
  g_hash_table_unref (words->templates);
  g_free (words);
}

static void
add_word (GHashTable *table, const char *prefix, const char *text, gpointer value)
{
  g_autofree char *normal = mamori_normalize (text);

  g_hash_table_insert (table, g_strconcat (prefix, normal, NULL), value);
}

static char *
template_key (const char *name, const char *qualifier)
{
  return g_strconcat (name, "\x1f", qualifier != NULL ? qualifier : "", NULL);
}

static void
add_axis_words (PolicyWords *words, MamoriPolicy *policy)
{
  GListModel *axes = mamori_policy_get_axes (policy);

  for (guint a = 0; a < g_list_model_get_n_items (axes); a++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, a);
      GListModel *values = mamori_axis_get_values (axis);
      g_autofree char *prefix = g_strconcat (mamori_axis_get_id (axis), "\x1f", NULL);

      for (guint v = 0; v < g_list_model_get_n_items (values); v++)
        {
          g_autoptr (MamoriAxisValue) value = g_list_model_get_item (values, v);

          add_word (words->axis_values, prefix, mamori_axis_value_get_id (value), value);
          add_word (words->axis_values, prefix, mamori_axis_value_get_label (value), value);
        }
    }
}

static PolicyWords *
policy_words (MamoriPolicy *policy)
{
  PolicyWords *words = g_object_get_data (G_OBJECT (policy), "mamori-register-words");
  const char *const *ids = mamori_policy_get_category_ids (policy);
  GListModel *levels = mamori_policy_get_levels (policy);
  GListModel *assets = mamori_policy_get_assets (policy);

  if (words != NULL)
    return words;
  words = g_new0 (PolicyWords, 1);
  words->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  words->levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  words->axis_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  words->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      add_word (words->categories, "", ids[i], (gpointer)ids[i]);
      add_word (words->categories, "", mamori_policy_get_category_label (policy, ids[i]),
                (gpointer)ids[i]);
    }
  for (guint i = 0; i < g_list_model_get_n_items (levels); i++)
    {
      g_autoptr (MamoriLevel) level = g_list_model_get_item (levels, i);

      add_word (words->levels, "", mamori_level_get_id (level), level);
      add_word (words->levels, "", mamori_level_get_label (level), level);
    }
  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);

      g_hash_table_insert (
          words->templates,
          template_key (mamori_asset_get_name (asset), mamori_asset_get_qualifier (asset)), asset);
    }
  add_axis_words (words, policy);
  g_object_set_data_full (G_OBJECT (policy), "mamori-register-words", words,
                          (GDestroyNotify)policy_words_free);
  return words;
}

const char *
mamori_register_find_category (MamoriPolicy *policy, const char *text)
{
  g_autofree char *normal = mamori_normalize (text);

  return g_hash_table_lookup (policy_words (policy)->categories, normal);
}

MamoriLevel *
mamori_register_find_level (MamoriPolicy *policy, const char *text)
{
  g_autofree char *normal = mamori_normalize (text);

  return g_hash_table_lookup (policy_words (policy)->levels, normal);
}

MamoriAxisValue *
mamori_register_find_axis_value (MamoriPolicy *policy, MamoriAxis *axis, const char *text)
{
  g_autofree char *normal = mamori_normalize (text);
  g_autofree char *key = g_strconcat (mamori_axis_get_id (axis), "\x1f", normal, NULL);

  return g_hash_table_lookup (policy_words (policy)->axis_values, key);
}

MamoriAsset *
mamori_register_find_template (MamoriPolicy *policy, const char *name, const char *qualifier)
{
  g_autofree char *key = NULL;

  if (name == NULL)
    return NULL;
  key = template_key (name, qualifier);
  return g_hash_table_lookup (policy_words (policy)->templates, key);
}

MamoriRegisterEntry *
mamori_register_entry_new_from_template (MamoriAsset *asset, MamoriPolicy *policy)
{
  MamoriRegisterEntry *entry = mamori_register_entry_new ();
  GListModel *axes = mamori_policy_get_axes (policy);

  entry->name = g_strdup (mamori_asset_get_name (asset));
  entry->qualifier = g_strdup (mamori_asset_get_qualifier (asset));
  entry->category = g_strdup (mamori_asset_get_category_id (asset));
  entry->level = g_strdup (mamori_level_get_id (mamori_asset_get_level (asset)));
  for (guint i = 0; i < g_list_model_get_n_items (axes); i++)
    {
      g_autoptr (MamoriAxis) axis = g_list_model_get_item (axes, i);
      MamoriAxisValue *value = mamori_asset_get_axis_value (asset, mamori_axis_get_id (axis));

      if (value == NULL)
        continue;
      if (entry->axes == NULL)
        entry->axes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (entry->axes, g_strdup (mamori_axis_get_id (axis)),
                           g_strdup (mamori_axis_value_get_id (value)));
    }
  return entry;
}

GPtrArray *
mamori_register_template_missing (MamoriPolicy *policy, GPtrArray *entries)
{
  g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *assets = mamori_policy_get_assets (policy);
  GPtrArray *missing = g_ptr_array_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      MamoriRegisterEntry *entry = g_ptr_array_index (entries, i);

      g_hash_table_add (present, g_strconcat (entry->name, "\x1f", entry->qualifier, NULL));
    }
  for (guint i = 0; i < g_list_model_get_n_items (assets); i++)
    {
      g_autoptr (MamoriAsset) asset = g_list_model_get_item (assets, i);
      g_autofree char *key = g_strconcat (mamori_asset_get_name (asset), "\x1f",
                                          mamori_asset_get_qualifier (asset), NULL);

      if (!g_hash_table_contains (present, key))
        g_ptr_array_add (missing, asset);
    }
  return missing;
}

void
mamori_register_problem_free (MamoriRegisterProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray *problems, MamoriRegisterField field, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
add_problem (GPtrArray *problems, MamoriRegisterField field, const char *format, ...)
{
  MamoriRegisterProblem *problem = g_new0 (MamoriRegisterProblem, 1);
  va_list args;

  problem->field = field;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, problem);
}

/* Characters that are not text, or change how text is displayed.  Line breaks are
 * allowed in notes only. */
static gboolean
is_forbidden (gunichar c, gboolean multiline)
{
  if (multiline && c == '\n')
    return FALSE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* NFC, white space trimmed, CRLF as LF; NULL when nothing is left. */
static char *
clean_text (const char *text)
{
  g_autofree char *nfc = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *joined = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  lines = g_strsplit (nfc, "\r\n", -1);
  joined = g_strjoinv ("\n", lines);
  g_strstrip (joined);
  /* g_strstrip() knows ASCII white space only; the ideographic space is common. */
  while (g_str_has_prefix (joined, "　"))
    memmove (joined, joined + 3, strlen (joined + 3) + 1);
  while (g_str_has_suffix (joined, "　"))
    joined[strlen (joined) - 3] = '\0';
  if (*joined == '\0')
    return NULL;
  return g_steal_pointer (&joined);
}

static void
check_text (GPtrArray *problems, MamoriRegisterField field, char **text)
{
  g_autofree char *clean = clean_text (*text);
  guint max
      = field == MAMORI_REGISTER_FIELD_NAME ? MAMORI_REGISTER_NAME_MAX : MAMORI_REGISTER_TEXT_MAX;
  const char *label = mamori_register_field_get_label (field);

  g_free (*text);
  *text = g_steal_pointer (&clean);
  if (*text == NULL)
    return;
  if (!g_utf8_validate (*text, -1, NULL))
    {
      add_problem (problems, field, _ ("%s is not valid text"), label);
      return;
    }
  if (g_utf8_strlen (*text, -1) > max)
    {
      g_autofree char *number = g_strdup_printf ("%u", max);

      add_problem (problems, field, _ ("%s is longer than %s characters"), label, number);
      return;
    }
  for (const char *p = *text; *p != '\0'; p = g_utf8_next_char (p))
    if (is_forbidden (g_utf8_get_char (p), field == MAMORI_REGISTER_FIELD_NOTES))
      {
        g_autofree char *code = g_strdup_printf ("U+%04X", g_utf8_get_char (p));

        add_problem (problems, field, _ ("%s contains the control character %s"), label, code);
        return;
      }
}

static void
check_axes (GPtrArray *problems, MamoriRegisterEntry *entry, MamoriPolicy *policy)
{
  GHashTableIter iter;
  gpointer key, value;

  if (entry->axes == NULL)
    return;
  if (g_hash_table_size (entry->axes) == 0)
    {
      g_clear_pointer (&entry->axes, g_hash_table_unref);
      return;
    }
  g_hash_table_iter_init (&iter, entry->axes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MamoriAxis *axis = mamori_policy_lookup_axis (policy, key);

      if (axis == NULL)
        add_problem (problems, MAMORI_REGISTER_FIELD_AXES,
                     _ ("The classification scheme has no axis “%s”"), (const char *)key);
      else if (mamori_axis_lookup_value (axis, value) == NULL)
        add_problem (problems, MAMORI_REGISTER_FIELD_AXES, _ ("%s has no value “%s”"),
                     mamori_axis_get_label (axis), (const char *)value);
    }
}

MamoriLevel *
mamori_register_entry_get_level (const MamoriRegisterEntry *entry, MamoriPolicy *policy)
{
  return entry->level != NULL ? mamori_policy_lookup_level (policy, entry->level) : NULL;
}

MamoriTakeoutRule
mamori_register_entry_get_takeout (const MamoriRegisterEntry *entry, MamoriPolicy *policy)
{
  MamoriLevel *level = mamori_register_entry_get_level (entry, policy);
  MamoriTakeoutRule rule;

  if (entry->takeout != NULL && mamori_takeout_rule_from_string (entry->takeout, &rule))
    return rule;
  return level != NULL ? mamori_level_get_takeout_rule (level) : MAMORI_TAKEOUT_FORBIDDEN;
}

static void
check_level (GPtrArray *problems, MamoriRegisterEntry *entry, MamoriPolicy *policy)
{
  MamoriLevel *level = mamori_register_entry_get_level (entry, policy);
  MamoriAsset *template;
  MamoriTakeoutRule rule;

  entry->lowered = FALSE;
  if (entry->level == NULL)
    {
      add_problem (problems, MAMORI_REGISTER_FIELD_LEVEL, _ ("The level is missing"));
      return;
    }
  if (level == NULL)
    {
      add_problem (problems, MAMORI_REGISTER_FIELD_LEVEL, _ ("The policy has no level “%s”"),
                   entry->level);
      return;
    }
  if (entry->takeout != NULL)
    {
      if (!mamori_takeout_rule_from_string (entry->takeout, &rule))
        add_problem (problems, MAMORI_REGISTER_FIELD_TAKEOUT, _ ("Unknown take-out rule “%s”"),
                     entry->takeout);
      /* The rules run from the strictest; an entry may only be stricter than its level. */
      else if (rule > mamori_level_get_takeout_rule (level))
        add_problem (problems, MAMORI_REGISTER_FIELD_TAKEOUT,
                     _ ("“%s” is laxer than the rule of %s (“%s”)"),
                     mamori_takeout_rule_get_label (rule), mamori_level_get_label (level),
                     mamori_takeout_rule_get_label (mamori_level_get_takeout_rule (level)));
      else if (rule == mamori_level_get_takeout_rule (level))
        g_clear_pointer (&entry->takeout, g_free);
    }
  template = mamori_register_find_template (policy, entry->name, entry->qualifier);
  if (template != NULL
      && mamori_level_get_rank (level) > mamori_level_get_rank (mamori_asset_get_level (template)))
    entry->lowered = TRUE;
  if (entry->lowered && entry->reason == NULL)
    add_problem (problems, MAMORI_REGISTER_FIELD_REASON,
                 _ ("The policy gives this asset %s: a lower level needs a reason"),
                 mamori_level_get_label (mamori_asset_get_level (template)));
  if (!entry->lowered)
    g_clear_pointer (&entry->reason, g_free);
}

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const MamoriRegisterProblem *pa = *(MamoriRegisterProblem *const *)a;
  const MamoriRegisterProblem *pb = *(MamoriRegisterProblem *const *)b;

  return (int)pa->field - (int)pb->field;
}

GPtrArray *
mamori_register_entry_check (MamoriRegisterEntry *entry, MamoriPolicy *policy)
{
  GPtrArray *problems
      = g_ptr_array_new_with_free_func ((GDestroyNotify)mamori_register_problem_free);
  char **texts[] = {
    &entry->name,      &entry->qualifier, &entry->category,  &entry->level, &entry->location,
    &entry->custodian, &entry->takeout,   &entry->retention, &entry->notes, &entry->reason,
  };
  const MamoriRegisterField text_fields[] = {
    MAMORI_REGISTER_FIELD_NAME,    MAMORI_REGISTER_FIELD_QUALIFIER, MAMORI_REGISTER_FIELD_CATEGORY,
    MAMORI_REGISTER_FIELD_LEVEL,   MAMORI_REGISTER_FIELD_LOCATION,  MAMORI_REGISTER_FIELD_CUSTODIAN,
    MAMORI_REGISTER_FIELD_TAKEOUT, MAMORI_REGISTER_FIELD_RETENTION, MAMORI_REGISTER_FIELD_NOTES,
    MAMORI_REGISTER_FIELD_REASON,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (texts) == G_N_ELEMENTS (text_fields));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    check_text (problems, text_fields[i], texts[i]);
  if (problems->len > 0)
    return problems;

  if (entry->name == NULL)
    add_problem (problems, MAMORI_REGISTER_FIELD_NAME, _ ("The name is missing"));
  if (entry->category == NULL)
    add_problem (problems, MAMORI_REGISTER_FIELD_CATEGORY, _ ("The category is missing"));
  else if (mamori_policy_get_category_label (policy, entry->category) == NULL)
    add_problem (problems, MAMORI_REGISTER_FIELD_CATEGORY, _ ("The policy has no category “%s”"),
                 entry->category);
  if (entry->medium >= MAMORI_N_MEDIA)
    add_problem (problems, MAMORI_REGISTER_FIELD_MEDIUM, _ ("Unknown medium"));
  check_level (problems, entry, policy);
  check_axes (problems, entry, policy);
  g_ptr_array_sort (problems, compare_problems);
  return problems;
}
