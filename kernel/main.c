/* A9N's arch-independent start: report what the machine offers, then start the system. */
#include <kernel/kernel.h>
#include <kernel/kprintf.h>

#include <hal/hal.h>

_Noreturn void kernel_main(const struct boot_info *boot)
{
    boot_info_print(boot);
#ifdef A9N_SELFTEST
    selftest_run(boot->cmdline);
#endif
    kprintf("a9n: boot complete; no initial process is configured yet, stopping\n");
    hal_exit(HAL_VERDICT_SUCCESS);
}

#ifndef A9N_SELFTEST
#include <hal/hal_user.h>
#include <kernel/panic.h>

/* No user process exists yet in this kernel; these entries cannot be reached. */
_Noreturn void kernel_syscall(struct hal_user_context *ctx)
{
    panic("system call without a process");
}

_Noreturn void kernel_user_fault(struct hal_user_context *ctx, const struct hal_fault *fault)
{
    panic("user fault without a process");
}

_Noreturn void kernel_user_interrupt(struct hal_user_context *ctx, unsigned irq)
{
    panic("user interrupt without a process");
}

void kernel_idle_interrupt(unsigned irq) {}
#endif
