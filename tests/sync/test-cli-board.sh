#!/bin/sh
# test-cli-board.sh — mamori-cli against a real mamori-board on loopback: a school that
# kept its own vault joins with a join code, two computers exchange a register entry
# through the board, a code works once, the board killed (exit 10, nothing lost) and
# started again, a revoked device refused (exit 8)
#
# Usage: test-cli-board.sh PATH/TO/mamori-cli PATH/TO/mamori-board
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cli=$1
board=$2
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
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

contains () {
  checks=$((checks + 1))
  if grep -q -- "$2" "$1"; then
    echo "ok - $3"
  else
    failures=$((failures + 1))
    echo "not ok - $3: \"$2\" not in:"
    sed 's/^/#   /' "$1"
  fi
}

# serve: starts mamori-board on a free port; $url is where.
serve () {
  "$board" serve --data "$dir/board" --listen 127.0.0.1:${port:-0} >"$dir/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    grep -q '^Serving' "$dir/serve.log" && break
    sleep 0.1
  done
  url=$(sed -n 's/^Serving .* on //p' "$dir/serve.log")
  port=$(echo "$url" | sed 's/.*:\([0-9]*\)\/*$/\1/')
}

vault=$dir/school.mamori
other=$dir/other.mamori
pass=$dir/pass
printf 'principal passphrase\n' >"$pass"

expect 0 "a school's own vault" "$cli" vault create --vault "$vault" --school さくら小学校 \
  --user 佐藤 --role principal --passphrase-file "$pass"
"$cli" vault info --vault "$vault" --passphrase-file "$pass" >"$dir/info"
school=$(sed -n 's/^School id: *//p' "$dir/info")
cp "$vault" "$other"
cp "$vault-keys" "$other-keys"

expect 0 "mamori-board init" "$board" init --data "$dir/board"
expect 0 "add-school --id" "$board" add-school --data "$dir/board" さくら小学校 --id "$school"
code=$(tail -n 1 "$dir/out" | awk '{print $NF}')
serve
contains "$dir/serve.log" "^Serving" "mamori-board serves on loopback"

expect 8 "a code that is not the board's" "$cli" board-join --vault "$vault" \
  --passphrase-file "$pass" "$url" AAAA-BBBB-CCCC
expect 2 "a code that is not a code" "$cli" board-join --vault "$vault" \
  --passphrase-file "$pass" "$url" "$(printf 'AB\001C')"
if grep -q "$(printf '\001')" "$dir/err"; then
  failures=$((failures + 1)); echo "not ok - the control character is not echoed"
else
  echo "ok - the control character is not echoed"
fi
checks=$((checks + 1))
expect 2 "a computer's name with an escape sequence" "$cli" board-join --vault "$vault" \
  --passphrase-file "$pass" --label "$(printf 'PC\033[31m')" "$url" "$code"
expect 2 "plain HTTP off loopback" "$cli" board-join --vault "$vault" \
  --passphrase-file "$pass" http://192.0.2.1:8080 "$code"
expect 0 "board-join with the join code" "$cli" board-join --vault "$vault" \
  --passphrase-file "$pass" --json "$url" "$code"
contains "$dir/out" '"unsent" : 0' "the history is all at the board"
expect 8 "the join code works once" "$cli" board-join --vault "$other" \
  --passphrase-file "$pass" "$url" "$code"

# The second computer's copy joins through its first sync's pin: the same board.
expect 0 "an entry on the first computer" "$cli" register add --vault "$vault" \
  --passphrase-file "$pass" --name 指導要録 --category gakuseki --level A --medium 紙
expect 0 "sync --once sends it" "$cli" sync --vault "$vault" --passphrase-file "$pass" --once \
  --json
contains "$dir/out" '"pushed" : 1' "one event pushed"
expect 0 "sync again: nothing to do" "$cli" sync --vault "$vault" --passphrase-file "$pass" \
  --once --json
contains "$dir/out" '"pushed" : 0' "nothing pushed twice"

