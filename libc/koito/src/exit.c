/* Leaving a program: its Process ends itself (a9n/process.h: SUSPEND with END), so it is
 * never scheduled again and its exit notice, if it has one, tells its memory servers; its
 * capabilities stay until whoever holds its Process revokes it. */
#include <koito.h>
#include <koito_supervisor.h>
#include <liba9n.h>

a9n_word koito_process_cap =
    ((a9n_word)A9N_ROOT_NODE_RADIX << A9N_DESCRIPTOR_DEPTH_SHIFT) |
    ((a9n_word)A9N_ROOT_SLOT_PROCESS << (A9N_DESCRIPTOR_INDEX_BITS - A9N_ROOT_NODE_RADIX));

_Noreturn void _exit(int status)
{
    for (;;) {
        /* The end (a9n/process.h): the exit notice goes out. Returns only if someone resumes
         * us (then we end again) or if the suspend was refused (no Process capability):
         * yielding then would take the processor from every lower priority for good, so the
         * supervisor stops it (koito_supervisor.h). */
        if (a9n_process_end(koito_process_cap) != A9N_SUCCESS)
            koito_supervisor_call(KOITO_SUPERVISOR_EXIT, (a9n_word)status);
    }
}

_Noreturn void koito_qemu_exit(a9n_word io_port, bool success)
{
    enum { QEMU_EXIT_PORT = 0xf4, QEMU_SUCCESS = 0x10, QEMU_FAILURE = 0x11 };
    a9n_io_port_write(io_port, QEMU_EXIT_PORT, 4, success ? QEMU_SUCCESS : QEMU_FAILURE);
    _exit(success ? 0 : 1);
}
