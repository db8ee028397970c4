#!/usr/bin/env bash
# boot-linear.sh ISO_2 ISO_SMALL SMALL ISO_LARGE LARGE
# Building and verifying a system is linear in its size: boots the generated systems of 2,
# SMALL and LARGE processes (test/systems/gen-system.sh, ten capabilities each) under
# -icount and reads Alpha's "alpha: boot: N timestamp ticks from kernel entry" (to the
# verified "system ready"). What SMALL and LARGE cost beyond the 2-process system (the
# kernel's own boot) must grow at most twice as fast as the number of processes: a per-record
# scan of the Nodes or of the records (what Alpha once did) grows with its square.
set -uo pipefail
iso2=$1 iso_small=$2 small=$3 iso_large=$4 large=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ticks() {
    local t
    t=$("$here/../../tools/qemu-run.sh" --iso "$1" --memory 512M --timeout 300 --icount |
        tr -d '\r' | sed -n 's/^alpha: boot: \([0-9]*\) timestamp ticks from kernel entry.*/\1/p')
    [ -n "$t" ] || { echo "boot-linear: FAIL: $1 did not report its boot"; exit 1; }
    echo "$t"
}
t2=$(ticks "$iso2") || exit 1
ts=$(ticks "$iso_small") || exit 1
tl=$(ticks "$iso_large") || exit 1
echo "boot-linear: 2 processes $t2, $small processes $ts, $large processes $tl ticks"
# (tl - t2) / (ts - t2) <= 2 (large - 2) / (small - 2), in integers.
[ "$ts" -gt "$t2" ] && [ "$tl" -gt "$ts" ] || { echo "boot-linear: FAIL: larger systems booted faster"; exit 1; }
if [ $(((tl - t2) * (small - 2))) -gt $((2 * (ts - t2) * (large - 2))) ]; then
    echo "boot-linear: FAIL: $large processes cost more than twice linear from $small"
    exit 1
fi
echo "boot-linear: ok: $((100 * (tl - t2) / (ts - t2)))% of the $small-process cost for" \
    "$((100 * (large - 2) / (small - 2)))% of the processes"
