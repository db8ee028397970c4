#!/usr/bin/env bash
# address-space.sh CAPGEN SYSTEM.yaml IMAGES PROCESS > OUT.dot
# The address space of one declared process as Alpha builds it, drawn from capgen's expected
# state (`capgen tree --images`: one "image" or "map" line per page, with its rights and
# what backs it): consecutive pages of the same kind, rights and object become one band,
# highest address on top, with the unmapped gaps between them. For dot -Tsvg.
set -euo pipefail
capgen=$1 yaml=$2 images=$3 process=$4
state=$("$capgen" tree "$yaml" --format text --images "$images" 2>/dev/null |
    sed -n "/^process $process /,/^process /p")
[ -n "$state" ] || { echo "address-space.sh: no process $process in $yaml" >&2; exit 1; }
sp=$(sed -n "1s/.* stack_pointer \([0-9a-fx]*\).*/\1/p" <<<"$state")
entry=$(sed -n 's/^  entry \(0x[0-9a-f]*\)$/\1/p' <<<"$state")
starts=() ends=() whats=() pages=()
prev="" last=0
while read -r kind addr rights obj; do
    base=${obj%+*}
    key="$kind $rights $base"
    if [ "$key" = "$prev" ] && [ $((addr)) -eq $((last + 4096)) ]; then
        last=$((addr))
        ends[-1]=$last
        pages[-1]=$((pages[-1] + 1))
        continue
    fi
    prev=$key last=$((addr))
    starts+=("$last") ends+=("$last") pages+=(1)
    if [ "$kind" = image ]; then whats+=("image $base ($rights)"); else whats+=("$base ($rights)"); fi
done < <(grep -E '^  (image|map) ' <<<"$state")
grey='<font color="#888888">'
human() { # BYTES -> "N KiB" .. "N TiB", rounded down
    local b=$1 u=(KiB MiB GiB TiB) i=0
    b=$((b / 1024))
    while [ "$b" -ge 1024 ] && [ "$i" -lt 3 ]; do b=$((b / 1024)) i=$((i + 1)); done
    echo "$b ${u[i]}"
}
echo "digraph as {"
echo "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];"
echo "  layout [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">"
echo "<tr><td><b>from .. to</b></td><td><b>what (rights)</b></td><td><b>pages</b></td></tr>"
for ((i = ${#starts[@]} - 1; i >= 0; i--)); do
    what=${whats[i]} note=""
    case $what in
    image*) fill="#dde8f8" ;;
    *stack*) fill="#d8f0d8" note="<br/><font point-size=\"8\">stack pointer $sp</font>" ;;
    *ipc_buffer*) fill="#fff8dc" note="<br/><font point-size=\"8\">the IPC buffer</font>" ;;
    *) fill="#f8e4d0" note="<br/><font point-size=\"8\">a declared map</font>" ;;
    esac
    [ "$what" = "${whats[0]}" ] && [ $((starts[i])) -eq $((entry)) ] &&
        note="<br/><font point-size=\"8\">entry $entry</font>"
    printf '<tr><td align="left">0x%x .. 0x%x</td><td bgcolor="%s">%s%s</td><td>%d</td></tr>\n' \
        "${starts[i]}" $((ends[i] + 4095)) "$fill" "$what" "$note" "${pages[i]}"
    if [ "$i" -gt 0 ]; then
        gap=$((starts[i] - ends[i - 1] - 4096))
        [ "$gap" -le 0 ] ||
            printf '<tr><td align="left">%s0x%x .. 0x%x</font></td><td>%sunmapped: %s</font></td><td></td></tr>\n' \
                "$grey" $((ends[i - 1] + 4096)) $((starts[i] - 1)) "$grey" "$(human "$gap")"
    fi
done
echo "</table>>];"
echo "}"
