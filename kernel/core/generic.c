/*
 * Generic: 2^bits bytes of untyped memory, aligned to their size. CONVERT places objects at
 * the watermark, each aligned to its own size; the watermark only grows, until the Generic
 * has no children left (they were revoked or removed), when it drops back to 0 and the
 * whole range can be converted again. Capabilities to Generics are never copied or minted,
 * so each Generic range has exactly one watermark.
 */
#include <core/generic.h>

#include <core/captree.h>
#include <core/descriptor.h>
#include <core/object.h>
#include <core/preempt.h>
#include <core/reaper.h>
#include <core/vspace.h>
#include <string.h>

bool generic_make_root(struct cap *c, paddr_t base, unsigned bits, bool device)
{
    if (bits < A9N_GENERIC_MIN_BITS || bits > A9N_GENERIC_MAX_BITS)
        return false;
    if ((base & ((1ull << bits) - 1)) != 0)
        return false;
    object_create(c, A9N_OBJECT_GENERIC, base, bits, device);
    return true;
}

void generic_reset(struct cap_slot *g)
{
    g->cap.data[0] = 0;
    g->cap.data[1] &= CAP_GENERIC_BITS_MASK | CAP_GENERIC_DEVICE; /* no CONVERT pending */
    /* What lay above the old watermark may still be zero, but what lay below is not. */
    cap_generic_set_zeroed(&g->cap, 0);
}

/* Bytes cleared between two preemption points at most: one page, ~512 instructions. */
#define GENERIC_CLEAR_CHUNK 4096ull

a9n_error generic_clear(struct cap_slot *g, uint64_t end, bool preemptible)
{
    struct cap *c = &g->cap;
    uint64_t pos = cap_generic_watermark(c);
    if (cap_generic_zeroed(c) > pos)
        pos = cap_generic_zeroed(c);
    while (pos < end) {
        /* Chunks end on page boundaries (or at `end`); offsets stay multiples of 64. */
        uint64_t stop = (pos & ~(GENERIC_CLEAR_CHUNK - 1)) + GENERIC_CLEAR_CHUNK;
        if (stop > end)
            stop = end;
        memset(hal_phys_to_virt(c->object + pos), 0, stop - pos);
        cap_generic_set_zeroed(c, stop);
        pos = stop;
        if (preemptible && pos < end && preempt_point((uint32_t)(GENERIC_CLEAR_CHUNK / 8)))
            return A9N_PREEMPTED;
    }
    return A9N_SUCCESS;
}

a9n_error generic_check(const struct cap *g, a9n_word type, a9n_word specific_bits, a9n_word count,
                        unsigned *bits_out, uint64_t *offset_out)
{
    if (!a9n_object_is_convertible(type))
        return A9N_ERROR_INVALID_ARGUMENT;
    if (cap_generic_is_device(g) && type != A9N_OBJECT_FRAME)
        return A9N_ERROR_ILLEGAL_OPERATION;
    unsigned bits = a9n_object_bits(type, specific_bits);
    if (bits == 0 || count == 0)
        return A9N_ERROR_INVALID_ARGUMENT;

    unsigned generic_bits = cap_generic_bits(g);
    if (bits > generic_bits)
        return A9N_ERROR_NOT_ENOUGH_MEMORY;
    uint64_t size = 1ull << generic_bits;
    uint64_t align = 1ull << bits;
    /* No overflow: watermark <= size <= 2^52. */
    uint64_t offset = (cap_generic_watermark(g) + align - 1) & ~(align - 1);
    /* Exact fit is allowed: the last object may end right at the end of the Generic. */
    if (offset > size || count > (size - offset) >> bits)
        return A9N_ERROR_NOT_ENOUGH_MEMORY;
    *bits_out = bits;
    *offset_out = offset;
    return A9N_SUCCESS;
}

void generic_convert(struct cap_slot *g, unsigned type, unsigned bits, uint64_t offset,
                     uint64_t count, struct cap_slot *dest)
{
    bool device = cap_generic_is_device(&g->cap);
    /* A new Generic is not cleared: its own CONVERTs clear what they make. Device memory is
     * never cleared: it is not RAM. A CONVERT call cleared already (preemptibly): then
     * this finds everything zero and clears nothing. */
    if (type != A9N_OBJECT_GENERIC && !device)
        (void)generic_clear(g, offset + (count << bits), false);
    struct cap_slot *after = g;
    for (uint64_t i = 0; i < count; i++) {
        paddr_t pa = g->cap.object + offset + (i << bits);
        object_create(&dest[i].cap, type, pa, bits, device);
        /* Children in creation order, right after the Generic. */
        captree_insert_child_after(g, after, &dest[i]);
        after = &dest[i];
    }
    g->cap.data[0] = offset + (count << bits);
}

