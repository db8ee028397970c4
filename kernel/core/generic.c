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
    struct cap_slot *after = g;
    for (uint64_t i = 0; i < count; i++) {
        paddr_t pa = g->cap.object + offset + (i << bits);
        /* A new Generic is not cleared: its own CONVERTs clear what they make. Device
         * memory is never cleared: it is not RAM. */
        if (type != A9N_OBJECT_GENERIC && !device)
            memset(hal_phys_to_virt(pa), 0, 1ull << bits);
        object_create(&dest[i].cap, type, pa, bits, device);
        /* Children in creation order, right after the Generic. */
        captree_insert_after(after, &dest[i], g->depth + 1);
        after = &dest[i];
    }
    g->cap.data[0] = offset + (count << bits);
}

/* CONVERT: MR2 type, MR3 specific bits, MR4 count, MR5 dest Node descriptor, MR6 index. */
a9n_error generic_invoke(struct process *caller, struct cap_slot *g, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_GENERIC_CONVERT)
        return A9N_ERROR_ILLEGAL_OPERATION;
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

    generic_convert(g, (unsigned)type, bits, offset, count, dest);
    return A9N_SUCCESS;
}
