#!/usr/bin/env bash
# Builds newlib's libc.a and libm.a for KOITO user programs from Debian's newlib-source
# tarball (CMake runs this once, and again only when the tarball or this script changes).
#
#   tools/build-newlib.sh TARBALL PATCHES OUT CFLAGS...
#
# PATCHES: a folder of *.patch files (-p1 on the unpacked tree), applied in name order:
# KOITO's fixes of newlib bugs, each saying why.
#
# OUT/src      the unpacked tree        OUT/build   newlib's own autotools build
# OUT/install  x86_64-elf/include, x86_64-elf/lib/{libc,libm}.a   (what programs use)
# OUT/build.log the whole configure+make output (printed in part when the build fails)
#
# Target x86_64-elf: newlib's generic bare-metal x86_64 (no libgloss, no system calls of its
# own; it calls read, write, sbrk... which koito-libc provides). clang compiles it for
# x86_64-unknown-none-elf through newlib's *_FOR_TARGET variables (docs: porting chapter).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 TARBALL PATCHES OUT CFLAGS..." >&2; exit 2; }
tarball=$1
patches=$2
out=$3
shift 3
cflags="$*"

# Already built from this tarball by this script with these flags (Ninja reruns a command it
# has no record of, after its log is lost, say): nothing to do.
fresh=1
[ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$tarball $cflags" ] || fresh=0
for input in "$tarball" "$0" "$patches" "$patches"/*.patch; do
    [ "$fresh" -eq 1 ] && [ "$out/stamp" -nt "$input" ] || fresh=0
done
[ "$fresh" -eq 0 ] || exit 0

start=$(date +%s)
rm -rf "$out/src" "$out/build" "$out/install" "$out/stamp"
mkdir -p "$out/src" "$out/build"
log=$out/build.log
: >"$log"
fail() {
    echo "build-newlib: $1 failed; the end of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
}
# The tarball's top folder has no fixed name (Debian's is newlib-salsa): strip it.
tar -xf "$tarball" -C "$out/src" --strip-components=1 || fail "unpacking $tarball"
for p in "$patches"/*.patch; do
    [ -f "$p" ] || continue
    patch -d "$out/src" -p1 --batch <"$p" >>"$log" 2>&1 || fail "applying $p"
done

cd "$out/build"
target_cc="clang --target=x86_64-unknown-none-elf"
"$out/src/configure" --target=x86_64-elf --prefix="$out/install" \
    --disable-multilib --disable-nls \
    --disable-newlib-supplied-syscalls \
    --disable-newlib-multithread \
    --enable-newlib-io-long-long \
    --enable-newlib-io-c99-formats \
    CC=clang \
    CC_FOR_TARGET="$target_cc" AS_FOR_TARGET="$target_cc" \
    AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib \
    CFLAGS_FOR_TARGET="$cflags" >>"$log" 2>&1 || fail "configure"
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" all-target-newlib >>"$log" 2>&1 || fail "make"
make install-target-newlib >>"$log" 2>&1 || fail "make install"
for lib in libc.a libm.a; do
    [ -f "$out/install/x86_64-elf/lib/$lib" ] || fail "finding $lib"
done
# The build tree is large and nothing reads it again.
rm -rf "$out/build" "$out/src"
echo "$tarball $cflags" >"$out/stamp"
echo "build-newlib: libc.a and libm.a in $(($(date +%s) - start)) s"
