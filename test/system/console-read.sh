#!/usr/bin/env bash
# console-read.sh ISO TIMEOUT: types lines into COM1 of test/systems/console-read.cap.yaml,
# where two readers share the console's input, and checks that every line reached exactly one
# reader, whole and in order, with erasing (DEL), CR LF, a line longer than one READ, "quit"
# ending one reader and Ctrl-D ending input for the other, which stops the machine.
set -uo pipefail
iso=$1 timeout=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What is typed, and the lines the readers must see (DEL and CR LF already applied).
printf 'one\ntwo\r\nthree is a line longer than twenty-four bytes: it takes three READs\nfox\x7fur\nquit\n' >"$work/typed"
for i in $(seq 5 40); do printf 'line %d\n' "$i"; done >>"$work/typed"
printf '\x04' >>"$work/typed"
{
    printf 'one\ntwo\nthree is a line longer than twenty-four bytes: it takes three READs\nfour\nquit\n'
    for i in $(seq 5 40); do printf 'line %d\n' "$i"; done
} | while IFS= read -r line; do
    # A line too long for one console WRITE comes back as "#LENGTH SUM" (apps/reader).
    if [ ${#line} -gt 13 ]; then
        printf '%s' "$line" | od -An -tu1 -v |
            awk -v n=${#line} '{ for (k = 1; k <= NF; k++) s = (s + $k * ++i) % 1000003 } END { printf "#%d %d\n", n, s }'
    else
        printf '%s\n' "$line"
    fi
done >"$work/expected"

"$here/../../tools/qemu-run.sh" --iso "$iso" --icount --timeout "$timeout" \
    --input "$work/typed" >"$work/serial.raw" 2>&1
status=$?
tr -d '\r' <"$work/serial.raw" >"$work/serial"
fail() {
    echo "console-read: FAIL: $*"
    echo "---- serial output ----"
    sed -n '/^console: ready/,$p' "$work/serial"
    exit 1
}
[ "$status" -eq 0 ] || fail "the guest's verdict is not success (qemu-run status $status)"
grep -qx 'reader a: malformed READs refused' "$work/serial" || fail "reader a did not check malformed READs"
grep -qx 'reader [ab]: end of input' "$work/serial" || fail "no reader saw the end of input"
sed -n 's/^reader \([ab]\): //p' "$work/serial" | grep -v '^malformed READs refused$\|^end of input$' >"$work/got"
# Exactly once each: the lines read, sorted, are the lines typed, sorted.
if ! diff <(sort "$work/expected") <(sort "$work/got") >"$work/diff"; then
    cat "$work/diff"
    fail "the lines read are not the lines typed, each once"
fi
# In order for each reader: its lines are a subsequence of the typed ones.
for r in a b; do
    sed -n "s/^reader $r: //p" "$work/serial" | grep -v '^malformed READs refused$\|^end of input$' >"$work/$r"
    awk 'NR == FNR { pos[$0] = FNR; next } { if (pos[$0] <= last) bad = 1; last = pos[$0] } END { exit bad }' \
        "$work/expected" "$work/$r" || fail "reader $r got its lines out of order"
done
[ -s "$work/a" ] && [ -s "$work/b" ] || fail "one reader got no line (both must share the input)"
echo "console-read: ok: $(wc -l <"$work/got") lines, reader a $(wc -l <"$work/a"), reader b $(wc -l <"$work/b")"
