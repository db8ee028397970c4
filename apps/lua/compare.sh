#!/usr/bin/env bash
# compare.sh HOST_PROGRAM DIR SCRIPT LOG [lua|sqlite3]: the transcript of SCRIPT in KOITO's
# serial output (LOG, between its markers) must equal, byte for byte, what the host's program
# prints running the same script in DIR (where the packed names resolve to the same files):
# `lua5.4 SCRIPT`, or `sqlite3 :memory: ".read SCRIPT"` (its errors included: they go to
# the same console on KOITO), with the same exit status. TZ=UTC: KOITO has no time zone, so
# local time is UTC there.
set -uo pipefail
lua=$1 dir=$2 script=$3 log=$4 program=${5:-lua}
[ -f "$log" ] || { echo "compare: no KOITO transcript at $log (lua_koito_run failed?)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk -v begin="==== $program: $script ====" -v end="^==== end: $script status " '
    $0 == begin { on = 1; next }
    on && $0 ~ end { print $(NF - 1) > "/dev/stderr"; on = 0; exit }
    on { print }' "$log" >"$work/koito" 2>"$work/koito.status"
# The end marker's line starts right after the script's last byte: a transcript that does
# not end with a newline shows as the marker glued to it, so it is compared as it is.
[ -s "$work/koito.status" ] || { echo "compare: no end marker for $script in $log"; exit 1; }
if [ "$program" = sqlite3 ]; then
    (cd "$dir" && TZ=UTC "$lua" :memory: ".read $script" >"$work/host" 2>&1)
else
    (cd "$dir" && TZ=UTC "$lua" "$script" >"$work/host" 2>&1)
fi
host_status=$?
koito_status=$(tr -d ' =' <"$work/koito.status")
if ! cmp -s "$work/host" "$work/koito"; then
    echo "compare: $script: KOITO's output differs from the host's (- host, + KOITO):"
    diff -u "$work/host" "$work/koito" | tail -n +3 | head -n 60
    exit 1
fi
[ "$host_status" = "$koito_status" ] || { echo "compare: $script: exit status host $host_status, KOITO $koito_status"; exit 1; }
echo "compare: $script: $(wc -c <"$work/host") bytes, identical (status $host_status)"
