/*
 * The Buddy server: one pool Generic (`buddy:` in its system file) managed as a tree of
 * child Generics (core/buddy.h), serving 4 KiB and 2 MiB frames over its IPC port
 * (koito_ulmm.h). Its metadata lives in the pool itself: the first block, converted into
 * frames (and the page tables to map them) in its own address space before it serves.
 */
#include "server.h"

#include "core/buddy_layout.h"
#include "core/kernel.h"

/* The caps header of the process this program serves (another Buddy process may have another
 * pool: its own image, built from the same sources with its own header). */
#ifdef ULMM_CAPS_HEADER
#include ULMM_CAPS_HEADER
#else
#include <caps/buddy.h>
#endif
#include <koito.h>
#include <liba9n.h>

#include "quotas.h"
#include "wiring.h"

#define POOL_BITS          CAP_buddy_BITS
#define MIN_BITS           A9N_FRAME_BITS
#define LEVELS             (POOL_BITS - MIN_BITS)
/* Where the metadata is mapped: far from the image, the stack and the IPC buffer. */
#define META_ADDRESS       0x0000500000000000ull
#define META_TABLES(pages) ulmm_buddy_meta_tables(pages)

ULMM_CHECK_SLOT(CAP_node_SLOT);
ULMM_CHECK_SLOT(CAP_address_space_SLOT);
ULMM_CHECK_SLOT(CAP_debug_SLOT);
ULMM_CHECK_SLOT(CAP_service_SLOT);
ULMM_CHECK_SLOT(CAP_buddy_SLOT);

static struct ulmm_buddy buddy;

/* Maps frame slot `frame` at `va`, making page tables from slots tables.. as needed. */
static bool map_meta(a9n_word frame, a9n_word va, a9n_word *tables, a9n_word tables_end)
{
    for (;;) {
        a9n_word level;
        a9n_error e = a9n_address_space_map(CAP_address_space, ulmm_slot(frame), va,
                                            A9N_MAP_READ | A9N_MAP_WRITE, &level);
        if (e == A9N_SUCCESS)
            return true;
        if (e != A9N_ERROR_MISSING_TABLE || *tables == tables_end)
            return false;
        if (a9n_address_space_map(CAP_address_space, ulmm_slot(*tables), va, 0, &level) !=
            A9N_SUCCESS)
            return false;
        ++*tables;
    }
}

/* The pool's left spine as ulmm_buddy_bootstrap leaves it: tree nodes 1 and 2^k, 2^k + 1
 * for k = 1..depth. */
static bool on_spine(uint64_t i, unsigned depth)
{
    return i == 1 ||
           (i >= 2 && i < (2ull << depth) && (i & ~1ull) == (1ull << (63 - __builtin_clzll(i))));
}

int main(void)
{
    koito_debug_cap = CAP_debug;
    ulmm_space = (struct ulmm_space){CAP_node, CAPS_NODE_RADIX, ULMM_FIRST_SLOT};
    uint64_t pages = ulmm_buddy_meta_pages(POOL_BITS);
    unsigned reserve = ulmm_buddy_reserve_bits(POOL_BITS), depth = POOL_BITS - reserve;
    unsigned tree_radix = ulmm_buddy_tree_radix(POOL_BITS),
             object_radix = ulmm_buddy_object_radix(POOL_BITS);
    /* Root slots: the two Nodes, and the spine while those Nodes do not exist yet. */
    a9n_word tree_node = ulmm_take_slots(2), spine = ulmm_take_slots((2ull << depth) + 1);
    if (reserve >= POOL_BITS || tree_radix > A9N_NODE_RADIX_MAX || tree_node == 0 || spine == 0) {
        printf("buddy: a pool of 2^%u bytes does not fit its server\n", POOL_BITS);
        _exit(1);
    }
    struct ulmm_buddy_config c = {
        .pool_bits = POOL_BITS,
        .min_bits = MIN_BITS,
        .reserve_bits = reserve,
        .tree_base = spine - 1, /* node 1 is the first slot */
    };
    c.large_order = A9N_LARGE_FRAME_BITS;
    for (unsigned i = 1; i <= ULMM_MAX_CLIENTS; i++) {
        c.quota[i] = ulmm_declared_quota(i, 8, ulmm_buddy_client_bytes(POOL_BITS));
        c.large[i] = (uint32_t)ulmm_declared_quota(i, 9, 0);
    }
    /* The pool Generic becomes tree node 1; its left spine is split down to the server's
     * block, in root slots for now. */
    if (a9n_node_move(CAP_node, c.tree_base + 1, CAP_buddy) != A9N_SUCCESS ||
        ulmm_buddy_bootstrap(&c) != ULMM_OK) {
        printf("buddy: cannot split the pool\n");
        _exit(1);
    }
    /* The server's block (the leftmost of its order): the two Nodes first (largest), then
     * the metadata's frames and page tables, in the object slots of the leaves it covers. */
    a9n_word block = c.tree_base + (1ull << depth);
    c.object_base = ulmm_nested(tree_node + 1, object_radix);
    a9n_word tables = c.object_base + pages, tables_end = tables + META_TABLES(pages);
    if (ulmm_kernel_convert(block, A9N_OBJECT_NODE, tree_radix, 1, tree_node) != A9N_SUCCESS ||
        ulmm_kernel_convert(block, A9N_OBJECT_NODE, object_radix, 1, tree_node + 1) !=
            A9N_SUCCESS ||
        ulmm_kernel_convert(block, A9N_OBJECT_FRAME, A9N_FRAME_BITS, pages, c.object_base) !=
            A9N_SUCCESS ||
        ulmm_kernel_convert(block, A9N_OBJECT_PAGE_TABLE, 0, META_TABLES(pages), tables) !=
            A9N_SUCCESS) {
        printf("buddy: cannot make its Nodes and metadata frames\n");
        _exit(1);
    }
    /* The spine moves into the tree's own Node, where the tree keeps it from now on. */
    a9n_word tree_base = ulmm_nested(tree_node, tree_radix);
    for (uint64_t i = 1; i < (2ull << depth); i++)
        if (on_spine(i, depth) && ulmm_kernel_move(tree_base + i, c.tree_base + i) != A9N_SUCCESS) {
            printf("buddy: cannot move its tree into its Node\n");
            _exit(1);
        }
    c.tree_base = tree_base;
    for (uint64_t i = 0; i < pages; i++)
        if (!map_meta(c.object_base + i, META_ADDRESS + i * 4096, &tables, tables_end)) {
            printf("buddy: cannot map its metadata\n");
            _exit(1);
        }
    if (ulmm_buddy_init(&buddy, &c, (void *)META_ADDRESS) != ULMM_OK) {
        printf("buddy: bad pool geometry, or the 2 MiB frames promised do not fit\n");
        _exit(1);
    }
    printf("buddy: pool of %llu KiB, %llu KiB of it the server's (Nodes and metadata)\n",
           (unsigned long long)(1ull << POOL_BITS) >> 10,
           (unsigned long long)(1ull << reserve) >> 10);
    if (buddy.set_aside != 0)
        printf("buddy: %u frames of 2 MiB set aside for clients' promises\n", buddy.set_aside);
    static struct ulmm_server server = {.buddy = &buddy, .supervisor = ULMM_SUPERVISOR_BADGE};
    ulmm_serve(&server, CAP_service, ULMM_DEATHS_WIRING, "buddy");
}
