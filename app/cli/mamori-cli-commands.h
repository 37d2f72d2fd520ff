/* mamori-cli-commands.h — the sub-commands of mamori-cli
 *
 * Each returns the process exit status (see docs/cli.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every sub-command. */
enum
{
  MAMORI_EXIT_OK = 0,
  MAMORI_EXIT_NOTHING_FOUND = 1, /* lookup: no result */
  MAMORI_EXIT_USAGE = 2,
  MAMORI_EXIT_WRONG_PASSPHRASE = 3,
  MAMORI_EXIT_DAMAGED = 4,
  MAMORI_EXIT_TOO_NEW = 5,
  MAMORI_EXIT_FAILURE = 6,       /* any other error (I/O, …) */
  MAMORI_EXIT_REFUSED = 7,       /* refused by the policy */
  MAMORI_EXIT_NOT_PERMITTED = 8, /* role, separation of duties, wrong state */
  MAMORI_EXIT_BAD_INPUT = 9,     /* an input file with errors: nothing applied */
  MAMORI_EXIT_UNREACHABLE = 10,  /* the board cannot be reached: nothing lost */
};

/* `board-join` (mamori-cli-sync.c). */
int
mamori_cli_board_join (int argc, char **argv);
int
mamori_cli_handbook (int argc, char **argv);
int
mamori_cli_lookup (int argc, char **argv);
int
mamori_cli_policy (int argc, char **argv);
/* `policy install` (mamori-cli-policy.c), reached through mamori_cli_policy(). */
int
mamori_cli_policy_install (int argc, char **argv);
int
mamori_cli_register (int argc, char **argv);
int
mamori_cli_sync (int argc, char **argv);
int
mamori_cli_takeout (int argc, char **argv);
int
mamori_cli_vault (int argc, char **argv);

G_END_DECLS
