/*
 * The ULMM request decoder (servers/ulmm/core/dispatch.c) over the real capability core:
 * each operation, statistics, refusals of wrong badges and foreign handles, reclaim by the
 * supervisor only, and a long run of hostile random messages after which every pool is
 * whole again.
 */
#include "ulmm_host.h"

#include "../../../servers/ulmm/core/dispatch.h"

#include <core/cap.h>
#include <core/captree.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_RADIX  12
#define PORTS       ULMM_CACHE_IPC_PORT
#define COUNT       16
#define CACHE_SLOT  12
#define GEN_BASE    16
#define OBJ_BASE    (GEN_BASE + COUNT)
#define POOL_BITS   22
#define LEVELS      (POOL_BITS - 12)
#define TREE_BASE   64
#define TREE_OBJ    (TREE_BASE + (2u << LEVELS))
#define SUPERVISOR  0x500u
#define QUOTA_PORTS 6
#define QUOTA_BYTES (1u << 20)

#define TABLE_CACHE 13   /* a Generic of 16 KiB: four Page Tables */
#define TABLE_GEN   3200 /* past the buddy's slots (64 .. 3135) */
#define TABLE_OBJ   3204
#define SPACE       14 /* an Address Space to map them in */
#define SCRATCH     15 /* where a request's capability arrives */
#define CONTROL     6  /* ASID Control, and the pool SPACE gets its ASID from */
#define ASIDS       7

static struct ulmm_slab caches[ULMM_CACHES];
#define port_cache caches[ULMM_CACHE_IPC_PORT]
static struct ulmm_entry cache_meta[COUNT], table_meta[4];
static struct ulmm_buddy buddy;
static void *buddy_meta;
static struct ulmm_server server;
static struct ulmm_reply reply;

static int setup(void **state)
{
    (void)state;
    harness_setup(&ulmm_host, ROOT_RADIX, POOL_BITS + 1);
    /* Two halves: one becomes the 1 KiB cache Generic, the other the buddy pool. */
    assert_int_equal(h_convert(&ulmm_host, H_GENERIC, A9N_OBJECT_GENERIC, POOL_BITS, 2, 10), 0);
    assert_int_equal(h_convert(&ulmm_host, 10, A9N_OBJECT_GENERIC, 10, 1, CACHE_SLOT), 0);
    assert_int_equal(h_convert(&ulmm_host, 10, A9N_OBJECT_GENERIC, 14, 1, TABLE_CACHE), 0);
    assert_int_equal(h_convert(&ulmm_host, 10, A9N_OBJECT_ADDRESS_SPACE, 0, 1, SPACE), 0);
    /* Tables are mapped only into an Address Space with an ASID. */
    ulmm_host.root[CONTROL].cap =
        (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL};
    captree_insert_root(&ulmm_host.boot_generic, &ulmm_host.root[CONTROL]);
    assert_int_equal(harness_call(&ulmm_host, harness_desc(&ulmm_host, CONTROL),
                                  A9N_ASID_CONTROL_MAKE_POOL, harness_desc(&ulmm_host, 10),
                                  harness_desc(&ulmm_host, H_SELF), ASIDS, 0, 0),
                     0);
    assert_int_equal(harness_call(&ulmm_host, harness_desc(&ulmm_host, ASIDS), A9N_ASID_POOL_ASSIGN,
                                  harness_desc(&ulmm_host, SPACE), 0, 0, 0, 0),
                     0);
    assert_int_equal(h_move(&ulmm_host, TREE_BASE + 1, 11), 0);

    struct ulmm_slab_config sc = {.type = A9N_OBJECT_IPC_PORT,
                                  .count = COUNT,
                                  .generic = CACHE_SLOT,
                                  .generic_base = GEN_BASE,
                                  .object_base = OBJ_BASE};
    struct ulmm_buddy_config bc = {
        .pool_bits = POOL_BITS, .min_bits = 12, .tree_base = TREE_BASE, .object_base = TREE_OBJ};
    for (unsigned i = 1; i <= ULMM_MAX_CLIENTS; i++) {
        sc.quota[i] = QUOTA_PORTS;
        bc.quota[i] = QUOTA_BYTES;
    }
    memset(caches, 0, sizeof(caches));
    assert_int_equal(ulmm_slab_init(&port_cache, &sc, cache_meta), ULMM_OK);
    sc.type = A9N_OBJECT_PAGE_TABLE;
    sc.count = 4;
    sc.generic = TABLE_CACHE;
    sc.generic_base = TABLE_GEN;
    sc.object_base = TABLE_OBJ;
    for (unsigned i = 1; i <= ULMM_MAX_CLIENTS; i++)
        sc.quota[i] = 4;
    assert_int_equal(ulmm_slab_init(&caches[ULMM_CACHE_PAGE_TABLE], &sc, table_meta), ULMM_OK);
    free(buddy_meta);
    buddy_meta = malloc(ulmm_buddy_meta_bytes(POOL_BITS, 12));
    assert_int_equal(ulmm_buddy_init(&buddy, &bc, buddy_meta), ULMM_OK);
    server = (struct ulmm_server){.cache = caches,
                                  .caches = ULMM_CACHES,
                                  .buddy = &buddy,
                                  .supervisor = SUPERVISOR,
                                  .scratch = SCRATCH};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    harness_check(&ulmm_host);
    return 0;
}

