#!/usr/bin/env bash
# images-match.sh CAPGEN SYSTEM.yaml ISO IMAGES_DIR EXPECTED MODULES
# Boots the system at the image limit (images-limit.cmake) once and checks:
#   - no two images in IMAGES_DIR have the same bytes;
#   - the kernel found MODULES boot modules (Alpha and the images);
#   - Alpha verified the live state against the declared one, which names for each process
#     every page of its own image with its rights (and the state it printed, if it printed
#     it, equals `capgen tree --images`);
#   - every line of EXPECTED (one per generated program, "progK: 0xF", computed
#     by gen-programs.sh) appears exactly once: each program ran its own code over its own
#     data;
#   - the system ended with the success verdict.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
capgen=$1 yaml=$2 iso=$3 images=$4 expected=$5 modules=$6 timeout=${7:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The images are different files: no two have the same bytes.
dups=$(cksum "$images"/*.elf | awk '{print $1 " " $2}' | sort | uniq -d | head -1)
[ -z "$dups" ] || { echo "images-match: FAIL: two images have the same bytes (cksum $dups)"; exit 1; }
"$capgen" tree "$yaml" --format text --images "$images" >"$work/tree.txt" 2>"$work/capgen.err" || {
    cat "$work/capgen.err"
    echo "images-match: FAIL: capgen tree failed"
    exit 1
}
sed -n '/^state /,$p' "$work/tree.txt" >"$work/declared.txt"
"$here/../../tools/qemu-run.sh" --iso "$iso" --timeout "$timeout" --memory 512M --icount \
    --fw-cfg state=print \
    >"$work/serial.raw" 2>&1
status=$?
tr -d '\r' <"$work/serial.raw" >"$work/serial.txt"
fail() {
    echo "---- serial output ----"
    cat "$work/serial.txt"
    echo "-----------------------"
    echo "images-match: FAIL: $*"
    exit 1
}
[ "$status" -eq 2 ] && fail "the guest hung: no verdict within $timeout s of host time (QEMU killed)"
grep -qx "modules: $modules" "$work/serial.txt" || fail "the kernel did not pass on $modules modules"
# Asked to (--fw-cfg state=print), Alpha prints the live state only up to a size (then says
# "verified, not printed"); it compares it with the declared one either way. When printed, it must equal capgen's.
sed -n '/^--- state begin ---$/,/^--- state end ---$/p' "$work/serial.txt" | sed '1d;$d' >"$work/live.txt"
if [ -s "$work/live.txt" ]; then
    diff -u "$work/declared.txt" "$work/live.txt" >"$work/diff.txt" || {
        cat "$work/diff.txt"
        fail "the live state differs from capgen's"
    }
    state="$(wc -l <"$work/live.txt") lines of state identical to capgen's"
else
    grep -qE '^alpha: the expected state has [0-9]+ bytes: verified, not printed$' "$work/serial.txt" ||
        fail "no live state between the markers"
    state="the state ($(wc -l <"$work/declared.txt") lines in capgen's tree) verified by Alpha"
fi
grep -qE '^alpha: system ready, [0-9]+ processes, [0-9]+ capabilities and [0-9]+ mappings verified$' \
    "$work/serial.txt" || fail "Alpha did not report the verified system"
programs=0
while IFS= read -r line; do
    n=$(grep -cxF -- "$line" "$work/serial.txt")
    [ "$n" -eq 1 ] || fail "'$line' printed $n times, not once"
    programs=$((programs + 1))
done <"$expected"
# No program may print another's value: every progK line is one of the expected ones.
other=$(grep -E '^prog[0-9]+: ' "$work/serial.txt" | grep -vxF -f "$expected" | head -1)
[ -z "$other" ] || fail "unexpected line: $other"
[ "$status" -eq 0 ] || fail "the system did not end with the success verdict (status $status)"
echo "images-match: ok ($modules modules, $programs distinct programs each printed its own fold," \
    "$state)"
