/*
 * The ULMM core's kernel calls (core/kernel.h) on A9N: slots are indices in the server's
 * root Node, whose descriptor and radix serve.c sets before the core runs.
 */
#include "server.h"

#include "core/kernel.h"

#include <liba9n.h>

struct ulmm_space ulmm_space;

a9n_word ulmm_slot(a9n_word index)
{
    return a9n_descriptor_root(index, ulmm_space.radix);
}

a9n_error ulmm_kernel_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                              a9n_word count, a9n_word dest)
{
    return a9n_generic_convert(ulmm_slot(generic), type, specific_bits, count, ulmm_space.node,
                               dest);
}

a9n_error ulmm_kernel_revoke(a9n_word slot)
{
    return a9n_node_revoke(ulmm_space.node, slot);
}

a9n_error ulmm_kernel_remove(a9n_word slot)
{
    return a9n_node_remove(ulmm_space.node, slot);
}

a9n_error ulmm_kernel_map_table(a9n_word space, a9n_word table, a9n_word vaddr)
{
    return a9n_address_space_map(ulmm_slot(space), ulmm_slot(table), vaddr, 0, NULL);
}
