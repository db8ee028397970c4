#!/usr/bin/env bash
# Hostile inputs and outputs that a fixture file cannot express.
#   run-hostile.sh CAPGEN CLANG SOURCE_DIR WORK_DIR CASE
# CASE:
#   fifo       a FIFO as the file: one-line error, exit 1, no hang (CTest's TIMEOUT)
#   directory  a directory as the file: one-line error, exit 1
#   full       capgen tree/outputs > /dev/full: exit 2 and one line on stderr
#   comment    a path with "*/", '"' and a newline: the generated C still compiles
#   hints      a 1 MiB file of unknown references: done within CTest's TIMEOUT (10 s;
#              it took 69 s when "did you mean" went on past the error limit)
#   outputs    `capgen outputs` lists exactly the files `build` writes; a second build of
#              the same file rewrites nothing; a build of another file into the same folder
#              removes what only the first one made
#   report     `capgen report` refuses what check refuses (exit 1, nothing printed, no -o
#              file), counts the images only with --images, and fails loudly (exit 2, one
#              line) on an output it cannot write; -o belongs to build and report only
#   clients    the header macros work as C: a server's badge -> client table expands into
#              a switch, IO ranges and IRQ lines are the declared numbers
#   file_size  a good file padded to exactly 1 MiB is accepted; one byte more is refused
#   scalar     a 1024-byte scalar passes the YAML limit (only the name check stops it); one
#              of 1025 bytes is refused by it
#   nodes      a file of exactly 100,000 YAML nodes passes the YAML limit; 100,001 are
#              refused
set -uo pipefail
capgen=$1 clang=$2 src=$3 work=$4 case=$5
good=$src/test/capgen/good/default.yaml
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:exitcode=98
rm -rf "${work:?}/${case:?}"
mkdir -p "$work/$case"
cd "$work/$case" || exit 2

fail() {
    echo "FAIL $case: $*"
    exit 1
}

# expect_one_line STATUS REGEX COMMAND...: the exit status and exactly one stderr line
expect_one_line() {
    local want=$1 re=$2
    shift 2
    "$@" >/dev/null 2>err.txt
    local status=$?
    [ "$status" -eq "$want" ] || { cat err.txt; fail "exit status $status, expected $want"; }
    [ "$(wc -l <err.txt)" -eq 1 ] || { cat err.txt; fail "expected exactly one line on stderr"; }
    grep -qE "$re" err.txt || { cat err.txt; fail "stderr does not match: $re"; }
}

case "$case" in
fifo)
    mkfifo sys.yaml || exit 2
    expect_one_line 1 '^sys\.yaml: error: cannot read: not a regular file' "$capgen" check sys.yaml
    ;;
directory)
    mkdir sys.yaml
    expect_one_line 1 '^sys\.yaml: error: cannot read: it is a directory$' "$capgen" check sys.yaml
    ;;
full)
    for cmd in "tree $good" "tree $good --format dot" "tree $good --format json" "outputs $good" \
        "report $good"; do
        # shellcheck disable=SC2086
        expect_one_line 2 '^capgen: error: cannot write the output: No space left on device$' \
            bash -c "exec \"$capgen\" $cmd >/dev/full"
    done
    # build into a folder that cannot be written: one line too, exit 2
    mkdir ro && chmod 500 ro
    if [ "$(id -u)" -ne 0 ]; then
        expect_one_line 2 '^capgen: error: cannot write ' "$capgen" build "$good" -o ro/out
    fi
    ;;
comment)
    dir=$'evil*/"dir\n\\'
    mkdir -p "$dir" && cp "$good" "$dir/sys.yaml"
    "$capgen" build "$dir/sys.yaml" -o out 2>/dev/null || fail "build failed"
    grep -qF '*/"' out/alpha_spec_data.c && fail "the raw path reached the generated C"
    cflags=(--target=x86_64-unknown-none-elf -ffreestanding -nostdlib -std=c17 -Wall -Wextra
            -Werror -I"$src/servers/alpha/include" -I"$src/kernel/include")
    "$clang" "${cflags[@]}" -c out/alpha_spec_data.c -o spec.o || fail "alpha_spec_data.c does not compile"
    for h in out/caps/*.h; do
        printf '#include "%s"\nunsigned long long probe(void);\nunsigned long long probe(void) { return CAPS_NODE_RADIX; }\n' \
            "$PWD/$h" >probe.c
        "$clang" "${cflags[@]}" -c probe.c -o probe.o || fail "$h does not compile"
    done
    # diagnostics name such a path on one line
    printf 'system: { name: t, memory: 1M }\n' >"$dir/bad.yaml"
    expect_one_line 1 $'^evil\\*/"dir\\\\x0a\\\\/bad\\.yaml:1:1: error: ' "$capgen" check "$dir/bad.yaml"
    ;;
