/* Shared includes for the core unit tests (cmocka needs its own include order). */
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

#include <core/cap_call.h>
#include <core/captree.h>
#include <core/descriptor.h>
#include <core/generic.h>
#include <core/port.h>
#include <core/process.h>
#include <core/reaper.h>
#include <core/slot.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_RADIX   6
#define GENERIC_BITS 20

/* A fresh harness for each test (cmocka setup). */
static inline int setup_harness(void **state)
{
    static struct harness h;
    harness_setup(&h, ROOT_RADIX, GENERIC_BITS);
    harness_check(&h);
    *state = &h;
    return 0;
}

/* The last step of every test that changed state: all invariants still hold. */
static inline int teardown_harness(void **state)
{
    harness_check(*state);
    return 0;
}

#define HARNESS_TEST(f) cmocka_unit_test_setup_teardown(f, setup_harness, teardown_harness)

static inline struct cap_slot *slot_at(struct harness *h, unsigned index)
{
    return &h->root[index];
}

/* A failed call must change nothing: the whole arena and the harness's own slots are
 * compared byte for byte before and after. */
struct snapshot {
    unsigned char *arena;
    struct harness h;
};

static inline struct snapshot *snapshot_take(const struct harness *h)
{
    static struct snapshot s;
    if (s.arena == NULL)
        s.arena = malloc(FAKEHAL_SIZE);
    memcpy(s.arena, fakehal_arena(), FAKEHAL_SIZE);
    s.h = *h;
    return &s;
}

static inline void snapshot_assert_same(const struct snapshot *s, const struct harness *h)
{
    assert_true(memcmp(s->arena, fakehal_arena(), FAKEHAL_SIZE) == 0);
    assert_true(memcmp(&s->h, h, sizeof(*h)) == 0);
    assert_true(reaper_is_empty());
}

#define EXPECT_FAILS_CLEANLY(h, expected, call)                                                    \
    do {                                                                                           \
        struct snapshot *snap_ = snapshot_take(h);                                                 \
        assert_int_equal((call), (expected));                                                      \
        snapshot_assert_same(snap_, h);                                                            \
    } while (0)
