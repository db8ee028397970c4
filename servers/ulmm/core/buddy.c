/* The buddy allocator: policy over a tree of Generics (see buddy.h for the layout). */
#include "buddy.h"

#include "kernel.h"

#include <a9n/object.h>

static unsigned depth_of(uint32_t i)
{
    return 31u - (unsigned)__builtin_clz(i);
}

static unsigned order_of(const struct ulmm_buddy *b, uint32_t i)
{
    return b->pool_bits - depth_of(i);
}

static uint64_t offset_of(const struct ulmm_buddy *b, uint32_t i)
{
    unsigned d = depth_of(i);
    return (uint64_t)(i - (1u << d)) << (b->pool_bits - d);
}

static a9n_word slot_of(const struct ulmm_buddy *b, uint32_t i)
{
    return b->tree_base + i;
}

static bool geometry_ok(unsigned pool_bits, unsigned min_bits)
{
    return min_bits >= A9N_GENERIC_MIN_BITS && pool_bits >= min_bits &&
           pool_bits <= ULMM_BUDDY_MAX_ORDER && pool_bits - min_bits <= 30;
}

uint64_t ulmm_buddy_meta_bytes(unsigned pool_bits, unsigned min_bits)
{
    if (!geometry_ok(pool_bits, min_bits))
        return 0;
    return sizeof(struct ulmm_entry) << (pool_bits - min_bits + 1);
}

static void mark_free(struct ulmm_buddy *b, uint32_t i)
{
    unsigned o = order_of(b, i);
    b->node[i].state = ULMM_FREE;
    b->node[i].owner = 0;
    ulmm_list_push(b->node, &b->free_head[o], i);
    b->order[o].free++;
}

/* Block i leaves the deferred set (it was given out again, or merged). */
static void undefer(struct ulmm_buddy *b, uint32_t i)
{
    if (!b->node[i].pad)
        return;
    b->node[i].pad = 0;
    for (unsigned k = 0; k < b->deferred_count; k++)
        if (b->deferred[k] == i) {
            b->deferred[k] = b->deferred[--b->deferred_count];
            return;
        }
}

static void take_free(struct ulmm_buddy *b, uint32_t i)
{
    unsigned o = order_of(b, i);
    ulmm_list_unlink(b->node, &b->free_head[o], i);
    b->order[o].free--;
    undefer(b, i);
}

/* Merges block i (free, on no list) with its free buddies as far as they go; returns the
 * block it ends as, which the caller puts on its free list. */
static uint32_t merge_up(struct ulmm_buddy *b, uint32_t i)
{
    while (i > 1 && b->node[i ^ 1u].state == ULMM_FREE) {
        uint32_t buddy = i ^ 1u, parent = i >> 1;
        /* Both halves go; the parent, childless, gets its watermark back to 0. */
        if (ulmm_kernel_remove(slot_of(b, i)) != A9N_SUCCESS ||
            ulmm_kernel_remove(slot_of(b, buddy)) != A9N_SUCCESS)
            break; /* cannot happen with a sane kernel; leave i whole and free */
        take_free(b, buddy);
        b->node[i].state = b->node[buddy].state = ULMM_ABSENT;
        b->merges++;
        i = parent;
    }
    return i;
}

void ulmm_buddy_settle(struct ulmm_buddy *b)
{
    while (b->deferred_count != 0) {
        uint32_t i = b->deferred[b->deferred_count - 1];
        take_free(b, i); /* and out of the deferred set */
        mark_free(b, merge_up(b, i));
    }
}

/* The free block to split for an allocation of `order`: the smallest order that has one. */
static uint32_t smallest_free(const struct ulmm_buddy *b, unsigned order)
{
    for (unsigned o = order; o <= b->pool_bits; o++)
        if (b->free_head[o] != ULMM_NIL)
            return b->free_head[o];
    return ULMM_NIL;
}

/* Splits free block i (taken off its list) down to `order`; the right half of each split
 * goes on its list. Returns the block, or NIL if the kernel refused a split (what was split
 * so far stays consistent and free). */
