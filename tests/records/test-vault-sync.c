/* test-vault-sync.c — a vault's side of sync (mamori-vault-sync.h): joining a board, the
 * outbox, pages pulled from the board, the board restored from an older copy, an event
 * the board refused, and a page the records refuse
 *
 * Two computers of one school are two copies of its vault (the principal's, and the
 * office's); the board is a plain copy of the records, as mamori-board keeps them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "records-board.h"
#include "mamori-event-log.h"
#include "mamori-level.h"
#include "mamori-policy.h"
#include "mamori-records-error.h"
#include "mamori-register.h"
#include "mamori-vault-sync.h"
#include "mamori-vault.h"
#include "vfs-test-util.h"

#define PRINCIPAL "校長 佐藤"
#define PRINCIPAL_PASS "principal sync pass"
#define OFFICE "事務 鈴木"
#define OFFICE_PASS "office sync pass"
#define EPOCH "e0000000000000000000000000000001"
#define URL "https://board.example.jp"

typedef struct
{
  char *dir;
  MamoriVault *principal; /* 職員室PC */
  MamoriVault *office;    /* 事務室PC, a copy of the same school's vault */
  Signer *board_key;
  MamoriDb *board;
  char *school_id;
  const char *epoch; /* the board store's */
} Fixture;

/* Pushes @vault's outbox to the board; the index of a refused event, or -1. */
static int
push (Fixture *f, MamoriVault *vault, GError **error)
{
  g_autoptr (GPtrArray) outbox = mamori_vault_sync_outbox (vault, 0, NULL);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  int refused;

  g_assert_nonnull (outbox);
  refused = board_take (f->board, f->school_id, outbox, seqs, error);
  if (refused < 0)
    {
      g_autoptr (GError) local_error = NULL;

      g_assert_true (
          mamori_vault_sync_acknowledge (vault, outbox, (const gint64 *)seqs->data, &local_error));
      g_assert_no_error (local_error);
    }
  return refused;
}

/* Pulls everything after @vault's cursor, in pages of @limit. */
static MamoriSyncApplied
pull (Fixture *f, MamoriVault *vault, guint limit)
{
  MamoriSyncApplied total = { 0 };

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MamoriBoardLink) link = mamori_vault_get_board_link (vault, &error);
      g_autoptr (GPtrArray) page = NULL;
      MamoriSyncApplied applied;
      gint64 next;

      g_assert_no_error (error);
      g_assert_nonnull (link);
      page = board_events_since (f->board, link->cursor, limit);
      next = page->len > 0 ? ((MamoriEvent *)page->pdata[page->len - 1])->server_seq : link->cursor;
      g_assert_true (mamori_vault_sync_receive (vault, f->epoch, page, next, &applied, &error));
      g_assert_no_error (error);
      g_assert_false (applied.epoch_changed);
      total.received += applied.received;
      total.refolded |= applied.refolded;
      if (page->len < limit)
        return total;
    }
}

static void
join (MamoriVault *vault, const Signer *board)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) certificate = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);

  g_assert_true (mamori_vault_join_board (vault, BOARD_ID, board->public_key, BOARD_NAME, URL,
                                          certificate, &error));
  g_assert_no_error (error);
}

