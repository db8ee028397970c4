/* Leaving the machine. QEMU's isa-debug-exit device (port 0xF4) ends QEMU with status
 * (value << 1) | 1, so 0x10 -> 33 (success) and 0x11 -> 35 (failure); a triple fault under
 * -no-reboot ends it with 0, which the runner also reads as failure. */
#include "cpu.h"
#include <hal/hal.h>

enum {
    DEBUG_EXIT_PORT = 0xF4,
    DEBUG_EXIT_SUCCESS = 0x10,
    DEBUG_EXIT_FAILURE = 0x11,
};

_Noreturn void hal_exit(enum hal_verdict verdict)
{
    outl(DEBUG_EXIT_PORT, verdict == HAL_VERDICT_SUCCESS ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE);
    /* No exit device (real hardware): stop here. */
    cpu_halt_forever();
    __builtin_unreachable();
}
