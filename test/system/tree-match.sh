#!/usr/bin/env bash
# tree-match.sh CAPGEN SYSTEM.yaml ISO IMAGES_DIR
# Boots a declared system, asking Alpha to print the state it verified, and checks the live
# state Alpha printed between the state markers
# against the state part of `capgen tree --format text --images IMAGES_DIR`, byte for byte,
# and that Alpha verified it and the system ran to its success verdict.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
capgen=$1 yaml=$2 iso=$3 images=$4 timeout=${5:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$capgen" tree "$yaml" --format text --images "$images" >"$work/tree.txt" 2>"$work/capgen.err" || {
    cat "$work/capgen.err"
    echo "tree-match: FAIL: capgen tree failed"
    exit 1
}
sed -n '/^state /,$p' "$work/tree.txt" >"$work/declared.txt"
# Under -icount the guest's timer follows its instructions: the same run on a loaded host.
# --fw-cfg state=print: Alpha prints the state it verified (servers/alpha/options.c).
"$here/../../tools/qemu-run.sh" --iso "$iso" --timeout "$timeout" --icount --fw-cfg state=print \
    >"$work/serial.raw" 2>&1
status=$?
tr -d '\r' <"$work/serial.raw" >"$work/serial.txt"
sed -n '/^--- state begin ---$/,/^--- state end ---$/p' "$work/serial.txt" |
    sed '1d;$d' >"$work/live.txt"
fail() {
    echo "---- serial output ----"
    cat "$work/serial.txt"
    echo "-----------------------"
    echo "tree-match: FAIL: $*"
    exit 1
}
[ "$status" -eq 2 ] && fail "the guest hung: no verdict within $timeout s of host time (QEMU killed)"
[ -s "$work/live.txt" ] || fail "no live state between the markers"
if ! diff -u "$work/declared.txt" "$work/live.txt"; then
    fail "the live tree differs from capgen's"
fi
grep -qE '^alpha: system ready, [0-9]+ processes, [0-9]+ capabilities and [0-9]+ mappings verified$' "$work/serial.txt" ||
    fail "Alpha did not report the verified system"
# capgen's count of Alpha's working tables' root slots (the root Node is sized by it) must
# hold what Alpha took (servers/alpha/main.c says so when it did not).
grep -q '^alpha: the working tables took' "$work/serial.txt" &&
    fail "Alpha's working tables took more root slots than capgen counted"
[ "$status" -eq 0 ] || fail "the system did not end with the success verdict (status $status)"
echo "tree-match: ok ($(wc -l <"$work/live.txt") lines of state, identical)"