static enum ulmm_error call(a9n_word badge, a9n_word op, a9n_word a1, a9n_word a2)
{
    const a9n_word m[3] = {op, a1, a2};
    return ulmm_dispatch(&server, badge, m, 3, 0, &reply);
}

static void a_port_through_the_protocol(void **state)
{
    (void)state;
    assert_int_equal(call(1, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(reply.length, 2);
    assert_int_equal(reply.word[0], ULMM_OK);
    a9n_word index = reply.word[1];
    assert_true(reply.transfer);
    assert_int_equal(reply.transfer_slot, OBJ_BASE + index);
    assert_int_equal(host_slot(OBJ_BASE + index)->cap.type, A9N_OBJECT_IPC_PORT);

    assert_int_equal(call(1, ULMM_OP_STATS_CACHE, PORTS, 0), ULMM_OK);
    const a9n_word want[] = {ULMM_OK, COUNT, COUNT - 1, 1, 0, 0, 0};
    assert_int_equal(reply.length, 7);
    assert_memory_equal(reply.word, want, sizeof(want));
    assert_false(reply.transfer);
    assert_int_equal(call(1, ULMM_OP_STATS_CLIENT, PORTS, 0), ULMM_OK);
    assert_int_equal(reply.word[1], 1);
    assert_int_equal(reply.word[2], QUOTA_PORTS);

    /* Another client cannot free it; its owner can, once. */
    assert_int_equal(call(2, ULMM_OP_SLAB_FREE, PORTS, index), ULMM_E_NOT_OWNER);
    assert_int_equal(call(1, ULMM_OP_SLAB_FREE, PORTS, index), ULMM_OK);
    assert_int_equal(reply.length, 1);
    assert_false(reply.transfer);
    assert_int_equal(call(1, ULMM_OP_SLAB_FREE, PORTS, index), ULMM_E_INVALID);
    assert_int_equal(host_slot(OBJ_BASE + index)->cap.type, A9N_OBJECT_NONE);
}

static void a_page_split_and_merge_in_the_statistics(void **state)
{
    (void)state;
    assert_int_equal(call(3, ULMM_OP_BUDDY_ALLOC, 12, 0), ULMM_OK);
    a9n_word handle = reply.word[1];
    assert_true(reply.transfer);
    assert_int_equal(host_slot((unsigned)reply.transfer_slot)->cap.type, A9N_OBJECT_FRAME);
    /* One page: LEVELS splits left one free block at every order below the pool. */
    assert_int_equal(call(3, ULMM_OP_STATS_ORDER, 12, 0), ULMM_OK);
    const a9n_word page[] = {ULMM_OK, 1, 1, LEVELS, 0};
    assert_memory_equal(reply.word, page, sizeof(page));
    assert_int_equal(call(3, ULMM_OP_STATS_ORDER, POOL_BITS, 0), ULMM_OK);
    assert_int_equal(reply.word[1], 0);
    assert_int_equal(call(3, ULMM_OP_STATS_CLIENT, ULMM_STATS_BUDDY, 0), ULMM_OK);
    const a9n_word mine[] = {ULMM_OK, 4096, QUOTA_BYTES, 4096};
    assert_memory_equal(reply.word, mine, sizeof(mine));

    assert_int_equal(call(4, ULMM_OP_BUDDY_FREE, handle, 0), ULMM_E_NOT_OWNER);
    assert_int_equal(call(3, ULMM_OP_BUDDY_FREE, handle, 0), ULMM_OK);
    assert_int_equal(call(3, ULMM_OP_STATS_ORDER, POOL_BITS, 0), ULMM_OK);
    const a9n_word whole[] = {ULMM_OK, 1, 0, LEVELS, LEVELS};
    assert_memory_equal(reply.word, whole, sizeof(whole));
    /* Only pages and large pages are served; the pool is 4 MiB so a 2 MiB page fits. */
    assert_int_equal(call(3, ULMM_OP_BUDDY_ALLOC, 13, 0), ULMM_E_INVALID);
    assert_int_equal(call(3, ULMM_OP_BUDDY_ALLOC, 21, 0), ULMM_E_QUOTA); /* 1 MiB quota */
}

/* TABLE_MAP with `space` (a slot, or 0 for none) arriving as the request's capability. */
static enum ulmm_error table_map(a9n_word badge, a9n_word vaddr, unsigned space)
{
    if (space != 0)
        assert_int_equal(h_copy(&ulmm_host, SCRATCH, space), A9N_SUCCESS);
    const a9n_word m[2] = {ULMM_OP_TABLE_MAP, vaddr};
    enum ulmm_error e = ulmm_dispatch(&server, badge, m, 2, space != 0, &reply);
    if (space != 0)
        assert_int_equal(h_remove(&ulmm_host, SCRATCH), A9N_SUCCESS);
    return e;
}

static void page_tables_are_mapped_by_the_server(void **state)
{
    (void)state;
    struct ulmm_slab *t = &caches[ULMM_CACHE_PAGE_TABLE];
    const a9n_word va = 0x40000000;
    /* Three levels are missing under the root: three tables, the highest first. */
    a9n_word index[3];
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(table_map(1, va, SPACE), ULMM_OK);
        index[i] = reply.word[1];
        assert_false(reply.transfer); /* a Page Table never travels */
    }
    assert_int_equal(t->client[1].used, 3);
    /* Nothing is missing any more: the kernel refuses, the fourth table goes back. */
    assert_int_equal(table_map(1, va, SPACE), ULMM_E_INVALID);
    assert_int_equal(t->free, 1);
    /* No Address Space, or something else in its place, or a kernel address: refused. */
    assert_int_equal(table_map(1, va, 0), ULMM_E_INVALID);
    assert_int_equal(table_map(1, va + (1ull << 39), H_PROCESS), ULMM_E_INVALID);
    assert_int_equal(table_map(1, 0xffff800000000000ull, SPACE), ULMM_E_INVALID);
    assert_int_equal(t->free, 1);
    /* Client 2 cannot free client 1's table; client 1 frees the lowest, and it can be
     * mapped again (so it was unmapped). */
    assert_int_equal(call(2, ULMM_OP_SLAB_FREE, ULMM_CACHE_PAGE_TABLE, index[2]), ULMM_E_NOT_OWNER);
    assert_int_equal(call(1, ULMM_OP_SLAB_FREE, ULMM_CACHE_PAGE_TABLE, index[2]), ULMM_OK);
    assert_int_equal(table_map(1, va, SPACE), ULMM_OK);
    /* Quota: four tables per client here; client 1 holds three, a second space needs more. */
    assert_int_equal(table_map(1, va + (1ull << 39), SPACE), ULMM_OK);
    assert_int_equal(table_map(1, va + (1ull << 39), SPACE), ULMM_E_QUOTA);
    /* Its death unmaps and returns them all. */
    assert_int_equal(call(SUPERVISOR, ULMM_OP_RECLAIM, 1, 0), ULMM_OK);
    assert_int_equal(reply.word[1], 4);
    assert_int_equal(t->free, 4);
    assert_int_equal(table_map(2, va, SPACE), ULMM_OK);
}

/* The supervisor (Alpha's inspection) reads any client's account, naming it in word 2; a
 * client's word 2 is ignored, and no client is named by 0 or past 64. */
static void the_supervisor_reads_any_clients_account(void **state)
{
    (void)state;
    assert_int_equal(call(3, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(call(3, ULMM_OP_BUDDY_ALLOC, 12, 0), ULMM_OK);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, PORTS, 3), ULMM_OK);
    assert_int_equal(reply.length, 4);
    assert_int_equal(reply.word[1], 1);
    assert_int_equal(reply.word[2], QUOTA_PORTS);
    assert_int_equal(reply.word[3], 1);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, ULMM_STATS_BUDDY, 3), ULMM_OK);
    assert_int_equal(reply.word[1], 4096);
    assert_int_equal(reply.word[2], QUOTA_BYTES);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, PORTS, 4), ULMM_OK);
    assert_int_equal(reply.word[1], 0);
    assert_int_equal(call(1, ULMM_OP_STATS_CLIENT, PORTS, 3), ULMM_OK);
    assert_int_equal(reply.word[1], 0); /* its own, not client 3's */
    const a9n_word bad[] = {0, ULMM_MAX_CLIENTS + 1, 1ull << 32, UINT64_MAX};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, PORTS, bad[i]), ULMM_E_INVALID);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, ULMM_CACHE_NODE, 3), ULMM_E_INVALID);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_RECLAIM, 3, 0), ULMM_OK);
}

