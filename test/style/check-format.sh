#!/usr/bin/env bash
# Every C file in the repository must match .clang-format (fix with: clang-format -i FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(git ls-files -co --exclude-standard '*.c' '*.h' | grep -v '^build/')
[ ${#files[@]} -gt 0 ] || { echo "check-format: no C files found" >&2; exit 1; }
if ! clang-format --dry-run -Werror "${files[@]}"; then
    echo "check-format: the files above are not clang-formatted" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files formatted"
