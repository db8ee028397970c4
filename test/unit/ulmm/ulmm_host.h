/*
 * The ULMM core's kernel calls (servers/ulmm/core/kernel.h) on the host: the real A9N
 * capability core over the fake HAL (test/unit/core/harness.h), slots = root Node indices.
 */
#pragma once

// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include "fakehal.h"
#include "harness.h"

#include <core/captree.h>
#include <core/slot.h>

/* The capability space the core's kernel calls act on. */
extern struct harness ulmm_host;
/* How many kernel calls the core made (tests bound the work of one operation). */
extern unsigned long ulmm_host_calls;

static inline struct cap_slot *host_slot(unsigned index)
{
    return &ulmm_host.root[index];
}

/* Whether slot `index` holds an object of `type` whose memory starts at `pa`. */
static inline bool host_holds(unsigned index, unsigned type, paddr_t pa)
{
    const struct cap *c = &host_slot(index)->cap;
    return c->type == type && c->object == pa;
}

/* A tiny deterministic PRNG (xorshift64*), so every run is the same run. */
static inline uint64_t host_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
