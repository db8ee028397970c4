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
