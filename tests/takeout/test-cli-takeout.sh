#!/usr/bin/env bash
# test-cli-takeout.sh — mamori-cli takeout: request (--json's exact shape, exit 7 when the
# policy refuses the level or the medium), approve / reject / out / return / confirm with
# exit 8 for one's own request, no authority or the wrong state, blanket grants, list and
# show --json's exact shapes, the take-out log as CSV in UTF-8 and CP932, a wrong
# passphrase for a decision (exit 3), and an approval in two steps (show --json's "steps",
# exit 8 for a second step by the same person).
#
# Usage: test-cli-takeout.sh MAMORI_CLI DEMO_REGISTER_CSV
set -euo pipefail

cli=$1
demo=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MAMORI_KDF_TEST_FAST=1 LANG=C.UTF-8 LC_ALL=C.UTF-8

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS COMMAND…: runs COMMAND and checks its exit status.
expect() {
  local want=$1 got=0
  shift
  "$@" >"$dir/out" 2>"$dir/err" || got=$?
  [ "$got" -eq "$want" ] || { cat "$dir/err" >&2; fail "$* exited $got, not $want"; }
}

vault="$dir/school.mamori"
printf 'principal passphrase\n' >"$dir/p"
printf 'vice passphrase\n' >"$dir/v"
printf 'teacher passphrase\n' >"$dir/t"
printf 'colleague passphrase\n' >"$dir/c"
p=(--vault "$vault" --user 校長 --passphrase-file "$dir/p")
vp=(--vault "$vault" --user 教頭 --passphrase-file "$dir/v")
t=(--vault "$vault" --user 教諭 --passphrase-file "$dir/t")
c=(--vault "$vault" --user 同僚 --passphrase-file "$dir/c")
expect 0 "$cli" vault create --vault "$vault" --school テスト小学校 --user 校長 --role principal \
  --passphrase-file "$dir/p"
expect 0 "$cli" vault add-user "${p[@]}" --new-user 教頭 --role vice-principal --new-passphrase-file "$dir/v"
expect 0 "$cli" vault add-user "${p[@]}" --new-user 教諭 --role teacher --new-passphrase-file "$dir/t"
expect 0 "$cli" vault add-user "${p[@]}" --new-user 同僚 --role teacher --new-passphrase-file "$dir/c"
expect 0 "$cli" register import "$demo" "${p[@]}"

# Nothing yet.
expect 1 "$cli" takeout list "${t[@]}"

# Usage errors: 2.
expect 2 "$cli" takeout request "${t[@]}" --medium usb --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-06-02
expect 2 "$cli" takeout request "${t[@]}" --asset 通知表 --medium floppy --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-06-02
expect 2 "$cli" takeout request "${t[@]}" --asset 通知表 --medium usb --to 自宅 --purpose 採点 --from 2026-06-03 --until 2026-06-02
expect 2 "$cli" takeout request "${t[@]}" --asset 通知表 --medium usb --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-6-2
expect 1 "$cli" takeout request "${t[@]}" --asset 存在しない資料 --medium usb --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-06-02
# A part of a name: not found, and the entries that contain it are named (text compared as
# the lookup compares it: the bracketed part, full-width letters).
expect 1 "$cli" takeout request "${t[@]}" --asset '(学籍に関する記録)' --medium usb --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-06-02
grep -q 'contain it: 指導要録（学籍に関する記録）その写し及び抄本$' "$dir/err" || fail "similar names: $(cat "$dir/err")"
expect 1 "$cli" takeout request "${t[@]}" --asset 指導要録 --medium usb --to 自宅 --purpose 採点 --from 2026-06-01 --until 2026-06-02
grep -q 'entries whose names contain it: 指導要録（学籍に関する記録）その写し及び抄本、指導要録（指導に関する記録）その写し及び抄本$' "$dir/err" || fail "similar names: $(cat "$dir/err")"
expect 2 "$cli" takeout approve "${t[@]}"
# What was typed makes a malformed event (an escape sequence, a text too long): usage, not
# damage; nothing is filed.
expect 2 "$cli" takeout request "${t[@]}" --asset 通知表 --medium usb --to "$(printf '自宅\033[2J')" --purpose 採点 --from 2026-06-01 --until 2026-06-02
expect 2 "$cli" takeout request "${t[@]}" --asset 通知表 --medium usb --to 自宅 --purpose "$(head -c 1001 /dev/zero | tr '\0' x)" --from 2026-06-01 --until 2026-06-02
expect 1 "$cli" takeout list "${t[@]}"