/*
 * A CONVERT in progress: a record in the Generic's data[1] above its size and device bits,
 * so that a preempted CONVERT continues where it stopped when the same call is made again.
 *   bits 9..10   phase: checking the destination slots, or making the objects
 *   bits 11..31  how many slots are checked / objects made
 *   bits 32..63  a tag of the call's arguments (type, size, count, destination slot)
 * A call with other arguments finds no record of its own and starts afresh (replacing the
 * record); everything a record says is checked again where it matters, so a stale or
 * foreign record can cost work but never safety: each destination slot is checked empty
 * right before an object goes in, and memory is cleared up to the cleared mark only.
 */
enum convert_phase {
    CONVERT_FRESH,
    CONVERT_CHECKING,
    CONVERT_MAKING,
};

#define PENDING_DONE_BITS 21
_Static_assert(A9N_NODE_RADIX_MAX < PENDING_DONE_BITS, "a count of slots fits the record");

static unsigned pending_phase(const struct cap *g)
{
    return (g->data[1] >> CAP_GENERIC_PENDING_SHIFT) & 3;
}

static uint64_t pending_done(const struct cap *g)
{
    return (g->data[1] >> (CAP_GENERIC_PENDING_SHIFT + 2)) & ((1ull << PENDING_DONE_BITS) - 1);
}

static uint32_t pending_tag(const struct cap *g)
{
    return (uint32_t)(g->data[1] >> 32);
}

static void pending_set(struct cap *g, unsigned phase, uint64_t done, uint32_t tag)
{
    g->data[1] = (g->data[1] & (CAP_GENERIC_BITS_MASK | CAP_GENERIC_DEVICE)) |
                 ((uint64_t)phase << CAP_GENERIC_PENDING_SHIFT) |
                 (done << (CAP_GENERIC_PENDING_SHIFT + 2)) | ((uint64_t)tag << 32);
}

static void pending_clear(struct cap *g)
{
    g->data[1] &= CAP_GENERIC_BITS_MASK | CAP_GENERIC_DEVICE;
}

static uint32_t convert_tag(a9n_word type, a9n_word specific_bits, a9n_word count,
                            const struct cap_slot *dest)
{
    uint64_t h = (uint64_t)hal_virt_to_phys(dest);
    h = (h ^ (type << 56) ^ (specific_bits << 48) ^ count) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32);
}

/* Rough costs, in instructions, for preempt_point: checking 64 slots (about 6 each in the
 * batch loop of convert_check; the loop before it took about 10 and was charged 4, so 512
 * slots, about 5,500 instructions, ran between two preemption points: the longest stretch
 * of the latency rows that CONVERT Frames, Page Tables or Processes), making one object (a
 * Process charges the rest itself: process_init, PROCESS_INIT_COST). */
enum {
    CONVERT_CHECK_BATCH = 64,
    CONVERT_COST_CHECK = 384,
    CONVERT_COST_MAKE = 72,
};

/*
 * The slots dest[from..count) are empty: SLOT_OCCUPIED (and no record) if not. Preemptible:
 * the record holds how far it got.
 */
static a9n_error convert_check(struct cap_slot *g, struct cap_slot *dest, uint64_t from,
                               uint64_t count, uint32_t tag)
{
    /* Batches end at multiples of CONVERT_CHECK_BATCH; the inner loop only compares. */
    for (uint64_t i = from; i < count;) {
        uint64_t stop = (i | (CONVERT_CHECK_BATCH - 1)) + 1;
        if (stop > count)
            stop = count;
        for (; i < stop; i++) {
            if (!slot_is_empty(&dest[i])) {
                pending_clear(&g->cap);
                return A9N_ERROR_SLOT_OCCUPIED;
            }
        }
        if (i < count && preempt_point(CONVERT_COST_CHECK)) {
            pending_set(&g->cap, CONVERT_CHECKING, i, tag);
            return A9N_PREEMPTED;
        }
    }
    pending_set(&g->cap, CONVERT_CHECKING, count, tag);
    return A9N_SUCCESS;
}

