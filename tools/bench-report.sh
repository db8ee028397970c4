#!/usr/bin/env bash
# bench-report.sh KOITO_TXT LINUX_TXT OUT_DIR UNIT
# Merges the `bench:` lines of the KOITO and Linux runs into one table (stdout),
# OUT_DIR/results.json and OUT_DIR/results.png (gnuplot).
set -euo pipefail
koito=$1 linux=$2 out=$3 unit=$4
mkdir -p "$out"

# name median p1 p99 [max size] per line, from
# "bench: NAME median N p1 N p99 N iterations N unit U [max N size S]"
extract() {
    awk '$1 == "bench:" && $3 == "median" { print $2, $4, $6, $8, ($13 == "max" ? $14 : ""), ($15 == "size" ? $16 : "") }' "$1" 2>/dev/null || true
}
get() { # file-content name field(2=median,3=p1,4=p99,5=max,6=size)
    awk -v n="$2" -v f="$3" '$1 == n { print $f }' <<<"$1"
}
K=$(extract "$koito")
L=$(extract "$linux")

# What is compared with what: KOITO benchmark, Linux counterpart, label.
rows=(
    "ipc_call_reply|pipe_roundtrip|IPC round trip (KOITO call+reply, Linux pipe ping-pong)"
    "ipc_call_reply_full_buffer||IPC round trip, 252-word message"
    "ipc_call_reply_one_capability||IPC round trip, the call carrying one capability"
    "notify_wait||notify + wait round trip between two processes"
    "interrupt_to_driver||device interrupt to a user driver (COM1, IO write to wake-up)"
    "null_call|getppid|null system call (KOITO failing call, Linux getppid)"
    "yield|sched_yield|yield"
    "ulmm_null_request||ULMM request that allocates nothing (IPC round trip + decoding)"
    "ulmm_stats_cache_request||ULMM cache statistics (7-word reply: the kernel's full IPC path)"
    "slab_port_cycle||ULMM slab: allocate + free an IPC Port (two requests)"
    "slab_port_alloc||ULMM slab: the allocation alone (its reply carries the capability)"
    "slab_port_free||ULMM slab: the free alone (a REVOKE of the object and the client's copy)"
    "convert_revoke_port||raw CONVERT + REVOKE of an IPC Port (what the slab cycle does)"
    "buddy_4k_cycle|mmap_4k_cycle|4 KiB allocate+map+touch+unmap+free (Linux: mmap+touch+munmap)"
    "buddy_2m_cycle|mmap_2m_cycle|2 MiB allocate+map+touch+unmap+free (Linux: mmap+touch+munmap)"
    "buddy_2m_cycle|mmap_2m_touch_all_cycle|2 MiB cycle, Linux touching every 4 KiB page (2 MiB cleared, as KOITO)"
    "buddy_4k_cycle_pool_1m||4 KiB cycle, 1 MiB pool (the row above: 4 MiB)"
    "buddy_4k_cycle_pool_64m||4 KiB cycle, 64 MiB pool"
    "buddy_4k_cycle_pool_1g||4 KiB cycle, 1 GiB pool"
    "timing_overhead|timing_overhead|timing overhead (subtracted from the rest)"
    "irq_latency_idle||worst IRQ latency (PIT to driver), idle"
    "irq_latency_remove_full_node||worst IRQ latency, REMOVE of a full Node"
    "irq_latency_revoke||worst IRQ latency, REVOKE of a Port's children"
    "irq_latency_convert_frames||worst IRQ latency, CONVERT of 4 KiB Frames"
    "irq_latency_remove_empty_node||worst IRQ latency, REMOVE of an empty Node"
    "irq_latency_remove_address_space||worst IRQ latency, REMOVE of an Address Space's last capability"
    "irq_latency_remove_parent_of_many||worst IRQ latency, REMOVE of a capability with many children"
    "irq_latency_revoke_chain||worst IRQ latency, REVOKE of a chain of MINTs"
    "irq_latency_remove_port_with_waiters||worst IRQ latency, REMOVE of a Port with blocked receivers"
    "irq_latency_remove_chain_head||worst IRQ latency, REMOVE of a MINT whose child heads a chain"
    # libc (apps/libcbench): the same C on both sides, KOITO's newlib beside Linux's glibc.
    "malloc_mix|malloc_mix|malloc or free, random 16 B-64 KiB mix (newlib+Buddy sbrk vs glibc)"
    "malloc_mix_total|malloc_mix_total|the whole malloc/free mix, 20,000 operations"
    "lua_cpu_script|lua_cpu_script|Lua 5.4 on a CPU-bound script (apps/libcbench/cpu.lua)"
    "boot_default||boot, default system (system.cap.yaml): kernel entry to verified system ready"
    "boot_2||boot, 2 processes: kernel entry to verified system ready"
    "boot_64||boot, 64 processes (688 capabilities)"
    "boot_256||boot, 256 processes (2,800 capabilities)"
    "boot_1000||boot, 1,000 processes (10,984 capabilities)"
)

