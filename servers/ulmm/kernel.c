/*
 * The ULMM core's kernel calls (core/kernel.h) on A9N. A slot number names a slot of the
 * server's root Node (whose descriptor and radix serve.c sets before the core runs), or,
 * with ulmm_nested(), a slot of a Node held in one of its root slots (server.h).
 */
#include "server.h"

#include "core/kernel.h"

#include <liba9n.h>

struct ulmm_space ulmm_space;

a9n_word ulmm_nested(a9n_word root_slot, unsigned radix)
{
    return ((root_slot + 1) << ULMM_NESTED_SHIFT) | ((a9n_word)radix << ULMM_RADIX_SHIFT);
}

/* The Node that holds `slot` (a descriptor), and the slot's index in it. */
static a9n_word node_of(a9n_word slot)
{
    a9n_word root = slot >> ULMM_NESTED_SHIFT;
    return root == 0 ? ulmm_space.node : a9n_descriptor_root(root - 1, ulmm_space.radix);
}

static a9n_word index_of(a9n_word slot)
{
    return slot & ((1ull << ULMM_RADIX_SHIFT) - 1);
}

a9n_word ulmm_slot(a9n_word slot)
{
    a9n_word root = slot >> ULMM_NESTED_SHIFT;
    /* A root slot (every slot of the slab server): its index is below 2^radix by
     * construction (ulmm_take_slots), so the descriptor needs none of the checks of
     * a9n_descriptor_root. */
    if (root == 0)
        return ((a9n_word)ulmm_space.radix << A9N_DESCRIPTOR_DEPTH_SHIFT) |
               (slot << (A9N_DESCRIPTOR_INDEX_BITS - ulmm_space.radix));
    unsigned radix = (unsigned)((slot >> ULMM_RADIX_SHIFT) & 0xff);
    return a9n_descriptor_append(a9n_descriptor_root(root - 1, ulmm_space.radix), index_of(slot),
                                 radix);
}

a9n_error ulmm_kernel_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                              a9n_word count, a9n_word dest)
{
    return a9n_generic_convert(ulmm_slot(generic), type, specific_bits, count, node_of(dest),
                               index_of(dest));
}

a9n_error ulmm_kernel_revoke(a9n_word slot)
{
    return a9n_node_revoke(node_of(slot), index_of(slot));
}

a9n_error ulmm_kernel_remove(a9n_word slot)
{
    return a9n_node_remove(node_of(slot), index_of(slot));
}

a9n_error ulmm_kernel_move(a9n_word dest, a9n_word source)
{
    return a9n_node_move(node_of(dest), index_of(dest), ulmm_slot(source));
}

a9n_error ulmm_kernel_map_table(a9n_word space, a9n_word table, a9n_word vaddr)
{
    return a9n_address_space_map(ulmm_slot(space), ulmm_slot(table), vaddr, 0, NULL);
}
