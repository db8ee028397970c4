#!/usr/bin/env bash
# refused-one-line.sh CAPGEN FILE IMAGES MESSAGE
# `capgen check FILE --images IMAGES` must refuse FILE (status 1) in exactly one line:
# "FILE:LINE:COL: error: " and then text matching the extended regex MESSAGE.
set -uo pipefail
capgen=$1 file=$2 images=$3 message=$4
out=$("$capgen" check "$file" --images "$images" 2>&1)
status=$?
printf '%s\n' "$out"
[ "$status" -eq 1 ] || { echo "refused-one-line: FAIL: status $status, not 1"; exit 1; }
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || { echo "refused-one-line: FAIL: not one line"; exit 1; }
printf '%s\n' "$out" | grep -qE "^$file:[0-9]+:[0-9]+: error: .*$message" ||
    { echo "refused-one-line: FAIL: not FILE:LINE:COL: error: ... $message"; exit 1; }
echo "refused-one-line: ok"
