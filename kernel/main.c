/* A9N's arch-independent start: report what the machine offers, then start the system. */
#include <kernel/kernel.h>
#include <kernel/kprintf.h>

#include <core/root.h>
#include <core/run.h>
#include <hal/hal_user.h>

_Noreturn void kernel_main(const struct boot_info *boot)
{
    boot_info_print(boot);
#ifdef A9N_SELFTEST
    hal_timer_calibrate(); /* the self-tests report the timer's rate and may start it */
    selftest_run(boot->cmdline);
#endif
    root_create(boot);
    hal_timer_start(RUN_TIME_SLICE_US);
    run_schedule();
}
