/* Leaving a program: its Process ends itself (a9n/process.h: SUSPEND with END), so it is
 * never scheduled again and its exit notice, if it has one, tells its memory servers; its
 * capabilities stay until whoever holds its Process revokes it. */
#include <koito.h>
#include <liba9n.h>

a9n_word koito_process_cap =
    ((a9n_word)A9N_ROOT_NODE_RADIX << A9N_DESCRIPTOR_DEPTH_SHIFT) |
    ((a9n_word)A9N_ROOT_SLOT_PROCESS << (A9N_DESCRIPTOR_INDEX_BITS - A9N_ROOT_NODE_RADIX));

_Noreturn void _exit(int status)
{
    (void)status;
    for (;;) {
        a9n_call7(koito_process_cap, A9N_PROCESS_SUSPEND, A9N_PROCESS_SUSPEND_END, 0, 0, 0, 0, 0,
                  0);
        a9n_yield(); /* only reached if the suspend was refused */
    }
}

_Noreturn void koito_qemu_exit(a9n_word io_port, bool success)
{
    enum { QEMU_EXIT_PORT = 0xf4, QEMU_SUCCESS = 0x10, QEMU_FAILURE = 0x11 };
    a9n_io_port_write(io_port, QEMU_EXIT_PORT, 4, success ? QEMU_SUCCESS : QEMU_FAILURE);
    _exit(success ? 0 : 1);
}