static void wrong_badges_and_bogus_requests(void **state)
{
    (void)state;
    const a9n_word badges[] = {0, ULMM_MAX_CLIENTS + 1, SUPERVISOR, UINT64_MAX};
    for (unsigned i = 0; i < sizeof(badges) / sizeof(badges[0]); i++)
        assert_int_equal(call(badges[i], ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, 0, 0, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, 99, 0, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_SLAB_ALLOC, ULMM_CACHE_NODE, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_SLAB_ALLOC, ULMM_CACHES, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_SLAB_ALLOC, UINT64_MAX, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_SLAB_FREE, PORTS, 1ull << 32), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_BUDDY_FREE, 1ull << 32, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_STATS_CACHE, ULMM_CACHE_FRAME, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_STATS_ORDER, 11, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_STATS_ORDER, POOL_BITS + 1, 0), ULMM_E_INVALID);
    assert_int_equal(call(1, ULMM_OP_STATS_CLIENT, 70, 0), ULMM_E_INVALID);
    /* The supervisor (any badge) may read cache and order statistics, nothing else. */
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CACHE, PORTS, 0), ULMM_OK);
    assert_int_equal(call(0, ULMM_OP_STATS_ORDER, 12, 0), ULMM_OK);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_STATS_CLIENT, PORTS, 0), ULMM_E_INVALID);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_BUDDY_FREE, 1, 0), ULMM_E_INVALID);
    /* A message with no words at all. */
    assert_int_equal(ulmm_dispatch(&server, 1, NULL, 0, 0, &reply), ULMM_E_INVALID);
    assert_int_equal(reply.length, 1);
    /* Nothing was allocated by any of it. */
    assert_int_equal(port_cache.allocs + buddy.allocs, 0);
}

