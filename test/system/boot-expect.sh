#!/usr/bin/env bash
# boot-expect.sh --iso FILE --verdict success|failure [--timeout S] [--memory M]
#                [--icount] [--expect REGEX]... [--reject REGEX]...
# Boots an ISO in QEMU (tools/qemu-run.sh) and checks the guest's verdict and its serial
# output: every --expect must match a line, in the order given; no --reject may match.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

iso="" verdict="" timeout=60 memory=256M
expects=() rejects=() extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --iso) iso=$2; shift 2 ;;
    --verdict) verdict=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --icount) extra+=(--icount); shift ;;
    --expect) expects+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    *) echo "boot-expect: unknown option '$1'" >&2; exit 2 ;;
    esac
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$here/../../tools/qemu-run.sh" --iso "$iso" --timeout "$timeout" --memory "$memory" \
    "${extra[@]}" >"$log" 2>&1
status=$?
tr -d '\r' <"$log" >"$log.clean" && mv "$log.clean" "$log"

fail() {
    echo "---- serial output ----"
    cat "$log"
    echo "-----------------------"
    echo "boot-expect: FAIL: $*"
    exit 1
}

case "$verdict" in
success) [ "$status" -eq 0 ] || fail "expected the success verdict, qemu-run gave status $status" ;;
failure) [ "$status" -eq 1 ] || fail "expected the failure verdict (status 1), qemu-run gave status $status" ;;
*) echo "boot-expect: --verdict takes success or failure" >&2; exit 2 ;;
esac

# Expected lines in order: each search starts after the line the previous one matched.
from=1
for re in "${expects[@]}"; do
    n=$(tail -n +"$from" "$log" | grep -n -E -m1 -- "$re" | cut -d: -f1)
    [ -n "$n" ] || fail "no line matching /$re/ (after line $((from - 1)))"
    from=$((from + n))
done
for re in "${rejects[@]}"; do
    if grep -q -E -- "$re" "$log"; then
        fail "a line matches the rejected /$re/"
    fi
done
echo "boot-expect: ok ($(wc -l <"$log") lines of serial output, ${#expects[@]} expectations)"