static uint32_t split_down(struct ulmm_buddy *b, uint32_t i, unsigned order)
{
    while (order_of(b, i) > order) {
        unsigned o = order_of(b, i);
        if (ulmm_kernel_convert(slot_of(b, i), A9N_OBJECT_GENERIC, o - 1, 2, slot_of(b, 2 * i)) !=
            A9N_SUCCESS) {
            mark_free(b, i);
            return ULMM_NIL;
        }
        b->node[i].state = ULMM_SPLIT;
        b->splits++;
        mark_free(b, 2 * i + 1);
        i = 2 * i;
    }
    return i;
}

static void set_aside(struct ulmm_buddy *b, uint32_t i)
{
    b->node[i].state = ULMM_SET_ASIDE;
    b->node[i].owner = 0;
    b->node[i].pad = 0;
    ulmm_list_push(b->node, &b->set_aside_head, i);
    b->set_aside++;
}

/* Sets aside every client's promised blocks, out of the pool as init found it. */
static enum ulmm_error set_aside_all(struct ulmm_buddy *b)
{
    uint64_t want = 0;
    for (unsigned c = 1; c <= ULMM_MAX_CLIENTS; c++)
        want += b->client[c].large_quota;
    if (want != 0 && (b->large_order < b->min_bits || b->large_order > b->pool_bits))
        return ULMM_E_INVALID;
    for (; want != 0; want--) {
        uint32_t i = smallest_free(b, b->large_order);
        if (i == ULMM_NIL)
            return ULMM_E_EXHAUSTED;
        take_free(b, i);
        i = split_down(b, i, b->large_order);
        if (i == ULMM_NIL)
            return ULMM_E_KERNEL;
        set_aside(b, i);
    }
    return ULMM_OK;
}

enum ulmm_error ulmm_buddy_bootstrap(const struct ulmm_buddy_config *cfg)
{
    if (!geometry_ok(cfg->pool_bits, cfg->min_bits))
        return ULMM_E_INVALID;
    if (cfg->reserve_bits == 0)
        return ULMM_OK;
    if (cfg->reserve_bits < cfg->min_bits || cfg->reserve_bits >= cfg->pool_bits)
        return ULMM_E_INVALID;
    /* Node 2^d is the leftmost block of depth d: split it into 2^(d+1) and 2^(d+1) + 1. */
    for (unsigned o = cfg->pool_bits, i = 1; o > cfg->reserve_bits; o--, i <<= 1)
        if (ulmm_kernel_convert(cfg->tree_base + i, A9N_OBJECT_GENERIC, o - 1, 2,
                                cfg->tree_base + 2 * i) != A9N_SUCCESS)
            return ULMM_E_KERNEL;
    return ULMM_OK;
}

enum ulmm_error ulmm_buddy_init(struct ulmm_buddy *b, const struct ulmm_buddy_config *cfg,
                                void *meta)
{
    if (!geometry_ok(cfg->pool_bits, cfg->min_bits) || meta == NULL)
        return ULMM_E_INVALID;
    if (cfg->reserve_bits != 0 &&
        (cfg->reserve_bits < cfg->min_bits || cfg->reserve_bits >= cfg->pool_bits))
        return ULMM_E_INVALID;
    *b = (struct ulmm_buddy){
        .pool_bits = cfg->pool_bits,
        .min_bits = cfg->min_bits,
        .levels = cfg->pool_bits - cfg->min_bits,
        .tree_base = cfg->tree_base,
        .object_base = cfg->object_base,
        .node = meta,
    };
    uint32_t n = 2u << b->levels;
    for (uint32_t i = 0; i < n; i++)
        b->node[i] = (struct ulmm_entry){.prev = ULMM_NIL, .next = ULMM_NIL};
    for (unsigned o = 0; o <= ULMM_BUDDY_MAX_ORDER; o++)
        b->free_head[o] = ULMM_NIL;
    for (unsigned c = 0; c <= ULMM_MAX_CLIENTS; c++)
        b->client[c] = (struct ulmm_buddy_client){
            .head = ULMM_NIL, .quota = cfg->quota[c], .large_quota = cfg->large[c]};
    b->client[0].quota = b->client[0].large_quota = 0;
    b->large_order = cfg->large_order;
    b->set_aside_head = ULMM_NIL;

    if (cfg->reserve_bits == 0) {
        mark_free(b, 1);
        return set_aside_all(b);
    }
    /* The state ulmm_buddy_bootstrap made: the left spine split, each right half free, the
     * leftmost block the server's (owner 0) for good. */
    uint32_t i = 1;
    for (unsigned o = cfg->pool_bits; o > cfg->reserve_bits; o--, i <<= 1) {
        b->node[i].state = ULMM_SPLIT;
        mark_free(b, 2 * i + 1);
    }
    b->node[i].state = ULMM_USED;
    ulmm_list_push(b->node, &b->client[0].head, i);
    b->client[0].blocks = 1;
    b->client[0].used = b->client[0].peak = 1ull << cfg->reserve_bits;
    b->order[cfg->reserve_bits].used = 1;
    return set_aside_all(b);
}