# A level-B entry (通知表) with a level-D item: B decides, per-instance approval.
req=(--to 自宅 --purpose 成績処理 --from 2026-06-01 --until 2026-06-03)
expect 0 "$cli" takeout request "${t[@]}" --asset 通知表 --item 学年だより=D --medium usb "${req[@]}" --json
python3 - "$dir/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert list(r) == ["id", "state", "level", "rule", "approvers", "measures"], list(r)
assert r["state"] == "pending" and r["level"] == "B" and r["rule"] == "approval-per-instance", r
assert r["approvers"] == ["principal", "vice-principal"], r
assert any("公用USBメモリ" in m for m in r["measures"]), r
assert len(r["id"]) == 32
PY
b=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$dir/out")

# Refused by the policy: exit 7, the id printed, the reason on standard error.
expect 7 "$cli" takeout request "${t[@]}" --asset 出席簿 --medium paper "${req[@]}"
grep -q 'remote access' "$dir/err" || fail "forbidden: $(cat "$dir/err")"
[ "$(wc -c <"$dir/out")" -eq 33 ] || fail "refused request id: $(cat "$dir/out")"
expect 7 "$cli" takeout request "${t[@]}" --asset 通知表 --medium cloud "${req[@]}" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="refused" and r["approvers"]==[] and r["measures"]==[], r' "$dir/out"
expect 7 "$cli" takeout request "${t[@]}" --asset 通知表 --medium private-usb "${req[@]}"

# Separation of duties, authority, wrong state: exit 8.
expect 8 "$cli" takeout approve "$b" "${t[@]}"
expect 8 "$cli" takeout approve "$b" "${c[@]}"
expect 8 "$cli" takeout out "$b" "${t[@]}"
expect 2 "$cli" takeout reject "$b" "${vp[@]}"
expect 1 "$cli" takeout approve 00000000000000000000000000000000 "${vp[@]}"
expect 0 "$cli" takeout approve "$b" "${vp[@]}"
expect 8 "$cli" takeout approve "$b" "${p[@]}"
expect 8 "$cli" takeout out "$b" "${c[@]}"
expect 0 "$cli" takeout out "$b" "${t[@]}"
expect 0 "$cli" takeout return "$b" "${t[@]}"
expect 8 "$cli" takeout confirm "$b" "${t[@]}"
expect 0 "$cli" takeout confirm "$b" "${p[@]}"

# Rejected, with its reason; withdrawn.
expect 0 "$cli" takeout request "${c[@]}" --asset 通知表 --medium paper "${req[@]}"
r=$(cat "$dir/out")
expect 0 "$cli" takeout reject "$r" --reason 期間が長すぎます "${p[@]}"
expect 8 "$cli" takeout withdraw "$r" "${c[@]}"
expect 0 "$cli" takeout request "${c[@]}" --asset 通知表 --medium paper "${req[@]}"
w=$(cat "$dir/out")
expect 8 "$cli" takeout withdraw "$w" "${t[@]}"
expect 0 "$cli" takeout withdraw "$w" "${c[@]}"

# Blanket grants: a teacher cannot grant; the vice-principal grants C to 教諭.
expect 8 "$cli" takeout grant "${t[@]}" --to all --max-level C --until 2099-03-31
expect 2 "$cli" takeout grant "${vp[@]}" --to 教諭 --max-level Z --until 2099-03-31
expect 1 "$cli" takeout grant "${vp[@]}" --to 誰か --max-level C --until 2099-03-31
# A name that is not on the staff is quoted back as text: an escape sequence in it does
# not reach the terminal.
expect 1 "$cli" takeout grant "${vp[@]}" --to $'誰\e[2Jか' --max-level C --until 2099-03-31
grep -q '誰<U+001B>\[2Jか' "$dir/err" || fail "the escape was not written out: $(cat -v "$dir/err")"
! grep -q $'\e' "$dir/err" || fail "an escape reached standard error"
expect 0 "$cli" takeout grant "${vp[@]}" --to 教諭 --max-level C --until 2099-03-31
g=$(cat "$dir/out")
expect 0 "$cli" takeout request "${t[@]}" --item 学級通信の原稿=C --medium usb "${req[@]}" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="approved" and r["rule"]=="approval-blanket", r' "$dir/out"
expect 0 "$cli" takeout request "${c[@]}" --item 学級通信の原稿=C --medium usb "${req[@]}" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="pending", r' "$dir/out"
p2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$dir/out")
expect 8 "$cli" takeout revoke "$g" "${t[@]}"
expect 0 "$cli" takeout revoke "$g" "${p[@]}"
expect 8 "$cli" takeout revoke "$g" "${p[@]}"