printf '%-62s %22s %22s %8s\n' "benchmark (median [p1, p99], $unit)" "KOITO on A9N" "Linux 6.1" "Linux/KOITO"
json="{\n  \"unit\": \"$unit\",\n  \"method\": \"guest TSC around each operation after warm-up; median, p1, p99 net of timing overhead\",\n  \"benchmarks\": ["
first=1
plot=""
for row in "${rows[@]}"; do
    IFS='|' read -r kname lname label <<<"$row"
    km=$(get "$K" "$kname" 2); kp1=$(get "$K" "$kname" 3); kp99=$(get "$K" "$kname" 4)
    lm="" lp1="" lp99=""
    [ -n "$lname" ] && { lm=$(get "$L" "$lname" 2); lp1=$(get "$L" "$lname" 3); lp99=$(get "$L" "$lname" 4); }
    [ -z "$km" ] && [ -z "$lm" ] && continue
    kmax=$(get "$K" "$kname" 5); ksize=$(get "$K" "$kname" 6)
    kcell=${km:+"$km [$kp1, $kp99]"}
    # Latency rows: the worst sample is the figure (target: at most 20,000).
    [ -n "$kmax" ] && kcell="max $kmax"
    [ -n "$ksize" ] && [ "$ksize" != - ] && label="$label (${ksize//_/ })"
    lcell=${lm:+"$lm [$lp1, $lp99]"}
    ratio=""
    if [ -n "$km" ] && [ -n "$lm" ] && [ "$km" -gt 0 ] && [ "$kname" != timing_overhead ]; then
        ratio=$(awk -v a="$lm" -v b="$km" 'BEGIN { printf "%.1fx", a / b }')
    fi
    printf '%-62s %22s %22s %8s\n' "$label" "${kcell:--}" "${lcell:--}" "${ratio:--}"
    [ $first -eq 1 ] || json+=","
    first=0
    json+="\n    {\"name\": \"$kname\", \"label\": \"$label\", \"koito\": {\"median\": ${km:-null}, \"p1\": ${kp1:-null}, \"p99\": ${kp99:-null}, \"max\": ${kmax:-null}}"
    json+=", \"linux\": {\"name\": \"${lname}\", \"median\": ${lm:-null}, \"p1\": ${lp1:-null}, \"p99\": ${lp99:-null}}}"
    case $kname in
    timing_overhead | boot_* | malloc_mix_total | lua_cpu_script) ;; # another scale: table and JSON only
    *) plot+="\"${label%% (*}\" ${km:-0} ${lm:-0}\n" ;;
    esac
done
# Issue 11's targets, computed from this run's own rows: printed, and kept in the JSON, so a
# regression shows in the next `./koito bench`. A row this run lacks leaves its target out.
targets=""
target() { # name, figure, test (le: at most, lt: below), limit, text
    local name=$1 figure=$2 test=$3 limit=$4 what=$5 verdict=met met=true
    [ "$figure" "-$test" "$limit" ] || { verdict=MISSED; met=false; }
    printf 'target %-24s %-6s %s (limit %s: %s)\n' "$name" "$verdict" "$figure" "$limit" "$what"
    [ -z "$targets" ] || targets+=","
    targets+="\n    {\"name\": \"$name\", \"figure\": $figure, \"limit\": $limit, \"met\": $met, \"what\": \"$what\"}"
}
echo
rt=$(get "$K" ipc_call_reply 2); cr=$(get "$K" convert_revoke_port 2); slab=$(get "$K" slab_port_cycle 2)
if [ -n "$rt" ] && [ -n "$cr" ] && [ -n "$slab" ]; then
    target slab_cycle "$slab" le $((2 * (rt + cr))) "slab allocate+free within 2x (IPC round trip + CONVERT + REVOKE)"
fi
b4k=$(get "$K" buddy_4k_cycle 2); l4k=$(get "$L" mmap_4k_cycle 2)
if [ -n "$b4k" ] && [ -n "$l4k" ]; then
    target buddy_4k_below_linux "$b4k" lt "$l4k" "Buddy 4 KiB cycle below Linux mmap+touch+munmap"
fi
p1m=$(get "$K" buddy_4k_cycle_pool_1m 2); p1g=$(get "$K" buddy_4k_cycle_pool_1g 2)
if [ -n "$p1m" ] && [ -n "$p1g" ]; then
    target pool_1g_within_1_5x "$p1g" le $((p1m * 3 / 2)) "4 KiB cycle with a 1 GiB pool within 1.5x of a 1 MiB pool"
fi
json+="\n  ],\n  \"targets\": [$targets\n  ],\n  \"reference\": {\"sel4_call_reply\": 395, \"sel4_null_syscall\": 89}\n}\n"
printf "$json" >"$out/results.json"
printf "$plot" >"$out/results.dat"
# Rows a side could not run (a port's source not fetched), with the reason.
grep -h '^bench: skipped' "$koito" "$linux" 2>/dev/null | sed 's/^bench: /  /' || true
echo
echo "seL4 for reference (same method, from ../shared/ANCHORS.md): call+reply 395, null call 89."
echo "Written: $out/results.json, $out/results.png"

gnuplot <<GP
set terminal pngcairo size 1000,520 font "DejaVu Sans,10" noenhanced
set output "$out/results.png"
set title "KOITO on A9N vs Linux 6.1, same QEMU (median, $unit, log scale)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set grid ytics
set key top right
set xtics rotate by -15 scale 0
plot "$out/results.dat" using 2:xtic(1) title "KOITO on A9N", '' using 3 title "Linux 6.1"
GP
