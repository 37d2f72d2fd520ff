/* mamori-session-register.h — reading the register for the page, and importing a
 * register file, as session jobs
 *
 * Reading 100,000 entries for the page's table or its places takes a second; reading a
 * file of 100,000 rows and checking it against the register takes seconds, signing it
 * more: all run in a worker thread as session jobs (mamori-session.c), with the session
 * "busy" meanwhile, so that nothing else touches the vault and a lock asked for meanwhile
 * waits for the job to end.  A reading waits for the vault to be free; an import needs an
 * unlocked session that is not busy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mamori-register-import.h"
#include "mamori-register-table.h"
#include "mamori-session.h"

G_BEGIN_DECLS

/* Reads the register's present entries for a MamoriRegisterTable, with the labels of
 * @policy (mamori_register_snapshot_read()), as soon as no other job has the vault
 * (G_IO_ERROR_CLOSED if it is locked first).  @cancellable stops the reading within a
 * few thousand rows: G_IO_ERROR_CANCELLED. */
void
mamori_session_register_read_async (MamoriSession *self,
                                    MamoriPolicy *policy,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
/* What was read, for mamori_register_table_take_snapshot(), or NULL with @error. */
MamoriRegisterSnapshot *
mamori_session_register_read_finish (MamoriSession *self, GAsyncResult *result, GError **error);

/* Reads the register's present entries and folds them into their places at their
 * highest level (mamori_register_places_read()), as mamori_session_register_read_async()
 * does; cancelled between the two. */
void
mamori_session_register_read_places_async (MamoriSession *self,
                                           MamoriPolicy *policy,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
/* The MamoriRegisterPlace (owning their entries), or NULL with @error. */
GPtrArray *
mamori_session_register_read_places_finish (MamoriSession *self,
                                            GAsyncResult *result,
                                            GError **error);

/* Reads @data (a register file named @file_name) against @policy and the register's
 * present entries: what importing it would do (mamori_register_import_prepare()).
 * Changes nothing.  @cancellable stops it between its steps (reading the register,
 * handing the preview back) and within a thousand rows while the file is checked:
 * G_IO_ERROR_CANCELLED. */
void
mamori_session_register_import_prepare_async (MamoriSession *self,
                                              MamoriPolicy *policy,
                                              GBytes *data,
                                              MamoriCsvEncoding encoding,
                                              const char *file_name,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
/* The import to show and then apply, or NULL with @error. */
MamoriRegisterImport *
mamori_session_register_import_prepare_finish (MamoriSession *self,
                                               GAsyncResult *result,
                                               GError **error);

/* Signs and stores @import (prepared, without errors; taken) whole or not at all
 * (mamori_register_import_apply()).  @cancellable stops it only before the thread has begun: a
 * signed import once begun is finished and reported. */
void
mamori_session_register_import_apply_async (MamoriSession *self,
                                            MamoriRegisterImport *import,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean
mamori_session_register_import_apply_finish (MamoriSession *self,
                                             GAsyncResult *result,
                                             GError **error);

G_END_DECLS