# An approval given as a blanket grant too: the colleague's next C request is covered.
expect 2 "$cli" takeout approve "$p2" "${vp[@]}" --grant-to 同僚
expect 0 "$cli" takeout approve "$p2" "${vp[@]}" --grant-until 2099-03-31
[ "$(wc -c <"$dir/out")" -eq 33 ] || fail "grant id: $(cat "$dir/out")"
expect 0 "$cli" takeout request "${c[@]}" --item 学級通信の原稿=C --medium paper "${req[@]}" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="approved", r' "$dir/out"

# Free: recorded.  Taken out with a period long past: overdue.
expect 0 "$cli" takeout request "${t[@]}" --item 時間割=D --medium paper --to 自宅 --purpose 確認 \
  --from 2020-04-01 --until 2020-04-02 --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["state"]=="recorded" and r["approvers"]==[], r' "$dir/out"
o=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$dir/out")
expect 0 "$cli" takeout out "$o" "${t[@]}"

expect 0 "$cli" takeout list "${p[@]}" --json
python3 - "$dir/out" "$b" "$o" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
assert list(data) == ["requests"], list(data)
keys = ["id", "state", "requester", "assets", "level", "rule", "from", "until", "overdue", "approved_by"]
by_id = {}
for r in data["requests"]:
    assert list(r) == keys, list(r)
    by_id[r["id"]] = r
assert len(data["requests"]) == 10, len(data["requests"])
b = by_id[sys.argv[2]]
assert b["state"] == "closed" and b["approved_by"] == "教頭" and b["requester"] == "教諭", b
assert b["assets"] == ["通知表", "学年だより"], b
o = by_id[sys.argv[3]]
assert o["state"] == "out" and o["overdue"] is True and o["approved_by"] is None, o
assert sorted({r["state"] for r in data["requests"]}) == ["approved", "closed", "out", "refused", "rejected", "withdrawn"], data
PY
expect 0 "$cli" takeout list "${c[@]}" --mine --state withdrawn --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; assert len(r)==1 and r[0]["requester"]=="同僚", r' "$dir/out"
expect 1 "$cli" takeout list "${t[@]}" --state returned
expect 2 "$cli" takeout list "${t[@]}" --state lost

expect 0 "$cli" takeout show "$b" "${t[@]}" --json
python3 - "$dir/out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert [h["type"] for h in s["history"]] == ["takeout-requested", "takeout-approved", "taken-out", "returned", "return-confirmed"], s
assert s["history"][1]["author"].startswith("教頭"), s["history"][1]
assert s["request"]["state"] == "closed"
PY
expect 1 "$cli" takeout show 00000000000000000000000000000000 "${t[@]}"

# The form: its text as poppler reads it, the fingerprint of the approval's signature.
expect 0 "$cli" takeout form "$b" "${t[@]}" --output "$dir/form.pdf"
pdftotext -layout "$dir/form.pdf" "$dir/form.txt"
pdffonts "$dir/form.pdf" | grep -q 'NotoSansCJKjp-Regular *CID Type 0C *Identity-H *yes' || fail "form font not embedded: $(pdffonts "$dir/form.pdf")"
for text in "Take-out request" 通知表 学年だより 重要度B 自宅 成績処理 "2026-06-01 to 2026-06-03" \
  "Approved by: 教頭" 公用USBメモリ "$b"; do
  grep -q -- "$text" "$dir/form.txt" || fail "form lacks $text: $(cat "$dir/form.txt")"
done
expect 0 "$cli" takeout show "$b" "${t[@]}" --json
fingerprint=$(python3 - "$dir/out" <<'PY'
import hashlib, json, sys
approval = json.load(open(sys.argv[1]))["history"][1]
assert approval["type"] == "takeout-approved", approval
h = hashlib.sha256(bytes.fromhex(approval["sig"])).hexdigest()[:16]
print("-".join(h[i:i + 4] for i in range(0, 16, 4)))
PY
)
grep -q "fingerprint: $fingerprint" "$dir/form.txt" || fail "fingerprint $fingerprint: $(cat "$dir/form.txt")"
expect 1 "$cli" takeout form 00000000000000000000000000000000 "${t[@]}" --output "$dir/none.pdf"
expect 2 "$cli" takeout form "$b" "${t[@]}"

# The filled example (記入例): fixed example data, no vault and no ID.
expect 0 "$cli" takeout form --example --output "$dir/example.pdf"
pdftotext -layout "$dir/example.pdf" "$dir/example.txt"
for text in Example "Take-out request" "Taro Yamada" "Class 2-1 grades, first term" \
  "Hanako Sato" "2026-07-18 to 2026-07-20" "Encrypted official USB stick"; do
  grep -q -- "$text" "$dir/example.txt" || fail "example lacks $text: $(cat "$dir/example.txt")"
