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
    if (type == A9N_OBJECT_ADDRESS_SPACE && !vspace_asids_available(count))
        return A9N_ERROR_NOT_ENOUGH_MEMORY; /* every ASID is taken */

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
        captree_insert_after(after, &dest[i], g->depth + 1);
        after = &dest[i];
    }
    g->cap.data[0] = offset + (count << bits);
}

/* The memory of the objects generic_check approved, cleared in chunks with preemption
 * points. Nothing can reach it meanwhile: it lies above the watermark, and no capability
 * to it exists until generic_convert makes them, after the last chunk. */
static a9n_error generic_prepare(struct cap_slot *g, unsigned type, unsigned bits, uint64_t offset,
                                 uint64_t count)
{
    if (type == A9N_OBJECT_GENERIC || cap_generic_is_device(&g->cap))
        return A9N_SUCCESS;
    return generic_clear(g, offset + (count << bits), true);
}

/* CONVERT: MR2 type, MR3 specific bits, MR4 count, MR5 dest Node descriptor, MR6 index. */
a9n_error generic_invoke(struct process *caller, struct cap_slot *g, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_GENERIC_CONVERT)
        return A9N_ERROR_ILLEGAL_OPERATION;
    /* Dead Nodes left on the reaper by a preempted call may lie in memory this Generic
     * could hand out again: they go first (reaper.h). Before decoding, since emptying
     * them may reset this Generic's watermark. */
    if (!reaper_is_empty()) {
        a9n_error e = reaper_drain();
        if (e != A9N_SUCCESS)
            return e;
    }
    if (!cap_has_rights(&g->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word type = msg->mr[2], specific_bits = msg->mr[3], count = msg->mr[4];
    a9n_word node_descriptor = msg->mr[5], index = msg->mr[6];

    unsigned bits;
    uint64_t offset;
    a9n_error e = generic_check(&g->cap, type, specific_bits, count, &bits, &offset);
    if (e != A9N_SUCCESS)
        return e;

    struct cap_slot *dest;
    e = descriptor_destination(&caller->slots[PROCESS_SLOT_ROOT_NODE], node_descriptor, index,
                               count, &dest);
    if (e != A9N_SUCCESS)
        return e;

    e = generic_prepare(g, (unsigned)type, bits, offset, count);
    if (e != A9N_SUCCESS)
        return e; /* A9N_PREEMPTED: the restart finds the cleared part recorded */
    generic_convert(g, (unsigned)type, bits, offset, count, dest);
    return A9N_SUCCESS;
}
