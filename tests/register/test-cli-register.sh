#!/usr/bin/env bash
# test-cli-register.sh — mamori-cli register: import (twice, a broken file, CP932), list
# --json's exact shape, places, history, add/edit/remove, export as CSV and XLSX (the
# XLSX unzipped to find every entry), and exit 8 for a teacher; then `policy install`
# moving the register to another scheme's levels.
#
# Usage: test-cli-register.sh MAMORI_CLI DEMO_REGISTER_CSV
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
printf 'teacher passphrase\n' >"$dir/t"
v=(--vault "$vault" --user 校長 --passphrase-file "$dir/p")
expect 0 "$cli" vault create --vault "$vault" --school テスト小学校 --user 校長 --role principal \
  --passphrase-file "$dir/p"
expect 0 "$cli" vault add-user "${v[@]}" --new-user 教諭 --role teacher --new-passphrase-file "$dir/t"

# An empty register: nothing found.
expect 1 "$cli" register list "${v[@]}"

# The demo file, then again: nothing changes the second time.
expect 0 "$cli" register import "$demo" "${v[@]}"
grep -q '^Added 86 entries and changed 0; 0 unchanged (utf-8)$' "$dir/out" || fail "first import: $(cat "$dir/out")"
expect 0 "$cli" register import "$demo" "${v[@]}"
grep -q '^Added 0 entries and changed 0; 86 unchanged' "$dir/out" || fail "second import: $(cat "$dir/out")"

# A file with errors: exit 9, each error as line:column: reason, nothing imported.
printf '名称,分類,重要度\r\n新しい資料,学籍情報,重要度A\r\n壊れた資料,学籍情報,重要度Z\r\n' >"$dir/bad.csv"
expect 9 "$cli" register import "$dir/bad.csv" "${v[@]}"
grep -q '^3:3: Unknown level “重要度Z”' "$dir/err" || fail "bad file errors: $(cat "$dir/err")"
# What the file holds is quoted as text: an escape sequence in a cell does not reach the
# terminal.
printf '名称,分類,重要度\r\n壊れた資料,学籍情報,A\033[2J\r\n' >"$dir/escape.csv"
expect 9 "$cli" register import "$dir/escape.csv" "${v[@]}"
grep -q '^2:3: .*A<U+001B>\[2J' "$dir/err" || fail "escape in a cell: $(cat -v "$dir/err")"
! grep -q $'\e' "$dir/err" || fail "an escape reached standard error"
expect 0 "$cli" register list --json "${v[@]}"
python3 - "$dir/out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
assert list(data) == ["entries"], data.keys()
keys = ["id", "name", "category", "level", "qualifier", "medium", "location", "custodian",
        "takeout", "retention", "notes", "updated_at", "updated_by"]
assert len(data["entries"]) == 86, len(data["entries"])
for e in data["entries"]:
    assert list(e) == keys, list(e)
    assert e["updated_by"] == "校長"
first = data["entries"][0]
assert first["level"] == "A" and first["category"] == "gakuseki" and first["medium"] == "paper", first
assert first["notes"] is None and first["takeout"] == "forbidden", first
assert not any(e["name"] == "新しい資料" for e in data["entries"])
PY

# A teacher reads but changes nothing: exit 8.
t=(--vault "$vault" --user 教諭 --passphrase-file "$dir/t")
expect 0 "$cli" register list "${t[@]}"
expect 8 "$cli" register import "$demo" "${t[@]}"
expect 8 "$cli" register add "${t[@]}" --name 時間割 --category unei --level D
expect 0 "$cli" register import "$demo" --dry-run "${t[@]}"

# add, edit, history, remove.
expect 0 "$cli" register add "${v[@]}" --name 時間割 --category 学校運営・学校経営・その他 \
  --level 重要度D --medium 両方 --location 職員室
id=$(cat "$dir/out")
expect 2 "$cli" register add "${v[@]}" --name 出席簿 --category gakuseki --level Z
expect 0 "$cli" register edit "${v[@]}" --id "$id" --level C --custodian 教務主任
expect 0 "$cli" register history "${v[@]}" --id "$id" --json
python3 - "$dir/out" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["history"]
assert [i["type"] for i in h] == ["asset-added", "asset-changed"], h
assert h[1]["changes"]["level"] == {"old": "D", "new": "C"}, h[1]
assert h[1]["changes"]["custodian"] == {"old": None, "new": "教務主任"}, h[1]
PY
expect 0 "$cli" register remove "${v[@]}" --id "$id"
expect 1 "$cli" register edit "${v[@]}" --id "$id" --level B

