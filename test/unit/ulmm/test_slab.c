/*
 * A static SLAB cache (servers/ulmm/core/slab.c) over the real capability core: exhaustion
 * and recovery, O(1) reuse of the same slot, every refusal, death, and random runs against
 * a model.
 */
#include "ulmm_host.h"

#include "../../../servers/ulmm/core/slab.h"

#include <core/cap.h>
#include <stdlib.h>

#define ROOT_RADIX  10
#define COUNT       16 /* IPC Ports of 64 bytes: a Generic of exactly 1 KiB */
#define CACHE_BITS  10
#define GEN_BASE    32
#define OBJECT_BASE (GEN_BASE + COUNT)
#define PORT        A9N_OBJECT_IPC_PORT

static struct ulmm_slab slab;
static struct ulmm_entry meta[COUNT];
static paddr_t cache_base;

static void start(a9n_word type, a9n_word specific, uint32_t count, unsigned cache_bits,
                  uint32_t quota)
{
    harness_setup(&ulmm_host, ROOT_RADIX, cache_bits);
    cache_base = host_slot(H_GENERIC)->cap.object;
    struct ulmm_slab_config c = {
        .type = type,
        .specific_bits = specific,
        .count = count,
        .generic = H_GENERIC,
        .generic_base = GEN_BASE,
        .object_base = OBJECT_BASE,
    };
    for (unsigned i = 1; i <= ULMM_MAX_CLIENTS; i++)
        c.quota[i] = quota;
    assert_int_equal(ulmm_slab_init(&slab, &c, meta), ULMM_OK);
}

static int setup(void **state)
{
    (void)state;
    start(PORT, 0, COUNT, CACHE_BITS, COUNT);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    harness_check(&ulmm_host);
    return 0;
}

static void exhaust_the_cache_and_recover(void **state)
{
    (void)state;
    uint32_t idx[COUNT], x;
    for (unsigned i = 0; i < COUNT; i++) {
        assert_int_equal(ulmm_slab_alloc(&slab, 1 + i % 2, &idx[i]), ULMM_OK);
        assert_int_equal(idx[i], i);
        /* Object i sits at the start of its own 64-byte child Generic. */
        assert_true(host_holds(OBJECT_BASE + i, PORT, cache_base + 64 * i));
    }
    assert_int_equal(slab.free, 0);
    assert_int_equal(ulmm_slab_alloc(&slab, 3, &x), ULMM_E_EXHAUSTED);
    /* Freeing one makes exactly that slot allocatable again, in O(1): the same memory. */
    assert_int_equal(ulmm_slab_free(&slab, 2, idx[5]), ULMM_OK);
    assert_int_equal(host_slot(OBJECT_BASE + 5)->cap.type, A9N_OBJECT_NONE);
    assert_int_equal(cap_generic_watermark(&host_slot(GEN_BASE + 5)->cap), 0);
    ulmm_host_calls = 0;
    assert_int_equal(ulmm_slab_alloc(&slab, 3, &x), ULMM_OK);
    assert_int_equal(ulmm_host_calls, 1);
    assert_int_equal(x, 5);
    assert_true(host_holds(OBJECT_BASE + 5, PORT, cache_base + 64 * 5));
    assert_int_equal(slab.refused_exhausted, 1);
}

static void refuses_foreign_and_bogus_frees(void **state)
{
    (void)state;
    uint32_t a, x;
    assert_int_equal(ulmm_slab_alloc(&slab, 1, &a), ULMM_OK);
    assert_int_equal(ulmm_slab_free(&slab, 2, a), ULMM_E_NOT_OWNER);
    assert_int_equal(ulmm_slab_free(&slab, 0, a), ULMM_E_INVALID);
    assert_int_equal(ulmm_slab_free(&slab, ULMM_MAX_CLIENTS + 1, a), ULMM_E_INVALID);
    assert_int_equal(ulmm_slab_free(&slab, 1, COUNT), ULMM_E_INVALID);
    assert_int_equal(ulmm_slab_free(&slab, 1, UINT32_MAX), ULMM_E_INVALID);
    assert_int_equal(ulmm_slab_free(&slab, 1, a + 1), ULMM_E_INVALID); /* a free slot */
    assert_true(host_holds(OBJECT_BASE + a, PORT, cache_base + 64 * a));
    assert_int_equal(ulmm_slab_alloc(&slab, 0, &x), ULMM_E_INVALID);
    assert_int_equal(ulmm_slab_free(&slab, 1, a), ULMM_OK);
    assert_int_equal(ulmm_slab_free(&slab, 1, a), ULMM_E_INVALID); /* double free */
    assert_int_equal(slab.free, COUNT);
}

