#!/usr/bin/env bash
# check.sh ISO SOURCE_DIR [HOST_LUA]: boots the libc benchmark system (bench/libc.cap.yaml)
# and checks that it did the work its rows claim: the malloc mix made the same mallocs as the
# same C compiled for the host with the host's libc (the mix is fixed by its seed, not by the
# libc), and Lua's result line equals the host lua5.4's for cpu.lua. Each row must be there.
# Without a host lua5.4, or without Lua on KOITO (no Debian source), the Lua part is not
# compared and the script says so; the malloc part always is.
set -uo pipefail
iso=$1 src=$2 host_lua=${3:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

"$src/tools/qemu-run.sh" --iso "$iso" --icount --memory 128M --timeout 300 >"$dir/raw" 2>&1
status=$?
tr -d '\r' <"$dir/raw" >"$dir/log"
grep -E '^(bench|libcbench): ' "$dir/log"
[ "$status" -eq 0 ] || { echo "FAIL: qemu-run status $status"; tail -n 30 "$dir/log"; exit 1; }

# The host's run of the same mix: the counts must match the guest's.
cat >"$dir/host.c" <<'C'
#include "libcbench.h"
int main(void) { return libcbench_malloc_mix("host") ? 0 : 1; }
C
cc -O1 -I"$src/apps/libcbench" -o "$dir/host" "$dir/host.c" "$src/apps/libcbench/mallocmix.c" \
    "$src/apps/bench/stats.c" || { echo "FAIL: cannot compile the host's mix"; exit 1; }
want=$("$dir/host" | grep '^libcbench: malloc_mix [0-9]* operations')
got=$(grep '^libcbench: malloc_mix [0-9]* operations' "$dir/log")
if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "FAIL: the malloc mix differs from the host's: [$got] against [$want]"
    fail=1
fi
for row in malloc_mix malloc_mix_total; do
    grep -q "^bench: $row median [0-9]* p1 [0-9]* p99 [0-9]*" "$dir/log" ||
        { echo "FAIL: no $row row"; fail=1; }
done

if grep -q '^bench: skipped lua_cpu_script' "$dir/log"; then
    echo "note: Lua was not built (no Debian lua5.4 source): its row is reported skipped"
elif [ -z "$host_lua" ]; then
    echo "note: no host lua5.4: Lua's result is not compared"
    grep -q '^bench: lua_cpu_script median' "$dir/log" || { echo "FAIL: no lua_cpu_script row"; fail=1; }
else
    want=$("$host_lua" -e "print(dofile('$src/apps/libcbench/cpu.lua'))")
    got=$(sed -n 's/^libcbench: lua_cpu_script result //p' "$dir/log")
    [ "$want" = "$got" ] || { echo "FAIL: Lua computed [$got], the host's lua5.4 [$want]"; fail=1; }
    grep -q '^bench: lua_cpu_script median [0-9]* p1 [0-9]* p99 [0-9]* iterations 11' "$dir/log" ||
        { echo "FAIL: no lua_cpu_script row of 11 runs"; fail=1; }
fi
[ "$fail" -eq 0 ] && echo "libcbench: the rows did the work they claim"
exit "$fail"
