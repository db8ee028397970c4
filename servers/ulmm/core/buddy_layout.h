/*
 * How the Buddy server lays out its pool, shared with capgen (which proves that the
 * declared quotas fit what is left). The server keeps the pool's first block for itself
 * and converts it into
 *   - two Nodes that hold its capabilities: one slot per tree node (2^(levels + 1)) and one
 *     per leaf for the objects given out (2^levels). In Nodes of their own, not in its root
 *     Node, a pool is not limited by the size of a root Node: a 1 GiB pool needs 768 Ki
 *     slots (radix 19 and 18; the kernel's Nodes go up to radix 20, so pools to 2 GiB);
 *   - the metadata, one 12-byte entry per tree node, in frames,
 *   - and the page tables that map those frames into the server.
 * Largest first, so that each CONVERT finds its alignment at the watermark.
 */
#pragma once

#include <a9n/object.h>

#define ULMM_ENTRY_BYTES 12 /* struct ulmm_entry (list.h checks it) */

/* Page tables the metadata's pages may need: one of each upper level, one per 2 MiB. */
static inline uint64_t ulmm_buddy_meta_tables(uint64_t pages)
{
    return 2 + (pages + 511) / 512;
}

/* Pages of metadata for a pool of 2^pool_bits bytes in 4 KiB blocks. */
static inline uint64_t ulmm_buddy_meta_pages(unsigned pool_bits)
{
    uint64_t bytes = (uint64_t)ULMM_ENTRY_BYTES << (pool_bits - A9N_FRAME_BITS + 1);
    return (bytes + 4095) / 4096;
}

/* The radix of the Node of tree slots and of the Node of object slots. */
static inline unsigned ulmm_buddy_tree_radix(unsigned pool_bits)
{
    return pool_bits - A9N_FRAME_BITS + 1;
}

static inline unsigned ulmm_buddy_object_radix(unsigned pool_bits)
{
    unsigned r = pool_bits - A9N_FRAME_BITS;
    return r < A9N_NODE_RADIX_MIN ? A9N_NODE_RADIX_MIN : r;
}

/* log2 of the block the server keeps for itself: its two Nodes, the metadata pages and
 * their page tables. */
static inline unsigned ulmm_buddy_reserve_bits(unsigned pool_bits)
{
    uint64_t pages = ulmm_buddy_meta_pages(pool_bits);
    uint64_t need = (1ull << (ulmm_buddy_tree_radix(pool_bits) + A9N_SLOT_BITS)) +
                    (1ull << (ulmm_buddy_object_radix(pool_bits) + A9N_SLOT_BITS)) +
                    ((pages + ulmm_buddy_meta_tables(pages)) << A9N_FRAME_BITS);
    unsigned b = A9N_FRAME_BITS;
    while ((1ull << b) < need)
        b++;
    return b;
}

/* Whole 2 MiB blocks of the pool, aligned, that the server's block does not touch: what it
 * can set aside for clients' `buddy_large` quotas. */
static inline uint64_t ulmm_buddy_large_blocks(unsigned pool_bits)
{
    unsigned r = ulmm_buddy_reserve_bits(pool_bits);
    if (pool_bits <= A9N_LARGE_FRAME_BITS || r >= pool_bits)
        return 0;
    uint64_t kept = r < A9N_LARGE_FRAME_BITS ? 1 : 1ull << (r - A9N_LARGE_FRAME_BITS);
    return (1ull << (pool_bits - A9N_LARGE_FRAME_BITS)) - kept;
}

/* Bytes of the pool that clients can have (0 when the server's block is all of it). */
static inline uint64_t ulmm_buddy_client_bytes(unsigned pool_bits)
{
    unsigned r = ulmm_buddy_reserve_bits(pool_bits);
    return r >= pool_bits ? 0 : (1ull << pool_bits) - (1ull << r);
}
