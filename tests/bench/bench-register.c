/* bench-register.c — the asset register at 100,000 entries
 *
 * A vault is filled by importing a CSV file of 100,000 entries (target: under 10 s; the
 * file read and checked, then signed in batches in one transaction); the page's table is
 * built from it (the time to build the page's model); it is filtered by text and sorted
 * by every column both ways (targets: under 50 ms each, the slowest given).  Then, with a
 * display, a process of this program opens the window on that vault, unlocks it and
 * shows the register page, and reports its RSS locked, unlocked, and its peak with the
 * page showing (target: under 150 MB), with where the memory is at each step (smaps by
 * kind of mapping, malloc's count); the same is done side by side on a vault whose
 * register is empty, for what the entries themselves cost, and on a bare libadwaita window
 * of the same size, for what any GTK window costs here.  Then it shows the page's
 * places view (保管場所) and opens the take-out request form searching the register, each
 * with the longest stall of the main loop meanwhile.  One figure a line,
 * `name: value unit`.
 *
 *   meson compile -C _build bench-register && xvfb-run -a _build/tests/bench/bench-register
 *
 * With --keep the vaults stay, so that the GUI part can be run again on its own
 * (`bench-register --gui DIR/school.mamori`) while looking for where the memory goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "mamori-crypto.h"
#include "mamori-register-import.h"
#include "mamori-register-page.h"
#include "mamori-register-table.h"
#include "mamori-lookup.h"
#include "mamori-session.h"
#include "mamori-takeout-request-dialog.h"
#include "mamori-window.h"

#define PASSPHRASE "bench register passphrase"
#define USER "山田 花子"

static const char *const categories[]
    = { "学籍情報", "生徒指導関連",       "成績情報",
        "進路関連", "教務関係・保健関係", "学校運営・学校経営・その他",
        "事務関連" };
static const char *const groups[]
    = { "第1学年",      "第2学年", "第3学年", "第4学年", "第5学年", "第6学年",
        "特別支援学級", "職員",    "PTA",     "部活動",  "保健室",  "図書館" };
static const char *const things[]
    = { "出席簿", "成績一覧表",   "健康調査票",     "面談記録",     "緊急連絡網", "学級通信",
        "会計簿", "写真データ",   "進路希望調査",   "行事のしおり", "指導記録",   "配布プリント",
        "名簿",   "通知表下書き", "アンケート結果", "時間割" };
static const char *const places[]
    = { "職員室 耐火金庫", "校務支援システム",  "校務用ファイルサーバ",
        "事務室 書庫",     "保健室 鍵付き書庫", "教務用USBメモリ" };
static const char *const custodians[]
    = { "教頭", "学級担任", "学年主任", "養護教諭", "事務職員", "生徒指導主事", "司書教諭" };
static const char *const retentions[] = { "1年", "3年", "5年", "10年", "20年", "卒業後5年" };
static const char *const levels[] = { "重要度A", "重要度B", "重要度C", "重要度D" };
static const char *const media[] = { "紙", "電子", "両方" };

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* This process's CPU time in ms: what a figure costs whatever else the machine runs
 * (the development machines are shared). */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A register file of @n entries, as a school's Excel sheet would be: names from groups
 * and things numbered, some hundred places (rooms, folders and sticks), a few custodians. */
static GBytes *
make_csv (guint n)
{
  GString *csv = g_string_new ("名称,分類,重要度,媒体,保管場所,取扱者,保管期限,備考\r\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (
        csv, "%s%s その%u,%s,%s,%s,%s %u,%s,%s,%s\r\n", groups[i % G_N_ELEMENTS (groups)],
        things[(i / 7) % G_N_ELEMENTS (things)], i + 1, categories[i % G_N_ELEMENTS (categories)],
        levels[(i / 3) % G_N_ELEMENTS (levels)], media[i % G_N_ELEMENTS (media)],
        places[i % G_N_ELEMENTS (places)], (i / 11) % 150 + 1,
        custodians[i % G_N_ELEMENTS (custodians)], retentions[i % G_N_ELEMENTS (retentions)],
        i % 5 == 0 ? "校外への持ち出しは教頭の許可を得る" : "");
  return g_string_free_to_bytes (csv);
}

static gboolean
forget_code (const char *code, gpointer data, GError **error)
{
  return TRUE;
}

/* --- the GUI process -------------------------------------------------------------------- */

