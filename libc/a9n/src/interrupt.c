/* liba9n: IO Port MINT, Interrupt Region and Interrupt Port operations. A driver makes these
 * calls at set-up, and ACK once per interrupt, next to a notification wait that costs
 * hundreds of instructions: the call into this file is noise there (liba9n.h). */
#include <liba9n.h>

a9n_error a9n_io_port_mint(a9n_word io, a9n_word first, a9n_word last, a9n_word dest_node,
                           a9n_word index)
{
    return a9n_call7(io, A9N_IO_PORT_MINT, first, last, dest_node, index, 0, 0, 0);
}
/* ---- Interrupt Region, Interrupt Port ---- */

a9n_error a9n_interrupt_region_make_port(a9n_word region, a9n_word line, a9n_word dest_node,
                                         a9n_word index)
{
    return a9n_call7(region, A9N_INTERRUPT_REGION_MAKE_PORT, line, dest_node, index, 0, 0, 0, 0);
}

a9n_error a9n_interrupt_port_bind(a9n_word port, a9n_word notification)
{
    return a9n_call7(port, A9N_INTERRUPT_PORT_BIND, notification, 0, 0, 0, 0, 0, 0);
}

a9n_error a9n_interrupt_port_unbind(a9n_word port)
{
    return a9n_call7(port, A9N_INTERRUPT_PORT_UNBIND, 0, 0, 0, 0, 0, 0, 0);
}

a9n_error a9n_interrupt_port_ack(a9n_word port)
{
    return a9n_call7(port, A9N_INTERRUPT_PORT_ACK, 0, 0, 0, 0, 0, 0, 0);
}