/* Whether dest[i] holds a capability of `type` to the object at `pa`. */
static bool convert_holds(const struct cap_slot *dest, uint64_t i, unsigned type, paddr_t pa)
{
    return dest[i].cap.type == type && dest[i].cap.object == pa;
}

/*
 * Whether dest[made - 1], the last object a preempted part of this CONVERT made, is still
 * there as a childless child of `g`, so that the next one can go right after it: it is
 * g's first child, or the sibling right after a capability to the object made before it
 * (two capabilities to different objects made from `g` are siblings only under `g`).
 * Children of its own stay below it. Otherwise the next one goes first under `g`, which is
 * always right. O(1).
 */
static bool convert_made_here(const struct cap_slot *g, unsigned type, unsigned bits,
                              uint64_t offset, const struct cap_slot *dest, uint64_t made)
{
    const struct cap_slot *last = &dest[made - 1];
    paddr_t pa = g->cap.object + offset - (1ull << bits);
    if (!convert_holds(dest, made - 1, type, pa) || !captree_is_linked(last))
        return false;
    if (g->child == last)
        return true;
    return made >= 2 && captree_prev_sibling(last) == &dest[made - 2] &&
           convert_holds(dest, made - 2, type, pa - (1ull << bits));
}

/*
 * Makes objects dest[made..count), each at the watermark (`offset`, aligned), advancing
 * the watermark and the record one object at a time. Each object is complete when its
 * capability appears. A slot found full (filled by someone between two preemptions) ends
 * the call with SLOT_OCCUPIED; the objects made before it stay.
 */
static a9n_error convert_make(struct cap_slot *g, unsigned type, unsigned bits, uint64_t offset,
                              struct cap_slot *dest, uint64_t made, uint64_t count, uint32_t tag)
{
    bool device = cap_generic_is_device(&g->cap);
    /* Children in creation order, right after the Generic: after the last one made, if a
     * preempted part of this call made it and it is still there. */
    struct cap_slot *after = g;
    if (made > 0 && convert_made_here(g, type, bits, offset, dest, made))
        after = &dest[made - 1];
    for (uint64_t i = made; i < count; i++) {
        if (!slot_is_empty(&dest[i])) {
            pending_clear(&g->cap);
            return A9N_ERROR_SLOT_OCCUPIED;
        }
        paddr_t pa = g->cap.object + offset + ((i - made) << bits);
        object_create(&dest[i].cap, type, pa, bits, device);
        captree_insert_child_after(g, after, &dest[i]);
        after = &dest[i];
        g->cap.data[0] = pa - g->cap.object + (1ull << bits);
        if (i + 1 < count && preempt_point(CONVERT_COST_MAKE)) {
            pending_set(&g->cap, CONVERT_MAKING, i + 1, tag);
            return A9N_PREEMPTED;
        }
    }
    pending_clear(&g->cap);
    return A9N_SUCCESS;
}

/*
 * CONVERT_FILLED (a9n/operation.h): one 4 KiB Frame whose bytes are a range of another
 * Frame's and zero elsewhere, made at the watermark like CONVERT's. Every byte of the new
 * Frame is written (copied or zeroed) before its capability appears, so the memory needs no
 * clearing first and shows nothing old: a process's image page costs one pass over its
 * bytes, not a clear and then a copy. Checked completely before anything changes; the work
 * is one page, like Frame COPY's (no preemption point).
 */
