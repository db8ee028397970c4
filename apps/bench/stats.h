/* Samples, sorted, summarized. */
#pragma once

#include <stdint.h>

struct summary {
    uint64_t median, p1, p99;
};

/* Sorts `n` samples in place (heapsort: no recursion, no extra memory) and summarizes. */
struct summary stats_summarize(uint64_t *samples, unsigned n);

/* A serialised read of the time-stamp counter: earlier instructions have finished before
 * it, later ones start after it. Under QEMU -icount shift=0 it counts guest instructions. */
static inline uint64_t tsc_begin(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_end(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi)::"rcx", "memory");
    return ((uint64_t)hi << 32) | lo;
}
