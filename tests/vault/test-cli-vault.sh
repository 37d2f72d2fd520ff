#!/bin/sh
# test-cli-vault.sh — `mamori-cli vault …`: every sub-command and every exit status
#
# Usage: test-cli-vault.sh PATH/TO/mamori-cli
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
failures=0
checks=0

# expect STATUS DESCRIPTION COMMAND…: runs the command (stdin from /dev/null, so it can
# never wait at a prompt), keeps its output in $dir/out and $dir/err.
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

# contains FILE TEXT DESCRIPTION
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

# flip_byte FILE OFFSET: inverts one bit of the byte at OFFSET (whatever it was: writing a
# fixed byte would leave it unchanged when it already had that value).
flip_byte () {
  old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf %o $((old ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

printf 'correct horse battery\n' >"$dir/yamada"
printf 'tanaka passphrase\n' >"$dir/tanaka"
printf 'a new passphrase\n' >"$dir/new"
printf 'wrong passphrase\n' >"$dir/wrong"
printf 'short\n' >"$dir/short"

v () {
  "$cli" vault "$@"
}

# --- 0: the happy path ------------------------------------------------------------
expect 0 "vault --help" v --help
contains "$dir/out" "rotate-key" "--help lists the commands"
contains "$dir/out" "new-recovery-code" "--help lists new-recovery-code"
expect 0 "create" v create --vault "$vault" --school "テスト小学校" --user 山田 \
  --role vice-principal --passphrase-file "$dir/yamada"
contains "$dir/out" "^Recovery code: [0-9A-Z]\{5\}\(-[0-9A-Z]\{5\}\)\{7\}$" "create prints the recovery code"
sed -n 's/^Recovery code: //p' "$dir/out" >"$dir/code"
expect 0 "info (sole user needs no --user)" v info --vault "$vault" --passphrase-file "$dir/yamada"
contains "$dir/out" "テスト小学校" "info shows the school"
contains "$dir/out" "山田 (vice-principal)" "info shows users and roles"
contains "$dir/out" "Argon2id, 1 passes over 8 MiB" "info shows the KDF parameters"
expect 0 "info --json" v info --vault "$vault" --user 山田 --passphrase-file "$dir/yamada" --json
cp "$dir/out" "$dir/info.json"
if command -v python3 >/dev/null; then
  expect 0 "info --json has the documented shape" python3 -c '
import json, sys
info = json.load(open(sys.argv[1]))
assert set(info) == {"vault", "school", "school_id", "created_at", "schema_version", "key_file_version", "users", "recovery"}, info
assert info["school"] == "テスト小学校" and info["schema_version"] == 7 and info["key_file_version"] == 2
assert len(info["school_id"]) == 32 and all(c in "0123456789abcdef" for c in info["school_id"])
assert info["users"] == [{"name": "山田", "role": "vice-principal", "kdf": {"algorithm": "argon2id", "iterations": 1, "memory_kib": 8192, "parallelism": 1}}]
assert info["recovery"]["kdf"]["algorithm"] == "argon2id"
' "$dir/info.json"
fi
expect 0 "add-user" v add-user --vault "$vault" --user 山田 --passphrase-file "$dir/yamada" \
  --new-user tanaka --role teacher --new-passphrase-file "$dir/tanaka"
expect 0 "verify as the new user" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/tanaka"
contains "$dir/out" "integrity check ok" "verify reports success"
expect 0 "passwd" v passwd --vault "$vault" --user tanaka --passphrase-file "$dir/tanaka" \
  --new-passphrase-file "$dir/new"
expect 3 "old passphrase no longer opens" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/tanaka"
expect 0 "new passphrase opens" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/new"
expect 0 "rotate-key" v rotate-key --vault "$vault" --user 山田 --passphrase-file "$dir/yamada"
expect 0 "after rotation, the other user opens" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/new"
expect 0 "recover" v recover --vault "$vault" --user tanaka --recovery-code-file "$dir/code" \
  --new-passphrase-file "$dir/tanaka"
expect 0 "recovered passphrase opens" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/tanaka"
expect 0 "the recovery code unlocks for verify" v verify --vault "$vault" --recovery-code-file "$dir/code"
expect 8 "a teacher cannot make a new recovery code" v new-recovery-code --vault "$vault" \
  --user tanaka --passphrase-file "$dir/tanaka"
contains "$dir/err" "Only the principal, the vice-principal or the board" "the message says who can"
expect 2 "new-recovery-code is not unlocked by the recovery code" v new-recovery-code \
  --vault "$vault" --recovery-code-file "$dir/code"
expect 0 "new-recovery-code" v new-recovery-code --vault "$vault" --user 山田 \
  --passphrase-file "$dir/yamada"
contains "$dir/out" "^Recovery code: [0-9A-Z]\{5\}\(-[0-9A-Z]\{5\}\)\{7\}$" "new-recovery-code prints the code"
contains "$dir/out" "shown only this once" "new-recovery-code explains it as create does"
sed -n 's/^Recovery code: //p' "$dir/out" >"$dir/newcode"
expect 3 "the old recovery code no longer works" v verify --vault "$vault" --recovery-code-file "$dir/code"
expect 0 "the new recovery code works" v verify --vault "$vault" --recovery-code-file "$dir/newcode"
expect 0 "the users still open" v verify --vault "$vault" --user tanaka --passphrase-file "$dir/tanaka"
mv "$dir/newcode" "$dir/code"
expect 0 "add-user sato" v add-user --vault "$vault" --user 山田 --passphrase-file "$dir/yamada" \
  --new-user sato --role office --new-passphrase-file "$dir/new"
expect 8 "office staff cannot remove themselves (the roster is the administrators')" \
  v remove-user --vault "$vault" --user sato --passphrase-file "$dir/new"
contains "$dir/err" "only the principal, the vice-principal or the board" "the message says who can"
expect 0 "remove-user --remove" v remove-user --vault "$vault" --user 山田 --passphrase-file "$dir/yamada" \
  --remove sato
contains "$dir/out" "rotate-key" "remove-user says how to cut off old copies of the slot"
expect 2 "the removed user is gone" v verify --vault "$vault" --user sato --passphrase-file "$dir/new"
expect 0 "remove-user" v remove-user --vault "$vault" --user 山田 --passphrase-file "$dir/yamada" --remove tanaka
expect 8 "the last administrator cannot be removed" v remove-user --vault "$vault" --user 山田 \
  --passphrase-file "$dir/yamada" --remove 山田
contains "$dir/err" "last administrator" "the message says why"

# --- 2: usage ------------------------------------------------------------------------
expect 2 "vault without a command" v
expect 2 "unknown vault command" v frobnicate --vault "$vault"
expect 2 "no --passphrase option exists" v info --vault "$vault" --passphrase secret
expect 2 "passphrase as an argument" v info --vault "$vault" --passphrase-file "$dir/yamada" secret
expect 2 "create without --school" v create --vault "$dir/other.mamori" --user a --role teacher \
  --passphrase-file "$dir/yamada"
expect 2 "unknown role" v create --vault "$dir/other.mamori" --school S --user a --role janitor \
  --passphrase-file "$dir/yamada"
expect 2 "new passphrase too short" v create --vault "$dir/other.mamori" --school S --user a \
  --role teacher --passphrase-file "$dir/short"
# setsid: no controlling terminal, as under CI.
expect 2 "no passphrase file and no terminal" setsid -w "$cli" vault verify --vault "$vault" --user 山田
expect 2 "a user who is not there" v verify --vault "$vault" --user nobody --passphrase-file "$dir/yamada"

# --- 3: wrong passphrase, nothing changed ---------------------------------------------
sums_before=$(cd "$dir" && sha256sum school.mamori school.mamori-keys)
expect 3 "wrong passphrase" v info --vault "$vault" --user 山田 --passphrase-file "$dir/wrong"
contains "$dir/err" "Wrong passphrase" "the message says so"
expect 3 "wrong current passphrase for passwd" v passwd --vault "$vault" --user 山田 \
  --passphrase-file "$dir/wrong" --new-passphrase-file "$dir/new"
case $(cut -c1 "$dir/code") in 0) other=1 ;; *) other=0 ;; esac
sed "s/^./$other/" "$dir/code" >"$dir/badcode"
expect 3 "a mistyped recovery code" v recover --vault "$vault" --user 山田 \
  --recovery-code-file "$dir/badcode" --new-passphrase-file "$dir/new"
contains "$dir/err" "Group 1 of the recovery code is mistyped" "the message names the group"
sums_after=$(cd "$dir" && sha256sum school.mamori school.mamori-keys)
checks=$((checks + 1))
if [ "$sums_before" = "$sums_after" ]; then
  echo "ok - wrong secrets left every file byte-identical"
else
  failures=$((failures + 1))
  echo "not ok - a wrong secret changed a file"
fi

# --- 4: damaged or altered -----------------------------------------------------------
expect 0 "make a damaged copy" sh -c "cp '$vault' '$dir/copy.mamori' && cp '$vault-keys' '$dir/copy.mamori-keys'"
size=$(stat -c %s "$dir/copy.mamori")
last_page=$((size / 4096))
flip_byte "$dir/copy.mamori" $((size - 500))
expect 4 "a flipped byte is detected by verify" v verify --vault "$dir/copy.mamori" --user 山田 \
  --passphrase-file "$dir/yamada"
contains "$dir/err" "Page $last_page " "the message names the page"
expect 4 "a database without its key file" sh -c "mv '$dir/copy.mamori-keys' '$dir/gone' && \
  '$cli' vault info --vault '$dir/copy.mamori' --passphrase-file '$dir/yamada'"

# --- 5: made by a newer Mamori -------------------------------------------------------
expect 0 "make a copy from the future" sh -c "cp '$vault' '$dir/new.mamori' && \
  sed 's/\"version\" : 2,/\"version\" : 99,/' '$vault-keys' >'$dir/new.mamori-keys'"
expect 5 "a newer key file is refused" v info --vault "$dir/new.mamori" --passphrase-file "$dir/yamada"
contains "$dir/err" "newer version of Mamori" "the message says why"

# --- 6: other failures ---------------------------------------------------------------
expect 6 "create over an existing vault" v create --vault "$vault" --school S --user a \
  --role principal --passphrase-file "$dir/yamada"
expect 6 "no vault at the path" v info --vault "$dir/missing.mamori" --passphrase-file "$dir/yamada"
expect 6 "no vault at the path (recover)" v recover --vault "$dir/missing.mamori" --user 山田 \
  --recovery-code-file "$dir/code" --new-passphrase-file "$dir/new"
expect 6 "unreadable passphrase file" v info --vault "$vault" --passphrase-file "$dir/missing"

# --- the attacks of issue 6 ---------------------------------------------------------------
# A school of its own: a principal, a teacher, office staff.
school=$dir/attacks.mamori
printf 'principal passphrase\n' >"$dir/p"
printf 'teacher passphrase\n' >"$dir/t"
printf 'office passphrase\n' >"$dir/o"
expect 0 "create the attack school" v create --vault "$school" --school "攻撃テスト小学校" \
  --user 校長 --role principal --passphrase-file "$dir/p"
sed -n 's/^Recovery code: //p' "$dir/out" >"$dir/school-code"
expect 0 "add a teacher" v add-user --vault "$school" --user 校長 --passphrase-file "$dir/p" \
  --new-user 教諭 --role teacher --new-passphrase-file "$dir/t"
expect 0 "add office staff" v add-user --vault "$school" --user 校長 --passphrase-file "$dir/p" \
  --new-user 事務 --role office --new-passphrase-file "$dir/o"

# A teacher adds a principal, then removes the principal, changes roles: 8 each time.
expect 8 "a teacher cannot add a principal" v add-user --vault "$school" --user 教諭 \
  --passphrase-file "$dir/t" --new-user 偽校長 --role principal --new-passphrase-file "$dir/t"
contains "$dir/err" "only the principal, the vice-principal or the board" "the reason is on stderr"
expect 8 "a teacher cannot remove the principal" v remove-user --vault "$school" --user 教諭 \
  --passphrase-file "$dir/t" --remove 校長
expect 8 "a teacher cannot change their own role" v set-role --vault "$school" --user 教諭 \
  --passphrase-file "$dir/t" --staff 教諭 --role principal
expect 8 "nobody changes their own role" v set-role --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --staff 校長 --role board
expect 0 "an administrator changes another's role" v set-role --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --staff 事務 --role teacher
expect 0 "and back" v set-role --vault "$school" --user 校長 --passphrase-file "$dir/p" \
  --staff 事務 --role office

# The key file edited by hand: a slot renamed and made principal.
cp "$school-keys" "$dir/keys.saved"
sed 's/"user" : "教諭",/"user" : "校長2",/; s/"role" : "teacher"/"role" : "principal"/' \
  "$dir/keys.saved" >"$school-keys"
expect 4 "a renamed, promoted slot is refused" v info --vault "$school" --user 校長2 \
  --passphrase-file "$dir/t"
contains "$dir/err" "altered" "the message says the key file was altered"
expect 4 "everybody sees the key file was altered" v info --vault "$school" --user 校長 \
  --passphrase-file "$dir/p"
cp "$dir/keys.saved" "$school-keys"
expect 0 "the key file put back opens again" v info --vault "$school" --user 教諭 \
  --passphrase-file "$dir/t"
contains "$dir/out" "教諭 (teacher)" "the role shown is the roster's"

# A key file asking Argon2 for 1,000 passes is damaged, not obeyed.
sed 's/"iterations" : [0-9]*/"iterations" : 1000/' "$dir/keys.saved" >"$school-keys"
expect 4 "1,000 Argon2 passes are refused" v info --vault "$school" --user 教諭 \
  --passphrase-file "$dir/t"
cp "$dir/keys.saved" "$school-keys"

# The log of the roster, signed and checked.
expect 0 "vault log" v log --vault "$school" --user 教諭 --passphrase-file "$dir/t"
contains "$dir/out" "校長 (Principal).*added 教諭 (Teacher)" "the log says who added whom"
expect 0 "vault log --json" v log --vault "$school" --user 教諭 --passphrase-file "$dir/t" --json
if command -v python3 >/dev/null; then
  cp "$dir/out" "$dir/log.json"
  expect 0 "vault log --json has the documented shape" python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
assert list(log) == ["events"]
types = [e["type"] for e in log["events"]]
assert types[:3] == ["school-created", "staff-added", "staff-added"], types
for e in log["events"]:
    assert set(e) == {"seq", "id", "type", "created_at", "author", "signed_by", "summary", "body", "verified"}, e
    assert e["verified"] is True and len(e["id"]) == 64 and len(e["author"]) == 64
' "$dir/log.json"
fi

# Names that are not names: usage errors, never crashes.
expect 2 "create --user ''" v create --vault "$dir/empty.mamori" --school S --user '' \
  --role principal --passphrase-file "$dir/p"
expect 2 "create --school ''" v create --vault "$dir/empty.mamori" --school '' --user a \
  --role principal --passphrase-file "$dir/p"
expect 2 "a right-to-left override in a name" v add-user --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --new-user "$(printf 'abc\342\200\256def')" --role teacher \
  --new-passphrase-file "$dir/t"
expect 2 "a control character in a name" v add-user --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --new-user "$(printf 'abc\033[31mdef')" --role teacher \
  --new-passphrase-file "$dir/t"
contains "$dir/err" "U+001B" "the message names the character"
checks=$((checks + 1))
if grep -q "$(printf '\033')" "$dir/err"; then
  failures=$((failures + 1)); echo "not ok - the control character was printed raw"
else
  echo "ok - the control character is not printed raw"
fi
expect 2 "a name of 201 characters" v add-user --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --new-user "$(printf '%0201d' 0)" --role teacher \
  --new-passphrase-file "$dir/t"
checks=$((checks + 1))
if [ ! -e "$dir/empty.mamori" ] && [ ! -e "$dir/empty.mamori-keys" ]; then
  echo "ok - no vault was left by the refused creations"
else
  failures=$((failures + 1)); echo "not ok - a refused creation left files"
fi

# The same passphrase typed in NFD where it was set in NFC.
# "abc パスワード": パ and ド precomposed, then decomposed (ハ + U+309A, ト + U+3099).
printf 'abc \343\203\221\343\202\271\343\203\257\343\203\274\343\203\211\n' >"$dir/nfc"
printf 'abc \343\203\217\343\202\232\343\202\271\343\203\257\343\203\274\343\203\210\343\202\231\n' >"$dir/nfd"
expect 0 "add a user with an NFC passphrase" v add-user --vault "$school" --user 校長 \
  --passphrase-file "$dir/p" --new-user 正規化 --role teacher --new-passphrase-file "$dir/nfc"
expect 0 "the NFD form of it opens" v info --vault "$school" --user 正規化 --passphrase-file "$dir/nfd"

# A recovery code that cannot be written out is not made: the old one keeps working.
if [ -w /dev/full ]; then
  checks=$((checks + 1))
  "$cli" vault new-recovery-code --vault "$school" --user 校長 --passphrase-file "$dir/p" \
    >/dev/full 2>"$dir/err" </dev/null
  got=$?
  if [ "$got" -ne 0 ]; then
    echo "ok - new-recovery-code > /dev/full fails ($got)"
  else
    failures=$((failures + 1)); echo "not ok - new-recovery-code > /dev/full exited 0"
  fi
  contains "$dir/err" "old one still works" "the message says the old code still works"
  expect 0 "the old recovery code still works" v verify --vault "$school" \
    --recovery-code-file "$dir/school-code"
  checks=$((checks + 1))
  "$cli" vault create --vault "$dir/full.mamori" --school S --user a --role principal \
    --passphrase-file "$dir/p" >/dev/full 2>"$dir/err" </dev/null
  got=$?
  if [ "$got" -ne 0 ] && [ ! -e "$dir/full.mamori" ] && [ ! -e "$dir/full.mamori-keys" ]; then
    echo "ok - create > /dev/full fails ($got) and leaves no vault without a recovery code"
  else
    failures=$((failures + 1)); echo "not ok - create > /dev/full: exit $got, files left?"
  fi
fi

# rotate-key keeps the files' modes.
chmod 640 "$school"
chmod 600 "$school-keys"
expect 0 "rotate-key" v rotate-key --vault "$school" --user 校長 --passphrase-file "$dir/p"
checks=$((checks + 1))
if [ "$(stat -c %a "$school") $(stat -c %a "$school-keys")" = "640 600" ]; then
  echo "ok - rotate-key kept the modes"
else
  failures=$((failures + 1))
  echo "not ok - rotate-key changed the modes: $(stat -c %a "$school") $(stat -c %a "$school-keys")"
fi

# Rotations, additions and readers at once: they wait or say "busy", never "damaged".
: >"$dir/statuses"
for i in 1 2 3; do
  ( "$cli" vault rotate-key --vault "$school" --user 校長 --passphrase-file "$dir/p" \
      >/dev/null 2>"$dir/rot$i.err" </dev/null; echo "rotate $? $i" >>"$dir/statuses" ) &
  ( "$cli" vault verify --vault "$school" --user 教諭 --passphrase-file "$dir/t" \
      >/dev/null 2>"$dir/ver$i.err" </dev/null; echo "verify $? $i" >>"$dir/statuses" ) &
  ( printf 'new user %s\n' "$i" >"$dir/n$i"
    "$cli" vault add-user --vault "$school" --user 校長 --passphrase-file "$dir/p" \
      --new-user "並行$i" --role teacher --new-passphrase-file "$dir/n$i" \
      >/dev/null 2>"$dir/add$i.err" </dev/null; echo "add $? $i" >>"$dir/statuses" ) &
done
wait
checks=$((checks + 1))
if grep -qv ' [06] ' "$dir/statuses" || cat "$dir"/rot*.err "$dir"/ver*.err "$dir"/add*.err | grep -q 'damaged\|altered'; then
  failures=$((failures + 1))
  echo "not ok - concurrent commands:"; sed 's/^/#   /' "$dir/statuses"
  cat "$dir"/rot*.err "$dir"/ver*.err "$dir"/add*.err | sed 's/^/#   /'
else
  echo "ok - concurrent rotate-key, add-user and verify: none reported damage"
fi
expect 0 "the vault is whole afterwards" v verify --vault "$school" --user 教諭 --passphrase-file "$dir/t"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
