/* The arch-independent kernel's entry and identity. */
#pragma once

#include <kernel/bootinfo.h>

#define A9N_VERSION "0.1.0"

/* Called by the arch layer once the CPU, console and paging are set up. */
_Noreturn void kernel_main(const struct boot_info *boot);

#ifdef A9N_SELFTEST
/* Test-only kernels: runs the self test named by "selftest=NAME" on the command line. */
void selftest_run(const char *cmdline);
/* Runs a hand-built user context in the given mode (selftest_user.c); never returns. While
 * it runs, the kernel entries go to the selftest's own handlers. */
#include <hal/hal_user.h>
void selftest_user(int selected_mode);
extern bool selftest_user_active;
_Noreturn void selftest_kernel_syscall(struct hal_user_context *ctx);
_Noreturn void selftest_kernel_user_fault(struct hal_user_context *ctx,
                                          const struct hal_fault *fault);
_Noreturn void selftest_kernel_user_interrupt(struct hal_user_context *ctx, unsigned irq);
#endif