/* One of the blocks set aside, for a client below its promise: always there (each client's
 * promise has its blocks), and outside its bytes. */
static enum ulmm_error give_set_aside(struct ulmm_buddy *b, unsigned client, a9n_word type,
                                      a9n_word specific_bits, uint32_t *handle)
{
    uint32_t i = b->set_aside_head;
    if (i == ULMM_NIL)
        return ULMM_E_KERNEL; /* cannot happen: init set aside every promise */
    a9n_word object = b->object_base + (offset_of(b, i) >> b->min_bits);
    if (ulmm_kernel_convert(slot_of(b, i), type, specific_bits, 1, object) != A9N_SUCCESS)
        return ULMM_E_KERNEL;
    ulmm_list_unlink(b->node, &b->set_aside_head, i);
    b->set_aside--;
    struct ulmm_buddy_client *c = &b->client[client];
    b->node[i].state = ULMM_USED;
    b->node[i].owner = (uint16_t)client;
    b->node[i].pad = 2; /* goes back to the blocks set aside when freed */
    ulmm_list_push(b->node, &c->head, i);
    c->blocks++;
    c->large_used++;
    b->order[b->large_order].used++;
    b->allocs++;
    *handle = i;
    return ULMM_OK;
}

enum ulmm_error ulmm_buddy_alloc(struct ulmm_buddy *b, unsigned client, unsigned order,
                                 a9n_word type, a9n_word specific_bits, uint32_t *handle)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS || order < b->min_bits || order > b->pool_bits)
        return ULMM_E_INVALID;
    unsigned obj_bits = a9n_object_bits(type, specific_bits);
    if (!a9n_object_is_convertible(type) || obj_bits == 0 || obj_bits > order)
        return ULMM_E_INVALID;
    struct ulmm_buddy_client *c = &b->client[client];
    uint64_t size = 1ull << order;
    if (order == b->large_order && c->large_used < c->large_quota)
        return give_set_aside(b, client, type, specific_bits, handle);
    if (c->used > c->quota || size > c->quota - c->used) {
        b->refused_quota++;
        return ULMM_E_QUOTA;
    }
    uint32_t i = smallest_free(b, order);
    if (i == ULMM_NIL && b->deferred_count != 0) {
        /* The deferred merges may make the block: after them the tree is the one eager
         * merging keeps, so nothing is refused that it would give. */
        ulmm_buddy_settle(b);
        i = smallest_free(b, order);
    }
    if (i == ULMM_NIL) {
        b->refused_exhausted++;
        return ULMM_E_EXHAUSTED;
    }
    take_free(b, i);
    i = split_down(b, i, order);
    if (i == ULMM_NIL)
        return ULMM_E_KERNEL;
    a9n_word object = b->object_base + (offset_of(b, i) >> b->min_bits);
    if (ulmm_kernel_convert(slot_of(b, i), type, specific_bits, 1, object) != A9N_SUCCESS) {
        mark_free(b, i);
        return ULMM_E_KERNEL;
    }
    b->node[i].state = ULMM_USED;
    b->node[i].owner = (uint16_t)client;
    ulmm_list_push(b->node, &c->head, i);
    c->blocks++;
    c->used += size;
    if (c->used > c->peak)
        c->peak = c->used;
    b->order[order].used++;
    b->allocs++;
    *handle = i;
    return ULMM_OK;
}

