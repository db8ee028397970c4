#!/usr/bin/env bash
# boot-budget.sh ISO MEMORY LIMIT
# The boot row of `./koito bench`: boots ISO under -icount and reads Alpha's "alpha: boot: N
# timestamp ticks from kernel entry" (the kernel's first instruction to the verified "system
# ready"; one tick is one guest instruction). N must be at most LIMIT: more means the count
# starts before the kernel (it once included the firmware and GRUB, over 150 million) or the
# boot waits (the timer's calibration once spun 10 ms, 10 million). And the timer's rate the
# kernel found (the boot log's `lapic:` line) must be the one QEMU's LAPIC has: 1 GHz / 16 =
# 62,500 ticks per ms, within 1 %.
set -uo pipefail
iso=$1 memory=$2 limit=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log=$("$here/../../tools/qemu-run.sh" --iso "$iso" --memory "$memory" --timeout 240 --icount |
    tr -d '\r')
n=$(sed -n 's/^alpha: boot: \([0-9]*\) timestamp ticks from kernel entry.*/\1/p' <<<"$log")
rate=$(sed -n 's/^lapic: id [0-9]*, timer \([0-9]*\) ticks\/ms.*/\1/p' <<<"$log")
[ -n "$n" ] || { echo "boot-budget: FAIL: no boot figure"; exit 1; }
[ -n "$rate" ] || { echo "boot-budget: FAIL: no timer rate in the boot log"; exit 1; }
echo "boot-budget: $n instructions from kernel entry to system ready (at most $limit); timer" \
    "$rate ticks/ms"
[ "$n" -gt 0 ] && [ "$n" -le "$limit" ] || { echo "boot-budget: FAIL: over the limit"; exit 1; }
[ "$rate" -ge 61875 ] && [ "$rate" -le 63125 ] ||
    { echo "boot-budget: FAIL: the timer's rate is not 62,500 ticks/ms within 1 %"; exit 1; }
echo "boot-budget: ok"
