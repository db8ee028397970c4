/* Descriptor resolution: bounded by the depth, at most 56 steps, no recursion. */
#include <core/descriptor.h>

/* The walk itself; `*node` ends as the Node capability whose slots hold the answer. Inlined
 * twice, so the plain lookup pays nothing for the container it does not want. */
static inline __attribute__((always_inline)) a9n_error
resolve(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out, struct cap_slot **node)
{
    unsigned remaining = a9n_descriptor_depth(descriptor);
    if (remaining > A9N_DESCRIPTOR_INDEX_BITS)
        return A9N_ERROR_INVALID_DESCRIPTOR;
    unsigned unused = A9N_DESCRIPTOR_INDEX_BITS - remaining;
    if (unused > 0 && (descriptor & ((1ull << unused) - 1)) != 0)
        return A9N_ERROR_INVALID_DESCRIPTOR;

    unsigned position = A9N_DESCRIPTOR_INDEX_BITS; /* bits above `position` are consumed */
    struct cap_slot *slot = root;
    for (;;) {
        if (slot->cap.type != A9N_OBJECT_NODE)
            return A9N_ERROR_INVALID_DEPTH;
        unsigned radix = cap_node_radix(&slot->cap);
        if (remaining < radix)
            return A9N_ERROR_INVALID_DEPTH;
        position -= radix;
        remaining -= radix;
        uint64_t index = (descriptor >> position) & ((1ull << radix) - 1);
        *node = slot;
        slot = &cap_node_slots(&slot->cap)[index];
        if (remaining == 0) {
            *out = slot;
            return A9N_SUCCESS;
        }
    }
}

a9n_error descriptor_resolve(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out)
{
    struct cap_slot *node;
    return resolve(root, descriptor, out, &node);
}

a9n_error descriptor_lookup_in(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out,
                               struct cap_slot **node)
{
    struct cap_slot *slot, *container;
    a9n_error e = resolve(root, descriptor, &slot, &container);
    if (e != A9N_SUCCESS)
        return e;
    if (slot_is_empty(slot))
        return A9N_ERROR_EMPTY_SLOT;
    *out = slot;
    *node = container;
    return A9N_SUCCESS;
}

a9n_error descriptor_destination(struct cap_slot *root, a9n_word node, a9n_word index,
                                 a9n_word count, struct cap_slot **out)
{
    struct cap_slot *dest;
    a9n_error e = descriptor_destination_range(root, node, index, count, &dest);
    if (e != A9N_SUCCESS)
        return e;
    for (uint64_t i = 0; i < count; i++)
        if (!slot_is_empty(&dest[i]))
            return A9N_ERROR_SLOT_OCCUPIED;
    *out = dest;
    return A9N_SUCCESS;
}

a9n_error descriptor_destination_range(struct cap_slot *root, a9n_word node, a9n_word index,
                                       a9n_word count, struct cap_slot **out)
{
    /* Written out, not descriptor_lookup_typed: CONVERT's every call comes here, and the
     * compiler keeps `n` in a register only this way (it cost a CONVERT 10 instructions). */
    struct cap_slot *n;
    a9n_error e = descriptor_lookup(root, node, &n);
    if (e != A9N_SUCCESS)
        return e;
    if (n->cap.type != A9N_OBJECT_NODE)
        return A9N_ERROR_WRONG_TYPE;
    if (!cap_has_rights(&n->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    uint64_t slots = 1ull << cap_node_radix(&n->cap);
    if (index >= slots || count > slots - index)
        return A9N_ERROR_INDEX_OUT_OF_RANGE;
    *out = &cap_node_slots(&n->cap)[index];
    return A9N_SUCCESS;
}

a9n_error descriptor_lookup(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out)
{
    struct cap_slot *slot;
    a9n_error e = descriptor_resolve(root, descriptor, &slot);
    if (e != A9N_SUCCESS)
        return e;
    if (slot_is_empty(slot))
        return A9N_ERROR_EMPTY_SLOT;
    *out = slot;
    return A9N_SUCCESS;
}
