/*
 * A9N ABI: descriptors. A descriptor names one slot in the caller's capability space:
 *
 *   bits 63..56  depth: how many index bits to consume (0..56)
 *   bits 55..0   the index bits, consumed from bit 55 downwards
 *
 * The lookup starts at the caller's root Node. Each Node consumes its radix bits as the
 * index of one of its slots. When the depth is used up exactly, that slot is the answer;
 * otherwise the slot must hold a Node capability and the lookup continues inside it.
 * Bits below the consumed ones must be zero. A lookup makes at most 56 steps.
 */
#pragma once

#include <a9n/types.h>

#define A9N_DESCRIPTOR_DEPTH_SHIFT 56
#define A9N_DESCRIPTOR_INDEX_BITS  56
/* A descriptor that no lookup accepts (depth 255): what the helpers return on misuse. */
#define A9N_DESCRIPTOR_INVALID     ((a9n_word)~0ull)

static inline unsigned a9n_descriptor_depth(a9n_word descriptor)
{
    return (unsigned)(descriptor >> A9N_DESCRIPTOR_DEPTH_SHIFT);
}

/*
 * Appends one level: `index` in a Node of `radix` slots. Start from 0 (the empty path):
 *   a9n_descriptor_append(a9n_descriptor_append(0, 5, 8), 3, 4)
 * names slot 3 of the radix-4 Node held in slot 5 of a radix-8 root Node (depth 12).
 */
static inline a9n_word a9n_descriptor_append(a9n_word descriptor, a9n_word index, unsigned radix)
{
    unsigned depth = a9n_descriptor_depth(descriptor);
    if (depth > A9N_DESCRIPTOR_INDEX_BITS || radix == 0 ||
        radix > A9N_DESCRIPTOR_INDEX_BITS - depth || (index >> radix) != 0)
        return A9N_DESCRIPTOR_INVALID;
    unsigned new_depth = depth + radix;
    a9n_word bits = descriptor & ((1ull << A9N_DESCRIPTOR_INDEX_BITS) - 1);
    bits |= index << (A9N_DESCRIPTOR_INDEX_BITS - new_depth);
    return ((a9n_word)new_depth << A9N_DESCRIPTOR_DEPTH_SHIFT) | bits;
}

/* The descriptor of slot `index` in the root Node (of `root_radix` slots). */
static inline a9n_word a9n_descriptor_root(a9n_word index, unsigned root_radix)
{
    return a9n_descriptor_append(0, index, root_radix);
}