static bool held_by(const struct ulmm_buddy *b, unsigned client, uint32_t handle)
{
    return handle != 0 && handle < (2u << b->levels) && b->node[handle].state == ULMM_USED &&
           b->node[handle].owner == client;
}

static enum ulmm_error check_handle(const struct ulmm_buddy *b, unsigned client, uint32_t handle)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS || handle == 0 || handle >= (2u << b->levels))
        return ULMM_E_INVALID;
    if (b->node[handle].state != ULMM_USED)
        return ULMM_E_INVALID;
    return held_by(b, client, handle) ? ULMM_OK : ULMM_E_NOT_OWNER;
}

/* Frees block i (held, checked): revoke it, then merge with free buddies as far as they go. */
static enum ulmm_error release(struct ulmm_buddy *b, uint32_t i)
{
    struct ulmm_buddy_client *c = &b->client[b->node[i].owner];
    unsigned order = order_of(b, i);
    /* Revoking the block deletes its object wherever a copy went; the Generic is then
     * childless and whole again. */
    if (ulmm_kernel_revoke(slot_of(b, i)) != A9N_SUCCESS)
        return ULMM_E_KERNEL;
    ulmm_list_unlink(b->node, &c->head, i);
    c->blocks--;
    b->order[order].used--;
    b->frees++;
    if (b->node[i].pad == 2) {
        c->large_used--;
        set_aside(b, i); /* kept for the next promise, never merged */
        return ULMM_OK;
    }
    c->used -= 1ull << order;
    if (b->deferred_count < ULMM_BUDDY_DEFERRED && i > 1 && b->node[i ^ 1u].state == ULMM_FREE) {
        /* Its buddy is free too, but the merge waits: the next allocation of this order
         * takes the block again without a split (most cycles free and allocate alike). */
        mark_free(b, i);
        b->node[i].pad = 1;
        b->deferred[b->deferred_count++] = i;
        return ULMM_OK;
    }
    mark_free(b, merge_up(b, i));
    return ULMM_OK;
}

enum ulmm_error ulmm_buddy_free(struct ulmm_buddy *b, unsigned client, uint32_t handle)
{
    enum ulmm_error e = check_handle(b, client, handle);
    return e != ULMM_OK ? e : release(b, handle);
}

uint32_t ulmm_buddy_reclaim(struct ulmm_buddy *b, unsigned client)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS)
        return 0;
    uint32_t n = 0;
    while (b->client[client].head != ULMM_NIL) {
        if (release(b, b->client[client].head) != ULMM_OK)
            break;
        n++;
    }
    ulmm_buddy_settle(b); /* what the dead held merges at once */
    return n;
}

enum ulmm_error ulmm_buddy_lookup(const struct ulmm_buddy *b, unsigned client, uint32_t handle,
                                  uint64_t *offset, unsigned *order, a9n_word *object)
{
    enum ulmm_error e = check_handle(b, client, handle);
    if (e != ULMM_OK)
        return e;
    *offset = offset_of(b, handle);
    *order = order_of(b, handle);
    *object = b->object_base + (*offset >> b->min_bits);
    return ULMM_OK;
}

bool ulmm_buddy_is_whole(struct ulmm_buddy *b)
{
    ulmm_buddy_settle(b);
    /* Whole: only the server's own block is held, and every free block is maximal, i.e.
     * one per order on the reserved block's spine (or the pool alone). */
    if (b->client[0].blocks > 1)
        return false;
    for (unsigned c = 1; c <= ULMM_MAX_CLIENTS; c++)
        if (b->client[c].blocks != 0)
            return false;
    unsigned reserve = b->client[0].blocks ? order_of(b, b->client[0].head) : b->pool_bits;
    for (unsigned o = b->min_bits; o <= b->pool_bits; o++) {
        uint32_t want = b->client[0].blocks ? (o >= reserve && o < b->pool_bits) : o == reserve;
        if (b->order[o].free != want)
            return false;
    }
    return true;
}
