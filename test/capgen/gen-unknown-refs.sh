#!/usr/bin/env bash
# gen-unknown-refs.sh OUT: a system file of about 1 MiB in which every capability names an
# object that does not exist, each a near miss of one of 1,000 long object names. Every
# reference asks for a "did you mean"; capgen must stop at its error limit and answer fast.
set -euo pipefail
out=$1
awk 'BEGIN {
    pad = "object_with_a_rather_long_descriptive_name";
    print "system: { name: hostile, memory: 64M }";
    print "objects:";
    for (i = 0; i < 1000; i++)
        printf "  %s_%04d: { type: ipc_port }\n", pad, i;
    print "processes:";
    bytes = 80000;
    for (p = 0; p < 64 && bytes < 1040000; p++) {
        printf "  p%02d:\n    image: hello\n    caps:\n", p;
        for (c = 0; c < 230 && bytes < 1040000; c++) {
            line = sprintf("      c%03d: { object: %s_%04dx }", c, pad, (p * 230 + c) % 1000);
            print line;
            bytes += length(line) + 1;
        }
    }
}' >"$out"
