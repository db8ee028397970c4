#!/usr/bin/env bash
# linetab.sh ELF SOURCE_DIR: puts the ELF's line table into it as a section that is never
# loaded (.koito_lines), for Alpha to name the source line of a fault (servers/alpha/lines.c).
# One text line per address where the source line changes, sorted:
#   401000 main apps/hello/main.c:12
# made from the DWARF line table (llvm-dwarfdump) and llvm-addr2line (the innermost function,
# inlined or not, and its line), with SOURCE_DIR/ left off the file names; "??" where no
# source is known.
set -euo pipefail
elf=$1
src=${2%/}
tool() { command -v "$1" || command -v "$1-14" || { echo "linetab: no $1" >&2; exit 1; }; }
dwarfdump=$(tool llvm-dwarfdump)
addr2line=$(tool llvm-addr2line)
objcopy=$(tool llvm-objcopy)
table="$elf.lines"
"$dwarfdump" --debug-line "$elf" | grep -oE '^0x[0-9a-f]{16}' | sort -u |
    "$addr2line" -a -f -e "$elf" |
    paste - - - |
    awk -v src="$src/" '{
        sub(/^0x0*/, "", $1); file = $3; sub(/ \(discriminator [0-9]+\)/, "", file)
        if (index(file, src) == 1) file = substr(file, length(src) + 1)
        if ($2 == "??" || file ~ /^\?\?/) file = "??"
        else if (file ~ /:0$/) next # compiler-made code: it belongs to the line before
        entry = $2 " " file
        if (entry != last) print $1 " " entry
        last = entry
    }' >"$table"
"$objcopy" --remove-section=.koito_lines --add-section ".koito_lines=$table" \
    --set-section-flags .koito_lines=noload,readonly "$elf"
