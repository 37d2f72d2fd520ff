/* bench-vault.c — the cost of the vault's page encryption
 *
 * Runs three workloads on three set-ups, interleaved, and prints the median of each
 * (one figure a line, `name: value unit`), in wall-clock time and in the process's CPU
 * time (`.cpu`), which the disk's fsync latency and other programs disturb far less:
 *
 *   plain  SQLite's default VFS with the vault's pragmas and its 32 reserved bytes
 *   floor  the default VFS plus one AEAD operation per page read or written and nothing
 *          else: the cost page encryption cannot avoid here
 *   vault  mamori-vfs
 *
 *   insert  100,000 register-like rows in transactions of 1,000
 *   read    100,000 random point reads by primary key, default page cache, each its own
 *           read transaction as the application makes them
 *   scan    full-table scans with a LIKE filter (median of one scan)
 *
 * It also prints what one AEAD operation on a page costs in each mode libgcrypt offers.
 *
 *   meson compile -C _build bench-vault
 *   _build/tests/bench/bench-vault [--quick] [--reps N] [--dir DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mamori-crypto.h"
#include "mamori-vfs-private.h"

#define PAGE MAMORI_VFS_PAGE_SIZE
#define FLOOR_VFS_NAME "mamori-bench-floor"
#define ROWS_PER_TRANSACTION 1000
#define SCANS_PER_REP 5

typedef enum
{
  SETUP_PLAIN,
  SETUP_FLOOR,
  SETUP_VAULT,
  N_SETUPS,
} Setup;

static const char *const setup_names[N_SETUPS] = { "plain", "floor", "vault" };

typedef enum
{
  WORK_INSERT,
  WORK_READ,
  WORK_SCAN,
  N_WORKS,
} Work;

static const char *const work_names[N_WORKS] = { "insert", "read", "scan" };

typedef enum
{
  CLOCK_WALL,
  CLOCK_CPU,
  N_CLOCKS,
} Clock;

static const clockid_t clock_ids[N_CLOCKS] = { CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID };
static const char *const clock_suffixes[N_CLOCKS] = { "", ".cpu" };

typedef struct
{
  guint rows;
  guint reads;
  guint reps;
  char *dir;
  MamoriVfs *vfs;
  GArray *times[N_SETUPS][N_WORKS][N_CLOCKS]; /* ms */
} Bench;

typedef struct
{
  double start[N_CLOCKS];
} Timer;

