#!/usr/bin/env bash
# run.sh ISO LOG [PROGRAM]: boots a port's system once (every packed script runs; PROGRAM
# lua or sqlite3 names its markers) and keeps the serial output in LOG for the per-script
# comparisons (compare.sh). Passes when the guest's verdict is success (Lua: every script
# ended with status 0; SQLite: every script ran, its status is compared by compare.sh).
set -uo pipefail
iso=$1 log=$2 program=${3:-lua}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$(dirname "$log")"
rm -f "$log"
"$here/../../tools/qemu-run.sh" --iso "$iso" --icount --memory 128M --timeout 300 >"$log.raw" 2>&1
status=$?
# The console writes CR LF for LF: take exactly that CR away (a program's own CR stays).
sed 's/\r$//' <"$log.raw" >"$log"
sed -n "/^==== $program: /,\$p" "$log" | grep -E "^(==== |$program: )"
[ "$status" -eq 0 ] || { echo "${program}_koito_run: FAIL: qemu-run status $status"; tail -n 30 "$log"; exit 1; }