static void freeing_deletes_the_clients_copy(void **state)
{
    (void)state;
    uint32_t a;
    assert_int_equal(ulmm_slab_alloc(&slab, 1, &a), ULMM_OK);
    /* The copy an IPC reply would transfer to the client. */
    assert_int_equal(h_copy(&ulmm_host, 9, OBJECT_BASE + a), A9N_SUCCESS);
    assert_int_equal(ulmm_slab_free(&slab, 1, a), ULMM_OK);
    assert_int_equal(host_slot(9)->cap.type, A9N_OBJECT_NONE);
}

static void quotas_and_death(void **state)
{
    (void)state;
    start(PORT, 0, COUNT, CACHE_BITS, 3);
    uint32_t x;
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(ulmm_slab_alloc(&slab, 4, &x), ULMM_OK);
    assert_int_equal(ulmm_slab_alloc(&slab, 4, &x), ULMM_E_QUOTA);
    assert_int_equal(ulmm_slab_alloc(&slab, 5, &x), ULMM_OK);
    assert_int_equal(slab.client[4].used, 3);
    /* Client 4 dies: its three come back, client 5's one stays. */
    assert_int_equal(ulmm_slab_reclaim(&slab, 4), 3);
    assert_int_equal(slab.client[4].used, 0);
    assert_int_equal(slab.free, COUNT - 1);
    assert_int_equal(ulmm_slab_reclaim(&slab, 4), 0);
    assert_int_equal(ulmm_slab_reclaim(&slab, 0), 0);
    assert_int_equal(ulmm_slab_alloc(&slab, 4, &x), ULMM_OK);
    assert_int_equal(slab.client[4].peak, 3);
}

static void caches_of_other_types(void **state)
{
    (void)state;
    /* Nodes of radix 2 (256 bytes), 5 of them in 2 KiB: the count need not fill the Generic. */
    start(A9N_OBJECT_NODE, 2, 5, 11, 6);
    uint32_t x;
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(ulmm_slab_alloc(&slab, 1, &x), ULMM_OK);
        assert_true(host_holds(OBJECT_BASE + x, A9N_OBJECT_NODE, cache_base + 256 * x));
    }
    assert_int_equal(ulmm_slab_alloc(&slab, 1, &x), ULMM_E_EXHAUSTED);
    /* Processes (2 KiB each). */
    start(A9N_OBJECT_PROCESS, 0, 2, 12, 2);
    assert_int_equal(ulmm_slab_alloc(&slab, 1, &x), ULMM_OK);
    assert_int_equal(host_slot(OBJECT_BASE + x)->cap.type, A9N_OBJECT_PROCESS);
    assert_int_equal(ulmm_slab_reclaim(&slab, 1), 1);
}

