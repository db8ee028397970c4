/*
 * One static SLAB cache of the ULMM server: `count` objects of one type.
 *
 * capgen plans the cache's Generic (count objects, rounded up to a power of two) and Alpha
 * hands it to ULMM. At startup the cache Generic is split into `count` object-sized child
 * Generics, one per object slot, in slots generic_base + i. Allocating slot i CONVERTs
 * child i into the object (slot object_base + i); freeing REVOKEs child i, which deletes the
 * object and every copy a client got, and drops the child's watermark so the next CONVERT
 * starts at 0. A Generic with children can only convert at its watermark, never into a
 * chosen hole, so one child per slot is what makes reuse exact. Free slots are a stack
 * threaded through the entries (entry.next): allocate pops and free pushes, both O(1);
 * nothing is searched, nothing fragments. A client's objects are the entries it owns: its
 * death walks the cache once.
 */
#pragma once

#include "buddy.h" /* ULMM_MAX_CLIENTS */
#include "error.h"
#include "list.h"

#include <a9n/types.h>

struct ulmm_slab_config {
    a9n_word type, specific_bits; /* what the objects are (CONVERT's arguments) */
    uint32_t count;
    a9n_word generic;      /* the cache Generic, as Alpha handed it */
    a9n_word generic_base; /* slots generic_base .. + count - 1: one child Generic each */
    a9n_word object_base;  /* slots object_base .. + count - 1: the objects */
    uint32_t quota[ULMM_MAX_CLIENTS + 1]; /* objects each client may hold; [0] unused */
};

struct ulmm_slab_client {
    uint32_t used, quota, peak; /* its slots are the entries it owns (entry[i].owner) */
};

struct ulmm_slab {
    a9n_word type, specific_bits;
    unsigned object_bits;
    uint32_t count;
    a9n_word generic_base, object_base;
    struct ulmm_entry *entry; /* count entries */
    uint32_t free_head, free;
    struct ulmm_slab_client client[ULMM_MAX_CLIENTS + 1];
    uint64_t allocs, frees, refused_quota, refused_exhausted;
};

/* Bytes of metadata for `count` objects. */
static inline uint64_t ulmm_slab_meta_bytes(uint32_t count)
{
    return (uint64_t)count * sizeof(struct ulmm_entry);
}

/* Splits the cache Generic (kernel) and sets up the free list; meta: meta_bytes(count). */
enum ulmm_error ulmm_slab_init(struct ulmm_slab *s, const struct ulmm_slab_config *cfg, void *meta);

/* One object for `client`; *index names it (its object is in object_base + *index). */
enum ulmm_error ulmm_slab_alloc(struct ulmm_slab *s, unsigned client, uint32_t *index);

/* Frees an object `client` holds: it and every copy of it are deleted. */
enum ulmm_error ulmm_slab_free(struct ulmm_slab *s, unsigned client, uint32_t index);

/* Frees everything `client` holds. Returns the number of objects freed. */
uint32_t ulmm_slab_reclaim(struct ulmm_slab *s, unsigned client);
