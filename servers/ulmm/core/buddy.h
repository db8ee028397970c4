/*
 * The buddy allocator over one pool Generic of 2^pool_bits bytes (servers/ulmm/buddy/).
 *
 * Every block is a Generic capability in the server's space. The blocks form a binary tree
 * indexed like a heap: the pool is node 1, the halves of node i are 2i and 2i+1, and node i
 * lives in slot tree_base + i, so the two halves of a split are two neighbouring slots and
 * one CONVERT(GENERIC, order - 1, count 2) makes them. Merging REMOVEs both halves: the
 * parent is then childless, so the kernel drops its watermark and it converts again from 0.
 * A block given out is CONVERTed into its object in slot object_base + (offset >> min_bits),
 * unique among live blocks because they never overlap; freeing REVOKEs the block, which
 * deletes that object and every copy of it (and unmaps it) and resets the watermark.
 *
 * Allocation walks up the orders for the first non-empty free list and splits down:
 * O(pool_bits - min_bits). Freeing merges up while the buddy is free: the same bound.
 * Metadata is one 12-byte entry per tree node (ulmm_buddy_meta_bytes), in memory the
 * caller provides: the server converts frames for it out of the pool itself (reserve_bits).
 */
#pragma once

#include "error.h"
#include "list.h"

#include <a9n/types.h>

#define ULMM_MAX_CLIENTS     64 /* client ids are 1..ULMM_MAX_CLIENTS; 0 is the server */
#define ULMM_BUDDY_MAX_ORDER 40
/* Freed blocks whose merge waits (ulmm_buddy_settle); a small constant keeps every
 * operation O(log n). */
#define ULMM_BUDDY_DEFERRED  8

struct ulmm_buddy_config {
    unsigned pool_bits;    /* the pool Generic is 2^pool_bits bytes, in slot tree_base + 1 */
    unsigned min_bits;     /* the smallest block (12: one page) */
    unsigned reserve_bits; /* 0, or: the first 2^reserve_bits bytes are the server's own */
    a9n_word tree_base;    /* slots tree_base + 1 .. tree_base + 2^(levels + 1) - 1 */
    a9n_word object_base;  /* slots object_base .. object_base + 2^levels - 1 */
    uint64_t quota[ULMM_MAX_CLIENTS + 1]; /* bytes each client may hold; [0] unused */
    /* Blocks of 2^large_order bytes set aside for each client (its `buddy_large` quota): it
     * gets them whatever the others do, beyond its bytes. 0: none. */
    unsigned large_order;
    uint32_t large[ULMM_MAX_CLIENTS + 1];
};

struct ulmm_buddy_client {
    uint32_t head; /* the blocks it holds */
    uint32_t blocks;
    uint64_t used, quota, peak;
    uint32_t large_used, large_quota; /* blocks set aside for it: held, promised */
};

struct ulmm_buddy_stats_order {
    uint32_t free; /* free blocks of this order */
    uint32_t used; /* blocks of this order given out */
};

struct ulmm_buddy {
    unsigned pool_bits, min_bits, levels;
    a9n_word tree_base, object_base;
    struct ulmm_entry *node; /* 2^(levels + 1) entries; [0] unused */
    uint32_t free_head[ULMM_BUDDY_MAX_ORDER + 1];
    struct ulmm_buddy_stats_order order[ULMM_BUDDY_MAX_ORDER + 1];
    struct ulmm_buddy_client client[ULMM_MAX_CLIENTS + 1];
    uint64_t splits, merges, allocs, frees, refused_quota, refused_exhausted;
    unsigned large_order;
    uint32_t set_aside_head, set_aside; /* blocks set aside and not given out */
    /* Free blocks whose buddy is free too, not merged yet (entry.pad = 1 marks them). */
    uint32_t deferred[ULMM_BUDDY_DEFERRED];
    unsigned deferred_count;
};

/* Bytes of metadata for a pool (0 when the geometry is invalid). */
uint64_t ulmm_buddy_meta_bytes(unsigned pool_bits, unsigned min_bits);

/*
 * Makes the kernel state init expects when reserve_bits != 0: the pool's left spine split
 * down to 2^reserve_bits, with the first block left whole for the server to convert into
 * the frames that hold the metadata. Needs no metadata itself.
 */
enum ulmm_error ulmm_buddy_bootstrap(const struct ulmm_buddy_config *cfg);

/* Takes over the pool (whole, or as ulmm_buddy_bootstrap left it) and sets aside the blocks
 * of cfg->large (EXHAUSTED if they do not fit: capgen proves they do). meta: meta_bytes. */
enum ulmm_error ulmm_buddy_init(struct ulmm_buddy *b, const struct ulmm_buddy_config *cfg,
                                void *meta);

/* A block of 2^order bytes for `client`, converted into one object (type, specific_bits);
 * *handle names it from then on. A block of large_order comes from those set aside for the
 * client while it holds fewer than promised (not counted in its bytes), else from the
 * pool like any other. */
enum ulmm_error ulmm_buddy_alloc(struct ulmm_buddy *b, unsigned client, unsigned order,
                                 a9n_word type, a9n_word specific_bits, uint32_t *handle);

/* Frees a block `client` holds: its object and every copy of it are deleted. */
enum ulmm_error ulmm_buddy_free(struct ulmm_buddy *b, unsigned client, uint32_t handle);

/* Frees everything `client` holds (it died). Returns the number of blocks freed. */
uint32_t ulmm_buddy_reclaim(struct ulmm_buddy *b, unsigned client);

/* Where a held block is: byte offset in the pool, order, and the slot of its object. */
enum ulmm_error ulmm_buddy_lookup(const struct ulmm_buddy *b, unsigned client, uint32_t handle,
                                  uint64_t *offset, unsigned *order, a9n_word *object);

/* Does the merges that freeing deferred: afterwards no two buddies are both free, the tree
 * eager merging would keep. An allocation that finds no block settles first, so deferring
 * never refuses anything; statistics and reclaim settle too. */
void ulmm_buddy_settle(struct ulmm_buddy *b);

/* Whether the whole pool is one free block again (after everything was freed); settles. */
bool ulmm_buddy_is_whole(struct ulmm_buddy *b);