/* A school with its own vault (佐藤 the principal, 鈴木 office staff) copied to a second
 * computer; the board has its history and has confirmed it (school-joined); both
 * computers pulled. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *principal_path = NULL, *office_path = NULL;
  g_autoptr (GArray) heads = NULL;
  g_autoptr (MamoriEvent) joined = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->dir = vfs_test_make_dir ();
  principal_path = g_build_filename (f->dir, "principal.mamori", NULL);
  office_path = g_build_filename (f->dir, "office.mamori", NULL);
  f->principal
      = mamori_vault_create (principal_path, "さくら小学校", PRINCIPAL, MAMORI_ROLE_PRINCIPAL,
                             PRINCIPAL_PASS, test_keep_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      mamori_vault_add_user (f->principal, OFFICE, MAMORI_ROLE_OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  f->school_id = g_strdup (mamori_vault_get_school_id (f->principal));
  mamori_vault_lock (f->principal);
  test_copy_vault (principal_path, office_path);
  g_clear_object (&f->principal);

  f->epoch = EPOCH;
  f->board_key = signer_new ();
  f->board = db_new ();
  pin (f->board, f->board_key);
  f->principal = test_open_as (principal_path, PRINCIPAL, PRINCIPAL_PASS);
  join (f->principal, f->board_key);
  g_assert_cmpint (push (f, f->principal, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpint (test_count_unsent (f->principal), ==, 0);

  /* The board confirms the history it now holds. */
  heads = mamori_event_log_heads (f->board, f->school_id, &error);
  g_assert_no_error (error);
  joined = sign_next (f->board, f->board_key, f->school_id, MAMORI_EVENT_SCHOOL_JOINED,
                      mamori_roster_school_joined_body (BOARD_ID, f->board_key->public_key, heads));
  g_ptr_array_add (batch, joined);
  g_assert_cmpint (board_take (f->board, f->school_id, batch, seqs, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpuint (pull (f, f->principal, 100).received, ==, 1);

  /* The second computer: the principal joins it too, then 鈴木 works on it. */
  f->office = test_open_as (office_path, PRINCIPAL, PRINCIPAL_PASS);
  join (f->office, f->board_key);
  mamori_vault_lock (f->office);
  g_assert_true (mamori_vault_unlock (f->office, OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pull (f, f->office, 100).received, ==, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->principal);
  g_clear_object (&f->office);
  g_clear_pointer (&f->board, db_free);
  g_clear_pointer (&f->board_key, signer_free);
  vfs_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->school_id);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

/* The names in @vault's register, sorted, joined by commas. */
static char *
register_names (MamoriVault *vault)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = mamori_register_list (mamori_vault_get_store (vault), &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (names, ((MamoriRegisterEntry *)entries->pdata[i])->name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **)names->pdata);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriBoardLink) link = NULL;
  g_autofree char *names = NULL;

  /* Written on one computer, it waits in the outbox until the board has it… */
  test_add_entry (f->office, "指導要録");
  test_add_entry (f->office, "出席簿");
  g_assert_cmpint (test_count_unsent (f->office), ==, 2);
  g_assert_cmpint (push (f, f->office, &error), ==, -1);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);

  /* …and reaches the other in pages, whatever their size; a page pulled twice adds
   * nothing. */
  g_assert_cmpuint (pull (f, f->principal, 1).received, ==, 2);
  names = register_names (f->principal);
  g_assert_cmpstr (names, ==, "出席簿,指導要録");
  g_assert_cmpuint (pull (f, f->principal, 100).received, ==, 0);

  link = mamori_vault_get_board_link (f->principal, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link->url, ==, URL);
  g_assert_cmpstr (link->epoch, ==, EPOCH);
  g_assert_cmpuint (g_bytes_get_size (link->certificate), ==, 32);
  g_assert_true (mamori_vault_verify (f->principal, &error));
  g_assert_no_error (error);

  /* Both computers, and the board, hold the same events. */
  {
    gint64 on_board, on_principal, on_office;

    g_assert_true (mamori_event_log_count (f->board, &on_board, NULL));
    g_assert_true (
        mamori_event_log_count (mamori_vault_get_store (f->principal), &on_principal, NULL));
    g_assert_cmpuint (pull (f, f->office, 100).received, ==, 0);
    g_assert_true (mamori_event_log_count (mamori_vault_get_store (f->office), &on_office, NULL));
    g_assert_cmpint (on_principal, ==, on_board);
    g_assert_cmpint (on_office, ==, on_board);
  }
}

