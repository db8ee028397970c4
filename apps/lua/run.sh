#!/usr/bin/env bash
# run.sh ISO LOG: boots the Lua system once (every packed script runs) and keeps the serial
# output in LOG for the per-script comparisons (compare.sh). Passes when the guest's verdict
# is success (every script ended with status 0).
set -uo pipefail
iso=$1 log=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$(dirname "$log")"
rm -f "$log"
"$here/../../tools/qemu-run.sh" --iso "$iso" --icount --memory 128M --timeout 300 >"$log.raw" 2>&1
status=$?
tr -d '\r' <"$log.raw" >"$log"
sed -n '/^==== lua: /,$p' "$log" | grep -E '^(==== |lua: )'
[ "$status" -eq 0 ] || { echo "lua_koito_run: FAIL: qemu-run status $status"; tail -n 30 "$log"; exit 1; }
