/* The host tests' random numbers: xorshift64*, small, fixed and the same everywhere, so a
 * seed names one run. Each test file that includes it has its own state. */
#pragma once

#include <stdint.h>

static uint64_t rng;

static inline uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static inline unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}
