/*
 * ASIDs: the names of live Address Spaces, and the accounting that makes them a resource.
 *
 * An ASID is (pool index << 8 | entry). The kernel keeps a small directory of ASID Pools;
 * a pool is an object made from the caller's Generic memory by ASID_CONTROL MAKE_POOL (only
 * the holder of the ASID Control capability, given to the first process at boot, can add
 * pools), and holds ASID_POOL_SIZE entries {root, generation}. ASID_POOL ASSIGN gives an
 * Address Space a free entry of that pool. So whoever holds a pool can use up only that
 * pool, and the first process decides who gets one.
 *
 * An entry's generation changes whenever it is freed, so a mapping record (ASID,
 * generation, address) of a dead Address Space never matches again. The lookup is two loads
 * (directory, entry): the IPC fast path's root check stays O(1).
 */
#pragma once

#include <core/cap_call.h>

#define ASID_NONE 0xffffffffu /* an Address Space capability's ASID before ASSIGN */

enum {
    ASID_POOL_SIZE = 256, /* entries of one pool: 16 bytes each, one 4 KiB object */
    ASID_POOL_COUNT = A9N_LIMIT_ASID_POOLS, /* pools the directory holds: 32,768 ASIDs */
};

/* Forgets every pool (boot; host tests start each case so). */
void asid_reset(void);

/* The root of the live Address Space with this ASID and generation, or NULL. O(1). */
void *asid_root(uint32_t asid, uint32_t generation);

/* A directory entry (asid.c): the root of the Address Space holding the ASID (0: free). */
struct asid_entry {
    paddr_t root;
    uint32_t generation;
    uint32_t unused;
};

/* Physical address of each pool, 0 when the directory entry is free (asid.c owns it). */
extern paddr_t asid_directory[ASID_POOL_COUNT];

/* Whether `asid_generation` (an Address Space capability's data[0]: ASID, generation << 32)
 * names a live entry whose root is `root`: asid_root() compared in physical addresses,
 * without going through the direct map. Inline for the scheduler and the IPC fast path. */
static inline bool asid_names_root(uint64_t asid_generation, paddr_t root)
{
    uint32_t asid = (uint32_t)asid_generation;
    uint32_t pool = asid / ASID_POOL_SIZE;
    if (pool >= ASID_POOL_COUNT || asid_directory[pool] == 0)
        return false; /* ASID_NONE lands here too */
    const struct asid_entry *e =
        (const struct asid_entry *)hal_phys_to_virt(asid_directory[pool]) + asid % ASID_POOL_SIZE;
    return e->root == root && e->generation == (uint32_t)(asid_generation >> 32);
}

/*
 * Counts every change that can make a live ASID entry stop naming its root: an entry freed
 * (asid_free) or released with its pool (asid_pool_empty, asid_pool_destroy). Nothing else
 * ever takes a root out of an entry. So a root found live while the epoch was E is still
 * live while it is E: the scheduler and the IPC fast path keep that result per process
 * (core/run.h: run_process_root) and skip the table while the epoch stands. It only grows
 * (64 bits: no wrap in practice); processes start with epoch 0, which it never equals.
 */
extern uint64_t asid_epoch;

/* The Address Space holding `asid` is gone: the entry is free, its generation new. */
void asid_free(uint32_t asid);

/* CONVERT (via MAKE_POOL) made an ASID Pool: enter it in the directory (MAKE_POOL checked
 * that there is room). */
void asid_pool_create(struct cap *c);

/* Before the last capability to a pool goes (slot.c): every Address Space holding one of
 * its ASIDs is emptied and released, one after the other, preemptibly (core/preempt.h:
 * A9N_PREEMPTED, call again to continue), so that asid_pool_destroy is then bounded. */
a9n_error asid_pool_empty(const struct cap *c);

/* The last capability to a pool is gone: every Address Space still holding one of its ASIDs
 * is released (unusable, its tables emptied), and the directory entry is free. */
void asid_pool_destroy(const struct cap *c);

/* ASSIGN without the checks on rights: gives `as` a free ASID of `pool`. */
a9n_error asid_assign(const struct cap *pool, struct cap *as);

a9n_error asid_control_invoke(struct process *caller, struct cap_slot *control,
                              struct cap_message *msg);
a9n_error asid_pool_invoke(struct process *caller, struct cap_slot *pool, struct cap_message *msg);
