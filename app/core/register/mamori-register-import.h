/* mamori-register-import.h — reading a register file, showing what it would change, and
 * applying it whole or not at all
 *
 * The file is CSV (mamori-csv.h) with a header row naming its columns in Japanese, in any
 * order: 名称, 分類 and 重要度 are required; 媒体, 保管場所, 取扱者, 保管期限, 備考, 区分
 * (the qualifier), 持ち出し, 重要度を下げる理由 and one column per further axis of the
 * scheme (完全性, 可用性) may follow.  A row is the entry with the same name, qualifier
 * and place (mamori_register_entry_key()) if the register has one — the columns in the
 * file replace its values — else a new entry.  Preparing changes nothing; applying signs
 * the whole file in batches (assets-imported) inside one transaction, so a file is
 * imported whole or not at all, and the same file imported twice changes nothing the
 * second time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-csv.h"
#include "mamori-register.h"

G_BEGIN_DECLS

typedef enum
{
  MAMORI_IMPORT_ROW_ADDED,
  MAMORI_IMPORT_ROW_CHANGED,
  MAMORI_IMPORT_ROW_UNCHANGED,
} MamoriImportRowKind;

typedef struct
{
  guint line;
  MamoriImportRowKind kind;
  MamoriRegisterEntry *before; /* the register's entry; NULL for an addition */
  MamoriRegisterEntry *after;  /* what the file makes of it */
} MamoriImportRow;

typedef struct
{
  char *file_name;
  MamoriCsvEncoding encoding; /* the one the file was read in */
  GPtrArray *errors;          /* MamoriCsvError, by line: any means nothing is imported */
  GPtrArray *rows;            /* MamoriImportRow, in file order */
  guint n_added;
  guint n_changed;
  guint n_unchanged;
} MamoriRegisterImport;

void
mamori_register_import_free (MamoriRegisterImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MamoriRegisterImport, mamori_register_import_free)

/* Reads @data against @policy and the register's present entries @current
 * (MamoriRegisterEntry).  Never fails: what is wrong is in ->errors. */
MamoriRegisterImport *
mamori_register_import_prepare (MamoriPolicy *policy,
                                GPtrArray *current,
                                GBytes *data,
                                MamoriCsvEncoding encoding,
                                const char *file_name);
/* The same, looking at @cancellable every thousand rows or so while the file is parsed
 * and checked (a file of 100,000 rows takes over a second): NULL with
 * G_IO_ERROR_CANCELLED once it is cancelled, else never NULL. */
MamoriRegisterImport *
mamori_register_import_prepare_cancellable (MamoriPolicy *policy,
                                            GPtrArray *current,
                                            GBytes *data,
                                            MamoriCsvEncoding encoding,
                                            const char *file_name,
                                            GCancellable *cancellable,
                                            GError **error);

/* Signs and appends the additions and changes of @import in one transaction.
 * MAMORI_REGISTER_ERROR_BAD_FILE when it has errors; any other error rolls everything
 * back. */
gboolean
mamori_register_import_apply (MamoriVault *vault, MamoriRegisterImport *import, GError **error);

/* Adds @entries (MamoriRegisterEntry, each checked against @policy and given an id) in
 * batches inside one transaction, as an import without a file: adding the template's
 * items.  MAMORI_REGISTER_ERROR_INVALID names the first entry that breaks a rule. */
gboolean
mamori_register_add_all (MamoriVault *vault,
                         MamoriPolicy *policy,
                         GPtrArray *entries,
                         GError **error);

/* The register as CSV: the columns above, the eight of the board's form first, one row
 * per entry in @entries (MamoriRegisterEntry). */
char *
mamori_register_export_csv (MamoriPolicy *policy, GPtrArray *entries);

typedef enum
{
  MAMORI_REGISTER_FILE_CSV_UTF8,
  MAMORI_REGISTER_FILE_CSV_CP932,
  MAMORI_REGISTER_FILE_XLSX, /* mamori-register-xlsx.h */
} MamoriRegisterFileFormat;

/* Writes @entries (MamoriRegisterEntry) to @path in @format; @path is replaced only by a
 * complete file.  A register holding characters CP932 has no form for cannot be written
 * as CP932: G_CONVERT_ERROR saying to write UTF-8. */
gboolean
mamori_register_export (MamoriPolicy *policy,
                        GPtrArray *entries,
                        MamoriRegisterFileFormat format,
                        const char *path,
                        GError **error);

G_END_DECLS
