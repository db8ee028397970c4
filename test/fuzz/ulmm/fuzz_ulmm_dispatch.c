/*
 * libFuzzer target: arbitrary request sequences to a ULMM server (servers/ulmm/core) over
 * the real capability core. Each input is a series of requests, each a badge, an operation,
 * two arguments and whether a capability (an Address Space, or a Process in its place)
 * came along. After each: the reply is well formed and no client holds more than its
 * quota. At the end every client dies; every cache must be full, the pool one block and
 * the kernel's invariants hold. Any violation aborts.
 */
#include "../../unit/ulmm/ulmm_host.h"

#include "../../../servers/ulmm/core/dispatch.h"

#include <core/cap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOT_RADIX  12
#define PORT_CACHE  12
#define TABLE_CACHE 13
#define SPACE       14
#define SCRATCH     15
#define POOL_BITS   20
#define TREE_BASE   64
#define TREE_OBJ    (TREE_BASE + (2u << (POOL_BITS - 12)))
#define PORT_GEN    1024
#define TABLE_GEN   1100
#define SUPERVISOR  1000u
#define CLIENTS     4

static struct ulmm_slab caches[ULMM_CACHES];
static struct ulmm_entry port_meta[16], table_meta[8];
static struct ulmm_buddy buddy;
static struct ulmm_entry buddy_meta[2u << (POOL_BITS - 12)];
static struct ulmm_server server;

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_ulmm_dispatch: %s\n", what);
        abort();
    }
}

static void setup(void)
{
    fakehal_fill_junk = false;
    harness_setup(&ulmm_host, ROOT_RADIX, POOL_BITS + 1);
    check(h_convert(&ulmm_host, H_GENERIC, A9N_OBJECT_GENERIC, POOL_BITS, 2, 10) == 0, "split");
    check(h_convert(&ulmm_host, 10, A9N_OBJECT_GENERIC, 10, 1, PORT_CACHE) == 0, "ports");
    check(h_convert(&ulmm_host, 10, A9N_OBJECT_GENERIC, 15, 1, TABLE_CACHE) == 0, "tables");
    check(h_convert(&ulmm_host, 10, A9N_OBJECT_ADDRESS_SPACE, 0, 1, SPACE) == 0, "space");
    check(h_move(&ulmm_host, TREE_BASE + 1, 11) == 0, "pool");
    memset(caches, 0, sizeof(caches));
    struct ulmm_slab_config sc = {.type = A9N_OBJECT_IPC_PORT,
                                  .count = 16,
                                  .generic = PORT_CACHE,
                                  .generic_base = PORT_GEN,
                                  .object_base = PORT_GEN + 16};
    struct ulmm_buddy_config bc = {
        .pool_bits = POOL_BITS, .min_bits = 12, .tree_base = TREE_BASE, .object_base = TREE_OBJ};
    for (unsigned i = 1; i <= CLIENTS; i++) {
        sc.quota[i] = 4;
        bc.quota[i] = 1u << (POOL_BITS - 2);
    }
    check(ulmm_slab_init(&caches[ULMM_CACHE_IPC_PORT], &sc, port_meta) == ULMM_OK, "slab");
    sc.type = A9N_OBJECT_PAGE_TABLE;
    sc.count = 8;
    sc.generic = TABLE_CACHE;
    sc.generic_base = TABLE_GEN;
    sc.object_base = TABLE_GEN + 8;
    for (unsigned i = 1; i <= CLIENTS; i++)
        sc.quota[i] = 2;
    check(ulmm_slab_init(&caches[ULMM_CACHE_PAGE_TABLE], &sc, table_meta) == ULMM_OK, "table");
    check(ulmm_buddy_init(&buddy, &bc, buddy_meta) == ULMM_OK, "buddy");
    server = (struct ulmm_server){.cache = caches,
                                  .caches = ULMM_CACHES,
                                  .buddy = &buddy,
                                  .supervisor = SUPERVISOR,
                                  .scratch = SCRATCH};
}

static uint64_t take(const uint8_t **p, size_t *left, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i<n && * left> 0; i++, (*left)--)
        v |= (uint64_t) * (*p)++ << (8 * i);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    static const a9n_word badges[] = {1, 2, 3, 4, 0, 65, SUPERVISOR, ~0ull};
    const uint8_t *p = data;
    size_t left = size;
    for (unsigned n = 0; n < 64 && left > 0; n++) {
        uint8_t sel = (uint8_t)take(&p, &left, 1);
        a9n_word m[3];
        m[0] = take(&p, &left, 1) % 12;
        /* Small arguments mostly (caches, orders, handles), sometimes any 64-bit word. */
        for (unsigned i = 1; i < 3; i++)
            m[i] = sel & (0x10u << i) ? take(&p, &left, 8) : take(&p, &left, 1);
        if (m[0] == ULMM_OP_TABLE_MAP && (sel & 0x80))
            m[1] = 0x40000000ull + (m[1] << 21);
        unsigned caps = (sel >> 3) & 1;
        if (caps)
            check(h_copy(&ulmm_host, SCRATCH, sel & 0x40 ? H_PROCESS : SPACE) == 0, "scratch");
        struct ulmm_reply r;
        enum ulmm_error e = ulmm_dispatch(&server, badges[sel & 7], m, (sel >> 5) & 3, caps, &r);
        if (caps)
            check(h_remove(&ulmm_host, SCRATCH) == 0, "scratch empty");
        check(r.word[0] == e && r.length >= 1 && r.length <= ULMM_REPLY_MAX, "reply");
        check(!r.transfer || e == ULMM_OK, "transfer only on success");
        for (unsigned c = 1; c <= CLIENTS; c++)
            check(caches[ULMM_CACHE_IPC_PORT].client[c].used <= 4 &&
                      caches[ULMM_CACHE_PAGE_TABLE].client[c].used <= 2 &&
                      buddy.client[c].used <= 1u << (POOL_BITS - 2),
                  "quota");
    }
    for (a9n_word c = 1; c <= CLIENTS; c++) {
        const a9n_word m[2] = {ULMM_OP_RECLAIM, c};
        struct ulmm_reply r;
        check(ulmm_dispatch(&server, SUPERVISOR, m, 2, 0, &r) == ULMM_OK, "reclaim");
    }
    check(caches[ULMM_CACHE_IPC_PORT].free == 16 && caches[ULMM_CACHE_PAGE_TABLE].free == 8,
          "caches full");
    check(ulmm_buddy_is_whole(&buddy), "pool whole");
    check(!captree_has_children(host_slot(TREE_BASE + 1)), "pool childless");
    harness_check(&ulmm_host);
    return 0;
}
