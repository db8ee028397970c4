/* Descriptor resolution (the encoding is in a9n/descriptor.h). */
#pragma once

#include <core/cap.h>

/*
 * Finds the slot that `descriptor` names, starting at the Node capability in `root`.
 * The slot may be empty. Errors: INVALID_DESCRIPTOR (depth above 56 or stray low bits),
 * INVALID_DEPTH (the depth ends inside a Node's index, or more bits remain at a slot that
 * does not hold a Node, including an empty one or a root that is not a Node).
 */
a9n_error descriptor_resolve(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out);

/* As descriptor_resolve, but the slot must hold a capability (else EMPTY_SLOT). */
a9n_error descriptor_lookup(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out);

/* An argument that must name an object of `type` held with every right of `rights` (0: any
 * rights). Errors, in this order: those of the lookup, WRONG_TYPE, PERMISSION_DENIED. Inline:
 * CONVERT's destination check is on the slab cycle's path. */
static inline a9n_error descriptor_lookup_typed(struct cap_slot *root, a9n_word descriptor,
                                                unsigned type, a9n_word rights,
                                                struct cap_slot **out)
{
    a9n_error e = descriptor_lookup(root, descriptor, out);
    if (e != A9N_SUCCESS)
        return e;
    if ((*out)->cap.type != type)
        return A9N_ERROR_WRONG_TYPE;
    if (rights != 0 && !cap_has_rights(&(*out)->cap, rights))
        return A9N_ERROR_PERMISSION_DENIED;
    return A9N_SUCCESS;
}

/* Every Node's radix is in 1..A9N_NODE_RADIX_MAX: CONVERT refuses any other size and boot
 * makes the root Node with A9N_ROOT_NODE_RADIX. descriptor_root_slot relies on it. */
_Static_assert(A9N_NODE_RADIX_MIN >= 1 && A9N_NODE_RADIX_MAX < A9N_DESCRIPTOR_INDEX_BITS &&
                   A9N_ROOT_NODE_RADIX >= A9N_NODE_RADIX_MIN &&
                   A9N_ROOT_NODE_RADIX <= A9N_NODE_RADIX_MAX,
               "a Node's radix is 1..A9N_NODE_RADIX_MAX, below the descriptor's index bits");

static inline a9n_word descriptor_rotate_left(a9n_word x, unsigned n)
{
    return (x << (n & 63)) | (x >> (-n & 63)); /* one `rol` */
}

/*
 * descriptor_lookup with the common case inline: a slot of the root Node itself (depth =
 * its radix), which is what clients and servers name almost always. The walk
 * (descriptor.c) gives the same answer and the same errors for it, in about 30
 * instructions more; anything else goes there. For the capability call's target and the
 * IPC fast path (the benchmarks chapter). descriptor_root_slot is that step alone: the
 * non-empty root-Node slot, or NULL for anything else (the fast path then leaves it to the
 * full path, which walks and reports the error).
 *
 * A root slot's descriptor is radix << 56 | index << (56 - radix), index < 2^radix. Two
 * rotations check it and extract the index at once: rotated left by 8, the depth byte is
 * the low byte (the xor with the radix zeroes it exactly when they are equal) and the index
 * the top radix bits; rotated left by radix more, the index is the low radix bits, with the
 * depth's difference and the bits under the index (which must be zero) above it. So the
 * descriptor names a root slot exactly when nothing is left above the index. Needs
 * 1 <= radix < 56 (asserted above).
 */

static inline __attribute__((always_inline)) struct cap_slot *
descriptor_root_slot(struct cap_slot *root, a9n_word descriptor)
{
    if (root->cap.type != A9N_OBJECT_NODE)
        return NULL;
    a9n_word radix = root->cap.data[0]; /* cap_node_radix, without narrowing it */
    a9n_word index =
        descriptor_rotate_left(descriptor_rotate_left(descriptor, 8) ^ radix, (unsigned)radix);
    if ((index >> radix) != 0)
        return NULL;
    struct cap_slot *slot = &cap_node_slots(&root->cap)[index];
    return slot_is_empty(slot) ? NULL : slot;
}

static inline __attribute__((always_inline)) a9n_error
descriptor_lookup_fast(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out)
{
    struct cap_slot *slot = descriptor_root_slot(root, descriptor);
    if (slot != NULL) {
        *out = slot;
        return A9N_SUCCESS;
    }
    return descriptor_lookup(root, descriptor, out); /* the walk, and every error */
}

/* As descriptor_lookup, and `*node` is the Node capability whose slot it is (the last one
 * the walk went through): the one whose rights govern changes to that slot. */
a9n_error descriptor_lookup_in(struct cap_slot *root, a9n_word descriptor, struct cap_slot **out,
                               struct cap_slot **node);

/*
 * Where an operation puts `count` new capabilities: slots index..index+count-1 of the Node
 * that `node` names in `caller`'s space. Errors, in this order: those of the lookup,
 * WRONG_TYPE (not a Node), PERMISSION_DENIED (no WRITE on it), INDEX_OUT_OF_RANGE,
 * SLOT_OCCUPIED (any of the slots is full).
 */
a9n_error descriptor_destination(struct cap_slot *root, a9n_word node, a9n_word index,
                                 a9n_word count, struct cap_slot **out);

/* descriptor_destination without the SLOT_OCCUPIED check (O(1)): for a CONVERT, which
 * checks its slots itself, preemptibly (generic.c). */
a9n_error descriptor_destination_range(struct cap_slot *root, a9n_word node, a9n_word index,
                                       a9n_word count, struct cap_slot **out);
