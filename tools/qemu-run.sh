#!/usr/bin/env bash
# qemu-run.sh --iso FILE [--accel tcg|kvm] [--timeout S] [--memory M] [--log FILE] [--gdb]
#             [--icount] [--fw-cfg NAME=STRING]... [--input FILE [--input-after TEXT]]
# Boots an ISO headless: serial on stdout (and in --log), no reboot, isa-debug-exit.
# Exit status is the guest's verdict: 0 success, 1 failure, 2 timeout, 3 no verdict; 64 a
# wrong command line (never one of the verdicts).
#
# --icount makes guest time follow guest instructions (-icount shift=0,align=off,sleep=off):
# the guest's timer then fires after the same instructions whatever the host's load, so a
# run is repeatable. --timeout is host time (a hung guest is killed after it).
# --fw-cfg NAME=STRING hands the guest a QEMU firmware configuration file "opt/koito/NAME"
# (read by apps/fuzz for its seed and options).
# --input FILE types FILE into the serial port (COM1's receiver), once the serial output has
# shown a line containing TEXT (default "console: ready"): bytes sent earlier could meet a
# UART that its driver has not set up yet. QEMU takes them as fast as the guest reads them.
set -uo pipefail

iso="" accel=tcg timeout=60 memory=256M log="" gdb=0 icount=0 input="" input_after="console: ready"
fw_cfg=()
while [ $# -gt 0 ]; do
    case "$1" in
    --iso) iso=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --gdb) gdb=1; shift ;;
    --icount) icount=1; shift ;;
    --input) input=$2; shift 2 ;;
    --input-after) input_after=$2; shift 2 ;;
    --fw-cfg)
        [[ "$2" =~ ^[a-z_]+=[^,]*$ ]] || { echo "qemu-run: --fw-cfg takes NAME=STRING (no commas)" >&2; exit 64; }
        fw_cfg+=(-fw_cfg "name=opt/koito/${2%%=*},string=${2#*=}"); shift 2 ;;
    *) echo "qemu-run: unknown option '$1'" >&2; exit 64 ;;
    esac
done
[ -f "$iso" ] || { echo "qemu-run: no ISO at '$iso'" >&2; exit 64; }
[[ "$timeout" =~ ^[0-9]+$ ]] || { echo "qemu-run: --timeout takes whole seconds" >&2; exit 64; }
[ -z "$input" ] || [ -f "$input" ] || { echo "qemu-run: no input file at '$input'" >&2; exit 64; }

args=(-M pc -m "$memory" -display none -monitor none -serial stdio -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -boot d -cdrom "$iso")
# KOITO_INSPECT_PORT=PORT: COM2 on localhost:PORT, where a system that declares
# `inspect: true` answers `./koito inspect` (servers/alpha/inspect.c).
if [ -n "${KOITO_INSPECT_PORT:-}" ]; then
    [[ "$KOITO_INSPECT_PORT" =~ ^[0-9]+$ ]] || { echo "qemu-run: KOITO_INSPECT_PORT takes a port number" >&2; exit 64; }
    args+=(-serial "tcp:127.0.0.1:$KOITO_INSPECT_PORT,server=on,wait=off")
fi
case "$accel" in
tcg) args+=(-accel tcg -cpu max) ;;
# Hardware virtualization only; on PVM "kvm" hosts this is slow and its timings mean nothing.
kvm) args+=(-accel kvm -cpu host,arch-capabilities=off) ;;
*) echo "qemu-run: --accel takes tcg or kvm" >&2; exit 64 ;;
esac
# The guest TSC and timers then count guest instructions, one tick each (benchmarks, tests).
[ "$icount" -eq 1 ] && args+=(-icount shift=0,align=off,sleep=off)
# --gdb: halted at the first instruction, gdb's stub on KOITO_GDB_PORT (default 1234; the
# CLI test picks a free one).
[ "$gdb" -eq 1 ] && args+=(-gdb "tcp:localhost:${KOITO_GDB_PORT:-1234}" -S)
args+=("${fw_cfg[@]}")

run_qemu() {
    if [ -n "$input" ]; then
        timeout -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" <"$work/serial-in"
    elif [ "$timeout" -gt 0 ]; then
        timeout -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null
    else
        qemu-system-x86_64 "${args[@]}"
    fi
}

# The typist: opens the FIFO (QEMU's stdin), waits for the text in the serial output, types
# the file and closes (the end of QEMU's input). It gives up with QEMU's timeout.
if [ -n "$input" ]; then
    [ "$timeout" -gt 0 ] || timeout=600
    work=$(mktemp -d) typist=""
    trap '[ -z "$typist" ] || kill "$typist" 2>/dev/null; rm -rf "$work"' EXIT
    mkfifo "$work/serial-in"
    [ -n "$log" ] || log=$work/serial.log
    : >"$log"
    (
        for ((i = 0; i < timeout * 10; i++)); do
            grep -qF -- "$input_after" "$log" && { cat "$input"; break; }
            sleep 0.1
        done
    ) >"$work/serial-in" &
    typist=$!
fi

if [ -n "$log" ]; then
    run_qemu | tee "$log"
    status=${PIPESTATUS[0]}
else
    run_qemu
    status=$?
fi

# isa-debug-exit: status = (value << 1) | 1; the kernel writes 0x10 (success), 0x11 (failure).
case "$status" in
33) exit 0 ;;
35) echo "qemu-run: the guest reported failure" >&2; exit 1 ;;
124 | 137) echo "qemu-run: the guest hung: no verdict within ${timeout} s of host time; QEMU was killed" >&2; exit 2 ;;
*) echo "qemu-run: QEMU ended with status $status and no verdict from the guest (triple fault, reset or QEMU error)" >&2; exit 3 ;;
esac
