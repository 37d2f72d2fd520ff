#!/usr/bin/env bash
# run-fuzz.sh — build one libFuzzer target with clang and run it for a bounded time
#
#   run-fuzz.sh CLANG NAME SECONDS CORPUS -- CFLAGS_AND_SOURCES… -- PACKAGES… -- LIBS…
#
# The target is compiled here, apart from the project's own build (which gcc makes), with
# -fsanitize=fuzzer,address,undefined, from the sources and flags given, the cflags and
# libs of the pkg-config PACKAGES, and LIBS.  It then runs for SECONDS over a copy of the
# seed corpus in CORPUS (new inputs it finds stay in a temporary folder).  A crash, a
# leak, a sanitizer report or a failed assertion fails the test and prints the input
# that caused it, base64-encoded, to be added to CORPUS once fixed.  Without clang or its
# fuzzer runtime (Debian: libclang-rt-14-dev) the test is skipped (exit 77).
set -euo pipefail

clang=$1 name=$2 seconds=$3 corpus=$4
shift 4
[ "${1:-}" = -- ] && shift
flags=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
shift
packages=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do packages+=("$1"); shift; done
shift
libs=("$@")

if ! command -v "$clang" >/dev/null 2>&1; then
  echo "1..0 # SKIP $clang is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2046
if ! "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
     "${flags[@]}" $(pkg-config --cflags "${packages[@]}") \
     -o "$work/$name" $(pkg-config --libs "${packages[@]}") "${libs[@]}" 2>"$work/build.log"; then
  if grep -q 'libclang_rt.fuzzer\|fuzzer' "$work/build.log" && ! "$clang" -fsanitize=fuzzer \
       -x c - -o "$work/probe" <<<'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' \
       2>/dev/null; then
    echo "1..0 # SKIP $clang has no libFuzzer runtime (libclang-rt-14-dev)"
    exit 77
  fi
  cat "$work/build.log" >&2
  exit 1
fi

mkdir "$work/corpus"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
if "$work/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" "$corpus" 2>"$work/run.log"; then
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$work/run.log" || true
  echo "$name: no crash in ${seconds} s"
  exit 0
fi
cat "$work/run.log" >&2
for artifact in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
  [ -e "$artifact" ] || continue
  echo "input that failed ($(basename "$artifact")), base64:" >&2
  base64 "$artifact" >&2
done
exit 1
