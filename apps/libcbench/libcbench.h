/*
 * The libc benchmarks, one C program for both sides: KOITO (newlib, malloc's heap from the
 * Buddy server through sbrk; main.c) and Linux (glibc, brk; bench/linux/linuxbench.c), both
 * compiled by clang -O2 with KOITO's code-generation flags, both timed with the serialised
 * TSC of apps/bench/stats.h (under QEMU -icount shift=0: guest instructions).
 *
 *   malloc_mix        one malloc (with a write to its first and last byte) or free of a
 *                     random mix: sizes 16 B to 64 KiB, log-uniform, over 256 slots, a fixed
 *                     seed and MALLOC_MIX_OPS operations, each timed
 *   malloc_mix_total  the whole mix, once
 *   lua_cpu_script    Lua 5.4 (Debian's source, unmodified) running cpu.lua in a fresh state:
 *                     new state, standard libraries, load, run, close; LUA_RUNS runs
 *
 * Each prints "bench: NAME median N p1 N p99 N iterations N unit UNIT", net of the timing
 * overhead, and a "libcbench:" line with what the work computed, which must match between
 * the two sides (the same work was done).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum {
    MALLOC_MIX_OPS = 20000,
    MALLOC_MIX_SLOTS = 256,
    LUA_RUNS = 11,
};

/* Runs and reports the malloc mix; false when malloc failed (said on stdout). */
bool libcbench_malloc_mix(const char *unit);

/* Runs and reports Lua on the script at `path`; false when a run failed (said on stdout).
 * Defined by luacpu.c, which needs Lua's headers (built only when the source is there). */
bool libcbench_lua(const char *path, const char *unit);

/* The timing overhead (median of back-to-back reads), measured once. */
uint64_t libcbench_overhead(void);

/* Sorts, nets and prints one row. */
void libcbench_report(const char *name, uint64_t *samples, unsigned n, const char *unit);