static double
now_ms (Clock clock)
{
  struct timespec ts;

  clock_gettime (clock_ids[clock], &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
timer_start (Timer *timer)
{
  for (Clock c = 0; c < N_CLOCKS; c++)
    timer->start[c] = now_ms (c);
}

static void
timer_record (Timer *timer, Bench *b, Setup setup, Work work)
{
  for (Clock c = 0; c < N_CLOCKS; c++)
    {
      double elapsed = now_ms (c) - timer->start[c];

      g_array_append_val (b->times[setup][work][c], elapsed);
    }
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

/* --- the cost-only shim -------------------------------------------------------------
 * It forwards everything to the default VFS; each page-sized read or write of the
 * database or its journal also runs one AEAD operation, on a copy, with the vault's
 * mode.  No nonce generation, no lock, no page-1 handling: only the cipher. */

typedef struct
{
  sqlite3_file base;
  sqlite3_file *real;
  gboolean pages;
} FloorFile;

static sqlite3_vfs floor_vfs;
static MamoriAead floor_aead;
static guint8 floor_scratch[PAGE];

static void
floor_aead_op (const guint8 *page, gboolean write)
{
  static const guint8 ad[24];

  if (write)
    _mamori_aead_seal (&floor_aead, page + MAMORI_VFS_USABLE, ad, sizeof ad, page, floor_scratch,
                       MAMORI_VFS_USABLE, floor_scratch + MAMORI_VFS_USABLE);
  else
    _mamori_aead_open (&floor_aead, page + MAMORI_VFS_USABLE, ad, sizeof ad, page, floor_scratch,
                       MAMORI_VFS_USABLE, page + MAMORI_VFS_USABLE + MAMORI_VFS_NONCE_LEN);
}

static int
floor_read (sqlite3_file *base, void *out, int amount, sqlite3_int64 offset)
{
  FloorFile *file = (FloorFile *)base;
  int rc = file->real->pMethods->xRead (file->real, out, amount, offset);

  if (rc == SQLITE_OK && file->pages && amount == PAGE)
    floor_aead_op (out, FALSE);
  return rc;
}

static int
floor_write (sqlite3_file *base, const void *in, int amount, sqlite3_int64 offset)
{
  FloorFile *file = (FloorFile *)base;

  if (file->pages && amount == PAGE)
    floor_aead_op (in, TRUE);
  return file->real->pMethods->xWrite (file->real, in, amount, offset);
}

#define FORWARD(name, signature, call)                                                             \
  static int floor_##name signature                                                                \
  {                                                                                                \
    sqlite3_file *real = ((FloorFile *)base)->real;                                                \
    return real->pMethods->call;                                                                   \
  }

FORWARD (truncate, (sqlite3_file * base, sqlite3_int64 size), xTruncate (real, size))
FORWARD (sync, (sqlite3_file * base, int flags), xSync (real, flags))
FORWARD (file_size, (sqlite3_file * base, sqlite3_int64 *size), xFileSize (real, size))
FORWARD (lock, (sqlite3_file * base, int level), xLock (real, level))
FORWARD (unlock, (sqlite3_file * base, int level), xUnlock (real, level))
FORWARD (check_reserved_lock, (sqlite3_file * base, int *out), xCheckReservedLock (real, out))
FORWARD (file_control, (sqlite3_file * base, int op, void *arg), xFileControl (real, op, arg))
FORWARD (sector_size, (sqlite3_file * base), xSectorSize (real))
FORWARD (device_characteristics, (sqlite3_file * base), xDeviceCharacteristics (real))
FORWARD (close, (sqlite3_file * base), xClose (real))

static const sqlite3_io_methods floor_io_methods = {
  .iVersion = 1,
  .xClose = floor_close,
  .xRead = floor_read,
  .xWrite = floor_write,
  .xTruncate = floor_truncate,
  .xSync = floor_sync,
  .xFileSize = floor_file_size,
  .xLock = floor_lock,
  .xUnlock = floor_unlock,
  .xCheckReservedLock = floor_check_reserved_lock,
  .xFileControl = floor_file_control,
  .xSectorSize = floor_sector_size,
  .xDeviceCharacteristics = floor_device_characteristics,
};

static int
floor_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *out_flags)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  FloorFile *file = (FloorFile *)base;
  int rc;

  file->real = (sqlite3_file *)(file + 1);
  file->pages = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  rc = real_vfs->xOpen (real_vfs, name, file->real, flags, out_flags);
  file->base.pMethods = rc == SQLITE_OK ? &floor_io_methods : NULL;
  return rc;
}

static void
register_floor_vfs (void)
{
  sqlite3_vfs *real_vfs = sqlite3_vfs_find (NULL);
  g_autoptr (GError) error = NULL;
  guint8 key[MAMORI_VFS_KEY_LEN] = { 0 };

  _mamori_aead_init (&floor_aead, MAMORI_VFS_AEAD_MODE, key, &error);
  g_assert_no_error (error);
  /* Everything but xOpen is the default VFS's own. */
  floor_vfs = *real_vfs;
  floor_vfs.pNext = NULL;
  floor_vfs.zName = FLOOR_VFS_NAME;
  floor_vfs.szOsFile = sizeof (FloorFile) + real_vfs->szOsFile;
  floor_vfs.pAppData = real_vfs;
  floor_vfs.xOpen = floor_open;
  g_assert_cmpint (sqlite3_vfs_register (&floor_vfs, 0), ==, SQLITE_OK);
}

/* --- workloads ----------------------------------------------------------------------- */

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
db_path (Bench *b, Setup setup)
{
  g_autofree char *name = g_strdup_printf ("bench-%s.db", setup_names[setup]);

  return g_build_filename (b->dir, name, NULL);
}

static void
remove_db (Bench *b, Setup setup)
{
  g_autofree char *path = db_path (b, setup);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (journal);
}

/* The same file format and pragmas for every set-up: only the VFS differs. */
static sqlite3 *
open_db (Bench *b, Setup setup)
{
  g_autofree char *path = db_path (b, setup);
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  int reserve = MAMORI_VFS_RESERVE;

  if (setup == SETUP_VAULT)
    {
      db = mamori_vfs_open_db (b->vfs, path, TRUE, &error);
      g_assert_no_error (error);
      return db;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    setup == SETUP_FLOOR ? FLOOR_VFS_NAME : NULL),
                   ==, SQLITE_OK);
  exec (db, "PRAGMA page_size = 4096");
  sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  exec (db, "PRAGMA mmap_size = 0; PRAGMA temp_store = MEMORY;"
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA;");
  return db;
}

static const char *const assets[] = {
  "通知表",       "指導要録",   "健康診断票", "学級名簿",     "進路希望調査",
  "保護者連絡先", "成績一覧表", "出席簿",     "個人面談記録", "家庭環境調査票",
};
static const char *const places[] = { "職員室 金庫", "校長室", "事務室 書庫", "保健室", "教務室" };

/* A register entry: about 120 bytes, like the vault's asset register rows. */
static void
bind_row (sqlite3_stmt *stmt, guint id, GRand *rand)
{
  g_autofree char *asset = g_strdup_printf (
      "%s %u年%u組 No.%05u", assets[id % G_N_ELEMENTS (assets)], 1 + id % 6, 1 + id % 4, id);
  g_autofree char *holder = g_strdup_printf ("teacher-%03u", g_rand_int_range (rand, 0, 60));
  g_autofree char *note = g_strdup_printf ("%s 保管 期限 %u 年度末 %08x",
                                           g_rand_int_range (rand, 0, 20) == 0 ? "要確認" : "通常",
                                           2025 + id % 5, g_rand_int (rand));

  sqlite3_bind_int (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, "ABCD" + id % 4, 1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, holder, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, places[id % G_N_ELEMENTS (places)], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, 1700000000 + id);
}

static void
run_insert (Bench *b, Setup setup)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  Timer timer;

  remove_db (b, setup);
  db = open_db (b, setup);
  exec (db, "CREATE TABLE register (id INTEGER PRIMARY KEY, asset TEXT, level TEXT, holder TEXT,"
            " place TEXT, note TEXT, updated_at INTEGER)");
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "INSERT INTO register VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL),
      ==, SQLITE_OK);
  timer_start (&timer);
  for (guint id = 1; id <= b->rows; id++)
    {
      if (id % ROWS_PER_TRANSACTION == 1)
        exec (db, "BEGIN");
      bind_row (stmt, id, rand);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      if (id % ROWS_PER_TRANSACTION == 0 || id == b->rows)
        exec (db, "COMMIT");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  timer_record (&timer, b, setup, WORK_INSERT);
}

