/* Kernel panic: say why, then stop the machine with the failure verdict. */
#include <kernel/kprintf.h>
#include <kernel/panic.h>

#include <hal/hal.h>

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("a9n: panic: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    hal_exit(HAL_VERDICT_FAILURE);
}