static a9n_error convert_filled(struct process *caller, struct cap_slot *g,
                                const struct cap_message *msg)
{
    if (!cap_has_rights(&g->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    if (cap_generic_is_device(&g->cap))
        return A9N_ERROR_ILLEGAL_OPERATION; /* device memory is not RAM to fill */
    struct cap_slot *root = &caller->slots[PROCESS_SLOT_ROOT_NODE], *src, *dest;
    a9n_error e = descriptor_lookup_typed(root, msg->mr[2], A9N_OBJECT_FRAME, A9N_RIGHT_READ, &src);
    if (e != A9N_SUCCESS)
        return e;
    a9n_word from = msg->mr[3], to = msg->mr[4], length = msg->mr[5];
    uint64_t src_size = 1ull << (src->cap.data[0] & 0xff);
    if ((src->cap.data[1] & CAP_FRAME_DEVICE) != 0 || from > src_size || length > src_size - from ||
        to > 4096 || length > 4096 - to)
        return A9N_ERROR_INVALID_ARGUMENT;
    unsigned bits;
    uint64_t offset;
    e = generic_check(&g->cap, A9N_OBJECT_FRAME, 12, 1, &bits, &offset);
    if (e != A9N_SUCCESS)
        return e;
    e = descriptor_destination(root, msg->mr[6], msg->mr[7], 1, &dest);
    if (e != A9N_SUCCESS)
        return e;
    /* The new Frame lies above the watermark, where no object is: the source (an object)
     * never overlaps it. */
    char *d = hal_phys_to_virt(g->cap.object + offset);
    const char *s = (const char *)hal_phys_to_virt(src->cap.object) + from;
    memset(d, 0, to);
    memcpy(d + to, s, length);
    memset(d + to + length, 0, 4096 - to - length);
    /* A preempted CONVERT's record (if any) starts afresh: its checks are made again. */
    pending_clear(&g->cap);
    object_create(&dest->cap, A9N_OBJECT_FRAME, g->cap.object + offset, bits, false);
    captree_insert_child_after(g, g, dest);
    g->cap.data[0] = offset + (1ull << bits);
    return A9N_SUCCESS;
}

/*
 * CONVERT: MR2 type, MR3 specific bits, MR4 count, MR5 dest Node descriptor, MR6 index.
 * Preemptible in three phases, each recording its progress in the Generic: checking the
 * destination slots (the record), clearing the memory (the cleared mark), making the
 * objects (the record and the watermark). The memory being cleared lies above the
 * watermark and no capability names it until its object is made.
 */
a9n_error generic_invoke(struct process *caller, struct cap_slot *g, struct cap_message *msg)
{
    a9n_word op = msg->mr[A9N_MR_OPERATION];
    if (op != A9N_GENERIC_CONVERT && op != A9N_GENERIC_CONVERT_FILLED)
        return A9N_ERROR_ILLEGAL_OPERATION;
    /* Dead Nodes left on the reaper by a preempted call may lie in memory this Generic
     * could hand out again: they go first (reaper.h). Before decoding, since emptying
     * them may reset this Generic's watermark. */
    if (!reaper_is_empty()) {
        a9n_error e = reaper_drain();
        if (e != A9N_SUCCESS)
            return e;
    }
    if (op == A9N_GENERIC_CONVERT_FILLED)
        return convert_filled(caller, g, msg);
    if (!cap_has_rights(&g->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word type = msg->mr[2], specific_bits = msg->mr[3], count = msg->mr[4];
    a9n_word node_descriptor = msg->mr[5], index = msg->mr[6];

    /* The destination range (O(1)); its errors come after generic_check's. */
    struct cap_slot *dest = NULL;
    a9n_error range = descriptor_destination_range(&caller->slots[PROCESS_SLOT_ROOT_NODE],
                                                   node_descriptor, index, count, &dest);
    uint32_t tag = range == A9N_SUCCESS ? convert_tag(type, specific_bits, count, dest) : 0;
    unsigned phase = CONVERT_FRESH;
    uint64_t done = 0;
    if (range == A9N_SUCCESS && pending_phase(&g->cap) != CONVERT_FRESH &&
        pending_tag(&g->cap) == tag && pending_done(&g->cap) <= count) {
        phase = pending_phase(&g->cap);
        done = pending_done(&g->cap);
    }
    /* The objects still to make must fit at the watermark. */
    uint64_t made = phase == CONVERT_MAKING ? done : 0;
    unsigned bits;
    uint64_t offset;
    a9n_error e = generic_check(&g->cap, type, specific_bits, count - made, &bits, &offset);
    if (e == A9N_SUCCESS && count == made)
        e = A9N_ERROR_INVALID_ARGUMENT; /* a record cannot say this: defensive */
    if (e != A9N_SUCCESS)
        return e;
    if (range != A9N_SUCCESS)
        return range;

    if (phase != CONVERT_MAKING) {
        e = convert_check(g, dest, phase == CONVERT_CHECKING ? done : 0, count, tag);
        if (e != A9N_SUCCESS)
            return e;
        if (type != A9N_OBJECT_GENERIC && !cap_generic_is_device(&g->cap)) {
            e = generic_clear(g, offset + (count << bits), true);
            if (e != A9N_SUCCESS)
                return e; /* A9N_PREEMPTED: the record says the slots were checked */
        }
    }
    return convert_make(g, (unsigned)type, bits, offset, dest, made, count, tag);
}
