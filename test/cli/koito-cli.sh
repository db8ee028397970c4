#!/usr/bin/env bash
# koito-cli.sh SOURCE_DIR WORK_DIR
# The command line of ./koito, as a user meets it:
#   1. every mistake names the wrong word, exits 64 and builds nothing (the build folder it
#      would use is never created);
#   2. ./koito --help and ./koito CMD --help describe every command and option;
#   3. the exit statuses, each from a real boot in a scratch build folder (WORK_DIR/build):
#      0 success, 1 the guest's failure (a machine too small for the system), 2 a guest
#      that never ends (a console server alone) killed by --timeout, 4 a file capgen
#      refuses; 3 (no verdict) from a QEMU stand-in that ends without the guest's verdict,
#      which also records the -m QEMU is given: system.memory + 64M, or --memory;
#      A first run in a new folder builds the default system and nothing else;
#   4. ./koito run --gdb: gdb (batch) loads the kernel and every image through the printed
#      script, stops in the kernel and in one chosen process, with no symbol warnings.
set -uo pipefail
src=$1 work=$2
koito=$src/koito
mkdir -p "$work"
log=$work/log.txt
fails=0
ok() { echo "ok - $*"; }
bad() {
    echo "not ok - $*"
    echo "---- ./koito said ----"
    tail -n 30 "$log"
    echo "----------------------"
    fails=$((fails + 1))
}

