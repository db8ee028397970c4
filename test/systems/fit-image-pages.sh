#!/usr/bin/env bash
# fit-image-pages.sh CAPGEN YAML IMAGES OUT_IMAGES
# Copies the console and closer images of IMAGES to OUT_IMAGES, the closer's with its last
# loadable segment's memory size (its zeroed data) grown so that the images of YAML have
# exactly ALPHA_MAX_IMAGE_PAGES pages as capgen counts them (Alpha loads a private frame
# for each); checks that one page more is refused. The program is unchanged: it never
# touches the pages it gains.
set -euo pipefail
capgen=$1 yaml=$2 images=$3 out=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # IMAGES_DIR -> "COUNT LIMIT" (capgen build's report), or fails
    "$capgen" build "$yaml" -o "$tmp/out" --images "$1" >/dev/null
    sed -nE 's/.* ([0-9]+) of ([0-9]+) image pages$/\1 \2/p' "$tmp/out/report.txt"
}
u() { od -An -t u"$2" -j "$1" -N "$2" "$3" | tr -d ' '; }
# grow ELF PAGES: adds PAGES pages to the memory size of the PT_LOAD with the highest address.
grow() {
    local elf=$1 pages=$2 phoff size count best=-1 top=0 i at vaddr
    phoff=$(u 32 8 "$elf") size=$(u 54 2 "$elf") count=$(u 56 2 "$elf")
    for ((i = 0; i < count; i++)); do
        at=$((phoff + i * size))
        [ "$(u "$at" 4 "$elf")" -eq 1 ] || continue
        vaddr=$(u $((at + 16)) 8 "$elf")
        if [ "$vaddr" -ge "$top" ]; then top=$vaddr best=$at; fi
    done
    [ "$best" -ge 0 ] || { echo "fit-image-pages.sh: $elf has no PT_LOAD" >&2; exit 1; }
    local memsz=$(($(u $((best + 40)) 8 "$elf") + pages * 4096)) bytes="" k
    for ((k = 0; k < 8; k++)); do bytes+=$(printf '\\x%02x' $(((memsz >> (8 * k)) & 255))); done
    printf "$bytes" | dd of="$elf" bs=1 seek=$((best + 40)) conv=notrunc status=none
}
mkdir -p "$tmp/base" "$tmp/past" "$out"
cp "$images/console.elf" "$images/closer.elf" "$tmp/base/"
read -r have limit < <(count "$tmp/base")
pad=$((limit - have))
cp "$tmp/base/"*.elf "$tmp/past/"
grow "$tmp/past/closer.elf" $((pad + 1))
if "$capgen" check "$yaml" --images "$tmp/past" 2>"$tmp/past.txt"; then
    echo "fit-image-pages.sh: one page past the limit is not refused" >&2
    exit 1
fi
grep -qF "more than the $limit pages Alpha loads" "$tmp/past.txt" || { cat "$tmp/past.txt" >&2; exit 1; }
grow "$tmp/base/closer.elf" "$pad"
read -r got limit < <(count "$tmp/base")
[ "$got" -eq "$limit" ] || { echo "fit-image-pages.sh: $got pages, not $limit" >&2; exit 1; }
cp "$tmp/base/"*.elf "$out/"
echo "fit-image-pages.sh: $got of $limit image pages (the closer's image $pad pages larger); one more is refused"