# Places: highest level wins.
expect 0 "$cli" register places --json "${v[@]}"
python3 - "$dir/out" <<'PY'
import json, sys
places = {p["location"]: p for p in json.load(open(sys.argv[1]))["places"]}
usb = places["教務用USBメモリ（暗号化 3番）"]
assert usb["level"] == "B" and sorted(e["level"] for e in usb["entries"]) == ["B", "C"], usb
PY

# Export: CSV in CP932 and back (nothing changes), XLSX unzipped.
expect 0 "$cli" register export "$dir/out.csv" --encoding cp932 "${v[@]}"
expect 0 "$cli" register import "$dir/out.csv" "${v[@]}"
grep -q '^Added 0 entries and changed 0; 86 unchanged (cp932)$' "$dir/out" || fail "cp932 round trip: $(cat "$dir/out")"
expect 0 "$cli" register export "$dir/out.xlsx" "${v[@]}"
expect 0 "$cli" register list --json "${v[@]}"
python3 - "$dir/out.xlsx" "$dir/out" <<'PY'
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names, names
workbook = z.read("xl/workbook.xml").decode()
assert 'name="台帳"' in workbook and 'name="保管場所"' in workbook, workbook
strings = z.read("xl/sharedStrings.xml").decode()
sheet = z.read("xl/worksheets/sheet1.xml").decode()
assert '<pane ySplit="1"' in sheet and 'state="frozen"' in sheet, "header row not frozen"
assert '<cols>' in sheet and 'customWidth="1"' in sheet, "column widths not set"
styles = z.read("xl/styles.xml").decode()
assert 'FFF4CCCC' in styles and 'FFD9EAD3' in styles, "no tints for the levels"
places = z.read("xl/worksheets/sheet2.xml").decode()
assert places.count("<row ") > 1, "no places"
assert sheet.count("<row ") == 87, sheet.count("<row ")
texts = re.findall(r"<t[^>]*>([^<]*)</t>", strings)
for e in json.load(open(sys.argv[2]))["entries"]:
    assert e["name"] in texts, e["name"]
PY

# Another scheme: refused without a mapping (2), for a teacher (8), from a broken file (9);
# with the mapping, every entry moves, by signed records.
expect 2 "$cli" policy install --scheme mext-2025 "${v[@]}"
grep -q 'levels A, B, C, D' "$dir/err" || fail "no mapping: $(cat "$dir/err")"
expect 2 "$cli" policy install --scheme mext-2025 "${v[@]}" --map A=I,B=II
expect 8 "$cli" policy install --scheme mext-2025 --vault "$vault" --user 教諭 \
  --passphrase-file "$dir/t" --map A=I,B=II,C=III,D=IV
printf '{"format": 1, "id": "broken", "levels": []}' >"$dir/broken.json"
expect 9 "$cli" policy install "$dir/broken.json" "${v[@]}"
expect 2 "$cli" policy install "$dir/broken.json" --scheme mext-2025 "${v[@]}"
expect 0 "$cli" policy install --scheme mext-2025 "${v[@]}" --map 'A=Ⅰ, B=Ⅱ, C=Ⅲ, D=Ⅳ'
grep -q '^[0-9]* register entries moved to their new levels\.$' "$dir/out" || fail "install: $(cat "$dir/out" "$dir/err")"
expect 0 "$cli" register list --json "${v[@]}"
python3 - "$dir/out" <<'PY'
import json, sys
levels = sorted({e["level"] for e in json.load(open(sys.argv[1]))["entries"]})
assert levels == ["I", "II", "III", "IV"], levels
PY
expect 0 "$cli" lookup --vault "$vault" --user 校長 --passphrase-file "$dir/p" --json 通知表
grep -q '"scheme" : "mext-2025"\|"scheme": "mext-2025"' "$dir/out" || fail "lookup after install: $(head -c 300 "$dir/out")"
echo "ok"