# --- 1. mistakes: status 64, the word named, nothing built -------------------------------
never=$work/never-built
rm -rf "$never"
# "arguments|the word the message must name"
mistakes=(
    "runn|'runn' (did you mean 'run'?)"
    "--bogus|'--bogus'"
    "run --accel foo|--accel 'foo'"
    "run --timeout abc|--timeout 'abc'"
    "run --timeout|--timeout needs a value"
    "run --memory 12|--memory '12'"
    "run --memry 1G|'--memry' (did you mean '--memory'?)"
    "run --system $work/no-such.cap.yaml|no such system file '$work/no-such.cap.yaml'"
    "run --system $work|is not a regular file"
    "run extra|unexpected argument 'extra'"
    "run --gdb now|unexpected argument 'now'"
    "build extra|unexpected argument 'extra'"
    "manual --pdf|unknown option '--pdf'"
    "tree a.yaml b.yaml|unexpected argument 'b.yaml'"
    "tree $work/no-such.cap.yaml|no such system file"
    "bench --accel=foo|--accel 'foo'"
    "bench --linux|unknown option '--linux'"
    "fuzz|a target NAME is needed"
    "fuzz fuzz_elff|'fuzz_elff' (did you mean 'fuzz_elf'?)"
    "fuzz fuzz_elf 10 more|unexpected argument 'more'"
    "fuzz fuzz_elf ten|SECONDS 'ten'"
    "fuzz system --seed 0x10|--seed '0x10'"
    "fuzz system --ops|--ops needs a value"
)
for entry in "${mistakes[@]}"; do
    args=${entry%%|*} want=${entry#*|}
    # shellcheck disable=SC2086
    KOITO_BUILD=$never "$koito" $args >"$log" 2>&1
    status=$?
    if [ "$status" -ne 64 ]; then
        bad "./koito $args: status $status, not 64"
    elif ! grep -qF -- "$want" "$log"; then
        bad "./koito $args: the message does not say: $want"
    elif [ -e "$never" ]; then
        bad "./koito $args: the build folder was created"
    else
        ok "./koito $args: 64, names $want"
    fi
done
KOITO_BUILD=$never "$koito" >"$log" 2>&1
[ $? -eq 64 ] && grep -q '^usage: ./koito COMMAND' "$log" && ok "./koito alone: usage, 64" ||
    bad "./koito alone"

# --- 2. help ----------------------------------------------------------------------------
KOITO_BUILD=$never "$koito" --help >"$log" 2>&1
status=$?
if [ $status -ne 0 ] || grep -q 'set -e' "$log"; then
    bad "./koito --help: status $status or a stray line of the script"
else
    missing=""
    for word in run test build tree bench fuzz manual "0 " "1 " "2 " "3 " "4 " "64 "; do
        grep -qE "^  $word" "$log" || missing+=" '$word'"
    done
    [ -z "$missing" ] && ok "./koito --help: every command and exit status" ||
        bad "./koito --help lacks$missing"
fi
# each command's help names each of its options
helps=(
    "run|--system --memory --accel --timeout --gdb"
    "test|-L -R"
    "build|"
    "tree|FILE"
    "bench|--accel --no-linux"
    "fuzz|SECONDS --seed --mask --ops fuzz_elf"
    "manual|manual.pdf"
)
for entry in "${helps[@]}"; do
    cmd=${entry%%|*} words=${entry#*|}
    KOITO_BUILD=$never "$koito" "$cmd" --help >"$log" 2>&1
    status=$?
    missing=""
    for word in $words; do grep -qF -- "$word" "$log" || missing+=" $word"; done
    if [ $status -ne 0 ] || ! grep -q "^usage: ./koito $cmd" "$log" || [ -n "$missing" ]; then
        bad "./koito $cmd --help: status $status, missing:$missing"
    else
        ok "./koito $cmd --help"
    fi
done
[ ! -e "$never" ] || bad "--help built something"

# --- 3. exit statuses from real runs -----------------------------------------------------
export KOITO_BUILD=$work/build
# The scratch folder uses the main folder's newlib (WORK's parent): building it again would
# take minutes and test nothing this test is about.
[ -f "$(dirname "$work")/newlib/stamp" ] && export KOITO_NEWLIB=$(dirname "$work")/newlib
run() { # EXPECTED-STATUS DESCRIPTION ARGS...
    local want=$1 what=$2
    shift 2
    "$koito" run "$@" >"$log" 2>&1
    local status=$?
    tr -d '\r' <"$log" >"$log.clean" && mv "$log.clean" "$log"
    if [ "$status" -eq "$want" ]; then
        ok "./koito run $*: $want ($what)"
        return 0
    fi
    bad "./koito run $*: status $status, expected $want ($what)"
    return 1
}
rm -rf "$KOITO_BUILD" # a first run, in a new folder
run 0 "success" --timeout 300 && {
    grep -q '^hello: hello from KOITO' "$log" || bad "the default system did not say hello"
}
# A first run builds the default system and nothing else: no port fetched, no other system,
# no test ISO or kernel, no fuzzer, no host test, no manual.
others=$(cd "$KOITO_BUILD" && ls -d ports/*/ systems/*/images/*.elf iso/*.iso systest*.iso \
    bench*.iso bin/*fuzz* bin/unit_* bin/core_* bin/ulmm_* bin/a9n-*.elf docs/manual.pdf 2>/dev/null |
    grep -v '^systems/default/')
if [ ! -f "$KOITO_BUILD/koito.iso" ] || [ ! -f "$KOITO_BUILD/systems/default/images/hello.elf" ]; then
    bad "a first ./koito run left no koito.iso or no default system"
elif [ -n "$others" ]; then
    bad "a first ./koito run built more than the default system: $(echo $others | cut -c1-300)"
elif grep -q '^KOITO_PORTS:BOOL=ON$' "$KOITO_BUILD/CMakeCache.txt"; then
    bad "a first ./koito run configured the folder to fetch the ports"
else
    ok "a first ./koito run builds only the default system (no port, test, fuzzer, manual)"
fi
run 1 "the guest's failure: 12M is too small for a 16M system and the kernel (18M was, before the root Node was sized to the system; 16M, before it followed the boot capabilities)" \
    --memory 12M --timeout 300 && {
    # Alpha names the shortage: of the declared objects' memory, or (since its working
    # tables grow as the system needs) of the pages for its own tables.
    grep -Eq "^alpha: (not enough memory for the declared objects|no memory left for Alpha's own page tables)" "$log" ||
        bad "the failure was not Alpha's"
}
systems=$work/systems
mkdir -p "$systems"
cat >"$systems/forever.cap.yaml" <<'YAML'
# A console server alone: it waits for clients forever, so the guest never gives a verdict.
system: { name: forever, memory: 8M }
objects:
  console_port: { type: ipc_port }
  uart_irq_note: { type: notification_port }
processes:
  console:
    image: console
    priority: 200
    caps:
      console: { object: console_port, rights: [read] }
      uart: { io_port: [0x3f8, 0x3ff] }
      uart_irq: { irq: 4, notification: uart_irq_note }
      uart_irq_wait: { object: uart_irq_note, rights: [read] }
      qemu_exit: { io_port: [0xf4, 0xf7] }
YAML
run 2 "timeout: nobody ever stops the machine" --system "$systems/forever.cap.yaml" --timeout 60 && {
    grep -q '^console: ready on COM1' "$log" || bad "the forever system did not start"
}
printf 'system: { name: broken, memory: 8M }\nprocesses:\n  app: { image: hello, priority: high }\n' \
    >"$systems/broken.cap.yaml"
run 4 "capgen refuses the file" --system "$systems/broken.cap.yaml" && {
    grep -q 'broken.cap.yaml:3:.*error' "$log" || bad "capgen's error line is not shown"
}

# A QEMU stand-in first on the PATH: it records its arguments and ends as QEMU does when the
# guest stops without writing a verdict (status 0).
fake=$work/fake-qemu
mkdir -p "$fake"
cat >"$fake/qemu-system-x86_64" <<EOF2
#!/bin/sh
echo "\$@" >"$fake/args.txt"
exit 0
EOF2
chmod +x "$fake/qemu-system-x86_64"
PATH=$fake:$PATH run 3 "no verdict: QEMU ended without the guest's" --timeout 30 && {
    grep -qE -- '-m 80M( |$)' "$fake/args.txt" ||
        bad "the 16M default system got '$(grep -oE -- '-m [^ ]+' "$fake/args.txt")', not -m 80M"
}
sed 's/memory: 8M/memory: 100M/' "$systems/forever.cap.yaml" >"$systems/big.cap.yaml"
PATH=$fake:$PATH run 3 "memory from system.memory" --system "$systems/big.cap.yaml" && {
    grep -qE -- '-m 164M( |$)' "$fake/args.txt" && ok "system.memory 100M: QEMU -m 164M" ||
        bad "system.memory 100M gave '$(grep -oE -- '-m [^ ]+' "$fake/args.txt")'"
}
PATH=$fake:$PATH run 3 "--memory overrides" --memory 300M && {
    grep -qE -- '-m 300M( |$)' "$fake/args.txt" && ok "--memory 300M: QEMU -m 300M" ||
        bad "--memory 300M gave '$(grep -oE -- '-m [^ ]+' "$fake/args.txt")'"
}

# --- 4. gdb -------------------------------------------------------------------------------
if ! command -v gdb >/dev/null; then
    bad "no gdb (./koito test installs it)"
else
    port=$((20000 + $$ % 20000))
    rm -f "$KOITO_BUILD/koito.gdb"
    KOITO_GDB_PORT=$port "$koito" run --gdb >"$work/gdb-run.txt" 2>&1 &
    runner=$!
    for _ in $(seq 1 300); do
        [ -f "$KOITO_BUILD/koito.gdb" ] && grep -q "gdb -x" "$work/gdb-run.txt" && break
        sleep 1
    done
    sleep 2 # QEMU opens its gdb port right after the script is printed
    timeout 300 gdb -batch -nx -x "$KOITO_BUILD/koito.gdb" \
        -ex 'break kernel_main' -ex continue -ex bt \
        -ex 'break apps/hello/main.c:main' -ex continue \
        -ex 'koito-break-hello koito_console_shutdown' -ex continue -ex bt \
        -ex kill >"$log" 2>&1
    wait "$runner" 2>/dev/null
    if ! grep -q "gdb -x $KOITO_BUILD/koito.gdb" "$work/gdb-run.txt" ||
        ! grep -q 'koito-break-hello LOCATION' "$work/gdb-run.txt"; then
        cp "$work/gdb-run.txt" "$log"
        bad "./koito run --gdb did not print the gdb commands"
    elif ! grep -qE '^#0  kernel_main .* at .*kernel/main\.c:[0-9]+' "$log"; then
        bad "gdb did not stop in kernel_main with its source line"
    elif [ "$(grep -c '^add-symbol-file ' "$KOITO_BUILD/koito.gdb")" -ne \
        $((1 + $(ls "$KOITO_BUILD"/systems/default/images/*.elf | wc -l))) ]; then
        bad "koito.gdb does not load Alpha and every image"
    elif ! grep -qE '^Breakpoint 2, [a-z_]+ \(.*\) at .*apps/hello/main\.c:[0-9]+' "$log"; then
        bad "gdb did not stop in hello's main (break apps/hello/main.c:main; say is inlined there)"
    elif ! grep -qE '^#1  0x[0-9a-f]+ in main \(\) at .*apps/hello/main\.c:[0-9]+' "$log"; then
        bad "gdb did not stop in hello (koito_console_shutdown called from hello's main)"
    elif grep -qiE 'warning|not in symtab|error' "$log"; then
        bad "gdb warned: $(grep -iE 'warning|symtab|error' "$log" | head -n 1)"
    else
        ok "./koito run --gdb: every image loaded; gdb stops in kernel_main, at hello's main by name and in hello's call, no warnings"
    fi
fi

echo "koito-cli: $fails failed"
[ "$fails" -eq 0 ]
