#!/usr/bin/env bash
# follow.sh SOURCE_DIR WORK_DIR
# Follows the manual's "Your first program" chapter (docs/chapters/first.typ) literally: its
# blocks marked `// file: P` / `# file: P` are written to P, the cmake block marked
# `# add below: LINE` goes into CMakeLists.txt below LINE, the sh block's command is run, and
# the text block marked `# expected` must appear in the output, in order. All in a copy of
# the repository (WORK_DIR/src) with a build folder of its own, so the chapter cannot go
# stale without this test failing.
set -uo pipefail
src=$1 work=$2
chapter=$src/docs/chapters/first.typ
# The copy and the blocks are made afresh; the build folder stays (Ninja rebuilds what the
# new copy changed), which keeps a second run short.
rm -rf "$work/src" "$work"/block-*
mkdir -p "$work/src"
fail() {
    echo "tutorial: FAIL: $*" >&2
    exit 1
}

# The repository as a clone has it (tracked and new files, not the build folder).
(cd "$src" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) |
    tar -xf - -C "$work/src" || fail "could not copy the repository"

# The chapter's blocks, one file each: block-N.LANG.
awk -v out="$work/block" '
    /^```[a-z]+$/ && !inside { inside = 1; n++; lang = substr($0, 4); file = out "-" n "." lang; next }
    /^```$/ && inside { inside = 0; close(file); next }
    inside { print > file }
' "$chapter"

cmd=
expected=
for block in "$work"/block-*; do
    first=$(head -n 1 "$block")
    case "$block" in
    *.c | *.yaml)
        path=$(sed -nE '1s@^(//|#) file: (.+)$@\2@p' "$block")
        [ -n "$path" ] || fail "a ${block##*.} block without a 'file:' line: $first"
        mkdir -p "$work/src/$(dirname "$path")"
        cp "$block" "$work/src/$path"
        echo "tutorial: wrote $path"
        ;;
    *.cmake)
        anchor=$(sed -nE '1s@^# add below: (.+)$@\1@p' "$block")
        [ -n "$anchor" ] || fail "a cmake block without an 'add below:' line"
        grep -qxF "$anchor" "$work/src/CMakeLists.txt" || fail "CMakeLists.txt has no line '$anchor'"
        tail -n +2 "$block" >"$work/added.txt"
        awk -v anchor="$anchor" -v added="$work/added.txt" '
            { print } $0 == anchor { while ((getline l < added) > 0) print l }
        ' "$work/src/CMakeLists.txt" >"$work/CMakeLists.txt" &&
            mv "$work/CMakeLists.txt" "$work/src/CMakeLists.txt"
        echo "tutorial: added to CMakeLists.txt below '$anchor'"
        ;;
    *.sh)
        [ -z "$cmd" ] || fail "more than one command block"
        cmd=$(grep -v '^#' "$block")
        ;;
    *.text)
        [[ "$first" == "# expected"* ]] && expected=$block
        ;;
    esac
done
[ -n "$cmd" ] || fail "no command block"
[ -n "$expected" ] || fail "no expected block"
[[ "$cmd" == "./koito run "* ]] || fail "the command is not ./koito run: $cmd"

# A build folder of its own; newlib is reused from the main build (building it again would
# test nothing the chapter says).
export KOITO_BUILD=$work/build
[ -f "$(dirname "$work")/newlib/stamp" ] && export KOITO_NEWLIB=$(dirname "$work")/newlib
echo "tutorial: running: $cmd"
(cd "$work/src" && eval "$cmd") >"$work/output.txt" 2>&1
status=$?
tr -d '\r' <"$work/output.txt" >"$work/serial.txt"
if [ "$status" -ne 0 ]; then
    tail -n 40 "$work/serial.txt"
    fail "'$cmd' ended with status $status, not 0"
fi
# Each expected line, in order, as the start of a line of the output.
line_no=0
while IFS= read -r want; do
    [[ "$want" == "#"* ]] && continue
    found=$(tail -n +"$((line_no + 1))" "$work/serial.txt" | grep -nF -m1 -- "$want" | cut -d: -f1)
    if [ -z "$found" ]; then
        tail -n 40 "$work/serial.txt"
        fail "the output has no line '$want' (after line $line_no)"
    fi
    line_no=$((line_no + found))
done <"$expected"
echo "tutorial: ok ($(grep -vc '^#' "$expected") expected lines, in order)"
