#!/usr/bin/env bash
# switch-systems.sh SOURCE_DIR WORK_DIR
# Switches one build folder (WORK_DIR, a scratch folder: the main build stays as it is)
# among three declared systems with `./koito run --system`, and each must boot and verify
# on its first run: images compiled against another system's caps headers hang or fail
# (that was the bug: the headers were not declared outputs of the capgen step). Between
# them, two bad --system files must fail and leave the folder building its last system.
set -uo pipefail
src=$1 work=$2
export KOITO_BUILD=$work
# The scratch folder uses the main folder's newlib (WORK_DIR's parent): building it again
# would take minutes and test nothing this test is about.
[ -f "$(dirname "$work")/newlib/stamp" ] && export KOITO_NEWLIB=$(dirname "$work")/newlib
koito=$src/koito
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
    echo "---- ./koito said ----"
    tail -n 60 "$log"
    echo "----------------------"
    echo "switch-systems: FAIL: $*"
    exit 1
}

# run_system FILE REGEX...: boots FILE once; every REGEX must match a line of the output.
run_system() {
    local file=$1
    shift
    echo "switch-systems: ./koito run --system ${file#"$src"/}"
    "$koito" run --system "$file" --timeout 90 >"$log" 2>&1
    local status=$?
    tr -d '\r' <"$log" >"$log.clean" && mv "$log.clean" "$log"
    [ "$status" -eq 0 ] || fail "${file#"$src"/} did not boot on its first run (status $status)"
    grep -qE '^alpha: system ready, .* verified$' "$log" || fail "no verified system"
    for re in "$@"; do
        grep -qE "$re" "$log" || fail "${file#"$src"/}: no line matches '$re'"
    done
}

configured() { sed -n 's/^KOITO_SYSTEM:FILEPATH=//p' "$work/CMakeCache.txt"; }

run_system "$src/system.cap.yaml" '^hello: hello from KOITO' '^console: shutdown requested$'
run_system "$src/test/systems/deep.cap.yaml" '^alpha: building system "deep": ' '^closer: every other process is done$'

# A file naming an image that is no program of this tree, and one capgen refuses: both
# fail, and the folder is still configured for deep and still builds.
bad=$work/bad-systems
mkdir -p "$bad"
printf 'system: { name: missing, memory: 8M }\nprocesses:\n  app: { image: no_such_program }\n' \
    >"$bad/missing-image.cap.yaml"
printf 'system: { name: broken, memory: 8M }\nprocesses:\n  app: { image: hello, priority: 0x0x10 }\n' \
    >"$bad/broken.cap.yaml"
for file in "$bad/missing-image.cap.yaml" "$bad/broken.cap.yaml"; do
    "$koito" run --system "$file" >"$log" 2>&1 && fail "$file was accepted"
    [ "$(configured)" = "$src/test/systems/deep.cap.yaml" ] ||
        fail "after $file the folder is configured for '$(configured)'"
    cmake --build "$work" --target default-iso >"$log" 2>&1 || fail "the folder no longer builds after $file"
done

run_system "$src/test/systems/many.cap.yaml" '^alpha: building system "many": ' '^(worker: running.*)$' \
    '^closer: every other process is done$'
[ "$(grep -c '^worker: running' "$log")" -eq 6 ] || fail "many: not six workers"
echo "switch-systems: ok (three systems, each booted on its first run; bad files refused)"