hints)
    "$src/test/capgen/gen-unknown-refs.sh" hostile.yaml
    [ "$(stat -c %s hostile.yaml)" -gt 1000000 ] || fail "the generated file is too small"
    "$capgen" check hostile.yaml 2>err.txt
    status=$?
    [ "$status" -eq 1 ] || fail "exit status $status, expected 1"
    [ "$(wc -l <err.txt)" -eq 51 ] || { tail -3 err.txt; fail "expected 50 errors and the stop line"; }
    tail -1 err.txt | grep -qx 'hostile.yaml: error: too many errors, stopping' ||
        fail "no stop line"
    grep -q "did you mean 'object_with_a_rather_long_descriptive_name_0000'" err.txt ||
        fail "the hints are gone"
    ;;
outputs)
    files() { (cd out && find . -type f | sed 's|^\./||' | sort); }
    listed() { "$capgen" outputs "$1" | sed -n 's/^file //p' | sort; }
    "$capgen" build "$good" -o out 2>/dev/null || fail "build failed"
    [ "$(files)" = "$(listed "$good")" ] || fail "outputs does not list what build wrote"
    "$capgen" outputs "$good" | grep -qx 'image console' || fail "no image lines"
    before=$(cd out && find . -type f -printf '%p %i %T@\n' | sort)
    "$capgen" build "$good" -o out 2>/dev/null || fail "second build failed"
    after=$(cd out && find . -type f -printf '%p %i %T@\n' | sort)
    [ "$before" = "$after" ] || fail "a build of the same file rewrote files"
    minimal=$src/test/capgen/good/minimal.yaml
    "$capgen" build "$minimal" -o out 2>/dev/null || fail "build of minimal.yaml failed"
    [ "$(files)" = "$(listed "$minimal")" ] || fail "files of the first system were left behind"
    [ ! -e out/caps/console.h ] || fail "caps/console.h is still there"
    ;;
report)
    printf 'system: { name: t, memory: 1M }\nprocesses:\n  a: { image: a, priority: high }\n' >bad.yaml
    "$capgen" report bad.yaml -o bad-report.txt >stdout.txt 2>err.txt
    [ $? -eq 1 ] || fail "a refused file: exit status is not 1"
    [ ! -s stdout.txt ] || fail "a refused file printed a report"
    [ ! -e bad-report.txt ] || fail "a refused file wrote a report"
    grep -q '^bad\.yaml:3:' err.txt || { cat err.txt; fail "no diagnostic for the refused file"; }
    images=$work/../images
    "$capgen" report "$good" >plain.txt || fail "report failed"
    grep -q '^  image frames not counted (no --images)' plain.txt || fail "report without images"
    "$capgen" report "$good" --images "$images" -o counted.txt || fail "report --images failed"
    grep -qE '^  image frames [0-9]+ bytes$' counted.txt || fail "report --images counts no frames"
    # the enforced fit and the report's total are one sum: objects + page tables + frames
    read -r planned < <(sed -nE 's/^planned +([0-9]+) bytes.*/\1/p' counted.txt)
    sum=$(($(sed -nE 's/^  (objects|page tables|image frames) +([0-9]+) bytes.*/\2/p' counted.txt |
        paste -sd+ -)))
    [ "$planned" = "$sum" ] || fail "planned $planned is not the sum of its parts $sum"
    "$capgen" report "$good" --images /nonexistent >stdout.txt 2>err.txt
    [ $? -eq 1 ] || fail "missing images: exit status is not 1"
    [ ! -s stdout.txt ] || fail "missing images: a report was printed"
    grep -q "error: process 'console': cannot read image /nonexistent/console.elf" err.txt ||
        { cat err.txt; fail "missing images: no diagnostic"; }
    expect_one_line 2 '^capgen: error: cannot write missing/dir/r\.txt: ' \
        "$capgen" report "$good" -o missing/dir/r.txt
    "$capgen" check "$good" -o x.txt 2>/dev/null
    [ $? -eq 2 ] || fail "check took -o"
    ;;
