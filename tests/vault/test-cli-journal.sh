#!/bin/sh
# test-cli-journal.sh — `mamori-cli vault info` beside a forged hot journal: exit status
# 4, a message naming the journal and saying that nothing was changed, and indeed
# nothing changed
#
# Usage: test-cli-journal.sh PATH/TO/mamori-cli
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cli=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# One Argon2id pass over 8 MiB: the test-only override (docs/cli.md).
export MAMORI_KDF_TEST_FAST=1
export LC_ALL=C.UTF-8

vault=$dir/school.mamori
journal=$vault-journal
failures=0
checks=0

# check DESCRIPTION COMMAND…: the command must succeed.
check () {
  what=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok - $what"
  else
    failures=$((failures + 1))
    echo "not ok - $what"
    sed 's/^/#   /' "$dir/out" "$dir/err"
  fi
}

info () {
  "$cli" vault info --vault "$vault" --passphrase-file "$dir/pass" >"$dir/out" 2>"$dir/err" </dev/null
  echo $? >"$dir/status"
}

printf 'correct horse battery\n' >"$dir/pass"
"$cli" vault create --vault "$vault" --school "テスト小学校" --user 山田 --role vice-principal \
  --passphrase-file "$dir/pass" >"$dir/out" 2>"$dir/err" </dev/null
check "create" [ $? -eq 0 ]
cp "$vault" "$dir/before"

# A SQLite journal header: magic, no records, checksum seed, an original size of one
# page, 512-byte sectors, 4096-byte pages, then zeros to 512 bytes.
{
  printf '\331\325\005\371\040\241\143\327'
  printf '\000\000\000\000\022\064\126\170\000\000\000\001\000\000\002\000\000\000\020\000'
  head -c 484 /dev/zero
} >"$journal"
cp "$journal" "$dir/journal-before"

info
check "vault info exits 4 (damaged or altered)" [ "$(cat "$dir/status")" -eq 4 ]
check "the message names the journal" grep -qF "$journal" "$dir/err"
check "the message says it is not this database's own" grep -qF "not this database’s own" "$dir/err"
check "the message says nothing was changed" grep -qF "Nothing was changed" "$dir/err"
check "the database is unchanged" cmp -s "$vault" "$dir/before"
check "the journal is still there, unchanged" cmp -s "$journal" "$dir/journal-before"

mv "$journal" "$dir/kept-journal"
info
check "moved away, the vault opens" [ "$(cat "$dir/status")" -eq 0 ]
check "and shows the school" grep -qF "テスト小学校" "$dir/out"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
