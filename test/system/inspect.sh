#!/usr/bin/env bash
# inspect.sh SOURCE_DIR ISO: boots a system that declares `inspect: true` with COM2 on a free
# local TCP port, waits for it to settle, and drives `./koito inspect`: every answer is
# checked, bad requests must be refused, and `exit` must end the machine with the success
# verdict.
set -uo pipefail
src=$1
iso=$2
log=$(mktemp)
qemu_pid=
trap 'rm -f "$log"; [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null' EXIT

fail() {
    echo "---- serial output (COM1) ----"
    tr -d '\r' <"$log"
    echo "inspect: FAIL: $*"
    exit 1
}

# A port nothing listens on (QEMU refuses to start on a taken one: then try another).
port=
for try in 1 2 3 4 5 6 7 8; do
    p=$((20000 + (RANDOM % 20000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    port=$p
    break
done
[ -n "$port" ] || fail "no free port"

KOITO_INSPECT_PORT=$port "$src/tools/qemu-run.sh" --iso "$iso" --timeout 300 --icount \
    >"$log" 2>&1 &
qemu_pid=$!

# Settled: the victim has been stopped (the lowest process) and nothing runs any more.
for _ in $(seq 1 600); do
    grep -q "^alpha: victim is stopped" <(tr -d '\r' <"$log") && break
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU ended before the system settled"
    sleep 0.5
done
grep -q "^alpha: inspection on COM2" <(tr -d '\r' <"$log") || fail "Alpha did not set up COM2"

inspect() { "$src/koito" inspect --port "$port" "$@"; }
expect() { # expect WHAT OUTPUT REGEX...
    local what=$1 out=$2
    shift 2
    for re in "$@"; do
        grep -qE -- "$re" <<<"$out" || { echo "$out"; fail "$what: no line matching /$re/"; }
    done
}

out=$(inspect ps) || { echo "$out"; fail "ps did not end with ok"; }
expect ps "$out" \
    "^process +state +priority +faults +restarts$" \
    "^console +receiving +200 +0 +0$" \
    "^ulmm +receiving +150 +0 +0$" \
    "^restarter +inactive +110 +2 +2$" \
    "^victim +inactive +100 +1 +0$" \
    "^ok$"

out=$(inspect caps console) || { echo "$out"; fail "caps console did not end with ok"; }
expect "caps console" "$out" \
    "^process console priority 200 stack_pointer 0x7fffffdf[0-9a-f]{4}$" \
    "^  resolver alpha.supervisor$" \
    "^  slot 1 ipc_port console_port r \(console\)$" \
    "^  slot 2 io_port 0x3f8-0x3ff rw \(uart\)$" \
    "^  slot 3 interrupt 4 -> uart_irq_note rw \(uart_irq\)$" \
    "^ok$"
grep -q "^process ulmm" <<<"$out" && fail "caps console printed another process"

out=$(inspect mem) || { echo "$out"; fail "mem did not end with ok"; }
expect mem "$out" \
    "^pool ulmm.slab_page_table: [0-9]+ bytes, [0-9]+ in objects$" \
    "^pool buddy.buddy: 4194304 bytes, [1-9][0-9]* in objects$" \
    "^  buddy: [1-9][0-9]* bytes$" \
    "^ok$"
# The servers' own statistics, against what the demo left: it exited holding one
# Notification Port (of two allocated, one freed), one page and the two page tables that
# map it (no exit notice in this system: they stay counted for it).
expect "mem (ULMM's statistics)" "$out" \
    "^server ulmm \(port ulmm_port\):$" \
    "^  cache page_table: 8 objects, 6 free; 2 allocations, 0 frees; refused 0 \(quota\), 0 \(exhausted\)$" \
    "^    ulmmdemo \(badge 1\): 2 of 4, peak 2$" \
    "^  cache notification_port: 8 objects, 7 free; 2 allocations, 1 frees; refused 0 \(quota\), 0 \(exhausted\)$" \
    "^    ulmmdemo \(badge 1\): 1 of 2, peak 1$" \
    "^server buddy \(port buddy_port\):$" \
    "^  pool buddy.buddy: 4194304 bytes$" \
    "^  order 12: 1 free, 1 used, 0 set aside$" \
    "^  order 18: 0 free, 1 used, 0 set aside$" \
    "^  [0-9]+ splits, [0-9]+ merges$" \
    "^    ulmmdemo \(badge 1\): 4096 bytes of 1048576, peak 4096; 2 MiB frames promised: 0 held of 0$"
[ "$(grep -c "^    ulmmdemo" <<<"$out")" -eq 3 ] || fail "mem: the demo's accounts are not three lines"

out=$(inspect tree) || { echo "$out"; fail "tree did not end with ok"; }
expect tree "$out" "^process console " "^process ulmm " "^process buddy " "^process ulmmdemo " \
    "^process restarter " "^process victim " "^  map 0x50000000 rw- victim_runs$" "^ok$"

# Refusals: each ends with an error line and status 1, and the inspector goes on answering.
out=$(inspect caps nosuch)
[ $? -eq 1 ] || fail "caps nosuch was not refused"
expect "caps nosuch" "$out" "^error: no process 'nosuch' \(ps lists them\)$"
out=$(inspect frobnicate the kernel)
[ $? -eq 1 ] || fail "an unknown request was not refused"
expect "unknown request" "$out" \
    "^error: unknown request 'frobnicate the kernel' \(ps, caps NAME, mem, tree, exit, help\)$"
out=$(inspect ps extra)
[ $? -eq 1 ] || fail "ps with an argument was not refused"
out=$(inspect "$(printf 'x%.0s' $(seq 1 200))")
[ $? -eq 1 ] || fail "a too long request was not refused"
expect "long request" "$out" "^error: a request is at most 127 characters$"
inspect ps >/dev/null || fail "the inspector stopped answering after the refusals"

out=$(inspect exit) || fail "exit did not end with ok"
wait "$qemu_pid"
status=$?
qemu_pid=
[ "$status" -eq 0 ] || fail "exit: the machine ended with status $status, not the success verdict"
echo "inspect: ok (ps, caps, mem with the servers' statistics, tree, 4 refusals, exit)"
