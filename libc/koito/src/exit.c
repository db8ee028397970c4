/* Leaving a program: its Process suspends itself, so it is never scheduled again; its
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
        /* Returns only if someone resumes us (then we stop again) or if the suspend was
         * refused (no Process capability): yielding then would take the processor from
         * every lower priority for good, so fault instead. The kernel suspends a faulting
         * process that has no resolver, and tells the resolver otherwise. */
        if (a9n_process_suspend(koito_process_cap) != A9N_SUCCESS)
            __builtin_trap();
    }
}

_Noreturn void koito_qemu_exit(a9n_word io_port, bool success)
{
    enum { QEMU_EXIT_PORT = 0xf4, QEMU_SUCCESS = 0x10, QEMU_FAILURE = 0x11 };
    a9n_io_port_write(io_port, QEMU_EXIT_PORT, 4, success ? QEMU_SUCCESS : QEMU_FAILURE);
    _exit(success ? 0 : 1);
}