# --- two people of a school the board created, each on a computer of their own ---------
expect 0 "add-school" "$board" add-school --data "$dir/board" 本町中学校
school2=$(tail -n 1 "$dir/out" | awk '{print $NF}')
expect 0 "add-staff: a vice-principal" "$board" add-staff --data "$dir/board" --school "$school2" \
  --name "山田 花子" --role vice-principal
vp_code=$(tail -n 1 "$dir/out" | awk '{print $NF}')
expect 0 "add-staff: a teacher" "$board" add-staff --data "$dir/board" --school "$school2" \
  --name "田中 一郎" --role teacher
teacher_code=$(tail -n 1 "$dir/out" | awk '{print $NF}')
printf 'vice principal passphrase\n' >"$dir/vp-pass"
printf 'teacher passphrase\n' >"$dir/teacher-pass"

expect 0 "board-join with an enrollment code makes the vault" "$cli" board-join \
  --vault "$dir/vp.mamori" --passphrase-file "$dir/vp-pass" --label 職員室PC "$url" "$vp_code"
contains "$dir/out" "本町中学校" "the school is the board's"
expect 0 "the teacher's computer too" "$cli" board-join --vault "$dir/teacher.mamori" \
  --passphrase-file "$dir/teacher-pass" "$url" "$teacher_code"
expect 8 "an enrollment code works once" "$cli" board-join --vault "$dir/again.mamori" \
  --passphrase-file "$dir/teacher-pass" "$url" "$teacher_code"
if [ -e "$dir/again.mamori" ] || [ -e "$dir/again.mamori-keys" ]; then
  failures=$((failures + 1)); echo "not ok - a refused code leaves no vault"
else
  echo "ok - a refused code leaves no vault"
fi
checks=$((checks + 1))
expect 0 "the vice-principal's role came from the board" "$cli" vault info \
  --vault "$dir/vp.mamori" --passphrase-file "$dir/vp-pass"
contains "$dir/out" "山田 花子 (vice-principal)" "the vault knows its user as the board does"

expect 0 "the vice-principal adds an entry" "$cli" register add --vault "$dir/vp.mamori" \
  --passphrase-file "$dir/vp-pass" --name 生徒指導記録 --category gakuseki --level A --medium 紙
expect 0 "…and syncs" "$cli" sync --vault "$dir/vp.mamori" --passphrase-file "$dir/vp-pass" --once
expect 0 "the teacher's computer syncs" "$cli" sync --vault "$dir/teacher.mamori" \
  --passphrase-file "$dir/teacher-pass" --once --json
contains "$dir/out" '"received" : 1' "the entry arrives"
expect 0 "the teacher reads it" "$cli" register list --vault "$dir/teacher.mamori" \
  --passphrase-file "$dir/teacher-pass"
contains "$dir/out" "生徒指導記録" "the vice-principal's entry, on the teacher's computer"
expect 8 "the teacher may not change the register" "$cli" register add \
  --vault "$dir/teacher.mamori" --passphrase-file "$dir/teacher-pass" --name 名簿 \
  --category gakuseki --level B --medium 紙

kill "$server"
wait "$server" 2>/dev/null
server=
expect 0 "another entry while the board is down" "$cli" register add --vault "$vault" \
  --passphrase-file "$pass" --name 出席簿 --category gakuseki --level B --medium 紙 \
  --reason テスト
expect 10 "sync with the board down" "$cli" sync --vault "$vault" --passphrase-file "$pass" \
  --once
expect 0 "the entry is still here" "$cli" register list --vault "$vault" --passphrase-file "$pass"
contains "$dir/out" "出席簿" "nothing lost"

serve
expect 0 "sync once the board is back" "$cli" sync --vault "$vault" --passphrase-file "$pass" \
  --once --json
contains "$dir/out" '"pushed" : 1' "the waiting event goes"
contains "$dir/out" '"unsent" : 0' "nothing waits"
expect 0 "mamori-board stats" "$board" stats --data "$dir/board" --json

echo "1..$checks"
[ "$failures" -eq 0 ]
