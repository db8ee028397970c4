#!/usr/bin/env bash
# One bad fixture: capgen must reject it with the expected line(s), cleanly.
#   run-bad.sh CAPGEN DIR NAME.yaml IMAGES
# The fixture says what to expect in comments:
#   # expect: NAME.yaml:LINE:COL: error: MESSAGE     (one or more; each must appear exactly)
#   # args: --images @IMAGES@                         (optional extra arguments)
#   # status: 0                                       (optional; default 1)
# capgen runs in DIR with the bare file name, so the path it prints is stable.
set -uo pipefail
capgen=$1 dir=$2 name=$3 images=${4:-}
cd "$dir" || exit 2
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:exitcode=98
mapfile -t expected < <(sed -n "s/^# expect: //p" "$name" | sed "s|@IMAGES@|$images|g")
args=$(sed -n 's/^# args: //p' "$name" | sed "s|@IMAGES@|$images|g")
want_status=$(sed -n 's/^# status: //p' "$name")
want_status=${want_status:-1}
[ ${#expected[@]} -gt 0 ] || { echo "FAIL $name: no '# expect:' line"; exit 1; }
# shellcheck disable=SC2086
out=$("$capgen" check "$name" $args 2>&1 >/dev/null)
status=$?
fail=0
if [ "$status" -ne "$want_status" ]; then
    echo "FAIL $name: exit status $status, expected $want_status"
    fail=1
fi
for line in "${expected[@]}"; do
    if ! grep -qxF -- "$line" <<<"$out"; then
        echo "FAIL $name: missing line: $line"
        fail=1
    fi
done
# Every line is a diagnostic: FILE:LINE:COL: error|warning: ... (or FILE: error: ...)
while IFS= read -r line; do
    [ -z "$line" ] && continue
    if ! grep -qE "^$name(:[0-9]+:[0-9]+)?: (error|warning): " <<<"$line"; then
        echo "FAIL $name: not a diagnostic line: $line"
        fail=1
    fi
done <<<"$out"
if [ $fail -ne 0 ]; then
    echo "--- capgen said:"
    echo "$out"
    exit 1
fi
echo "ok $name"
