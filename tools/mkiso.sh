#!/usr/bin/env bash
# mkiso.sh OUTPUT STAGE_DIR: packs a staged /boot tree into a BIOS-bootable GRUB2 ISO.
# grub-mkrescue is chatty on success; its log is shown only when it fails.
set -euo pipefail
out=$1
stage=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkrescue -o "$out" "$stage" >"$log" 2>&1; then
    cat "$log" >&2
    echo "mkiso: grub-mkrescue failed for $out" >&2
    exit 1
fi
