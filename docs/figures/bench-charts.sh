#!/usr/bin/env bash
# bench-charts.sh KOITO.txt LINUX.txt OUT_DIR
# The benchmarks chapter's charts, drawn with gnuplot from the `bench:` lines of a
# `./koito bench` run (docs/figures/bench-koito.txt and bench-linux.txt hold the committed
# one; the lines have the form "bench: NAME median N p1 N p99 N iterations N unit U
# [max N size S]"):
#   bench-compare.svg  KOITO and Linux on the same QEMU, median, log scale
#   bench-boot.svg     kernel entry to the verified "system ready" against processes
#   bench-latency.svg  worst interrupt-to-driver latency during each long operation
set -euo pipefail
koito=$1 linux=$2 out=$3
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# FIELD of NAME in FILE (median, max): the word after it.
get() { awk -v n="$2" -v f="$3" '$1 == "bench:" && $2 == n { for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }' "$1"; }
need() { [ -n "$1" ] || { echo "bench-charts.sh: $2 missing" >&2; exit 1; }; echo "$1"; }

# KOITO row | Linux row | label
while IFS='|' read -r k l label; do
    printf '"%s" %s %s\n' "$label" "$(need "$(get "$koito" "$k" median)" "$k")" \
        "$(need "$(get "$linux" "$l" median)" "$l")"
done >"$tmp/compare.dat" <<'ROWS'
null_call|getppid|null call
yield|sched_yield|yield
ipc_call_reply|pipe_roundtrip|IPC round trip
buddy_4k_cycle|mmap_4k_cycle|4 KiB page cycle
buddy_2m_cycle|mmap_2m_cycle|2 MiB page cycle
ROWS
for n in 2 64 256 1000; do
    echo "$n $(need "$(get "$koito" "boot_$n" median)" "boot_$n")"
done >"$tmp/boot.dat"
while IFS='|' read -r k label; do
    printf '"%s" %s\n' "$label" "$(need "$(get "$koito" "$k" max)" "$k")"
done >"$tmp/latency.dat" <<'ROWS'
irq_latency_idle|idle
irq_latency_remove_full_node|REMOVE full Node
irq_latency_revoke|REVOKE 2^20
irq_latency_convert_frames|CONVERT Frames
irq_latency_remove_empty_node|REMOVE empty Node
irq_latency_remove_address_space|REMOVE AS
ROWS

gnuplot <<GP
set terminal svg size 640,330 font "Helvetica,11" noenhanced background "white"
set style fill solid 0.85 border -1
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror

set output "$out/bench-compare.svg"
set title "KOITO on A9N and Linux 6.1 on the same QEMU (median guest instructions, log scale)"
set style data histograms
set style histogram clustered gap 1
set logscale y
set yrange [100:1000000]
set format y "%.0s%c"
set key top left
set xtics scale 0
plot "$tmp/compare.dat" using 2:xtic(1) title "KOITO on A9N" lc rgb "#3b6fb6", \
     '' using 3 title "Linux 6.1" lc rgb "#c8742c"

set output "$out/bench-latency.svg"
set title "Worst interrupt-to-driver latency while a lower-priority process runs (guest instructions)"
unset logscale y
set yrange [0:*]
set format y "%.0f"
set key off
set xtics rotate by -25 scale 0 offset -1,0
set bmargin 5
plot "$tmp/latency.dat" using 2:xtic(1) lc rgb "#3b6fb6"

set output "$out/bench-boot.svg"
set title "Kernel entry to the verified \"system ready\" (generated systems, 10 capabilities a process)"
set style data linespoints
unset xtics
set xtics nomirror rotate by 0
set xlabel "processes"
set ylabel "million guest instructions"
set xrange [0:1050]
set yrange [0:*]
set bmargin 4
# Each point's value beside it: below and to the right for the two small ones, which are
# close together, above the others.
plot "$tmp/boot.dat" using 1:(\$2 / 1e6) lc rgb "#3b6fb6" pt 7 lw 2 notitle, \
     '' using 1:(\$1 <= 64 ? \$2 / 1e6 : 1/0):(sprintf("%.1f M", \$2 / 1e6)) with labels left offset 1,-1 notitle, \
     '' using 1:(\$1 <= 64 ? 1/0 : \$2 / 1e6):(sprintf("%.1f M", \$2 / 1e6)) with labels right offset -0.5,1 notitle
GP
