#!/usr/bin/env bash
# The Linux half of the side-by-side benchmark: builds linuxbench.c as a static /init, packs it
# into an initramfs, boots Debian's kernel in the same QEMU setup as KOITO's benchmarks (TCG,
# -cpu max, -icount shift=0: the guest TSC counts guest instructions) and prints the `bench:`
# lines, also written to <build>/bench/linux.txt.
#
# Usage: run-linux-bench.sh [BUILD_DIR]   (default: <repo>/build)
# Environment: LINUX_BENCH_TIMEOUT (seconds, default 300), KERNEL (a vmlinuz to use instead of
# the newest /boot/vmlinuz-*), CC (compiler; default gcc, else clang).
# Exit status: 0 when the guest printed `bench: done`, non-zero otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(realpath -m "${1:-$here/../../build}")
out=$build/bench
timeout_s=${LINUX_BENCH_TIMEOUT:-300}

die() {
    echo "run-linux-bench: $*" >&2
    exit 1
}

# Install only what is missing, so a prepared machine never touches apt.
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v cpio >/dev/null || missing+=(cpio)
command -v gzip >/dev/null || missing+=(gzip)
if [[ -z ${CC:-} ]] && ! command -v gcc >/dev/null && ! command -v clang >/dev/null; then
    missing+=(gcc)
fi
[[ -e /usr/lib/x86_64-linux-gnu/libc.a ]] || missing+=(libc6-dev)
if [[ -z ${KERNEL:-} ]] && ! compgen -G '/boot/vmlinuz-*' >/dev/null; then
    missing+=(linux-image-amd64)
fi
if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || die "missing packages: ${missing[*]} (install them, or run as root)"
    echo "run-linux-bench: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

cc=${CC:-$(command -v gcc || command -v clang)}
kernel=${KERNEL:-$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)}
[[ -r $kernel ]] || die "cannot read kernel $kernel"

# Build the binary and the archive in a scratch root under the build dir.
mkdir -p "$out"
root=$out/linux-initramfs.root
rm -rf "$root"
mkdir -p "$root"

# The libc rows (apps/libcbench/libcbench.h): the same C files KOITO runs, compiled as KOITO
# compiles them (clang -O2 and KOITO's code-generation flags, minus freestanding), against
# glibc: the figures compare the libc and the system, not the compilers. Lua is Debian's
# lua5.4 source that KOITO's build fetched (<build>/ports/lua5.4, tools/fetch-deb-src.sh),
# with the same LUA_COMPAT_5_3; without it, the Lua row is reported skipped.
apps=$(realpath "$here/../../apps")
bcc=$(command -v clang || echo "$cc")
bflags=(-O2 -fno-builtin -fno-stack-protector -fno-pic -fno-pie -mno-red-zone
        -fno-omit-frame-pointer -fno-common -w)
objs=$out/linux-libcbench
mkdir -p "$objs"
libc_sources=("$apps/libcbench/mallocmix.c" "$apps/bench/stats.c")
lua_src=$build/ports/lua5.4/src
defines=()
if [[ -f $build/ports/lua5.4/.unpacked && -f $lua_src/lapi.c ]]; then
    defines+=(-DLIBCBENCH_LUA)
    mkdir -p "$objs/include"
    echo '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"' >"$objs/include/lua5.4-deb-multiarch.h"
    for f in lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser \
        lstate lstring ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib ldblib liolib \
        lmathlib loadlib loslib lstrlib ltablib lutf8lib linit; do
        libc_sources+=("$lua_src/$f.c")
    done
    libc_sources+=("$apps/libcbench/luacpu.c")
    cp "$apps/libcbench/cpu.lua" "$root/cpu.lua"
else
    echo "run-linux-bench: no Debian lua5.4 source in $build/ports: the Lua row is skipped" >&2
fi
libc_objs=()
for f in "${libc_sources[@]}"; do
    o=$objs/$(basename "$f" .c).o
    # Compiled again only when the source is newer (Lua's 33 files take a while).
    if [[ ! -f $o || $f -nt $o || $apps/libcbench/libcbench.h -nt $o ]]; then
        "$bcc" "${bflags[@]}" -DLUA_COMPAT_5_3 -I"$lua_src" -I"$objs/include" -c "$f" -o "$o"
    fi
    libc_objs+=("$o")
done
"$cc" -O2 -static -Wall -Wextra "${defines[@]}" -I"$apps/libcbench" -o "$root/init" \
    "$here/linuxbench.c" "${libc_objs[@]}" -lm
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out/linux-initramfs.cpio.gz"

# -smp 1 is QEMU's default; the pipe figure is a same-CPU round trip either way as the two
# processes take turns. stdin is /dev/null so QEMU leaves the terminal alone.
log=$out/linux-serial.log
echo "run-linux-bench: booting $(basename "$kernel") (timeout ${timeout_s}s)" >&2
start=$SECONDS
set +e
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
    -M pc -cpu max -m 512M -display none -serial stdio -monitor none -no-reboot \
    -icount shift=0,align=off,sleep=off \
    -kernel "$kernel" -initrd "$out/linux-initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1" </dev/null >"$log" 2>&1
rc=$?
set -e
elapsed=$((SECONDS - start))

tr -d '\r' <"$log" | grep '^bench: ' >"$out/linux.txt" || true
cat "$out/linux.txt"
if ((rc == 124 || rc == 137)); then
    die "timed out after ${timeout_s}s without powering off (serial log: $log)"
fi
grep -qx 'bench: done' "$out/linux.txt" ||
    die "no 'bench: done' (QEMU exit $rc; serial log: $log)"
echo "run-linux-bench: done in ${elapsed}s, results in $out/linux.txt" >&2