static void
run_read (Bench *b, Setup setup)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = open_db (b, setup);
  gint64 sum = 0;
  Timer timer;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT length (asset) + length (note) FROM register "
                                       "WHERE id = ?",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  timer_start (&timer);
  for (guint i = 0; i < b->reads; i++)
    {
      sqlite3_bind_int (stmt, 1, g_rand_int_range (rand, 1, b->rows + 1));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      sum += sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  timer_record (&timer, b, setup, WORK_READ);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (sum, >, 0);
}

static void
run_scan (Bench *b, Setup setup)
{
  sqlite3 *db = open_db (b, setup);
  Timer timer;

  for (guint i = 0; i < SCANS_PER_REP; i++)
    {
      timer_start (&timer);
      exec (db, "SELECT count (*) FROM register WHERE note LIKE '%要確認%' OR asset LIKE '%9組%'");
      timer_record (&timer, b, setup, WORK_SCAN);
    }
  sqlite3_close (db);
}

static void
run_rep (Bench *b, guint rep)
{
  /* Each repetition rotates the order of the set-ups, so that none always runs first
   * (with a cold disk) or last. */
  for (guint i = 0; i < N_SETUPS; i++)
    {
      Setup setup = (rep + i) % N_SETUPS;

      run_insert (b, setup);
      run_read (b, setup);
      run_scan (b, setup);
    }
}

/* --- AEAD modes ------------------------------------------------------------------------ */

