/* mamori-takeout-page.h — 持ち出し: take-out requests, and the approvers' queue
 *
 * A column view of requests (状態, 申請者, 情報資産, 重要度, 期間, 目的): those waiting for
 * an approver, one's own, those out past or near the end of their period (the earliest
 * due first), or all.  Anyone files a new request (MamoriTakeoutRequestDialog) and
 * sees the blanket approvals (MamoriTakeoutGrantDialog).  An approver approves, declines
 * (with a reason), approves with a blanket approval and confirms returns; the records
 * decide whether they may (nobody decides their own request).  It
 * follows the session: a locked vault shows nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mamori-session.h"

G_BEGIN_DECLS

#define MAMORI_TYPE_TAKEOUT_PAGE (mamori_takeout_page_get_type ())
G_DECLARE_FINAL_TYPE (MamoriTakeoutPage, mamori_takeout_page, MAMORI, TAKEOUT_PAGE, AdwBin)

typedef enum
{
  MAMORI_TAKEOUT_VIEW_QUEUE,
  MAMORI_TAKEOUT_VIEW_MINE,
  MAMORI_TAKEOUT_VIEW_DUE,
  MAMORI_TAKEOUT_VIEW_DECLINED,
  MAMORI_TAKEOUT_VIEW_ALL,
} MamoriTakeoutView;

void
mamori_takeout_page_set_session (MamoriTakeoutPage *self, MamoriSession *session);
/* Reads the requests from the vault again. */
void
mamori_takeout_page_reload (MamoriTakeoutPage *self);
void
mamori_takeout_page_set_view (MamoriTakeoutPage *self, MamoriTakeoutView view);
/* The rows shown (MamoriTakeoutRow), in a selection. */
GtkSingleSelection *
mamori_takeout_page_get_selection (MamoriTakeoutPage *self);
/* How many requests wait for the unlocked user's decision (the window's badge): none for
 * someone who approves nothing. */
guint
mamori_takeout_page_get_queue_count (MamoriTakeoutPage *self);
/* The session's vault while it is unlocked, else NULL. */
MamoriVault *
mamori_takeout_page_get_vault (MamoriTakeoutPage *self);

G_END_DECLS
