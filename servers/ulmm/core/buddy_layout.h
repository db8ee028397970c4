/*
 * How the Buddy server lays out its pool, shared with capgen (which proves that the
 * declared quotas fit what is left): the metadata, one 12-byte entry per tree node, lives
 * in the pool's first block, with the page tables that map it into the server.
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

/* log2 of the block the server keeps for itself: metadata pages plus their page tables. */
static inline unsigned ulmm_buddy_reserve_bits(unsigned pool_bits)
{
    uint64_t pages = ulmm_buddy_meta_pages(pool_bits);
    uint64_t need = (pages + ulmm_buddy_meta_tables(pages)) << A9N_FRAME_BITS;
    unsigned b = A9N_FRAME_BITS;
    while ((1ull << b) < need)
        b++;
    return b;
}

/* Bytes of the pool that clients can have. */
static inline uint64_t ulmm_buddy_client_bytes(unsigned pool_bits)
{
    return (1ull << pool_bits) - (1ull << ulmm_buddy_reserve_bits(pool_bits));
}
