#!/usr/bin/env bash
# One good fixture: capgen accepts it and every output equals its golden file.
#   run-good.sh CAPGEN CLANG SOURCE_DIR NAME.yaml IMAGES WORK_DIR
# Goldens live in good/NAME.golden/: check.txt (capgen check's stderr: warnings),
# tree.txt, tree.dot, tree.json, report.txt, alpha_spec_data.c.golden, caps/*.h.golden.
# CAPGEN_UPDATE=1 rewrites the goldens from the current output instead of comparing.
# The generated spec must compile freestanding against alpha_spec.h, and so must every
# caps header.
set -uo pipefail
capgen=$1 clang=$2 src=$3 name=$4 images=${5:-} work=$6
base=${name%.yaml}
golden=$src/test/capgen/good/$base.golden
out=$work/$base
cd "$src/test/capgen/good" || exit 2
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:exitcode=98
args=$(sed -n 's/^# args: //p' "$name" | sed "s|@IMAGES@|$images|g")
rm -rf "$out"
mkdir -p "$out/got/caps"
fail=0
# shellcheck disable=SC2086
"$capgen" check "$name" $args 2>"$out/got/check.txt" || { echo "FAIL $name: check failed"; cat "$out/got/check.txt"; exit 1; }
# shellcheck disable=SC2086
"$capgen" build "$name" -o "$out/build" $args 2>/dev/null || { echo "FAIL $name: build failed"; exit 1; }
for f in text dot json; do
    ext=$f; [ $f = text ] && ext=txt
    # shellcheck disable=SC2086
    "$capgen" tree "$name" --format $f $args >"$out/got/tree.$ext" 2>/dev/null ||
        { echo "FAIL $name: tree --format $f failed"; exit 1; }
done
cmp -s "$out/build/tree.txt" "$out/got/tree.txt" ||
    { echo "FAIL $name: build's tree.txt differs from tree --format text"; fail=1; }
# shellcheck disable=SC2086
"$capgen" report "$name" $args >"$out/got/report.txt" 2>/dev/null ||
    { echo "FAIL $name: report failed"; exit 1; }
# build writes the report only when it knows the images (else its total would leave them out)
if [ -f "$out/build/report.txt" ]; then
    cmp -s "$out/build/report.txt" "$out/got/report.txt" ||
        { echo "FAIL $name: build's report.txt differs from capgen report"; fail=1; }
elif [[ " $args " == *" --images "* ]]; then
    echo "FAIL $name: build was given the images but wrote no report.txt"
    fail=1
fi
cp "$out/build/alpha_spec_data.c" "$out/got/alpha_spec_data.c.golden"
for h in "$out"/build/caps/*.h; do
    cp "$h" "$out/got/caps/$(basename "$h").golden"
done
if [ "${CAPGEN_UPDATE:-0}" = 1 ]; then
    rm -rf "$golden"
    cp -r "$out/got" "$golden"
    echo "updated $golden"
else
    if ! diff -ru "$golden" "$out/got"; then
        echo "FAIL $name: outputs differ from $golden (CAPGEN_UPDATE=1 rewrites them)"
        fail=1
    fi
fi
# The spec and the headers compile for the target, freestanding, warnings as errors.
cflags=(--target=x86_64-unknown-none-elf -ffreestanding -nostdlib -std=c17 -Wall -Wextra
        -Werror -I"$src/servers/alpha/include" -I"$src/kernel/include")
"$clang" "${cflags[@]}" -c "$out/build/alpha_spec_data.c" -o "$out/spec.o" ||
    { echo "FAIL $name: alpha_spec_data.c does not compile"; fail=1; }
for h in "$out"/build/caps/*.h; do
    # An image run as processes with different slots gets an #error header on purpose:
    # it must stop a build that includes it, so it must not compile.
    if grep -q '^#error' "$h"; then
        ! "$clang" "${cflags[@]}" -fsyntax-only -x c "$h" 2>/dev/null ||
            { echo "FAIL $name: $(basename "$h") should not compile"; fail=1; }
        continue
    fi
    printf '#include "%s"\nunsigned long long koito_probe(void) { return CAPS_NODE_RADIX; }\n' "$h" >"$out/probe.c"
    "$clang" "${cflags[@]}" -Wmissing-prototypes -Wno-missing-prototypes -c "$out/probe.c" -o "$out/probe.o" ||
        { echo "FAIL $name: $(basename "$h") does not compile"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok $name"
exit $fail