done
grep -q -- "$b" "$dir/example.txt" && fail "the example shows a request of the vault"
expect 2 "$cli" takeout form --example
expect 2 "$cli" takeout form "$b" --example --output "$dir/x.pdf"

# The take-out log: UTF-8 with a BOM, and CP932.
expect 0 "$cli" takeout log "${p[@]}" --from 2026-06-01 --until 2026-06-30 --format csv --output "$dir/log.csv"
python3 - "$dir/log.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
rows = list(csv.reader(raw[3:].decode("utf-8").splitlines()))
assert len(rows) == 1 + 6, rows
assert rows[1][2] == "通知表、学年だより" and rows[1][1] == "教諭", rows[1]
PY
expect 0 "$cli" takeout log "${p[@]}" --from 2020-01-01 --until 2020-12-31 --format csv --encoding cp932 --output "$dir/log-sjis.csv"
python3 -c 'import sys; t=open(sys.argv[1],"rb").read().decode("cp932"); assert "時間割" in t, t' "$dir/log-sjis.csv"
expect 2 "$cli" takeout log "${p[@]}" --from 2026-06-01 --until 2026-06-30 --format xml --output "$dir/x"
expect 0 "$cli" takeout log "${p[@]}" --from 2026-06-01 --until 2026-06-30 --format pdf --output "$dir/log.pdf"
pdftotext -layout "$dir/log.pdf" "$dir/log.txt"
grep -q "Take-out log, 2026-06-01 to 2026-06-30" "$dir/log.txt" || fail "log title: $(cat "$dir/log.txt")"
[ "$(grep -c 成績処理 "$dir/log.txt")" -eq 6 ] || fail "log rows: $(cat "$dir/log.txt")"
grep -q 時間割 "$dir/log.txt" && fail "log holds a request outside its dates"

# A decision with a wrong passphrase: exit 3, nothing signed.
expect 0 "$cli" takeout request "${t[@]}" --asset 通知表 --medium paper "${req[@]}"
x=$(cat "$dir/out")
printf 'not the passphrase\n' >"$dir/wrong"
expect 3 "$cli" takeout approve "$x" --vault "$vault" --user 教頭 --passphrase-file "$dir/wrong"
expect 3 "$cli" takeout reject "$x" --reason だめ --vault "$vault" --user 校長 --passphrase-file "$dir/wrong"
expect 0 "$cli" takeout show "$x" "${t[@]}" --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["request"]["state"]=="pending" and len(s["history"])==1, s' "$dir/out"

# Level B in two steps, either administrator for each, never the same person for both.
python3 - "$(dirname "$demo")/../policies/oita-abcd.json" "$dir/steps.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
for level in policy["levels"]:
    if level["id"] == "B":
        level["approval_steps"] = [{"roles": ["vice-principal", "principal"]},
                                   {"roles": ["principal", "vice-principal"]}]
json.dump(policy, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect 0 "$cli" policy install "$dir/steps.json" "${p[@]}"
expect 0 "$cli" takeout request "${t[@]}" --asset 通知表 --medium usb "${req[@]}" --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert list(r)==["id","state","level","rule","approvers","measures"] and r["state"]=="pending", r' "$dir/out"
s2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$dir/out")
expect 0 "$cli" takeout approve "$s2" "${vp[@]}"
expect 8 "$cli" takeout approve "$s2" "${vp[@]}"
grep -q 'signed another step' "$dir/err" || fail "second step: $(cat "$dir/err")"
expect 0 "$cli" takeout show "$s2" "${t[@]}" --json
python3 - "$dir/out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["request"]["state"] == "pending" and s["request"]["approved_by"] is None, s
assert s["steps"] == [{"step": 1, "roles": ["vice-principal", "principal"], "signed_by": "教頭"},
                      {"step": 2, "roles": ["principal", "vice-principal"], "signed_by": None}], s["steps"]
assert s["history"][1]["body"]["step"] == 1, s["history"]
PY
expect 0 "$cli" takeout approve "$s2" "${p[@]}"
expect 0 "$cli" takeout show "$s2" "${t[@]}" --json
python3 - "$dir/out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["request"]["state"] == "approved" and s["request"]["approved_by"] == "校長", s
assert [h["body"].get("step") for h in s["history"]] == [None, 1, 2], s["history"]
assert s["steps"][1]["signed_by"] == "校長", s["steps"]
PY
expect 0 "$cli" takeout list "${p[@]}" --state approved --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; assert all(list(x)==["id","state","requester","assets","level","rule","from","until","overdue","approved_by"] for x in r), r' "$dir/out"
echo ok
