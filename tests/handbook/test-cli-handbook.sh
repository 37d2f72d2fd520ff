#!/bin/sh
# test-cli-handbook.sh — `mamori-cli handbook export`: outputs and exit statuses
#
# Usage: test-cli-handbook.sh PATH/TO/mamori-cli   (needs pdfinfo and pdftotext)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cli=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MAMORI_KDF_TEST_FAST=1
export LC_ALL=C.UTF-8

failures=0
checks=0

expect () {
  want=$1 what=$2
  shift 2
  checks=$((checks + 1))
  "$@" >"$dir/out" 2>"$dir/err" </dev/null
  got=$?
  if [ "$got" -ne "$want" ]; then
    failures=$((failures + 1))
    echo "not ok - $what: exit $got, expected $want"
    sed 's/^/#   /' "$dir/out" "$dir/err"
  else
    echo "ok - $what"
  fi
}

check () {
  checks=$((checks + 1))
  if eval "$2"; then
    echo "ok - $1"
  else
    failures=$((failures + 1))
    echo "not ok - $1"
  fi
}

# The page size of FILE in points, rounded: "516x729".
page_size () {
  pdfinfo "$1" | awk '/^Page size:/ { printf "%.0fx%.0f\n", $3, $5 }'
}

h () {
  "$cli" handbook "$@"
}

out=$dir/out.d
mkdir "$out"

# --- presets ------------------------------------------------------------------------
expect 0 "export a preset's handbook" h export "$out/oita.pdf" --scheme oita-abcd
check "B5 by default" '[ "$(page_size "$out/oita.pdf")" = 516x729 ]'
check "it says where it wrote" 'grep -q "oita.pdf" "$dir/out"'
expect 0 "export on A4" h export "$out/a4.pdf" --scheme mext-2025 --paper a4
check "A4" '[ "$(page_size "$out/a4.pdf")" = 595x842 ]'
expect 0 "export a booklet" h export "$out/booklet.pdf" --scheme oita-abcd --booklet
check "the booklet is on B4 landscape sheets" '[ "$(page_size "$out/booklet.pdf")" = 1032x729 ]'
check "a booklet has a multiple of two sides" \
  '[ $(( $(pdfinfo "$out/booklet.pdf" | awk "/^Pages:/ { print \$2 }") % 2 )) -eq 0 ]'
expect 0 "export the leaflet" h export "$out/leaflet.pdf" --scheme oita-abcd --leaflet
check "the leaflet is one A4 sheet, both sides" \
  '[ "$(page_size "$out/leaflet.pdf")" = 595x842 ] && pdfinfo "$out/leaflet.pdf" | grep -q "^Pages: *2$"'
pdftotext "$out/oita.pdf" "$dir/text"
check "the handbook's text is Japanese whatever the locale" 'grep -q "情報セキュリティチェックシート" "$dir/text"'
expect 0 "the default preset without --scheme" h export "$out/default.pdf"
expect 0 "--help" h export --help

# --- usage errors: 2, and nothing written ----------------------------------------------
expect 2 "no output file" h export --scheme oita-abcd
expect 2 "two output files" h export "$out/x.pdf" "$out/y.pdf"
expect 2 "a paper that is not b5 or a4" h export "$out/x.pdf" --paper letter
expect 2 "the leaflet as a booklet" h export "$out/x.pdf" --leaflet --booklet
expect 2 "--scheme with --vault" h export "$out/x.pdf" --scheme oita-abcd --vault "$dir/v"
expect 2 "--user without --vault" h export "$out/x.pdf" --user someone
expect 2 "an unknown preset" h export "$out/x.pdf" --scheme no-such-scheme
expect 2 "an unknown handbook command" h print "$out/x.pdf"
expect 2 "no handbook command" h
check "no file after usage errors" '[ ! -e "$out/x.pdf" ] && [ ! -e "$out/y.pdf" ]'

# --- write failures: 6, and no partial file --------------------------------------------
expect 6 "a folder that does not exist" h export "$dir/missing/handbook.pdf" --scheme oita-abcd
check "nothing made there" '[ ! -e "$dir/missing" ]'
mkdir "$out/folder.pdf"
expect 6 "OUT is a folder" h export "$out/folder.pdf" --scheme oita-abcd
check "no temporary file left behind" '[ -z "$(ls -A "$out" | grep "^\.")" ]'

# --- the school's own handbook from its vault -------------------------------------------
vault=$dir/school.mamori
printf 'principal passphrase\n' >"$dir/p1"
printf 'teacher passphrase\n' >"$dir/p2"
printf 'wrong passphrase\n' >"$dir/bad"
"$cli" vault create --vault "$vault" --school "みまもり市立さくら小学校" --user "山田 花子" \
  --role principal --passphrase-file "$dir/p1" >/dev/null 2>&1 </dev/null
"$cli" vault add-user --vault "$vault" --user "山田 花子" --passphrase-file "$dir/p1" \
  --new-user "佐藤 次郎" --role teacher --new-passphrase-file "$dir/p2" >/dev/null 2>&1 </dev/null
expect 0 "export the school's handbook" h export "$out/school.pdf" --vault "$vault" \
  --user "佐藤 次郎" --passphrase-file "$dir/p2"
pdftotext "$out/school.pdf" "$dir/school.txt"
check "the cover names the school" 'grep -q "みまもり市立さくら小学校" "$dir/school.txt"'
check "the contact chain names the principal" 'grep -q "山田 花子（校長）" "$dir/school.txt"'
expect 3 "a wrong passphrase" h export "$out/bad.pdf" --vault "$vault" --user "山田 花子" \
  --passphrase-file "$dir/bad"
check "no file for a wrong passphrase" '[ ! -e "$out/bad.pdf" ]'
expect 2 "a user the vault does not have" h export "$out/bad.pdf" --vault "$vault" \
  --user "誰か" --passphrase-file "$dir/p1"
expect 6 "a vault that does not exist" h export "$out/bad.pdf" --vault "$dir/none.mamori" \
  --passphrase-file "$dir/p1"

echo "1..$checks"
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