static void only_the_supervisor_reclaims(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(call(7, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(call(7, ULMM_OP_BUDDY_ALLOC, 12, 0), ULMM_OK);
    assert_int_equal(call(8, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    /* Neither the victim nor another client may claim a death. */
    assert_int_equal(call(7, ULMM_OP_RECLAIM, 7, 0), ULMM_E_INVALID);
    assert_int_equal(call(8, ULMM_OP_RECLAIM, 7, 0), ULMM_E_INVALID);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_RECLAIM, 0, 0), ULMM_E_INVALID);
    assert_int_equal(call(SUPERVISOR, ULMM_OP_RECLAIM, 7, 0), ULMM_OK);
    assert_int_equal(reply.word[1], 4);
    assert_int_equal(port_cache.client[7].used, 0);
    assert_int_equal(port_cache.client[8].used, 1);
    assert_int_equal(buddy.client[7].used, 0);
    assert_true(ulmm_buddy_is_whole(&buddy));
    /* Client 7's quota is whole again. */
    for (unsigned i = 0; i < QUOTA_PORTS; i++)
        assert_int_equal(call(7, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
}

/* A death notice's word: bit c - 1 for each client c that ended (the kernel's exit notice).
 * Every word is well formed, so nothing is refused: a bit of a client holding nothing, or
 * a word of 0, frees nothing and disturbs no one else. */
static void death_notices_take_back_what_the_dead_held(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 2; i++)
        assert_int_equal(call(3, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(call(3, ULMM_OP_BUDDY_ALLOC, 12, 0), ULMM_OK);
    assert_int_equal(call(64, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(call(5, ULMM_OP_SLAB_ALLOC, PORTS, 0), ULMM_OK);
    assert_int_equal(ulmm_deaths(&server, 0), 0);
    assert_int_equal(port_cache.free, COUNT - 4);
    /* Clients 3 and 64 end (bits 2 and 63); client 1 too, holding nothing. */
    assert_int_equal(ulmm_deaths(&server, (1ull << 2) | (1ull << 63) | 1), 4);
    assert_int_equal(server.deaths, 3);
    assert_int_equal(port_cache.client[3].used, 0);
    assert_int_equal(port_cache.client[64].used, 0);
    assert_int_equal(buddy.client[3].used, 0);
    assert_int_equal(port_cache.client[5].used, 1);
    assert_int_equal(port_cache.free, COUNT - 1);
    assert_true(ulmm_buddy_is_whole(&buddy));
    /* Told twice, nothing more happens. */
    assert_int_equal(ulmm_deaths(&server, 1ull << 2), 0);
    assert_int_equal(port_cache.client[5].used, 1);
}

static void hostile_random_messages(void **state)
{
    (void)state;
    uint64_t s = 0x1234567;
    static const a9n_word interesting[] = {0,  1,      2,          12,         21,
                                           22, 0xffff, UINT32_MAX, 1ull << 32, UINT64_MAX};
    unsigned ok = 0, nseen = 0;
    a9n_word seen[16] = {0};
    for (unsigned step = 0; step < 20000; step++) {
        a9n_word m[4];
        for (unsigned i = 0; i < 4; i++) {
            uint64_t r = host_random(&s);
            /* Half plausible words, half anything. */
            m[i] = r & 1 ? interesting[(r >> 1) % 10] : (r & 2 ? (r >> 2) % 20 : r);
        }
        /* Mostly real operations, so the pools fill, refuse and drain. */
        uint64_t o = host_random(&s);
        if (o % 4 != 0)
            m[0] = 1 + (o >> 2) % 8;
        /* Often the words a real client would send: cache 0, a page, a handle some client
         * was given (maybe not this one). */
        if ((o >> 8) % 2 == 0) {
            a9n_word seen_handle = seen[(o >> 12) % 16];
            if (m[0] == ULMM_OP_SLAB_ALLOC || m[0] == ULMM_OP_STATS_CACHE)
                m[1] = PORTS;
            if (m[0] == ULMM_OP_BUDDY_ALLOC)
                m[1] = (o >> 20) % 8 == 0 ? 21 : 12;
            if (m[0] == ULMM_OP_SLAB_FREE) {
                m[1] = PORTS;
                m[2] = seen_handle;
            }
            if (m[0] == ULMM_OP_BUDDY_FREE)
                m[1] = seen_handle;
        }
        uint64_t r = host_random(&s);
        a9n_word badge = r % 8 == 0 ? r : r % 8 == 1 ? SUPERVISOR : 1 + (r >> 8) % 6;
        unsigned length = (r >> 16) % 4 == 0 ? (unsigned)((r >> 18) % 3) : 3;
        enum ulmm_error e = ulmm_dispatch(&server, badge, m, length, 0, &reply);
        assert_int_equal(reply.word[0], e);
        assert_true(reply.length >= 1 && reply.length <= ULMM_REPLY_MAX);
        assert_true(!reply.transfer || e == ULMM_OK);
        if (reply.transfer)
            seen[nseen++ % 16] = reply.word[1];
        ok += e == ULMM_OK;
        for (unsigned c = 1; c <= ULMM_MAX_CLIENTS; c++) {
            assert_true(port_cache.client[c].used <= QUOTA_PORTS);
            assert_true(buddy.client[c].used <= QUOTA_BYTES);
        }
        if (step % 2048 == 0)
            harness_check(&ulmm_host);
    }
    assert_true(ok > 1000);
    assert_true(port_cache.allocs > 100 && buddy.allocs > 100);
    /* Every client dies; everything is back. */
    for (unsigned c = 1; c <= ULMM_MAX_CLIENTS; c++)
        assert_int_equal(call(SUPERVISOR, ULMM_OP_RECLAIM, c, 0), ULMM_OK);
    assert_int_equal(port_cache.free, COUNT);
    assert_true(ulmm_buddy_is_whole(&buddy));
    assert_false(captree_has_children(host_slot(TREE_BASE + 1)));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(a_port_through_the_protocol),
        T(a_page_split_and_merge_in_the_statistics),
        T(page_tables_are_mapped_by_the_server),
        T(wrong_badges_and_bogus_requests),
        T(the_supervisor_reads_any_clients_account),
        T(only_the_supervisor_reclaims),
        T(hostile_random_messages),
        T(death_notices_take_back_what_the_dead_held),
    };
    int failed = cmocka_run_group_tests_name("ulmm_dispatch", tests, NULL, NULL);
    free(buddy_meta);
    return failed;
}