static gboolean
is_unlocked (MamoriSession *session)
{
  return mamori_session_get_state (session) == MAMORI_SESSION_STATE_UNLOCKED
         && !mamori_session_get_busy (session);
}

static guint64
rss_now_kib (void)
{
  g_autofree char *statm = NULL;
  unsigned long pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%lu %lu", &pages, &resident);
  return resident * (guint64)sysconf (_SC_PAGESIZE) / 1024;
}

/* Where the resident memory is, from /proc/self/smaps: what malloc holds (the heap and
 * the anonymous mappings of its arenas and large blocks), fonts, the GL driver (its
 * libraries and the buffers it maps), the other libraries, and the rest (stacks, caches,
 * GResource and icon files); then how much of malloc's memory is in use. */
static void
print_memory (const char *when)
{
  static const char *const kinds[] = { "anonymous", "fonts", "gl-driver", "libraries", "other" };
  g_autofree char *smaps = NULL;
  g_auto (GStrv) lines = NULL;
  guint64 kib[G_N_ELEMENTS (kinds)] = { 0 };
  guint kind = 0;

  if (!g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
    return;
  lines = g_strsplit (smaps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      unsigned long value;

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL && strchr (line, ' ') != NULL
          && strchr (line, ':') != NULL && !g_str_has_suffix (line, "kB"))
        {
          const char *path = strchr (line, '/');
          const char *bracket = strchr (line, '[');

          if (path == NULL)
            kind = bracket == NULL || g_str_has_prefix (bracket, "[heap]") ? 0 : 4;
          else if (strstr (path, "/fonts/") != NULL || g_str_has_suffix (path, ".ttf")
                   || g_str_has_suffix (path, ".ttc") || g_str_has_suffix (path, ".otf"))
            kind = 1;
          else if (strstr (path, "/dri") != NULL || strstr (path, "LLVM") != NULL
                   || strstr (path, "gallium") != NULL || strstr (path, "libGL") != NULL
                   || strstr (path, "libEGL") != NULL || strstr (path, "glapi") != NULL
                   || strstr (path, "drm") != NULL || strstr (path, "memfd:") != NULL)
            kind = 2;
          else if (strstr (path, ".so") != NULL)
            kind = 3;
          else
            kind = 4;
        }
      else if (sscanf (line, "Rss: %lu kB", &value) == 1)
        kib[kind] += value;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_print ("gui-rss-%s-%s: %.1f MB\n", when, kinds[i], kib[i] / 1024.0);
#ifdef __GLIBC__
  {
    struct mallinfo2 info = mallinfo2 ();

    g_print ("gui-malloc-%s-in-use: %.1f MB\n", when, (info.uordblks + info.hblkhd) / 1048576.0);
    g_print ("gui-malloc-%s-free-kept: %.1f MB\n", when, info.fordblks / 1048576.0);
  }
#endif
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static AdwViewStack *
find_stack (GtkWidget *widget)
{
  if (ADW_IS_VIEW_STACK (widget))
    return ADW_VIEW_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewStack *stack = find_stack (child);

      if (stack != NULL)
        return stack;
    }
  return NULL;
}

/* The longest time between two ticks of a timer, less its period: how long the main
 * loop was kept from everything else (input, drawing).  In wall time, which includes
 * the time the thread waited for a core on a busy machine, and in the main thread's own
 * CPU time between two ticks, which does not. */
#define STALL_TICK_MS 5

typedef struct
{
  guint source;
  gint64 last;
  gint64 longest;
  gint64 last_cpu;
  gint64 longest_cpu;
} StallMeter;

/* The calling thread's CPU time, in microseconds. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
stall_tick_cb (gpointer data)
{
  StallMeter *meter = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  meter->longest = MAX (meter->longest, now - meter->last - STALL_TICK_MS * 1000);
  meter->longest_cpu = MAX (meter->longest_cpu, cpu - meter->last_cpu);
  meter->last = now;
  meter->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
meter_start (StallMeter *meter)
{
  meter->longest = meter->longest_cpu = 0;
  meter->last = g_get_monotonic_time ();
  meter->last_cpu = thread_cpu_us ();
  meter->source = g_timeout_add (STALL_TICK_MS, stall_tick_cb, meter);
}

static void
meter_print (StallMeter *meter, const char *name)
{
  g_source_remove (meter->source);
  g_print ("%s-longest-stall: %.0f ms\n", name, meter->longest / 1000.0);
  g_print ("%s-longest-stall-cpu: %.0f ms\n", name, meter->longest_cpu / 1000.0);
}

/* The first widget of @type under @widget whose first child is of @child_type (any child
 * when G_TYPE_INVALID). */
static GtkWidget *
find_widget (GtkWidget *widget, GType type, GType child_type)
{
  GtkWidget *first = gtk_widget_get_first_child (widget);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (child_type == G_TYPE_INVALID
          || (first != NULL && G_TYPE_CHECK_INSTANCE_TYPE (first, child_type))))
    return widget;
  for (GtkWidget *child = first; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, child_type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An action row under @widget whose title holds @text. */
static gboolean
has_row_titled (GtkWidget *widget, const char *text)
{
  if (ADW_IS_ACTION_ROW (widget)
      && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_titled (child, text))
      return TRUE;
  return FALSE;
}

static void
painted_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* Runs the main loop until @widget's window has drawn a frame. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);

  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

/* The places view (保管場所) shown after the list: from the switch until the places are
 * read, the list view's model holds every place and the rows on screen are drawn (the
 * list view makes rows only for those), the longest stall of the main loop. */
static void
measure_places (MamoriRegisterPage *page)
{
  StallMeter meter = { 0 };
  gint64 start;
  GtkWidget *view;
  guint rows = 0;

  meter_start (&meter);
  start = g_get_monotonic_time ();
  g_object_set (page, "view", "places", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_print ("places-view-first-show: %.0f ms\n", ms_since (start));
  while (mamori_register_page_get_loading (page))
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (page));
  g_print ("places-view-rows-shown: %.0f ms\n", ms_since (start));
  iterate_for (1500);
  meter_print (&meter, "places-gui");
  /* The list view is the clamp's child (the column view has one of its own). */
  view = gtk_widget_get_first_child (
      find_widget (GTK_WIDGET (page), ADW_TYPE_CLAMP_SCROLLABLE, GTK_TYPE_LIST_VIEW));
  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rows++;
  g_print ("places-view-places: %u places\n", g_list_model_get_n_items (G_LIST_MODEL (
                                                  gtk_list_view_get_model (GTK_LIST_VIEW (view)))));
  g_print ("places-view-row-widgets: %u rows\n", rows);
}

/* The take-out request form opened and searched at once (出席簿): from the click until the
 * first match is offered, the longest stall of the main loop. */
static void
measure_request_form (MamoriSession *session, GtkWindow *window)
{
  MamoriPolicy *policy = mamori_lookup_get_policy (mamori_session_get_lookup (session));
  StallMeter meter = { 0 };
  MamoriTakeoutRequestDialog *form;
  gint64 start, deadline;
  gboolean shown;

  meter_start (&meter);
  start = g_get_monotonic_time ();
  form = mamori_takeout_request_dialog_new (session, policy);
  gtk_window_set_transient_for (GTK_WINDOW (form), window);
  gtk_window_present (GTK_WINDOW (form));
  gtk_editable_set_text (
      GTK_EDITABLE (find_widget (GTK_WIDGET (form), GTK_TYPE_SEARCH_ENTRY, G_TYPE_INVALID)),
      "出席簿");
  deadline = start + 60 * G_USEC_PER_SEC;
  while (!(shown = has_row_titled (GTK_WIDGET (form), "出席簿"))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (shown);
  g_print ("takeout-form-match-shown: %.0f ms\n", ms_since (start));
  iterate_for (1000);
  meter_print (&meter, "takeout-form-gui");
  gtk_window_destroy (GTK_WINDOW (form));
}

/* The window on @path, unlocked, then its register page shown: RSS before and after;
 * then its places view and the take-out request form. */
static int
run_gui (const char *path)
{
  g_autoptr (MamoriSession) session = NULL;
  g_autoptr (GError) error = NULL;
  struct rusage usage;
  MamoriWindow *window;
  AdwViewStack *stack;
  MamoriRegisterPage *page;
  guint64 locked, unlocked;
  gint64 start;
  StallMeter meter = { 0 };

  gtk_init ();
  adw_init ();
  if (!mamori_crypto_init (&error))
    g_error ("%s", error->message);
  session = mamori_session_new (path);
  window = g_object_new (MAMORI_TYPE_WINDOW, "session", session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (1000);
  locked = rss_now_kib ();
  print_memory ("locked");

  /* The register page reads the register when it is first shown. */
  start = g_get_monotonic_time ();
  mamori_session_unlock_async (session, USER, mamori_secure_strdup (PASSPHRASE), NULL, NULL);
  while (!is_unlocked (session))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_print ("gui-unlock: %.0f ms\n", ms_since (start));
  iterate_for (500);
  stack = find_stack (GTK_WIDGET (window));
  g_assert (stack != NULL);
  page = MAMORI_REGISTER_PAGE (adw_view_stack_get_child_by_name (stack, "register"));
  unlocked = rss_now_kib ();
  print_memory ("unlocked");
  /* The page reads the register in the session's thread: the window answers meanwhile.
   * How well is the longest the main loop went without coming back to a 5 ms timer,
   * from the click to the entries drawn. */
  meter_start (&meter);
  start = g_get_monotonic_time ();
  adw_view_stack_set_visible_child_name (stack, "register");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_print ("register-page-first-show: %.0f ms\n", ms_since (start));
  while (mamori_register_page_get_loading (page))
    g_main_context_iteration (NULL, TRUE);
  g_print ("register-page-entries-shown: %.0f ms\n", ms_since (start));
  iterate_for (1500);
  meter_print (&meter, "register-gui");
  getrusage (RUSAGE_SELF, &usage);
  print_memory ("shown");
  g_print ("gui-rss-register-page-shown: %.1f MB\n", rss_now_kib () / 1024.0);
  g_print ("gui-rss-locked-window: %.1f MB\n", locked / 1024.0);
  g_print ("gui-rss-unlocked-page-not-shown: %.1f MB\n", unlocked / 1024.0);
  g_print ("gui-peak-rss-register-page-%u: %.1f MB\n",
           mamori_register_table_get_n_entries (mamori_register_page_get_table (page)),
           usage.ru_maxrss / 1024.0);
  /* After the memory figures: the places' widgets are not what the target counts. */
  if (mamori_register_table_get_n_entries (mamori_register_page_get_table (page)) > 0)
    {
      measure_places (page);
      measure_request_form (session, GTK_WINDOW (window));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* What any GTK window costs here, for the peak RSS of run_gui() to be read against: a
 * libadwaita window of the same size with a header bar and a line of Japanese (so that
 * the CJK font is loaded too), drawn for as long as run_gui() lets its page settle. */
static int
run_bare_window (void)
{
  GtkWidget *window, *box, *label;
  struct rusage usage;

  gtk_init ();
  adw_init ();
  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  label = gtk_label_new ("情報資産台帳");
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (1500);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("gui-peak-rss-bare-window: %.1f MB\n", usage.ru_maxrss / 1024.0);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* Runs the GUI part on @path (NULL: the bare window) in a process of its own, passes its
 * figures on, and returns its peak RSS in MB. */
static double
run_child (const char *self, const char *path, int *out_status)
{
  const char *child_argv[] = { self, path != NULL ? "--gui" : "--gui-bare", path, NULL };
  g_autofree char *output = NULL;
  g_autoptr (GError) error = NULL;
  const char *peak;
  double mb = 0;

  if (!g_spawn_sync (NULL, (char **)child_argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     &output, NULL, out_status, &error))
    g_error ("%s", error->message);
  g_print ("%s", output);
  peak = strstr (output, path != NULL ? "gui-peak-rss-register-page-" : "gui-peak-rss-bare-window");
  if (peak != NULL && (peak = strchr (peak, ':')) != NULL)
    mb = g_ascii_strtod (peak + 1, NULL);
  return mb;
}

static void
remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* --- the core figures ------------------------------------------------------------------ */

typedef struct
{
  MamoriPolicy *policy;
  GBytes *csv;
  GCancellable *cancellable;
  gint64 returned_at;
  gboolean cancelled;
} CancelledPrepare;

static gpointer
cancelled_prepare_thread (gpointer data)
{
  CancelledPrepare *prepare = data;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GError) error = NULL;

  import = mamori_register_import_prepare_cancellable (prepare->policy, NULL, prepare->csv,
                                                       MAMORI_CSV_ENCODING_AUTO, "bench.csv",
                                                       prepare->cancellable, &error);
  prepare->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  prepare->returned_at = g_get_monotonic_time ();
  return NULL;
}

/* How long a file check takes to stop once cancelled, @after_ms into it; -1 when it
 * ended first (a small file on a fast machine). */
static double
cancel_latency (MamoriPolicy *policy, GBytes *csv, guint after_ms)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  CancelledPrepare prepare = { policy, csv, cancellable, 0, FALSE };
  GThread *thread = g_thread_new ("prepare", cancelled_prepare_thread, &prepare);
  gint64 cancelled_at;

  g_usleep (after_ms * 1000);
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  return prepare.cancelled ? (prepare.returned_at - cancelled_at) / 1000.0 : -1;
}

/* What malloc has handed out and not had back, in bytes (0 without glibc). */
static gsize
malloc_in_use (void)
{
#ifdef __GLIBC__
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

/* What SQLite's page cache holds for the vault's connection. */
static void
print_page_cache (MamoriVault *vault)
{
  int used = 0, highwater = 0;

  sqlite3_db_status (mamori_vault_get_store (vault)->handle, SQLITE_DBSTATUS_CACHE_USED, &used,
                     &highwater, FALSE);
  g_print ("register-sqlite-page-cache-after-model-build: %.1f MB\n", used / 1048576.0);
}

static double
slowest_filter (MamoriRegisterTable *table,
                const char *const *queries,
                guint *out_found,
                double *out_slowest_cpu)
{
  double slowest = 0;

  for (guint i = 0; queries[i] != NULL; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu = cpu_ms ();
      double ms;

      mamori_register_table_set_filter (table, queries[i], NULL, NULL);
      ms = ms_since (start);
      slowest = MAX (slowest, ms);
      *out_slowest_cpu = MAX (*out_slowest_cpu, cpu_ms () - cpu);
      out_found[i] = g_list_model_get_n_items (G_LIST_MODEL (table));
    }
  mamori_register_table_set_filter (table, NULL, NULL, NULL);
  return slowest;
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && g_str_equal (argv[1], "--quick");
  gboolean keep = argc > 1 && g_str_equal (argv[1], "--keep");
  guint n = quick ? 2000 : 100000;
  static const char *const queries[]
      = { "出席簿", "ファイルサーバ 12", "ｕｓｂ", "その99999", "しゅっせき", NULL };
  static const MamoriRegisterField sorts[] = {
    MAMORI_REGISTER_FIELD_NAME,      MAMORI_REGISTER_FIELD_LOCATION, MAMORI_REGISTER_FIELD_LEVEL,
    MAMORI_REGISTER_FIELD_CUSTODIAN, MAMORI_REGISTER_FIELD_CATEGORY,
  };
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (MamoriVault) vault = NULL;
  g_autoptr (MamoriPolicy) policy = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autoptr (MamoriRegisterImport) import = NULL;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (MamoriRegisterTable) table = NULL;
  g_autoptr (GError) error = NULL;
  guint found[G_N_ELEMENTS (queries)];
  double slowest_filter_cpu = 0;
  double latency;
  double prepare_ms, apply_ms, slowest_sort = 0, slowest_sort_cpu = 0, cpu_start, cpu_import;
  gint64 start, events = 0;
  gsize in_use;
  int status = 0;

  if (argc > 2 && g_str_equal (argv[1], "--gui"))
    return run_gui (argv[2]);
  if (argc > 1 && g_str_equal (argv[1], "--gui-bare"))
    return run_bare_window ();

  /* The key derivation is not what is measured here (bench-unlock is). */
  g_setenv ("MAMORI_KDF_TEST_FAST", "1", TRUE);
  if (!mamori_crypto_init (&error))
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("bench-register-XXXXXX", &error);
  path = g_build_filename (dir, "school.mamori", NULL);
  vault = mamori_vault_create (path, "みまもり市立さくら小学校", USER, MAMORI_ROLE_VICE_PRINCIPAL,
                               PASSPHRASE, forget_code, NULL, &error);
  if (vault == NULL)
    g_error ("%s", error->message);
  policy = mamori_vault_load_policy (vault, &error);
  csv = make_csv (n);

  cpu_start = cpu_ms ();
  start = g_get_monotonic_time ();
  current = mamori_register_list (mamori_vault_get_store (vault), &error);
  import = mamori_register_import_prepare (policy, current, csv, MAMORI_CSV_ENCODING_AUTO,
                                           "bench.csv");
  prepare_ms = ms_since (start);
  if (import->errors->len > 0)
    g_error ("%s", ((MamoriCsvError *)g_ptr_array_index (import->errors, 0))->message);
  start = g_get_monotonic_time ();
  if (!mamori_register_import_apply (vault, import, &error))
    g_error ("%s", error->message);
  apply_ms = ms_since (start);
  cpu_import = cpu_ms () - cpu_start;
  mamori_event_log_count (mamori_vault_get_store (vault), &events, NULL);

  g_print ("register-csv-size-%u: %.1f MB\n", n, g_bytes_get_size (csv) / 1e6);
  g_print ("register-import-%u: %.2f s\n", n, (prepare_ms + apply_ms) / 1000);
  g_print ("register-import-%u-cpu: %.2f s\n", n, cpu_import / 1000);
  g_print ("register-import-read-and-check: %.2f s\n", prepare_ms / 1000);
  g_print ("register-import-sign-and-store: %.2f s\n", apply_ms / 1000);
  g_print ("register-import-events: %" G_GINT64_FORMAT " events\n", events - 1);
  g_print ("register-import-per-entry: %.1f us\n", (prepare_ms + apply_ms) * 1000 / n);
  /* Cancelled a third of the way into the check, as the import dialog's Cancel does. */
  latency = cancel_latency (policy, csv, (guint)(prepare_ms / 3));
  if (latency >= 0)
    g_print ("register-import-cancel-during-check: %.0f ms\n", latency);
  else
    g_print ("register-import-cancel-during-check: not measured (the check ended first)\n");

  table = mamori_register_table_new ();
  g_clear_pointer (&import, mamori_register_import_free);
  g_clear_pointer (&current, g_ptr_array_unref);
  in_use = malloc_in_use ();
  start = g_get_monotonic_time ();
  if (!mamori_register_table_load (table, policy, mamori_vault_get_store (vault), &error))
    g_error ("%s", error->message);
  g_print ("register-model-build-%u: %.0f ms\n", n, ms_since (start));
  g_print ("register-model-memory-%u: %.1f MB\n", n, (malloc_in_use () - in_use) / 1048576.0);
  print_page_cache (vault);

  g_print ("register-filter-text-slowest: %.1f ms\n",
           slowest_filter (table, queries, found, &slowest_filter_cpu));
  g_print ("register-filter-text-slowest-cpu: %.1f ms\n", slowest_filter_cpu);
  for (guint i = 0; queries[i] != NULL; i++)
    g_print ("register-filter-found-%u: %u entries\n", i + 1, found[i]);
  start = g_get_monotonic_time ();
  mamori_register_table_set_filter (table, NULL, "seiseki", "B");
  g_print ("register-filter-category-and-level: %.1f ms\n", ms_since (start));
  mamori_register_table_set_filter (table, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    for (int descending = 1; descending >= 0; descending--)
      {
        start = g_get_monotonic_time ();
        cpu_start = cpu_ms ();
        mamori_register_table_set_sort (table, sorts[i], descending);
        slowest_sort = MAX (slowest_sort, ms_since (start));
        slowest_sort_cpu = MAX (slowest_sort_cpu, cpu_ms () - cpu_start);
      }
  g_print ("register-sort-slowest: %.1f ms\n", slowest_sort);
  g_print ("register-sort-slowest-cpu: %.1f ms\n", slowest_sort_cpu);

  g_clear_object (&table);
  mamori_vault_lock (vault);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_print ("gui-peak-rss-register-page: skipped (no display; run under xvfb-run)\n");
  else
    {
      /* The same window on a vault with an empty register, side by side: what the
       * register's entries cost, apart from everything else the app holds. */
      g_autofree char *empty_path = g_build_filename (dir, "empty.mamori", NULL);
      g_autoptr (MamoriVault) empty
          = mamori_vault_create (empty_path, "みまもり市立さくら小学校", USER,
                                 MAMORI_ROLE_VICE_PRINCIPAL, PASSPHRASE, forget_code, NULL, &error);
      double with_entries, without, bare;

      if (empty == NULL)
        g_error ("%s", error->message);
      g_clear_object (&empty);
      bare = run_child (argv[0], NULL, &status);
      without = run_child (argv[0], empty_path, &status);
      with_entries = run_child (argv[0], path, &status);
      g_print ("gui-peak-rss-of-100000-entries: %.1f MB\n", with_entries - without);
      g_print ("gui-peak-rss-above-bare-window: %.1f MB\n", with_entries - bare);
    }
  g_clear_object (&vault);
  if (keep)
    g_print ("vaults kept in %s: run `%s --gui %s/school.mamori` again\n", dir, argv[0], dir);
  else
    remove_dir (dir);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}