static void
test_join_needs_an_administrator (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Signer) other = signer_new ();

  /* Office staff cannot make a board of their choosing an administrator of the school. */
  mamori_vault_lock (f->office);
  g_assert_true (mamori_vault_unlock (f->office, OFFICE, OFFICE_PASS, &error));
  g_assert_false (mamori_vault_join_board (f->office, BOARD_ID, f->board_key->public_key,
                                           BOARD_NAME, "https://elsewhere.example", NULL, &error));
  g_assert_error (error, MAMORI_VAULT_ERROR, MAMORI_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Nor does an administrator swap the pinned board for another. */
  g_assert_false (mamori_vault_join_board (f->principal, "0123456789abcdef0123456789abcdef",
                                           other->public_key, "別の教育委員会", URL, NULL, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_CONFLICT);
}

static void
test_board_restored (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MamoriDb) restored = db_new ();
  g_autoptr (GPtrArray) everything = NULL;
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) nothing = g_ptr_array_new ();
  MamoriSyncApplied applied;
  g_autofree char *names = NULL;

  /* The board's backup was taken now… */
  everything = board_events_since (f->board, 0, 1000);
  pin (restored, f->board_key);
  g_assert_cmpint (board_take (restored, f->school_id, everything, seqs, &error), ==, -1);
  g_assert_no_error (error);

  /* …then 鈴木 adds two entries, and the board is restored from the backup. */
  test_add_entry (f->office, "指導要録");
  test_add_entry (f->office, "出席簿");
  g_assert_cmpint (push (f, f->office, &error), ==, -1);
  g_clear_pointer (&f->board, db_free);
  f->board = g_steal_pointer (&restored);

  f->epoch = "e0000000000000000000000000000002";

  /* A page from the new epoch applies nothing, but every number is forgotten: all of
   * the office's events are to be pushed again, and the cursor starts from 0. */
  for (guint i = 0; i < 2; i++)
    {
      MamoriVault *vault = i == 0 ? f->office : f->principal;
      g_autoptr (MamoriBoardLink) link = NULL;

      g_assert_true (mamori_vault_sync_receive (vault, f->epoch, nothing, 0, &applied, &error));
      g_assert_no_error (error);
      g_assert_true (applied.epoch_changed);
      link = mamori_vault_get_board_link (vault, &error);
      g_assert_cmpint (link->cursor, ==, 0);
      g_assert_cmpstr (link->epoch, ==, f->epoch);
    }
  g_assert_cmpint (test_count_unsent (f->office), ==, (gint64)everything->len + 2);

  /* Pushed again, the board stores only what it lacked: nothing the office held is
   * lost, and the principal's computer gets it. */
  g_assert_cmpint (push (f, f->office, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpint (push (f, f->principal, &error), ==, -1);
  g_assert_no_error (error);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  g_assert_cmpint (test_count_unsent (f->principal), ==, 0);
  {
    gint64 on_board;

    g_assert_true (mamori_event_log_count (f->board, &on_board, NULL));
    g_assert_cmpint (on_board, ==, (gint64)everything->len + 2);
  }
  g_assert_cmpuint (pull (f, f->principal, 100).received, ==, 2);
  g_assert_cmpuint (pull (f, f->office, 100).received, ==, 0);
  names = register_names (f->principal);
  g_assert_cmpstr (names, ==, "出席簿,指導要録");
}

static void
test_refused_by_the_board (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) outbox = NULL;
  g_autoptr (GPtrArray) removed = NULL;
  g_autofree char *names = NULL;
  MamoriRole role;

  /* The principal makes 鈴木 a teacher; before the office computer hears of it, 鈴木
   * adds an entry there, as office staff may. */
  g_assert_true (mamori_vault_set_role (f->principal, OFFICE, MAMORI_ROLE_TEACHER, &error));
  g_assert_no_error (error);
  g_assert_cmpint (push (f, f->principal, &error), ==, -1);
  test_add_entry (f->office, "指導要録");
  test_add_entry (f->office, "出席簿");

  /* The board refuses the first: 鈴木 is a teacher now. */
  outbox = mamori_vault_sync_outbox (f->office, 0, &error);
  g_assert_cmpint (push (f, f->office, &error), ==, 0);
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_NOT_PERMITTED);
  g_clear_error (&error);

  /* Both are undone (the second follows the first in 鈴木's chain), and the records are
   * as if they had never been written. */
  removed = mamori_vault_sync_undo_refused (f->office, outbox->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_cmpint (test_count_unsent (f->office), ==, 0);
  names = register_names (f->office);
  g_assert_cmpstr (names, ==, "");
  pull (f, f->office, 100);
  g_assert_true (mamori_vault_lookup_role (f->office, OFFICE, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);

  /* 鈴木, unlocked, is a teacher from the moment it arrived, and the key file says so:
   * the next unlock finds it as the roster has it. */
  g_assert_true (mamori_vault_get_role (f->office, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
  mamori_vault_lock (f->office);
  g_assert_true (mamori_vault_unlock (f->office, OFFICE, OFFICE_PASS, &error));
  g_assert_no_error (error);
  g_assert_true (mamori_vault_get_role (f->office, &role));
  g_assert_cmpint (role, ==, MAMORI_ROLE_TEACHER);
  g_assert_true (mamori_vault_verify (f->office, &error));
  g_assert_no_error (error);
}

static void
test_page_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (MamoriBoardLink) before = NULL, after = NULL;
  g_autofree char *names = NULL;
  MamoriEvent *forged;

  test_add_entry (f->office, "指導要録");
  test_add_entry (f->office, "出席簿");
  g_assert_cmpint (push (f, f->office, &error), ==, -1);

  /* A page whose second event was altered on the way: nothing of it is applied, and the
   * cursor stays where it was. */
  before = mamori_vault_get_board_link (f->principal, &error);
  page = board_events_since (f->board, before->cursor, 100);
  g_assert_cmpuint (page->len, ==, 2);
  forged = page->pdata[1];
  forged->sig[0] ^= 1;
  g_assert_false (
      mamori_vault_sync_receive (f->principal, EPOCH, page, forged->server_seq, NULL, &error));
  g_assert_error (error, MAMORI_RECORDS_ERROR, MAMORI_RECORDS_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  after = mamori_vault_get_board_link (f->principal, &error);
  g_assert_cmpint (after->cursor, ==, before->cursor);
  names = register_names (f->principal);
  g_assert_cmpstr (names, ==, "");
  g_assert_cmpuint (pull (f, f->principal, 100).received, ==, 2);
}

int
main (int argc, char **argv)
{
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  vfs_test_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/vault-sync/round-trip", test_round_trip);
  ADD ("/vault-sync/join-needs-an-administrator", test_join_needs_an_administrator);
  ADD ("/vault-sync/board-restored", test_board_restored);
  ADD ("/vault-sync/refused-by-the-board", test_refused_by_the_board);
  ADD ("/vault-sync/page-refused", test_page_refused);
#undef ADD
  return g_test_run ();
}