static void
print_aead_costs (guint n_pages)
{
  guint8 key[MAMORI_VFS_KEY_LEN] = { 1 }, nonce[MAMORI_VFS_NONCE_LEN] = { 2 }, ad[24] = { 3 };
  guint8 plain[PAGE], sealed[PAGE], tag[MAMORI_VFS_TAG_LEN];
  double start;

  memset (plain, 0x5a, sizeof plain);
  for (MamoriAeadMode mode = MAMORI_AEAD_GCM; mode <= MAMORI_AEAD_GCM_SIV; mode++)
    {
      g_autoptr (GError) error = NULL;
      MamoriAead aead;

      _mamori_aead_init (&aead, mode, key, &error);
      g_assert_no_error (error);
      /* One seal and one open per page: a page is written once, read many times. */
      start = now_ms (CLOCK_WALL);
      for (guint i = 0; i < n_pages; i++)
        {
          _mamori_aead_seal (&aead, nonce, ad, sizeof ad, plain, sealed, MAMORI_VFS_USABLE, tag);
          if (!_mamori_aead_open (&aead, nonce, ad, sizeof ad, sealed, sealed, MAMORI_VFS_USABLE,
                                  tag))
            g_error ("AES-256-%s did not open its own page", _mamori_aead_mode_name (mode));
        }
      printf ("aead.%s: %.3f us/page\n", _mamori_aead_mode_name (mode),
              (now_ms (CLOCK_WALL) - start) * 1e3 / (2.0 * n_pages));
      _mamori_aead_clear (&aead);
    }

  start = now_ms (CLOCK_WALL);
  for (guint i = 0; i < n_pages; i++)
    gcry_create_nonce (nonce, sizeof nonce);
  printf ("aead.nonce: %.3f us/page\n", (now_ms (CLOCK_WALL) - start) * 1e3 / n_pages);
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE;
  int reps = 7;
  g_autofree char *dir = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new ("— the cost of page encryption");
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A tiny run that only checks it works", NULL },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "Repetitions (default 7)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "Where to put the databases (default: a new "
      "temporary directory)",
      "DIR" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  guint8 key[MAMORI_VFS_KEY_LEN], db_id[MAMORI_VFS_DB_ID_LEN];
  gboolean own_dir;
  Bench b = { 0 };
  g_autofree char *sample = NULL;
  GStatBuf st;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!mamori_crypto_init (&error))
    g_error ("%s", error->message);

  b.rows = quick ? 2000 : 100000;
  b.reads = quick ? 2000 : 100000;
  b.reps = quick ? 1 : MAX (reps, 1);
  own_dir = dir == NULL;
  b.dir = own_dir ? g_dir_make_tmp (NULL, &error) : g_strdup (dir);
  g_assert_no_error (error);

  mamori_crypto_random (key, sizeof key);
  mamori_crypto_random (db_id, sizeof db_id);
  b.vfs = mamori_vfs_new (key, db_id, NULL, &error);
  g_assert_no_error (error);
  register_floor_vfs ();
  for (guint s = 0; s < N_SETUPS; s++)
    for (guint w = 0; w < N_WORKS; w++)
      for (guint c = 0; c < N_CLOCKS; c++)
        b.times[s][w][c] = g_array_new (FALSE, FALSE, sizeof (double));

  printf ("# rows %u, reads %u, scans %u per repetition, %u repetitions, AES-256-%s, in %s\n",
          b.rows, b.reads, SCANS_PER_REP, b.reps, _mamori_aead_mode_name (MAMORI_VFS_AEAD_MODE),
          b.dir);
  print_aead_costs (quick ? 1000 : 100000);

  for (guint rep = 0; rep < b.reps; rep++)
    run_rep (&b, rep);

  sample = db_path (&b, SETUP_VAULT);
  if (g_stat (sample, &st) == 0)
    printf ("db.size: %.1f MB\n", st.st_size / 1e6);
  for (guint w = 0; w < N_WORKS; w++)
    for (guint c = 0; c < N_CLOCKS; c++)
      {
        const char *work = work_names[w], *suffix = clock_suffixes[c];
        double m[N_SETUPS];

        for (guint s = 0; s < N_SETUPS; s++)
          {
            m[s] = median (b.times[s][w][c]);
            printf ("%s.%s%s: %.1f ms\n", work, setup_names[s], suffix, m[s]);
          }
        printf ("%s.vault_over_plain%s: %.3f x\n", work, suffix, m[SETUP_VAULT] / m[SETUP_PLAIN]);
        printf ("%s.vault_over_floor%s: %.3f x\n", work, suffix, m[SETUP_VAULT] / m[SETUP_FLOOR]);
        printf ("%s.floor_over_plain%s: %.3f x\n", work, suffix, m[SETUP_FLOOR] / m[SETUP_PLAIN]);
      }

  for (guint s = 0; s < N_SETUPS; s++)
    {
      remove_db (&b, s);
      for (guint w = 0; w < N_WORKS; w++)
        for (guint c = 0; c < N_CLOCKS; c++)
          g_array_unref (b.times[s][w][c]);
    }
  if (own_dir)
    g_rmdir (b.dir);
  mamori_vfs_free (b.vfs);
  sqlite3_vfs_unregister (&floor_vfs);
  _mamori_aead_clear (&floor_aead);
  g_free (b.dir);
  return 0;
}
