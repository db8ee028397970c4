/* The malloc/free mix (libcbench.h): the same operations in the same order on both sides. */
#include "libcbench.h"

#include "../bench/stats.h"

#include <stdio.h>
#include <stdlib.h>

#define MALLOC_MIX_SEED 0x4b4f49544f4d4978ull /* fixed: both sides draw the same mix */

static uint64_t samples[MALLOC_MIX_OPS];
static unsigned char *slots[MALLOC_MIX_SLOTS];
static uint64_t overhead;
static bool overhead_known;

/* xorshift64*: small, and the same sequence on every libc (rand() is not). */
static uint64_t next(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

uint64_t libcbench_overhead(void)
{
    if (!overhead_known) {
        static uint64_t s[1000];
        for (unsigned i = 0; i < 1000; i++) {
            uint64_t t0 = tsc_begin();
            uint64_t t1 = tsc_end();
            s[i] = t1 - t0;
        }
        overhead = stats_summarize(s, 1000).median;
        overhead_known = true;
    }
    return overhead;
}

void libcbench_report(const char *name, uint64_t *s, unsigned n, const char *unit)
{
    uint64_t o = libcbench_overhead();
    for (unsigned i = 0; i < n; i++)
        s[i] = s[i] > o ? s[i] - o : 0;
    struct summary r = stats_summarize(s, n);
    printf("bench: %s median %llu p1 %llu p99 %llu iterations %u unit %s\n", name,
           (unsigned long long)r.median, (unsigned long long)r.p1, (unsigned long long)r.p99, n,
           unit);
    fflush(stdout);
}

/* 16 B to 64 KiB, log-uniform: a power-of-two class 16..32 KiB, then a size within it. */
static size_t mix_size(uint64_t *state)
{
    size_t low = (size_t)16 << (next(state) % 12);
    return low + (size_t)(next(state) % low);
}

bool libcbench_malloc_mix(const char *unit)
{
    uint64_t state = MALLOC_MIX_SEED;
    uint64_t mallocs = 0, bytes = 0;
    (void)libcbench_overhead();
    uint64_t start = tsc_begin();
    for (unsigned i = 0; i < MALLOC_MIX_OPS; i++) {
        unsigned slot = (unsigned)(next(&state) % MALLOC_MIX_SLOTS);
        size_t size = mix_size(&state); /* drawn either way: the sequence never forks */
        uint64_t t0 = tsc_begin();
        if (slots[slot] != NULL) {
            free(slots[slot]);
            slots[slot] = NULL;
        } else {
            unsigned char *p = malloc(size);
            if (p == NULL) {
                printf("libcbench: malloc(%zu) failed at operation %u\n", size, i);
                return false;
            }
            /* Written, as a program would: on Linux the first touch of a page faults it in. */
            p[0] = (unsigned char)i;
            p[size - 1] = (unsigned char)i;
            slots[slot] = p;
        }
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
        if (slots[slot] != NULL) {
            mallocs++;
            bytes += size;
        }
    }
    uint64_t total = tsc_end() - start;
    for (unsigned s = 0; s < MALLOC_MIX_SLOTS; s++) {
        free(slots[s]);
        slots[s] = NULL;
    }
    printf("libcbench: malloc_mix %u operations, %llu mallocs of %llu bytes in all\n",
           MALLOC_MIX_OPS, (unsigned long long)mallocs, (unsigned long long)bytes);
    libcbench_report("malloc_mix", samples, MALLOC_MIX_OPS, unit);
    /* The rare expensive operations, which the percentiles hide: the heap growing (KOITO:
     * sbrk asks the Buddy server for pages; Linux: brk, then page faults on first touch). */
    unsigned over = 0;
    for (unsigned i = 0; i < MALLOC_MIX_OPS; i++)
        over += samples[i] > 10000;
    printf("libcbench: malloc_mix max %llu, %u operations over 10000\n",
           (unsigned long long)samples[MALLOC_MIX_OPS - 1], over);
    uint64_t t[1] = {total};
    libcbench_report("malloc_mix_total", t, 1, unit);
    return true;
}
