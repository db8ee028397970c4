#!/usr/bin/env bash
# gdb-symbols.sh SOURCE_DIR BUILD_DIR: gdb holds the symbols of the kernel, Alpha and every
# image of the default system at once (tools/gdb-script.sh, what ./koito run --gdb writes):
#   1. the images' address ranges (their LOAD segments) are pairwise disjoint;
#   2. gdb -batch on the script loads every one with no warning, and each image's `main`
#      (its address from llvm-nm) resolves to `main` in that very file;
#   3. the link refuses an image larger than its range (libc/user.ld's ASSERT) and places
#      one that fits at its range's start.
set -uo pipefail
src=$1 build=$2
dir=$build/systems/default
work=$build/gdb-symbols
mkdir -p "$work"
fails=0
ok() { echo "ok - $*"; }
bad() {
    echo "not ok - $*"
    fails=$((fails + 1))
}
tool() { command -v "$1" || command -v "$1-14"; }
readelf=$(tool llvm-readelf) nm=$(tool llvm-nm) lld=$(tool ld.lld)

elfs=("$dir/alpha.elf" "$dir"/images/*.elf)
[ ${#elfs[@]} -ge 3 ] || { echo "not ok - no built default system in $dir"; exit 1; }

# --- 1. disjoint ranges --------------------------------------------------------------------
ranges=$work/ranges.txt
: >"$ranges"
for elf in "${elfs[@]}"; do
    lo="" hi=0
    while read -r vaddr memsz; do # each LOAD segment: its start and size, in hexadecimal
        [ -z "$lo" ] || [ $((vaddr)) -lt "$lo" ] && lo=$((vaddr))
        [ $((vaddr + memsz)) -gt "$hi" ] && hi=$((vaddr + memsz))
    done < <("$readelf" -lW "$elf" | awk '$1 == "LOAD" { print $3, $6 }')
    [ -n "$lo" ] || { bad "no LOAD segment in $elf"; continue; }
    echo "$lo $hi $elf" >>"$ranges"
done
overlap=$(sort -n "$ranges" | awk 'NR > 1 && $1 < last { print prev " and " $3 } $2 > last { last = $2; prev = $3 }')
if [ -n "$overlap" ]; then
    bad "images overlap: $overlap"
else
    ok "${#elfs[@]} images (Alpha's included) in pairwise disjoint address ranges"
fi

# --- 2. gdb holds them all -----------------------------------------------------------------
script=$work/koito.gdb
"$src/tools/gdb-script.sh" "$build/bin/a9n.elf" "$dir" >"$script" || bad "gdb-script.sh failed"
args=()
for elf in "${elfs[@]}"; do
    addr=$("$nm" "$elf" | awk '$3 == "main" { print "0x" $1 }')
    [ -n "$addr" ] || { bad "no main in $elf"; continue; }
    args+=(-ex "echo $elf $addr:\\n" -ex "info symbol $addr")
done
out=$work/gdb.txt
gdb -batch -nx -x "$script" "${args[@]}" >"$out" 2>&1 || bad "gdb -batch failed: $(tail -n 3 "$out")"
loaded=$(grep -c '^add-symbol-file ' "$script")
[ "$loaded" -eq ${#elfs[@]} ] && ok "the script loads all ${#elfs[@]} images" ||
    bad "the script loads $loaded of ${#elfs[@]} images"
if grep -qiE 'warning|not in symtab|error' "$out"; then
    bad "gdb warned: $(grep -iE 'warning|symtab|error' "$out" | head -n 1)"
else
    ok "gdb loads the kernel and every image with no warning"
fi
for elf in "${elfs[@]}"; do
    answer=$(grep -A1 -F "$elf " "$out" | tail -n 1)
    if [[ "$answer" == "main in section .text of $elf" ]]; then
        ok "$(basename "$elf"): main resolves in its own file"
    else
        bad "$(basename "$elf"): main resolves as '$answer'"
    fi
done

# --- 3. the range is enforced --------------------------------------------------------------
printf 'static const char big[0x3000] = {1};\nconst char *f(void) { return big; }\n' >"$work/big.c"
clang --target=x86_64-unknown-none-elf -ffreestanding -O2 -c "$work/big.c" -o "$work/big.o"
link() { # LIMIT
    "$lld" -nostdlib -static -z max-page-size=4096 --no-dynamic-linker -e f \
        -T "$src/libc/user.ld" --defsym=__koito_image_base=0x1000000 \
        --defsym=__koito_image_limit="$1" -o "$work/big.elf" "$work/big.o" >"$work/link.txt" 2>&1
}
if link 0x1002000; then
    bad "a 16 KiB image linked into an 8 KiB range"
elif ! grep -q 'does not fit its address range' "$work/link.txt"; then
    bad "the link failed, but not on the range: $(head -n 1 "$work/link.txt")"
else
    ok "an image larger than its range is refused: $(grep -o 'does not fit.*' "$work/link.txt" | head -n 1)"
fi
if link 0x1800000 && "$readelf" -lW "$work/big.elf" | awk '$1 == "LOAD" { print $3; exit }' |
    grep -qx '0x0*1000000'; then
    ok "an image that fits links at its range's start (0x1000000)"
else
    bad "an image that fits did not link at 0x1000000: $(head -n 1 "$work/link.txt")"
fi

echo "gdb-symbols: $fails failed"
[ "$fails" -eq 0 ]
