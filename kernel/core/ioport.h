/*
 * IO Port capabilities: a range of x86 I/O ports [first, last] (data[0], data[1]).
 *   READ  MR2 port, MR3 width (1, 2, 4) -> MR2 value        needs READ
 *   WRITE MR2 port, MR3 width, MR4 value                    needs WRITE
 *   MINT  MR2 first, MR3 last, MR4 dest Node, MR5 index     needs COPY; a sub-range only
 * An access must lie wholly inside the range: port + width - 1 <= last.
 */
#pragma once

#include <core/cap_call.h>

a9n_error io_port_invoke(struct process *caller, struct cap_slot *io, struct cap_message *msg);