static void a_bad_declaration_is_refused(void **state)
{
    (void)state;
    struct ulmm_slab s;
    struct ulmm_slab_config c = {.type = PORT,
                                 .count = COUNT + 1,
                                 .generic = H_GENERIC,
                                 .generic_base = GEN_BASE,
                                 .object_base = OBJECT_BASE + 1};
    /* More objects than the Generic holds: the kernel refuses the split. */
    harness_setup(&ulmm_host, ROOT_RADIX, CACHE_BITS);
    assert_int_equal(ulmm_slab_init(&s, &c, meta), ULMM_E_KERNEL);
    c.count = 0;
    assert_int_equal(ulmm_slab_init(&s, &c, meta), ULMM_E_INVALID);
    c.count = 1;
    c.type = A9N_OBJECT_DEBUG;
    assert_int_equal(ulmm_slab_init(&s, &c, meta), ULMM_E_INVALID);
    c.type = A9N_OBJECT_FRAME;
    c.specific_bits = 13;
    assert_int_equal(ulmm_slab_init(&s, &c, meta), ULMM_E_INVALID);
    c.type = PORT;
    c.specific_bits = 0;
    assert_int_equal(ulmm_slab_init(&s, &c, NULL), ULMM_E_INVALID);
}

static void random_runs_match_the_model(void **state)
{
    (void)state;
    enum { CLIENTS = 5 };
    const uint32_t quota = 5; /* 5 clients x 5 > 16: both refusals happen */
    for (uint64_t seed = 1; seed <= 8; seed++) {
        start(PORT, 0, COUNT, CACHE_BITS, quota);
        uint8_t owner[COUNT] = {0};
        unsigned used[CLIENTS + 1] = {0}, free_slots = COUNT;
        uint64_t s = seed * 0x2545f4914f6cdd1dull;
        for (unsigned step = 0; step < 4000; step++) {
            uint64_t r = host_random(&s);
            unsigned c = 1 + (unsigned)(r % CLIENTS);
            unsigned op = (unsigned)((r >> 8) % 100);
            if (op < 50) {
                uint32_t x;
                enum ulmm_error e = ulmm_slab_alloc(&slab, c, &x);
                assert_int_equal(e, used[c] >= quota  ? ULMM_E_QUOTA
                                    : free_slots == 0 ? ULMM_E_EXHAUSTED
                                                      : ULMM_OK);
                if (e == ULMM_OK) {
                    assert_int_equal(owner[x], 0); /* never handed out twice */
                    owner[x] = (uint8_t)c;
                    used[c]++;
                    free_slots--;
                    assert_true(host_holds(OBJECT_BASE + x, PORT, cache_base + 64 * x));
                }
            } else if (op < 95) {
                uint32_t x = (uint32_t)((r >> 16) % (COUNT + 2));
                enum ulmm_error e = ulmm_slab_free(&slab, c, x);
                enum ulmm_error want = x >= COUNT || owner[x] == 0 ? ULMM_E_INVALID
                                       : owner[x] != c             ? ULMM_E_NOT_OWNER
                                                                   : ULMM_OK;
                assert_int_equal(e, want);
                if (e == ULMM_OK) {
                    owner[x] = 0;
                    used[c]--;
                    free_slots++;
                    assert_int_equal(host_slot(OBJECT_BASE + x)->cap.type, A9N_OBJECT_NONE);
                }
            } else {
                assert_int_equal(ulmm_slab_reclaim(&slab, c), used[c]);
                for (unsigned i = 0; i < COUNT; i++)
                    if (owner[i] == c)
                        owner[i] = 0;
                free_slots += used[c];
                used[c] = 0;
            }
            for (unsigned i = 1; i <= CLIENTS; i++) {
                assert_true(slab.client[i].used <= quota);
                assert_int_equal(slab.client[i].used, used[i]);
            }
            assert_int_equal(slab.free, free_slots);
        }
        harness_check(&ulmm_host);
        for (unsigned i = 1; i <= CLIENTS; i++)
            ulmm_slab_reclaim(&slab, i);
        assert_int_equal(slab.free, COUNT);
        for (unsigned i = 0; i < COUNT; i++)
            assert_false(captree_has_children(host_slot(GEN_BASE + i)));
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(exhaust_the_cache_and_recover),
        T(refuses_foreign_and_bogus_frees),
        T(freeing_deletes_the_clients_copy),
        T(quotas_and_death),
        T(caches_of_other_types),
        T(a_bad_declaration_is_refused),
        T(random_runs_match_the_model),
    };
    return cmocka_run_group_tests_name("ulmm_slab", tests, NULL, NULL);
}
