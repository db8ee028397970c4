#!/usr/bin/env bash
# fit-limit.sh CAPGEN NAME KIND IMAGES OUT
# Writes OUT, a system from gen-limit.sh that is exactly at the limit KIND (Alpha's slots or
# records, the kernel's pools or irqs) with the images in IMAGES: capgen counts the system
# without padding (`capgen build`'s report: "alpha N of LIMIT root slots, M of LIMIT capability
# records", "kernel ... P of LIMIT ASID Pools, L of LIMIT interrupt lines"), each padding
# capability adds exactly one, and capgen must then count exactly the limit. The system with
# one padding capability more goes to OUT's name with -past (limit.cap.yaml ->
# limit-past.cap.yaml): `capgen check` must refuse it in exactly one line, FILE:LINE:COL and
# that limit's message.
set -euo pipefail
capgen=$1 name=$2 kind=$3 images=$4 out=$5
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # FILE -> "COUNT LIMIT" of KIND
    "$capgen" build "$1" -o "$tmp/out" --images "$images" >/dev/null
    local line
    line=$(grep '^alpha ' "$tmp/out/report.txt")
    case $kind in
    slots) sed -E 's/^alpha +([0-9]+) of ([0-9]+) root slots.*/\1 \2/' <<<"$line" ;;
    records) sed -E 's/.* ([0-9]+) of ([0-9]+) capability records.*/\1 \2/' <<<"$line" ;;
    pools | irqs)
        line=$(grep '^kernel ' "$tmp/out/report.txt")
        case $kind in
        pools) sed -E 's/.* ([0-9]+) of ([0-9]+) ASID Pools.*/\1 \2/' <<<"$line" ;;
        irqs) sed -E 's/.* ([0-9]+) of ([0-9]+) interrupt lines.*/\1 \2/' <<<"$line" ;;
        esac
        ;;
    esac
}
"$here/gen-limit.sh" "$name" "$kind" 0 >"$tmp/base.cap.yaml"
read -r have limit < <(count "$tmp/base.cap.yaml")
pad=$((limit - have))
[ "$pad" -ge 0 ] || { echo "fit-limit.sh: $kind: $have is already past $limit" >&2; exit 1; }
"$here/gen-limit.sh" "$name" "$kind" "$pad" >"$tmp/fit.cap.yaml"
read -r got limit < <(count "$tmp/fit.cap.yaml")
[ "$got" -eq "$limit" ] || { echo "fit-limit.sh: $kind: $got, not $limit" >&2; exit 1; }
# One more is refused, by the message of that limit.
"$here/gen-limit.sh" "$name" "$kind" $((pad + 1)) >"$tmp/past.cap.yaml"
if "$capgen" check "$tmp/past.cap.yaml" --images "$images" 2>"$tmp/past.txt"; then
    echo "fit-limit.sh: $kind: one past the limit is not refused" >&2
    exit 1
fi
case $kind in
slots) want="more than the $limit slots of Alpha's root Node" ;;
records) want="more than the $limit capabilities Alpha reads back" ;;
pools) want="the $((limit + 1)). ASID Pool; the kernel holds" ;;
irqs) want="is out of range (0..$((limit)))" ;;
esac
[ "$(wc -l <"$tmp/past.txt")" -eq 1 ] && grep -qE "^$tmp/past.cap.yaml:[0-9]+:[0-9]+: error: " "$tmp/past.txt" &&
    grep -qF "$want" "$tmp/past.txt" || {
    cat "$tmp/past.txt" >&2
    echo "fit-limit.sh: $kind: one past the limit is not refused in one line saying: $want" >&2
    exit 1
}
echo "fit-limit.sh: $name: $kind $got of $limit ($pad padding capabilities); one more is refused"
cp "$tmp/fit.cap.yaml" "$out"
cp "$tmp/past.cap.yaml" "${out%.cap.yaml}-past.cap.yaml"
