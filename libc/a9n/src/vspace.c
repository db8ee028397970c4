/* liba9n: Address Space GET_UNSET_DEPTH, Frame, ASID Control and ASID Pool operations (MAP and
 * UNMAP are inline in liba9n.h: every heap page and ULMM request makes them). */
#include <liba9n.h>

a9n_error a9n_address_space_get_unset_depth(a9n_word as, a9n_word vaddr, a9n_word *level)
{
    struct a9n_regs r = {{as, A9N_ADDRESS_SPACE_GET_UNSET_DEPTH, vaddr}};
    a9n_error e = a9n_capability_call(&r);
    *level = r.mr[A9N_MR_RESULT0];
    return e;
}

/* ---- ASID Control, ASID Pool ---- */

/* Makes an ASID Pool from 4 KiB of the Generic, in dest_node[dest_index]. */
a9n_error a9n_asid_control_make_pool(a9n_word control, a9n_word generic, a9n_word dest_node,
                                     a9n_word dest_index)
{
    return a9n_call7(control, A9N_ASID_CONTROL_MAKE_POOL, generic, dest_node, dest_index, 0, 0, 0,
                     0);
}

/* Gives the Address Space (its only capability) a free ASID of the pool. */
a9n_error a9n_asid_pool_assign(a9n_word pool, a9n_word address_space)
{
    return a9n_call7(pool, A9N_ASID_POOL_ASSIGN, address_space, 0, 0, 0, 0, 0, 0);
}

a9n_error a9n_frame_get_address(a9n_word frame, a9n_word *physical)
{
    struct a9n_regs r = {{frame, A9N_FRAME_GET_ADDRESS}};
    a9n_error e = a9n_capability_call(&r);
    *physical = r.mr[A9N_MR_RESULT0];
    return e;
}

/* Copies `length` bytes (at most A9N_FRAME_COPY_MAX) from offset `from` of Frame `source`
 * (READ) to offset `to` of Frame `frame` (WRITE); neither needs a mapping. */
a9n_error a9n_frame_copy(a9n_word frame, a9n_word source, a9n_word from, a9n_word to,
                         a9n_word length)
{
    return a9n_call7(frame, A9N_FRAME_COPY, source, from, to, length, 0, 0, 0);
}