clients)
    "$capgen" build "$good" -o out 2>/dev/null || fail "build failed"
    cat >probe.c <<'C'
#include "caps/console.h"
const char *client_of(unsigned long long badge);
const char *client_of(unsigned long long badge)
{
    switch (badge) {
#define CLIENT(b, process, cap) \
    case b:                     \
        return #process "." #cap;
        CAP_console_CLIENTS(CLIENT)
    }
    return "unknown";
}
_Static_assert(CAP_console_CLIENT_COUNT == 1, "hello alone calls the console");
_Static_assert(CAP_uart_IO_FIRST == 0x3f8 && CAP_uart_IO_LAST == 0x3ff && CAP_uart_IO_COUNT == 8,
               "COM1's ports");
_Static_assert(CAP_uart_irq_IRQ == 4, "COM1's line");
C
    cflags=(--target=x86_64-unknown-none-elf -ffreestanding -nostdlib -std=c17 -Wall -Wextra
            -Werror -Iout -I"$src/kernel/include")
    "$clang" "${cflags[@]}" -c probe.c -o probe.o || fail "the header macros do not compile as C"
    grep -qx '#define CAP_console_BADGE 1' out/caps/hello.h || fail "hello's header has no badge"
    grep -qx '#define CAP_console_CLIENTS(X) X(1, hello, console)' out/caps/console.h ||
        fail "the console's table does not start with badge 1"
    ;;
file_size)
    limit=$((1 << 20))
    cp "$good" sys.yaml
    # Comment lines of 64 bytes, then one shorter line, up to exactly the limit.
    pad=$((limit - $(stat -c %s sys.yaml)))
    yes "#$(printf '%062d' 0)" | head -n $((pad / 64)) >>sys.yaml
    rest=$((pad % 64))
    [ "$rest" -lt 2 ] || { printf '#%*s' $((rest - 2)) '' | tr ' ' 'x'; echo; } >>sys.yaml
    [ "$rest" -ne 1 ] || echo >>sys.yaml
    [ "$(stat -c %s sys.yaml)" -eq "$limit" ] || fail "the padded file is not $limit bytes"
    "$capgen" check sys.yaml 2>err.txt || { cat err.txt; fail "a file of exactly $limit bytes was refused"; }
    echo >>sys.yaml
    expect_one_line 1 "^sys\.yaml:1:1: error: the file is larger than $limit bytes$" "$capgen" check sys.yaml
    ;;
scalar)
    long() { printf '%*s' "$1" '' | tr ' ' n; }
    printf 'system: { name: %s, memory: 1M }\nprocesses: { app: { image: app } }\n' "$(long 1024)" >at.yaml
    "$capgen" check at.yaml 2>err.txt
    grep -q 'scalar longer' err.txt && fail "a scalar of 1024 bytes was refused as too long"
    grep -q "system.name must be 1..63" err.txt || { cat err.txt; fail "no name error"; }
    printf 'system: { name: %s, memory: 1M }\nprocesses: { app: { image: app } }\n' "$(long 1025)" >past.yaml
    expect_one_line 1 '^past\.yaml:1:17: error: a scalar longer than 1024 bytes$' "$capgen" check past.yaml
    ;;
nodes)
    # A mapping, its key and a flow sequence of N items: N + 3 nodes.
    items() { printf 'x: ['; yes a, | head -n $(($1 - 1)) | tr -d '\n'; printf 'a]\n'; }
    items 99997 >at.yaml
    "$capgen" check at.yaml 2>err.txt
    grep -q 'YAML nodes' err.txt && fail "100,000 nodes were refused"
    grep -q "unknown key 'x'" err.txt || { cat err.txt; fail "the file was not read to its keys"; }
    items 99998 >past.yaml
    expect_one_line 1 '^past\.yaml:1:[0-9]+: error: the file has more than 100000 YAML nodes$' \
        "$capgen" check past.yaml
    ;;
*)
    echo "run-hostile.sh: unknown case $case" >&2
    exit 2
    ;;
esac
echo "ok $case"
